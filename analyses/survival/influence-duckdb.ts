import type { DuckDBConnection } from "@duckdb/node-api";
import { readAll, sql, type Sql } from "../../core/sql.ts";
import { NULL_GROUP } from "./duckdb.ts";
import { exactSum } from "../lib/sql.ts";
import type { CompetingTimeCount } from "./types.ts";

/**
 * Person-level (cluster-robust) influence sums for Kaplan–Meier and Aalen–Johansen curves,
 * computed in DuckDB. `src` returns (groep, id, tijd, status[, gewicht]): one row per ending,
 * `id` the person (the cluster), status 0 = censored, 1..nCauses = event (cause), gewicht an
 * optional case weight (R `weights =`). Only per-time and per-(time, group pair) aggregates
 * reach JS.
 *
 * Infinitesimal jackknife (R survival 3.x `survfitkm.c` / multi-state `survfitaj`): the
 * influence of a row on an estimate is w_i × ∂estimate/∂w_i; a person's influence is the sum
 * over their rows, and var = Σ_persons (influence)². For a curve with at-risk weight Y_j,
 * weighted events d_j (d_cj of cause c) at the distinct times t_j (per group):
 *   S_j = Π (1 − d_l/Y_l),  A_j = Σ d_l/(Y_l(Y_l − d_l)),  F_cj = Σ S_{l−1} d_cl/Y_l,
 *   B_cj = Σ S_{l−1} d_cl/Y_l²,  G_cj = Σ S_{l−1} (d_cl/Y_l) A_{l−1},  Z_c = G_c − B_c.
 * The influence of row i (time t_i, status s_i, weight w_i) on F_c(τ) is
 *   t_i ≤ τ:  w_i [ a_ic + b_i (F_c(τ) − F_c(t_i)) ]      t_i > τ:  w_i Z_c(τ)
 *   a_ic = [s_i = c] S(t_i−)/Y(t_i) − B_c(t_i) + G_c(t_i),   b_i = A(t_i) − [s_i > 0]/(Y(t_i) − d(t_i))
 * (b_i = 0 where Y = d: the curve ends there). A Kaplan–Meier curve is the case of one cause,
 * F = 1 − S, so the influence on S is minus this. The influence on ∫_0^τ F_c (for the
 * restricted mean, RMST = τ − ∫_0^τ F) integrates the same expression over u in [0, τ], with
 * the per-time cumulative integrals MF_c = ∫F_c and MZ_c = ∫Z_c:
 *   t_i < τ:  w_i [ a_ic (τ − t_i) + b_i (MF_c(τ) − MF_c(t_i) − F_c(t_i)(τ − t_i)) + MZ_c(t_i) ]
 *   t_i ≥ τ:  w_i MZ_c(τ)
 * So each row only needs the per-time table joined on its own time and on τ (as-of): no
 * per-row loop anywhere. At the reading points (with cross-group covariances, since a person
 * can have endings in several groups) this costs rows × reading times × causes inside DuckDB;
 * the variance along the whole curve (`curve`) uses running per-person sums instead
 * (`curveSql`), O(rows × causes), about as fast as the reading points.
 *
 * Deliberate limits: right-censored data (no late entry); integrals start at 0 (times must be
 * ≥ 0 for the restricted mean; R starts at min(0, times)); times exact (no `timefix`).
 */

export interface InfluenceOptions {
  /** status 0 = censored, 1..nCauses = cause; default 1 (Kaplan–Meier) */
  nCauses?: number;
  /** read the column `gewicht` as case weight (default false: every row weight 1) */
  weighted?: boolean;
  /** reading points shared by all groups: variances and cross-group covariances there */
  times?: readonly number[];
  /** also the variance at every distinct time of each group (R's `std.err` column); default false */
  curve?: boolean;
}

/** Robust (co)variances per cause at one evaluation time: groups × groups, in `groups` order. */
export interface CovarianceAt {
  time: number;
  /** covariance of the cumulative incidences F_c(τ) of two groups (diagonal: variance) */
  cumInc: number[][];
  /** covariance of ∫_0^τ F_c (for the restricted mean: RMST = τ − ∫F, same covariance) */
  area: number[][];
}

export interface GroupInfluence {
  /** weighted counts per distinct time, for kaplanMeier / aalenJohansen (nEvents per cause) */
  counts: CompetingTimeCount[];
  /** number of rows (endings) and of distinct ids (persons) */
  nRows: number;
  nIds: number;
  /** robust variance of F_c at every distinct time (only with `curve`): variance[c][i] at counts[i].time */
  curveVariance?: number[][];
}

