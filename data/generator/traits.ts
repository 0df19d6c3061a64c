/**
 * Drawing a person's fixed traits: regime, sex, birth, education, diagnosis, region, benefit
 * start, arbeidsvermogen, and the latent job-finding hazard and churn factor.
 */
import { addMonths, dayOf, parseIsoDay } from "./calendar.ts";
import type { PersonTraits } from "./history.ts";
import type { GeneratorParameters } from "./parameters.ts";
import type { Rng } from "./random.ts";
import type { World } from "./world.ts";

/** AOW (state pension) age in months by the year in which it is reached. */
const AOW_MONTHS: Record<number, number> = {
  2013: 781,
  2014: 782,
  2015: 783,
  2016: 786,
  2017: 789,
  2018: 792,
  2019: 796,
  2020: 796,
  2021: 796,
};

export function pensionDay(birthDay: number): number {
  for (const [year, months] of Object.entries(AOW_MONTHS)) {
    const d = addMonths(birthDay, months);
    if (d >= dayOf(Number(year), 1, 1) && d <= dayOf(Number(year), 12, 31)) return d;
  }
  const d65 = addMonths(birthDay, 780);
  return d65 < dayOf(2013, 1, 1) ? d65 : addMonths(birthDay, 796);
}

export function drawTraits(
  rng: Rng,
  index: number,
  id: string,
  group: "Wajong" | "WGA",
  p: GeneratorParameters,
  world: World,
): PersonTraits {
  const pop = p.population;
  const regeling = group === "WGA" ? "WGA" : rng.pick(pop.regimeShares);
  const geslacht = rng.chance(pop.maleShare) ? "M" : "V";
  const opleiding = rng.pick(pop.education);
  const diagnose = rng.pick(pop.diagnosis);
  const regio = world.regions[pickIndex(rng, world.regionWeights)]!;

  let inflowYear: number;
  let ageAtInflow: number;
  if (regeling === "oWajong") {
    // inflow 1972..2009, more recent years more frequent
    inflowYear = 2009 - Math.floor(38 * Math.pow(rng.next(), 1.6));
    ageAtInflow = 18 + Math.floor(-Math.log(1 - rng.next()) * 2.5);
  } else if (regeling === "Wajong2010") {
    inflowYear = rng.int(2010, 2014);
    ageAtInflow = 18 + Math.floor(-Math.log(1 - rng.next()) * 1.5);
  } else if (regeling === "Wajong2015") {
    inflowYear = rng.int(2015, 2020);
    ageAtInflow = 18 + Math.floor(-Math.log(1 - rng.next()) * 1.5);
  } else {
    inflowYear = rng.int(2008, 2016);
    ageAtInflow = rng.int(24, 58);
  }
  ageAtInflow = Math.min(ageAtInflow, 40);
  const inflowMonth = rng.int(1, 12);
  const benefitStart = dayOf(inflowYear, inflowMonth, rng.int(1, 28));
  const birthDay = dayOf(inflowYear - ageAtInflow, rng.int(1, 12), 1);

  let arbeidsvermogen: PersonTraits["arbeidsvermogen"];
  if (regeling === "Wajong2015") arbeidsvermogen = "duurzaam_geen";
  else if (regeling === "WGA") arbeidsvermogen = "ja";
  else {
    const ja = regeling === "oWajong" ? pop.capacityJa.oWajong : pop.capacityJa.Wajong2010;
    arbeidsvermogen = rng.chance(ja) ? "ja" : rng.chance(pop.duurzaamGeenOfRest) ? "duurzaam_geen" : "nee";
  }

  const w = p.work;
  const z1 = rng.normal();
  const z2 = w.churnFindCorrelation * z1 + Math.sqrt(1 - w.churnFindCorrelation ** 2) * rng.normal();
  const young = (benefitStart - birthDay) / 365.25 < 25 && inflowYear >= 2005;
  let churn = Math.exp(w.churnSigma * z2 - (w.churnSigma * w.churnSigma) / 2);
  if (geslacht === "M") churn *= w.churnMale;
  if (young) churn *= w.churnYoung;
  if (opleiding === "laag") churn *= w.churnLowEducation;
  churn *= w.churnDiagnosis[diagnose];
  // latent lognormal part × the observed part (diagnosis, education: next-job.ts observedFindFactor)
  let findHazard =
    w.findMedian * Math.exp(w.findSigma * Math.sqrt(1 - w.findSpellShare) * z1) * w.findDiagnosis[diagnose] * w.findEducation[opleiding];
  if (group === "WGA") findHazard *= 1.5;
  const participant = group === "WGA" || rng.chance(w.participation[arbeidsvermogen]);

  return {
    index,
    id,
    group,
    regeling,
    geslacht,
    birthDay,
    opleiding,
    diagnose,
    regio,
    arbeidsvermogen,
    benefitStart,
    benefitEnd: null,
    endReason: null,
    deathDay: null,
    pensionDay: null,
    findHazard,
    churn,
    participant,
  };
}

function pickIndex(rng: Rng, weights: number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let r = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

export const simulationStart = (p: GeneratorParameters) => parseIsoDay(p.simulation.start);
