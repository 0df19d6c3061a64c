/**
 * SQL injection through parameters: a config value that closes a string and adds statements
 * (COPY to a file, ATTACH a database) or reads a file into an error message (read_text,
 * read_csv). Each payload is shown to work when pasted into SQL text raw (the control), then
 * refused by the analyses, the analysis runner, renderSql and `analyse --config`: a clear error
 * before any SQL runs, no file created anywhere, no file content in the message.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../../core/errors.ts";
import { SqlValueError } from "../../core/sql.ts";
import { ANALYSES } from "../../analyses/registry.ts";
import { runAnalyses } from "../../analyses/run-analyses.ts";
import type { AnalysisModule } from "../../analyses/types.ts";
import { DEFAULTS, type Parameters } from "../../pipeline/config.ts";
import { renderSql } from "../../pipeline/sql-runner.ts";
import { runAll } from "../../cli/commands/run.ts";
import { REPO_ROOT } from "../helpers/staging.ts";
import { createMarts, memoryDb } from "../fixtures/analyses/marts.ts";
import { tempDir } from "../helpers/temp.ts";

const SECRET = "GEHEIM-7f3a9c";
let dir: string;
let secretFile: string;
let loot: string;
let evil: string;

/** Restatement of the start of jobcoach_baanverlies's query, so a payload can resume it after its own statements. */
const RESUME = `WITH coh AS (SELECT persoon_id, min(startdatum_jobcoach) AS start, least(DATE '2019-12-31`;

function payloads(): Record<string, string> {
  return {
    copy: `2019-12-31', NULL) AS eind FROM maandstatus GROUP BY persoon_id) SELECT 1; COPY (SELECT content FROM read_text('${secretFile}')) TO '${loot}' (FORMAT csv); ${RESUME}`,
    attach: `2019-12-31', NULL) AS eind FROM maandstatus GROUP BY persoon_id) SELECT 1; ATTACH '${evil}' AS evil; ${RESUME}`,
    read_text: `2019-12-31' + CAST((SELECT content FROM read_text('${secretFile}')) AS INTEGER) - INTEGER '0`,
    read_csv: `2019-12-31' + CAST((SELECT string_agg(column0, '|') FROM read_csv('${secretFile}', header = false)) AS INTEGER) - INTEGER '0`,
  };
}

/** A connection that records every method call (any call could run SQL). */
function spy(conn: DuckDBConnection): { conn: DuckDBConnection; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(conn, {
    get(target, key) {
      const v = Reflect.get(target, key);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        calls.push(String(key));
        return v.apply(target, args);
      };
    },
  });
  return { conn: proxy, calls };
}

const mod = (id: string) => ANALYSES.find((m) => m.id === id)! as AnalysisModule<Record<string, unknown>>;

function withParam(path: string, value: unknown): Parameters {
  const p = structuredClone(DEFAULTS) as unknown as Record<string, Record<string, unknown>>;
  const [section, key] = path.split(".");
  p[section!]![key!] = value;
  return p as unknown as Parameters;
}

function expectNoDamage(message: string): void {
  expect(existsSync(loot)).toBe(false);
  expect(existsSync(evil)).toBe(false);
  expect(message).not.toContain(SECRET);
}

