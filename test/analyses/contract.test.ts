/**
 * The analysis → page contract: every analysis declares the tables and columns it publishes
 * (analyses/types.ts), and runOne refuses a published table that differs from its declaration.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { DEFAULTS } from "../../pipeline/config.ts";
import { ANALYSES } from "../../analyses/registry.ts";
import { checkPublished, DeclarationError, runOne } from "../../analyses/run-analyses.ts";
import { defineAnalysis, table, type AnalysisModule, type PublishedDeclaration, type Tables } from "../../analyses/types.ts";
import { finalize } from "../../analyses/disclosure/index.ts";
import { memoryDb } from "../fixtures/analyses/marts.ts";
import { tempDir } from "../helpers/temp.ts";

const DECL: PublishedDeclaration = {
  per_jaar: table({ jaar: "key", aantal: "count", aandeel: "share" }),
  kern: table({ naam: "key", waarde: "count" }),
};
const good = (): Tables => ({
  per_jaar: finalize(
    [
      { jaar: 2015, aantal: 12, aandeel: 0.4 },
      { jaar: 2016, aantal: null, aandeel: null },
    ],
    ["jaar", "aantal", "aandeel"],
  ),
  kern: finalize([{ naam: "totaal", waarde: 30 }], ["naam", "waarde"]),
});
const check = (t: Tables) => () => checkPublished("mijn_analyse", DECL, t);

describe("checkPublished", () => {
  it("accepts tables of exactly the declared shape", () => {
    expect(check(good())).not.toThrow();
  });

  it("names analysis, table, row and column of every kind of difference", () => {
    const cases: [string, (t: Tables) => void, RegExp][] = [
      [
        "missing column",
        (t) => {
          t.per_jaar = t.per_jaar!.map(({ aandeel: _a, ...r }) => r);
        },
        /mijn_analyse\.per_jaar, rij 1: kolom aandeel ontbreekt/,
      ],
      [
        "extra column",
        (t) => {
          t.kern = t.kern!.map((r) => ({ naam: r.naam!, waarde: r.waarde!, extra: 1, onderdrukt: r.onderdrukt! }));
        },
        /mijn_analyse\.kern, rij 1: kolom extra is niet gedeclareerd/,
      ],
      [
        "reordered columns",
        (t) => {
          t.per_jaar = t.per_jaar!.map((r) => ({ jaar: r.jaar!, aandeel: r.aandeel!, aantal: r.aantal!, onderdrukt: r.onderdrukt! }));
        },
        /mijn_analyse\.per_jaar, rij 1: kolom aandeel staat op plaats 2, gedeclareerd is daar aantal/,
      ],
      [
        "unknown table",
        (t) => {
          t.extra = [];
        },
        /mijn_analyse\.extra: tabel is niet gedeclareerd/,
      ],
      [
        "table not published",
        (t) => {
          delete t.kern;
        },
        /mijn_analyse\.kern: gedeclareerde tabel wordt niet gepubliceerd/,
      ],
      [
        "no onderdrukt",
        (t) => {
          t.kern = t.kern!.map(({ onderdrukt: _o, ...r }) => r);
        },
        /mijn_analyse\.kern, rij 1: kolom onderdrukt ontbreekt/,
      ],
      [
        "a later row differs",
        (t) => {
          t.per_jaar![1] = { jaar: 2016, aantal: null, onderdrukt: true };
        },
        /per_jaar, rij 2: kolom aandeel ontbreekt/,
      ],
      [
        "text in a count",
        (t) => {
          t.kern![0]!.waarde = "30";
        },
        /mijn_analyse\.kern, rij 1: kolom waarde \(count\) heeft waarde "30"/,
      ],
    ];
    for (const [what, spoil, message] of cases) {
      const t = good();
      spoil(t);
      expect(check(t), what).toThrow(DeclarationError);
      expect(check(t), what).toThrow(message);
    }
  });

  it("table() keeps the declared order and refuses onderdrukt and integer-like names", () => {
    expect(table({ b: "key", a: "count" }).columns.map((c) => c.name)).toEqual(["b", "a"]);
    expect(() => table({ onderdrukt: "key" })).toThrow(/vanzelf/);
    expect(() => table({ 2019: "count" })).toThrow(/2019/);
  });
});

describe("the catalogue's declarations", () => {
  it("every analysis declares at least one table, each with a key and a value column", () => {
    expect(new Set(ANALYSES.map((m) => m.id)).size).toBe(ANALYSES.length);
    for (const m of ANALYSES) {
      const tables = Object.entries(m.publishes);
      expect(tables.length, m.id).toBeGreaterThan(0);
      for (const [name, t] of tables) {
        expect(
          t.columns.some((c) => c.kind === "key"),
          `${m.id}.${name}`,
        ).toBe(true);
        expect(
          t.columns.some((c) => c.kind !== "key" && c.kind !== "label"),
          `${m.id}.${name}`,
        ).toBe(true);
        expect(new Set(t.columns.map((c) => c.name)).size, `${m.id}.${name}`).toBe(t.columns.length);
      }
    }
  });
});

describe("runOne checks the published tables against the declaration", () => {
  let conn: DuckDBConnection;
  let close: () => void;
  let out: string;
  beforeAll(async () => {
    ({ conn, close } = await memoryDb());
    out = tempDir("bm-contract-");
  });
  afterAll(() => {
    close();
    rmSync(out, { recursive: true, force: true });
  });

  const module = (publishes: PublishedDeclaration) =>
    defineAnalysis({
      id: "proef_contract",
      titel: "Proef",
      rapport: "nieuw",
      definitie: "Een analyse voor de test van de declaratie.",
      publishes,
      relations: [],
      parameters: () => ({}),
      run: async () => ({ tabellen: { t: [{ groep: "a", aantal: 12, aandeel: 0.5 }] } }),
      publish: (result) => ({ t: finalize(result.tabellen.t!, ["groep", "aantal", "aandeel"]) }),
    }) as AnalysisModule<unknown>;

  it("returns the published tables when they match (written by runAnalyses after the whole set is protected)", async () => {
    const doc = await runOne(module({ t: table({ groep: "key", aantal: "count", aandeel: "share" }) }), conn, DEFAULTS, out);
    expect(Object.keys(doc.tabellen.t![0]!)).toEqual(["groep", "aantal", "aandeel", "onderdrukt"]);
    expect(existsSync(join(out, "publish", "proef_contract.json"))).toBe(false);
  });

  it("fails with an internal error naming analysis, table and column, and publishes nothing", async () => {
    rmSync(join(out, "publish"), { recursive: true, force: true });
    const wrong = module({ t: table({ groep: "key", aandeel: "share", aantal: "count" }) });
    const err = await runOne(wrong, conn, DEFAULTS, out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeclarationError);
    expect((err as Error).message).toMatch(/proef_contract\.t, rij 1: kolom aantal staat op plaats 2, gedeclareerd is daar aandeel/);
    expect(existsSync(join(out, "publish", "proef_contract.json"))).toBe(false);
  });
});
