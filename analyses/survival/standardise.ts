/**
 * Survival curves by direct standardisation over the study population of a Cox fit: for each
 * level g of one categorical covariate (the group), Ŝ_g(t) = mean over all rows i of
 * S(t | x_i with the group set to g) = exp(−Λ̂0(t) r_i^g), r_i^g = exp(x_i^g β̂), with the
 * Efron baseline hazard R `survfit(coxph, newdata)` uses (ctype 2, stype 2): Λ̂0(t) = Σ_{s≤t}
 * Σ_l 1/D_l(s). The mean runs over covariate patterns weighted by their number of rows; golden
 * against the mean of R's survfit rows.
 *
 * Standard error, delta method with the variance structure of R's `survfit.coxph` std.err for
 * a single curve (Λ̂0 increments with variance Σ_l 1/D_l², independent of β̂ to first order):
 *   Ŝ_g(t) − S_g(t) ≈ −A ΔΛ0(t) − cᵀ Δβ,
 *   A = mean_i S_i r_i,  c = mean_i S_i r_i (x_i Λ̂0(t) − X̄(t)),  X̄(t) = Σ_{s≤t} Σ_l x̄_l/D_l,
 *   var = A² Σ_{s≤t} Σ_l 1/D_l² + cᵀ V c.
 * For one row this is exactly survfit's std.err (times S). V is the robust (person-clustered)
 * variance when the fit has one (as survfit.coxph on a clustered coxph), else the model
 * variance; `variance: "model"` forces the latter. The interval thus accounts for the
 * uncertainty of β̂ (robust to within-person correlation when V is robust) and of the baseline
 * hazard (model-based, Poisson-type); the covariate distribution is taken as fixed (the
 * estimand is the mean over this study population, not over a super-population), so it is
 * narrower than riskRegression::ate's, which adds the sampling variance of the average.
 * Curves: log-scale interval (R's default conf.type "log"), se(log Ŝ) = se/Ŝ. Differences
 * with the group's reference level: same linearisation with (A_g − A_ref, c_g − c_ref), plain
 * interval.
 */
import { confLimits, zValue } from "./confint.ts";
import type { CoxModel } from "./cox-duckdb.ts";
import { designRow } from "./cox.ts";

export interface StandardisedCurve {
  level: string;
  surv: number[];
  se: number[];
  lower: number[];
  upper: number[];
}

export interface StandardisedDifference {
  level: string;
  reference: string;
  diff: number[];
  se: number[];
  lower: number[];
  upper: number[];
}

export interface StandardisedCurves {
  group: string;
  times: number[];
  variance: "robust" | "model";
  confLevel: number;
  /** the reference level of the group first, then the others in code-unit order */
  curves: StandardisedCurve[];
  /** each non-reference level minus the reference level */
  differences: StandardisedDifference[];
}

export interface StandardiseOptions {
  /** default: robust when the fit has a robust variance */
  variance?: "robust" | "model";
  confLevel?: number;
}

export function standardisedCurves(
  model: CoxModel,
  group: string,
  times: readonly number[],
  opts: StandardiseOptions = {},
): StandardisedCurves {
  const ti = model.terms.findIndex((t) => t.name === group);
  const term = model.terms[ti];
  if (model.weighted) throw new Error("standaardisatie: alleen voor een model zonder gewichten");
  if (term?.type !== "categorical") throw new Error(`standaardisatie: "${group}" is geen categorische covariaat van het model`);
  const variance = opts.variance ?? (model.robustVariance ? "robust" : "model");
  const V = variance === "robust" ? model.robustVariance : model.variance;
  if (!V) throw new Error("standaardisatie: het model heeft geen robuuste variantie");
  const confLevel = opts.confLevel ?? 0.95;
  const z = zValue(confLevel);
  const p = model.coef.length;
  const { perTime, patterns, patternCount } = model.data;
  const nT = times.length;

  // cumulative hazard, its variance and X̄ at each requested time
  const H = new Float64Array(nT);
  const VH = new Float64Array(nT);
  const GX = new Float64Array(nT * p);
  for (let j = 0; j < nT; j++) {
    let h = 0;
    let vh = 0;
    for (let s = 0; s < perTime.time.length && perTime.time[s]! <= times[j]!; s++) {
      h += perTime.hazard[s]!;
      vh += perTime.varHazard[s]!;
      for (let q = 0; q < p; q++) GX[j * p + q]! += perTime.xbarHazard[s * p + q]!;
    }
    H[j] = h;
    VH[j] = vh;
  }
  let nTotal = 0;
  for (const c of patternCount) nTotal += c;

  const levels = [term.reference!, ...term.levels.filter((l) => l !== term.reference)];
  const parts = levels.map((level) => {
    const surv = new Float64Array(nT);
    const A = new Float64Array(nT);
    const SRX = new Float64Array(nT * p); // mean S r x
    for (let k = 0; k < patterns.length; k++) {
      const row = patterns[k]!.slice();
      row[ti] = level;
      const x = designRow(model.terms, p, row);
      let eta = 0;
      for (let q = 0; q < p; q++) {
        x[q]! -= model.center[q]!;
        eta += x[q]! * model.coef[q]!;
      }
      const r = Math.exp(eta);
      const w = patternCount[k]! / nTotal;
      for (let j = 0; j < nT; j++) {
        const s = Math.exp(-H[j]! * r);
        surv[j]! += w * s;
        const wsr = w * s * r;
        A[j]! += wsr;
        for (let q = 0; q < p; q++) SRX[j * p + q]! += wsr * x[q]!;
      }
    }
    // c = H · mean(S r x) − X̄ · A
    const C = new Float64Array(nT * p);
    for (let j = 0; j < nT; j++) for (let q = 0; q < p; q++) C[j * p + q] = H[j]! * SRX[j * p + q]! - GX[j * p + q]! * A[j]!;
    return { level, surv, A, C };
  });

  const seOf = (a: number, c: Float64Array, j: number, sign = 1, c2?: Float64Array): number => {
    let quad = 0;
    for (let q1 = 0; q1 < p; q1++) {
      const v1 = c[j * p + q1]! - (c2 ? sign * c2[j * p + q1]! : 0);
      for (let q2 = 0; q2 < p; q2++) quad += v1 * V[q1]![q2]! * (c[j * p + q2]! - (c2 ? sign * c2[j * p + q2]! : 0));
    }
    return Math.sqrt(a * a * VH[j]! + quad);
  };

  const curves = parts.map(({ level, surv, A, C }) => {
    const se = Array.from({ length: nT }, (_, j) => seOf(A[j]!, C, j));
    const lim = Array.from({ length: nT }, (_, j) => confLimits(surv[j]!, se[j]! / surv[j]!, "log", z));
    return { level, surv: [...surv], se, lower: lim.map((l) => l[0]), upper: lim.map((l) => l[1]) };
  });
  const ref = parts.find((x) => x.level === term.reference)!;
  const differences = parts
    .filter((x) => x.level !== term.reference)
    .map(({ level, surv, A, C }) => {
      const diff = Array.from({ length: nT }, (_, j) => surv[j]! - ref.surv[j]!);
      const se = Array.from({ length: nT }, (_, j) => seOf(A[j]! - ref.A[j]!, C, j, 1, ref.C));
      return {
        level,
        reference: term.reference!,
        diff,
        se,
        lower: diff.map((d, j) => d - z * se[j]!),
        upper: diff.map((d, j) => d + z * se[j]!),
      };
    });
  return { group, times: [...times], variance, confLevel, curves, differences };
}
