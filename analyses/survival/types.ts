/**
 * The survival engine's interface. Callers aggregate person rows to distinct times in DuckDB
 * (`SELECT groep, tijd, count(*) FILTER (status=1) … GROUP BY ALL`) and pass the counts here;
 * the product-limit arithmetic runs over distinct times only. Semantics follow R `survival`
 * 3.x (`survfit`, `survdiff`, `survfit` with a factor status for Aalen–Johansen).
 */
export type ConfType = "log" | "log-log" | "plain";

/** Counts at one distinct time (right-censored data, no late entry). */
export interface TimeCount {
  time: number;
  /** events of interest at this time (for competing risks: see CompetingTimeCount) */
  nEvent: number;
  /** censored at this time (counted at risk at this time, as R does) */
  nCensor: number;
}

export interface KmOptions {
  confType?: ConfType; // default "log" (R default)
  confLevel?: number; // default 0.95
}

/** One row per distinct time (event or censoring), as `summary(survfit(...), censored = TRUE)`. */
export interface KmTable {
  time: number[];
  nRisk: number[];
  nEvent: number[];
  nCensor: number[];
  surv: number[];
  /** 1 - surv */
  cumInc: number[];
  /** standard error of surv (R `std.err` is of the cumulative hazard; this is `surv * std.err`) */
  stdErr: number[];
  lower: number[]; // NaN where R gives NA
  upper: number[];
  median: { estimate: number | null; lower: number | null; upper: number | null };
}

export interface LogRankResult {
  groups: string[];
  n: number[];
  observed: number[];
  expected: number[];
  chisq: number;
  df: number;
  p: number;
}

/** Counts at one distinct time with several event types (cause 1..k). */
export interface CompetingTimeCount {
  time: number;
  /** nEvents[k-1] = events of cause k at this time */
  nEvents: number[];
  nCensor: number;
}

export interface AalenJohansenTable {
  time: number[];
  nRisk: number[];
  /** cumulative incidence per cause: cumInc[k-1][i] */
  cumInc: number[][];
  stdErr: number[][];
  lower: number[][];
  upper: number[][];
}
