/**
 * Cox proportional-hazards model with Efron ties on aggregated data, as R
 * `coxph(Surv(tijd, status) ~ …, ties = "efron")` (survival 3.x): Newton–Raphson with R's
 * step halving and convergence rule (`coxfit6.c`: stop when |1 − loglik_old/loglik_new| ≤ eps,
 * eps 1e-9 and iter.max 20 by default as `coxph.control`), model variance I⁻¹, score test at
 * β = 0, likelihood-ratio and Wald tests. The robust (person-clustered) variance and the robust
 * score test need per-person sums of score residuals and are computed in DuckDB
 * (./cox-duckdb.ts); this file does the arithmetic on aggregates only (./cox-sums.ts).
 *
 * Design: a categorical covariate becomes treatment-coded dummies, one per level except the
 * reference level; the reference is `reference` when given, else the first level in code-unit
 * order of the level strings (R's default factor levels sort by locale; the goldens set the
 * levels explicitly). Column names are R's: covariate name + level (`jobcoachextern`). A
 * numeric covariate is one column as is.
 *
 * Where this deliberately differs from R:
 *  - a level of a categorical covariate (the reference included) without any event gives an
 *    error naming the covariate and level; R returns an infinite/huge coefficient with a
 *    warning ("Loglik converged before variable … beta may be infinite").
 *  - collinear columns give an error naming the column; R drops them with an NA coefficient.
 *  - no strata, case weights, offsets, (start, stop] data or penalised terms.
 *
 * Why own numeric code: there is no maintained npm Cox implementation that takes aggregated
 * risk sets. Checked (2026-12): no npm package `coxph`, `cox-regression` or
 * `survival-analysis`; simple-statistics, jStat and @stdlib have no Cox model; the documentation
 * search finds Cox fitters only for R, Python (lifelines, statsmodels) and Rust. Those take one
 * row per subject in memory; the aggregate form (cells = covariate pattern × time) is what lets
 * DuckDB do the heavy lifting, and R's exact Efron/robust/zph arithmetic is what the goldens ask.
 */
import { coxSums, type CoxAggregate, type PerEventTime } from "./cox-sums.ts";
import { pchisqUpper } from "./distributions.ts";
import { cholesky, cholInverse, cholSolve, quadFormInverse, SingularMatrixError, TOLER_CHOL } from "../lib/linalg.ts";

export interface CoxCovariate {
  /** column name in the source relation */
  name: string;
  type: "categorical" | "numeric";
  /** reference level of a categorical covariate (default: the first level in code-unit order) */
  reference?: string;
}

export interface CoxTerm {
  name: string;
  type: "categorical" | "numeric";
  /** levels of a categorical covariate in code-unit order (empty for numeric) */
  levels: string[];
  reference: string | null;
  /** design column indices of this term (one per non-reference level) */
  columns: number[];
}

export interface CoxControl {
  /** relative loglik change for convergence (R coxph.control eps), default 1e-9 */
  eps?: number;
  /** R coxph.control iter.max, default 20 */
  iterMax?: number;
  /** R coxph.control toler.chol */
  tolerChol?: number;
}

export interface ChiSquareTest {
  chisq: number;
  df: number;
  p: number;
}

export interface CoxCoreFit {
  coef: number[];
  /** model-based variance I⁻¹ (p × p row-major) */
  variance: Float64Array;
  /** log partial likelihood at β = 0 and at the estimate */
  loglik: [number, number];
  scoreTest: ChiSquareTest;
  likelihoodRatioTest: ChiSquareTest;
  iterations: number;
  converged: boolean;
  /** score and baseline-hazard quantities per event time at the estimate (centred design) */
  perTime: PerEventTime;
  /** per event time at β = 0 (for the robust score test) */
  perTimeNull: PerEventTime;
}

export const chiSquare = (chisq: number, df: number): ChiSquareTest => ({ chisq, df, p: pchisqUpper(chisq, df) });

