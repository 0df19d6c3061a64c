import { zValue } from "./confint.ts";
import type { InfluenceResult } from "./influence-duckdb.ts";
import { kaplanMeier } from "./km.ts";
import type { KmTable } from "./types.ts";

/**
 * Restricted mean survival time up to a horizon τ: RMST(τ) = ∫_0^τ S(u) du, for the
 * policy question the mean number of days without work within τ days after a job ending.
 *
 *  - `rmstGreenwood`: value and standard error as R `summary(survfit(...), rmean = τ)$table`
 *    (`rmean`, `se(rmean)`; R's `survmean`: var = Σ_{t_j ≤ τ} (∫_{t_j}^τ S)² d_j/(Y_j(Y_j − d_j)),
 *    0 where Y_j = d_j). Endings treated as independent.
 *  - `rmstRobust`: the same value with the person-level (infinitesimal-jackknife) standard
 *    error, var = Σ_persons (∫_0^τ IF_S)², from ./influence-duckdb.ts (τ must be one of its
 *    reading times). R (survival 3.5) has no such column: `summary(fit, rmean = τ)` of a
 *    robust/clustered fit still prints the Greenwood-type se; the golden integrates R's
 *    `influence.surv` over [0, τ] and sums it per person.
 *  - `rmstDifference`: RMST(a) − RMST(b) with var = V_aa + V_bb − 2 V_ab (person-level).
 * The CI is the plain normal interval value ± z·se (R prints no CI for rmean). Integration
 * starts at 0: times are days since the ending (R starts at min(0, times)).
 */

export interface RmstResult {
  horizon: number;
  rmst: number;
  stdErr: number;
  lower: number;
  upper: number;
}

/** ∫_0^τ S for a Kaplan–Meier table (S = 1 before the first time). */
export function rmstValue(fit: KmTable, horizon: number): number {
  if (!(Number.isFinite(horizon) && horizon >= 0)) throw new Error(`rmst: horizon moet een eindig getal >= 0 zijn, niet ${horizon}`);
  if (fit.time.length && fit.time[0]! < 0) throw new Error(`rmst: tijden moeten >= 0 zijn (eerste tijd ${fit.time[0]})`);
  let area = 0;
  let prevT = 0;
  let prevS = 1;
  for (let i = 0; i < fit.time.length && fit.time[i]! <= horizon; i++) {
    area += prevS * (fit.time[i]! - prevT);
    prevT = fit.time[i]!;
    prevS = fit.surv[i]!;
  }
  return area + prevS * (horizon - prevT);
}

function withCi(horizon: number, rmst: number, se: number, confLevel: number): RmstResult {
  const z = zValue(confLevel);
  return { horizon, rmst, stdErr: se, lower: rmst - z * se, upper: rmst + z * se };
}

/** RMST with R's (Greenwood-type) standard error, as `summary(survfit(...), rmean = τ)$table`. */
export function rmstGreenwood(fit: KmTable, horizon: number, confLevel = 0.95): RmstResult {
  const rmst = rmstValue(fit, horizon);
  // area to the right of each time up to τ, accumulated from the horizon backwards
  let varSum = 0;
  let tail = 0;
  let nextT = horizon;
  let last = -1;
  for (let i = 0; i < fit.time.length && fit.time[i]! <= horizon; i++) last = i;
  for (let i = last; i >= 0; i--) {
    tail += fit.surv[i]! * (nextT - fit.time[i]!);
    nextT = fit.time[i]!;
    const y = fit.nRisk[i]!;
    const d = fit.nEvent[i]!;
    if (d > 0 && y > d) varSum += (tail * tail * d) / (y * (y - d));
  }
  return withCi(horizon, rmst, Math.sqrt(varSum), confLevel);
}

function horizonIndex(inf: InfluenceResult, horizon: number): number {
  const i = inf.readings[0]!.findIndex((r) => r.time === horizon);
  if (i < 0) throw new Error(`rmst: horizon ${horizon} is geen leespunt van survivalInfluence`);
  if (inf.nCauses !== 1) throw new Error("rmst: alleen voor een Kaplan–Meier-uitkomst (één oorzaak)");
  return i;
}

function groupFit(inf: InfluenceResult, group: string): KmTable {
  const gi = inf.perGroup.get(group);
  if (!gi) throw new Error(`groep "${group}" komt niet voor`);
  return kaplanMeier(gi.counts.map((c) => ({ time: c.time, nEvent: c.nEvents[0]!, nCensor: c.nCensor })));
}

/** RMST of a group with the person-level (IJ) standard error. */
export function rmstRobust(inf: InfluenceResult, group: string, horizon: number, confLevel = 0.95): RmstResult {
  const h = horizonIndex(inf, horizon);
  const g = inf.groups.indexOf(group);
  const v = inf.readings[0]![h]!.area[g]![g]!;
  return withCi(horizon, rmstValue(groupFit(inf, group), horizon), Math.sqrt(Math.max(v, 0)), confLevel);
}

export interface RmstDifference extends RmstResult {
  a: number;
  b: number;
}

/** RMST(a) − RMST(b) with the person-level covariance (a person can have endings in both). */
export function rmstDifference(inf: InfluenceResult, a: string, b: string, horizon: number, confLevel = 0.95): RmstDifference {
  const h = horizonIndex(inf, horizon);
  const ia = inf.groups.indexOf(a);
  const ib = inf.groups.indexOf(b);
  const V = inf.readings[0]![h]!.area;
  const ra = rmstValue(groupFit(inf, a), horizon);
  const rb = rmstValue(groupFit(inf, b), horizon);
  const se = Math.sqrt(Math.max(V[ia]![ia]! + V[ib]![ib]! - 2 * V[ia]![ib]!, 0));
  return { ...withCi(horizon, ra - rb, se, confLevel), a: ra, b: rb };
}
