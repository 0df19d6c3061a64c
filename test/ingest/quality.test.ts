/**
 * Soft checks on polis declarations per (ikv_id, tijdvak_aanvang): the quick form for groups of
 * at most two rows and the exact form (groups of three or more) give the defined counts.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../pipeline/config.ts";
import { EXTRACTS } from "../../pipeline/contract.ts";
import { runQualityChecks } from "../../pipeline/ingest/quality.ts";

/** (ikv_id, tijdvak_aanvang, aanleverdatum) rows of stg_polis -> the two duplicate counts */
async function polisCounts(rows: [string, string, string][]): Promise<{ dubbel: number; correctie: number }> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  for (const [x, cols] of Object.entries(EXTRACTS)) {
    await c.run(`CREATE TABLE stg_${x} (${cols.map((col) => `${col.name} ${col.sql}`).join(", ")})`);
  }
  for (const [ikv, tv, al] of rows) {
    await c.run(
      `INSERT INTO stg_polis (persoon_id, ikv_id, tijdvak_aanvang, tijdvak_einde, aanleverdatum) VALUES ('P1', '${ikv}', DATE '${tv}', DATE '${tv}', DATE '${al}')`,
    );
  }
  const k = await runQualityChecks(c, DEFAULTS, [], "2026-01-01");
  c.closeSync();
  db.closeSync();
  const get = (controle: string) => k.find((r) => r.controle === controle && r.extract === "polis")!.aantal;
  return { dubbel: get("dubbele_sleutel"), correctie: get("correctie") };
}

const pairs: [string, string, string][] = [
  ["K1", "2020-01-01", "2020-02-01"], // alone
  ["K2", "2020-01-01", "2020-02-01"], // same declaration twice: 1 duplicate, 1 replaced
  ["K2", "2020-01-01", "2020-02-01"],
  ["K3", "2020-01-01", "2020-02-01"], // corrected later: 0 duplicates, 1 replaced
  ["K3", "2020-01-01", "2020-03-01"],
];

describe("polis duplicates and corrections per ikv_id and tijdvak", () => {
  it("groups of at most two rows", async () => {
    expect(await polisCounts(pairs)).toEqual({ dubbel: 1, correctie: 2 });
  });

  it("a group of three or more rows", async () => {
    const triple: [string, string, string][] = [
      ["K4", "2020-01-01", "2020-02-01"], // two equal, one later: 1 duplicate, 2 replaced
      ["K4", "2020-01-01", "2020-02-01"],
      ["K4", "2020-01-01", "2020-04-01"],
      ["K5", "2020-01-01", "2020-02-01"], // three different: 0 duplicates, 2 replaced
      ["K5", "2020-01-01", "2020-03-01"],
      ["K5", "2020-01-01", "2020-04-01"],
    ];
    expect(await polisCounts([...pairs, ...triple])).toEqual({ dubbel: 2, correctie: 6 });
  });
});
