/**
 * Calibration from a run (`baanmonitor calibrate --run <dir>`): compare a pipeline run's own results with every
 * published figure (targets: calibration/published.ts).
 *
 * Two readings of the same figures:
 * - the returned rows (printed by the CLI) come from the full-precision results
 *   `<run>/analyses/<id>.parquet`;
 * - `<run>/publish/kalibratie.json` is computed from the published, disclosure-controlled
 *   tables `<run>/publish/<id>.json` only, so it cannot reveal anything the site does not already
 *   show (a figure resting on a hidden cell is null there).
 * Counts are scaled to scale 1 with the generator's scale (generator.json beside the extracts).
 * Two figures need person-level data that no analysis publishes (no new job within 4 years and
 * now `duurzaam_geen` arbeidsvermogen); they are read from the run's database and published only
 * when their denominators pass the disclosure thresholds.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../core/errors.ts";
import { DEFAULTS, type Parameters } from "../pipeline/config.ts";
import { compareAll, type CalibrationRow } from "./compare.ts";
import type { Row, Tables } from "../analyses/types.ts";
import { num, query, yearOf } from "../analyses/lib/sql.ts";
import { sql } from "../core/sql.ts";
import { confine, folderAccess, lockConfiguration } from "../core/confine.ts";
import { writeJsonAtomic } from "../analyses/lib/output.ts";

type Results = Record<string, Tables>;

const PUNT: Record<string, number> = { "1w": 7, "1m": 30, "3m": 91, "6m": 182, "1j": 365, "2j": 730, "3j": 1095, "4j": 1461 };

const val = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);
const pct = (x: unknown): number | null => (val(x) === null ? null : (x as number) * 100);

function rows(r: Results, id: string, tabel: string): Row[] {
  return r[id]?.[tabel] ?? [];
}
function find(rs: Row[], where: Record<string, unknown>): Row | undefined {
  return rs.find((row) => Object.entries(where).every(([k, v]) => row[k] === v));
}
/** sum of a column; null when any needed cell is null */
function sum(rs: Row[], col: string): number | null {
  let s = 0;
  for (const r of rs) {
    const v = val(r[col]);
    if (v === null) return null;
    s += v;
  }
  return rs.length ? s : null;
}

