import type { DuckDBConnection } from "@duckdb/node-api";
import { readAll, sql, type Sql } from "../../core/sql.ts";
import { pchisqUpper } from "./distributions.ts";
import { NULL_GROUP } from "./duckdb.ts";
import { quadFormGinv } from "./logrank.ts";

/**
 * Cluster-robust test of differences between groups: the robust score test of a Cox model with
 * the group as factor, at β = 0, equal to R
 *   summary(coxph(Surv(tijd, status) ~ factor(groep), cluster = id, ties = "breslow"
 *                 [, weights = gewicht]))$robscore
 * At β = 0 with Breslow ties the score vector is the log-rank O − E per group, so this is the
 * log-rank test with a person-level (sandwich) variance: with endings of the same person
 * correlated, the ordinary log-rank variance is too small.
 *
 * Score residual of row i for group column g (weights w, pooled at-risk weight Y(t), of group
 * g Y_g(t), events d(t), hazard h = d/Y, p_g = Y_g/Y):
 *   L_ig = w_i [ [g_i = g] (δ_i − H(t_i)) − δ_i p_g(t_i) + Σ_{t_j ≤ t_i} p_g(t_j) h_j ],  H = Σ h.
 * Per person s_kg = Σ_{i ∈ k} L_ig (in DuckDB), U = Σ_k s_k, V = Σ_k s_k s_k'; the statistic
 * is U' V⁻ U over all groups but the first (R's reference level, groups sorted by name), with
 * R's generalised inverse (`coxph.wtest`, cholesky2 with toler.chol = ε^0.75), df = the number
 * of groups − 1.
 *
 * Deliberate difference: R's `coxph` default is `ties = "efron"`, whose score at β = 0 differs
 * from O − E where events tie; the Breslow form is the robust log-rank test and is what the
 * goldens compare with (scripts/r/make-golden-robust.R).
 */

export interface RobustScoreTest {
  groups: string[];
  /** score U per group at β = 0 (= observed − expected events, weighted) */
  score: number[];
  /** robust variance matrix Σ_persons s s', groups × groups */
  variance: number[][];
  chisq: number | null;
  df: number;
  p: number | null;
  reden?: string;
}

const TOLER_CHOL = 2.220446049250313e-16 ** 0.75;

/** The robust score test from rows (groep, id, tijd, status 0/1[, gewicht]). */
export async function robustScoreTest(conn: DuckDBConnection, src: Sql, opts: { weighted?: boolean } = {}): Promise<RobustScoreTest> {
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
    tc AS (SELECT t, sum(w) AS wexit, coalesce(sum(w) FILTER (WHERE s = 1), 0) AS d FROM r GROUP BY t),
    t1 AS (SELECT t, d, sum(wexit) OVER (ORDER BY t DESC ROWS UNBOUNDED PRECEDING) AS y FROM tc),
    tg AS (SELECT g, t, sum(w) AS wexit FROM r GROUP BY g, t),
    g1 AS (SELECT gs.g, t1.t, t1.d, t1.y,
             sum(coalesce(tg.wexit, 0)) OVER (PARTITION BY gs.g ORDER BY t1.t DESC ROWS UNBOUNDED PRECEDING) AS yg
           FROM t1 CROSS JOIN gs LEFT JOIN tg ON tg.g = gs.g AND tg.t = t1.t),
    g2 AS (SELECT g, t,
             CASE WHEN y > 0 THEN yg / y ELSE 0 END AS p,
             CASE WHEN d > 0 THEN d / y ELSE 0 END AS h
           FROM g1),
    g3 AS (SELECT g, t, p, sum(h) OVER wg AS hh, sum(p * h) OVER wg AS ph
           FROM g2 WINDOW wg AS (PARTITION BY g ORDER BY t ROWS UNBOUNDED PRECEDING)),
    res AS (SELECT r.id, g3.g AS col,
              sum(r.w * ((CASE WHEN r.g = g3.g THEN 1 ELSE 0 END) * ((CASE WHEN r.s = 1 THEN 1 ELSE 0 END) - g3.hh)
                         - (CASE WHEN r.s = 1 THEN g3.p ELSE 0 END) + g3.ph)) AS sc
            FROM r JOIN g3 ON g3.t = r.t
            GROUP BY r.id, g3.g)
    SELECT a.col AS g1, b.col AS g2, sum(a.sc * b.sc)::DOUBLE AS v,
           sum(CASE WHEN b.col = a.col THEN a.sc ELSE 0 END)::DOUBLE AS u,
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
