/**
 * Proportional-hazards test of a Cox fit, as R `cox.zph(fit, transform = "km")` (survival 3.x,
 * terms = TRUE, global = TRUE): the score test of γ = 0 in the model with extra covariates
 * x · g(t), where g(t) = 1 − KM(t−) (left-continuous Kaplan–Meier of all rows) centred by
 * its mean over the events, evaluated at (β̂, γ = 0) with Efron ties (R `zph1.c`).
 *
 * With V_t the Efron information contribution and U_t the score contribution of event time t,
 * the extended score is (0, Σ g U_t) and the information [[Σ V_t, Σ g V_t], [Σ g V_t, Σ g² V_t]];
 * ./cox-sums.ts returns all of these from one pass over the aggregate, with time weights
 * (1, g, g²). Per term (a categorical covariate is one term with one column per dummy, as
 * R's default terms = TRUE): chisq = uᵀ I[kk,kk]⁻¹ u over the β columns and that term's γ
 * columns, df = the term's number of columns; GLOBAL uses all columns, df = p.
 */
import type { CoxModel } from "./cox-duckdb.ts";
import { coxSums } from "./cox-sums.ts";
import { chiSquare, type ChiSquareTest } from "./cox.ts";
import { quadFormInverse, subMatrix } from "../lib/linalg.ts";

export interface ZphRow extends ChiSquareTest {
  term: string;
}

export interface CoxZph {
  terms: ZphRow[];
  global: ChiSquareTest;
}

/** g(t) = 1 − KM(t−) at the event times of the aggregate, centred by its mean over the events. */
export function kmTransform(model: CoxModel): Float64Array {
  const { aggregate } = model.data;
  const { time, nEvent } = model.data.perTime;
  const nT = time.length;
  // number at risk at each event time: rows with time >= t
  const atRisk = new Float64Array(nT);
  let j = nT - 1;
  let acc = 0;
  for (let c = aggregate.cellTime.length - 1; c >= 0; c--) {
    while (j >= 0 && time[j]! > aggregate.cellTime[c]!) atRisk[j--] = acc;
    acc += aggregate.cellEvent[c]! + aggregate.cellCensor[c]!;
  }
  while (j >= 0) atRisk[j--] = acc;
  const g = new Float64Array(nT);
  let s = 1;
  let sum = 0;
  let nEv = 0;
  for (let i = 0; i < nT; i++) {
    g[i] = 1 - s; // survival just before time[i]
    s *= 1 - nEvent[i]! / atRisk[i]!;
    sum += nEvent[i]! * g[i]!;
    nEv += nEvent[i]!;
  }
  const mean = sum / nEv;
  for (let i = 0; i < nT; i++) g[i]! -= mean;
  return g;
}

export function coxZph(model: CoxModel): CoxZph {
  if (model.weighted) throw new Error("cox.zph: alleen voor een model zonder gewichten");
  const agg = model.data.aggregate;
  const p = agg.p;
  const g = kmTransform(model);
  const g2 = g.map((v) => v * v);
  const ones = new Float64Array(g.length).fill(1);
  const s = coxSums(agg, model.coef, [ones, g, g2]);
  const [i0, i1, i2] = s.imat as [Float64Array, Float64Array, Float64Array];
  const uG = s.u[1]!;
  const n2 = 2 * p;
  const full = new Float64Array(n2 * n2);
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++) {
      full[a * n2 + b] = i0[a * p + b]!;
      full[a * n2 + p + b] = i1[a * p + b]!;
      full[(p + a) * n2 + b] = i1[b * p + a]!;
      full[(p + a) * n2 + p + b] = i2[a * p + b]!;
    }
  const u = new Float64Array(n2);
  u.set(uG, p);
  const base = Array.from({ length: p }, (_, i) => i);
  const terms = model.terms.map((t) => {
    const kk = [...base, ...t.columns.map((c) => p + c)];
    const uk = kk.map((k) => u[k]!);
    return { term: t.name, ...chiSquare(quadFormInverse(subMatrix(full, n2, kk), kk.length, uk), t.columns.length) };
  });
  return { terms, global: chiSquare(quadFormInverse(full, n2, u), p) };
}
