/**
 * Multinomial logistic regression by Newton–Raphson on aggregated data: one row per covariate
 * pattern with the number of endings per group (frequency weights). Equal to the maximum-
 * likelihood fit of R `nnet::multinom` (baseline-category logit, group 0 the reference), which
 * test/adjust/multinomial.test.ts checks against fixtures from scripts/r/make-golden-ipw.R.
 *
 * Own code, not a library: the npm packages for logistic regression (ml-logistic-regression
 * and the like) fit one-vs-rest models by gradient descent, without frequency weights and
 * without converging to the optimum at 1e-9; none gives the multinomial likelihood with
 * standard errors. The model here is small (a few thousand patterns × 3 groups, (K−1)·p
 * unknowns), so Newton converges in a handful of iterations to machine precision.
 *
 * Model: log(π_k / π_0) = x·β_k for k = 1..K−1. With n_pk endings of group k in pattern p and
 * N_p = Σ_k n_pk:
 *   log L = Σ_p [ Σ_k n_pk η_pk − N_p log(1 + Σ_k e^{η_pk}) ]
 *   ∂/∂β_k = Σ_p x_p (n_pk − N_p π_pk)
 *   information I_{kl} = Σ_p N_p x_p x_pᵀ (π_pk δ_kl − π_pk π_pl)
 * The design is sparse (an intercept, one dummy per categorical covariate, a value and a
 * missing indicator per numeric one), so each pattern adds (K−1)²·w² terms to I, w the
 * number of non-zero slots. Steps are halved when the likelihood would fall.
 *
 * With a ridge penalty λ_j on some terms (the interaction terms of the propensity model) the fit
 * maximises log L − ½ Σ_k Σ_j λ_j β_kj²: the gradient gets −λ_j β_kj and the information +λ_j on
 * its diagonal. The standard errors are then those of the penalised information (the posterior
 * standard deviations under the normal prior the penalty is); the deviance stays −2 log L.
 */
import { cholesky, cholInverse, cholSolve } from "../lib/linalg.ts";

/** A pivot below this × the largest diagonal element of the information marks a collinear term. */
const PIVOT_TOLERANCE = 1e-10;

/** The diagonal of a row-major n×n matrix. */
const diagonal = (a: Float64Array, n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => a[i * n + i]!);

/** The aggregated design: per pattern a few non-zero (term, value) slots and the counts per group. */
export interface PatternDesign {
  nPatterns: number;
  nTerms: number;
  nGroups: number;
  /** non-zero slots per pattern */
  width: number;
  /** idx[p·width + s]: term of slot s of pattern p, −1 for an empty slot; term 0 is the intercept */
  idx: Int32Array;
  val: Float64Array;
  /** counts[p·nGroups + k]: endings of group k with pattern p */
  counts: Float64Array;
}

export interface MultinomialResult {
  /** theta[(k−1)·nTerms + j]: coefficient of term j for group k */
  theta: Float64Array;
  se: Float64Array;
  deviance: number;
  iterations: number;
  /** prob[p·nGroups + k] */
  prob: Float64Array;
}

export class NoConvergenceError extends Error {}

const MAX_ITER = 100;
/** stop when no coefficient moves more than this (absolute; coefficients are log odds ratios) */
const STEP_TOL = 1e-11;

/** −½ Σ λ_j β_kj² (0 without a penalty). */
function penaltyOf(theta: Float64Array, p: number, ridge: Float64Array | null): number {
  if (!ridge) return 0;
  let s = 0;
  for (let i = 0; i < theta.length; i++) s += ridge[i % p]! * theta[i]! * theta[i]!;
  return -0.5 * s;
}

function evaluate(d: PatternDesign, theta: Float64Array, prob: Float64Array): number {
  const { nPatterns: P, nGroups: K, nTerms: p, width: w, idx, val, counts } = d;
  const eta = new Float64Array(K);
  let ll = 0;
  for (let i = 0; i < P; i++) {
    let m = 0;
    eta[0] = 0;
    for (let k = 1; k < K; k++) {
      let e = 0;
      const off = (k - 1) * p;
      for (let s = 0; s < w; s++) {
        const j = idx[i * w + s]!;
        if (j >= 0) e += theta[off + j]! * val[i * w + s]!;
      }
      eta[k] = e;
      if (e > m) m = e;
    }
    let z = 0;
    for (let k = 0; k < K; k++) z += Math.exp(eta[k]! - m);
    const lse = m + Math.log(z);
    let nTot = 0;
    for (let k = 0; k < K; k++) {
      const n = counts[i * K + k]!;
      prob[i * K + k] = Math.exp(eta[k]! - lse);
      nTot += n;
      if (n > 0) ll += n * eta[k]!;
    }
    ll -= nTot * lse;
  }
  return ll;
}

