import { describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { date, ident, isIsoDate, join, literal, rowObjects, sql, SqlValueError } from "../../core/sql.ts";

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
});
