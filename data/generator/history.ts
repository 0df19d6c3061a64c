/**
 * The simulated life of one person: what really happened (ground truth). The extract rows and
 * the truth rows are both rendered from this.
 */
import type { Employer } from "./world.ts";

export type Category = "extern" | "intern" | "geen";
export type Contract = "onbepaald" | "bepaald" | "onbekend";
export type SoortBaan = "regulier" | "uitzend" | "oproep" | "overig";
export type Regime = "zeer_licht" | "licht" | "midden" | "intensief";

export interface PersonTraits {
  index: number;
  id: string;
  group: "Wajong" | "WGA";
  regeling: "oWajong" | "Wajong2010" | "Wajong2015" | "WGA";
  geslacht: "M" | "V";
  birthDay: number;
  opleiding: "laag" | "midden" | "hoog" | "onbekend";
  diagnose: "lichamelijk" | "psychisch" | "ontwikkelingsstoornis" | "verstandelijk" | "overig";
  regio: string;
  /** status at extract date */
  arbeidsvermogen: "ja" | "nee" | "duurzaam_geen";
  benefitStart: number;
  benefitEnd: number | null;
  endReason: "overlijden" | "pensioen" | "herstel" | "overig" | null;
  deathDay: number | null;
  pensionDay: number | null;
  /** latent job-finding hazard and churn factor (for documentation in the truth) */
  findHazard: number;
  churn: number;
  participant: boolean;
}

export interface Ikv {
  id: string;
  employer: Employer;
  start: number;
  /** true end, null = running after the window */
  end: number | null;
  registeredEnd: boolean;
  contract: Contract;
  hoursPerWeek: number;
  /** nominal hourly wage at the ikv start, and annual nominal growth within the ikv */
  wageStart: number;
  wageGrowth: number;
  /** polis rows rendered for this ikv (0 = invisible in the extract) */
  polisRows: number;
}

export interface Job {
  nr: number;
  employer: Employer;
  /** the hirer for uitzend/detachering jobs */
  hirer: Employer | null;
  soort: SoortBaan;
  ikvs: Ikv[];
  start: number;
  end: number | null;
  endCause: "einde" | "overlijden" | "pensioen" | null;
  category: Category;
  coachOrganisation: string | null;
  /** the werkgever_id the coach periods were registered under */
  coachEmployerId: string | null;
  viaProefplaatsing: string | null;
  /** tenure of the current fixed-term chain, for the renewal rule */
  termEnd: number | null;
  /** the spell part of the latent finding hazard drawn at this job's end, for the search after it (next-job.ts) */
  findSpell: number;
}

export interface CoachPeriod {
  id: string;
  soort: "extern" | "intern";
  organisation: string | null;
  volgnummer: number;
  begin: number;
  end: number;
  status: "toegekend" | "afgewezen" | "ingetrokken";
  employerId: string;
  jobNr: number | null;
  proefplaatsingId: string | null;
  underHirer: boolean;
  regime: Regime;
  grantedHours: number;
  accountedHours: number | null;
}

export interface Service {
  id: string;
  dienst: string;
  aanbieder: string;
  start: number;
  end: number | null;
  endRegistered: boolean;
  resultaat: "plaatsing" | "geen_plaatsing" | "voortijdig_beeindigd" | "lopend";
  /** the job whose ending led to this service (null: none) and the timing */
  afterJobNr: number | null;
  ownOrganisation: boolean | null;
}

export interface Proefplaatsing {
  id: string;
  employer: Employer;
  start: number;
  end: number;
  hired: boolean;
  jobNr: number | null;
  withJobcoach: boolean;
}

export interface PersonHistory {
  person: PersonTraits;
  jobs: Job[];
  coachPeriods: CoachPeriod[];
  services: Service[];
  proefplaatsingen: Proefplaatsing[];
}