export interface InfluenceResult {
  nCauses: number;
  /** groups sorted by name (NULL groep as NULL_GROUP) */
  groups: string[];
  perGroup: Map<string, GroupInfluence>;
  /** per cause, per reading time (sorted, distinct) */
  readings: CovarianceAt[][];
}

function srcRows(src: Sql, weighted: boolean): Sql {
  return sql`
    SELECT coalesce(CAST(groep AS VARCHAR), ${NULL_GROUP}) AS g,
           -- the person as a number (grouping by it is cheaper than by text); a NULL id is refused in checkRows
           dense_rank() OVER (ORDER BY CAST(id AS VARCHAR)) AS id,
           id IS NULL AS id_null,
           tijd::DOUBLE AS t,
           status::INTEGER AS s,
           ${weighted ? sql`gewicht::DOUBLE` : sql`1.0::DOUBLE`} AS w
    FROM (${src}) AS src`;
}

async function checkRows(conn: DuckDBConnection, rows: Sql, nCauses: number): Promise<void> {
  const r = await readAll(
    conn,
    sql`SELECT count(*) FILTER (WHERE t IS NULL OR NOT isfinite(t))::DOUBLE,
               count(*) FILTER (WHERE s IS NULL OR s < 0 OR s > ${nCauses})::DOUBLE,
               count(*) FILTER (WHERE w IS NULL OR NOT isfinite(w) OR w < 0)::DOUBLE,
               count(*) FILTER (WHERE id_null)::DOUBLE
        FROM (${rows})`,
  );
  const [badT, badS, badW, badId] = (r.getRowsJS()[0] ?? [0, 0, 0, 0]) as number[];
  if (badT) throw new Error(`survival: ${badT} rijen zonder geldige tijd (NULL of niet eindig)`);
  if (badS) throw new Error(`survival: ${badS} rijen met status NULL of buiten 0..${nCauses}`);
  if (badW) throw new Error(`survival: ${badW} rijen met een gewicht dat NULL, niet eindig of negatief is`);
  if (badId) throw new Error(`survival: ${badId} rijen zonder id`);
}

/**
 * Per group: weighted counts per distinct time, and the person-level robust (co)variances of
 * the cumulative incidence and of its integral at the reading times (and optionally along the
 * whole curve). See the file header for the arithmetic.
 */