describe("SQL injection through parameters", () => {
  let conn: DuckDBConnection;
  let close: () => void;
  beforeAll(async () => {
    dir = tempDir("baanmonitor-injectie-");
    secretFile = join(dir, "geheim.txt");
    writeFileSync(secretFile, `${SECRET}\n`);
    loot = join(dir, "buit.csv");
    evil = join(dir, "evil.duckdb");
    ({ conn, close } = await memoryDb());
    await createMarts(conn, { maandstatus: [{ persoon_id: "P1", maand: 0, startdatum_jobcoach: "2015-01-01", groep: "Wajong" }] });
  });
  afterEach(() => {
    rmSync(loot, { force: true });
    rmSync(evil, { force: true });
  });
  afterAll(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("control: pasted raw into SQL text, each payload writes a file or puts the file's content in the error", async () => {
    const raw = (v: string) => `WITH coh AS (
        SELECT persoon_id, min(startdatum_jobcoach) AS start,
               least(DATE '${v}', (min(startdatum_jobcoach) + INTERVAL 37 MONTH)::DATE - 1) AS eind
        FROM maandstatus GROUP BY persoon_id)
      SELECT max(eind) AS e FROM coh`;
    const p = payloads();
    await conn.run(raw(p.copy!));
    expect(existsSync(loot)).toBe(true);
    await conn.run(raw(p.attach!));
    expect(existsSync(evil)).toBe(true);
    await conn.run("DETACH evil");
    await expect(conn.run(raw(p.read_text!))).rejects.toThrow(SECRET);
    await expect(conn.run(raw(p.read_csv!))).rejects.toThrow(SECRET);
  });

  it("jobcoach_baanverlies and maandmonitor refuse each payload in each date they use, before any SQL runs", async () => {
    const cases: [string, string][] = [
      ["jobcoach_baanverlies", "peildatum"],
      ["maandmonitor", "vanaf"],
      ["maandmonitor", "totEnMet"],
      ["maandmonitor", "reintegratieVanaf"],
      ["maandmonitor", "reintegratieTotEnMet"],
    ];
    for (const [id, key] of cases) {
      const m = mod(id);
      for (const [name, payload] of Object.entries(payloads())) {
        const s = spy(conn);
        // straight into the module, bypassing every validation in front of it
        const p = { ...m.parameters(DEFAULTS), [key]: payload };
        const err = await m.run({ conn: s.conn, params: DEFAULTS }, p).then(
          () => null,
          (e: Error) => e,
        );
        expect(err, `${id}.${key} ${name}`).toBeInstanceOf(SqlValueError);
        expect(err!.message).toMatch(/geen geldige datum/);
        expect(s.calls, `${id}.${key} ${name}`).toEqual([]);
        expectNoDamage(err!.message);
      }
    }
  });

  it("the analysis runner: a payload in d4.peildatum, d2.vensterStart, d6.vensterStart, d7.cohortStart or d4.leespunten is a user error naming it, before any SQL or file", async () => {
    const outDir = join(dir, "uit");
    mkdirSync(outDir);
    const cases: [string, unknown][] = [
      ...Object.values(payloads()).flatMap((v) =>
        ["d4.peildatum", "d2.vensterStart", "d6.vensterStart", "d7.cohortStart"].map((k) => [k, v] as [string, unknown]),
      ),
      ["d4.leespunten", [7, `7); COPY (SELECT 1) TO '${loot}'; --`]],
      ["d4.peildatum", "2019-02-30"],
    ];
    for (const [path, value] of cases) {
      const s = spy(conn);
      const err = await runAnalyses({ conn: s.conn, outDir, params: withParam(path, value) }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err, path).toBeInstanceOf(UserError);
      expect(err!.message).toContain(`parameter "${path.split(".")[0]}.${path.split(".")[1]}`);
      expect(s.calls).toEqual([]);
      expect(readdirSync(outDir)).toEqual([]);
      expectNoDamage(err!.message);
    }
  });

  it("renderSql (the pipeline's SQL files) refuses them as well; a real date becomes a DATE literal", () => {
    expect(renderSql("SELECT {{ d4.peildatum }}, {{ d4.leespunten }}, {{ d3.inleenFallback }}", DEFAULTS).text).toBe(
      "SELECT DATE '2019-12-31', [7, 30, 91, 182, 365, 730, 1095, 1461], TRUE",
    );
    for (const path of ["d4.peildatum", "d2.vensterStart", "d6.vensterStart", "d7.cohortStart"]) {
      for (const v of [...Object.values(payloads()), "2019-02-30", "2019-12-31 "]) {
        expect(() => renderSql(`SELECT {{ ${path} }}`, withParam(path, v)), `${path} ${v}`).toThrow(UserError);
      }
    }
    expect(() => renderSql("SELECT {{ d7.maanden }}", withParam("d4.leespunten", ["7); COPY (SELECT 1) TO 'x'; --"]))).toThrow(
      /parameter "d4\.leespunten\[0\]" = .*: moet een getal zijn/,
    );
  });

  it("run with a payload: a user error before anything is created", async () => {
    for (const [name, payload] of Object.entries(payloads())) {
      const out = join(dir, `run-${name}`);
      const err = await runAll({
        extracts: join(dir, "bestaat-niet"),
        out,
        params: withParam("d4.peildatum", payload),
        progress: false,
      }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(UserError);
      expect(err!.message).toContain('parameter "d4.peildatum"');
      expect(readdirSync(dir).filter((f) => f.startsWith(`run-${name}`))).toEqual([]);
      expectNoDamage(err!.message);
    }
  });

  it("analyse --config with a payload: exit code 2 naming the parameter, the output untouched, nothing written, no file content", async () => {
    const out = join(dir, "run");
    mkdirSync(out);
    const db = await DuckDBInstance.create(join(out, "baanmonitor.duckdb"));
    const c = await db.connect();
    await createMarts(c, {});
    c.closeSync();
    db.closeSync();
    const before = readdirSync(out).sort();
    for (const [name, payload] of Object.entries(payloads())) {
      const cfg = join(dir, `config-${name}.json`);
      writeFileSync(cfg, JSON.stringify({ parameters: { d4: { peildatum: payload } } }));
      const r = spawnSync(process.execPath, [join(REPO_ROOT, "bin", "baanmonitor.mjs"), "analyse", "--out", out, "--config", cfg], {
        encoding: "utf8",
      });
      expect(r.status, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/parameter "d4\.peildatum" = .*: geen bestaande datum tussen 1900 en 2100 \(verwacht jjjj-mm-dd\)/);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expectNoDamage(r.stderr + r.stdout);
      expect(readdirSync(out).sort()).toEqual(before);
    }
  });
});
