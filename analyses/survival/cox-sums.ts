/**
 * Efron partial-likelihood sums of the Cox model on aggregated data, the one numeric kernel
 * that the fit (./cox.ts), the proportional-hazards test (./cox-zph.ts), the score residuals
 * (./cox-duckdb.ts) and the standardised curves (./standardise.ts) share.
 *
 * Data are right-censored without late entry, aggregated to cells (covariate pattern k, time t)
 * with counts of events and censorings; pattern k has covariate row x_k (centred by the column
 * means over all rows, as R does; every result here is invariant to that shift). For β, with
 * r_k = exp(x_k β), at each event time t with d events:
 *   S0, S1, S2 = Σ r n x^{0,1,2} over cells with time ≥ t (all at risk);
 *   e0, e1, e2 = the same over the events at t only;
 *   for l = 0..d−1 (Efron): f_l = l/d, D_l = S0 − f_l e0, x̄_l = (S1 − f_l e1)/D_l;
 *   loglik  += Σ_events x β − Σ_l log D_l
 *   U       += Σ_events x − Σ_l x̄_l
 *   I       += Σ_l [(S2 − f_l e2)/D_l − x̄_l x̄_lᵀ]
 * Σ_l only needs the scalars Σ 1/D, Σ f/D, Σ 1/D², Σ f/D², Σ f²/D², so a time with d tied
 * events costs O(d + p²). The S2 part is never formed per time: Σ_t w_t Σ_l (S2 − f e2)/D_l =
 * Σ_k x_k x_kᵀ W_k with per-pattern weights W_k = Σ_cells r n_tot C_w(t_cell) − r n_ev w_t F(t),
 * C_w(t) = Σ_{event times s ≤ t} w_s Σ_l 1/D_l(s), F(t) = Σ_l f_l/D_l(t), so one pass costs
 * O(cells · p + patterns · p² + times · p²). Time weights w (ones for the fit, g(t) and g(t)²
 * for cox.zph) give the weighted U and I in the same pass.
 *
 * Per event time it also returns what the baseline hazard and the score residuals need (R
 * `agsurv` with Efron ties, `coxscore2`):
 *   hazard h = Σ_l 1/D_l, varHazard Σ_l 1/D_l², xbarHazard Σ_l x̄_l/D_l,
 *   mean x̄ = (1/d) Σ_l x̄_l (Schoenfeld mean), hazDead Σ_l (1−f_l)/D_l and
 *   xbarHazDead Σ_l (1−f_l) x̄_l/D_l (what an event at t is charged at its own time).
 *
 * Case weights (R `coxph(..., weights = w)`, coxfit6.c / coxscore2.c): the cells then also
 * carry the weight sums of their events and censorings. S0, S1, S2, e0, e1, e2 and the event
 * sums Σ x, Σ xβ are weighted; the Efron steps l = 0..d−1 still run over the d events (counts)
 * and each step counts with the mean event weight m = (Σ event weights)/d: loglik −= m Σ_l log
 * D_l, U −= m Σ_l x̄_l, I += m Σ_l [...], h = m Σ_l 1/D_l and so on (varHazard m² Σ_l 1/D_l²);
 * `mean` stays (1/d) Σ_l x̄_l. Without weights m = 1 and the weight sums are the counts.
 *
 * Cost: the sums over cells use the uncentred design in sparse form (a categorical covariate
 * is one non-zero per pattern, so a row of p dummies costs one step per term, not p) and are
 * centred afterwards per event time (S1 − c S0, e1 − c e0, Σ x − c Σ w) and per information
 * matrix (Σ W (x − c)(x − c)ᵀ from Σ W x xᵀ, Σ W x, Σ W). The risk scores use the centred
 * design, as R. The fit calls this a handful of times, mostly before the JIT has optimised it:
 * fewer steps per cell is what keeps the first calls cheap.
 */

export interface CoxAggregate {
  /** number of design columns */
  p: number;
  nPattern: number;
  /** design rows of the patterns, centred, row-major nPattern × p */
  x: Float64Array;
  /** the column means x is centred by: x + center is the design */
  center: Float64Array;
  /** the uncentred design in sparse rows (`sparseRows`) */
  sparse: SparseRows;
  /** cells sorted by time ascending */
  cellPattern: Int32Array;
  cellTime: Float64Array;
  cellEvent: Float64Array;
  cellCensor: Float64Array;
  /** case weights: per cell the sum of the weights of its events and of its censorings (absent: the counts) */
  cellEventWeight?: Float64Array;
  cellCensorWeight?: Float64Array;
}