export async function survivalInfluence(conn: DuckDBConnection, src: Sql, opts: InfluenceOptions = {}): Promise<InfluenceResult> {
  const k = opts.nCauses ?? 1;
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`survivalInfluence: nCauses moet een geheel getal >= 1 zijn, niet ${k}`);
  const times = [...new Set(opts.times ?? [])].sort((a, b) => a - b);
  for (const t of times) if (!Number.isFinite(t)) throw new Error(`survivalInfluence: tijd moet een eindig getal zijn, niet ${t}`);
  const curve = opts.curve ?? false;
  const rows = srcRows(src, opts.weighted ?? false);
  await checkRows(conn, rows, k);
  const causes = Array.from({ length: k }, (_, i) => i + 1);

  // 1. weighted counts per (group, time, status) and group sizes
  const cr = await readAll(
    conn,
    sql`
    WITH r AS (${rows})
    SELECT g, t, s, ${exactSum(sql`w`)} AS w
    FROM r GROUP BY g, t, s ORDER BY g, t, s`,
  );
  const [cg, ct, cs, cw] = cr.getColumnsJS() as [string[], number[], number[], number[]];
  const sizes = await readAll(conn, sql`SELECT g, count(*)::DOUBLE, count(DISTINCT id)::DOUBLE FROM (${rows}) GROUP BY g ORDER BY g`);
  const perGroup = new Map<string, GroupInfluence>();
  for (const [g, n, nId] of sizes.getRowsJS() as [string, number, number][]) perGroup.set(g, { counts: [], nRows: n, nIds: nId });
  for (let i = 0; i < cg.length; i++) {
    const counts = perGroup.get(cg[i]!)!.counts;
    let last = counts[counts.length - 1];
    if (!last || last.time !== ct[i]) {
      last = { time: ct[i]!, nEvents: new Array<number>(k).fill(0), nCensor: 0 };
      counts.push(last);
    }
    if (cs[i] === 0) last.nCensor += cw[i]!;
    else last.nEvents[cs[i]! - 1]! += cw[i]!;
  }
  const groups = [...perGroup.keys()];
  const gIndex = new Map(groups.map((g, i) => [g, i]));

  const G = groups.length;
  const zero = () => Array.from({ length: G }, () => new Array<number>(G).fill(0));
  const readings: CovarianceAt[][] = causes.map(() => times.map((time) => ({ time, cumInc: zero(), area: zero() })));
  const prefix = perRowTerms(rows, causes);

  // 2. at the reading points: influence sums per person, products summed per (time, group pair)
  if (times.length > 0) {
    const res = await readAll(
      conn,
      sql`
      WITH ${prefix},
      readings AS (SELECT unnest(${times}::DOUBLE[]) AS tau),
      ev AS (SELECT gs.g, readings.tau, causes.c
             FROM (SELECT DISTINCT g FROM tc) gs CROSS JOIN readings CROSS JOIN causes),
      atv AS (SELECT ev.g, ev.tau, ev.c,
                coalesce(pt.f, 0) AS f_tau,
                coalesce(pt.z, 0) AS z_tau,
                coalesce(pt.mf + pt.f * (ev.tau - pt.t), 0) AS mf_tau,
                coalesce(pt.mz + pt.z * (ev.tau - pt.t), 0) AS mz_tau
              FROM ev ASOF LEFT JOIN pt ON pt.g = ev.g AND pt.c = ev.c AND pt.t <= ev.tau),
      inf AS (SELECT ri.g, ri.c, atv.tau, ri.id,
                ${exactSum(sql`ri.w * CASE WHEN ri.t <= atv.tau THEN ri.ai + ri.bi * (atv.f_tau - ri.f) ELSE atv.z_tau END`)} AS u,
                ${exactSum(sql`ri.w * CASE WHEN ri.t < atv.tau
                      THEN ri.ai * (atv.tau - ri.t) + ri.bi * (atv.mf_tau - ri.mf - ri.f * (atv.tau - ri.t)) + ri.mz
                      ELSE atv.mz_tau END`)} AS um
              FROM ri JOIN atv ON atv.g = ri.g AND atv.c = ri.c
              GROUP BY ri.g, ri.c, atv.tau, ri.id),
      -- a person with endings in several groups ties those groups' curves together
      several AS (SELECT * FROM inf SEMI JOIN (SELECT id FROM r GROUP BY id HAVING count(DISTINCT g) > 1) m ON m.id = inf.id)
      SELECT c, tau, g AS g1, g AS g2, ${exactSum(sql`u * u`)} AS cov, ${exactSum(sql`um * um`)} AS cov_area
      FROM inf GROUP BY ALL
      UNION ALL
      SELECT i1.c, i1.tau, i1.g, i2.g, ${exactSum(sql`i1.u * i2.u`)}, ${exactSum(sql`i1.um * i2.um`)}
      FROM several i1 JOIN several i2 ON i1.c = i2.c AND i1.tau = i2.tau AND i1.id = i2.id AND i1.g < i2.g
      GROUP BY ALL
      ORDER BY 1, 2, 3, 4`,
    );
    const [rc, rt, rg1, rg2, rcov, rarea] = res.getColumnsJS() as [number[], number[], string[], string[], number[], number[]];
    const timeIndex = new Map(times.map((t, i) => [t, i]));
    for (let i = 0; i < rc.length; i++) {
      const a = gIndex.get(rg1[i]!)!;
      const b = gIndex.get(rg2[i]!)!;
      const at = readings[rc[i]! - 1]![timeIndex.get(rt[i]!)!]!;
      at.cumInc[a]![b] = at.cumInc[b]![a] = rcov[i]!;
      at.area[a]![b] = at.area[b]![a] = rarea[i]!;
    }
  }

  // 3. along the whole curve: the variance at every distinct time in O(rows) (see curveSql)
  if (curve) {
    const res = await readAll(conn, curveSql(prefix));
    const [rg, rc, rt, rv, rs] = res.getColumnsJS() as [string[], number[], number[], number[], number[]];
    for (const gi of perGroup.values()) gi.curveVariance = causes.map(() => new Array<number>(gi.counts.length).fill(0));
    let cur: { g: string; c: number; times: CompetingTimeCount[]; out: number[]; j: number } | undefined;
    for (let i = 0; i < rg.length; i++) {
      if (!cur || cur.g !== rg[i] || cur.c !== rc[i]) {
        const gi = perGroup.get(rg[i]!)!;
        cur = { g: rg[i]!, c: rc[i]!, times: gi.counts, out: gi.curveVariance![rc[i]! - 1]!, j: 0 };
      }
      while (cur.j < cur.times.length && cur.times[cur.j]!.time < rt[i]!) cur.j++;
      // a variance below the rounding of its terms is 0 (e.g. a group of one person)
      if (cur.times[cur.j]?.time === rt[i]) cur.out[cur.j] = rv[i]! <= CURVE_ZERO * rs[i]! ? 0 : rv[i]!;
    }
  }
  return { nCauses: k, groups, perGroup, readings };
}

