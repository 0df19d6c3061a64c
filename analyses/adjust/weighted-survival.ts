/**
 * Point estimates of Kaplan–Meier and Aalen–Johansen from weighted counts (case weights, so
 * non-integer at-risk and event numbers), as R `survfit(Surv(t, s) ~ g, weights = w)` and
 * `survfit(Surv(t, factor(s)) ~ g, weights = w, id = id)`:
 *   n_j = Σ weights of rows with time >= t_j (a reverse cumulative sum, as R),
 *   S(t) = Π (1 − d_j / n_j),  F_c(t) = Σ_{t_j <= t} S(t_{j−1}) d_cj / n_j.
 * No variance here: with estimated weights and persons with several endings the variance is a
 * person-clustered robust one (infinitesimal jackknife), built in analyses/survival. The
 * unweighted engine (analyses/survival/km.ts, aalen-johansen.ts) stays as it is.
 */
import type { WeightedTimeCount } from "./weighted-counts.ts";

export interface WeightedCurve {
  time: number[];
  /** weighted number at risk */
  nRisk: number[];
  /** weighted events per cause: nEvent[c-1][j] */
  nEvent: number[][];
  nCensor: number[];
  /** unweighted numbers at risk, events per cause and censorings (for disclosure control) */
  nRiskRows: number[];
  nEventRows: number[][];
  nCensorRows: number[];
  /** probability of no event yet (KM survival for one cause) */
  surv: number[];
  /** cumulative incidence per cause (1 − surv for one cause) */
  cumInc: number[][];
}

/**
 * Weighted Aalen–Johansen (Kaplan–Meier when there is one cause). Counts as from
 * `weightedCounts` (sorted by time, one row per time); times with zero weight and no rows are dropped.
 */
export function weightedCurve(counts: readonly WeightedTimeCount[]): WeightedCurve {
  const k = counts.reduce((m, c) => Math.max(m, c.nEvents.length), 0);
  for (let i = 1; i < counts.length; i++)
    if (!(counts[i]!.time > counts[i - 1]!.time)) throw new Error("weightedCurve: tijden moeten oplopend en verschillend zijn");
  const rows = counts.filter((c) => c.nCensorRows + c.nEventsRows.reduce((a, b) => a + b, 0) > 0);
  const m = rows.length;
  const nRisk = new Array<number>(m);
  const nRiskRows = new Array<number>(m);
  let w = 0;
  let r = 0;
  for (let j = m - 1; j >= 0; j--) {
    const row = rows[j]!;
    w += row.nCensor + row.nEvents.reduce((a, b) => a + b, 0);
    r += row.nCensorRows + row.nEventsRows.reduce((a, b) => a + b, 0);
    nRisk[j] = w;
    nRiskRows[j] = r;
  }
  const surv = new Array<number>(m);
  const cumInc = Array.from({ length: k }, () => new Array<number>(m));
  const F = new Array<number>(k).fill(0);
  let s = 1;
  for (let j = 0; j < m; j++) {
    const row = rows[j]!;
    const nj = nRisk[j]!;
    let d = 0;
    for (let c = 0; c < k; c++) d += row.nEvents[c] ?? 0;
    if (d > 0) {
      for (let c = 0; c < k; c++) F[c]! += (s * (row.nEvents[c] ?? 0)) / nj;
      s *= 1 - d / nj;
    }
    surv[j] = s;
    for (let c = 0; c < k; c++) cumInc[c]![j] = F[c]!;
  }
  return {
    time: rows.map((x) => x.time),
    nRisk,
    nEvent: Array.from({ length: k }, (_, c) => rows.map((x) => x.nEvents[c] ?? 0)),
    nCensor: rows.map((x) => x.nCensor),
    nRiskRows,
    nEventRows: Array.from({ length: k }, (_, c) => rows.map((x) => x.nEventsRows[c] ?? 0)),
    nCensorRows: rows.map((x) => x.nCensorRows),
    surv,
    cumInc,
  };
}
