import type { DuckDBConnection } from "@duckdb/node-api";
import { doubleColumns, join, numericTempTable, qualified, run, sql } from "../../core/sql.ts";
import { exactSum } from "../lib/sql.ts";
import { kenmerkColumn, type RobustRows } from "./robust-rows.ts";
import type { CompetingTimeCount } from "./types.ts";

/**
 * The person-level (infinitesimal-jackknife) variance of many unweighted Kaplan–Meier and
 * Aalen–Johansen curves at every distinct time, for all breakdowns of an analysis at once: R
 * `survfit(Surv(tijd, status) ~ groep, id = persoon, robust = TRUE)$std.err` (KM, squared, on
 * the scale of S), and for Aalen–Johansen R's multi-state influences summed per person.
 *
 * The rows come from ./robust-rows.ts (status 0 censored, 1 event of interest, 2 competing); one
 * curve per (kenmerk, groep, methode): `km` censors a competing event (the report), `aj` keeps it
 * as a competing cause. Only the curve of cause 1 is computed.
 *
 * The arithmetic is that of ./influence-duckdb.ts (its header): the influence of row i on F(τ)
 * is a_i + b_i (F(τ) − F(t_i)) for t_i ≤ τ and Z(τ) after, where a_i and b_i depend only on the
 * row's group, time and status. Write α = a − b F(t_i), β = b. A person's influence is the sum
 * over their rows, and var F(τ) = Σ_persons (Σ_rows IF)² = Σ_rows IF² + 2 Σ_{pairs of rows of a
 * person} IF_i IF_j. For a pair i before j (by time, then status) the product is
 *   τ < t_i: Z²,   t_i ≤ τ < t_j: (α_i + β_i F) Z,   τ ≥ t_j: (α_i + β_i F)(α_j + β_j F)
 * and a row with itself Z² before and (α + β F)² from its time on. So
 *   var F(τ) = C1 + CF·F + CFF·F² + CZ·Z + CFZ·F·Z + CZZ·Z²
 * with six coefficients that change only at the rows' times: a pair adds a fixed change at t_i
 * and at t_j. What DuckDB sums over the rows and pairs:
 *  - the rows per (kenmerk, groep, time, status): the curves' counts;
 *  - the pairs starting per (kenmerk, groep, t_i, status_i): a count;
 *  - per (kenmerk, groep, methode, t_j, status_j) Σ α_i and Σ β_i over the pairs ending there, as
 *    exact fixed-point sums (`exactSum`: the same sum in any order).
 * The per-time table of every curve (at risk, S, F, α, β, Z) is computed here from the counts
 * (small: curves × distinct times) and handed to DuckDB as a temp table for the pair sums, and
 * the coefficients are run up over time here, in a fixed order. DuckDB's window functions, even
 * over the small per-time tables, cost several times as much.
 *
 * Rounding: the combination loses digits where its six terms cancel; a variance below
 * CURVE_ZERO × the sum of the terms' sizes is 0 (it is 0: a group of one person, where every
 * influence vanishes). Written here rather than taken from a library: no npm package computes
 * clustered survival variances, let alone from sums in SQL.
 */

export type CurveMethode = "km" | "aj";

export interface CurveVariance {
  /** the curve's distinct times (every time with a row in the group), ascending */
  time: number[];
  /** the person-level variance of the cumulative incidence (KM: of S, the same) at each time */
  variance: number[];
}

/** The counts and variances of `robustCurveVariance`. */
export interface RobustCurves {
  /** per `curveKey(kenmerk, groep, "")`: the rows per distinct time (nEvents: status 1, status 2), ascending */
  counts: Map<string, CompetingTimeCount[]>;
  /** per `curveKey(kenmerk, groep, methode)` */
  variance: Map<string, CurveVariance>;
}

/** Relative size below which a curve variance is rounding noise of its terms. */
const CURVE_ZERO = 1e-12;

/** Key of a curve in the result of `robustCurveVariance`. */
export const curveKey = (kenmerk: string, groep: string, methode: string): string => `${kenmerk}\u0000${groep}\u0000${methode}`;

const AV_TABLE = "robuust_alfa_beta";

/** One curve's rows per (time, status) in time order, and per row its α, β and its time's F and Z. */
interface Curve {
  k: number;
  g: number;
  m: number;
  /** per (time, status) row */
  t: number[];
  s: number[];
  n: number[];
  alpha: number[];
  beta: number[];
  f: number[];
  z: number[];
}

