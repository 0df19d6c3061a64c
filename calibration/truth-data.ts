/**
 * Reading the generator's ground truth (TRUTH.md) into typed records, grouped per person.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../core/errors.ts";
import { lastDayOfMonth, monthOfDay, parseIsoDay } from "../data/generator/calendar.ts";

export interface TruthPerson {
  id: string;
  groep: "Wajong" | "WGA";
  geslacht: string;
  arbeidsvermogen: string;
  uitkeringStart: number;
  uitkeringEinde: number | null;
  redenEinde: string;
  overlijden: number | null;
  pensioen: number | null;
  banen: TruthBaan[];
  ikvs: TruthIkv[];
  perioden: TruthPeriode[];
  proefplaatsingen: TruthProefplaatsing[];
  diensten: TruthDienst[];
}

export interface TruthBaan {
  nr: number;
  start: number;
  /**
   * The end as D1 defines it: the registered end when `einde_geregistreerd`, else the last day
   * of the month of the true end (D1: "the last day of the last month with pay"). Null when
   * running on 2020-12-31.
   */
  einde: number | null;
  /** the true end day (differs from `einde` for unregistered ends) */
  eindeWaar: number | null;
  eindeGeregistreerd: boolean;
  eindeOorzaak: string;
  contractEinde: string;
  soort: string;
  urenStart: number;
  jobcoach: "extern" | "intern" | "geen";
  organisatie: string;
}

export interface TruthIkv {
  baanNr: number;
  start: number;
  einde: number | null;
  contract: string;
  uren: number;
  uurloon: number;
  groei: number;
}

export interface TruthPeriode {
  soort: string;
  begin: number;
  einde: number;
  status: string;
}

export interface TruthProefplaatsing {
  start: number;
  einde: number | null;
}

export interface TruthDienst {
  dienst: string;
  aanbieder: string;
  start: number;
  einde: number | null;
}

function readCsv(dir: string, name: string): { header: Map<string, number>; rows: string[][] } {
  const path = join(dir, `${name}.csv`);
  if (!existsSync(path)) throw new UserError(`${path} ontbreekt (verwacht: de truth-map van baanmonitor generate)`);
  const lines = readFileSync(path, "utf8").split("\n");
  const header = new Map(lines[0]!.split(",").map((c, i) => [c, i]));
  const rows: string[][] = [];
  for (let i = 1; i < lines.length; i++) if (lines[i] !== "") rows.push(lines[i]!.split(","));
  return { header, rows };
}

const day = (s: string) => (s === "" ? null : parseIsoDay(s));

export function loadTruth(dir: string): Map<string, TruthPerson> {
  const persons = new Map<string, TruthPerson>();
  {
    const { header: h, rows } = readCsv(dir, "personen");
    const c = (n: string) => h.get(n)!;
    for (const r of rows) {
      persons.set(r[c("persoon_id")]!, {
        id: r[c("persoon_id")]!,
        groep: r[c("groep")] as "Wajong" | "WGA",
        geslacht: r[c("geslacht")]!,
        arbeidsvermogen: r[c("arbeidsvermogen")]!,
        uitkeringStart: parseIsoDay(r[c("uitkering_start")]!),
        uitkeringEinde: day(r[c("uitkering_einde")]!),
        redenEinde: r[c("reden_einde")]!,
        overlijden: day(r[c("overlijdensdatum")]!),
        pensioen: day(r[c("pensioendatum")]!),
        banen: [],
        ikvs: [],
        perioden: [],
        proefplaatsingen: [],
        diensten: [],
      });
    }
  }
  const person = (id: string, file: string) => {
    const p = persons.get(id);
    if (!p) throw new UserError(`${file}: persoon ${id} staat niet in personen.csv`);
    return p;
  };
  {
    const { header: h, rows } = readCsv(dir, "banen");
    const c = (n: string) => h.get(n)!;
    for (const r of rows) {
      const eindeWaar = day(r[c("einddatum")]!);
      const geregistreerd = r[c("einde_geregistreerd")] === "true";
      person(r[c("persoon_id")]!, "banen.csv").banen.push({
        nr: Number(r[c("baan_nr")]),
        start: parseIsoDay(r[c("startdatum")]!),
        einde: eindeWaar === null || geregistreerd ? eindeWaar : lastDayOfMonth(monthOfDay(eindeWaar)),
        eindeWaar,
        eindeGeregistreerd: geregistreerd,
        eindeOorzaak: r[c("einde_oorzaak")]!,
        contractEinde: r[c("contractsoort_einde")]!,
        soort: r[c("soort_baan")]!,
        urenStart: Number(r[c("uren_per_week_start")]),
        jobcoach: r[c("jobcoach")] as TruthBaan["jobcoach"],
        organisatie: r[c("jobcoach_organisatie_id")]!,
      });
    }
  }
  {
    const { header: h, rows } = readCsv(dir, "ikvs");
    const c = (n: string) => h.get(n)!;
    for (const r of rows) {
      person(r[c("persoon_id")]!, "ikvs.csv").ikvs.push({
        baanNr: Number(r[c("baan_nr")]),
        start: parseIsoDay(r[c("startdatum")]!),
        einde: day(r[c("einddatum")]!),
        contract: r[c("contractsoort")]!,
        uren: Number(r[c("uren_per_week")]),
        uurloon: Number(r[c("uurloon_start")]),
        groei: Number(r[c("uurloon_groei_jaar")]),
      });
    }
  }
  {
    const { header: h, rows } = readCsv(dir, "jobcoach_perioden");
    const c = (n: string) => h.get(n)!;
    for (const r of rows) {
      person(r[c("persoon_id")]!, "jobcoach_perioden.csv").perioden.push({
        soort: r[c("soort")]!,
        begin: parseIsoDay(r[c("begindatum")]!),
        einde: parseIsoDay(r[c("einddatum")]!),
        status: r[c("status")]!,
      });
    }
  }
  {
    const { header: h, rows } = readCsv(dir, "proefplaatsingen");
    const c = (n: string) => h.get(n)!;
    for (const r of rows) {
      person(r[c("persoon_id")]!, "proefplaatsingen.csv").proefplaatsingen.push({
        start: parseIsoDay(r[c("startdatum")]!),
        einde: day(r[c("einddatum")]!),
      });
    }
  }
  {
    const { header: h, rows } = readCsv(dir, "diensten");
    const c = (n: string) => h.get(n)!;
    for (const r of rows) {
      person(r[c("persoon_id")]!, "diensten.csv").diensten.push({
        dienst: r[c("dienst")]!,
        aanbieder: r[c("aanbieder_id")]!,
        start: parseIsoDay(r[c("startdatum")]!),
        einde: day(r[c("einddatum")]!),
      });
    }
  }
  return persons;
}
