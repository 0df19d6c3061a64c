/**
 * Cholesky factorisation of a small dense symmetric positive-definite matrix (the information
 * matrix of the propensity model, (K−1)·p ≤ a few hundred rows), solve and inverse. Own code:
 * the project has no linear-algebra dependency, and these 40 lines are all the model needs.
 */

export class SingularMatrixError extends Error {
  constructor(
    /** the first column (0-based) that is a linear combination of the columns before it */
    readonly column: number,
  ) {
    super(`matrix is niet positief definiet in kolom ${column}`);
    this.name = "SingularMatrixError";
  }
}

/** Lower-triangular L with A = L Lᵀ (A row-major n×n, not modified). Throws SingularMatrixError on a pivot ≤ tol·max diagonal. */
export function cholesky(a: Float64Array, n: number, relTol = 1e-10): Float64Array {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]!));
  const tol = relTol * maxDiag;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    if (!(d > tol)) throw new SingularMatrixError(j);
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

/** Solve L Lᵀ x = b. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
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

/** Diagonal of A⁻¹ from its Cholesky factor (column by column). */
export function choleskyInverseDiagonal(l: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    out[j] = choleskySolve(l, n, e)[j]!;
  }
  return out;
}
