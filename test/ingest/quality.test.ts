/**
 * Soft checks on polis declarations per (ikv_id, tijdvak_aanvang): the quick form for groups of
 * at most two rows and the exact form (groups of three or more) give the defined counts, and
 * stg_polis_dubbel (which D1's correction step reads) holds exactly the periods declared more
 * than once, in key order.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../pipeline/config.ts";
import { EXTRACTS } from "../../pipeline/contract.ts";
import { POLIS_DUBBEL, runQualityChecks, writePolisDubbel } from "../../pipeline/ingest/quality.ts";

/** (ikv_id, tijdvak_aanvang, aanleverdatum) rows of stg_polis -> the two duplicate counts */
async function polisCounts(
  rows: [string, string, string][],
): Promise<{ dubbel: number; correctie: number; tabel: [string, number, number][] }> {
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
  // written with stg_polis (pipeline/ingest/index.ts), read by the checks
  await writePolisDubbel(c);
  const k = await runQualityChecks(c, DEFAULTS, [], "2026-01-01");
  // the staging table the checks and D1's correction step share (one row per period declared more than once)
  const tabel = (
    await c.runAndReadAll(`SELECT ikv_id, aantal_rijen::INTEGER, aantal_aanleverdata::INTEGER FROM ${POLIS_DUBBEL}`)
  ).getRows() as [string, number, number][];
  c.closeSync();
  db.closeSync();
  const get = (controle: string) => k.find((r) => r.controle === controle && r.extract === "polis")!.aantal;
  return { dubbel: get("dubbele_sleutel"), correctie: get("correctie"), tabel };
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
    expect(await polisCounts(pairs)).toEqual({
      dubbel: 1,
      correctie: 2,
      tabel: [
        ["K2", 2, 1],
        ["K3", 2, 2],
      ],
    });
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
    expect(await polisCounts([...pairs, ...triple])).toEqual({
      dubbel: 2,
      correctie: 6,
      tabel: [
        ["K2", 2, 1],
        ["K3", 2, 2],
        ["K4", 3, 2],
        ["K5", 3, 3],
      ],
    });
  });

  it("an ikv of several periods lists only its period declared twice", async () => {
    const periods: [string, string, string][] = [
      ["K6", "2020-01-01", "2020-02-01"], // three periods, the second declared twice
      ["K6", "2020-02-01", "2020-03-01"],
      ["K6", "2020-02-01", "2020-03-01"],
      ["K6", "2020-03-01", "2020-04-01"],
      ["K7", "2020-01-01", "2020-02-01"], // several periods, each declared once
      ["K7", "2020-02-01", "2020-03-01"],
      ["K7", "2020-03-01", "2020-04-01"],
    ];
    expect(await polisCounts([...pairs, ...periods])).toEqual({
      dubbel: 2,
      correctie: 3,
      tabel: [
        ["K2", 2, 1],
        ["K3", 2, 2],
        ["K6", 2, 1],
      ],
    });
  });
});