/** Non-zero entries of the uncentred design per pattern: columns col[start[k] .. start[k+1]) with values val. */
export interface SparseRows {
  start: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

/** The non-zeros of a row-major nPattern × p design. */
export function sparseRows(design: Float64Array, nPattern: number, p: number): SparseRows {
  const start = new Int32Array(nPattern + 1);
  const col: number[] = [];
  const val: number[] = [];
  for (let k = 0; k < nPattern; k++) {
    start[k] = col.length;
    for (let j = 0; j < p; j++) {
      const v = design[k * p + j]!;
      if (v !== 0) {
        col.push(j);
        val.push(v);
      }
    }
  }
  start[nPattern] = col.length;
  return { start, col: Int32Array.from(col), val: Float64Array.from(val) };
}

export interface PerEventTime {
  time: Float64Array;
  nEvent: Float64Array;
  hazard: Float64Array;
  varHazard: Float64Array;
  hazDead: Float64Array;
  /** nTimes × p, row-major */
  xbarHazard: Float64Array;
  xbarHazDead: Float64Array;
  mean: Float64Array;
  /** per-time score Σ_events x − Σ_l x̄_l (nTimes × p) */
  score: Float64Array;
}

export interface CoxSums {
  loglik: number;
  /** weighted scores, one per time weight (the first is the unweighted U when weights are omitted) */
  u: Float64Array[];
  /** weighted information matrices (p × p row-major), one per time weight */
  imat: Float64Array[];
  perTime: PerEventTime;
}

/*
 * The per-event-time steps are small functions of their own: called once per event time, V8
 * optimises them after a few calls, where a loop body inside the one big function ran in the
 * interpreter for most of the fit's few calls (4 × 0.15 s at scale 1).
 */

/** Efron scalars at one event time: Σ 1/D, Σ f/D, Σ 1/D², Σ f/D², Σ f²/D², Σ log D over l = 0..d−1. */
function efronScalars(d: number, s0: number, e0: number, out: Float64Array): void {
  let sInv = 0;
  let sF = 0;
  let sInv2 = 0;
  let sF2 = 0;
  let sFF2 = 0;
  let sLog = 0;
  const dInt = Math.round(d);
  for (let l = 0; l < dInt; l++) {
    const f = l / d;
    const den = s0 - f * e0;
    const inv = 1 / den;
    sInv += inv;
    sF += f * inv;
    sInv2 += inv * inv;
    sF2 += f * inv * inv;
    sFF2 += f * f * inv * inv;
    sLog += Math.log(den);
  }
  out[0] = sInv;
  out[1] = sF;
  out[2] = sInv2;
  out[3] = sF2;
  out[4] = sFF2;
  out[5] = sLog;
}

/** Lower triangle of m Σ_l x̄_l x̄_lᵀ = S1S1ᵀ a − (S1e1ᵀ + e1S1ᵀ) b + e1e1ᵀ c at one event time (offset o into s1, e1). */
function crossAt(p: number, o: number, s1: Float64Array, e1: Float64Array, a2: number, b2: number, c2: number, cross: Float64Array): void {
  for (let a = 0; a < p; a++) {
    const S1a = s1[o + a]!;
    const E1a = e1[o + a]!;
    for (let b = 0; b <= a; b++) {
      const S1b = s1[o + b]!;
      const E1b = e1[o + b]!;
      cross[a * p + b] = S1a * S1b * a2 - (S1a * E1b + E1a * S1b) * b2 + E1a * E1b * c2;
    }
  }
}

/** iw −= wt · cross on the lower triangle. */
function subtractLower(p: number, wt: number, cross: Float64Array, iw: Float64Array): void {
  for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) iw[a * p + b]! -= wt * cross[a * p + b]!;
}

/** Distinct event times of the aggregate with their event counts (ascending). */
export function eventTimes(agg: CoxAggregate): { time: Float64Array; nEvent: Float64Array } {
  const t: number[] = [];
  const d: number[] = [];
  for (let c = 0; c < agg.cellTime.length; c++) {
    const ev = agg.cellEvent[c]!;
    if (ev <= 0) continue;
    const tc = agg.cellTime[c]!;
    if (t.length > 0 && t[t.length - 1] === tc) d[d.length - 1]! += ev;
    else {
      t.push(tc);
      d.push(ev);
    }
  }
  return { time: Float64Array.from(t), nEvent: Float64Array.from(d) };
}

