/**
 * Person fixed-effects month index (jobcoach article, figure 2), solved exactly via
 * Frisch–Waugh–Lovell.
 *
 * Model per group: y_it = α_i + Σ_{m=1..M} β_m·D_m(it) + ε_it, month 0 the reference.
 * FWL: regress the within-person demeaned y on the within-person demeaned month dummies.
 * With n_im observations of person i in month m, T_i = Σ_m n_im, S_im = Σ y in that cell,
 * ȳ_i the person mean, the demeaned cross products are
 *   (X'X)_jk = δ_jk Σ_i n_ij − Σ_i n_ij n_ik / T_i
 *   (X'y)_j  = Σ_i (S_ij − n_ij ȳ_i)
 * which DuckDB aggregates (a self-join of person-month cells within person); the M×M system is
 * solved here. Months without identifying variation get a null coefficient.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { num, query } from "./sql.ts";

export interface FeGroupResult {
  groep: string;
  /** beta[m] for m = 0..M (beta[0] = 0, the reference); null when not identified */
  beta: (number | null)[];
}

/**
 * `obsSql` returns columns g VARCHAR (group), persoon VARCHAR, m INTEGER (0..M), y DOUBLE —
 * one row per observation (NULL y excluded). `combine` adds groups whose systems are the sum of
 * other groups' (valid when the groups have disjoint persons, e.g. alle = extern + intern).
 *
 * Determinism: y is summed as DECIMAL(38,12) (exact integer arithmetic, so independent of thread
 * scheduling); the only floating-point sums are over the distinct T_i values, in a fixed order.
 */
export async function feMonthCoefficients(
  conn: DuckDBConnection,
  obsSql: string,
  M: number,
  combine: Record<string, string[]> = {},
): Promise<Map<string, FeGroupResult>> {
  // person-month cells of persons with ≥ 2 observations, with integer keys for fast self-joins
  const tmp = `__fe_cellen_${process.pid}`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${tmp} AS
    WITH obs AS (${obsSql}),
    pm AS (SELECT g, persoon, m, count(*) AS n, sum(round(y, 12)::DECIMAL(38, 12)) AS s
           FROM obs WHERE m BETWEEN 0 AND ${M} AND y IS NOT NULL GROUP BY ALL),
    pw AS (SELECT *, sum(n) OVER w AS tt, sum(s) OVER w AS si FROM pm WINDOW w AS (PARTITION BY g, persoon))
    SELECT g, dense_rank() OVER (ORDER BY g) AS gi, dense_rank() OVER (ORDER BY persoon) AS pi, m, n, s, tt, si
    FROM pw WHERE tt > 1 AND m >= 1`);
  let xtx, xty;
  try {
    // (X'X)_jk cross term: Σ_T (1/T) Σ_{i: T_i = T} n_ij n_ik, the inner sum an exact integer
    xtx = await query(
      conn,
      `WITH c AS (SELECT a.gi, a.m AS j, b.m AS k, a.tt, sum(a.n * b.n) AS c
                  FROM ${tmp} a JOIN ${tmp} b ON a.gi = b.gi AND a.pi = b.pi AND a.m <= b.m GROUP BY ALL),
       gn AS (SELECT DISTINCT gi, g FROM ${tmp})
       SELECT gn.g, j, k, sum(c / tt ORDER BY tt) AS v FROM c JOIN gn USING (gi) GROUP BY ALL ORDER BY 1, 2, 3`,
    );
    // (X'y)_j = Σ_i S_ij − Σ_T (1/T) Σ_{i: T_i = T} n_ij S_i
    xty = await query(
      conn,
      `WITH c AS (SELECT g, m, tt, sum(n) AS nn, sum(s) AS s, sum(n * si) AS ns FROM ${tmp} GROUP BY ALL)
       SELECT g, m, sum(nn) AS nn, sum(s)::DOUBLE - sum(ns::DOUBLE / tt ORDER BY tt) AS v FROM c GROUP BY ALL ORDER BY 1, 2`,
    );
  } finally {
    await conn.run(`DROP TABLE IF EXISTS temp.${tmp}`);
  }
  const groups = new Map<string, { A: number[][]; b: number[] }>();
  const get = (g: string) => {
    let x = groups.get(g);
    if (!x) groups.set(g, (x = { A: Array.from({ length: M }, () => new Array(M).fill(0)), b: new Array(M).fill(0) }));
    return x;
  };
  for (const r of xty) {
    const x = get(String(r.g));
    const j = num(r.m) - 1;
    x.A[j][j] += num(r.nn);
    x.b[j] = num(r.v);
  }
  for (const r of xtx) {
    const x = get(String(r.g));
    const j = num(r.j) - 1, k = num(r.k) - 1, v = num(r.v);
    x.A[j][k] -= v;
    if (j !== k) x.A[k][j] -= v;
  }
  for (const [name, parts] of Object.entries(combine)) {
    const present = parts.filter((p) => groups.has(p));
    if (present.length === 0) continue;
    const x = get(name);
    for (const p of present) {
      const y = groups.get(p)!;
      for (let j = 0; j < M; j++) {
        x.b[j] += y.b[j];
        for (let k = 0; k < M; k++) x.A[j][k] += y.A[j][k];
      }
    }
  }
  const out = new Map<string, FeGroupResult>();
  for (const [g, { A, b }] of [...groups].sort((a, c) => (a[0] < c[0] ? -1 : 1))) {
    out.set(g, { groep: g, beta: [0, ...solveSymmetric(A, b)] });
  }
  return out;
}

/**
 * Solve A x = b for symmetric positive semi-definite A by Gaussian elimination with partial
 * pivoting; unknowns without identifying variation (zero pivot) get null.
 */
export function solveSymmetric(A0: number[][], b0: number[]): (number | null)[] {
  const n = b0.length;
  const scale = Math.max(1e-300, ...A0.map((r, i) => Math.abs(r[i])));
  const tol = 1e-10 * scale;
  // drop unknowns whose diagonal is ~0 (no observations / no variation)
  const keep = [...Array(n).keys()].filter((i) => Math.abs(A0[i][i]) > tol);
  const m = keep.length;
  const A = keep.map((i) => keep.map((j) => A0[i][j]));
  const b = keep.map((i) => b0[i]);
  const ok = new Array(m).fill(true);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    if (Math.abs(A[p][c]) <= tol) {
      ok[c] = false;
      continue;
    }
    if (p !== c) {
      [A[p], A[c]] = [A[c], A[p]];
      [b[p], b[c]] = [b[c], b[p]];
    }
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      if (f === 0) continue;
      for (let k = c; k < m; k++) A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  const x: (number | null)[] = new Array(n).fill(null);
  keep.forEach((i, c) => {
    x[i] = ok[c] ? b[c] / A[c][c] : null;
  });
  return x;
}
