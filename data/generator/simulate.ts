/**
 * Month-by-month simulation of one person from behavioural rules: finding and losing jobs,
 * contract renewals, proefplaatsingen, jobcoach trajectories, re-integration services, death,
 * pension and benefit endings. Produces the person's true history.
 */
import { addMonths, firstDayOfMonth, lastDayOfMonth, monthOfDay, parseIsoDay, yearOfDay } from "./calendar.ts";
import { cpi2015 } from "./cpi.ts";
import type {
  Category,
  CoachPeriod,
  Contract,
  Ikv,
  Job,
  PersonHistory,
  PersonTraits,
  Proefplaatsing,
  Service,
  SoortBaan,
} from "./history.ts";
import type { GeneratorParameters } from "./parameters.ts";
import type { Rng } from "./random.ts";
import { pensionDay } from "./traits.ts";
import { pickWeighted, type Employer, type World } from "./world.ts";
import {
  baseSearchHazard,
  coachFromUniforms,
  directProbability,
  drawFindSpell,
  hireProbability,
  proefplaatsingProbability,
  searchHazardAfterEnd,
  tablesOf,
} from "./next-job.ts";

export interface IdCounters {
  ikv: number;
  toekenning: number;
  dienst: number;
}

interface LastEnd {
  day: number;
  employer: Employer;
  category: Category;
  organisation: string | null;
  jobNr: number;
}

interface ActiveCoach {
  period: CoachPeriod;
  job: Job | null;
  pp: Proefplaatsing | null;
}

interface RunningService {
  service: Service;
  plannedEnd: number;
  premature: boolean;
}

const YOUTH_WAGE: [number, number][] = [
  [18, 0.4],
  [19, 0.45],
  [20, 0.52],
  [21, 0.62],
  [22, 0.72],
  [23, 0.85],
];

export class PersonSimulation {
  private readonly jobs: Job[] = [];
  private readonly coachPeriods: CoachPeriod[] = [];
  private readonly services: Service[] = [];
  private readonly pps: Proefplaatsing[] = [];
  private job: Job | null = null;
  private pp: Proefplaatsing | null = null;
  /** hiring probability of the running proefplaatsing */
  private ppHire = 0;
  private coach: ActiveCoach | null = null;
  private running: RunningService | null = null;
  private lastEnd: LastEnd | null = null;
  /** the spell part of the latent finding hazard of the current search (next-job.ts) */
  private findSpell: number;
  private withdrawn = false;
  private lastOrganisation: string | null = null;
  private benefitRunning = true;
  private stopped = false;
  private readonly windowEnd: number;
  private readonly windowStart: number;

  constructor(
    private readonly rng: Rng,
    private readonly person: PersonTraits,
    private readonly p: GeneratorParameters,
    private readonly world: World,
    private readonly ids: IdCounters,
  ) {
    this.windowEnd = parseIsoDay(p.simulation.windowEnd);
    this.windowStart = parseIsoDay(p.simulation.windowStart);
    this.findSpell = drawFindSpell(p, rng.normal());
  }

