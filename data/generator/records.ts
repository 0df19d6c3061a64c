/**
 * Rendering a person's true history as extract rows (canonical values, contract column order)
 * and as ground-truth rows (TRUTH.md documents the truth files).
 */
import { isoDate } from "./calendar.ts";
import type { PersonHistory } from "./history.ts";
import type { Rng } from "./random.ts";
import type { PolisWindow } from "./polis.ts";

const d = (day: number | null) => (day === null ? "" : isoDate(day));
const b = (v: boolean) => (v ? "true" : "false");

export const TRUTH_COLUMNS = {
  personen: [
    "persoon_id",
    "groep",
    "regeling",
    "geslacht",
    "geboortedatum",
    "opleidingsniveau",
    "diagnosegroep",
    "regio",
    "arbeidsvermogen",
    "uitkering_start",
    "uitkering_einde",
    "reden_einde",
    "overlijdensdatum",
    "pensioendatum",
    "arbeidsmarkt",
    "vindkans",
    "verloop",
  ],
  banen: [
    "persoon_id",
    "baan_nr",
    "baan_id",
    "werkgever_id",
    "inlener_id",
    "ikv_ids",
    "n_ikv",
    "ikv_ids_extract",
    "startdatum",
    "einddatum",
    "einde_oorzaak",
    "einde_geregistreerd",
    "contractsoort_start",
    "contractsoort_einde",
    "soort_baan",
    "sector",
    "grootteklasse",
    "vierwekelijks",
    "uren_per_week_start",
    "jobcoach",
    "jobcoach_organisatie_id",
    "jobcoach_werkgever_id",
    "jobcoach_onder_inlener",
    "proefplaatsing_id",
  ],
  ikvs: [
    "persoon_id",
    "baan_nr",
    "ikv_id",
    "werkgever_id",
    "startdatum",
    "einddatum",
    "einde_geregistreerd",
    "contractsoort",
    "uren_per_week",
    "uurloon_start",
    "uurloon_groei_jaar",
    "vierwekelijks",
  ],
  jobcoach_perioden: [
    "toekenning_id",
    "persoon_id",
    "baan_nr",
    "proefplaatsing_id",
    "soort",
    "organisatie_id",
    "werkgever_id",
    "onder_inlener",
    "volgnummer",
    "begindatum",
    "einddatum",
    "status",
  ],
  proefplaatsingen: ["dienst_id", "persoon_id", "werkgever_id", "startdatum", "einddatum", "aangenomen", "baan_nr", "met_jobcoach"],
  diensten: [
    "dienst_id",
    "persoon_id",
    "dienst",
    "aanbieder_id",
    "startdatum",
    "einddatum",
    "einddatum_geregistreerd",
    "resultaat",
    "na_baan_nr",
    "eigen_organisatie",
  ],
} as const;

export type TruthName = keyof typeof TRUTH_COLUMNS;
export const TRUTH_NAMES = Object.keys(TRUTH_COLUMNS) as TruthName[];

export interface Emitters {
  extract: Record<"uitkeringen" | "jobcoachportaal" | "sonar", (values: string[]) => void>;
  truth: Record<TruthName, (values: string[]) => void>;
}