/**
 * The common part of the influence queries: the rows `r`, the per-time table `pt` (per group,
 * time and cause: y, d, S(t−), A, F, B, G, Z, MF, MZ) and `ri`, every row with its own a_ic,
 * b_i and the table's values at its own time (see the file header).
 */
function perRowTerms(rows: Sql, causes: number[]): Sql {
  return sql`
    r AS (${rows}),
    causes AS (SELECT unnest(${causes}::INTEGER[]) AS c),
    tc AS (SELECT g, t, ${exactSum(sql`w`)} AS wexit, coalesce(${exactSum(sql`CASE WHEN s > 0 THEN w END`)}, 0) AS d FROM r GROUP BY g, t),
    t1 AS (SELECT *, sum(wexit) OVER (PARTITION BY g ORDER BY t DESC ROWS UNBOUNDED PRECEDING) AS y FROM tc),
    t2 AS (SELECT *,
             CASE WHEN d > 0 THEN d / y ELSE 0 END AS h,
             CASE WHEN d > 0 AND y > d THEN d / (y * (y - d)) ELSE 0 END AS da
           FROM t1),
    t3 AS (SELECT *, product(1 - h) OVER wg AS surv, sum(da) OVER wg AS a
           FROM t2 WINDOW wg AS (PARTITION BY g ORDER BY t ROWS UNBOUNDED PRECEDING)),
    t4 AS (SELECT *,
             coalesce(lag(surv) OVER wo, 1) AS surv_m,
             coalesce(lag(a) OVER wo, 0) AS a_m,
             coalesce(lag(t) OVER wo, 0) AS t_m
           FROM t3 WINDOW wo AS (PARTITION BY g ORDER BY t)),
    dc AS (SELECT g, t, s AS c, ${exactSum(sql`w`)} AS dc FROM r WHERE s > 0 GROUP BY g, t, s),
    p1 AS (SELECT t4.*, causes.c,
             CASE WHEN coalesce(dc.dc, 0) > 0 THEN dc.dc / t4.y ELSE 0 END AS hc
           FROM t4 CROSS JOIN causes LEFT JOIN dc ON dc.g = t4.g AND dc.t = t4.t AND dc.c = causes.c),
    p2 AS (SELECT *,
             sum(surv_m * hc) OVER wc AS f,
             sum(surv_m * hc / y) OVER wc AS b,
             sum(surv_m * hc * a_m) OVER wc AS gg
           FROM p1 WINDOW wc AS (PARTITION BY g, c ORDER BY t ROWS UNBOUNDED PRECEDING)),
    p3 AS (SELECT *, gg - b AS z,
             coalesce(lag(f) OVER wo, 0) AS f_m,
             coalesce(lag(gg - b) OVER wo, 0) AS z_m
           FROM p2 WINDOW wo AS (PARTITION BY g, c ORDER BY t)),
    pt AS (SELECT g, t, c, y, d, surv, surv_m, a, f, b, gg, z,
             sum(f_m * (t - t_m)) OVER wc AS mf,
             sum(z_m * (t - t_m)) OVER wc AS mz
           FROM p3 WINDOW wc AS (PARTITION BY g, c ORDER BY t ROWS UNBOUNDED PRECEDING)),
    ri AS (SELECT r.g, r.id, r.t, r.w, pt.c, pt.f, pt.mf, pt.mz,
             CASE WHEN pt.y > pt.d THEN pt.a - (CASE WHEN r.s > 0 THEN 1 ELSE 0 END) / (pt.y - pt.d) ELSE 0 END AS bi,
             (CASE WHEN r.s = pt.c AND pt.y > 0 THEN pt.surv_m / pt.y ELSE 0 END) - pt.b + pt.gg AS ai
           FROM r JOIN pt ON pt.g = r.g AND pt.t = r.t)`;
}

/** Relative size below which a curve variance is rounding noise of its six terms (see curveSql). */
const CURVE_ZERO = 1e-12;