  run(): PersonHistory {
    const { person, p, rng } = this;
    const simStart = Math.max(person.benefitStart, parseIsoDay(p.simulation.start));
    const endMonth = monthOfDay(this.windowEnd);
    const pension = pensionDay(person.birthDay);
    // WGA jobcoach users: no work before their (forced) jobcoach start in 2013–2017
    let forcedMonth = -1;
    if (person.group === "WGA") {
      const earliest = Math.max(monthOfDay(person.benefitStart) + 3, 2013 * 12);
      forcedMonth = Math.min(2017 * 12 + 11, earliest + rng.int(0, Math.max(0, 2017 * 12 + 11 - earliest)));
    }
    if (pension < simStart) {
      this.endBenefit(pension, "pensioen");
      person.pensionDay = pension;
      this.stopped = true;
    }

    for (let m = monthOfDay(simStart); m <= endMonth && !this.stopped; m++) {
      const F = Math.max(firstDayOfMonth(m), simStart);
      const L = lastDayOfMonth(m);
      if (pension >= F && pension <= L) {
        this.retire(pension);
        break;
      }
      const age = (F - person.birthDay) / 365.25;
      if (rng.chance(p.lifeEvents.deathAt20 * Math.pow(p.lifeEvents.deathGrowth, age - 20))) {
        this.die(rng.int(F, L));
        break;
      }
      if (this.benefitRunning) {
        if (rng.chance(p.lifeEvents.recovery * (person.arbeidsvermogen === "ja" ? 1 : 0.2))) this.endBenefit(rng.int(F, L), "herstel");
        else if (rng.chance(p.lifeEvents.otherEnd)) this.endBenefit(rng.int(F, L), "overig");
      }
      if (this.job) this.jobMonth(F, L);
      this.coachMonth(L);
      if (this.pp && this.pp.end <= L) this.finishProefplaatsing(L);
      if (m === forcedMonth && !this.job && !this.pp) this.forcedJobcoachStart(F, L);
      else if (
        !this.job &&
        !this.pp &&
        person.participant &&
        !this.withdrawn &&
        (person.group !== "WGA" || (forcedMonth >= 0 && m > forcedMonth))
      ) {
        this.findMonth(F, L, Math.floor(m / 12));
      }
      this.serviceMonth(F, L);
    }
    if (this.running) this.closeService(this.running, null);
    this.reassess();
    return { person, jobs: this.jobs, coachPeriods: this.coachPeriods, services: this.services, proefplaatsingen: this.pps };
  }

  // ---------------------------------------------------------------- life events

  private endBenefit(day: number, reason: NonNullable<PersonTraits["endReason"]>): void {
    if (!this.benefitRunning) return;
    this.benefitRunning = false;
    this.person.benefitEnd = day;
    this.person.endReason = reason;
  }

  private die(day: number): void {
    this.person.deathDay = day;
    this.endBenefit(day, "overlijden");
    if (this.job) this.endJob(Math.max(day, this.currentIkv().start), "overlijden");
    if (this.pp) this.finishProefplaatsingOn(day, false);
    if (this.running) this.closeService(this.running, day, "voortijdig_beeindigd");
    this.stopped = true;
  }

  private retire(day: number): void {
    this.person.pensionDay = day;
    this.endBenefit(day, "pensioen");
    if (this.pp) this.finishProefplaatsingOn(day, false);
    if (this.running) this.closeService(this.running, day, "voortijdig_beeindigd");
    if (this.job) {
      if (this.rng.chance(this.p.lifeEvents.jobEndsAtPension)) this.endJob(Math.max(day, this.currentIkv().start), "pensioen");
      else {
        const later = day + this.rng.int(30, 700);
        this.endJob(later > this.windowEnd ? null : later, "einde");
      }
    }
    this.stopped = true;
  }

  /** Persons long without work are sometimes reassessed as duurzaam geen arbeidsvermogen. */
  private reassess(): void {
    const person = this.person;
    if (person.arbeidsvermogen === "duurzaam_geen" || person.group === "WGA") return;
    const lastWork = this.jobs.reduce((mx, j) => Math.max(mx, j.end ?? this.windowEnd), -Infinity);
    if (this.jobs.length > 0 && this.windowEnd - lastWork > 4 * 365 && this.rng.chance(this.p.lifeEvents.reassessedDuurzaamGeen)) {
      person.arbeidsvermogen = "duurzaam_geen";
    }
  }

  // ---------------------------------------------------------------- jobs

  private currentIkv(): Ikv {
    const j = this.job!;
    return j.ikvs[j.ikvs.length - 1]!;
  }

  private jobMonth(F: number, L: number): void {
    const job = this.job!;
    const ikv = this.currentIkv();
    if (ikv.start > L) return;
    const { p, rng } = this;
    if (job.termEnd !== null && job.termEnd <= L && job.termEnd >= ikv.start) {
      const termEnd = job.termEnd;
      const chainEnd = this.chainReached(job, termEnd);
      const renewal = job.category === "geen" || this.person.group === "WGA" ? p.work.renewal : p.work.renewalJobcoach;
      if (rng.chance(chainEnd ? p.work.chainPermanent : renewal / Math.sqrt(this.person.churn))) this.renew(termEnd);
      else this.endJob(termEnd, "einde");
      return;
    }
    const type =
      job.soort === "uitzend" ? "uitzend" : job.soort === "oproep" ? "oproep" : ikv.contract === "onbepaald" ? "onbepaald" : "bepaald";
    let h = p.work.endHazard[type] * this.person.churn;
    if (job.category !== "geen") h *= p.work.endHazardJobcoach;
    if (this.person.group === "WGA") h *= p.work.endWga;
    h *= tablesOf(p).endYear[Math.floor(monthOfDay(F) / 12) - 1900]!;
    if (ikv.start === job.start && F - job.start < 61) h += p.work.probationHazard;
    if (rng.chance(h)) {
      const lo = Math.max(F, ikv.start + 1);
      if (lo <= L) this.endJob(rng.int(lo, L), "einde");
    }
  }

