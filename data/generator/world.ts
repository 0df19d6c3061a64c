/**
 * The static part of the synthetic world: employers (with sector, size, pay frequency),
 * temp agencies, jobcoach / re-integration organisations and the labour-market regions.
 */
import type { ENUMS } from "../../pipeline/contract.ts";
import { Rng, mixSeed } from "./random.ts";
import type { GeneratorParameters } from "./parameters.ts";

export type SizeClass = (typeof ENUMS.grootteklasse)[number];
export type Sector = (typeof ENUMS.sector)[number];

export interface Employer {
  id: string;
  sector: Sector;
  size: SizeClass;
  fourWeekly: boolean;
  agency: boolean;
}

export interface World {
  employers: Employer[];
  agencies: Employer[];
  organisations: string[];
  regions: string[];
  regionWeights: number[];
  /** cumulative choice weights over employers (by size) */
  employerCumulative: Float64Array;
  agencyCumulative: Float64Array;
}

/** Sectors where Wajongers work (weights; SBI sections). */
const SECTOR_WEIGHTS: Partial<Record<Sector, number>> = {
  A: 4,
  C: 10,
  F: 3,
  G: 20,
  H: 5,
  I: 12,
  J: 1,
  K: 1,
  M: 3,
  N: 10,
  O: 4,
  P: 4,
  Q: 15,
  R: 3,
  S: 5,
};
const SIZE_WEIGHTS: Record<SizeClass, number> = { "1-9": 0.55, "10-49": 0.3, "50-249": 0.11, "250+": 0.04 };
/** relative chance that a job is at an employer of this size */
const SIZE_CHOICE: Record<SizeClass, number> = { "1-9": 1, "10-49": 4, "50-249": 15, "250+": 60 };

export const REGIONS = Array.from({ length: 35 }, (_, i) => `AMR${String(i + 1).padStart(2, "0")}`);

export function buildWorld(seed: number, scale: number, p: GeneratorParameters): World {
  const rng = new Rng(mixSeed(seed, 0x776f726c));
  const nEmployers = Math.max(300, Math.round(p.population.employers * scale));
  const nAgencies = Math.max(10, Math.round(nEmployers / 150));
  const nOrganisations = Math.max(20, Math.round(p.population.organisations * Math.sqrt(scale)));
  const employers: Employer[] = [];
  const agencies: Employer[] = [];
  let n = 0;
  const id = () => `W${String(++n).padStart(7, "0")}`;
  for (let i = 0; i < nEmployers; i++) {
    employers.push({
      id: id(),
      sector: rng.pick(SECTOR_WEIGHTS as Record<Sector, number>),
      size: rng.pick(SIZE_WEIGHTS),
      fourWeekly: rng.chance(p.work.fourWeeklyEmployers),
      agency: false,
    });
  }
  for (let i = 0; i < nAgencies; i++) {
    agencies.push({
      id: id(),
      sector: "N",
      size: rng.chance(0.7) ? "250+" : "50-249",
      fourWeekly: rng.chance(0.5),
      agency: true,
    });
  }
  const organisations = Array.from({ length: nOrganisations }, (_, i) => `O${String(i + 1).padStart(5, "0")}`);
  const regionWeights = REGIONS.map((_, i) => 0.6 + ((i * 37) % 11) / 10);
  return {
    employers,
    agencies,
    organisations,
    regions: REGIONS,
    regionWeights,
    employerCumulative: cumulative(employers.map((e) => SIZE_CHOICE[e.size])),
    agencyCumulative: cumulative(agencies.map((e) => SIZE_CHOICE[e.size])),
  };
}

function cumulative(weights: number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => (out[i] = s += w));
  return out;
}

/** Weighted choice by binary search over cumulative weights. */
export function pickWeighted<T>(rng: Rng, items: T[], cum: Float64Array): T {
  const r = rng.next() * cum[cum.length - 1]!;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return items[lo]!;
}
