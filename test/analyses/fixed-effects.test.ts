import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "../../core/sql.ts";
import type { DuckDBConnection } from "@duckdb/node-api";
import { feMonthCoefficients, solveSymmetric } from "../../analyses/lib/fixed-effects.ts";
import { memoryDb } from "../fixtures/analyses/marts.ts";
import { rng } from "../helpers/random.ts";

/** Dense OLS of y on [person dummies | month dummies 1..M] via the normal equations. */
function denseOls(obs: { p: number; m: number; y: number }[], P: number, M: number): number[] {
  const k = P + M;
  const A = Array.from({ length: k }, () => new Array(k).fill(0));
  const b = new Array(k).fill(0);
  for (const o of obs) {
    const x = new Array(k).fill(0);
    x[o.p] = 1;
    if (o.m >= 1) x[P + o.m - 1] = 1;
    for (let i = 0; i < k; i++) {
      if (x[i] === 0) continue;
      b[i] += x[i] * o.y;
      for (let j = 0; j < k; j++) A[i]![j] += x[i] * x[j];
    }
  }
  const sol = solveSymmetric(A, b);
  return sol.slice(P).map((v) => v as number);
}

describe("person fixed-effects month index (FWL in SQL) equals dense OLS", () => {
  let conn: DuckDBConnection;
  let close: () => void;
  beforeAll(async () => {
    ({ conn, close } = await memoryDb());
  });
  afterAll(() => close());

  it.each([1, 2, 3])("random unbalanced panel, seed %i", async (seed) => {
    const r = rng(seed);
    const P = 40,
      M = 12;
    const obs: { p: number; m: number; y: number }[] = [];
    for (let p = 0; p < P; p++) {
      const alpha = 10 + 10 * r();
      const first = Math.floor(r() * 4);
      for (let m = first; m <= M; m++) {
        if (r() < 0.25) continue; // gaps
        const reps = r() < 0.1 ? 2 : 1; // occasionally two observations in a month
        for (let k = 0; k < reps; k++) obs.push({ p, m, y: alpha + 0.3 * m + Math.sin(m) + r() });
      }
    }
    await conn.run(`CREATE OR REPLACE TABLE panel (g VARCHAR, persoon VARCHAR, m INTEGER, y DOUBLE)`);
    await conn.run(`INSERT INTO panel VALUES ${obs.map((o) => `('a', 'p${o.p}', ${o.m}, ${o.y})`).join(", ")}`);
    const fe = await feMonthCoefficients(conn, sql`SELECT * FROM panel`, M);
    const beta = fe.get("a")!.beta;
    const dense = denseOls(obs, P, M);
    expect(beta[0]).toBe(0);
    for (let m = 1; m <= M; m++) expect(beta[m]).toBeCloseTo(dense[m - 1]!, 9);
  });

  it("a shared observation pattern (deelSleutel) gives the same coefficients; differing patterns fall back", async () => {
    const r = rng(9);
    const rows: string[] = [];
    for (let p = 0; p < 30; p++)
      for (let m = 0; m <= 6; m++) {
        if (r() < 0.3) continue;
        const y1 = p + m * 0.5 + r(),
          y2 = 2 * p - m + r();
        rows.push(`('k|a', 'p${p}', ${m}, ${y1})`, `('k|b', 'p${p}', ${m}, ${y2})`);
        if (!(p === 3 && m === 2)) rows.push(`('z|a', 'p${p}', ${m}, ${y1})`);
        rows.push(`('z|b', 'p${p}', ${m}, ${y2})`);
      }
    await conn.run(`CREATE OR REPLACE TABLE panel3 (g VARCHAR, persoon VARCHAR, m INTEGER, y DOUBLE)`);
    await conn.run(`INSERT INTO panel3 VALUES ${rows.join(", ")}`);
    const plain = await feMonthCoefficients(conn, sql`SELECT * FROM panel3`, 6);
    const shared = await feMonthCoefficients(conn, sql`SELECT * FROM panel3`, 6, {}, sql`string_split(g, '|')[1]`);
    // key k shares its pattern (one X'X), key z does not (p3 lacks month 2 in z|a: per group)
    for (const g of ["k|a", "k|b", "z|a", "z|b"])
      for (let m = 1; m <= 6; m++) expect(shared.get(g)!.beta[m]).toBeCloseTo(plain.get(g)!.beta[m] as number, 10);
    expect(shared.get("z|a")!.beta[2]).not.toBeCloseTo(shared.get("z|b")!.beta[2] as number, 3);
  });

  it("separate groups get separate coefficients; a month without data is null", async () => {
    await conn.run(`CREATE OR REPLACE TABLE panel2 AS SELECT * FROM (VALUES
      ('x', 'a', 0, 1.0), ('x', 'a', 1, 3.0), ('x', 'b', 0, 5.0), ('x', 'b', 1, 7.0),
      ('y', 'c', 0, 1.0), ('y', 'c', 2, 2.0), ('y', 'd', 0, 0.0), ('y', 'd', 2, 1.0)) t(g, persoon, m, y)`);
    const fe = await feMonthCoefficients(conn, sql`SELECT * FROM panel2`, 2);
    expect(fe.get("x")!.beta[1]).toBeCloseTo(2, 12);
    expect(fe.get("x")!.beta[2]).toBeNull();
    expect(fe.get("y")!.beta[2]).toBeCloseTo(1, 12);
    expect(fe.get("y")!.beta[1]).toBeNull();
  });
});