  /** The last day of a fixed term starting on `start`: to a calendar month end, or the day before the same day n months later. */
  private drawTermEnd(start: number): number {
    const { p, rng } = this;
    const n = rng.element(p.work.termMonths);
    if (p.work.termToMonthEnd > 0 && rng.chance(p.work.termToMonthEnd)) return lastDayOfMonth(monthOfDay(start) + n - 1);
    return addMonths(start, n) - 1;
  }

  /** Tenure at a term end has reached the chain length (in days, or in calendar months counting the start month). */
  private chainReached(job: Job, termEnd: number): boolean {
    const chain = this.p.work.chainMonths;
    return (termEnd - job.start) / 30.44 >= chain - 0.5 || monthOfDay(termEnd) - monthOfDay(job.start) + 1 >= chain;
  }

  /** A fixed-term contract is renewed: a new ikv at the same employer, gap ≤ 31 days. */
  private renew(termEnd: number): void {
    const { p, rng } = this;
    const job = this.job!;
    const old = this.currentIkv();
    old.end = termEnd;
    old.registeredEnd = rng.chance(p.messiness.registeredEnd);
    const start = termEnd + 1 + (rng.chance(0.7) ? 0 : rng.int(1, 30));
    const contract: Contract = this.chainReached(job, termEnd) ? "onbepaald" : "bepaald";
    const monthsOld = (termEnd - old.start) / 30.44;
    const wage = old.wageStart * Math.pow(1 + old.wageGrowth, monthsOld / 12) * (1 + rng.uniform(0, 0.03));
    job.ikvs.push({
      id: this.nextIkvId(),
      employer: job.employer,
      start,
      end: null,
      registeredEnd: false,
      contract,
      hoursPerWeek: Math.min(40, old.hoursPerWeek * rng.uniform(p.work.hoursRenewal[0], p.work.hoursRenewal[1])),
      wageStart: wage,
      wageGrowth: old.wageGrowth,
      polisRows: 0,
    });
    job.termEnd = contract === "bepaald" ? this.drawTermEnd(start) : null;
  }

  private endJob(day: number | null, cause: "einde" | "overlijden" | "pensioen"): void {
    const { p, rng } = this;
    const job = this.job!;
    const ikv = this.currentIkv();
    job.end = day;
    ikv.end = day;
    job.endCause = day === null ? null : cause;
    ikv.registeredEnd = day !== null && rng.chance(p.messiness.registeredEnd);
    job.termEnd = null;
    this.job = null;
    if (this.coach && this.coach.job === job) {
      if (day !== null) this.coach.period.end = Math.min(this.coach.period.end, day);
      this.coach = null;
    }
    if (day === null) return;
    this.findSpell = drawFindSpell(p, rng.normal());
    job.findSpell = this.findSpell;
    this.lastEnd = { day, employer: job.employer, category: job.category, organisation: job.coachOrganisation, jobNr: job.nr };
    if (cause !== "einde" || this.stopped) return;
    const cat = job.category;
    if (this.benefitRunning && !this.running && rng.chance(p.reintegration.beforeEnd[cat])) {
      this.startService(day - rng.int(7, 90), day + 30);
    }
    if (!this.person.participant || this.withdrawn) return;
    if (rng.chance(p.work.withdrawal)) {
      this.withdrawn = true;
      return;
    }
    // a direct next job (≤ 7 days) or proefplaatsing: the category acts through the effect only (next-job.ts)
    if (rng.chance(directProbability(p, this.person, job.category, yearOfDay(day)))) {
      const coach = this.coachDecision(day);
      if (rng.chance(proefplaatsingProbability(p, coach, true, true)))
        this.startProefplaatsing(day + rng.int(1, 7), coach === null ? null : "extern", hireProbability(p, coach, true, true));
      else {
        const offset = rng.chance(p.work.directOverlap) ? -rng.int(1, 60) : rng.int(1, 7);
        this.startJob(Math.max(day + offset, job.start + 1), { coach, exclude: job.employer });
      }
    } else if (this.benefitRunning && !this.running && rng.chance(p.reintegration.firstWeek[cat])) {
      this.startService(day + rng.int(1, 7));
    }
  }

