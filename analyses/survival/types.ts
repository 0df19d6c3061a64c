/**
 * The survival engine's interface. Callers aggregate person rows to distinct times in DuckDB
 * (`survivalCounts` / `competingCounts` in ./duckdb.ts do exactly that) and pass the counts
 * here; the product-limit arithmetic runs over distinct times only. Semantics follow R
 * `survival` 3.x (`survfit`, `survdiff`, `survfit` with a factor status for Aalen–Johansen);
 * golden tests in test/survival compare every column with R.
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

/** Median survival with its confidence interval, as R `print(survfit(...))`; null where R prints NA. */
export interface MedianCi {
  estimate: number | null;
  lower: number | null;
  upper: number | null;
}

/** One row per distinct time (event or censoring), as `summary(survfit(...), censored = TRUE)`. */
export interface KmTable {
  /** number of subjects (R `n`) */
  n: number;
  confType: ConfType;
  confLevel: number;
  time: number[];
  nRisk: number[];
  nEvent: number[];
  nCensor: number[];
  surv: number[];
  /** 1 - surv */
  cumInc: number[];
  /** standard error of surv (R `std.err` is of the cumulative hazard; this is `surv * std.err`) */
  stdErr: number[];
  /** R `fit$std.err`: Greenwood standard error of −log S (Infinity once S reaches 0) */
  stdErrLog: number[];
  lower: number[]; // NaN where R gives NA; CI for surv
  upper: number[];
  median: MedianCi;
}

export interface LogRankResult {
  groups: string[];
  n: number[];
  observed: number[];
  expected: number[];
  /** variance matrix of observed − expected (R `survdiff(...)$var`), row-major groups × groups */
  variance: number[][];
  /** null when no test is possible (variance matrix of rank 0), with `reden` */
  chisq: number | null;
  df: number;
  p: number | null;
  reden?: string;
}

/** Counts at one distinct time with several event types (cause 1..k). */
export interface CompetingTimeCount {
  time: number;
  /** nEvents[k-1] = events of cause k at this time */
  nEvents: number[];
  nCensor: number;
}

export interface AalenJohansenTable {
  n: number;
  confType: ConfType;
  confLevel: number;
  time: number[];
  nRisk: number[];
  /** events per cause at each time: nEvent[k-1][i] */
  nEvent: number[][];
  nCensor: number[];
  /** probability of still being event-free (R pstate "(s0)") */
  surv: number[];
  /** cumulative incidence per cause: cumInc[k-1][i] (R pstate) */
  cumInc: number[][];
  /** infinitesimal-jackknife standard error of cumInc (R `std.err` of a multi-state survfit) */
  stdErr: number[][];
  lower: number[][];
  upper: number[][];
}

/**
 * One cumulative incidence of an event of interest as a step function, with its CI on that
 * scale: what the survival tables store per distinct time. `incidenceCurve` makes one from a
 * Kaplan–Meier fit (1 − S, CI 1 − upper … 1 − lower) or from one cause of an Aalen–Johansen
 * fit; `atTimes` reads it as R reads a cumulative incidence (0 before the first time).
 */
export interface IncidenceCurve {
  time: number[];
  nRisk: number[];
  /** events of interest at each time */
  nEvent: number[];
  /** censored at each time (for a KM curve: competing events included) */
  nCensor: number[];
  cumInc: number[];
  /** standard error of cumInc */
  stdErr: number[];
  lower: number[];
  upper: number[];
}

/** Options of `atTimes`. */
export interface AtTimesOptions {
  /**
   * Report times after the last observed time too (R `summary(fit, times, extend = TRUE)`):
   * n.risk 0 and the last estimate. Default true, so the result has one row per requested
   * time; with false such times are dropped as R's default does.
   */
  extend?: boolean;
}

/** Step-function read-out at chosen times, as R `summary(fit, times = …)`. */
export interface KmAtTimes {
  time: number[];
  /** number at risk at the time (R: at the first observed time >= t; 0 after the last) */
  nRisk: number[];
  /** events in (previous requested time, t] (the first interval starts at −∞) */
  nEvent: number[];
  nCensor: number[];
  surv: number[];
  cumInc: number[];
  stdErr: number[];
  lower: number[];
  upper: number[];
}

export interface AalenJohansenAtTimes {
  time: number[];
  nRisk: number[];
  nEvent: number[][];
  nCensor: number[];
  surv: number[];
  cumInc: number[][];
  stdErr: number[][];
  lower: number[][];
  upper: number[][];
}

/** Read-out of an `IncidenceCurve` at chosen times (before the first time: cumInc, se and CI 0): the same columns, one row per requested time. */
export type IncidenceAtTimes = IncidenceCurve;