/** The §6 figures from a set of result tables (full precision or published). */
export function figuresFrom(r: Results, scale: number): Map<string, number | null> {
  const f = new Map<string, number | null>();
  const count = (x: number | null) => (x === null ? null : x / scale);
  const kern = rows(r, "baaneindes_per_jaar", "kerncijfers");
  f.set("baaneindes_totaal", count(val(find(kern, { naam: "baaneindes_totaal" })?.waarde)));
  f.set("personen_met_baan", count(val(find(kern, { naam: "personen_met_baan" })?.waarde)));
  for (const w of rows(r, "baaneindes_per_jaar", "werkende_wajongers")) f.set(`werkend_eind_${w.jaar}`, count(val(w.aantal)));
  const pj = rows(r, "baaneindes_per_jaar", "per_jaar");
  const tot = sum(
    pj.filter((x) => x.jobcoach === "totaal"),
    "aantal",
  );
  for (const jc of ["extern", "intern", "geen"]) {
    const s = sum(
      pj.filter((x) => x.jobcoach === jc),
      "aantal",
    );
    f.set(`jobcoach_${jc}`, s === null || !tot ? null : (100 * s) / tot);
  }
  const verd = rows(r, "baaneindes_per_persoon", "verdeling");
  for (const k of ["0", "1", "2", "3", "4"]) f.set(`eindes_per_persoon_${k}`, pct(find(verd, { aantal_eindes: k })?.aandeel));
  f.set("eindes_per_persoon_5plus", pct(find(verd, { aantal_eindes: "5+" })?.aandeel));
  const gp = rows(r, "baaneindes_per_persoon", "gemiddelde");
  f.set("eindes_gemiddeld_man", val(find(gp, { kenmerk: "geslacht", groep: "M" })?.gemiddelde));
  f.set("eindes_gemiddeld_vrouw", val(find(gp, { kenmerk: "geslacht", groep: "V" })?.gemiddelde));

  const bg = rows(r, "baanduur", "gemiddelde");
  const gm = (kenmerk: string, groep: string) => val(find(bg, { kenmerk, groep })?.gemiddelde_maanden);
  f.set("duur_gemiddeld", gm("totaal", "totaal"));
  f.set("duur_gemiddeld_man", gm("geslacht", "M"));
  f.set("duur_gemiddeld_vrouw", gm("geslacht", "V"));
  {
    const e = find(bg, { kenmerk: "jobcoach", groep: "extern" }),
      i = find(bg, { kenmerk: "jobcoach", groep: "intern" });
    const g = gm("jobcoach", "geen");
    const parts = [e, i].filter((x): x is Row => !!x && val(x.gemiddelde_maanden) !== null && val(x.eindes) !== null);
    const n = parts.reduce((a, x) => a + num(x.eindes), 0);
    const met = n > 0 ? parts.reduce((a, x) => a + num(x.eindes) * num(x.gemiddelde_maanden), 0) / n : null;
    f.set("duur_verschil_jobcoach", met === null || g === null ? null : met - g);
  }
  const kl = rows(r, "baanduur", "klassen");
  const klasse: Record<string, string> = {
    lt3m: "<3m",
    "3_6m": "3-6m",
    "6_12m": "6-12m",
    "1_2j": "1-2j",
    "2_3j": "2-3j",
    "3jplus": ">=3j",
  };
  for (const [id, label] of Object.entries(klasse))
    f.set(`duur_klasse_${id}`, pct(find(kl, { jobcoach: "totaal", klasse: label })?.aandeel));
  f.set("duur_onbepaald", gm("contractsoort", "onbepaald"));
  f.set("duur_bepaald", gm("contractsoort", "bepaald"));
  f.set("duur_uitzend", gm("soort_baan", "uitzend"));
  f.set("zonder_jobcoach_lt12u", pct(find(rows(r, "baanduur", "start_kleine_baan"), { jobcoach: "geen" })?.aandeel));

  const lees = (id: string, kenmerk: string, groep: string, dag: number, methode = "km") =>
    pct(find(rows(r, id, "leespunten"), { kenmerk, groep, methode, dag })?.cum_incidentie);
  for (const jc of ["geen", "extern", "intern"])
    for (const [p, d] of Object.entries(PUNT)) f.set(`volgende_baan_${jc}_${p}`, lees("duur_tot_volgende_baan", "jobcoach", jc, d));
  for (const p of ["1w", "6m", "1j", "2j", "3j", "4j"])
    f.set(`incl_pp_extern_${p}`, lees("duur_incl_proefplaatsing", "jobcoach", "extern", PUNT[p]!));
  f.set("incl_pp_geen_6m", lees("duur_incl_proefplaatsing", "jobcoach", "geen", 182));
  f.set("incl_pp_intern_6m", lees("duur_incl_proefplaatsing", "jobcoach", "intern", 182));
  for (const [p, jaar] of [
    ["1w", "2015"],
    ["1w", "2019"],
    ["6m", "2015"],
    ["6m", "2019"],
    ["1j", "2015"],
    ["1j", "2019"],
    ["2j", "2015"],
    ["2j", "2018"],
  ] as const)
    f.set(`trend_${p}_${jaar}`, lees("duur_per_jaar", "jaar", jaar, PUNT[p]!));

  f.set(
    "reintegratie_extern_voor_einde",
    pct(find(rows(r, "reintegratie_uptake", "voor_einde"), { kenmerk: "jobcoach", groep: "extern" })?.aandeel),
  );
  for (const p of ["1w", "1m", "3m", "6m", "3j"])
    f.set(`reintegratie_extern_${p}`, lees("reintegratie_uptake", "jobcoach", "extern", PUNT[p]!));
  f.set("reintegratie_intern_3m", lees("reintegratie_uptake", "jobcoach", "intern", 91));
  f.set("reintegratie_geen_3m", lees("reintegratie_uptake", "jobcoach", "geen", 91));

  const mix = rows(r, "reintegratie_type", "mix");
  const voor = mix.filter((x) => x.tijdvak === "voor_einde");
  const voorTot = sum(voor, "aantal");
  for (const [id, dienst] of [
    ["naar_werk", "naar_werk"],
    ["werkfit", "werkfit_maken"],
    ["vrije_ruimte", "vrije_ruimte"],
  ] as const) {
    const row = find(voor, { dienst });
    f.set(`dienst_voor_einde_${id}`, voorTot && row && val(row.aantal) !== null ? (100 * num(row.aantal)) / voorTot : voorTot ? 0 : null);
  }
  const na = mix.filter((x) => x.tijdvak !== "voor_einde");
  const naTot = sum(na, "aantal");
  const naNw = sum(
    na.filter((x) => x.dienst === "naar_werk"),
    "aantal",
  );
  f.set("dienst_na_einde_naar_werk", naTot && naNw !== null ? (100 * naNw) / naTot : null);
  const eo = rows(r, "reintegratie_eigen_organisatie", "per_tijdvak");
  f.set("eigen_organisatie", pct(find(eo, { tijdvak: "totaal" })?.aandeel));
  f.set("eigen_organisatie_voor_einde", pct(find(eo, { tijdvak: "voor_einde" })?.aandeel));
  f.set("eigen_organisatie_1w", pct(find(eo, { tijdvak: "<1w" })?.aandeel));

  const ca = rows(r, "jobcoach_paden", "aantallen");
  const alle = ca.filter((x) => x.soort_jobcoach === "alle");
  const starters = sum(alle, "personen");
  f.set("cohort_starters", count(starters));
  const intern = sum(
    ca.filter((x) => x.soort_jobcoach === "intern"),
    "personen",
  );
  f.set("cohort_intern", starters && intern !== null ? (100 * intern) / starters : null);
  const waj = val(find(alle, { groep: "Wajong" })?.personen);
  f.set("cohort_wajong", starters && waj !== null ? (100 * waj) / starters : null);
  const paden = rows(r, "jobcoach_paden", "paden");
  const st = (groep: string, maand: number, status: string) => val(find(paden, { groep, soort_jobcoach: "alle", maand, status })?.aandeel);
  f.set("cohort_maand0_proefplaatsing", pct(st("Wajong", 0, "proefplaatsing")));
  f.set("cohort_maand0_werk_jobcoach", pct(st("Wajong", 0, "werk_met_jobcoach")));
  const M = Math.max(0, ...paden.map((x) => num(x.maand)).filter(Number.isFinite));
  for (const [groep, id] of [
    ["Wajong", "wajong"],
    ["WGA", "wga"],
  ] as const) {
    const met = st(groep, M, "werk_met_jobcoach"),
      zonder = st(groep, M, "werk_zonder_jobcoach");
    f.set(`cohort_36_werkend_${id}`, met === null || zonder === null ? null : 100 * (met + zonder));
    f.set(
      `cohort_36_zonder_jobcoach_${id}`,
      met === null || zonder === null || met + zonder === 0 ? null : (100 * zonder) / (met + zonder),
    );
  }
  const ind = rows(r, "jobcoach_indices", "indices");
  const ix = (groep: string, maatstaf: string, maand: number) => find(ind, { groep, soort_jobcoach: "alle", maatstaf, maand });
  for (const [groep, id] of [
    ["Wajong", "wajong"],
    ["WGA", "wga"],
  ] as const) {
    const uren = ind.filter((x) => x.groep === groep && x.soort_jobcoach === "alle" && x.maatstaf === "uren_per_week");
    const w = uren.filter((x) => val(x.ruw_gemiddelde) !== null && val(x.personen) !== null);
    const n = w.reduce((a, x) => a + num(x.personen), 0);
    f.set(`uren_${id}`, n > 0 ? w.reduce((a, x) => a + num(x.personen) * num(x.ruw_gemiddelde), 0) / n : null);
    const l0 = val(ix(groep, "uurloon_reeel", 0)?.ruw_gemiddelde);
    const i36 = val(ix(groep, "uurloon_reeel", M)?.index);
    f.set(`uurloon_start_${id}`, l0);
    f.set(`uurloon_3j_${id}`, l0 === null || i36 === null ? null : (l0 * i36) / 100);
    f.set(`vast_contract_3j_${id}`, pct(ix(groep, "aandeel_onbepaald", M)?.ruw_gemiddelde));
  }
  const vl = rows(r, "jobcoach_baanverlies", "verlies");
  f.set("baanverlies_wajong", val(find(vl, { groep: "Wajong" })?.per_3_jaar));
  f.set("baanverlies_wga", val(find(vl, { groep: "WGA" })?.per_3_jaar));
  const nv = rows(r, "jobcoach_baanverlies", "na_verlies");
  const nvTot = sum(nv, "verliezen");
  for (const u of ["direct", "later", "geen"]) {
    const s = sum(
      nv.filter((x) => x.uitkomst === u),
      "verliezen",
    );
    f.set(`na_verlies_${u}`, nvTot && s !== null ? (100 * s) / nvTot : null);
  }
  const later = nv.filter((x) => x.uitkomst === "later" && val(x.verliezen) !== null && val(x.gemiddelde_maanden_zonder_werk) !== null);
  const nl = later.reduce((a, x) => a + num(x.verliezen), 0);
  f.set(
    "na_verlies_maanden_zonder_werk",
    nl > 0 ? later.reduce((a, x) => a + num(x.verliezen) * num(x.gemiddelde_maanden_zonder_werk), 0) / nl : null,
  );
  return f;
}

