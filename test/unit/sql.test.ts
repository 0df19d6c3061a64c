import { describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { date, ident, isIsoDate, join, literal, numericTempTable, readAll, rowObjects, sql, SqlValueError } from "../../core/sql.ts";

/** Values that try to close a string, add a statement, or read and write files. */
const PAYLOADS = [
  "2019-12-31'; COPY (SELECT 1) TO '/tmp/x.csv'; --",
  "x' || (SELECT content FROM read_text('/etc/passwd')) || '",
  "7); COPY (SELECT 1) TO '/tmp/y'; --",
  "'; ATTACH '/tmp/evil.db' AS e; --",
  'a"b',
  "\\'",
];

describe("core/sql", () => {
  it("turns every interpolated value into a literal that round-trips unchanged", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    for (const p of PAYLOADS) {
      const [r] = await rowObjects<{ v: string }>(conn, sql`SELECT ${p} AS v`);
      expect(r!.v).toBe(p);
      const [s] = await rowObjects<{ v: string }>(conn, sql`SELECT 1 AS ${ident(p)}`);
      expect(Object.keys(s!)).toEqual([p]);
    }
    const [l] = await rowObjects<{ v: number[] }>(conn, sql`SELECT ${[1, 2.5, -3]} AS v`);
    expect(l!.v).toEqual([1, 2.5, -3]);
    conn.closeSync();
    db.closeSync();
  });

  it("accepts only real calendar dates", () => {
    expect(date("2019-12-31").text).toBe("DATE '2019-12-31'");
    expect(isIsoDate("2020-02-29")).toBe(true);
    for (const bad of ["2019-02-30", "2019-13-01", "2019-12-31'; --", " 2019-12-31", "20191231", "2019-1-1"]) {
      expect(isIsoDate(bad)).toBe(false);
      expect(() => date(bad)).toThrow(SqlValueError);
    }
  });

  it("refuses values that are not finite numbers, strings, booleans, null or lists", () => {
    expect(() => literal(Number.NaN)).toThrow(SqlValueError);
    expect(() => literal(Infinity)).toThrow(SqlValueError);
    expect(() => literal({} as never)).toThrow(SqlValueError);
    expect(() => literal("a\u0000b")).toThrow(SqlValueError);
    expect(() => ident("")).toThrow(SqlValueError);
    expect(() => join(["x" as never])).toThrow(SqlValueError);
  });

  it("nests fragments as code and joins them", () => {
    const cols = join([ident("a"), ident("b")]);
    expect(sql`SELECT ${cols} FROM ${ident("t")} WHERE x = ${"it's"}`.text).toBe(`SELECT "a", "b" FROM "t" WHERE x = 'it''s'`);
  });

  it("numericTempTable: numbers reach DuckDB bit for bit, never as SQL text; bad values throw", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const x = [0.1, 2 ** 61, -1 / 3, 5e-324, Number.MAX_VALUE];
    const t = await numericTempTable(conn, "a'; DROP TABLE x; --", [
      { name: "k", type: "INTEGER", values: [0, 1, 2, -3, 2147483647] },
      { name: "x", type: "DOUBLE", values: Float64Array.from(x) },
    ]);
    const back = (await readAll(conn, sql`SELECT k, x FROM ${t} ORDER BY k`)).getColumnsJS();
    expect(back[0]).toEqual([-3, 0, 1, 2, 2147483647]);
    expect(back[1]).toEqual([x[3], x[0], x[1], x[2], x[4]]);
    await expect(numericTempTable(conn, "b", [{ name: "x", type: "DOUBLE", values: [1, Number.NaN] }])).rejects.toThrow(SqlValueError);
    await expect(numericTempTable(conn, "b", [{ name: "k", type: "INTEGER", values: [1.5] }])).rejects.toThrow(SqlValueError);
    await expect(
      numericTempTable(conn, "b", [
        { name: "k", type: "INTEGER", values: [1] },
        { name: "x", type: "DOUBLE", values: [1, 2] },
      ]),
    ).rejects.toThrow(SqlValueError);
    conn.closeSync();
    db.closeSync();
  });
});
