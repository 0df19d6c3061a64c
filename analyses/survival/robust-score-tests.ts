import type { DuckDBConnection } from "@duckdb/node-api";
import { doubleColumns, join, numericTempTable, qualified, run, sql, type Sql } from "../../core/sql.ts";
import { TOLER_CHOL } from "../lib/linalg.ts";
import { exactSum } from "../lib/sql.ts";
import { pchisqUpper } from "./distributions.ts";
import { quadFormGinv } from "./logrank.ts";
import { curveKey } from "./robust-curves.ts";
import { kenmerkColumn, type RobustRows } from "./robust-rows.ts";
import type { CompetingTimeCount } from "./types.ts";

/**
 * The cluster-robust score test of group differences (./robust-score.ts, R
 * `summary(coxph(Surv(tijd, status == 1) ~ factor(groep), cluster = id))$robscore`, Efron ties)
 * for every kenmerk of an analysis at once, unweighted. A competing event (status 2) is censored,
 * as in the Kaplan–Meier curves. robustScoreTest sums each person's score vector over all groups
 * and multiplies them out per person: persons × groups², 15 s for the 35 regions at scale 1.
 * Here the same variance comes from sums over times and pairs of rows instead.
 *
 * The score residual of row i for group g is x_ig X(a_i) + Y_g(a_i), a_i = (t_i, status_i),
 * x_ig = [row i in group g]; X does not depend on the groups (with unit weights the Efron step r
 * of a time with m events has hazard 1/(Y − r)):
 *   X(t, event) = 1 − CH1(t) + H1(t) − H2(t),   X(t, censored) = −CH1(t)
 *   Y_g(t, event) = −Ā_g(t) + CM1_g(t) − M1_g(t) + M2_g(t),   Y_g(t, censored) = CM1_g(t)
 * (robust-score.ts names them). A person's score is s = e + y with e_g = Σ_{rows in g} X and
 * y = Σ_rows Y, so V = Σ_persons s s' = Σ_{(i, j) rows of one person, i = j too} r_i r_j' splits
 * into
 *   V_ee[g][h] = Σ [g_i = g][g_j = h] X_i X_j,   V_ey[g][h] = Σ [g_i = g] X_i Y_h(a_j),
 *   V_yy = Σ_{a, b} Ω(a, b) Y(a) Y(b)'
 * with Ω(a, b) the number of ordered pairs of rows of one person at a and b, the same for every
 * kenmerk. DuckDB sums X over the pairs of rows per group and a (X back in a temp table) and
 * counts Ω; the small products over groups and times are done here. U = Σ_rows r, and the
 * statistic U' V⁻ U over all groups but the first by name (R's reference level), df = groups − 1.
 */

export interface ScoreTest {
  kenmerk: string;
  chisq: number | null;
  df: number | null;
  p: number | null;
}

const X_TABLE = "robuust_score_x";