/** Read analyses/<id>.parquet (long tables with a `tabel` column) into result tables. */
async function readResults(conn: DuckDBConnection, dir: string): Promise<Results> {
  const out: Results = {};
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir)
    .filter((x) => x.endsWith(".parquet"))
    .sort()) {
    const id = file.slice(0, -".parquet".length);
    const rs = await query(conn, sql`SELECT * FROM read_parquet(${join(dir, file)})`);
    const t: Tables = {};
    for (const row of rs) {
      const name = String(row.tabel);
      delete row.tabel;
      (t[name] ??= []).push(row);
    }
    out[id] = t;
  }
  return out;
}

function readPublished(dir: string): Results {
  const out: Results = {};
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir)
    .filter((x) => x.endsWith(".json"))
    .sort()) {
    const j = JSON.parse(readFileSync(join(dir, file), "utf8")) as { id?: string; tabellen?: Tables };
    if (j.id && j.tabellen) out[j.id] = j.tabellen;
  }
  return out;
}

/** The generator scale: generator.json beside the extracts the run read (manifest invoer.map), or beside the run folder. */
function findScale(runDir: string): number {
  const candidates: string[] = [];
  const manifest = join(runDir, "manifest.json");
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, "utf8")) as { invoer?: { map?: string } };
    if (m.invoer?.map) candidates.push(join(dirname(resolve(m.invoer.map)), "generator.json"));
  }
  candidates.push(join(runDir, "generator.json"), join(dirname(runDir), "generator.json"));
  for (const c of candidates) {
    if (existsSync(c)) {
      const s = Number((JSON.parse(readFileSync(c, "utf8")) as { scale?: number }).scale);
      if (Number.isFinite(s) && s > 0) return s;
    }
  }
  return 1;
}

