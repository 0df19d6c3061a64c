/**
 * pipeline/storage.ts: the storage settings of baanmonitor.duckdb take effect on what is written
 * to the file. The control shows the check can fail: without them, DuckDB stores the same
 * column with FSST. A table with uncompressed identifier columns holds what CREATE TABLE AS
 * holds (types, rows, their order), with those columns stored uncompressed.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { sql } from "../../core/sql.ts";
import { applyStorageSettings, createTableUncompressed } from "../../pipeline/storage.ts";
import { tempDir } from "../helpers/temp.ts";

const dir = tempDir("bm-storage-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** the compressions DuckDB chose for a table of distinct ID-like strings written to a file */
async function stored(name: string, setup: "settings" | "none"): Promise<string[]> {
  const db = await DuckDBInstance.create(join(dir, `${name}.duckdb`));
  const c = await db.connect();
  try {
    if (setup === "settings") await applyStorageSettings(c);
    await c.run(`CREATE TABLE t AS SELECT 'K' || lpad(i::VARCHAR, 9, '0') AS ikv_id FROM range(200000) r(i)`);
    await c.run("CHECKPOINT");
    const r = await c.runAndReadAll(`SELECT DISTINCT compression FROM pragma_storage_info('t') WHERE segment_type = 'VARCHAR'`);
    return r.getRows().map((x) => String(x[0]));
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe("storage settings of the database file", () => {
  it("no FSST with the settings; FSST without them", async () => {
    expect(await stored("settings", "settings")).not.toContain("FSST");
    expect(await stored("none", "none")).toContain("FSST");
  });
});

describe("a table with uncompressed identifier columns", () => {
  const query = sql`WITH t AS (
      SELECT i, 'B' || lpad((i * 7919 % 20000)::VARCHAR, 8, '0') AS baan_id, 'P' || (i % 50)::VARCHAR AS persoon_id,
             (i % 3)::INTEGER AS n, (i / 7)::DECIMAL(18, 6) AS bedrag, DATE '2020-01-01' + (i % 400)::INTEGER AS dag,
             i % 2 = 0 AS even, CASE WHEN i % 5 = 0 THEN NULL ELSE i * 0.5 END AS x
      FROM range(100000) r(i))
    SELECT * FROM t ORDER BY baan_id DESC, i`;

  async function written(how: "ctas" | "uncompressed"): Promise<{ types: string[]; rows: unknown[][]; compression: string[][] }> {
    const db = await DuckDBInstance.create(join(dir, `${how}.duckdb`));
    const c = await db.connect();
    try {
      await applyStorageSettings(c);
      if (how === "ctas") await c.run(`CREATE TABLE t AS ${query.text}`);
      else await createTableUncompressed(c, "t", query, ["baan_id"]);
      await c.run("CHECKPOINT");
      const types = (await c.runAndReadAll("SELECT column_type FROM (DESCRIBE t)")).getRows().map((r) => String(r[0]));
      const rows = (await c.runAndReadAll("SELECT * FROM t")).getRowsJson();
      const compression = (
        await c.runAndReadAll(
          `SELECT column_name, string_agg(DISTINCT compression, ',' ORDER BY compression) FROM pragma_storage_info('t')
           WHERE segment_type = 'VARCHAR' GROUP BY 1 ORDER BY 1`,
        )
      )
        .getRows()
        .map((r) => r.map(String));
      return { types, rows, compression };
    } finally {
      c.closeSync();
      db.closeSync();
    }
  }

  it("holds the same types and rows in the same order, the named column uncompressed", async () => {
    const a = await written("ctas");
    const b = await written("uncompressed");
    expect(b.types).toEqual(a.types);
    expect(b.rows).toEqual(a.rows);
    // the control: left to itself, DuckDB compresses the column (each value occurs five times)
    expect(a.compression.find(([c]) => c === "baan_id")![1]).toBe("Dictionary");
    expect(b.compression).toEqual([
      ["baan_id", "Uncompressed"],
      ["persoon_id", a.compression.find(([c]) => c === "persoon_id")![1]],
    ]);
  });

  it("refuses a column that does not exist or is not text, and a type it does not know", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    try {
      await expect(createTableUncompressed(c, "t", sql`SELECT 'a' AS id`, ["baan_id"])).rejects.toThrow(
        /t: ongecomprimeerde kolom baan_id bestaat niet/,
      );
      await expect(createTableUncompressed(c, "t", sql`SELECT 1 AS id`, ["id"])).rejects.toThrow(/kolom id is INTEGER, geen VARCHAR/);
      await expect(createTableUncompressed(c, "t", sql`SELECT 'a' AS id, [1] AS l`, ["id"])).rejects.toThrow(
        /kolomtype INTEGER\[\] wordt niet ondersteund/,
      );
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