/** Gradient and information matrix (row-major, dim × dim) at the probabilities `prob`. */
function derivatives(d: PatternDesign, prob: Float64Array): { grad: Float64Array; info: Float64Array } {
  const { nPatterns: P, nGroups: K, nTerms: p, width: w, idx, val, counts } = d;
  const q = K - 1;
  const dim = q * p;
  const grad = new Float64Array(dim);
  const info = new Float64Array(dim * dim);
  for (let i = 0; i < P; i++) {
    let nTot = 0;
    for (let k = 0; k < K; k++) nTot += counts[i * K + k]!;
    if (nTot === 0) continue;
    for (let k = 1; k < K; k++) {
      const r = counts[i * K + k]! - nTot * prob[i * K + k]!;
      for (let s = 0; s < w; s++) {
        const j = idx[i * w + s]!;
        if (j >= 0) grad[(k - 1) * p + j]! += r * val[i * w + s]!;
      }
    }
    for (let k = 1; k < K; k++) {
      const pk = prob[i * K + k]!;
      for (let l = k; l < K; l++) {
        const c = nTot * ((k === l ? pk : 0) - pk * prob[i * K + l]!);
        if (c === 0) continue;
        const rowOff = (k - 1) * p;
        const colOff = (l - 1) * p;
        for (let s = 0; s < w; s++) {
          const a = idx[i * w + s]!;
          if (a < 0) continue;
          const ca = c * val[i * w + s]!;
          const base = (rowOff + a) * dim + colOff;
          for (let t = 0; t < w; t++) {
            const b = idx[i * w + t]!;
            if (b >= 0) info[base + b]! += ca * val[i * w + t]!;
          }
        }
      }
    }
  }
  // mirror the blocks below the block diagonal
  for (let k = 0; k < q; k++)
    for (let l = k + 1; l < q; l++)
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) info[(l * p + b) * dim + k * p + a] = info[(k * p + a) * dim + l * p + b]!;
  return { grad, info };
}

/**
 * Fit by Newton–Raphson from the marginal shares (intercepts log(n_k/n_0), other coefficients 0).
 * Throws SingularMatrixError (../lib/linalg.ts) when the design is rank-deficient, and
 * NoConvergenceError when the likelihood has no maximum within reach (separation).
 */
export function fitMultinomial(d: PatternDesign, ridge: Float64Array | null = null): MultinomialResult {
  const { nPatterns: P, nGroups: K, nTerms: p } = d;
  const q = K - 1;
  const dim = q * p;
  if (ridge && (ridge.length !== p || ridge.some((l) => !(l >= 0 && Number.isFinite(l)))))
    throw new Error(`multinomiaal model: de straf moet ${p} getallen >= 0 zijn`);
  /** the penalised objective and derivatives */
  const objective = (t: Float64Array, pr: Float64Array) => evaluate(d, t, pr) + penaltyOf(t, p, ridge);
  const penalisedDerivatives = (t: Float64Array, pr: Float64Array) => {
    const r = derivatives(d, pr);
    if (ridge)
      for (let i = 0; i < dim; i++) {
        const l = ridge[i % p]!;
        r.grad[i]! -= l * t[i]!;
        r.info[i * dim + i]! += l;
      }
    return r;
  };
  const totals = new Float64Array(K);
  for (let i = 0; i < P; i++) for (let k = 0; k < K; k++) totals[k]! += d.counts[i * K + k]!;
  for (let k = 0; k < K; k++) if (!(totals[k]! > 0)) throw new Error(`multinomiaal model: groep ${k} heeft geen waarnemingen`);
  let theta = new Float64Array(dim);
  for (let k = 1; k < K; k++) theta[(k - 1) * p] = Math.log(totals[k]! / totals[0]!);
  let prob = new Float64Array(P * K);
  let ll = objective(theta, prob);
  for (let iter = 1; iter <= MAX_ITER; iter++) {
    const { grad, info } = penalisedDerivatives(theta, prob);
    const l = cholesky(info, dim, PIVOT_TOLERANCE);
    const step = cholSolve(l, dim, grad);
    let maxStep = 0;
    for (let j = 0; j < dim; j++) maxStep = Math.max(maxStep, Math.abs(step[j]!));
    let f = 1;
    let next = new Float64Array(dim);
    let nextProb = new Float64Array(P * K);
    let nextLl = -Infinity;
    for (let half = 0; half < 40; half++) {
      for (let j = 0; j < dim; j++) next[j] = theta[j]! + f * step[j]!;
      nextLl = objective(next, nextProb);
      // accept any step that does not lower the likelihood beyond rounding
      if (nextLl >= ll - 1e-12 * Math.abs(ll)) break;
      f /= 2;
    }
    theta = next;
    prob = nextProb;
    ll = nextLl;
    if (maxStep * f < STEP_TOL) {
      const final = penalisedDerivatives(theta, prob);
      const inv = diagonal(cholInverse(cholesky(final.info, dim, PIVOT_TOLERANCE), dim), dim);
      const se = new Float64Array(dim);
      for (let j = 0; j < dim; j++) se[j] = Math.sqrt(inv[j]!);
      return { theta, se, deviance: -2 * (ll - penaltyOf(theta, p, ridge)), iterations: iter, prob };
    }
    next = new Float64Array(dim);
    nextProb = new Float64Array(P * K);
  }
  throw new NoConvergenceError(
    `multinomiaal model: geen convergentie na ${MAX_ITER} Newton-stappen (scheiding: een combinatie van kenmerken voorspelt de groep volledig)`,
  );
}
