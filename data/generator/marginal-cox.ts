/**
 * A Cox proportional-hazards fit (Efron ties, Newton–Raphson) on grouped data: event and
 * at-risk counts per day and per group, one coefficient per non-reference group. Used once, for
 * the marginal hazard ratios of the truth estimands (truth/effecten.json): the fit of a Cox model
 * with the arm as the only covariate to the counterfactual times of every analysed ending under
 * every arm, censored at the horizon.
 *
 * Hand-written because no maintained npm library fits Cox models, and the data here are a few
 * thousand (day, group) counts: the partial likelihood over grouped counts is a dozen lines.
 * Efron's tie handling is R `coxph`'s default (test/generator/effect.test.ts checks it against
 * `coxph` on a fixture).
 */

/**
 * `events[g][t]`: events of group g at time index t (ascending times); `censored[g][t]`:
 * censorings at t (removed after the events). Group 0 is the reference. Returns the log hazard
 * ratios of groups 1.. versus group 0.
 */
export function coxGrouped(events: ArrayLike<number>[], censored: ArrayLike<number>[], maxIter = 50): number[] {
  const G = events.length;
  const nT = events[0]!.length;
  const atRisk0 = events.map((e, g) => {
    let n = 0;
    for (let t = 0; t < nT; t++) n += e[t]! + censored[g]![t]!;
    return n;
  });
  const beta = new Array<number>(G).fill(0);
  for (let iter = 0; iter < maxIter; iter++) {
    const grad = new Array<number>(G).fill(0);
    const hess = Array.from({ length: G }, () => new Array<number>(G).fill(0));
    const w = beta.map((b) => Math.exp(b));
    const n = [...atRisk0];
    for (let t = 0; t < nT; t++) {
      let d = 0;
      for (let g = 0; g < G; g++) d += events[g]![t]!;
      if (d > 0) {
        for (let g = 1; g < G; g++) grad[g]! += events[g]![t]!;
        // Efron: subtract l/d of the tied events' weight for l = 0..d-1
        for (let l = 0; l < d; l++) {
          const c = l / d;
          let S = 0;
          const a = new Array<number>(G);
          for (let g = 0; g < G; g++) {
            a[g] = (n[g]! - c * events[g]![t]!) * w[g]!;
            S += a[g]!;
          }
          for (let g = 1; g < G; g++) {
            const pg = a[g]! / S;
            grad[g]! -= pg;
            hess[g]![g]! += pg;
            for (let h = 1; h < G; h++) hess[g]![h]! -= pg * (a[h]! / S);
          }
        }
      }
      for (let g = 0; g < G; g++) n[g]! -= events[g]![t]! + censored[g]![t]!;
    }
    // Newton step on coefficients 1..G-1: solve hess · step = grad (small system, Gaussian elimination)
    const k = G - 1;
    const A = Array.from({ length: k }, (_, i) => [...hess[i + 1]!.slice(1), grad[i + 1]!]);
    for (let i = 0; i < k; i++) {
      let piv = i;
      for (let r = i + 1; r < k; r++) if (Math.abs(A[r]![i]!) > Math.abs(A[piv]![i]!)) piv = r;
      [A[i], A[piv]] = [A[piv]!, A[i]!];
      for (let r = 0; r < k; r++) {
        if (r === i) continue;
        const f = A[r]![i]! / A[i]![i]!;
        for (let c = i; c <= k; c++) A[r]![c]! -= f * A[i]![c]!;
      }
    }
    let maxStep = 0;
    for (let i = 0; i < k; i++) {
      const step = A[i]![k]! / A[i]![i]!;
      beta[i + 1]! += step;
      maxStep = Math.max(maxStep, Math.abs(step));
    }
    if (maxStep < 1e-12) break;
  }
  return beta.slice(1);
}
