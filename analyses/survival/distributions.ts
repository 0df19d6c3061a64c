/**
 * The two distribution functions the survival engine needs, accurate to ~1e-15 relative in
 * the ranges used: the normal quantile (for confidence levels) and the chi-square upper tail
 * with an integer number of degrees of freedom (for the log-rank p-value).
 */

const SQRT_PI = Math.sqrt(Math.PI);

/** erf(x) for 0 <= x < 6 from the positive-term series erf(x) = 2x/√π e^{-x²} Σ (2x²)^n / (2n+1)!!. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 500; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

/** erfc(x) for x >= 2 from the continued fraction (modified Lentz). */
function erfcContinuedFraction(x: number): number {
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** Complementary error function, x >= 0. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erfSeries(x);
  return erfcContinuedFraction(x);
}

/** Standard normal upper tail P(Z > z). */
export function pnormUpper(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Standard normal quantile for p in (0, 1). A coarse rational start refined by Newton steps
 * on the accurate tail, so the result is good to a few ulps for the confidence levels used.
 */
export function qnorm(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  if (p < 0.5) return -qnorm(1 - p);
  if (p === 0.5) return 0;
  const q = 1 - p; // upper tail
  // starting value (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4)
  const t = Math.sqrt(-2 * Math.log(q));
  let z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  for (let i = 0; i < 50; i++) {
    const f = pnormUpper(z) - q;
    const dens = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    const step = f / dens; // d(upper)/dz = -dens, Newton: z += f/dens
    z += step;
    if (Math.abs(step) <= 1e-16 * Math.abs(z)) break;
  }
  return z;
}

/**
 * Chi-square upper tail P(X > x) for an integer number of degrees of freedom, as R
 * `pchisq(x, df, lower.tail = FALSE)`. Uses the closed forms for integer and half-integer
 * shape: even df a finite Poisson sum, odd df erfc plus a finite sum (all terms positive).
 */
export function pchisqUpper(x: number, df: number): number {
  if (!Number.isInteger(df) || df < 0) throw new Error(`pchisqUpper: df moet een niet-negatief geheel getal zijn, niet ${df}`);
  if (Number.isNaN(x)) return NaN;
  if (df === 0) return x > 0 ? 0 : 1;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  const y = x / 2;
  if (df % 2 === 0) {
    // Q(k, y) = e^{-y} Σ_{j<k} y^j / j!, summed in log space per term for large y
    const k = df / 2;
    let sum = 0;
    let logTerm = -y; // log(e^{-y} y^0/0!)
    for (let j = 0; j < k; j++) {
      if (j > 0) logTerm += Math.log(y) - Math.log(j);
      sum += Math.exp(logTerm);
    }
    return Math.min(1, sum);
  }
  // Q(1/2, y) = erfc(√y); Q(a+1, y) = Q(a, y) + y^a e^{-y} / Γ(a+1)
  let q = erfc(Math.sqrt(y));
  let a = 0.5;
  let logTerm = 0.5 * Math.log(y) - y - Math.log(SQRT_PI / 2); // log(y^{1/2} e^{-y} / Γ(3/2))
  for (let j = 0; j < (df - 1) / 2; j++) {
    q += Math.exp(logTerm);
    a += 1;
    logTerm += Math.log(y) - Math.log(a); // next term y^a e^{-y}/Γ(a+1) = previous · y / a
  }
  return Math.min(1, q);
}
