/**
 * Adjustment by inverse probability weighting: who gets extern / intern / geen jobcoach
 * depends on who they are, so outcomes are compared after weighting each ending by the inverse
 * of the probability of its own group given its covariates (stabilised by the group's share).
 * Still descriptive: the weights balance the covariates in the model, nothing else.
 *
 *   const model = await fitPropensity(conn, src, spec);                  // ./propensity.ts (multinomial logit, R nnet::multinom)
 *   await stabilisedWeights(conn, src, model, { soort: "percentiel", onder: 0.01, boven: 0.99 }, "w");
 *   const summary = await weightSummary(conn, "w", model.groepen);      // min, p1, median, p99, max, ESS
 *   const balance = await balanceTable(conn, "w", model);               // shares / means and SMD before and after
 *   const counts = await weightedCounts(conn, sql`SELECT groep, persoon_id AS id, tijd, status, gewicht FROM w`, 2);
 *   const curve = weightedCurve(counts.get("extern")!);                 // weighted KM / Aalen–Johansen point estimates
 *
 * Golden-tested against R (nnet, survival, plain weighted.mean) in test/adjust with fixtures
 * from scripts/r/make-golden-ipw.R.
 */
export { fitPropensity, type PropensityModel } from "./propensity.ts";
export { POOLED_LEVEL } from "./design.ts";
export { stabilisedWeights, weightSummary, type WeightsResult } from "./weights.ts";
export { balanceTable } from "./balance.ts";
export { weightedCounts, type WeightedTimeCount } from "./weighted-counts.ts";
export { weightedCurve, type WeightedCurve } from "./weighted-survival.ts";
export type * from "./types.ts";
