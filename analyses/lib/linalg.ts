/**
 * Small dense symmetric positive-definite linear algebra for the Cox model and the multinomial
 * propensity model (p ≤ a few hundred columns): Cholesky factorisation, solve and inverse,
 * row-major Float64Array. Hand-written
 * because these three loops are all the Cox code needs and the npm matrix libraries
 * (ml-matrix, mathjs) would add a dependency for them without R's singularity rule: a pivot
 * ≤ toler × the largest diagonal element marks a column as collinear (R `cholesky2`, toler
 * `coxph.control()$toler.chol` = .Machine$double.eps^0.75). Here that is an error naming the
 * column, where R would drop it with an NA coefficient.
 */

export const TOLER_CHOL = 2.220446049250313e-16 ** 0.75;

export class SingularMatrixError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = "SingularMatrixError";
  }
}

/** Lower-triangular L with A = L Lᵀ (row-major n×n). Throws SingularMatrixError on a (near-)zero pivot. */
export function cholesky(a: Float64Array, n: number, toler = TOLER_CHOL): Float64Array {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]!));
  const eps = toler * maxDiag;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2;
    if (!(d > eps)) throw new SingularMatrixError(`matrix is singular at column ${j}`, j);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solve (L Lᵀ) x = b. */
export function cholSolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  return y;
}

/** (L Lᵀ)⁻¹, row-major. */
export function cholInverse(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = cholSolve(l, n, e);
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i]!;
  }
  // symmetrise against rounding
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const m = (inv[i * n + j]! + inv[j * n + i]!) / 2;
      inv[i * n + j] = m;
      inv[j * n + i] = m;
    }
  return inv;
}

/** xᵀ A⁻¹ x for SPD A (quadratic form via Cholesky). */
export function quadFormInverse(a: Float64Array, n: number, x: ArrayLike<number>, toler = TOLER_CHOL): number {
  const l = cholesky(a, n, toler);
  const y = cholSolve(l, n, x);
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]! * y[i]!;
  return s;
}

/** Sub-matrix of a row-major n×n matrix at the given indices. */
export function subMatrix(a: Float64Array, n: number, idx: readonly number[]): Float64Array {
  const m = idx.length;
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) out[i * m + j] = a[idx[i]! * n + idx[j]!]!;
  return out;
}

/** A B A for symmetric A, B (n×n, row-major): the sandwich of the robust variance. */
export function sandwich(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const ab = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) ab[i * n + j]! += aik * b[k * n + j]!;
    }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const v = ab[i * n + k]!;
      if (v === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += v * a[k * n + j]!;
    }
  return out;
}