/** The per-time table of one curve (file header; ./influence-duckdb.ts `perRowTerms` in SQL). */
function perTime(t: readonly number[], s: readonly number[], n: readonly number[], aj: boolean): Pick<Curve, "alpha" | "beta" | "f" | "z"> {
  const R = t.length;
  const out = { alpha: new Array<number>(R), beta: new Array<number>(R), f: new Array<number>(R), z: new Array<number>(R) };
  let y = 0;
  for (const x of n) y += x;
  let surv = 1,
    a = 0,
    f = 0,
    b = 0,
    gg = 0;
  for (let lo = 0; lo < R; ) {
    let hi = lo;
    let wexit = 0,
      d = 0,
      d1 = 0;
    for (; hi < R && t[hi] === t[lo]; hi++) {
      wexit += n[hi]!;
      if (s[hi] === 1) d1 += n[hi]!;
      if (s[hi] === 1 || (aj && s[hi] === 2)) d += n[hi]!;
    }
    const survM = surv,
      aM = a;
    if (d > 0) {
      surv *= 1 - d / y;
      if (y > d) a += d / (y * (y - d));
    }
    const hc = d1 > 0 ? d1 / y : 0;
    f += survM * hc;
    b += (survM * hc) / y;
    gg += survM * hc * aM;
    for (let i = lo; i < hi; i++) {
      const event = s[i] === 1 || (aj && s[i] === 2);
      const beta = y > d ? a - (event ? 1 : 0) / (y - d) : 0;
      const ai = (s[i] === 1 ? survM / y : 0) - b + gg;
      out.beta[i] = beta;
      out.alpha[i] = ai - beta * f;
      out.f[i] = f;
      out.z[i] = gg - b;
    }
    y -= wexit;
    lo = hi;
  }
  return out;
}

/**
 * The counts and the variance of every curve along its distinct times (see the file header).
 */