  /** Whether the next job (or proefplaatsing) gets a jobcoach, and which kind: observed characteristics only (next-job.ts). */
  private coachDecision(day: number): "extern" | "intern" | null {
    return coachFromUniforms(this.p, this.person, day, this.rng.next(), this.rng.next());
  }

  private findMonth(F: number, L: number, year: number): void {
    const { p, rng, person } = this;
    if (!this.benefitRunning && person.group === "Wajong" && rng.chance(0.5)) return;
    const h = this.lastEnd
      ? searchHazardAfterEnd(p, person, F, year, this.lastEnd.day, this.lastEnd.category, this.findSpell)
      : baseSearchHazard(p, person, F, year, this.findSpell);
    if (!rng.chance(1 - Math.exp(-h))) return;
    const lo = this.lastEnd ? Math.max(F, this.lastEnd.day + 8) : F;
    if (lo > L) return;
    const day = rng.int(lo, L);
    const coach = this.coachDecision(day);
    const hasWorked = this.jobs.length > 0;
    if (rng.chance(proefplaatsingProbability(p, coach, hasWorked)))
      this.startProefplaatsing(day, coach === null ? null : "extern", hireProbability(p, coach, hasWorked));
    else this.startJob(day, { coach });
  }

  /** WGA jobcoach users start their jobcoach trajectory (with a job or a proefplaatsing). */
  private forcedJobcoachStart(F: number, L: number): void {
    const { p, rng } = this;
    const day = rng.int(F, L);
    const coach = rng.chance(p.jobcoach.internShare) ? "intern" : "extern";
    if (coach === "extern" && rng.chance(0.35)) this.startProefplaatsing(day, "extern", p.proefplaatsing.hired);
    else this.startJob(day, { coach });
  }

  /**
   * A job at the employer of a job that ended less than 62 days before would be one baan for
   * D1 (merge gap 31 days, plus month-end rounding of unregistered ends): such a rehire is drawn
   * again, so that a true new job is always a new baan.
   */
  private acceptable(e: Employer, day: number, exclude?: Employer): boolean {
    if (e === exclude || e === this.job?.employer) return false;
    for (let i = this.jobs.length - 1; i >= 0 && i >= this.jobs.length - 4; i--) {
      const j = this.jobs[i]!;
      if (j.employer === e && (j.end === null || j.end > day - 62)) return false;
    }
    return true;
  }

  private pickEmployer(day: number, exclude?: Employer): Employer {
    for (;;) {
      const e = pickWeighted(this.rng, this.world.employers, this.world.employerCumulative);
      if (this.acceptable(e, day, exclude)) return e;
    }
  }

  private pickAgency(day: number): Employer {
    // at least 10 agencies and at most 5 excluded: this terminates
    for (;;) {
      const e = pickWeighted(this.rng, this.world.agencies, this.world.agencyCumulative);
      if (this.acceptable(e, day)) return e;
    }
  }

