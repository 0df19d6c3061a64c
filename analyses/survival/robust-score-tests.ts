import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, qualified, run, sql, type Sql } from "../../core/sql.ts";
import { TOLER_CHOL } from "../lib/linalg.ts";
import { exactSum } from "../lib/sql.ts";
import { pchisqUpper } from "./distributions.ts";
import { quadFormGinv } from "./logrank.ts";
import { curveKey, doubleColumns } from "./robust-curves.ts";
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
  await run(conn, sql`CREATE OR REPLACE TEMP TABLE ${ident(X_TABLE)} (t DOUBLE, e INTEGER, x DOUBLE)`);
  const app = await conn.createAppender(X_TABLE, "main", "temp");
  for (let i = 0; i < 2 * T; i++) {
    app.appendDouble(times[i >> 1]!);
    app.appendInteger(i & 1);
    app.appendDouble(X[i]!);
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
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

    return ks.map((kenmerk, k) => {
      const groups = groupsOf[k]!;
      const G = groups.length;
      if (G < 2) return { kenmerk, chisq: null, df: null, p: null };
      const gIdx = new Map(groups.map((g, i) => [g, i]));
      // per group: rows per a, and Y_g per a
      const ng = groups.map(() => new Float64Array(2 * T));
      groups.forEach((g, j) => {
        for (const c of counts.get(curveKey(kenmerk, g, ""))!) {
          const i = tIndex.get(c.time)!;
          ng[j]![2 * i] = c.nCensor + c.nEvents[1]!;
          ng[j]![2 * i + 1] = c.nEvents[0]!;
        }
      });
      const Y = groups.map(() => new Float64Array(2 * T));
      groups.forEach((_, j) => {
        let yg = 0;
        for (let i = 0; i < T; i++) yg += ng[j]![2 * i]! + ng[j]![2 * i + 1]!;
        let cm1 = 0;
        for (let i = 0; i < T; i++) {
          const m = n[2 * i + 1]!,
            y = atRisk[i]!,
            dg = ng[j]![2 * i + 1]!;
          let m1 = 0,
            m2 = 0,
            am = 0;
          for (let r = 0; r < m; r++) {
            const share = (yg - (r * dg) / m) / (y - r);
            m1 += share / (y - r);
            m2 += ((1 - r / m) * share) / (y - r);
            am += share;
          }
          if (m > 0) am /= m;
          cm1 += m1;
          Y[j]![2 * i] = cm1;
          Y[j]![2 * i + 1] = -am + cm1 - m1 + m2;
          yg -= ng[j]![2 * i]! + ng[j]![2 * i + 1]!;
        }
      });
      const V = groups.map(() => new Array<number>(G).fill(0));
      const U = new Array<number>(G).fill(0);
      // U, and the pairs of a row with itself
      for (let a = 0; a < 2 * T; a++) {
        for (let g = 0; g < G; g++) {
          U[g]! += ng[g]![a]! * X[a]! + n[a]! * Y[g]![a]!;
          V[g]![g]! += ng[g]![a]! * X[a]! * X[a]!;
          for (let h = 0; h < G; h++)
            V[g]![h]! += n[a]! * Y[g]![a]! * Y[h]![a]! + ng[g]![a]! * X[a]! * Y[h]![a]! + ng[h]![a]! * X[a]! * Y[g]![a]!;
        }
      }
      // V_yy over the pairs of two rows, in both orders: via W = Ω Y
      const W = groups.map(() => new Float64Array(2 * T));
      for (let p = 0; p < om.c.length; p++) {
        const a = om.a[p]!,
          b = om.b[p]!,
          c = om.c[p]!;
        for (let h = 0; h < G; h++) {
          W[h]![a]! += c * Y[h]![b]!;
          W[h]![b]! += c * Y[h]![a]!;
        }
      }
      for (let a = 0; a < 2 * T; a++) for (let g = 0; g < G; g++) for (let h = 0; h < G; h++) V[g]![h]! += Y[g]![a]! * W[h]![a]!;
      // V_ee and V_ey over the pairs of two rows (both orders)
      for (let i = 0; i < sk.length; i++) {
        if (sk[i] !== k) continue;
        const g = gIdx.get(rows.groep(k, sg[i]!))!;
        if (ss[i] === 0) {
          const h = gIdx.get(rows.groep(k, sh[i]!))!;
          V[g]![h]! += sv[i]!;
          V[h]![g]! += sv[i]!;
        } else {
          // soort 1: the first row's group and the second row's (time, status); 2: the other way round
          const a = aIdx(st[i]!, se[i]!);
          for (let h = 0; h < G; h++) {
            V[g]![h]! += sv[i]! * Y[h]![a]!;
            V[h]![g]! += sv[i]! * Y[h]![a]!;
          }
        }
      }
      const keep = groups.map((_, i) => i).slice(1);
      const { value, rank } = quadFormGinv(
        keep.map((i) => keep.map((j) => V[i]![j]!)),
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
