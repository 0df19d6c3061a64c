/**
 * Truth estimands of the jobcoach effect (TRUTH.md, "The jobcoach effect"): for every analysed
 * job ending (D2 applied to the true history with D1's end convention, as the truth-side
 * calibration and the pipeline take them) the counterfactual days to the next job under each
 * jobcoach category (counterfactual.ts), written per ending to `truth/tegenfeitelijk.csv` and
 * summarised in `truth/effecten.json`: cumulative shares at the reading points, differences
 * versus geen, restricted mean time without work, the planted hazard ratios and the marginal
 * Cox hazard ratios.
 */
import { addMonths, isoDate, lastDayOfMonth, monthOfDay, parseIsoDay } from "./calendar.ts";
import { ARMS, counterfactualDays, drawCommon, monthsNeeded, type EndingState } from "./counterfactual.ts";
import type { Category, Job, PersonHistory, PersonTraits } from "./history.ts";
import { coxGrouped } from "./marginal-cox.ts";
import { drawFindSpell } from "./next-job.ts";
import type { GeneratorParameters } from "./parameters.ts";
import { Rng, mixSeed } from "./random.ts";

export const COUNTERFACTUAL_COLUMNS = ["persoon_id", "baan_nr", "einddatum_d1", "jobcoach", "dagen_geen", "dagen_extern", "dagen_intern"];

/** What `truth/tegenfeitelijk_verwacht.csv` holds per arm: the expected outcomes of the recovery test's estimands. */
const EXPECTED = [
  { name: "aandeel_182", of: (t: number | null) => (t !== null && t <= 182 ? 1 : 0) },
  { name: "aandeel_365", of: (t: number | null) => (t !== null && t <= 365 ? 1 : 0) },
  { name: "dagen_365", of: (t: number | null) => (t === null ? 365 : Math.min(t, 365)) },
] as const;
export const EXPECTED_COLUMNS = [
  "persoon_id",
  "baan_nr",
  "einddatum_d1",
  "jobcoach",
  ...ARMS.flatMap((arm) => EXPECTED.map((e) => `${e.name}_${arm}`)),
];

/** The D1 end of a true job (registered end, else the last day of its month) when D2 takes it; else null. */
export function analysedEnd(p: GeneratorParameters, person: PersonTraits, job: Job): number | null {
  if (person.group !== "Wajong" || job.end === null) return null;
  const e = p.estimands;
  const registered = job.ikvs[job.ikvs.length - 1]!.registeredEnd;
  const E = registered ? job.end : lastDayOfMonth(monthOfDay(job.end));
  if (E < parseIsoDay(e.windowStart) || E > parseIsoDay(e.windowEnd)) return null;
  if (person.benefitStart > E || (person.benefitEnd !== null && E > person.benefitEnd)) return null;
  if ((person.endReason === "overlijden" || person.endReason === "pensioen") && person.benefitEnd !== null) {
    if (person.benefitEnd >= addMonths(E, -e.deathPensionMonths) && person.benefitEnd <= addMonths(E, e.deathPensionMonths)) return null;
  }
  return E;
}

const STREAM = 0x63666163; // "cfac": the counterfactual draws' own stream
const EXPECTED_STREAM = 0x65787063; // "expc": the expected outcomes' draws, one stream per draw

export class EstimandCollector {
  private readonly horizon: number;
  /** per arm: histogram of days 0..horizon; index horizon + 1 = no job within the horizon */
  private readonly hist: Record<Category, Float64Array>;
  /** per arm, with every time censored at the peildatum as well: events and censorings per day 0..horizon */
  private readonly cens: Record<Category, { events: Float64Array; censored: Float64Array }>;
  private readonly peildatum: number;
  private readonly realised: Record<Category, number> = { geen: 0, extern: 0, intern: 0 };
  private n = 0;