export function emitPerson(h: PersonHistory, rng: Rng, window: PolisWindow, out: Emitters): void {
  const p = h.person;
  out.extract.uitkeringen([
    p.id,
    p.geslacht,
    d(p.birthDay),
    p.opleiding,
    p.diagnose,
    p.regeling,
    p.arbeidsvermogen,
    d(p.benefitStart),
    d(p.benefitEnd),
    p.endReason ?? "",
    p.regio,
  ]);
  out.truth.personen([
    p.id,
    p.group,
    p.regeling,
    p.geslacht,
    d(p.birthDay),
    p.opleiding,
    p.diagnose,
    p.regio,
    p.arbeidsvermogen,
    d(p.benefitStart),
    d(p.benefitEnd),
    p.endReason ?? "",
    d(p.deathDay),
    d(p.pensionDay),
    b(p.participant),
    p.findHazard.toFixed(4),
    p.churn.toFixed(3),
  ]);

  for (const job of h.jobs) {
    if (job.start > window.end || (job.end !== null && job.end < window.start)) continue;
    const lastIkv = job.ikvs[job.ikvs.length - 1]!;
    // a renewal starting after the window is not part of the written world
    const ikvs = job.ikvs.filter((k) => k.start <= window.end);
    out.truth.banen([
      p.id,
      String(job.nr),
      `${p.id}-${job.nr}`,
      job.employer.id,
      job.hirer?.id ?? "",
      ikvs.map((k) => k.id).join("|"),
      String(ikvs.length),
      ikvs
        .filter((k) => k.polisRows > 0)
        .map((k) => k.id)
        .join("|"),
      d(job.start),
      d(job.end),
      job.endCause ?? "",
      job.end === null ? "" : b(lastIkv.registeredEnd),
      ikvs[0]!.contract,
      lastIkv.contract,
      job.soort,
      job.employer.sector,
      job.employer.size,
      b(job.employer.fourWeekly),
      job.ikvs[0]!.hoursPerWeek.toFixed(2),
      job.category,
      job.coachOrganisation ?? "",
      job.coachEmployerId ?? "",
      job.coachEmployerId === null ? "" : b(job.coachEmployerId !== job.employer.id),
      job.viaProefplaatsing ?? "",
    ]);
    for (const k of ikvs) {
      out.truth.ikvs([
        p.id,
        String(job.nr),
        k.id,
        k.employer.id,
        d(k.start),
        d(k.end),
        k.end === null ? "" : b(k.registeredEnd),
        k.contract,
        k.hoursPerWeek.toFixed(2),
        k.wageStart.toFixed(4),
        k.wageGrowth.toFixed(4),
        b(k.employer.fourWeekly),
      ]);
    }
  }

  for (const c of h.coachPeriods) {
    const accounted = c.status === "toegekend" && c.end <= window.end ? (c.grantedHours * rng.uniform(0.55, 1.0)).toFixed(1) : "";
    out.extract.jobcoachportaal([
      c.id,
      p.id,
      c.employerId,
      c.soort,
      c.organisation ?? "",
      String(c.volgnummer),
      d(c.begin),
      d(c.end),
      c.regime,
      String(c.grantedHours),
      accounted,
      c.status,
    ]);
    out.truth.jobcoach_perioden([
      c.id,
      p.id,
      c.jobNr === null ? "" : String(c.jobNr),
      c.proefplaatsingId ?? "",
      c.soort,
      c.organisation ?? "",
      c.employerId,
      b(c.underHirer),
      String(c.volgnummer),
      d(c.begin),
      d(c.end),
      c.status,
    ]);
  }

  const services: [number, string[]][] = [];
  for (const s of h.services) {
    if (s.start > window.end || (s.end !== null && s.end < window.start)) continue;
    services.push([s.start, [s.id, p.id, s.dienst, s.aanbieder, "", d(s.start), s.endRegistered ? d(s.end) : "", s.resultaat]]);
    out.truth.diensten([
      s.id,
      p.id,
      s.dienst,
      s.aanbieder,
      d(s.start),
      d(s.end),
      b(s.endRegistered),
      s.resultaat,
      s.afterJobNr === null ? "" : String(s.afterJobNr),
      s.ownOrganisation === null ? "" : b(s.ownOrganisation),
    ]);
  }
  for (const pp of h.proefplaatsingen) {
    if (pp.start > window.end || pp.end < window.start) continue;
    const running = pp.end > window.end;
    const resultaat = running ? "lopend" : pp.hired ? "plaatsing" : "geen_plaatsing";
    services.push([pp.start, [pp.id, p.id, "proefplaatsing", "", pp.employer.id, d(pp.start), running ? "" : d(pp.end), resultaat]]);
    out.truth.proefplaatsingen([
      pp.id,
      p.id,
      pp.employer.id,
      d(pp.start),
      running ? "" : d(pp.end),
      b(pp.hired),
      pp.jobNr === null ? "" : String(pp.jobNr),
      b(pp.withJobcoach),
    ]);
  }
  services.sort((x, y) => x[0] - y[0] || (x[1][0]! < y[1][0]! ? -1 : 1));
  for (const [, row] of services) out.extract.sonar(row);
}
