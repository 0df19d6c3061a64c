/**
 * The survival engine: Kaplan–Meier, log-rank, Aalen–Johansen and their read-out, matching R
 * `survival` 3.x (see test/survival for the golden comparisons), plus the DuckDB helpers that
 * aggregate person rows to distinct times. Every analysis uses this module.
 */
export { kaplanMeier, normaliseCounts } from "./km.ts";
export { logRank } from "./logrank.ts";
export { aalenJohansen } from "./aalen-johansen.ts";
export { atTimes } from "./at-times.ts";
export { survivalCounts, competingCounts, NULL_GROUP } from "./duckdb.ts";
export type * from "./types.ts";
