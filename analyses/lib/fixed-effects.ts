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
import { ident, join, literal, qualified, run, sql, type Sql } from "../../core/sql.ts";
import { exactSum, num, query } from "./sql.ts";
import type { Cell, Row } from "../types.ts";

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
  obsSql: Sql,
  M: number,
  combine: Record<string, string[]> = {},
  /**
   * optional SQL expression over g giving groups that probably share their observation pattern
   * (e.g. the same persons and months for several outcomes); X'X, which depends only on the
   * pattern, is then computed once per shared key — after checking the patterns are identical.
   */
  deelSleutel?: Sql,
): Promise<Map<string, FeGroupResult>> {
  // person-month cells of persons with ≥ 2 observations, keyed by 64-bit hashes of group and
  // person: grouping and self-joining on them is cheaper than on the strings, and the cells stay
  // narrow (the group names live in a table of their own). A collision between two persons of one
  // group is ~1e-11 likely at scale 1; between two groups it is checked below.
  const cellsName = `__fe_cellen_${process.pid}`;
  const groupsName = `__fe_groepen_${process.pid}`;
  const cells = ident(cellsName);
  const groupTable = ident(groupsName);
  let xtx: Record<"g" | "j" | "k" | "v", Cell | undefined>[];
  let xty: Row[];
  try {
    await run(
      conn,
      sql`CREATE OR REPLACE TEMP TABLE ${cells} AS
      WITH obs AS (${obsSql}),
      pm AS (SELECT hash(g) AS gi, hash(persoon) AS pi, m, count(*) AS n, sum(round(y, 12)::DECIMAL(38, 12)) AS s
             FROM obs WHERE m BETWEEN 0 AND ${M} AND y IS NOT NULL GROUP BY ALL),
      pers AS (SELECT gi, pi, sum(n) AS tt, sum(s) AS si FROM pm GROUP BY gi, pi HAVING sum(n) > 1)
      SELECT pm.gi, pm.pi, pm.m, pm.n, pm.s, pers.tt, pers.si FROM pm JOIN pers USING (gi, pi) WHERE pm.m >= 1`,
    );
    await run(
      conn,
      sql`CREATE OR REPLACE TEMP TABLE ${groupTable} AS
      SELECT g, ${deelSleutel ?? sql`g`} AS xk, hash(g) AS gi
      FROM (SELECT DISTINCT g FROM (${obsSql}) WHERE m BETWEEN 1 AND ${M} AND y IS NOT NULL)
      WHERE hash(g) IN (SELECT DISTINCT gi FROM ${cells})`,
    );
    const [distinct] = await query(conn, sql`SELECT count(DISTINCT g) AS g, count(DISTINCT gi) AS gi FROM ${groupTable}`);
    if (distinct!.g !== distinct!.gi) throw new Error("feMonthCoefficients: twee groepen met dezelfde hash");
    // shared patterns: keys where every (person, month, n) cell is present in all groups of the key
    const afwijkend = new Set<string>();
    if (deelSleutel) {
      const rows = await query(
        conn,
        sql`WITH per AS (SELECT xk, count(*) AS ng FROM ${groupTable} GROUP BY xk),
              cel AS (SELECT gr.xk, c.pi, c.m, c.n, count(*) AS c FROM ${cells} c JOIN ${groupTable} gr USING (gi) GROUP BY ALL)
         SELECT DISTINCT xk FROM cel JOIN per USING (xk) WHERE cel.c <> per.ng`,
      );
      for (const r of rows) afwijkend.add(String(r.xk));
    } else {
      for (const r of await query(conn, sql`SELECT DISTINCT xk FROM ${groupTable}`)) afwijkend.add(String(r.xk));
    }
    const lijst = afwijkend.size ? join([...afwijkend].sort().map((x) => literal(x))) : literal(null);
    // sk: the system a group's rows contribute to — per shared key (one representative group,
    // the first by name), else per group
    const systems = sql`(SELECT gi, CASE WHEN xk IN (${lijst}) THEN 'G:' || g ELSE 'K:' || xk END AS sk FROM ${groupTable}
                  WHERE xk IN (${lijst}) OR g IN (SELECT min(g) FROM ${groupTable} GROUP BY xk))`;
    // (X'X)_jk cross term: Σ_T (1/T) Σ_{i: T_i = T} n_ij n_ik, the inner sum an exact integer.
    // Persons of a group with the same pattern (T_i and every (month, n_im)) add the same terms:
    // each pattern is expanded once, for one person, weighted by its number of persons (about
    // half the pairs of the jobcoach panel). The pattern's key is order-free (a sum of the cells'
    // hashes), so no person's cells are gathered into a list.
    const xtxKey = await query(
      conn,
      sql`WITH gn AS ${systems},
       t AS (SELECT c.* FROM ${cells} c SEMI JOIN gn USING (gi)),
       pat AS (SELECT gi, pi, hash(any_value(tt), count(*), sum(hash(m, n)::HUGEINT)) AS ph FROM t GROUP BY gi, pi),
       rep AS (SELECT gi, min(pi) AS pi, count(*) AS w FROM pat GROUP BY gi, ph),
       tr AS (SELECT t.gi, t.pi, t.m, t.n, t.tt, rep.w FROM t JOIN rep USING (gi, pi)),
       c AS (SELECT a.gi, a.m AS j, b.m AS k, a.tt, sum(a.w * a.n * b.n) AS c
             FROM tr a JOIN tr b ON a.gi = b.gi AND a.pi = b.pi AND a.m <= b.m GROUP BY ALL)
       SELECT gn.sk, j, k, ${exactSum(sql`c / tt`)} AS v FROM c JOIN gn USING (gi) GROUP BY ALL ORDER BY 1, 2, 3`,
    );
    const bySk = new Map<string, Row[]>();
    for (const r of xtxKey) {
      const k = String(r.sk);
      const l = bySk.get(k);
      if (l) l.push(r);
      else bySk.set(k, [r]);
    }
    xtx = [];
    for (const mrow of await query(conn, sql`SELECT g, xk FROM ${groupTable} ORDER BY 1`)) {
      const sk = afwijkend.has(String(mrow.xk)) ? `G:${mrow.g}` : `K:${mrow.xk}`;
      for (const r of bySk.get(sk) ?? []) xtx.push({ g: mrow.g, j: r.j, k: r.k, v: r.v });
    }
    // (X'y)_j = Σ_i S_ij − Σ_T (1/T) Σ_{i: T_i = T} n_ij S_i
    xty = await query(
      conn,
      sql`WITH c AS (SELECT gi, m, tt, sum(n) AS nn, sum(s) AS s, sum(n * si) AS ns FROM ${cells} GROUP BY ALL)
       SELECT gr.g, m, sum(nn) AS nn, sum(s)::DOUBLE - ${exactSum(sql`ns::DOUBLE / tt`)} AS v
       FROM c JOIN ${groupTable} gr USING (gi) GROUP BY ALL ORDER BY 1, 2`,
    );
  } finally {
    await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", cellsName)}`);
    await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", groupsName)}`);
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
    x.A[j]![j]! += num(r.nn);
    x.b[j] = num(r.v);
  }
  for (const r of xtx) {
    const x = get(String(r.g));
    const j = num(r.j) - 1,
      k = num(r.k) - 1,
      v = num(r.v);
    x.A[j]![k]! -= v;
    if (j !== k) x.A[k]![j]! -= v;
  }
  for (const [name, parts] of Object.entries(combine)) {
    const present = parts.filter((p) => groups.has(p));
    if (present.length === 0) continue;
    const x = get(name);
    for (const p of present) {
      const y = groups.get(p)!;
      for (let j = 0; j < M; j++) {
        x.b[j]! += y.b[j]!;
        for (let k = 0; k < M; k++) x.A[j]![k]! += y.A[j]![k]!;
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
  const scale = Math.max(1e-300, ...A0.map((r, i) => Math.abs(r[i]!)));
  const tol = 1e-10 * scale;
  // drop unknowns whose diagonal is ~0 (no observations / no variation)
  const keep = [...Array(n).keys()].filter((i) => Math.abs(A0[i]![i]!) > tol);
  const m = keep.length;
  const A = keep.map((i) => keep.map((j) => A0[i]![j]!));
  const b = keep.map((i) => b0[i]!);
  const ok = new Array(m).fill(true);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    if (Math.abs(A[p]![c]!) <= tol) {
      ok[c] = false;
      continue;
    }
    if (p !== c) {
      [A[p], A[c]] = [A[c]!, A[p]!];
      [b[p], b[c]] = [b[c]!, b[p]!];
    }
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      if (f === 0) continue;
      for (let k = c; k < m; k++) A[r]![k]! -= f * A[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const x: (number | null)[] = new Array(n).fill(null);
  keep.forEach((i, c) => {
    x[i] = ok[c] ? b[c]! / A[c]![c]! : null;
  });
  return x;
}
