import type { DuckDBConnection } from "@duckdb/node-api";
import type { Sql } from "../../core/sql.ts";
import { aalenJohansen } from "./aalen-johansen.ts";
import { atTimes } from "./at-times.ts";
import { confLimits, zValue } from "./confint.ts";
import { survivalInfluence, type GroupInfluence, type InfluenceResult } from "./influence-duckdb.ts";
import { kaplanMeier, medianCi } from "./km.ts";
import type { AalenJohansenTable, KmOptions, KmTable, TimeCount } from "./types.ts";

/**
 * Person-level (cluster-robust, infinitesimal-jackknife) standard errors for the survival
 * curves, from the influence sums of ./influence-duckdb.ts.
 *
 *  - `robustKaplanMeier`: as R `survfit(Surv(time, status) ~ 1, id = persoon, robust = TRUE
 *    [, weights = w])`: the (weighted) product-limit estimate, `stdErr` = R's IJ standard error
 *    of S (R stores it as `std.err` with `logse = FALSE`; `summary()` reports it as is),
 *    `stdErrLog` = stdErr / S (0 where the se is 0, as R's `survfit_confint`), CI and median
 *    as R. Where S = 0 the se is exactly 0 (every influence vanishes) and is set so.
 *  - `robustAalenJohansen`: the Aalen–Johansen curves with the IJ standard error summed per
 *    person. R (survival 3.5) computes the multi-state IJ per row only: `cluster =` is accepted
 *    but unused, and `id =` means one subject's timeline (repeated ids fail survcheck). The
 *    goldens therefore sum R's `influence.pstate` (× case weight) per id; with one row per id
 *    this is exactly R's own `std.err` (also tested).
 *  - `KmTable.n` / `nRisk` / counts are weighted sums when case weights are given (as R's KM
 *    `n.risk`; R's multi-state `n.risk` stays unweighted); `GroupInfluence.nRows` / `nIds` are
 *    the numbers of endings and persons.
 *  - `kmByGroup`: the entry point with `variance: "greenwood" | "robust"`, so a caller picks
 *    the variance with one parameter.
 *  - `differencesAt`: cumulative share (1 − S, or the incidence of one cause) of group a minus
 *    group b at the reading points with var(d) = Σ_persons (IF_a − IF_b)² (a person may have
 *    endings in both groups), CI d ± z·se. R has no such function; the golden is the same sum
 *    over R's influence matrices aggregated by id.
 * A group of one person has robust se 0 (its influence sums to zero), as R.
 *
 * Weighted counts with `variance: "greenwood"` give R's weighted Greenwood (R itself switches
 * to robust when weights are not integers; pass `robust = FALSE` there to compare).
 */

export type VarianceType = "greenwood" | "robust";

function requireCurve(gi: GroupInfluence): number[][] {
  if (!gi.curveVariance) throw new Error("robuuste variantie: survivalInfluence zonder { curve: true } aangeroepen");
  return gi.curveVariance;
}

function toTimeCounts(gi: GroupInfluence): TimeCount[] {
  return gi.counts.map((c) => ({ time: c.time, nEvent: c.nEvents[0]!, nCensor: c.nCensor }));
}

/** Kaplan–Meier of one group with the person-level (IJ) standard error along the whole curve. */
export function robustKaplanMeier(gi: GroupInfluence, opts: KmOptions = {}): KmTable {
  return withKmVariance(kaplanMeier(toTimeCounts(gi), opts), requireCurve(gi)[0]!);
}

/**
 * A Kaplan–Meier fit with the given variance of S at each of its times (e.g. the person-level
 * one): std.err, the CI on the fit's scale and the median's CI from it, as R's survfit with
 * `robust = TRUE`. Changes and returns `fit`.
 */
export function withKmVariance(fit: KmTable, variance: readonly number[]): KmTable {
  if (variance.length !== fit.time.length) throw new Error(`robuuste variantie: ${variance.length} waarden voor ${fit.time.length} tijden`);
  const z = zValue(fit.confLevel);
  for (let i = 0; i < fit.time.length; i++) {
    const s = fit.surv[i]!;
    const se = s === 0 ? 0 : Math.sqrt(Math.max(variance[i]!, 0));
    const seLog = se === 0 ? 0 : se / s;
    fit.stdErr[i] = se;
    fit.stdErrLog[i] = seLog;
    const [lo, up] = confLimits(s, seLog, fit.confType, z);
    fit.lower[i] = lo;
    fit.upper[i] = up;
  }
  fit.median = medianCi(fit.time, fit.surv, fit.lower, fit.upper);
  return fit;
}

