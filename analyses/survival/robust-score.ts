import type { DuckDBConnection } from "@duckdb/node-api";
import { readAll, sql, type Sql } from "../../core/sql.ts";
import { pchisqUpper } from "./distributions.ts";
import { NULL_GROUP } from "./duckdb.ts";
import { quadFormGinv } from "./logrank.ts";
import { TOLER_CHOL } from "../lib/linalg.ts";
import { exactSum } from "../lib/sql.ts";

/**
 * Cluster-robust test of differences between groups: the robust score test of a Cox model with
 * the group as factor, at β = 0, equal to R
 *   summary(coxph(Surv(tijd, status) ~ factor(groep), cluster = id[, weights = gewicht],
 *                 ties = "efron" | "breslow"))$robscore
 * (R computes it from the score residuals at the initial β = 0, with the model's ties method;
 * R's default, and ours, is Efron). With Breslow ties the score vector at β = 0 is the log-rank
 * O − E per group, so that variant is the log-rank test with a person-level (sandwich)
 * variance; with day-level ties the two differ slightly. Endings of the same person are
 * correlated, so the ordinary log-rank variance is too small.
 *
 * Score residuals (R `coxscore2`, risk score 1): per event time with m event rows, weighted
 * events D (D_g in group g), at-risk weight Y (Y_g), Efron's m steps q = 0, 1/m, …, (m−1)/m
 * (Breslow: q = 0 throughout) have hazard (D/m)/(Y − qD) and group share
 * (Y_g − qD_g)/(Y − qD). With H1 = Σ hazard, M1_g = Σ hazard·share, H2 = Σ hazard(1 − q),
 * M2_g = Σ hazard(1 − q)·share, Ā_g = mean share, and CH1, CM1_g their sums over times ≤ t:
 *   censored row:  w [ −x_g CH1(t_i) + CM1_g(t_i) ]
 *   event row:     w [ x_g (1 − CH1(t_i) + H1(t_i) − H2(t_i)) − Ā_g(t_i) + CM1_g(t_i) − M1_g(t_i) + M2_g(t_i) ]
 * with x_g = [row in group g]. Per person s_kg = Σ rows (in DuckDB), U = Σ_k s_k,
 * V = Σ_k s_k s_k'; the statistic is U' V⁻ U over all groups but the first (R's reference
 * level, groups sorted by name), with R's generalised inverse (`coxph.wtest`: cholesky2 with
 * toler.chol = ε^0.75), df = the number of groups − 1.
 */

export interface RobustScoreTest {
  groups: string[];
  /** score U per group at β = 0 (Breslow: observed − expected events, weighted) */
  score: number[];
  /** robust variance matrix Σ_persons s s', groups × groups */
  variance: number[][];
  chisq: number | null;
  df: number;
  p: number | null;
  reden?: string;
}