  /**
   * @param expectedDraws when > 0, `add` also passes each ending's expected outcomes to its
   * `emitExpected`: the mean over this many
   * fresh draws of everything random after the ending (the spell part of the finding hazard
   * included): the expected outcome given what the ending's state holds, for measuring
   * confounding without the outcome's own noise (scripts/recovery-decompose.ts).
   */
  constructor(
    private readonly p: GeneratorParameters,
    private readonly seed: number,
    private readonly expectedDraws = 0,
  ) {
    this.horizon = p.estimands.horizonDays;
    this.hist = {
      geen: new Float64Array(this.horizon + 2),
      extern: new Float64Array(this.horizon + 2),
      intern: new Float64Array(this.horizon + 2),
    };
    const pair = () => ({ events: new Float64Array(this.horizon + 1), censored: new Float64Array(this.horizon + 1) });
    this.cens = { geen: pair(), extern: pair(), intern: pair() };
    this.peildatum = parseIsoDay(p.estimands.peildatum);
  }

  /** Counterfactual days of every analysed ending of one person; `emit` receives the CSV row values. */
  add(
    history: PersonHistory,
    arbeidsvermogen: PersonTraits["arbeidsvermogen"],
    emit: (values: string[]) => void,
    emitExpected?: (values: string[]) => void,
  ): void {
    const person = history.person;
    for (const job of history.jobs) {
      const E = analysedEnd(this.p, person, job);
      if (E === null) continue;
      const state: EndingState = { person, arbeidsvermogen, jobStart: job.start, end: job.end!, observedEnd: E, findSpell: job.findSpell };
      const draws = drawCommon(new Rng(mixSeed(this.seed, STREAM, person.index, job.nr)), monthsNeeded(this.horizon));
      const row = [person.id, String(job.nr), isoDate(E), job.category];
      for (const arm of ARMS) {
        const t = counterfactualDays(this.p, state, draws, arm, this.horizon);
        const within = t !== null && t <= this.horizon;
        this.hist[arm][within ? t : this.horizon + 1]!++;
        // follow-up to the peildatum (an ending on it is followed for 0 days)
        const c = Math.min(this.horizon, Math.max(0, this.peildatum - E));
        if (t !== null && t <= c) this.cens[arm].events[t]!++;
        else this.cens[arm].censored[c]!++;
        row.push(within ? String(t) : "");
      }
      this.realised[job.category]++;
      this.n++;
      emit(row);
      if (emitExpected && this.expectedDraws > 0) emitExpected([...row.slice(0, 4), ...this.expected(state, person.index, job.nr)]);
    }
  }

  /** Mean of each EXPECTED outcome per arm over `expectedDraws` fresh draws (common across the arms within a draw). */
  private expected(state: EndingState, personIndex: number, jobNr: number): string[] {
    const K = this.expectedDraws;
    const sums = new Float64Array(ARMS.length * EXPECTED.length);
    for (let k = 0; k < K; k++) {
      const rng = new Rng(mixSeed(this.seed, EXPECTED_STREAM, k, personIndex, jobNr));
      const drawn: EndingState = { ...state, findSpell: drawFindSpell(this.p, rng.normal()) };
      const draws = drawCommon(rng, monthsNeeded(this.horizon));
      ARMS.forEach((arm, a) => {
        const t = counterfactualDays(this.p, drawn, draws, arm, this.horizon);
        EXPECTED.forEach((e, i) => {
          sums[a * EXPECTED.length + i]! += e.of(t);
        });
      });
    }
    return [...sums].map((x) => (x / K).toFixed(6));
  }