/** Aalen–Johansen of one group with person-level (IJ) standard errors along the whole curve. */
export function robustAalenJohansen(gi: GroupInfluence, opts: KmOptions = {}): AalenJohansenTable {
  const variance = requireCurve(gi);
  const fit = aalenJohansen(gi.counts, { ...opts, nCauses: variance.length });
  variance.forEach((v, c) => withAjVariance(fit, c, v));
  return fit;
}

/** An Aalen–Johansen fit with the given variance of cause `cause` (0-based) at each time: std.err and CI. Changes and returns `fit`. */
export function withAjVariance(fit: AalenJohansenTable, cause: number, variance: readonly number[]): AalenJohansenTable {
  if (variance.length !== fit.time.length) throw new Error(`robuuste variantie: ${variance.length} waarden voor ${fit.time.length} tijden`);
  const z = zValue(fit.confLevel);
  for (let i = 0; i < fit.time.length; i++) {
    const f = fit.cumInc[cause]![i]!;
    const se = Math.sqrt(Math.max(variance[i]!, 0));
    fit.stdErr[cause]![i] = se;
    const [lo, up] = confLimits(f, se === 0 ? 0 : se / f, fit.confType, z);
    fit.lower[cause]![i] = lo;
    fit.upper[cause]![i] = up;
  }
  return fit;
}

export interface KmByGroupOptions extends KmOptions {
  variance?: VarianceType; // default "greenwood"
  /** read `gewicht` as case weight */
  weighted?: boolean;
}

/**
 * Kaplan–Meier per group from rows (groep, id, tijd, status[, gewicht]) with the chosen
 * variance: Greenwood (R's default without id) or person-level robust (R with `id`, `robust`).
 */
export async function kmByGroup(conn: DuckDBConnection, src: Sql, opts: KmByGroupOptions = {}): Promise<Map<string, KmTable>> {
  const variance = opts.variance ?? "greenwood";
  if (variance !== "greenwood" && variance !== "robust") throw new Error(`onbekende variantie: ${String(variance)}`);
  const inf = await survivalInfluence(conn, src, { weighted: opts.weighted, curve: variance === "robust" });
  const km = { confType: opts.confType, confLevel: opts.confLevel };
  return new Map(
    [...inf.perGroup].map(([g, gi]) => [g, variance === "robust" ? robustKaplanMeier(gi, km) : kaplanMeier(toTimeCounts(gi), km)]),
  );
}

export interface DifferenceAt {
  time: number;
  /** cumulative share (incidence) of group a and b at the time, and a − b */
  a: number;
  b: number;
  difference: number;
  stdErr: number;
  lower: number;
  upper: number;
}

/** The cumulative incidence of cause `cause` (0-based) of a group at the reading times. */
function cumIncAt(inf: InfluenceResult, group: string, cause: number): number[] {
  const gi = inf.perGroup.get(group);
  if (!gi) throw new Error(`groep "${group}" komt niet voor`);
  const times = inf.readings[cause]!.map((r) => r.time);
  if (inf.nCauses === 1) return atTimes(kaplanMeier(toTimeCounts(gi)), times).cumInc;
  return atTimes(aalenJohansen(gi.counts, { nCauses: inf.nCauses }), times).cumInc[cause]!;
}

/**
 * Difference of cumulative incidence (1 − S for one cause) between groups a and b at the
 * reading times of `inf`, with a plain (Wald) CI on the difference scale from the
 * person-level covariance: var(d) = V_aa + V_bb − 2 V_ab.
 */
export function differencesAt(
  inf: InfluenceResult,
  a: string,
  b: string,
  opts: { cause?: number; confLevel?: number } = {},
): DifferenceAt[] {
  const cause = opts.cause ?? 0;
  const z = zValue(opts.confLevel ?? 0.95);
  const ia = inf.groups.indexOf(a);
  const ib = inf.groups.indexOf(b);
  const fa = cumIncAt(inf, a, cause);
  const fb = cumIncAt(inf, b, cause);
  return inf.readings[cause]!.map((r, i) => {
    const v = r.cumInc[ia]![ia]! + r.cumInc[ib]![ib]! - 2 * r.cumInc[ia]![ib]!;
    const se = Math.sqrt(Math.max(v, 0));
    const d = fa[i]! - fb[i]!;
    return { time: r.time, a: fa[i]!, b: fb[i]!, difference: d, stdErr: se, lower: d - z * se, upper: d + z * se };
  });
}
