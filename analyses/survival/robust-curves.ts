import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, readAll, sql, type Sql } from "../../core/sql.ts";
import { kenmerkColumn, type RobustRows } from "./robust-rows.ts";
import type { CompetingTimeCount } from "./types.ts";

/**
 * The person-level (infinitesimal-jackknife) variance of many unweighted Kaplan–Meier and
 * Aalen–Johansen curves at every distinct time, in one DuckDB query for all breakdowns of an
 * analysis: R `survfit(Surv(tijd, status) ~ groep, id = persoon, robust = TRUE)$std.err` (KM,
 * squared and on the scale of S), and for Aalen–Johansen the influences of R's multi-state
 * `survfit` summed per person.
 *
 * `src` returns (kenmerk, groep, id, tijd, status), status 0 censored, 1 event of interest,
 * 2 competing event; one curve per (kenmerk, groep, methode): `km` censors a competing event (the
 * report), `aj` keeps it as a competing cause. Only the curve of cause 1 is computed.
 *
 * The arithmetic is that of ./influence-duckdb.ts (its header): the influence of row i on F(τ)
 * is a_i + b_i (F(τ) − F(t_i)) for t_i ≤ τ and Z(τ) after, where a_i and b_i depend only on the
 * row's group, time and status. Write α = a − b F(t_i), β = b. A person's influence is the sum
 * over their rows, and var F(τ) = Σ_persons (Σ_rows IF)² = Σ_rows IF² + 2 Σ_{pairs of rows of a
 * person} IF_i IF_j. For a pair i before j (by time, then status) the product is
 *   τ < t_i: Z²,   t_i ≤ τ < t_j: (α_i + β_i F) Z,   τ ≥ t_j: (α_i + β_i F)(α_j + β_j F)
 * and a row with itself Z² before and (α + β F)² from its time on. So
 *   var F(τ) = C1 + CF·F + CFF·F² + CZ·Z + CFZ·F·Z + CZZ·Z²
 * with six coefficients that change only at the rows' times: each pair adds a fixed change at
 * t_i and at t_j. Identical rows of a person (same group, time and status) are one record of
 * weight w (a pair weight is w_i·w_j, a record with itself w²), and the pairs are counted per
 * (group, t_i, status_i, t_j, status_j) before anything is multiplied. The changes are summed
 * per group and time as 128-bit decimals (every term rounded to 24 decimals, exact and so
 * independent of the order DuckDB adds them in) and run up over time, also as decimals; only
 * the final combination with F and Z is a DOUBLE. Cost: one join of a person's records with
 * each other (Σ records² per person, about the number of rows) and sums over small tables; no
 * window over rows (DuckDB's running windows over the rows cost ten times as much).
 *
 * Rounding: the combination loses digits where its six terms cancel; a variance below
 * CURVE_ZERO × the sum of the terms' sizes is 0 (it is 0: a group of one person, where every
 * influence vanishes). Written here rather than taken from a library: no npm package computes
 * clustered survival variances, let alone in SQL.
 */

export type CurveMethode = "km" | "aj";

export interface CurveVariance {
  /** the curve's distinct times (every time with a row in the group), ascending */
  time: number[];
  /** the person-level variance of the cumulative incidence (KM: of S, the same) at each time */
  variance: number[];
}

/** Relative size below which a curve variance is rounding noise of its terms. */
const CURVE_ZERO = 1e-12;

/** Key of a curve in the result of `robustCurveVariance`. */
export const curveKey = (kenmerk: string, groep: string, methode: string): string => `${kenmerk}\u0000${groep}\u0000${methode}`;

const DEC = sql`DECIMAL(38, 24)`;

/** The counts and variances of `robustCurveVariance`. */
export interface RobustCurves {
  /** per `curveKey(kenmerk, groep, "")`: the rows per distinct time (nEvents: status 1, status 2), ascending */
  counts: Map<string, CompetingTimeCount[]>;
  /** per `curveKey(kenmerk, groep, methode)` */
  variance: Map<string, CurveVariance>;
}

/**
 * The counts and the variance of every curve along its distinct times (see the file header),
 * from one query for all breakdowns. Rows with a NULL time or status are left out (as
 * runSurvival's counts); a non-finite time, a status outside 0..2 or a row without a person is
 * an error.
 */