function runParameters(runDir: string): Parameters {
  const manifest = join(runDir, "manifest.json");
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, "utf8")) as { parameters?: Parameters };
    if (m.parameters?.disclosure) return m.parameters;
  }
  return DEFAULTS;
}

/** Figures that need person-level marts: endings in the first window year without a new job within 4 years. */
async function dbFigures(
  runDir: string,
  params: Parameters,
): Promise<{ deel: number | null; vanAlle: number | null; dg: number; n: number; nAlle: number } | null> {
  const db = join(runDir, "baanmonitor.duckdb");
  if (!existsSync(db)) return null;
  const inst = await DuckDBInstance.create(db, { access_mode: "READ_ONLY" });
  const conn = await inst.connect();
  try {
    await confine(conn, folderAccess(runDir));
    await lockConfiguration(conn);
    const jaar = yearOf(params.d2.vensterStart);
    const [r] = await query(
      conn,
      sql`SELECT count(*) AS alle,
              count(*) FILTER (WHERE NOT (volgende_baan = 1 AND dagen_tot_volgende_baan <= 1461)) AS geen_baan,
              count(*) FILTER (WHERE NOT (volgende_baan = 1 AND dagen_tot_volgende_baan <= 1461) AND arbeidsvermogen = 'duurzaam_geen') AS dg
       FROM baaneindes WHERE jaar = ${jaar}`,
    );
    const alle = num(r!.alle),
      geen = num(r!.geen_baan),
      dg = num(r!.dg);
    return { deel: geen > 0 ? (100 * dg) / geen : null, vanAlle: alle > 0 ? (100 * dg) / alle : null, dg, n: geen, nAlle: alle };
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

export async function calibrateFromRun(runDir: string): Promise<CalibrationRow[]> {
  const dir = resolve(runDir);
  if (!existsSync(join(dir, "analyses")) && !existsSync(join(dir, "publish")))
    throw new UserError(`${dir}: geen analyses/ of publish/ gevonden (is dit de uitvoermap van 'baanmonitor run'?)`);
  const scale = findScale(dir);
  const params = runParameters(dir);
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  let full: Results;
  try {
    // reads only the run's analyses/ (core/confine.ts)
    await confine(conn, folderAccess(join(dir, "analyses")));
    await lockConfiguration(conn);
    full = await readResults(conn, join(dir, "analyses"));
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
  const values = figuresFrom(full, scale);
  const pubValues = figuresFrom(readPublished(join(dir, "publish")), scale);
  const extra = await dbFigures(dir, params);
  if (extra) {
    values.set("geen_baan_4j_duurzaam_geen", extra.deel);
    values.set("geen_baan_4j_duurzaam_geen_alle", extra.vanAlle);
    // in the published set as any published share: a denominator of ≥ minNoemer, a count and a
    // complement of 0 or ≥ minAantal, to one decimal of a percentage (at full precision these
    // percentages gave their counts back exactly: 750 of 3,327 of 21,593 endings)
    const d = params.disclosure;
    const gepubliceerd = (pct: number | null, noemer: number) =>
      pct !== null && noemer >= d.minNoemer && [extra.dg, noemer - extra.dg].every((c) => c === 0 || c >= d.minAantal)
        ? Math.round(pct * 10) / 10
        : null;
    pubValues.set("geen_baan_4j_duurzaam_geen", gepubliceerd(extra.deel, extra.n));
    pubValues.set("geen_baan_4j_duurzaam_geen_alle", gepubliceerd(extra.vanAlle, extra.nAlle));
  }
  const rowsOut = compareAll(values);
  if (existsSync(join(dir, "publish"))) {
    const pub = compareAll(pubValues);
    writeJsonAtomic(join(dir, "publish", "kalibratie.json"), {
      id: "kalibratie",
      titel: "Synthetische wereld naast de gepubliceerde cijfers",
      rapport: "Wajong-rapport hoofdstuk 3 en bijlagen; jobcoach-artikel",
      definitie:
        "Elk gepubliceerd cijfer naast hetzelfde cijfer uit deze run. Aantallen zijn omgerekend naar schaal 1. " +
        "Percentages worden vergeleken in procentpunten (marge 5), andere cijfers relatief (marge 15%).",
      parameters: { schaal: scale },
      tabellen: {
        vergelijking: pub.map((r) => ({
          figuur: r.figuur,
          bron: r.bron,
          gepubliceerd: r.gepubliceerd,
          synthetisch: r.synthetisch,
          eenheid: r.eenheid,
          verschil: r.verschil,
          binnen_marge: r.binnen_marge,
          onderdrukt: r.synthetisch === null && (values.get(r.figuur) ?? null) !== null,
        })),
      },
    });
  }
  return rowsOut;
}