/** Design columns of the covariates over observed patterns; errors for levels without events. */
export function buildTerms(
  covariates: readonly CoxCovariate[],
  values: readonly (readonly (string | number)[])[],
  eventsPerPattern: ArrayLike<number>,
): { terms: CoxTerm[]; columnNames: string[] } {
  const terms: CoxTerm[] = [];
  const columnNames: string[] = [];
  covariates.forEach((cv, i) => {
    if (cv.type === "numeric") {
      if (cv.reference !== undefined) throw new Error(`Cox: numerieke covariaat "${cv.name}" heeft geen referentieniveau`);
      terms.push({ name: cv.name, type: "numeric", levels: [], reference: null, columns: [columnNames.length] });
      columnNames.push(cv.name);
      return;
    }
    const events = new Map<string, number>();
    values.forEach((row, k) => {
      const v = String(row[i]);
      events.set(v, (events.get(v) ?? 0) + eventsPerPattern[k]!);
    });
    const levels = [...events.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const reference = cv.reference ?? levels[0]!;
    if (!events.has(reference)) throw new Error(`Cox: referentieniveau "${reference}" komt niet voor in "${cv.name}"`);
    if (levels.length < 2) throw new Error(`Cox: covariaat "${cv.name}" heeft maar één niveau ("${reference}")`);
    for (const l of levels)
      if (events.get(l) === 0)
        throw new Error(
          `Cox: niveau "${l}" van "${cv.name}" heeft geen gebeurtenissen; de coëfficiënt zou oneindig zijn (voeg niveaus samen)`,
        );
    const columns: number[] = [];
    for (const l of levels) {
      if (l === reference) continue;
      columns.push(columnNames.length);
      columnNames.push(`${cv.name}${l}`);
    }
    terms.push({ name: cv.name, type: "categorical", levels, reference, columns });
  });
  return { terms, columnNames };
}

/** Design row of one pattern (uncentred). */
export function designRow(terms: readonly CoxTerm[], p: number, row: readonly (string | number)[]): Float64Array {
  const out = new Float64Array(p);
  terms.forEach((t, i) => {
    if (t.type === "numeric") out[t.columns[0]!] = Number(row[i]);
    else {
      const v = String(row[i]);
      if (v === t.reference) return;
      const li = t.levels.filter((l) => l !== t.reference).indexOf(v);
      if (li < 0) throw new Error(`Cox: onbekend niveau "${v}" van "${t.name}"`);
      out[t.columns[li]!] = 1;
    }
  });
  return out;
}

function nameSingular(e: unknown, columnNames: readonly string[]): never {
  if (e instanceof SingularMatrixError)
    throw new Error(`Cox: de informatiematrix is singulier bij kolom "${columnNames[e.column]}" (collineaire covariaten?)`);
  throw e;
}

/** Newton–Raphson as R coxfit6 (init β = 0). */
export function coxFitAggregate(agg: CoxAggregate, columnNames: readonly string[], control: CoxControl = {}): CoxCoreFit {
  const eps = control.eps ?? 1e-9;
  const iterMax = control.iterMax ?? 20;
  const toler = control.tolerChol ?? TOLER_CHOL;
  const p = agg.p;
  const chol = (a: Float64Array): Float64Array => {
    try {
      return cholesky(a, p, toler);
    } catch (e) {
      return nameSingular(e, columnNames);
    }
  };

  let beta = new Float64Array(p);
  const s0 = coxSums(agg, beta);
  const ll0 = s0.loglik;
  const l0 = chol(s0.imat[0]!);
  const step0 = cholSolve(l0, p, s0.u[0]!);
  let sctest = 0;
  for (let i = 0; i < p; i++) sctest += s0.u[0]![i]! * step0[i]!;

  let best = ll0;
  let newbeta = beta.map((b, i) => b + step0[i]!);
  let halving = 0;
  let converged = false;
  let iter = 0;
  let cur = s0;
  let curL = l0;
  for (iter = 1; iter <= iterMax; iter++) {
    const s = coxSums(agg, newbeta);
    let finite = Number.isFinite(s.loglik);
    for (const v of s.u[0]!) if (!Number.isFinite(v)) finite = false;
    for (const v of s.imat[0]!) if (!Number.isFinite(v)) finite = false;
    let l: Float64Array | null = null;
    if (finite) l = chol(s.imat[0]!);
    if (finite && Math.abs(1 - best / s.loglik) <= eps) {
      beta = newbeta;
      cur = s;
      curL = l!;
      best = s.loglik;
      converged = true;
      break;
    }
    if (iter === iterMax) break;
    if (!finite || s.loglik < best) {
      halving++;
      newbeta = newbeta.map((nb, i) => (nb + halving * beta[i]!) / (halving + 1));
    } else {
      halving = 0;
      best = s.loglik;
      const step = cholSolve(l!, p, s.u[0]!);
      beta = newbeta;
      cur = s;
      curL = l!;
      newbeta = newbeta.map((nb, i) => nb + step[i]!);
    }
  }
  if (!converged) {
    // as R: report the last good β with its information
    iter = Math.min(iter, iterMax);
    cur = coxSums(agg, beta);
    curL = chol(cur.imat[0]!);
    best = cur.loglik;
  }
  const variance = cholInverse(curL, p);
  return {
    coef: [...beta],
    variance,
    loglik: [ll0, best],
    scoreTest: chiSquare(sctest, p),
    likelihoodRatioTest: chiSquare(2 * (best - ll0), p),
    iterations: iter,
    converged,
    perTime: cur.perTime,
    perTimeNull: s0.perTime,
  };
}

/** Wald test βᵀ V⁻¹ β. */
export function waldTest(coef: readonly number[], variance: Float64Array, toler = TOLER_CHOL): ChiSquareTest {
  const p = coef.length;
  return chiSquare(quadFormInverse(variance, p, coef, toler), p);
}