  /** The summary written to truth/effecten.json. */
  summary(): Record<string, unknown> {
    const { p, hist, horizon, n } = this;
    const cumulative = (arm: Category, day: number) => {
      let s = 0;
      for (let t = 0; t <= Math.min(day, horizon); t++) s += hist[arm][t]!;
      return n > 0 ? s / n : null;
    };
    const rmst = (arm: Category, tau: number) => {
      // mean of min(T, tau) over the endings, T = days to the next job (none: beyond tau)
      let s = 0;
      for (let t = 0; t < tau; t++) s += hist[arm][t]! * t;
      let below = 0;
      for (let t = 0; t < tau; t++) below += hist[arm][t]!;
      return n > 0 ? (s + (n - below) * tau) / n : null;
    };
    const points = [...new Set([...p.estimands.readingPoints, 182, 365])].sort((a, b) => a - b);
    const share = Object.fromEntries(ARMS.map((a) => [a, points.map((d) => ({ dag: d, aandeel: cumulative(a, d) }))]));
    const diff = (a: Category) =>
      points.map((d) => {
        const x = cumulative(a, d),
          g = cumulative("geen", d);
        return { dag: d, verschil: x === null || g === null ? null : x - g };
      });
    const rm = Object.fromEntries(ARMS.map((a) => [a, p.estimands.rmstDays.map((tau) => ({ tot_dag: tau, dagen: rmst(a, tau) }))]));
    const rmDiff = (a: Category) =>
      p.estimands.rmstDays.map((tau) => {
        const x = rmst(a, tau),
          g = rmst("geen", tau);
        return { tot_dag: tau, verschil: x === null || g === null ? null : x - g };
      });
    // marginal Cox: arm as the only covariate, every ending under every arm, censored at the horizon
    let cox: number[] = [Number.NaN, Number.NaN];
    if (n > 0) {
      const events = ARMS.map((a) => hist[a].subarray(0, horizon + 1));
      const censored = ARMS.map((a) => {
        const c = new Float64Array(horizon + 1);
        c[horizon] = hist[a][horizon + 1]!;
        return c;
      });
      cox = coxGrouped(events, censored).map(Math.exp);
    }
    const coxPeildatum =
      n > 0
        ? coxGrouped(
            ARMS.map((a) => this.cens[a].events),
            ARMS.map((a) => this.cens[a].censored),
          ).map(Math.exp)
        : [Number.NaN, Number.NaN];
    return {
      id: "effecten",
      beschrijving:
        "Ware effecten van de jobcoachcategorie van een geëindigde baan op de tijd tot de volgende baan (TRUTH.md, 'The jobcoach effect')",
      populatie: {
        definitie: "baaneindes D2 (D1-einde, venster, Wajong-uitkering lopend, zonder overlijden/pensioen binnen de marge)",
        venster: [p.estimands.windowStart, p.estimands.windowEnd],
        baaneindes: n,
        per_jobcoach: this.realised,
      },
      follow_up_dagen: horizon,
      hazard_ratio_parameter: {
        definitie:
          "hazard ratio t.o.v. geen op de kans op een volgende baan na het einde, stuksgewijs constant in dagen sinds het einde (stukken vanaf 0 en vanaf elke grens)",
        grenzen_dagen: p.effect.breaksDays,
        extern: p.effect.hazardRatio.extern,
        intern: p.effect.hazardRatio.intern,
      },
      marginale_cox_hazard_ratio: {
        definitie:
          "Cox (Efron) met alleen de categorie, op de tegenfeitelijke tijden van alle baaneindes onder elke categorie, gecensureerd op de follow-up",
        extern: cox[0],
        intern: cox[1],
      },
      marginale_cox_hazard_ratio_peildatum: {
        definitie:
          "als marginale_cox_hazard_ratio, met elke tegenfeitelijke tijd ook gecensureerd op de peildatum, zoals de gegevens: " +
          "het effect verschilt in de tijd, dus hangt een Cox-verhouding af van de follow-up (TRUTH.md)",
        peildatum: p.estimands.peildatum,
        extern: coxPeildatum[0],
        intern: coxPeildatum[1],
      },
      cumulatief_aandeel: share,
      verschil_met_geen: { extern: diff("extern"), intern: diff("intern") },
      rmst: rm,
      rmst_verschil_met_geen: { extern: rmDiff("extern"), intern: rmDiff("intern") },
    };
  }
}