/** Per kenmerk of `rows` (in its order): the robust score test; `counts` per curveKey(kenmerk, groep, "") as robustCurveVariance gives them. */
export async function robustScoreTests(
  conn: DuckDBConnection,
  rows: RobustRows,
  counts: ReadonlyMap<string, readonly CompetingTimeCount[]>,
): Promise<ScoreTest[]> {
  const ks = rows.kenmerken;
  const groupsOf = ks.map((k) =>
    [...counts.keys()]
      .filter((key) => key.startsWith(`${k}\u0000`))
      .map((key) => key.split("\u0000")[1]!)
      .sort(),
  );
  // pooled times (the groups of any kenmerk partition all rows): index a = 2·(time index) + event
  const pooled = new Map<number, { n0: number; n1: number }>();
  for (const g of groupsOf[0] ?? []) {
    for (const c of counts.get(curveKey(ks[0]!, g, ""))!) {
      const p = pooled.get(c.time) ?? { n0: 0, n1: 0 };
      p.n1 += c.nEvents[0]!;
      p.n0 += c.nCensor + c.nEvents[1]!;
      pooled.set(c.time, p);
    }
  }
  const times = [...pooled.keys()].sort((a, b) => a - b);
  const T = times.length;
  const tIndex = new Map(times.map((t, i) => [t, i]));
  const n = new Float64Array(2 * T);
  times.forEach((t, i) => {
    n[2 * i] = pooled.get(t)!.n0;
    n[2 * i + 1] = pooled.get(t)!.n1;
  });
  const atRisk = new Float64Array(T);
  for (let i = T - 1, y = 0; i >= 0; i--) atRisk[i] = y += n[2 * i]! + n[2 * i + 1]!;

  // X per a (pooled Efron steps)
  const X = new Float64Array(2 * T);
  {
    let ch1 = 0;
    for (let i = 0; i < T; i++) {
      const m = n[2 * i + 1]!,
        y = atRisk[i]!;
      let h1 = 0,
        h2 = 0;
      for (let r = 0; r < m; r++) {
        h1 += 1 / (y - r);
        h2 += (1 - r / m) / (y - r);
      }
      ch1 += h1;
      X[2 * i] = -ch1;
      X[2 * i + 1] = 1 - ch1 + h1 - h2;
    }
  }

  // X to DuckDB; per kenmerk the sums over the pairs of rows (pairs: the first not after the second)
  await numericTempTable(conn, X_TABLE, [
    { name: "t", type: "DOUBLE", values: Float64Array.from({ length: 2 * T }, (_, i) => times[i >> 1]!) },
    { name: "e", type: "INTEGER", values: Int32Array.from({ length: 2 * T }, (_, i) => i & 1) },
    { name: "x", type: "DOUBLE", values: X },
  ]);
  const xt = qualified("temp", X_TABLE);
  try {
    const px = sql`SELECT p.*, xi.x AS xi, xj.x AS xj, (p.si = 1)::INTEGER AS ei, (p.sj = 1)::INTEGER AS ej
                   FROM ${rows.pairs} p JOIN ${xt} xi ON xi.t = p.ti AND xi.e = (p.si = 1)::INTEGER
                                        JOIN ${xt} xj ON xj.t = p.tj AND xj.e = (p.sj = 1)::INTEGER`;
    // Ω over the pairs (both orders are added below); counts, exact in any order
    // (every result in a fixed order: the sums below add in the order of the rows)
    const omega = await doubleColumns(
      conn,
      sql`SELECT ti, ei::DOUBLE, tj, ej::DOUBLE, count(*)::DOUBLE FROM (${px}) GROUP BY ALL ORDER BY ALL`,
      5,
    );
    // per kenmerk: Σ X_i X_j per (group of i, group of j), and Σ X of one row per (its group, the other's a)
    const parts: Sql[] = [];
    ks.forEach((_, i) => {
      if (groupsOf[i]!.length < 2) return; // no test
      const gi = kenmerkColumn(i, "i"),
        gj = kenmerkColumn(i, "j");
      parts.push(
        sql`SELECT ${i} AS k, 0 AS soort, ${gi} AS g, ${gj} AS h, NULL::DOUBLE AS t, NULL::INTEGER AS e, ${exactSum(sql`xi * xj`)} AS v FROM px GROUP BY ALL`,
        sql`SELECT ${i}, 1, ${gi}, NULL, tj, ej, ${exactSum(sql`xi`)} FROM px GROUP BY ALL`,
        sql`SELECT ${i}, 2, ${gj}, NULL, ti, ei, ${exactSum(sql`xj`)} FROM px GROUP BY ALL`,
      );
    });
    if (parts.length === 0) return ks.map((kenmerk) => ({ kenmerk, chisq: null, df: null, p: null }));
    const sums = await doubleColumns(
      conn,
      sql`WITH px AS MATERIALIZED (${px})
          SELECT k::DOUBLE, soort::DOUBLE, g::DOUBLE, h::DOUBLE, t, e::DOUBLE, v FROM (${join(parts, sql` UNION ALL `)}) ORDER BY 1, 2, 3, 4, 5, 6`,
      7,
    );

    const [ot, oe, ot2, oe2, oc] = omega as Float64Array[];
    const aIdx = (t: number, e: number) => 2 * tIndex.get(t)! + e;
    const om = { a: ot!.map((t, i) => aIdx(t, oe![i]!)), b: ot2!.map((t, i) => aIdx(t, oe2![i]!)), c: oc! };
    const [sk, ss, sg, sh, st, se, sv] = sums as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];

    // per pooled time: the Efron sums that Y_g needs, so that a group costs O(1) per time:
    // with share_r = (y_g − r d_g/m)/(Y − r), M1 = Σ_r share_r/(Y − r), M2 = Σ_r (1 − r/m) share_r/(Y − r)
    // and Ā = (1/m) Σ_r share_r are y_g and d_g/m times Σ_r of 1/(Y − r)², r/(Y − r)², (1 − r/m)/(Y − r)²,
    // r(1 − r/m)/(Y − r)², 1/(Y − r) and r/(Y − r)
    const efron = new Float64Array(6 * T);
    for (let i = 0; i < T; i++) {
      const m = n[2 * i + 1]!,
        y = atRisk[i]!;
      let q0 = 0,
        q1 = 0,
        q2 = 0,
        q3 = 0,
        h0 = 0,
        h1 = 0;
      for (let r = 0; r < m; r++) {
        const inv = 1 / (y - r),
          f = 1 - r / m;
        q0 += inv * inv;
        q1 += r * inv * inv;
        q2 += f * inv * inv;
        q3 += r * f * inv * inv;
        h0 += inv;
        h1 += r * inv;
      }
      efron.set([q0, q1, q2, q3, h0, h1], 6 * i);
    }
    const A = 2 * T;

    return ks.map((kenmerk, k) => {
      const groups = groupsOf[k]!;
      const G = groups.length;
      if (G < 2) return { kenmerk, chisq: null, df: null, p: null };
      const gIdx = new Map(groups.map((g, i) => [g, i]));
      // per a (row-major, a group per column): the group's rows at a, and Y_g(a)
      const ng = new Float64Array(A * G);
      groups.forEach((g, j) => {
        for (const c of counts.get(curveKey(kenmerk, g, ""))!) {
          const i = tIndex.get(c.time)!;
          ng[2 * i * G + j] = c.nCensor + c.nEvents[1]!;
          ng[(2 * i + 1) * G + j] = c.nEvents[0]!;
        }
      });
      const Y = new Float64Array(A * G);
      for (let j = 0; j < G; j++) {
        let yg = 0;
        for (let a = 0; a < A; a++) yg += ng[a * G + j]!;
        let cm1 = 0;
        for (let i = 0; i < T; i++) {
          const m = n[2 * i + 1]!,
            dm = m > 0 ? ng[(2 * i + 1) * G + j]! / m : 0,
            e = 6 * i;
          const m1 = yg * efron[e]! - dm * efron[e + 1]!;
          const m2 = yg * efron[e + 2]! - dm * efron[e + 3]!;
          const am = m > 0 ? (yg * efron[e + 4]! - dm * efron[e + 5]!) / m : 0;
          cm1 += m1;
          Y[2 * i * G + j] = cm1;
          Y[(2 * i + 1) * G + j] = -am + cm1 - m1 + m2;
          yg -= ng[2 * i * G + j]! + ng[(2 * i + 1) * G + j]!;
        }
      }
      // W = Ω Y over the pairs of two rows, in both orders
      const W = new Float64Array(A * G);
      for (let q = 0; q < om.c.length; q++) {
        const a = om.a[q]! * G,
          b = om.b[q]! * G,
          c = om.c[q]!;
        for (let h = 0; h < G; h++) {
          W[a + h]! += c * Y[b + h]!;
          W[b + h]! += c * Y[a + h]!;
        }
      }
      // U; the pairs of a row with itself; V_yy over the pairs of two rows (Y W'): per a
      //   V_gh += Y_g (n Y_h + W_h + ng_h X) + ng_g X Y_h,   V_gg += ng_g X²
      const V = new Float64Array(G * G);
      const U = new Float64Array(G);
      const z = new Float64Array(G);
      for (let a = 0; a < A; a++) {
        const o = a * G,
          xa = X[a]!,
          na = n[a]!;
        for (let h = 0; h < G; h++) z[h] = na * Y[o + h]! + W[o + h]! + ng[o + h]! * xa;
        for (let g = 0; g < G; g++) {
          const y = Y[o + g]!,
            e = ng[o + g]! * xa;
          U[g]! += e + na * y;
          V[g * G + g]! += e * xa;
          for (let h = 0; h < G; h++) V[g * G + h]! += y * z[h]! + e * Y[o + h]!;
        }
      }
      // V_ee and V_ey over the pairs of two rows (both orders); a group's code to its index once
      const byCode = new Map<number, number>();
      const index = (code: number): number => {
        let i = byCode.get(code);
        if (i === undefined) byCode.set(code, (i = gIdx.get(rows.groep(k, code))!));
        return i;
      };
      for (let i = 0; i < sk.length; i++) {
        if (sk[i] !== k) continue;
        const g = index(sg[i]!);
        if (ss[i] === 0) {
          const h = index(sh[i]!);
          V[g * G + h]! += sv[i]!;
          V[h * G + g]! += sv[i]!;
        } else {
          // soort 1: the first row's group and the second row's (time, status); 2: the other way round
          const o = aIdx(st[i]!, se[i]!) * G;
          for (let h = 0; h < G; h++) {
            V[g * G + h]! += sv[i]! * Y[o + h]!;
            V[h * G + g]! += sv[i]! * Y[o + h]!;
          }
        }
      }
      const keep = groups.map((_, i) => i).slice(1);
      const { value, rank } = quadFormGinv(
        keep.map((i) => keep.map((j) => V[i * G + j]!)),
        keep.map((i) => U[i]!),
        TOLER_CHOL,
      );
      if (rank === 0) return { kenmerk, chisq: null, df: null, p: null };
      const df = G - 1;
      return { kenmerk, chisq: value, df, p: pchisqUpper(value, df) };
    });
  } finally {
    await run(conn, sql`DROP TABLE IF EXISTS ${xt}`);
  }
}
