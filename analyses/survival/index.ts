/**
 * The survival engine: Kaplan–Meier, log-rank, Aalen–Johansen and their read-out at chosen
 * times, matching R `survival` 3.x to floating-point precision (test/survival compares every
 * column with fixtures from scripts/r/make-golden.R), plus the DuckDB helpers that aggregate
 * person rows to distinct times. Every analysis uses this module.
 *
 *   const counts = await survivalCounts(conn, sql`SELECT groep, tijd, status FROM …`);
 *   const fits = new Map([...counts].map(([g, c]) => [g, kaplanMeier(c, { confType: "log" })]));
 *   const table = atTimes(fits.get("extern")!, params.d4.leespunten);
 *   const test = logRank(counts);
 *   const curve = atTimes(incidenceCurve(fits.get("extern")!), grid); // 1 − S with its CI
 *
 * Cox model (Efron ties, person-clustered robust variance), its proportional-hazards test and
 * curves standardised over the study population, all on DuckDB aggregates:
 *
 *   const model = await coxPh(conn, sql`SELECT persoon_id AS id, tijd, status, jobcoach, regio FROM …`,
 *     [{ name: "jobcoach", type: "categorical", reference: "geen" }, { name: "regio", type: "categorical" }]);
 *   const ph = coxZph(model); // R cox.zph(fit, transform = "km")
 *   const curves = standardisedCurves(model, "jobcoach", [91, 182, 365]);
 *
 * `competingCountsBy` aggregates several breakdowns (kenmerk, groep) in one scan; the survival
 * analyses (analyses/lib/survival-analysis.ts) use it and read every value through `atTimes`.
 *
 * Where this deliberately differs from R:
 *  - times are taken as exact; R's `timefix` (aeqSurv) merges times closer than ~1e-8
 *    relative. Identical for the integer day counts the pipeline produces.
 *  - `kaplanMeier` / `aalenJohansen` / `logRank` take frequency counts (no id/cluster, no
 *    (start, stop] late entry); weighted counts work as R's weighted estimates. Person-level
 *    (cluster-robust) variances, case weights, group differences with their CI, RMST and the
 *    robust score test come from `survivalInfluence`, `robustKaplanMeier`, `differencesAt`,
 *    `rmst*` and `robustScoreTest` (goldens from scripts/r/make-golden-robust.R); for all
 *    kenmerken of a survival analysis at once, unweighted, from `robustRows`,
 *    `robustCurveVariance` and `robustScoreTests`.
 *  - confidence scales log, log-log, plain only (no logit/arcsin, no conf.lower variants);
 *    log-rank with rho = 0 only, unstratified.
 *  - `atTimes` defaults to R's `extend = TRUE` (one row per requested time; n.risk 0 after
 *    the last observed time); pass { extend: false } for R's default of dropping those.
 *  - a NULL groep is kept under NULL_GROUP ("onbekend") by the DuckDB helpers; R would drop
 *    such rows.
 */
export { kaplanMeier, normaliseCounts } from "./km.ts";
export { logRank } from "./logrank.ts";
export { aalenJohansen } from "./aalen-johansen.ts";
export { atTimes, incidenceCurve } from "./at-times.ts";
export { survivalCounts, competingCounts, competingCountsBy, NULL_GROUP } from "./duckdb.ts";
export { survivalInfluence } from "./influence-duckdb.ts";
export type { InfluenceOptions, InfluenceResult, GroupInfluence, CovarianceAt } from "./influence-duckdb.ts";
export { robustKaplanMeier, robustAalenJohansen, kmByGroup, differencesAt, withKmVariance, withAjVariance } from "./robust.ts";
export { robustCurveVariance, curveKey } from "./robust-curves.ts";
export type { CurveVariance, RobustCurves } from "./robust-curves.ts";
export { robustRows } from "./robust-rows.ts";
export type { CurveSource, RobustRows } from "./robust-rows.ts";
export type { VarianceType, KmByGroupOptions, DifferenceAt } from "./robust.ts";
export { rmstValue, rmstGreenwood, rmstRobust, rmstDifference } from "./rmst.ts";
export type { RmstResult, RmstDifference } from "./rmst.ts";
export { robustScoreTest } from "./robust-score.ts";
export { robustScoreTests } from "./robust-score-tests.ts";
export type { ScoreTest } from "./robust-score-tests.ts";
export type { RobustScoreTest } from "./robust-score.ts";
export { coxPh } from "./cox-duckdb.ts";
export { coxZph } from "./cox-zph.ts";
export { standardisedCurves } from "./standardise.ts";
export type * from "./types.ts";
export type { CoxModel, CoxOptions, HazardRatio } from "./cox-duckdb.ts";
export type { ChiSquareTest, CoxControl, CoxCovariate, CoxTerm } from "./cox.ts";
export type { CoxZph, ZphRow } from "./cox-zph.ts";
export type { StandardisedCurve, StandardisedCurves, StandardisedDifference, StandardiseOptions } from "./standardise.ts";
