import { confLimits, zValue } from "./confint.ts";
import type { AalenJohansenTable, CompetingTimeCount, ConfType, KmOptions } from "./types.ts";

/** Sort by time, merge duplicate times, drop empty times; every row gets `nCauses` causes. */
export function normaliseCompeting(counts: readonly CompetingTimeCount[], nCauses?: number): { rows: CompetingTimeCount[]; k: number } {
  const k = nCauses ?? counts.reduce((m, c) => Math.max(m, c.nEvents.length), 0);
  for (const c of counts) {
    if (!Number.isFinite(c.time)) throw new Error(`survival: tijd moet een eindig getal zijn, niet ${c.time}`);
    if (c.nEvents.length > k) throw new Error(`survival: ${c.nEvents.length} oorzaken op tijd ${c.time}, verwacht ten hoogste ${k}`);
    for (const v of [...c.nEvents, c.nCensor]) {
      if (!(Number.isFinite(v) && v >= 0)) throw new Error(`survival: aantallen op tijd ${c.time} moeten eindige getallen >= 0 zijn`);
    }
  }
  const src = [...counts].sort((a, b) => a.time - b.time);
  const rows: CompetingTimeCount[] = [];
  for (const c of src) {
    const total = c.nCensor + c.nEvents.reduce((s, v) => s + v, 0);
    if (total === 0) continue;
    const last = rows[rows.length - 1];
    if (last && last.time === c.time) {
      for (let j = 0; j < c.nEvents.length; j++) last.nEvents[j]! += c.nEvents[j]!;
      last.nCensor += c.nCensor;
    } else {
      const ev = new Array<number>(k).fill(0);
      for (let j = 0; j < c.nEvents.length; j++) ev[j] = c.nEvents[j]!;
      rows.push({ time: c.time, nEvents: ev, nCensor: c.nCensor });
    }
  }
  return { rows, k };
}

/**
 * Aalen–Johansen cumulative incidence for competing risks (one initial state, k absorbing
 * causes), as R `survfit(Surv(time, factor(status, 0:k)) ~ 1)`:
 *   S(t) = Π (1 − d_j/n_j),  F_c(t) = Σ_{t_j ≤ t} S(t_{j−1}) d_cj / n_j.
 *
 * Standard error: R 3.x uses the infinitesimal jackknife for multi-state curves,
 * var F_c(t) = Σ_i (∂F_c(t)/∂w_i)², each subject its own cluster when there is no id. With
 * counts only, subjects with the same exit time and status share one influence value, and
 * the influence of those who left earlier evolves linearly afterwards:
 *   D ← (1 − h_j) D,  F_c ← F_c + h_cj D       (D = influence on S, h = hazards at t_j)
 * so the sum of squares over everyone who has left is carried as Σ D², Σ D·F_c, Σ F_c²
 * (O(k) per time), and those still at risk share one influence value. Whole fit O(T·k).
 * The CI is R's on the probability itself (log scale by default: se/F on log F).
 */
export function aalenJohansen(counts: readonly CompetingTimeCount[], opts: KmOptions & { nCauses?: number } = {}): AalenJohansenTable {
  const confType: ConfType = opts.confType ?? "log";
  const confLevel = opts.confLevel ?? 0.95;
  const z = zValue(confLevel);
  const { rows, k } = normaliseCompeting(counts, opts.nCauses);
  const m = rows.length;
  let n = 0;
  for (const r of rows) n += r.nCensor + r.nEvents.reduce((s, v) => s + v, 0);

  const time = new Array<number>(m);
  const nRisk = new Array<number>(m);
  const nCensor = new Array<number>(m);
  const surv = new Array<number>(m);
  const mk = () => Array.from({ length: k }, () => new Array<number>(m));
  const nEvent = mk();
  const cumInc = mk();
  const stdErr = mk();
  const lower = mk();
  const upper = mk();

  let atRisk = n;
  let s = 1; // S(t_{j-1})
  const F = new Array<number>(k).fill(0);
  // influence of a subject still at risk: A on S, B[c] on F_c
  let A = 0;
  const B = new Array<number>(k).fill(0);
  // sums over subjects who have left: Σ D², Σ D F_c, Σ F_c²
  let sDD = 0;
  const sDF = new Array<number>(k).fill(0);
  const sFF = new Array<number>(k).fill(0);
  const h = new Array<number>(k).fill(0);
  const fExit = new Array<number>(k).fill(0);

  for (let j = 0; j < m; j++) {
    const row = rows[j]!;
    let d = 0;
    for (let c = 0; c < k; c++) d += row.nEvents[c]!;
    const nj = atRisk;
    const hj = d / nj;
    for (let c = 0; c < k; c++) h[c] = row.nEvents[c]! / nj;
    const q = 1 - hj;

    if (d > 0) {
      // 1. carry the subjects who left before t_j through this time's hazards
      for (let c = 0; c < k; c++) {
        sFF[c]! += 2 * h[c]! * sDF[c]! + h[c]! * h[c]! * sDD;
        sDF[c] = q * (sDF[c]! + h[c]! * sDD);
      }
      sDD *= q * q;
    }
    // 2. subjects leaving at t_j: censored (status 0) and each cause
    const sPrev = s;
    for (let st = 0; st <= k; st++) {
      const cnt = st === 0 ? row.nCensor : row.nEvents[st - 1]!;
      if (cnt === 0) continue;
      const dExit = A * q - (sPrev * ((st === 0 ? 0 : 1) - hj)) / nj;
      for (let c = 0; c < k; c++) {
        fExit[c] = B[c]! + A * h[c]! + (sPrev * ((st === c + 1 ? 1 : 0) - h[c]!)) / nj;
      }
      sDD += cnt * dExit * dExit;
      for (let c = 0; c < k; c++) {
        sDF[c]! += cnt * dExit * fExit[c]!;
        sFF[c]! += cnt * fExit[c]! * fExit[c]!;
      }
    }
    // 3. subjects staying at risk past t_j
    if (d > 0) {
      for (let c = 0; c < k; c++) B[c]! += A * h[c]! - (sPrev * h[c]!) / nj;
      A = A * q + (sPrev * hj) / nj;
      for (let c = 0; c < k; c++) F[c]! += sPrev * h[c]!;
      s = sPrev * q;
    }
    const stay = nj - d - row.nCensor;

    time[j] = row.time;
    nRisk[j] = nj;
    nCensor[j] = row.nCensor;
    surv[j] = s;
    for (let c = 0; c < k; c++) {
      nEvent[c]![j] = row.nEvents[c]!;
      cumInc[c]![j] = F[c]!;
      const v = sFF[c]! + stay * B[c]! * B[c]!;
      const se = Math.sqrt(Math.max(v, 0));
      stdErr[c]![j] = se;
      const seLog = se === 0 ? 0 : se / F[c]!;
      const [lo, up] = confLimits(F[c]!, seLog, confType, z);
      lower[c]![j] = lo;
      upper[c]![j] = up;
    }
    atRisk -= d + row.nCensor;
  }
  return { n, confType, confLevel, time, nRisk, nEvent, nCensor, surv, cumInc, stdErr, lower, upper };
}