  private startJob(
    day: number,
    opts: { coach: "extern" | "intern" | null; employer?: Employer; pp?: Proefplaatsing; exclude?: Employer },
  ): void {
    const { p, rng, person } = this;
    const w = p.work;
    this.closeServiceAtWork(day);
    let soort: SoortBaan;
    let employer: Employer;
    let hirer: Employer | null = null;
    if (opts.employer) {
      soort = "regulier";
      employer = opts.employer;
    } else {
      const weights = { ...w.soortBaan };
      if (opts.coach) weights.uitzend *= w.uitzendJobcoachFactor;
      if (opts.coach === "intern") weights.uitzend = 0;
      soort = rng.pick(weights);
      if (soort === "uitzend") {
        employer = this.pickAgency(day);
        hirer = this.pickEmployer(day, opts.exclude);
      } else {
        employer = this.pickEmployer(day, opts.exclude);
        if (soort === "overig") hirer = this.pickEmployer(day, employer);
      }
    }
    let contract: Contract;
    if (soort === "uitzend") contract = rng.chance(0.85) ? "bepaald" : "onbekend";
    else if (soort === "oproep") contract = rng.pick({ bepaald: 0.6, onbekend: 0.3, onbepaald: 0.1 });
    else contract = rng.chance(person.group === "WGA" ? w.permanentAtStartWga : w.permanentAtStart) ? "onbepaald" : "bepaald";
    const termEnd = contract === "bepaald" && (soort === "regulier" || soort === "overig") ? this.drawTermEnd(day) : null;

    const coached = opts.coach !== null || (opts.pp !== undefined && this.coach?.pp === opts.pp);
    const median = person.group === "WGA" ? w.hoursMedianWga : coached ? w.hoursMedianJobcoach : w.hoursMedian;
    // a next job's hours stay near the last job's (hoursPersistence on the log scale)
    const last = this.jobs[this.jobs.length - 1];
    const prevHours = last ? last.ikvs[last.ikvs.length - 1]!.hoursPerWeek : null;
    const lambda = prevHours === null ? 0 : w.hoursPersistence;
    const center = (1 - lambda) * Math.log(median) + (prevHours === null ? 0 : lambda * Math.log(prevHours));
    const noise = w.hoursSigma * rng.normal() * (coached ? 0.6 : 1) * (prevHours === null ? 1 : Math.sqrt(1 - lambda * lambda));
    const hours = Math.min(40, Math.max(2, Math.exp(center + noise)));
    const age = (day - person.birthDay) / 365.25;
    let youth = 1;
    for (const [limit, factor] of YOUTH_WAGE)
      if (age < limit) {
        youth = factor;
        break;
      }
    const [lo, hi] = person.group === "WGA" ? w.productivityWga : w.productivityWajong;
    const real = w.minimumWage2015 * Math.max(youth, person.group === "WGA" ? 1 : youth) * rng.uniform(lo, hi);
    const wageStart = (real * cpi2015(yearOfDay(day))) / 100;
    const wageGrowth = person.group === "WGA" ? w.wageGrowthWga : w.wageGrowth + (age < 23 ? w.wageGrowthYoung : 0);

    const job: Job = {
      nr: this.jobs.length + 1,
      employer,
      hirer,
      soort,
      ikvs: [
        {
          id: this.nextIkvId(),
          employer,
          start: day,
          end: null,
          registeredEnd: false,
          contract,
          hoursPerWeek: hours,
          wageStart,
          wageGrowth,
          polisRows: 0,
        },
      ],
      start: day,
      end: null,
      endCause: null,
      category: opts.coach ?? "geen",
      coachOrganisation: null,
      coachEmployerId: null,
      viaProefplaatsing: opts.pp?.id ?? null,
      termEnd,
      findSpell: 1,
    };
    this.jobs.push(job);
    this.job = job;

    if (opts.pp && this.coach && this.coach.pp === opts.pp) {
      // coaching that began with the proefplaatsing continues in the job
      this.coach.job = job;
      this.coach.pp = null;
      job.category = "extern";
      job.coachOrganisation = this.coach.period.organisation;
      job.coachEmployerId = this.coach.period.employerId;
    } else if (opts.coach) {
      const underHirer = hirer !== null && rng.chance(p.jobcoach.hirerRegistration);
      const employerId = underHirer ? hirer!.id : employer.id;
      const period = this.newCoachPeriod(opts.coach, employerId, day, 1, underHirer);
      period.jobNr = job.nr;
      this.coach = { period, job, pp: null };
      job.coachOrganisation = period.organisation;
      job.coachEmployerId = employerId;
    } else {
      this.portalNoise(day, employer.id);
    }
  }

  private nextIkvId(): string {
    return `K${String(++this.ids.ikv).padStart(9, "0")}`;
  }

  // ---------------------------------------------------------------- proefplaatsing