export async function robustCurveVariance(conn: DuckDBConnection, r: RobustRows, methoden: readonly CurveMethode[]): Promise<RobustCurves> {
  for (const m of methoden) if (m !== "km" && m !== "aj") throw new Error(`robuuste variantie: onbekende methode ${String(m)}`);
  const out = new Map<string, CurveVariance>();
  const counts = new Map<string, CompetingTimeCount[]>();
  if (methoden.length === 0 || r.kenmerken.length === 0) return { counts, variance: out };
  const dec = (x: Sql) => sql`CAST(${x} AS ${DEC})`;
  const col = kenmerkColumn;
  const ks = r.kenmerken.map((k, i) => ({ k, i }));
  const res = await readAll(
    conn,
    sql`
    WITH
    b AS (SELECT * FROM ${r.rows}),
    bp AS (SELECT * FROM ${r.pairs}),
    meth AS (SELECT unnest(${[...methoden]}::VARCHAR[]) AS m),
    -- per breakdown, group, time and status: the number of rows
    cnt AS MATERIALIZED (${join(
      ks.map(({ i }) => sql`SELECT ${i} AS k, ${col(i)} AS g, t, s, count(*)::DOUBLE AS n FROM b GROUP BY ALL`),
      sql` UNION ALL `,
    )}),
    -- the per-time table of each curve: KM censors a competing event
    tc AS (SELECT k, g, m, t, sum(n) AS wexit,
             coalesce(sum(n) FILTER (WHERE s = 1 OR (s = 2 AND m = 'aj')), 0) AS d,
             coalesce(sum(n) FILTER (WHERE s = 1), 0) AS d1
           FROM cnt CROSS JOIN meth GROUP BY ALL),
    t1 AS (SELECT *, sum(wexit) OVER (PARTITION BY k, g, m ORDER BY t DESC ROWS UNBOUNDED PRECEDING) AS y FROM tc),
    t2 AS (SELECT *,
             CASE WHEN d > 0 THEN d / y ELSE 0 END AS h,
             CASE WHEN d > 0 AND y > d THEN d / (y * (y - d)) ELSE 0 END AS da,
             CASE WHEN d1 > 0 THEN d1 / y ELSE 0 END AS hc
           FROM t1),
    t3 AS (SELECT *, product(1 - h) OVER wg AS surv, sum(da) OVER wg AS a
           FROM t2 WINDOW wg AS (PARTITION BY k, g, m ORDER BY t ROWS UNBOUNDED PRECEDING)),
    t4 AS (SELECT *, coalesce(lag(surv) OVER wo, 1) AS surv_m, coalesce(lag(a) OVER wo, 0) AS a_m
           FROM t3 WINDOW wo AS (PARTITION BY k, g, m ORDER BY t)),
    pt AS MATERIALIZED (
      SELECT k, g, m, t, y, d, surv_m, a,
             sum(surv_m * hc) OVER wc AS f,
             sum(surv_m * hc / y) OVER wc AS b,
             sum(surv_m * hc * a_m) OVER wc AS gg
      FROM t4 WINDOW wc AS (PARTITION BY k, g, m ORDER BY t ROWS UNBOUNDED PRECEDING)),
    -- α and β of a row per curve, time and status (KM: a competing event is censored)
    av AS MATERIALIZED (
      SELECT k, g, m, t, s, a_i - beta * f AS alpha, beta
      FROM (SELECT cnt.k, cnt.g, pt.m, cnt.t, cnt.s, pt.f,
              CASE WHEN pt.y > pt.d THEN pt.a - (CASE WHEN cnt.s = 1 OR (cnt.s = 2 AND pt.m = 'aj') THEN 1 ELSE 0 END) / (pt.y - pt.d) ELSE 0 END AS beta,
              (CASE WHEN cnt.s = 1 THEN pt.surv_m / pt.y ELSE 0 END) - pt.b + pt.gg AS a_i
            FROM cnt JOIN pt ON pt.k = cnt.k AND pt.g = cnt.g AND pt.t = cnt.t)),
    -- at the first time of a pair: Z² ends, (α_i + β_i F) Z begins (counts: exact in any order)
    side1 AS (${join(
      ks.map(
        ({ i }) =>
          sql`SELECT ${i} AS k, ${col(i, "i")} AS g, ti AS t, si AS s, count(*)::DOUBLE AS n FROM bp WHERE ${col(i, "i")} = ${col(i, "j")} GROUP BY ALL`,
      ),
      sql` UNION ALL `,
    )}),
    -- at the second: (α_i + β_i F) Z ends, (α_i + β_i F)(α_j + β_j F) begins
    side2 AS (${join(
      ks.map(
        ({
          i,
        }) => sql`SELECT ${i} AS k, av.g, av.m, bp.tj AS t, bp.sj AS s, sum(${dec(sql`av.alpha`)}) AS sa, sum(${dec(sql`av.beta`)}) AS sb
          FROM bp JOIN av ON av.k = ${i} AND av.g = bp.${col(i, "i")} AND av.t = bp.ti AND av.s = bp.si
          WHERE bp.${col(i, "i")} = bp.${col(i, "j")} GROUP BY ALL`,
      ),
      sql` UNION ALL `,
    )}),
    -- per curve, time and status: the row itself, the pairs starting and the pairs ending there
    ch AS (
      SELECT av.k, av.g, av.m, av.t, av.s, av.alpha, av.beta, cnt.n AS n0, coalesce(side1.n, 0) AS n1,
             coalesce(side2.sa, 0)::DOUBLE AS sa, coalesce(side2.sb, 0)::DOUBLE AS sb, pt.f, pt.gg - pt.b AS zt
      FROM av JOIN cnt ON cnt.k = av.k AND cnt.g = av.g AND cnt.t = av.t AND cnt.s = av.s
        JOIN pt ON pt.k = av.k AND pt.g = av.g AND pt.m = av.m AND pt.t = av.t
        LEFT JOIN side1 ON side1.k = av.k AND side1.g = av.g AND side1.t = av.t AND side1.s = av.s
        LEFT JOIN side2 ON side2.k = av.k AND side2.g = av.g AND side2.m = av.m AND side2.t = av.t AND side2.s = av.s)
    SELECT * FROM ch ORDER BY k, g, m, t, s`,
  );
  const cols = res.getColumnsJS();
  const [rk, rg, rm] = cols as [number[], string[], string[]];
  const [rt, rs, ra, rb, n0, n1, sa, sb, rf, rz] = cols.slice(3) as number[][];
  // Per curve, in this fixed order (the same sums every run): the changes of the six coefficients
  // at each time, run up over time, combined with F and Z at the time's last row. A row with
  // itself: Z² before its time, (α + β F)² from it on; a pair counts twice (i with j and j with i).
  const same = (i: number, j: number) => rk[i] === rk[j] && rg[i] === rg[j] && rm[i] === rm[j];
  let cur: CurveVariance | undefined;
  let czz = 0,
    cz = 0,
    cfz = 0,
    c1 = 0,
    cf = 0,
    cff = 0;
  for (let i = 0; i < rk.length; i++) {
    if (i === 0 || !same(i, i - 1)) {
      cur = { time: [], variance: [] };
      out.set(curveKey(r.kenmerken[rk[i]!]!, rg[i]!, rm[i]!), cur);
      // before the first time every row is after τ: Σ_persons (number of rows)²
      czz = 0;
      for (let j = i; j < rk.length && same(i, j); j++) czz += n0![j]! + 2 * n1![j]!;
      cz = cfz = c1 = cf = cff = 0;
    }
    const al = ra![i]!,
      be = rb![i]!,
      n = n0![i]!,
      p = n1![i]!,
      a2 = sa![i]!,
      b2 = sb![i]!;
    czz -= n + 2 * p;
    cz += 2 * p * al - 2 * a2;
    cfz += 2 * p * be - 2 * b2;
    c1 += n * al * al + 2 * al * a2;
    cf += 2 * n * al * be + 2 * (be * a2 + al * b2);
    cff += n * be * be + 2 * be * b2;
    if (i + 1 < rk.length && same(i, i + 1) && rt![i + 1] === rt![i]) continue;
    const f = rf![i]!,
      zt = rz![i]!;
    const terms = [c1, cf * f, cff * f * f, cz * zt, cfz * f * zt, czz * zt * zt];
    const v = terms.reduce((x, y) => x + y, 0);
    const scale = terms.reduce((x, y) => x + Math.abs(y), 0);
    cur!.time.push(rt![i]!);
    cur!.variance.push(v <= CURVE_ZERO * scale ? 0 : v);
  }
  // the counts, from the rows of the first method (the same for every method)
  let tc: CompetingTimeCount | undefined;
  for (let i = 0; i < rk.length; i++) {
    if (rm[i] !== methoden[0]) continue;
    const key = curveKey(r.kenmerken[rk[i]!]!, rg[i]!, "");
    let list = counts.get(key);
    if (!list) counts.set(key, (list = []));
    if (list.at(-1)?.time !== rt![i]) list.push((tc = { time: rt![i]!, nEvents: [0, 0], nCensor: 0 }));
    const st = rs![i]!;
    if (st === 0) tc!.nCensor += n0![i]!;
    else tc!.nEvents[st - 1]! += n0![i]!;
  }
  return { counts, variance: out };
}
