/**
 * exactSum (analyses/lib/sql.ts): a sum whose result does not depend on the order of the rows,
 * where a DOUBLE sum does (the reason the influence sums used ordered aggregates before).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { readAll, sql } from "../../core/sql.ts";
import { exactSum } from "../../analyses/lib/sql.ts";

describe("exactSum", () => {
  it("gives the same bits in every order, where a DOUBLE sum does not, and equals the compensated sum to the last bits", async () => {
    const inst = await DuckDBInstance.create(":memory:");
    const conn = await inst.connect();
    // terms of very different sizes, so that a DOUBLE sum depends on the order of addition
    const xs = Array.from(
      { length: 2000 },
      (_, i) => ((i * 7919) % 1000) / 997 + (i % 3 === 0 ? 1e6 : 0) + (i % 5 === 0 ? -1e6 : 0) + 1e-9 * i,
    );
    const orders = [0, 1, 2, 3].map((k) => [...xs].sort((a, b) => Math.sin(a * (k + 1)) - Math.sin(b * (k + 1))));
    const plain = new Set<number>();
    const exact = new Set<number>();
    for (const order of orders) {
      const values = sql`SELECT unnest(${order}::DOUBLE[]) AS x`;
      const r = await readAll(conn, sql`SELECT ${exactSum(sql`x`)} AS e, (SELECT sum(x) FROM (${values})) AS p FROM (${values})`);
      const [e, p] = r.getRowsJS()[0] as [number, number];
      exact.add(e);
      plain.add(p);
    }
    expect(plain.size, "a DOUBLE sum differs between orders").toBeGreaterThan(1);
    expect(exact.size).toBe(1);
    // against a compensated (Neumaier) sum in JS: equal to within the DOUBLE rounding of the result
    let sum = 0,
      comp = 0;
    for (const x of xs) {
      const t = sum + x;
      comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
      sum = t;
    }
    const reference = sum + comp;
    expect(Math.abs([...exact][0]! - reference)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(reference));
    conn.closeSync();
    inst.closeSync();
  });

  it("keeps terms of every size in its range: large ones whole, small ones to 2^-80", async () => {
    const inst = await DuckDBInstance.create(":memory:");
    const conn = await inst.connect();
    const sum = async (xs: number[]) =>
      (await readAll(conn, sql`SELECT ${exactSum(sql`x`)} FROM (SELECT unnest(${xs}::DOUBLE[]) AS x)`)).getRowsJS()[0]![0] as number;
    // 2^43 − 1 and 2^53 + 2 (a DOUBLE integer) survive whole; so do terms far below a DOUBLE ulp of the sum
    expect(await sum([2 ** 43 - 1, -(2 ** 43 - 1)])).toBe(0);
    expect(await sum([8e12, 0.5, -8e12])).toBe(0.5);
    expect(Math.abs((await sum([3e-20, 3e-20, -5e-20])) - 1e-20)).toBeLessThanOrEqual(3 * 2 ** -81);
    expect(Math.abs((await sum([1e-20])) - 1e-20)).toBeLessThanOrEqual(2 ** -81);
    // below the resolution: rounded to a multiple of 2^-80
    expect(await sum([2 ** -82])).toBe(0);
    conn.closeSync();
    inst.closeSync();
  });

  it("refuses a sum beyond its range instead of returning a wrong value", async () => {
    const inst = await DuckDBInstance.create(":memory:");
    const conn = await inst.connect();
    await expect(readAll(conn, sql`SELECT ${exactSum(sql`x`)} FROM (SELECT unnest([9e19, 9e19]::DOUBLE[]) AS x)`)).rejects.toThrow();
    // a term from 2^43 on, or a non-finite one
    await expect(readAll(conn, sql`SELECT ${exactSum(sql`x`)} FROM (SELECT unnest([2e13]::DOUBLE[]) AS x)`)).rejects.toThrow();
    await expect(readAll(conn, sql`SELECT ${exactSum(sql`x`)} FROM (SELECT unnest(['NaN']::DOUBLE[]) AS x)`)).rejects.toThrow();
    conn.closeSync();
    inst.closeSync();
  });
});