  /** `hire`: probability that the proefplaatsing ends in a hire (next-job.ts hireProbability) */
  private startProefplaatsing(day: number, coach: "extern" | null, hire: number): void {
    const { p, rng } = this;
    this.closeServiceAtWork(day);
    const employer = this.pickEmployer(day);
    const end = addMonths(day, rng.int(p.proefplaatsing.minMonths, p.proefplaatsing.maxMonths)) - 1;
    const pp: Proefplaatsing = {
      id: `S${String(++this.ids.dienst).padStart(9, "0")}`,
      employer,
      start: day,
      end,
      hired: false,
      jobNr: null,
      withJobcoach: coach !== null,
    };
    this.pps.push(pp);
    this.pp = pp;
    this.ppHire = hire;
    if (coach) {
      const period = this.newCoachPeriod("extern", employer.id, day, 1, false);
      period.proefplaatsingId = pp.id;
      this.coach = { period, job: null, pp };
    }
  }

  private finishProefplaatsing(L: number): void {
    const pp = this.pp!;
    const hired = pp.end < this.windowEnd && this.rng.chance(this.ppHire);
    this.finishProefplaatsingOn(Math.min(pp.end, L), hired);
  }

  private finishProefplaatsingOn(day: number, hired: boolean): void {
    const pp = this.pp!;
    pp.end = Math.min(pp.end, day);
    pp.hired = hired;
    this.pp = null;
    if (hired) {
      this.startJob(pp.end + 1, { coach: null, employer: pp.employer, pp });
      pp.jobNr = this.job!.nr;
    } else if (this.coach && this.coach.pp === pp) {
      this.coach.period.end = Math.min(this.coach.period.end, pp.end);
      this.coach = null;
    }
  }

  // ---------------------------------------------------------------- jobcoach

  private newCoachPeriod(
    soort: "extern" | "intern",
    employerId: string,
    begin: number,
    volgnummer: number,
    underHirer: boolean,
  ): CoachPeriod {
    const { p, rng } = this;
    let organisation: string | null = null;
    if (soort === "extern") {
      organisation = this.lastOrganisation && rng.chance(0.7) ? this.lastOrganisation : rng.element(this.world.organisations);
      this.lastOrganisation = organisation;
    }
    const regime = rng.pick(p.jobcoach.regime);
    const granted = Math.round(p.jobcoach.hoursByRegime[regime] * (1 - 0.1 * Math.min(volgnummer - 1, 3)));
    const period: CoachPeriod = {
      id: this.nextToekenningId(),
      soort,
      organisation,
      volgnummer,
      begin,
      end: addMonths(begin, p.jobcoach.periodMonths) - 1,
      status: "toegekend",
      employerId,
      jobNr: null,
      proefplaatsingId: null,
      underHirer,
      regime,
      grantedHours: granted,
      accountedHours: null,
    };
    this.coachPeriods.push(period);
    return period;
  }

  private nextToekenningId(): string {
    return `T${String(++this.ids.toekenning).padStart(8, "0")}`;
  }

  /** At each period end: continue coaching into a next period, or stop. */
  private coachMonth(L: number): void {
    const c = this.coach;
    if (!c || c.period.end > L) return;
    const { p, rng } = this;
    const active = (c.job && c.job.end === null) || (c.pp && this.pp === c.pp);
    const vol = c.period.volgnummer;
    const cont =
      p.jobcoach.continuation[Math.min(vol, p.jobcoach.continuation.length) - 1]! *
      (this.person.group === "WGA" ? p.jobcoach.continuationWga : 1);
    if (active && rng.chance(cont)) {
      const next = this.newCoachPeriod(c.period.soort, c.period.employerId, c.period.end + 1, vol + 1, c.period.underHirer);
      next.organisation = c.period.organisation;
      next.jobNr = c.job?.nr ?? null;
      next.proefplaatsingId = c.pp?.id ?? null;
      c.period = next;
    } else {
      this.coach = null;
    }
  }

  /** Refused and withdrawn applications for a job that ends up without jobcoach. */
  private portalNoise(day: number, employerId: string): void {
    const { p, rng } = this;
    const status = rng.chance(p.messiness.portalRefused) ? "afgewezen" : rng.chance(p.messiness.portalWithdrawn) ? "ingetrokken" : null;
    if (!status) return;
    const regime = rng.pick(p.jobcoach.regime);
    this.coachPeriods.push({
      id: this.nextToekenningId(),
      soort: "extern",
      organisation: rng.element(this.world.organisations),
      volgnummer: 1,
      begin: day,
      end: addMonths(day, p.jobcoach.periodMonths) - 1,
      status,
      employerId,
      jobNr: null,
      proefplaatsingId: null,
      underHirer: false,
      regime,
      grantedHours: p.jobcoach.hoursByRegime[regime],
      accountedHours: null,
    });
  }