/**
 * The sums above at β. `timeWeights[w][j]` weights event time j (default: one vector of ones).
 */
export function coxSums(agg: CoxAggregate, beta: ArrayLike<number>, timeWeights?: readonly Float64Array[]): CoxSums {
  const { p, nPattern, x, cellPattern, cellTime, cellEvent, cellCensor, center } = agg;
  const { start: nzStart, col: nzCol, val: nzVal } = agg.sparse;
  const wEvent = agg.cellEventWeight ?? cellEvent;
  const wCensor = agg.cellCensorWeight ?? cellCensor;
  const nCell = cellTime.length;
  const risk = new Float64Array(nPattern);
  const eta = new Float64Array(nPattern);
  for (let k = 0; k < nPattern; k++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += x[k * p + j]! * beta[j]!;
    eta[k] = s;
    risk[k] = Math.exp(s);
  }
  const et = eventTimes(agg);
  const nT = et.time.length;
  const weights = timeWeights ?? [new Float64Array(nT).fill(1)];
  const nW = weights.length;

  // event-time index of each cell: the first event time >= the cell's time (nT if none)
  const cellNext = new Int32Array(nCell);
  {
    let j = 0;
    for (let c = 0; c < nCell; c++) {
      while (j < nT && et.time[j]! < cellTime[c]!) j++;
      cellNext[c] = j;
    }
  }
  // per event time: sums over cells at exactly that time (at risk: S0 part; events: e part)
  const s0At = new Float64Array(nT + 1);
  const s1At = new Float64Array((nT + 1) * p);
  const e0 = new Float64Array(nT);
  const e1 = new Float64Array(nT * p);
  const xev = new Float64Array(nT * p);
  const evWeight = new Float64Array(nT);
  let loglik = 0;
  for (let c = 0; c < nCell; c++) {
    const k = cellPattern[c]!;
    const j = cellNext[c]!;
    const n = wEvent[c]! + wCensor[c]!;
    const rn = risk[k]! * n;
    // a cell between event times is at risk at every event time <= its time: add it to the
    // latest event time before or at its time, via the reverse cumulative sum below
    const jj = j < nT && et.time[j] === cellTime[c] ? j : j - 1;
    if (jj < 0) continue; // before the first event time: never at risk at an event
    s0At[jj]! += rn;
    const z0 = nzStart[k]!;
    const z1 = nzStart[k + 1]!;
    for (let z = z0; z < z1; z++) s1At[jj * p + nzCol[z]!]! += rn * nzVal[z]!;
    const ev = wEvent[c]!;
    if (cellEvent[c]! > 0) {
      evWeight[jj]! += ev;
      const re = risk[k]! * ev;
      e0[jj]! += re;
      loglik += ev * eta[k]!;
      for (let z = z0; z < z1; z++) {
        const q = nzCol[z]!;
        e1[jj * p + q]! += re * nzVal[z]!;
        xev[jj * p + q]! += ev * nzVal[z]!;
      }
    }
  }
  // centre the event sums: e1 − c e0, Σ x − c Σ w (S1 after its cumulative sum)
  for (let j = 0; j < nT; j++)
    for (let q = 0; q < p; q++) {
      e1[j * p + q]! -= center[q]! * e0[j]!;
      xev[j * p + q]! -= center[q]! * evWeight[j]!;
    }
  // reverse cumulative sums: S0, S1 at each event time
  const s0 = new Float64Array(nT);
  const s1 = new Float64Array(nT * p);
  {
    let acc0 = 0;
    const acc1 = new Float64Array(p);
    for (let j = nT - 1; j >= 0; j--) {
      acc0 += s0At[j]!;
      s0[j] = acc0;
      for (let q = 0; q < p; q++) {
        acc1[q]! += s1At[j * p + q]!;
        s1[j * p + q] = acc1[q]! - center[q]! * acc0;
      }
    }
  }

  const hazard = new Float64Array(nT);
  const varHazard = new Float64Array(nT);
  const hazDead = new Float64Array(nT);
  const xbarHazard = new Float64Array(nT * p);
  const xbarHazDead = new Float64Array(nT * p);
  const mean = new Float64Array(nT * p);
  const score = new Float64Array(nT * p);
  const fOverD = new Float64Array(nT);
  const u = weights.map(() => new Float64Array(p));
  const imat = weights.map(() => new Float64Array(p * p));
  const cross = new Float64Array(p * p);

  const sc = new Float64Array(6);
  for (let j = 0; j < nT; j++) {
    const d = et.nEvent[j]!;
    efronScalars(d, s0[j]!, e0[j]!, sc);
    const [sInv, sF, sInv2, sF2, sFF2, sLog] = sc as unknown as [number, number, number, number, number, number];
    // mean event weight m (1 without case weights)
    const m = evWeight[j]! / d;
    loglik -= m * sLog;
    hazard[j] = m * sInv;
    varHazard[j] = m * m * sInv2;
    hazDead[j] = m * (sInv - sF);
    fOverD[j] = m * sF;
    for (let q = 0; q < p; q++) {
      const S1 = s1[j * p + q]!;
      const E1 = e1[j * p + q]!;
      const sumXbar = S1 * sInv - E1 * sF; // Σ_l x̄_l
      score[j * p + q] = xev[j * p + q]! - m * sumXbar;
      mean[j * p + q] = sumXbar / d;
      xbarHazard[j * p + q] = m * (S1 * sInv2 - E1 * sF2);
      xbarHazDead[j * p + q] = m * (S1 * (sInv2 - sF2) - E1 * (sF2 - sFF2));
    }
    crossAt(p, j * p, s1, e1, m * sInv2, m * sF2, m * sFF2, cross);
    for (let w = 0; w < nW; w++) {
      const wt = weights[w]![j]!;
      if (wt === 0) continue;
      const uw = u[w]!;
      for (let q = 0; q < p; q++) uw[q]! += wt * score[j * p + q]!;
      subtractLower(p, wt, cross, imat[w]!);
    }
  }

  // S2 part through per-pattern weights
  const cumW = weights.map(() => new Float64Array(nT));
  for (let w = 0; w < nW; w++) {
    let acc = 0;
    for (let j = 0; j < nT; j++) {
      acc += weights[w]![j]! * hazard[j]!;
      cumW[w]![j] = acc;
    }
  }
  const patW = weights.map(() => new Float64Array(nPattern));
  for (let c = 0; c < nCell; c++) {
    const k = cellPattern[c]!;
    const j = cellNext[c]!;
    const atT = j < nT && et.time[j] === cellTime[c];
    const jj = atT ? j : j - 1;
    if (jj < 0) continue;
    const n = wEvent[c]! + wCensor[c]!;
    const ev = wEvent[c]!;
    for (let w = 0; w < nW; w++) {
      let v = n * cumW[w]![jj]!;
      if (ev > 0) v -= ev * weights[w]![jj]! * fOverD[jj]!;
      patW[w]![k]! += risk[k]! * v;
    }
  }
  // Σ_k W_k (x_k − c)(x_k − c)ᵀ = Σ W x xᵀ − c (Σ W x)ᵀ − (Σ W x) cᵀ + (Σ W) c cᵀ, uncentred x sparse
  const wx = new Float64Array(p);
  const xx = new Float64Array(p * p);
  for (let w = 0; w < nW; w++) {
    const iw = imat[w]!;
    const pw = patW[w]!;
    wx.fill(0);
    xx.fill(0);
    let wSum = 0;
    for (let k = 0; k < nPattern; k++) {
      const wk = pw[k]!;
      if (wk === 0) continue;
      wSum += wk;
      const z0 = nzStart[k]!;
      const z1 = nzStart[k + 1]!;
      for (let za = z0; za < z1; za++) {
        const a = nzCol[za]!;
        const xa = nzVal[za]! * wk;
        wx[a]! += xa;
        for (let zb = z0; zb < z1; zb++) {
          const b = nzCol[zb]!;
          if (b <= a) xx[a * p + b]! += xa * nzVal[zb]!;
        }
      }
    }
    for (let a = 0; a < p; a++)
      for (let b = 0; b <= a; b++)
        iw[a * p + b]! += xx[a * p + b]! - center[a]! * wx[b]! - wx[a]! * center[b]! + wSum * center[a]! * center[b]!;
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) iw[b * p + a] = iw[a * p + b]!;
  }

  return {
    loglik,
    u,
    imat,
    perTime: { time: et.time, nEvent: et.nEvent, hazard, varHazard, hazDead, xbarHazard, xbarHazDead, mean, score },
  };
}
