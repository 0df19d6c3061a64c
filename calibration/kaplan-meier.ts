/**
 * A small Kaplan–Meier estimate for the truth-side calibration: cumulative share with the
 * event (1 − S(t)) at given times (ascending). Events at time t count before censorings at t.
 *
 * Deliberately an independent check, not the survival engine (analyses/survival): the truth
 * side of `calibrate` computes the figures from the ground truth without any pipeline code,
 * so `calibrate --truth` and `calibrate --run` are two separate routes to the same figures.
 * Point estimate only (no CI, no at-risk counts, person rows rather than counts per time).
 * test/survival/calibration-km.test.ts checks it against R and the engine on the goldens.
 */
export interface Observation {
  time: number;
  event: boolean;
}

export function cumulativeAt(observations: readonly Observation[], points: readonly number[]): number[] {
  const obs = [...observations].sort((a, b) => a.time - b.time || Number(b.event) - Number(a.event));
  const out: number[] = [];
  let s = 1;
  let atRisk = obs.length;
  let i = 0;
  for (const point of points) {
    while (i < obs.length && obs[i]!.time <= point) {
      const t = obs[i]!.time;
      let events = 0;
      let removed = 0;
      while (i < obs.length && obs[i]!.time === t) {
        if (obs[i]!.event) events++;
        removed++;
        i++;
      }
      if (atRisk > 0) s *= 1 - events / atRisk;
      atRisk -= removed;
    }
    out.push(1 - s);
  }
  return out;
}