/**
 * The variance of F_c at every distinct time without a rows × times product. A person k's
 * influence at τ is u_k(τ) = P_k + R_k F_c(τ) + W_k Z_c(τ), with P_k = Σ w(a − b F_c(t_i)) and
 * R_k = Σ w b over the person's rows with t_i ≤ τ and W_k = Σ w over those with t_i > τ; these
 * change only at the person's own times. So Σ_k u_k² = ΣP² + F²ΣR² + Z²ΣW² + 2FΣPR + 2ZΣPW +
 * 2FZΣRW, and the six sums over persons are running sums of per-person changes, ordered by
 * time. O(rows · causes) in DuckDB. The expansion loses digits where the terms cancel: the
 * rounding error of the variance is about 1e-16 × the sizes of everything summed into it (the
 * running sums of the absolute per-time changes, `a_*`); a variance below CURVE_ZERO × that size
 * is returned as 0 (it is 0: a group of one person, where every influence vanishes). The reading
 * points use the exact sum of squares.
 */
function curveSql(prefix: Sql): Sql {
  return sql`
    WITH ${prefix},
    rc AS (SELECT g, c, id, t, ${exactSum(sql`w * (ai - bi * f)`)} AS dp, ${exactSum(sql`w * bi`)} AS dr, ${exactSum(sql`w`)} AS dw
           FROM ri GROUP BY g, c, id, t),
    rc2 AS (SELECT *,
              sum(dw) OVER (PARTITION BY g, c, id) AS wtot,
              sum(dp) OVER wk AS pk, sum(dr) OVER wk AS rk, sum(dw) OVER wk AS wout
            FROM rc WINDOW wk AS (PARTITION BY g, c, id ORDER BY t ROWS UNBOUNDED PRECEDING)),
    rc3 AS (SELECT *, wtot - wout AS wk FROM rc2),
    rc4 AS (SELECT g, c, t,
              pk * pk - coalesce(lag(pk * pk) OVER wl, 0) AS d_pp,
              rk * rk - coalesce(lag(rk * rk) OVER wl, 0) AS d_rr,
              wk * wk - coalesce(lag(wk * wk) OVER wl, wtot * wtot) AS d_ww,
              pk * rk - coalesce(lag(pk * rk) OVER wl, 0) AS d_pr,
              pk * wk - coalesce(lag(pk * wk) OVER wl, 0) AS d_pw,
              rk * wk - coalesce(lag(rk * wk) OVER wl, 0) AS d_rw
            FROM rc3 WINDOW wl AS (PARTITION BY g, c, id ORDER BY t)),
    w0 AS (SELECT g, c, ${exactSum(sql`wt * wt`)} AS ww0 FROM (SELECT g, c, id, ${exactSum(sql`w`)} AS wt FROM ri GROUP BY g, c, id) GROUP BY g, c),
    dt AS (SELECT g, c, t, ${exactSum(sql`d_pp`)} AS s_pp, ${exactSum(sql`d_rr`)} AS s_rr, ${exactSum(sql`d_ww`)} AS s_ww,
                  ${exactSum(sql`d_pr`)} AS s_pr, ${exactSum(sql`d_pw`)} AS s_pw, ${exactSum(sql`d_rw`)} AS s_rw
           FROM rc4 GROUP BY g, c, t),
    cs AS (SELECT g, c, t,
             sum(s_pp) OVER wt AS pp, sum(s_rr) OVER wt AS rr, sum(s_ww) OVER wt AS ww,
             sum(s_pr) OVER wt AS pr, sum(s_pw) OVER wt AS pw, sum(s_rw) OVER wt AS rw,
             sum(abs(s_pp)) OVER wt AS a_pp, sum(abs(s_rr)) OVER wt AS a_rr, sum(abs(s_ww)) OVER wt AS a_ww,
             sum(abs(s_pr)) OVER wt AS a_pr, sum(abs(s_pw)) OVER wt AS a_pw, sum(abs(s_rw)) OVER wt AS a_rw
           FROM dt WINDOW wt AS (PARTITION BY g, c ORDER BY t ROWS UNBOUNDED PRECEDING))
    SELECT pt.g, pt.c, pt.t,
           (cs.pp + pt.f * pt.f * cs.rr + pt.z * pt.z * (w0.ww0 + cs.ww)
             + 2 * pt.f * cs.pr + 2 * pt.z * cs.pw + 2 * pt.f * pt.z * cs.rw)::DOUBLE AS v,
           (cs.a_pp + pt.f * pt.f * cs.a_rr + pt.z * pt.z * (w0.ww0 + cs.a_ww)
             + 2 * abs(pt.f) * cs.a_pr + 2 * abs(pt.z) * cs.a_pw + 2 * abs(pt.f * pt.z) * cs.a_rw)::DOUBLE AS scale
    FROM pt JOIN cs ON cs.g = pt.g AND cs.c = pt.c AND cs.t = pt.t
            JOIN w0 ON w0.g = pt.g AND w0.c = pt.c
    ORDER BY pt.g, pt.c, pt.t`;
}
