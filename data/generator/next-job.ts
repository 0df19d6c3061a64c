/**
 * The rules of finding a next job, shared by the realised world (simulate.ts) and the
 * counterfactual times to the next job (counterfactual.ts), so that both follow one mechanism:
 * the jobcoach effect (a hazard ratio per category of the job that ended, `effect` in
 * parameters.ts), the probability of a direct next job, the monthly search hazard, the choice
 * of a jobcoach for a new job (observed characteristics only) and the route into the new job
 * (directly or through a proefplaatsing).
 */
import { yearOfDay } from "./calendar.ts";
import type { Category, PersonTraits } from "./history.ts";
import type { GeneratorParameters } from "./parameters.ts";

/** A per-year factor table as an array indexed by year − 1900 (missing years: `fallback(year)`). */
function yearTable(table: Record<string, number>, fallback: (year: number) => number): Float64Array {
  const out = new Float64Array(251);
  for (let i = 0; i < out.length; i++) out[i] = table[String(1900 + i)] ?? fallback(1900 + i);
  return out;
}

const tableCache = new WeakMap<GeneratorParameters, { findYear: Float64Array; endYear: Float64Array }>();
export function tablesOf(p: GeneratorParameters) {
  let t = tableCache.get(p);
  if (!t) {
    t = {
      findYear: yearTable(p.work.findYear, (y) => (y < 2013 ? (p.work.findYear["2013"] ?? 1) : 1)),
      endYear: yearTable(p.work.endYear, () => 1),
    };
    tableCache.set(p, t);
  }
  return t;
}

/** The planted hazard ratio of category `cat` versus geen, `days` after the ending. */
export function hazardRatio(p: GeneratorParameters, cat: Category, days: number): number {
  if (cat === "geen") return 1;
  const { breaksDays, hazardRatio: hr } = p.effect;
  let piece = 0;
  while (piece < breaksDays.length && days >= breaksDays[piece]!) piece++;
  return hr[cat][piece]!;
}

/**
 * Probability of a direct next job (≤ 7 days) after an ending in calendar year `year`: the
 * year's base probability, its cumulative hazard multiplied by the person's observed finding
 * factor and by the hazard ratio of the first piece.
 */
export function directProbability(p: GeneratorParameters, person: PersonTraits, cat: Category, year: number): number {
  const y = String(Math.min(2020, Math.max(2013, year)));
  const base = p.work.direct[y] ?? p.work.direct["2013"]!;
  return 1 - Math.pow(1 - base, observedFindFactor(p, person) * hazardRatio(p, cat, 0));
}

/** The observed part of a person's job-finding ability (diagnosis group, education): also in `findHazard` (traits.ts). */
export function observedFindFactor(p: GeneratorParameters, person: PersonTraits): number {
  return p.work.findDiagnosis[person.diagnose] * p.work.findEducation[person.opleiding];
}

/** A draw of the spell part of the latent finding hazard (median 1; `work.findSpellShare`). */
export function drawFindSpell(p: GeneratorParameters, z: number): number {
  return Math.exp(p.work.findSigma * Math.sqrt(p.work.findSpellShare) * z);
}

/**
 * The person's monthly job-finding hazard in a month starting on day F, without the effect of a
 * last ending: the person's hazard × the spell part `spell` of the current search.
 */
export function baseSearchHazard(p: GeneratorParameters, person: PersonTraits, F: number, year: number, spell: number): number {
  const age = (F - person.birthDay) / 365.25;
  const ageFactor = age < 18 ? 0 : age > 55 ? 0.5 : 1;
  let h = person.findHazard * spell * tablesOf(p).findYear[year - 1900]! * ageFactor;
  if (person.group === "WGA") h *= p.work.findWga;
  return h;
}

/**
 * The monthly search hazard after an ending on `endDay` of a job of category `cat`, in the month
 * starting on day F: the base hazard × the hazard ratio of the piece of F × the factor for the
 * calendar month of the ending × the factor for the first months after it.
 */
export function searchHazardAfterEnd(
  p: GeneratorParameters,
  person: PersonTraits,
  F: number,
  year: number,
  endDay: number,
  cat: Category,
  spell: number,
): number {
  const days = Math.max(0, F - endDay);
  let h = baseSearchHazard(p, person, F, year, spell) * hazardRatio(p, cat, days);
  if (endDay >= F) h *= p.work.findEndMonth;
  if (days < p.work.findSoonAfterEnd.days) h *= p.work.findSoonAfterEnd.factor;
  return h;
}

/** Factor of `jobcoach.year` for a start in `year`. */
function coachYearFactor(p: GeneratorParameters, year: number): number {
  const keys = Object.keys(p.jobcoach.year)
    .map(Number)
    .sort((a, b) => a - b);
  if (keys.length === 0) return 1;
  const key = year < keys[0]! ? keys[0]! : year > keys[keys.length - 1]! ? null : year;
  return key === null ? 1 : (p.jobcoach.year[String(key)] ?? 1);
}

/**
 * Probability that a new job (or proefplaatsing) of this person starting on `day` gets a
 * jobcoach: observed characteristics only (diagnosis, regeling, education, calendar year).
 */
export function coachProbability(p: GeneratorParameters, person: PersonTraits, day: number): number {
  const j = p.jobcoach;
  if (person.group === "WGA") return j.wga;
  const regeling = person.regeling === "WGA" ? 1 : j.regeling[person.regeling];
  return Math.min(1, j.atStart[person.diagnose] * regeling * coachYearFactor(p, yearOfDay(day)) * j.education[person.opleiding]);
}

/** Jobcoach decision for a start on `day` from two uniforms: extern, intern or none. */
export function coachFromUniforms(
  p: GeneratorParameters,
  person: PersonTraits,
  day: number,
  u1: number,
  u2: number,
): "extern" | "intern" | null {
  if (u1 >= coachProbability(p, person, day)) return null;
  return u2 < p.jobcoach.internShare ? "intern" : "extern";
}

/** Probability that a find is a proefplaatsing, by the jobcoach decision for the new job (and whether the find is direct). */
export function proefplaatsingProbability(
  p: GeneratorParameters,
  coach: "extern" | "intern" | null,
  hasWorked: boolean,
  direct = false,
): number {
  const s = hasWorked ? p.proefplaatsing.share : p.proefplaatsing.shareFirstJob;
  const share = coach === "extern" ? s.extern : coach === "intern" ? s.intern : s.geen;
  return direct ? share * p.proefplaatsing.directFactor : share;
}

/**
 * Probability that a proefplaatsing ends in a hire: `proefplaatsing.hired` for a person who has
 * worked, and for a first job raised (or lowered) so that a find yields a job as often as a later
 * find does, 1 − share × (1 − hired) with the later share. The proefplaatsing share differs at a
 * first job (shareFirstJob), and a proefplaatsing that does not lead to a hire sends the person
 * back to search: with one hiring probability, a coached find would become a coached job less
 * often at a first job than later, so the category of a job would depend on the person's history,
 * hence on the latent finding hazard (persons who find work slowly have more first jobs among
 * their jobs of a given year). TRUTH.md, "Assignment and confounding".
 */
export function hireProbability(p: GeneratorParameters, coach: "extern" | "intern" | null, hasWorked: boolean, direct = false): number {
  const s = proefplaatsingProbability(p, coach, hasWorked, direct);
  if (hasWorked || s === 0) return p.proefplaatsing.hired;
  const lost = proefplaatsingProbability(p, coach, true, direct) * (1 - p.proefplaatsing.hired);
  return Math.min(1, Math.max(0, 1 - lost / s));
}
