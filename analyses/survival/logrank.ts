import { pchisqUpper } from "./distributions.ts";
import { normaliseCounts } from "./km.ts";
import type { LogRankResult, TimeCount } from "./types.ts";

class Singular extends Error {}

/**
 * x'A⁻x for a symmetric positive semidefinite A with a generalised inverse, as R's
 * `cholesky2`/`chsolve2` (used by coxph's score test): an LDL' decomposition in which a pivot
 * below `toler` × the largest diagonal element is set to zero with its row and column, so the
 * quadratic form is taken over the rank of A. Returns the form and the rank.
 */
export function quadFormGinv(a: number[][], b: number[], toler = 1e-9): { value: number; rank: number } {
  const n = b.length;
  const m = a.map((r) => [...r]);
  const eps = toler * Math.max(0, ...m.map((r, i) => Math.abs(r[i]!)));
  let rank = 0;
  for (let i = 0; i < n; i++) {
    const pivot = m[i]![i]!;
    if (!(pivot > eps)) {
      for (let j = i; j < n; j++) m[j]![i] = 0;
      m[i]![i] = 0;
      continue;
    }
    rank++;
    for (let j = i + 1; j < n; j++) {
      const t = m[j]![i]! / pivot;
      m[j]![i] = t;
      for (let k = i + 1; k <= j; k++) m[j]![k]! -= t * m[k]![i]! * pivot;
    }
  }
  // solve L y = b, then x'A⁻x = Σ y_i² / d_i over the kept pivots
  const y = [...b];
  for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) y[i]! -= m[i]![k]! * y[k]!;
  let value = 0;
  for (let i = 0; i < n; i++) if (m[i]![i]! > 0) value += (y[i]! * y[i]!) / m[i]![i]!;
  return { value, rank };
}

/** Solve A x = b for a small symmetric positive (semi)definite A by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  const scale = Math.max(0, ...a.map((r, i) => Math.abs(r[i]!)));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[piv]![col]!)) piv = r;
    if (!(Math.abs(m[piv]![col]!) > 1e-9 * scale)) throw new Singular();
    [m[col], m[piv]] = [m[piv]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let c = r + 1; c < n; c++) s -= m[r]![c]! * x[c]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/**
 * Log-rank test between groups, as R `survdiff(Surv(time, status) ~ group)` with rho = 0:
 * observed and expected events per group, the hypergeometric variance matrix, and
 * chisq = (O−E)' V⁻ (O−E) over the groups with expected > 0 (first such group dropped), df =
 * that number of groups − 1, p from the chi-square upper tail. Groups in Map order.
 * O(distinct times × groups²).
 */
export function logRank(groups: Map<string, TimeCount[]>): LogRankResult {
  const names = [...groups.keys()];
  const g = names.length;
  const rows = names.map((k) => normaliseCounts(groups.get(k) ?? []));
  const n = rows.map((r) => r.reduce((s, c) => s + c.nEvent + c.nCensor, 0));
  const observed = rows.map((r) => r.reduce((s, c) => s + c.nEvent, 0));
  const expected = new Array<number>(g).fill(0);
  const variance = names.map(() => new Array<number>(g).fill(0));

  // merge the groups' distinct times
  const allTimes = [...new Set(rows.flatMap((r) => r.map((c) => c.time)))].sort((a, b) => a - b);
  const pos = new Array<number>(g).fill(0);
  const atRisk = [...n];
  const dG = new Array<number>(g).fill(0);
  const exitG = new Array<number>(g).fill(0);
  for (const t of allTimes) {
    let d = 0;
    let nTot = 0;
    for (let i = 0; i < g; i++) {
      const c = rows[i]![pos[i]!];
      if (c && c.time === t) {
        dG[i] = c.nEvent;
        exitG[i] = c.nEvent + c.nCensor;
        pos[i]!++;
      } else {
        dG[i] = 0;
        exitG[i] = 0;
      }
      d += dG[i]!;
      nTot += atRisk[i]!;
    }
    if (d > 0) {
      for (let i = 0; i < g; i++) expected[i]! += (d * atRisk[i]!) / nTot;
      if (nTot > 1) {
        const kk = (d * (nTot - d)) / (nTot * (nTot - 1));
        for (let i = 0; i < g; i++) {
          if (atRisk[i] === 0) continue;
          const pi = atRisk[i]! / nTot;
          variance[i]![i]! += kk * atRisk[i]! * (1 - pi);
          for (let j = i + 1; j < g; j++) {
            const v = kk * atRisk[i]! * (atRisk[j]! / nTot);
            variance[i]![j]! -= v;
            variance[j]![i]! -= v;
          }
        }
      }
    }
    for (let i = 0; i < g; i++) atRisk[i]! -= exitG[i]!;
  }

  const keep = expected.map((e, i) => (e > 0 ? i : -1)).filter((i) => i >= 0);
  let chisq = 0;
  let df = keep.length - 1;
  if (keep.length >= 2) {
    const idx = keep.slice(1);
    const diff = idx.map((i) => observed[i]! - expected[i]!);
    const vv = idx.map((i) => idx.map((j) => variance[i]![j]!));
    try {
      const x = solve(vv, diff);
      chisq = x.reduce((s, xi, k) => s + xi * diff[k]!, 0);
    } catch (e) {
      if (!(e instanceof Singular)) throw e;
      // R's survdiff stops here ("system is exactly singular"); the test over the rank of V is
      // what can be said (e.g. every death time took all at risk: V = 0, nothing to test)
      const g = quadFormGinv(vv, diff);
      if (g.rank === 0)
        return { groups: names, n, observed, expected, variance, chisq: null, df: 0, p: null, reden: "variantie 0: geen toets mogelijk" };
      chisq = g.value;
      df = g.rank;
    }
  }
  const p = pchisqUpper(chisq, Math.max(df, 0)); // df 0 gives 1, as R
  return { groups: names, n, observed, expected, variance, chisq, df, p };
}
