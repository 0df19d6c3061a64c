/**
 * writeTablesParquet / readTablesParquet (analyses/lib/output.ts): the full-precision tables of an
 * analysis go to one Parquet file, filled a data chunk at a time, and come back as they were.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { readTablesParquet, writeTablesParquet } from "../../analyses/lib/output.ts";
import { readAll, sql } from "../../core/sql.ts";
import type { Tables } from "../../analyses/types.ts";

const dir = mkdtempSync(join(tmpdir(), "bm-tabellen-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeTablesParquet", () => {
  it("keeps every cell over several chunks: types per column, nulls, non-finite numbers as NULL, table layout", async () => {
    const inst = await DuckDBInstance.create(":memory:");
    const conn = await inst.connect();
    // 5000 rows: three chunks of 2048, the last one partly filled
    const curve = Array.from({ length: 5000 }, (_, i) => ({
      kenmerk: i % 3 === 0 ? "regio" : "totaal",
      groep: i % 7 === 0 ? null : `g${i % 11}`,
      tijd: i,
      cum_incidentie: i === 17 ? Number.NaN : i === 18 ? Number.POSITIVE_INFINITY : i / 4999 + 1e-17 * i,
      n: 2 ** 52 + i,
    }));
    const tabellen: Tables = {
      curve,
      toets: [{ kenmerk: "regio", chikwadraat: 3.5, onderdrukt: true, df: 2 }],
      leeg: [],
    };
    const path = join(dir, "a.parquet");
    await writeTablesParquet(conn, tabellen, path);

    const types = await readAll(conn, sql`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${path}))`);
    expect(Object.fromEntries(types.getRowsJS() as [string, string][])).toEqual({
      tabel: "VARCHAR",
      kenmerk: "VARCHAR",
      groep: "VARCHAR",
      tijd: "BIGINT",
      cum_incidentie: "DOUBLE",
      n: "BIGINT",
      chikwadraat: "DOUBLE",
      onderdrukt: "BOOLEAN",
      df: "BIGINT",
    });

    const back = await readTablesParquet(conn, path);
    expect(back).not.toBeNull();
    expect(Object.keys(back!)).toEqual(["curve", "toets", "leeg"]);
    expect(back!.leeg).toEqual([]);
    expect(back!.toets).toEqual([{ kenmerk: "regio", chikwadraat: 3.5, onderdrukt: true, df: 2 }]);
    const expected = curve.map((r) => ({ ...r, cum_incidentie: Number.isFinite(r.cum_incidentie) ? r.cum_incidentie : null }));
    expect(back!.curve).toEqual(expected);
    conn.closeSync();
    inst.closeSync();
  });
});
