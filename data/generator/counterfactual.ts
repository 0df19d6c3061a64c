/**
 * Counterfactual times to the next job: for one analysed job ending, the days from its (D1) end
 * to the start of the next job had the ended job been coached extern, intern or not at all,
 * with common random numbers across the three arms.
 *
 * The mechanism is the realised world's (simulate.ts), through the same rules (next-job.ts):
 * withdrawal from the labour market, a direct next job (≤ 7 days, sometimes overlapping), then a
 * monthly search hazard; a find is a job or a proefplaatsing (hired after 2–6 months, else the
 * search goes on); benefit endings (recovery, other) halve the search months. Death and pension
 * are not simulated: the estimands are "without censoring", as Kaplan–Meier reads them.
 *
 * Common random numbers: every random quantity is a pre-drawn uniform with a fixed role (per
 * calendar month after the ending, or per find), drawn from a stream of its own (seed, ending),
 * so that the three arms differ only where the hazard ratio moves them, and the realised world's
 * draws are untouched. The monthly search draw is inverted: a find happens in the first month
 * where the cumulative hazard of the current search exceeds an Exp(1) budget, which has the
 * realised world's distribution (probability 1 − exp(−h) per month, given no find before).
 */
import { addMonths, firstDayOfMonth, lastDayOfMonth, monthOfDay, yearOfDay } from "./calendar.ts";
import type { Category, PersonTraits } from "./history.ts";
import { coachFromUniforms, directProbability, proefplaatsingProbability, searchHazardAfterEnd } from "./next-job.ts";
import type { GeneratorParameters } from "./parameters.ts";
import type { Rng } from "./random.ts";

export const ARMS = ["geen", "extern", "intern"] as const satisfies readonly Category[];

/** The state at an analysed ending. */
export interface EndingState {
  person: PersonTraits;
  /** arbeidsvermogen during the simulation (before a reassessment at the end) */
  arbeidsvermogen: PersonTraits["arbeidsvermogen"];
  jobStart: number;
  /** true end day */
  end: number;
  /** the end as D1 sees it (registered end, else the last day of the month): time 0 of D4 */
  observedEnd: number;
  /** the spell part of the latent finding hazard for the search after this ending (Job.findSpell) */
  findSpell: number;
}

interface Find {
  coach1: number;
  coach2: number;
  pp: number;
  overlap: number;
  offset: number;
  ppStart: number;
  ppMonths: number;
  hired: number;
  budget: number;
}

/** Pre-drawn uniforms of one ending (identical for the three arms). */
export interface CommonDraws {
  withdrawal: number;
  direct: number;
  finds: Find[];
  recovery: Float64Array;
  otherEnd: Float64Array;
  skip: Float64Array;
  day: Float64Array;
}

const FINDS = 30;

export function drawCommon(rng: Rng, months: number): CommonDraws {
  const u = () => rng.next();
  const withdrawal = u();
  const direct = u();
  const finds: Find[] = [];
  for (let k = 0; k < FINDS; k++) {
    finds.push({
      coach1: u(),
      coach2: u(),
      pp: u(),
      overlap: u(),
      offset: u(),
      ppStart: u(),
      ppMonths: u(),
      hired: u(),
      budget: -Math.log(1 - u()),
    });
  }
  const arr = () => Float64Array.from({ length: months }, u);
  return { withdrawal, direct, finds, recovery: arr(), otherEnd: arr(), skip: arr(), day: arr() };
}

/** Months of monthly draws needed for a follow-up of `horizonDays` after the ending. */
export const monthsNeeded = (horizonDays: number) => Math.ceil(horizonDays / 28) + 3;

const int = (u: number, lo: number, hi: number) => lo + Math.floor(u * (hi - lo + 1));

/**
 * Days from the D1 end to the start of the next job under `arm`; null when no job starts within
 * the follow-up (withdrawal, or no find before `horizonDays`). A value may exceed the horizon
 * (a proefplaatsing ending after it).
 */
export function counterfactualDays(
  p: GeneratorParameters,
  s: EndingState,
  draws: CommonDraws,
  arm: Category,
  horizonDays: number,
): number | null {
  const { person, end, observedEnd } = s;
  const T = (start: number) => Math.max(0, start - observedEnd);
  if (draws.withdrawal < p.work.withdrawal) return null;
  const pp = p.proefplaatsing;
  /** a proefplaatsing from `start`: the day its job starts when hired, else the day it ends (negative) */
  const proefplaatsing = (start: number, f: Find): { hiredJob: number | null; ppEnd: number } => {
    const ppEnd = addMonths(start, int(f.ppMonths, pp.minMonths, pp.maxMonths)) - 1;
    return { hiredJob: f.hired < pp.hired ? ppEnd + 1 : null, ppEnd };
  };
  let k = 0;
  let resumeMonth = monthOfDay(end);
  if (draws.direct < directProbability(p, person, arm, yearOfDay(end))) {
    const f = draws.finds[k++]!;
    const coach = coachFromUniforms(p, person, end, f.coach1, f.coach2);
    if (f.pp < proefplaatsingProbability(p, coach, true, true)) {
      const r = proefplaatsing(end + int(f.ppStart, 1, 7), f);
      if (r.hiredJob !== null) return T(r.hiredJob);
      resumeMonth = monthOfDay(r.ppEnd);
    } else {
      const offset = f.overlap < p.work.directOverlap ? -int(f.offset, 1, 60) : int(f.offset, 1, 7);
      return T(Math.max(end + offset, s.jobStart + 1));
    }
  }
  const endMonth = monthOfDay(end);
  const lastMonth = monthOfDay(observedEnd + horizonDays);
  const recovery = p.lifeEvents.recovery * (s.arbeidsvermogen === "ja" ? 1 : 0.2);
  // benefit state per month offset (arm independent)
  let benefitEndedBy = Infinity;
  for (let i = 1; i < draws.recovery.length; i++) {
    if (draws.recovery[i]! < recovery || draws.otherEnd[i]! < p.lifeEvents.otherEnd) {
      benefitEndedBy = i;
      break;
    }
  }
  let H = 0;
  let budget = k < FINDS ? draws.finds[k]!.budget : Infinity;
  for (let m = resumeMonth; m <= lastMonth && k < FINDS; m++) {
    const i = m - endMonth;
    if (i >= draws.skip.length) break;
    const F = firstDayOfMonth(m);
    const L = lastDayOfMonth(m);
    if (person.group === "Wajong" && i >= benefitEndedBy && draws.skip[i]! < 0.5) continue;
    const lo = Math.max(F, end + 8);
    if (lo > L) continue;
    H += searchHazardAfterEnd(p, person, F, Math.floor(m / 12), end, arm, s.findSpell);
    if (H < budget) continue;
    const f = draws.finds[k++]!;
    const day = lo + Math.floor(draws.day[i]! * (L - lo + 1));
    const coach = coachFromUniforms(p, person, day, f.coach1, f.coach2);
    if (!(f.pp < proefplaatsingProbability(p, coach, true))) return T(day);
    const r = proefplaatsing(day, f);
    if (r.hiredJob !== null) return T(r.hiredJob);
    // not hired: the search goes on from the month the proefplaatsing ends
    H = 0;
    budget = k < FINDS ? draws.finds[k]!.budget : Infinity;
    m = monthOfDay(r.ppEnd) - 1;
  }
  return null;
}