export async function robustCurveVariance(conn: DuckDBConnection, r: RobustRows, methoden: readonly CurveMethode[]): Promise<RobustCurves> {
  for (const m of methoden) if (m !== "km" && m !== "aj") throw new Error(`robuuste variantie: onbekende methode ${String(m)}`);
  const variance = new Map<string, CurveVariance>();
  const counts = new Map<string, CompetingTimeCount[]>();
  if (methoden.length === 0 || r.kenmerken.length === 0) return { counts, variance };
  const col = kenmerkColumn;
  const ks = r.kenmerken.map((_, i) => i);

  // 1. the rows per (kenmerk, groep, time, status)
  const [ck, cg, ct, cs, cn] = (await doubleColumns(
    conn,
    sql`SELECT k::DOUBLE, g::DOUBLE, t, s::DOUBLE, n FROM (${join(
      ks.map((i) => sql`SELECT ${i} AS k, ${col(i)} AS g, t, s, count(*)::DOUBLE AS n FROM ${r.rows} GROUP BY ALL`),
      sql` UNION ALL `,
    )}) ORDER BY k, g, t, s`,
    5,
  )) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const curves: Curve[] = [];
  for (let lo = 0; lo < ck.length; ) {
    let hi = lo;
    while (hi < ck.length && ck[hi] === ck[lo] && cg[hi] === cg[lo]) hi++;
    const t = Array.from(ct.subarray(lo, hi)),
      s = Array.from(cs.subarray(lo, hi)),
      n = Array.from(cn.subarray(lo, hi));
    const list: CompetingTimeCount[] = [];
    for (let i = 0; i < t.length; i++) {
      if (list.at(-1)?.time !== t[i]) list.push({ time: t[i]!, nEvents: [0, 0], nCensor: 0 });
      const c = list.at(-1)!;
      if (s[i] === 0) c.nCensor += n[i]!;
      else c.nEvents[s[i]! - 1]! += n[i]!;
    }
    counts.set(curveKey(r.kenmerken[ck[lo]!]!, r.groep(ck[lo]!, cg[lo]!), ""), list);
    methoden.forEach((m, mi) => curves.push({ k: ck[lo]!, g: cg[lo]!, m: mi, t, s, n, ...perTime(t, s, n, m === "aj") }));
    lo = hi;
  }

  // 2. α and β to DuckDB; the pairs starting and ending per (time, status)
  const nav = curves.reduce((a, c) => a + c.t.length, 0);
  const avCols = {
    k: new Int32Array(nav),
    g: new Float64Array(nav),
    m: new Int32Array(nav),
    t: new Float64Array(nav),
    s: new Int32Array(nav),
  };
  const alpha = new Float64Array(nav),
    beta = new Float64Array(nav);
  let o = 0;
  for (const c of curves)
    for (let i = 0; i < c.t.length; i++, o++) {
      avCols.k[o] = c.k;
      avCols.g[o] = c.g;
      avCols.m[o] = c.m;
      avCols.t[o] = c.t[i]!;
      avCols.s[o] = c.s[i]!;
      alpha[o] = c.alpha[i]!;
      beta[o] = c.beta[i]!;
    }
  await numericTempTable(conn, AV_TABLE, [
    { name: "k", type: "INTEGER", values: avCols.k },
    { name: "g", type: "BIGINT", values: avCols.g },
    { name: "m", type: "INTEGER", values: avCols.m },
    { name: "t", type: "DOUBLE", values: avCols.t },
    { name: "s", type: "INTEGER", values: avCols.s },
    { name: "alpha", type: "DOUBLE", values: alpha },
    { name: "beta", type: "DOUBLE", values: beta },
  ]);
  const av = qualified("temp", AV_TABLE);
  let starts: Float64Array[], ends: Float64Array[];
  try {
    starts = await doubleColumns(
      conn,
      sql`SELECT k::DOUBLE, g::DOUBLE, t, s::DOUBLE, n FROM (${join(
        ks.map(
          (i) =>
            sql`SELECT ${i} AS k, ${col(i, "i")} AS g, ti AS t, si AS s, count(*)::DOUBLE AS n FROM ${r.pairs} WHERE ${col(i, "i")} = ${col(i, "j")} GROUP BY ALL`,
        ),
        sql` UNION ALL `,
      )}) ORDER BY k, g, t, s`,
      5,
    );
    ends = await doubleColumns(
      conn,
      sql`SELECT k::DOUBLE, g::DOUBLE, m::DOUBLE, t, s::DOUBLE, sa, sb FROM (${join(
        ks.map(
          (i) => sql`SELECT ${i} AS k, av.g, av.m, p.tj AS t, p.sj AS s, ${exactSum(sql`av.alpha`)} AS sa, ${exactSum(sql`av.beta`)} AS sb
            FROM ${r.pairs} p JOIN ${av} av ON av.k = ${i} AND av.g = p.${col(i, "i")} AND av.t = p.ti AND av.s = p.si
            WHERE p.${col(i, "i")} = p.${col(i, "j")} GROUP BY ALL`,
        ),
        sql` UNION ALL `,
      )}) ORDER BY k, g, m, t, s`,
      7,
    );
  } finally {
    await run(conn, sql`DROP TABLE IF EXISTS ${av}`);
  }
  // the sums come in the order of the curves' rows ((kenmerk, groep[, methode]), time, status):
  // read them alongside, by a cursor each
  const [sk, sg, st, ss, sn] = starts as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const [ek, eg, em, et, es, ea, eb] = ends as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  // −1, 0, 1: is (k, g, m, t, s) of a sum row before, at or after that of the curve's row i
  const cmp = (k: number, g: number, m: number, t: number, s: number, c: Curve, i: number, withM: boolean): number =>
    k - c.k || g - c.g || (withM ? m - c.m : 0) || t - c.t[i]! || s - c.s[i]!;
  let sp = 0,
    ep = 0;

  // 3. per curve, in time order: the coefficients' changes run up, combined with F and Z at each
  // time. A row with itself: Z² before its time, (α + β F)² from it on; a pair counts twice.
  let p1: number[] = [];
  for (const [ci, c] of curves.entries()) {
    const out: CurveVariance = { time: [], variance: [] };
    variance.set(curveKey(r.kenmerken[c.k]!, r.groep(c.k, c.g), methoden[c.m]!), out);
    if (ci === 0 || c.k !== curves[ci - 1]!.k || c.g !== curves[ci - 1]!.g) {
      // the pairs starting at each row (the same for every methode)
      p1 = c.t.map((_, i) => {
        while (sp < sk.length && cmp(sk[sp]!, sg[sp]!, 0, st[sp]!, ss[sp]!, c, i, false) < 0) sp++;
        return sp < sk.length && cmp(sk[sp]!, sg[sp]!, 0, st[sp]!, ss[sp]!, c, i, false) === 0 ? sn[sp]! : 0;
      });
    }
    // before the first time every row is after τ: Σ_persons (number of rows)²
    let czz = 0;
    for (let i = 0; i < c.t.length; i++) czz += c.n[i]! + 2 * p1[i]!;
    let cz = 0,
      cfz = 0,
      c1 = 0,
      cf = 0,
      cff = 0;
    for (let i = 0; i < c.t.length; i++) {
      const al = c.alpha[i]!,
        be = c.beta[i]!,
        n = c.n[i]!,
        p = p1[i]!;
      while (ep < ek.length && cmp(ek[ep]!, eg[ep]!, em[ep]!, et[ep]!, es[ep]!, c, i, true) < 0) ep++;
      const at = ep < ek.length && cmp(ek[ep]!, eg[ep]!, em[ep]!, et[ep]!, es[ep]!, c, i, true) === 0;
      const a2 = at ? ea[ep]! : 0,
        b2 = at ? eb[ep]! : 0;
      czz -= n + 2 * p;
      cz += 2 * p * al - 2 * a2;
      cfz += 2 * p * be - 2 * b2;
      c1 += n * al * al + 2 * al * a2;
      cf += 2 * n * al * be + 2 * (be * a2 + al * b2);
      cff += n * be * be + 2 * be * b2;
      if (c.t[i + 1] === c.t[i]) continue;
      const f = c.f[i]!,
        z = c.z[i]!;
      const terms = [c1, cf * f, cff * f * f, cz * z, cfz * f * z, czz * z * z];
      const v = terms.reduce((x, y) => x + y, 0);
      const scale = terms.reduce((x, y) => x + Math.abs(y), 0);
      out.time.push(c.t[i]!);
      out.variance.push(v <= CURVE_ZERO * scale ? 0 : v);
    }
  }
  return { counts, variance };
}
