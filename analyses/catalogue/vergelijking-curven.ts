/**
 * The weighted curves of the jobcoach comparison (vergelijking.ts): per group the inverse-
 * probability-weighted Kaplan–Meier cumulative share with a next job, read at the publication's
 * candidate days, with a pointwise 95% interval from the person-level (infinitesimal-jackknife)
 * variance of the weighted curve, on the scale of `survival.confType`. And the unweighted counts per group that
 * decide on which days a curve may be published (analyses/disclosure/survival.ts): the same days
 * the unweighted jobcoach curves of duur_tot_volgende_baan get, so a weighted curve shows no day
 * the unweighted counts would not pass.
 */
import { atTimes, incidenceCurve, robustKaplanMeier } from "../survival/index.ts";
import type { InfluenceResult } from "../survival/index.ts";
import type { ConfType } from "../survival/types.ts";
import type { SurvivalGroup } from "../disclosure/survival.ts";
import type { Row } from "../types.ts";

/**
 * Rows (groep, dag, cum_incidentie, lower, upper) of each group's weighted curve at `days`: the
 * R-tested robust Kaplan–Meier (`robustKaplanMeier`, as `survfit(..., weights, robust = TRUE)`)
 * read with `atTimes` (the value at the last time on or before the day).
 */
export function weightedCurveRows(inf: InfluenceResult, days: readonly number[], confType: ConfType, confLevel: number): Row[] {
  const out: Row[] = [];
  const sorted = [...days].sort((a, b) => a - b);
  for (const [groep, g] of inf.perGroup) {
    const at = atTimes(incidenceCurve(robustKaplanMeier(g, { confType, confLevel })), sorted);
    at.time.forEach((dag, i) => {
      const nan = (x: number) => (Number.isNaN(x) ? null : x);
      out.push({ groep, dag, cum_incidentie: at.cumInc[i]!, lower: nan(at.lower[i]!), upper: nan(at.upper[i]!) });
    });
  }
  return out;
}

/** Unweighted counts per distinct time of each group, as rows for the result table `telling`. */
export function countRows(inf: InfluenceResult): Row[] {
  const out: Row[] = [];
  for (const [groep, g] of inf.perGroup)
    for (const c of g.counts) out.push({ groep, tijd: c.time, n_gebeurtenis: c.nEvents[0] ?? 0, n_censuur: c.nCensor });
  return out;
}

/** The `telling` rows back as the groups `survivalTimePoints` chooses days for (events: status 1; no competing events). */
export function survivalGroups(telling: readonly Row[]): SurvivalGroup[] {
  const by = new Map<string, Row[]>();
  for (const r of telling) {
    const g = String(r.groep);
    const rows = by.get(g);
    if (rows) rows.push(r);
    else by.set(g, [r]);
  }
  return [...by].map(([groep, rows]) => {
    rows.sort((a, b) => Number(a.tijd) - Number(b.tijd));
    const nEvent = rows.map((r) => Number(r.n_gebeurtenis));
    const nCensor = rows.map((r) => Number(r.n_censuur));
    const n = nEvent.reduce((a, b) => a + b, 0) + nCensor.reduce((a, b) => a + b, 0);
    const nRisk: number[] = [];
    let left = n;
    rows.forEach((_r, i) => {
      nRisk.push(left);
      left -= nEvent[i]! + nCensor[i]!;
    });
    return {
      groep,
      n,
      counts: { time: rows.map((r) => Number(r.tijd)), nRisk, nEvent, nCompeting: rows.map(() => 0), nCensor },
    };
  });
}
