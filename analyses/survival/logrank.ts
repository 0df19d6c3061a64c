import { pchisqUpper } from "./distributions.ts";
import { normaliseCounts } from "./km.ts";
import type { LogRankResult, TimeCount } from "./types.ts";

/** Solve A x = b for a small symmetric positive (semi)definite A by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
    if (m[piv][col] === 0) throw new Error("logRank: singuliere variantiematrix");
    [m[col], m[piv]] = [m[piv], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
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
      const c = rows[i][pos[i]];
      if (c && c.time === t) {
        dG[i] = c.nEvent;
        exitG[i] = c.nEvent + c.nCensor;
        pos[i]++;
      } else {
        dG[i] = 0;
        exitG[i] = 0;
      }
      d += dG[i];
      nTot += atRisk[i];
    }
    if (d > 0) {
      for (let i = 0; i < g; i++) expected[i] += (d * atRisk[i]) / nTot;
      if (nTot > 1) {
        const kk = (d * (nTot - d)) / (nTot * (nTot - 1));
        for (let i = 0; i < g; i++) {
          if (atRisk[i] === 0) continue;
          const pi = atRisk[i] / nTot;
          variance[i][i] += kk * atRisk[i] * (1 - pi);
          for (let j = i + 1; j < g; j++) {
            const v = kk * atRisk[i] * (atRisk[j] / nTot);
            variance[i][j] -= v;
            variance[j][i] -= v;
          }
        }
      }
    }
    for (let i = 0; i < g; i++) atRisk[i] -= exitG[i];
  }

  const keep = expected.map((e, i) => (e > 0 ? i : -1)).filter((i) => i >= 0);
  let chisq = 0;
  if (keep.length >= 2) {
    const idx = keep.slice(1);
    const diff = idx.map((i) => observed[i] - expected[i]);
    const vv = idx.map((i) => idx.map((j) => variance[i][j]));
    const x = solve(vv, diff);
    chisq = x.reduce((s, xi, k) => s + xi * diff[k], 0);
  }
  const df = keep.length - 1;
  const p = pchisqUpper(chisq, Math.max(df, 0)); // df 0 gives 1, as R
  return { groups: names, n, observed, expected, variance, chisq, df, p };
}