  // ---------------------------------------------------------------- re-integration

  private serviceMonth(F: number, L: number): void {
    const { p, rng } = this;
    if (this.running && this.running.plannedEnd <= L) {
      const r = this.running;
      this.closeService(r, r.plannedEnd, r.premature ? "voortijdig_beeindigd" : "geen_plaatsing");
    }
    if (this.running || this.job || this.pp || !this.benefitRunning || this.stopped) return;
    const since = this.lastEnd ? F - this.lastEnd.day : 0;
    const h = this.lastEnd
      ? p.reintegration.hazard[this.lastEnd.category] *
        (since < 28 ? p.reintegration.firstMonthFactor : since > 182 ? p.reintegration.laterFactor : 1)
      : this.person.participant
        ? p.reintegration.hazardNeverWorked
        : p.reintegration.hazardNeverWorked * 0.25;
    if (!rng.chance(h)) return;
    const lo = this.lastEnd ? Math.max(F, this.lastEnd.day + 1) : F;
    if (lo > L) return;
    this.startService(rng.int(lo, L));
  }

  /** Start a service; `runsUntilAtLeast` forces a service that started before a job end to run past it. */
  private startService(start: number, runsUntilAtLeast?: number): void {
    const { p, rng } = this;
    const rp = p.reintegration;
    const last = this.lastEnd;
    const daysAfter = last ? start - last.day : Infinity;
    const before = runsUntilAtLeast !== undefined;
    const mix = before ? rp.typeBefore : yearOfDay(start) >= 2019 ? rp.typeAfter2019 : rp.typeAfter;
    const dienst = rng.pick(mix);
    let aanbieder = rng.element(this.world.organisations);
    let own: boolean | null = null;
    if (last && last.category === "extern" && last.organisation && daysAfter < 3 * 365) {
      const o = rp.ownOrganisation;
      const prob = before
        ? o.before
        : daysAfter <= 7
          ? o.firstWeek
          : daysAfter <= 30
            ? o.firstMonth
            : daysAfter <= 91
              ? o.firstQuarter
              : o.later;
      if (rng.chance(prob)) aanbieder = last.organisation;
      else while (aanbieder === last.organisation) aanbieder = rng.element(this.world.organisations);
      own = aanbieder === last.organisation;
    }
    let plannedEnd = addMonths(start, rng.int(rp.durationMonths[0], rp.durationMonths[1])) - 1;
    if (runsUntilAtLeast !== undefined) plannedEnd = Math.max(plannedEnd, runsUntilAtLeast);
    const premature = rng.chance(rp.prematureEnd);
    if (premature) plannedEnd = Math.max(start + 14, Math.round((start + plannedEnd) / 2), runsUntilAtLeast ?? 0);
    const service: Service = {
      id: `S${String(++this.ids.dienst).padStart(9, "0")}`,
      dienst,
      aanbieder,
      start,
      end: null,
      endRegistered: true,
      resultaat: "lopend",
      afterJobNr: last && daysAfter < 3 * 365 ? last.jobNr : null,
      ownOrganisation: own,
    };
    this.services.push(service);
    this.running = { service, plannedEnd, premature };
  }

  /** Starting work (or a proefplaatsing) ends a running service: a placement for naar_werk. */
  private closeServiceAtWork(day: number): void {
    const r = this.running;
    if (!r || r.service.start >= day) return;
    this.closeService(r, day - 1, r.service.dienst === "naar_werk" ? "plaatsing" : "voortijdig_beeindigd");
  }

  private closeService(r: RunningService, day: number | null, resultaat?: Service["resultaat"]): void {
    const s = r.service;
    this.running = null;
    const end = day ?? r.plannedEnd;
    if (end > this.windowEnd) {
      s.end = null;
      s.resultaat = "lopend";
      return;
    }
    s.end = Math.max(end, s.start);
    s.resultaat = resultaat ?? (r.premature ? "voortijdig_beeindigd" : "geen_plaatsing");
    s.endRegistered = !this.rng.chance(this.p.messiness.serviceWithoutEnd);
  }
}