/** The robust score test from rows (groep, id, tijd, status 0/1[, gewicht]). */
export async function robustScoreTest(
  conn: DuckDBConnection,
  src: Sql,
  opts: { weighted?: boolean; ties?: "efron" | "breslow" } = {},
): Promise<RobustScoreTest> {
  const ties = opts.ties ?? "efron";
  if (ties !== "efron" && ties !== "breslow") throw new Error(`robuuste toets: onbekende ties-methode ${String(ties)}`);
  const efron = ties === "efron";
  const q = await readAll(
    conn,
    sql`
    WITH r AS (
      SELECT coalesce(CAST(groep AS VARCHAR), ${NULL_GROUP}) AS g, CAST(id AS VARCHAR) AS id,
             tijd::DOUBLE AS t, status::INTEGER AS s,
             ${opts.weighted ? sql`gewicht::DOUBLE` : sql`1.0::DOUBLE`} AS w
      FROM (${src}) AS src),
    bad AS (SELECT count(*) AS n FROM r
            WHERE t IS NULL OR NOT isfinite(t) OR s IS NULL OR s NOT IN (0, 1) OR id IS NULL
               OR w IS NULL OR NOT isfinite(w) OR w < 0),
    gs AS (SELECT DISTINCT g FROM r),
    tc AS (SELECT t, ${exactSum(sql`w`)} AS wexit, coalesce(${exactSum(sql`CASE WHEN s = 1 THEN w END`)}, 0) AS d,
                  count(*) FILTER (WHERE s = 1) AS m
           FROM r GROUP BY t),
    t1 AS (SELECT t, d, m, sum(wexit) OVER (ORDER BY t DESC ROWS UNBOUNDED PRECEDING) AS y FROM tc),
    tg AS (SELECT g, t, ${exactSum(sql`w`)} AS wexit, coalesce(${exactSum(sql`CASE WHEN s = 1 THEN w END`)}, 0) AS dg FROM r GROUP BY g, t),
    g1 AS (SELECT gs.g, t1.t, t1.d, t1.m, t1.y, coalesce(tg.dg, 0) AS dg,
             sum(coalesce(tg.wexit, 0)) OVER (PARTITION BY gs.g ORDER BY t1.t DESC ROWS UNBOUNDED PRECEDING) AS yg
           FROM t1 CROSS JOIN gs LEFT JOIN tg ON tg.g = gs.g AND tg.t = t1.t),
    steps AS (SELECT g, t, d, m, y, yg, dg, unnest(range(m)) AS dd FROM g1 WHERE m > 0),
    st AS (SELECT g, t, q, (d / m) / (y - q * d) AS haz, (yg - q * dg) / (y - q * d) AS mean
           FROM (SELECT *, ${efron ? sql`dd::DOUBLE / m` : sql`0.0::DOUBLE`} AS q FROM steps)),
    ht AS (SELECT g, t, ${exactSum(sql`haz`)} AS h1, ${exactSum(sql`haz * mean`)} AS m1, ${exactSum(sql`haz * (1 - q)`)} AS h2,
                  ${exactSum(sql`haz * (1 - q) * mean`)} AS m2, ${exactSum(sql`mean`)} / count(*) AS am
           FROM st GROUP BY g, t),
    g3 AS (SELECT g1.g, g1.t, coalesce(ht.h1, 0) AS h1, coalesce(ht.m1, 0) AS m1, coalesce(ht.h2, 0) AS h2,
             coalesce(ht.m2, 0) AS m2, coalesce(ht.am, 0) AS am,
             sum(coalesce(ht.h1, 0)) OVER wg AS ch1, sum(coalesce(ht.m1, 0)) OVER wg AS cm1
           FROM g1 LEFT JOIN ht ON ht.g = g1.g AND ht.t = g1.t
           WINDOW wg AS (PARTITION BY g1.g ORDER BY g1.t ROWS UNBOUNDED PRECEDING)),
    res AS (SELECT r.id, g3.g AS col,
              ${exactSum(sql`r.w * CASE WHEN r.s = 1
                THEN (CASE WHEN r.g = g3.g THEN 1 ELSE 0 END) * (1 - g3.ch1 + g3.h1 - g3.h2) - g3.am + g3.cm1 - g3.m1 + g3.m2
                ELSE (CASE WHEN r.g = g3.g THEN 1 ELSE 0 END) * (-g3.ch1) + g3.cm1 END`)} AS sc
            FROM r JOIN g3 ON g3.t = r.t
            GROUP BY r.id, g3.g)
    SELECT a.col AS g1, b.col AS g2, ${exactSum(sql`a.sc * b.sc`)} AS v,
           ${exactSum(sql`CASE WHEN b.col = a.col THEN a.sc ELSE 0 END`)} AS u,
           (SELECT n FROM bad)::DOUBLE AS bad
    FROM res a JOIN res b ON a.id = b.id
    GROUP BY a.col, b.col
    ORDER BY a.col, b.col`,
  );
  const [g1, g2, v, u, bad] = q.getColumnsJS() as [string[], string[], number[], number[], number[]];
  if (bad.length && bad[0]! > 0) throw new Error(`robuuste toets: ${bad[0]} rijen met ongeldige tijd, status (0/1), id of gewicht`);
  const groups = [...new Set(g1)].sort();
  const G = groups.length;
  const idx = new Map(groups.map((g, i) => [g, i]));
  const variance = groups.map(() => new Array<number>(G).fill(0));
  const score = new Array<number>(G).fill(0);
  for (let i = 0; i < g1.length; i++) {
    const a = idx.get(g1[i]!)!;
    const b = idx.get(g2[i]!)!;
    variance[a]![b] = v[i]!;
    if (a === b) score[a] = u[i]!;
  }
  if (G < 2) return { groups, score, variance, chisq: null, df: 0, p: null, reden: "minder dan twee groepen" };
  const keep = groups.map((_, i) => i).slice(1);
  const { value, rank } = quadFormGinv(
    keep.map((i) => keep.map((j) => variance[i]![j]!)),
    keep.map((i) => score[i]!),
    TOLER_CHOL,
  );
  if (rank === 0) return { groups, score, variance, chisq: null, df: 0, p: null, reden: "variantie 0: geen toets mogelijk" };
  const df = G - 1;
  return { groups, score, variance, chisq: value, df, p: pchisqUpper(value, df) };
}
