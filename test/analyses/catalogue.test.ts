/**
 * Each catalogue analysis on hand-made mart rows with known answers (full-precision results).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { DEFAULTS } from "../../pipeline/config.ts";
import { rulesFrom } from "../../analyses/disclosure/index.ts";
import type { AnalysisModule, Row, Tables } from "../../analyses/types.ts";
import { ANALYSES } from "../../analyses/registry.ts";
import { createMarts, memoryDb, type FixRow } from "../fixtures/analyses/marts.ts";

const mod = (id: string) => ANALYSES.find((m) => m.id === id)! as AnalysisModule<unknown>;
async function run(conn: DuckDBConnection, id: string, params = DEFAULTS): Promise<Tables> {
  const m = mod(id);
  return (await m.run({ conn, params }, m.parameters(params))).tabellen;
}
/** Parameters with the jobcoach cohort followed for `maanden` months (the fixtures follow a few). */
const followed = (maanden: number) => ({ ...DEFAULTS, d7: { ...DEFAULTS.d7, maanden } });
const pick = (rows: Row[] | undefined, where: Record<string, unknown>) => {
  if (!rows) throw new Error("pick: table missing from the result");
  return rows.find((r) => Object.entries(where).every(([k, v]) => r[k] === v));
};
const D = 365.25 / 12;

describe("catalogue analyses on hand-made marts", () => {
  let conn: DuckDBConnection;
  let close: () => void;
  beforeAll(async () => {
    ({ conn, close } = await memoryDb());
  });
  afterAll(() => close());

  it("registry: 14 unique ids in catalogue order, each with title, report and definition", () => {
    expect(ANALYSES.map((m) => m.id)).toEqual([
      "baaneindes_per_jaar",
      "baaneindes_per_persoon",
      "baanduur",
      "duur_tot_volgende_baan",
      "duur_incl_proefplaatsing",
      "duur_per_jaar",
      "vergelijking",
      "reintegratie_uptake",
      "reintegratie_type",
      "reintegratie_eigen_organisatie",
      "jobcoach_paden",
      "jobcoach_indices",
      "jobcoach_baanverlies",
      "maandmonitor",
    ]);
    for (const m of ANALYSES) {
      expect(m.titel.length).toBeGreaterThan(3);
      expect(m.rapport.length).toBeGreaterThan(2);
      expect(m.definitie.length).toBeGreaterThan(40);
    }
  });

  it("baaneindes_per_jaar: counts, shares, working Wajongers on 31-12", async () => {
    const eindes: FixRow[] = [];
    const add = (jaar: number, jobcoach: string, n: number) => {
      for (let i = 0; i < n; i++) eindes.push({ persoon_id: `e${eindes.length}`, jaar, jobcoach });
    };
    add(2015, "extern", 12);
    add(2015, "geen", 30);
    add(2016, "geen", 15);
    await createMarts(conn, {
      baaneindes: eindes,
      personen: [
        { persoon_id: "P1", groep: "Wajong", uitkering_start: "2010-01-01", baan_in_venster: true },
        { persoon_id: "P2", groep: "WGA", uitkering_start: "2010-01-01", baan_in_venster: false },
        { persoon_id: "P3", groep: "Wajong", uitkering_start: "2010-01-01", baan_in_venster: true },
      ],
      banen: [
        { baan_id: "P1-1", persoon_id: "P1", startdatum: "2014-01-01" },
        { baan_id: "P1-2", persoon_id: "P1", startdatum: "2014-03-01" },
        { baan_id: "P2-1", persoon_id: "P2", startdatum: "2014-01-01" },
        { baan_id: "P3-1", persoon_id: "P3", startdatum: "2014-01-01", einddatum: "2016-06-30" },
      ],
    });
    const t = await run(conn, "baaneindes_per_jaar");
    expect(pick(t.per_jaar, { jaar: 2015, jobcoach: "extern" })).toMatchObject({ aantal: 12, aandeel: 12 / 42 });
    expect(pick(t.per_jaar, { jaar: 2015, jobcoach: "totaal" })).toMatchObject({ aantal: 42 });
    expect(pick(t.per_jaar, { jaar: 2016, jobcoach: "geen" })).toMatchObject({ aantal: 15, aandeel: 1 });
    // every year of the window with every category, 0 included (docs/publish.md: no table of only the pairs that occur)
    expect(t.per_jaar!.length).toBe(5 * 4);
    expect(pick(t.per_jaar, { jaar: 2016, jobcoach: "intern" })).toMatchObject({ aantal: 0, aandeel: 0 });
    expect(pick(t.per_jaar, { jaar: 2019, jobcoach: "totaal" })).toMatchObject({ aantal: 0, aandeel: null });
    expect(t.werkende_wajongers!.map((r) => r.aantal)).toEqual([2, 1, 1, 1, 1]);
    expect(pick(t.kerncijfers, { naam: "baaneindes_totaal" })!.waarde).toBe(57);
    expect(pick(t.kerncijfers, { naam: "personen_met_baan" })!.waarde).toBe(2);
  });

  it("baaneindes_per_persoon: distribution 0..4, 5+ and means by characteristic", async () => {
    await createMarts(conn, {
      personen: [
        { persoon_id: "a", geslacht: "M", geboortejaar: 1985, n_baaneindes: 0, baan_in_venster: true },
        { persoon_id: "b", geslacht: "M", geboortejaar: 1991, n_baaneindes: 1, baan_in_venster: true },
        { persoon_id: "c", geslacht: "V", geboortejaar: 1992, n_baaneindes: 1, baan_in_venster: true },
        { persoon_id: "d", geslacht: "V", geboortejaar: 1993, n_baaneindes: 2, baan_in_venster: true },
        { persoon_id: "e", geslacht: "V", geboortejaar: 1994, n_baaneindes: 7, baan_in_venster: true },
        { persoon_id: "f", geslacht: "V", geboortejaar: 1994, n_baaneindes: 0, baan_in_venster: false },
      ],
    });
    const t = await run(conn, "baaneindes_per_persoon");
    expect(t.verdeling!.map((r) => [r.aantal_eindes, r.personen])).toEqual([
      ["0", 1],
      ["1", 2],
      ["2", 1],
      ["5+", 1],
    ]);
    expect(pick(t.verdeling, { aantal_eindes: "1" })!.aandeel).toBeCloseTo(0.4, 12);
    expect(pick(t.gemiddelde, { kenmerk: "totaal" })!.gemiddelde).toBeCloseTo(11 / 5, 12);
    expect(pick(t.gemiddelde, { kenmerk: "geslacht", groep: "M" })!.gemiddelde).toBeCloseTo(0.5, 12);
    expect(pick(t.gemiddelde, { kenmerk: "geboortecohort", groep: "1990-1999" })).toMatchObject({ personen: 4, gemiddelde: 11 / 4 });
    expect(pick(t.gemiddelde, { kenmerk: "opleidingsniveau", groep: "onbekend" })!.personen).toBe(5);
  });

  it("baanduur: classes in months, means, small jobs at start", async () => {
    const dagen = [30, 100, 200, 400, 800, 1200];
    await createMarts(conn, {
      baaneindes: dagen.map((d, i) => ({
        persoon_id: `p${i}`,
        jobcoach: i < 2 ? "extern" : "geen",
        duur_dagen: d,
        contractsoort: i % 2 ? "bepaald" : "onbepaald",
        uren_per_week_start: [5, 20, 11.9, 12, null, 30][i]!,
      })),
    });
    const t = await run(conn, "baanduur");
    const tot = t.klassen!.filter((r) => r.jobcoach === "totaal");
    expect(tot.map((r) => [r.klasse, r.aantal])).toEqual([
      ["<3m", 1],
      ["3-6m", 1],
      ["6-12m", 1],
      ["1-2j", 1],
      ["2-3j", 1],
      [">=3j", 1],
    ]);
    expect(pick(t.klassen, { jobcoach: "extern", klasse: "<3m" })).toMatchObject({ aantal: 1, aandeel: 0.5 });
    expect(pick(t.klassen, { jobcoach: "extern", klasse: ">=3j" })).toMatchObject({ aantal: 0, aandeel: 0 });
    expect(pick(t.gemiddelde, { kenmerk: "totaal" })!.gemiddelde_maanden).toBeCloseTo(dagen.reduce((a, b) => a + b) / 6 / D, 10);
    expect(pick(t.gemiddelde, { kenmerk: "contractsoort", groep: "bepaald" })!.gemiddelde_maanden).toBeCloseTo(
      (100 + 400 + 1200) / 3 / D,
      10,
    );
    expect(pick(t.start_kleine_baan, { jobcoach: "geen" })).toMatchObject({ eindes: 3, klein: 1 });
    expect(pick(t.start_kleine_baan, { jobcoach: "totaal" })!.aandeel).toBeCloseTo(2 / 5, 12);
  });

  it("duur_tot_volgende_baan: Kaplan–Meier at reading points, at risk, median, log-rank", async () => {
    // geen: events at 0, 5, 20; censored at 10 → S(0)=3/4, S(5)=1/2, S(20)=0
    const rows: FixRow[] = [
      [0, 1],
      [5, 1],
      [10, 0],
      [20, 1],
    ].map(([d, s], i) => ({ persoon_id: `g${i}`, jobcoach: "geen", geslacht: "M", dagen_tot_volgende_baan: d!, volgende_baan: s! }));
    rows.push({ persoon_id: "x1", jobcoach: "extern", geslacht: "V", dagen_tot_volgende_baan: 400, volgende_baan: 1 });
    rows.push({ persoon_id: "x2", jobcoach: "extern", geslacht: "V", dagen_tot_volgende_baan: 800, volgende_baan: 0 });
    await createMarts(conn, { baaneindes: rows });
    const t = await run(conn, "duur_tot_volgende_baan");
    const lp = (groep: string, dag: number) => pick(t.leespunten, { kenmerk: "jobcoach", groep, dag })!;
    expect(lp("geen", 7)).toMatchObject({ cum_incidentie: 0.5, n_risico: 2 });
    expect(lp("geen", 30)).toMatchObject({ cum_incidentie: 1, n_risico: 0 });
    expect(lp("extern", 365)).toMatchObject({ cum_incidentie: 0, n_risico: 2 });
    expect(lp("extern", 730)).toMatchObject({ cum_incidentie: 0.5, n_risico: 1 });
    // S = 0.5 exactly from day 5 to 20: R takes the midpoint
    expect(pick(t.mediaan, { kenmerk: "jobcoach", groep: "geen" })!.mediaan).toBe(12.5);
    expect(pick(t.aantallen, { kenmerk: "totaal" })).toMatchObject({ n: 6, gebeurtenissen: 4 });
    const lr = pick(t.logrank, { kenmerk: "jobcoach" })!;
    expect(lr.df).toBe(1);
    expect(lr.toets).toBe("robuuste scoretoets"); // survival.variantie robuust (default)
    expect(lr.p as number).toBeGreaterThan(0);
    // every kenmerk of the spec is present
    expect(new Set(t.aantallen!.map((r) => r.kenmerk))).toEqual(
      new Set(["totaal", "jobcoach", "geslacht", "regeling", "diagnosegroep", "opleidingsniveau", "regio"]),
    );
  });

  it("duur_incl_proefplaatsing and duur_per_jaar use the D5 columns", async () => {
    await createMarts(conn, {
      baaneindes: [
        {
          persoon_id: "a",
          jaar: 2015,
          jobcoach: "geen",
          dagen_tot_volgende_baan: 100,
          volgende_baan: 1,
          dagen_tot_volgende_baan_pp: 3,
          volgende_baan_pp: 1,
        },
        {
          persoon_id: "b",
          jaar: 2016,
          jobcoach: "geen",
          dagen_tot_volgende_baan: 100,
          volgende_baan: 1,
          dagen_tot_volgende_baan_pp: 100,
          volgende_baan_pp: 1,
        },
      ],
    });
    const pp = await run(conn, "duur_incl_proefplaatsing");
    expect(pick(pp.leespunten, { kenmerk: "totaal", dag: 7 })!.cum_incidentie).toBe(0.5);
    const pj = await run(conn, "duur_per_jaar");
    expect(pick(pj.leespunten, { kenmerk: "jaar", groep: "2015", dag: 7 })!.cum_incidentie).toBe(1);
    expect(pick(pj.leespunten, { kenmerk: "jaar", groep: "2016", dag: 7 })!.cum_incidentie).toBe(0);
  });

  it("reintegratie_uptake: KM censors at a new job, Aalen–Johansen treats it as competing", async () => {
    await createMarts(conn, {
      baaneindes: [
        {
          persoon_id: "a",
          jaar: 2017,
          jobcoach: "extern",
          in_d6_venster: true,
          dagen_tot_reintegratie: 0,
          reintegratie: 1,
          reintegratie_voor_einde: true,
        },
        {
          persoon_id: "b",
          jaar: 2017,
          jobcoach: "extern",
          in_d6_venster: true,
          dagen_tot_reintegratie: 10,
          reintegratie: 2,
          reintegratie_voor_einde: false,
        },
        {
          persoon_id: "c",
          jaar: 2018,
          jobcoach: "extern",
          in_d6_venster: true,
          dagen_tot_reintegratie: 20,
          reintegratie: 1,
          reintegratie_voor_einde: false,
        },
        {
          persoon_id: "d",
          jaar: 2018,
          jobcoach: "extern",
          in_d6_venster: true,
          dagen_tot_reintegratie: 30,
          reintegratie: 0,
          reintegratie_voor_einde: false,
        },
        { persoon_id: "e", jaar: 2016, jobcoach: "extern", in_d6_venster: false },
      ],
    });
    const t = await run(conn, "reintegratie_uptake");
    const at = (methode: string, dag: number) => pick(t.leespunten, { kenmerk: "totaal", methode, dag })!.cum_incidentie as number;
    expect(at("km", 7)).toBeCloseTo(0.25, 12);
    expect(at("km", 30)).toBeCloseTo(1 - 0.75 * 0.5, 12);
    expect(at("aj", 7)).toBeCloseTo(0.25, 12);
    expect(at("aj", 30)).toBeCloseTo(0.5, 12);
    expect(pick(t.voor_einde, { kenmerk: "totaal" })).toMatchObject({ n: 4, voor_einde: 1, aandeel: 0.25 });
    expect(t.aantallen!.filter((r) => r.kenmerk === "jaar").map((r) => r.groep)).toEqual(["2017", "2018"]);
  });

  it('survival analyses: a missing group is "onbekend" (last) in every table, the same name as voor_einde', async () => {
    await createMarts(conn, {
      baaneindes: [
        {
          persoon_id: "a",
          jaar: 2017,
          jobcoach: "extern",
          in_d6_venster: true,
          dagen_tot_reintegratie: 5,
          reintegratie: 1,
          reintegratie_voor_einde: false,
        },
        {
          persoon_id: "b",
          jaar: 2017,
          jobcoach: null,
          in_d6_venster: true,
          dagen_tot_reintegratie: 10,
          reintegratie: 2,
          reintegratie_voor_einde: false,
        },
        {
          persoon_id: "c",
          jaar: 2018,
          jobcoach: "geen",
          in_d6_venster: true,
          dagen_tot_reintegratie: 0,
          reintegratie: 1,
          reintegratie_voor_einde: true,
        },
      ],
    });
    const t = await run(conn, "reintegratie_uptake");
    const groepen = (rows: Row[]) => [...new Set(rows.filter((r) => r.kenmerk === "jobcoach").map((r) => r.groep))];
    for (const name of ["aantallen", "mediaan", "schatting", "leespunten"])
      expect(groepen(t[name]!), name).toEqual(["extern", "geen", "onbekend"]);
    expect(groepen(t.voor_einde!)).toEqual(["extern", "geen", "onbekend"]);
    expect(pick(t.aantallen, { kenmerk: "jobcoach", groep: "onbekend" })).toMatchObject({ n: 1, gebeurtenissen: 0 });
    expect(pick(t.leespunten, { kenmerk: "jobcoach", groep: "onbekend", methode: "km", dag: 7 })).toMatchObject({
      cum_incidentie: 0,
      n_risico: 1,
    });
  });

  it("survival analyses: a status outside 0, 1, 2 is an error, not a censoring", async () => {
    await createMarts(conn, {
      baaneindes: [{ persoon_id: "a", jaar: 2017, jobcoach: "extern", in_d6_venster: true, dagen_tot_reintegratie: 5, reintegratie: 3 }],
    });
    await expect(run(conn, "reintegratie_uptake")).rejects.toThrow(/status/);
  });

  it("reintegratie_type and reintegratie_eigen_organisatie: timing buckets", async () => {
    const dagen: (number | "voor")[] = ["voor", 3, 10, 50, 100, 200, 400, 6];
    await createMarts(conn, {
      baaneindes: dagen.map((d, i) => ({
        persoon_id: `p${i}`,
        jobcoach: i < 7 ? "extern" : "geen",
        in_d6_venster: true,
        reintegratie: 1,
        reintegratie_voor_einde: d === "voor",
        reintegratie_dagen_voor_einde: d === "voor" ? 5 : null,
        dagen_tot_reintegratie: d === "voor" ? 0 : d,
        reintegratie_dienst: i % 2 ? "werkfit_maken" : "naar_werk",
        reintegratie_eigen_organisatie: i < 7 ? i < 2 : null,
      })),
    });
    const t = await run(conn, "reintegratie_type");
    // every tijdvak with every kind of service D6 counts, 0 included: rows only where a count
    // occurs would tell of a hidden cell that it is at least 1 (docs/publish.md)
    expect(t.mix!.length).toBe(7 * 7);
    expect(new Set(t.mix!.map((r) => r.dienst)).has("proefplaatsing")).toBe(false);
    expect(pick(t.mix, { tijdvak: "<1w", dienst: "vrije_ruimte" })).toMatchObject({ aantal: 0, aandeel: 0 });
    expect(t.mix!.filter((r) => (r.aantal as number) > 0).map((r) => [r.tijdvak, r.dienst, r.aantal])).toEqual([
      ["voor_einde", "naar_werk", 1],
      ["<1w", "werkfit_maken", 2],
      ["1w-1m", "naar_werk", 1],
      ["1-3m", "werkfit_maken", 1],
      ["3-6m", "naar_werk", 1],
      ["6-12m", "werkfit_maken", 1],
      [">12m", "naar_werk", 1],
    ]);
    const e = await run(conn, "reintegratie_eigen_organisatie");
    expect(e.per_tijdvak!.map((r) => [r.tijdvak, r.diensten, r.eigen])).toEqual([
      ["voor_einde", 1, 1],
      ["<1w", 1, 1],
      ["1w-1m", 1, 0],
      ["1-3m", 1, 0],
      ["3-6m", 1, 0],
      ["6-12m", 1, 0],
      [">12m", 1, 0],
      ["totaal", 7, 2],
    ]);
    expect(pick(e.per_tijdvak, { tijdvak: "totaal" })!.aandeel).toBeCloseTo(2 / 7, 12);
  });

  it("reintegratie_eigen_organisatie: a service running at the end counts when it started within d6.voorEindeDagenEigenOrganisatie days", async () => {
    // started 10, 31 and 77 days before the end and still running at it; one after the end
    const voor = [10, 31, 77];
    await createMarts(conn, {
      baaneindes: [...voor, null].map((d, i) => ({
        persoon_id: `p${i}`,
        jobcoach: "extern",
        in_d6_venster: true,
        reintegratie: 1,
        reintegratie_voor_einde: d !== null,
        reintegratie_dagen_voor_einde: d,
        dagen_tot_reintegratie: d === null ? 3 : 0,
        reintegratie_dienst: "naar_werk",
        reintegratie_eigen_organisatie: i !== 1,
      })),
    });
    const counts = async (params: typeof DEFAULTS) => {
      const m = mod("reintegratie_eigen_organisatie");
      const t = (await m.run({ conn, params }, m.parameters(params))).tabellen.per_tijdvak!;
      return [pick(t, { tijdvak: "voor_einde" }), pick(t, { tijdvak: "totaal" })].map((r) => [r!.diensten, r!.eigen]);
    };
    expect(await counts(DEFAULTS)).toEqual([
      [2, 1],
      [3, 2],
    ]);
    const zonderGrens = { ...DEFAULTS, d6: { ...DEFAULTS.d6, voorEindeDagenEigenOrganisatie: null } };
    expect(await counts(zonderGrens)).toEqual([
      [3, 2],
      [4, 3],
    ]);
    // reintegratie_type (figure 3.6) keeps every service that started before the end
    const mix = (await run(conn, "reintegratie_type")).mix!;
    expect(mix.filter((r) => r.tijdvak === "voor_einde").reduce((a, r) => a + Number(r.aantal), 0)).toBe(3);
  });

  it("jobcoach_paden, jobcoach_indices (FE index) and jobcoach_baanverlies", async () => {
    const ms: FixRow[] = [];
    const person = (id: string, soort: string, ys: (number | null)[], statuses: string[]) =>
      ys.forEach((y, m) =>
        ms.push({
          persoon_id: id,
          maand: m,
          groep: "Wajong",
          soort_jobcoach: soort,
          startdatum_jobcoach: "2015-01-01",
          status: statuses[m]!,
          werkt: y !== null,
          uren_per_week: y,
          uurloon_reeel: y === null ? null : y / 2,
          onbepaald: y === null ? null : m > 0,
          sinds_eerste_baan: y === null ? null : m,
        }),
      );
    person("a", "extern", [10, 12, 14], ["proefplaatsing", "werk_met_jobcoach", "werk_zonder_jobcoach"]);
    person("b", "intern", [20, 22, null], ["werk_met_jobcoach", "werk_met_jobcoach", "geen_werk"]);
    await createMarts(conn, {
      maandstatus: ms,
      banen: [
        { baan_id: "a-1", persoon_id: "a", startdatum: "2015-01-01", einddatum: "2015-06-30" },
        { baan_id: "a-2", persoon_id: "a", startdatum: "2015-07-03", einddatum: "2015-12-31" },
        { baan_id: "a-3", persoon_id: "a", startdatum: "2016-04-09" },
        { baan_id: "b-1", persoon_id: "b", startdatum: "2015-01-01", einddatum: "2015-02-28" },
      ],
    });
    const p = await run(conn, "jobcoach_paden", followed(2));
    expect(pick(p.paden, { soort_jobcoach: "alle", maand: 0, status: "proefplaatsing" })!.aandeel).toBe(0.5);
    expect(pick(p.paden, { soort_jobcoach: "alle", maand: 2, status: "geen_werk" })!.aandeel).toBe(0.5);
    expect(pick(p.paden, { soort_jobcoach: "extern", maand: 2, status: "geen_werk" })!.aandeel).toBe(0);
    expect(p.aantallen!.map((r) => [r.soort_jobcoach, r.personen])).toEqual([
      ["alle", 2],
      ["extern", 1],
      ["intern", 1],
    ]);

    const ix = await run(conn, "jobcoach_indices");
    const u = (maand: number) => pick(ix.indices, { groep: "Wajong", soort_jobcoach: "alle", maatstaf: "uren_per_week", maand })!;
    expect(u(0)).toMatchObject({ index: 100, ruw_gemiddelde: 15, personen: 2 });
    // both persons +2 in month 1: FE coefficient 2, level 15 → 17/15
    expect(u(1).index as number).toBeCloseTo((17 / 15) * 100, 10);
    // month 2 only person a (+4 vs own month 0): raw mean 14 (composition), FE index 19/15
    expect(u(2).ruw_gemiddelde).toBe(14);
    expect(u(2).index as number).toBeCloseTo((19 / 15) * 100, 10);
    expect(pick(ix.indices, { soort_jobcoach: "alle", maatstaf: "aandeel_onbepaald", maand: 0 })!.ruw_gemiddelde).toBe(0);

    const v = await run(conn, "jobcoach_baanverlies");
    // a: losses on 2015-06-30 (next job after 3 days: direct) and 2015-12-31 (next after 100 days, 2016 is a leap year: later); b: one loss, no new job
    expect(v.verlies![0]).toMatchObject({ groep: "Wajong", personen: 2, verliezen: 3 });
    expect(v.na_verlies!.map((r) => [r.uitkomst, r.verliezen])).toEqual([
      ["direct", 1],
      ["later", 1],
      ["geen", 1],
    ]);
    expect(pick(v.na_verlies, { uitkomst: "later" })!.gemiddelde_maanden_zonder_werk as number).toBeCloseTo(100 / D, 10);
  });

  it("jobcoach_paden follows a closed cohort: a person the data end cuts off before the last month is left out", async () => {
    const ms: FixRow[] = [];
    const person = (id: string, statuses: string[]) =>
      statuses.forEach((status, maand) =>
        ms.push({
          persoon_id: id,
          maand,
          groep: "Wajong",
          soort_jobcoach: "extern",
          startdatum_jobcoach: "2017-11-01",
          status,
          werkt: status !== "geen_werk",
        }),
      );
    person("a", ["werk_met_jobcoach", "werk_met_jobcoach", "geen_werk"]);
    // c started later: maandstatus stops at the data end, after month 1
    person("c", ["geen_werk", "geen_werk"]);
    await createMarts(conn, { maandstatus: ms });
    const p = await run(conn, "jobcoach_paden", followed(2));
    expect(p.aantallen!.find((r) => r.soort_jobcoach === "alle")!.personen).toBe(1);
    // month 0 is a's alone, with the same denominator as month 2
    expect(pick(p.paden, { soort_jobcoach: "alle", maand: 0, status: "werk_met_jobcoach" })).toMatchObject({ aandeel: 1, noemer: 1 });
    expect(pick(p.paden, { soort_jobcoach: "alle", maand: 2, status: "geen_werk" })).toMatchObject({ aandeel: 1, noemer: 1 });
    // followed for one month, both are in
    const q = await run(conn, "jobcoach_paden", followed(1));
    expect(pick(q.paden, { soort_jobcoach: "alle", maand: 0, status: "geen_werk" })).toMatchObject({ aandeel: 0.5, noemer: 2 });
  });

  it("maandmonitor: regions add up to NL; direct share and median days", async () => {
    await createMarts(conn, {
      personen: [
        { persoon_id: "a", groep: "Wajong", regio: "AMR01" },
        { persoon_id: "b", groep: "Wajong", regio: "AMR02" },
        { persoon_id: "c", groep: "WGA", regio: "AMR02" },
      ],
      banen: [
        { baan_id: "a-1", persoon_id: "a", startdatum: "2014-01-01" },
        { baan_id: "b-1", persoon_id: "b", startdatum: "2014-01-01", einddatum: "2017-03-15" },
        { baan_id: "c-1", persoon_id: "c", startdatum: "2014-01-01" },
      ],
      baaneindes: [
        {
          persoon_id: "b",
          einddatum: "2017-03-15",
          regio: "AMR02",
          volgende_baan: 1,
          dagen_tot_volgende_baan: 5,
          in_d6_venster: true,
          reintegratie: 1,
          dagen_tot_reintegratie: 40,
        },
        {
          persoon_id: "x",
          einddatum: "2017-03-20",
          regio: "AMR01",
          volgende_baan: 1,
          dagen_tot_volgende_baan: 50,
          in_d6_venster: true,
          reintegratie: 1,
          dagen_tot_reintegratie: 60,
        },
        // the last month: an ending on the 28th cannot be followed 7 days before the peildatum 2019-12-31
        { persoon_id: "b", einddatum: "2019-12-02", regio: "AMR02", volgende_baan: 1, dagen_tot_volgende_baan: 3 },
        { persoon_id: "x", einddatum: "2019-12-28", regio: "AMR01", volgende_baan: 0, dagen_tot_volgende_baan: 3 },
      ],
      jobcoach_perioden: [
        { toekenning_id: "t", persoon_id: "a", begindatum: "2017-02-15", einddatum: "2017-03-01" },
        // a WGA person's period is not in the Wajong series
        { toekenning_id: "u", persoon_id: "c", begindatum: "2017-02-15", einddatum: "2017-03-01" },
      ],
    });
    const t = await run(conn, "maandmonitor");
    const r = (maand: string, regio: string) => pick(t.reeks, { maand, regio })!;
    expect(r("2017-03", "NL")).toMatchObject({
      regio_naam: "Nederland",
      lopende_banen: 1,
      baaneindes: 2,
      aandeel_direct: 0.5,
      mediaan_dagen_tot_reintegratie: 50,
      actieve_jobcoachperiodes: 1,
    });
    expect(r("2017-02", "NL").lopende_banen).toBe(2);
    expect(r("2017-03", "AMR02")).toMatchObject({ baaneindes: 1, aandeel_direct: 1 });
    expect(r("2017-02", "AMR01").actieve_jobcoachperiodes).toBe(1);
    expect(r("2017-02", "NL").actieve_jobcoachperiodes).toBe(1);
    expect(r("2017-02", "AMR02").actieve_jobcoachperiodes).toBe(0);
    expect(t.reeks!.filter((x) => x.regio === "NL").length).toBe(60);
    // December 2019 is counted but has no "direct" share: not every ending can be followed 7 days
    expect(r("2019-12", "NL")).toMatchObject({ baaneindes: 2, aandeel_direct: null });
    expect(r("2019-11", "NL")).toMatchObject({ baaneindes: 0, aandeel_direct: null });
    // the window ending in December 2019 likewise (it would be 1 of 2)
    expect(pick(t.venster, { maand: "2019-12", regio: "NL" })!.aandeel_direct).toBeNull();
  });

  it("maandmonitor: timeliness of re-integration as shares of all endings (before the end, ≤ 30 and ≤ 91 days)", async () => {
    const eindes: FixRow[] = [];
    // NL, March 2017: 60 endings in the D6 window; 6 with a service running at the end, 4 more within
    // 30 days, 5 more within 91 days (one at exactly 91), 3 after 100 days, 2 with a new job first, the rest none
    const uitkomst = (i: number): FixRow =>
      i < 6
        ? { reintegratie: 1, dagen_tot_reintegratie: 0, reintegratie_voor_einde: true }
        : i < 10
          ? { reintegratie: 1, dagen_tot_reintegratie: i === 9 ? 30 : 12, reintegratie_voor_einde: false }
          : i < 15
            ? { reintegratie: 1, dagen_tot_reintegratie: i === 14 ? 91 : 60, reintegratie_voor_einde: false }
            : i < 18
              ? { reintegratie: 1, dagen_tot_reintegratie: 100, reintegratie_voor_einde: false }
              : i < 20
                ? { reintegratie: 2, dagen_tot_reintegratie: 5, reintegratie_voor_einde: false }
                : { reintegratie: 0, dagen_tot_reintegratie: 800, reintegratie_voor_einde: false };
    for (let i = 0; i < 60; i++)
      eindes.push({ persoon_id: `p${i}`, einddatum: "2017-03-10", regio: i % 2 ? "AMR01" : "AMR02", in_d6_venster: true, ...uitkomst(i) });
    // 2016 is before the D6 window (no share), and October 2019 cannot be followed 91 days before the peildatum
    eindes.push({ persoon_id: "q", einddatum: "2016-03-10", regio: "AMR01", in_d6_venster: false });
    eindes.push({
      persoon_id: "s",
      einddatum: "2019-10-10",
      regio: "AMR01",
      in_d6_venster: true,
      reintegratie: 1,
      dagen_tot_reintegratie: 0,
      reintegratie_voor_einde: true,
    });
    await createMarts(conn, {
      personen: [
        { persoon_id: "a0", groep: "Wajong", regio: "AMR01" },
        { persoon_id: "b0", groep: "Wajong", regio: "AMR02" },
      ],
      baaneindes: eindes,
    });
    const t = await run(conn, "maandmonitor");
    const r = (maand: string, regio: string) => pick(t.reeks, { maand, regio })!;
    expect(r("2017-03", "NL")).toMatchObject({ baaneindes: 60, reintegratie_voor_einde: 6, reintegratie_1m: 10, reintegratie_3m: 15 });
    expect(r("2017-03", "NL").aandeel_reintegratie_voor_einde as number).toBeCloseTo(6 / 60, 12);
    expect(r("2017-03", "NL").aandeel_reintegratie_1m as number).toBeCloseTo(10 / 60, 12);
    expect(r("2017-03", "NL").aandeel_reintegratie_3m as number).toBeCloseTo(15 / 60, 12);
    expect(r("2016-03", "NL")).toMatchObject({ baaneindes: 1, reintegratie_3m: null, aandeel_reintegratie_3m: null });
    // September 2019 ends 30 September: + 91 days is after the peildatum 2019-12-31
    expect(r("2019-09", "NL").aandeel_reintegratie_voor_einde).toBeNull();
    expect(r("2019-10", "NL")).toMatchObject({ baaneindes: 1, aandeel_reintegratie_voor_einde: null });
    expect(r("2019-08", "NL").reintegratie_3m).toBe(0);
    // the window Jan–Dec 2017 has the same 60 endings; a window reaching into 2016 has none
    const v = (maand: string, regio: string) => pick(t.venster, { maand, regio })!;
    expect(v("2017-12", "NL").aandeel_reintegratie_3m as number).toBeCloseTo(15 / 60, 12);
    expect(v("2017-12", "AMR01").baaneindes).toBe(30);
    expect(v("2017-11", "NL").aandeel_reintegratie_3m).toBeNull();

    // published: NL per month and the windows (shares only; the counts behind them are not published);
    // 30 endings of a region in a window are too few for a share (< minNoemer)
    const m = mod("maandmonitor");
    const p = m.parameters(DEFAULTS);
    const pub = m.publish(await m.run({ conn, params: DEFAULTS }, p), rulesFrom(DEFAULTS), p);
    const pr = (maand: string, regio: string) => pick(pub.reeks, { maand, regio })!;
    // (the row is onderdrukt: its median has only 18 endings with a service)
    expect(pr("2017-03", "NL")).toMatchObject({ aandeel_reintegratie_3m: 0.25 });
    expect(pr("2017-03", "NL")).not.toHaveProperty("reintegratie_3m");
    expect(pr("2017-03", "NL").aandeel_reintegratie_1m as number).toBeCloseTo(10 / 60, 3);
    expect(pr("2017-03", "AMR01")).toMatchObject({ aandeel_reintegratie_3m: null });
    // 6 endings with a service before the end: fewer than minAantal, so that share is hidden
    expect(pr("2017-03", "NL").aandeel_reintegratie_voor_einde).toBeNull();
    // the windows published do not overlap, per measure back from the last one NL has: timeliness
    // Oct 2018 – Sep 2019 and the year before (no endings: hidden), direct 12 months apart up to
    // Nov 2019 where NL has endings (none from Dec 2017 to Nov 2018), the median Jan–Dec 2017 and 2018.
    // Jan–Dec 2017 is a window of the median only: its
    // timeliness share is in the full result, not in the published row
    expect(pub.venster!.filter((r) => r.regio === "NL").map((r) => r.maand)).toEqual([
      "2016-11",
      "2017-11",
      "2017-12",
      "2018-09",
      "2018-12",
      "2019-09",
      "2019-11",
    ]);
    expect(v("2017-12", "NL").aandeel_reintegratie_1m as number).toBeCloseTo(10 / 60, 12);
    expect(pick(pub.venster, { maand: "2017-12", regio: "NL" })).toMatchObject({
      aandeel_reintegratie_1m: null,
      aandeel_reintegratie_3m: null,
    });
    expect(pick(pub.venster, { maand: "2018-09", regio: "AMR01" })).toMatchObject({ aandeel_reintegratie_3m: null, onderdrukt: true });
  });

  it("maandmonitor: regional share and median over a rolling 12-month window; disclosure per region-window", async () => {
    const eindes: FixRow[] = [];
    const m2 = (m: number) => String(m).padStart(2, "0");
    // AMR01: 60 endings in 2016, 5 per month; the first 15 (months 1..12, then 1..3) direct (≤ 7 days)
    for (let i = 0; i < 60; i++) {
      eindes.push({
        persoon_id: `a${i}`,
        einddatum: `2016-${m2((i % 12) + 1)}-10`,
        regio: "AMR01",
        volgende_baan: 1,
        dagen_tot_volgende_baan: i < 15 ? 3 : 30,
      });
    }
    // AMR02: 40 endings in June 2016 (< 50 in every window), half direct
    for (let i = 0; i < 40; i++) {
      eindes.push({
        persoon_id: `b${i}`,
        einddatum: "2016-06-15",
        regio: "AMR02",
        volgende_baan: i < 20 ? 1 : 0,
        dagen_tot_volgende_baan: i < 20 ? 0 : 100,
      });
    }
    // AMR01 in June 2017: re-integration after 10, 20, 30 days, and one after 400 days (beyond the 1-year horizon)
    [10, 20, 30, 400].forEach((d, i) =>
      eindes.push({
        persoon_id: `r${i}`,
        einddatum: "2017-06-01",
        regio: "AMR01",
        volgende_baan: 0,
        dagen_tot_volgende_baan: 900,
        in_d6_venster: true,
        reintegratie: 1,
        dagen_tot_reintegratie: d,
      }),
    );
    await createMarts(conn, {
      personen: [
        { persoon_id: "a0", groep: "Wajong", regio: "AMR01" },
        { persoon_id: "b0", groep: "Wajong", regio: "AMR02" },
      ],
      baaneindes: eindes,
    });
    const m = mod("maandmonitor");
    const p = m.parameters(DEFAULTS);
    const res = await m.run({ conn, params: DEFAULTS }, p);
    const v = (maand: string, regio: string) => pick(res.tabellen.venster, { maand, regio })!;
    // first full window: Jan–Dec 2015; 48 windows up to Dec 2019, each for NL and 2 regions
    expect(res.tabellen.venster!.length).toBe(49 * 3);
    expect(res.tabellen.venster![0]).toMatchObject({ maand: "2015-12", vanaf_maand: "2015-01", regio: "NL", regio_naam: "Nederland" });
    expect(v("2016-12", "AMR01")).toMatchObject({ vanaf_maand: "2016-01", baaneindes: 60, direct: 15, aandeel_direct: 0.25 });
    // Feb 2016 – Jan 2017: January's 5 endings (2 direct) dropped out
    expect(v("2017-01", "AMR01")).toMatchObject({ baaneindes: 55, direct: 13 });
    expect(v("2017-01", "AMR01").aandeel_direct as number).toBeCloseTo(13 / 55, 12);
    expect(v("2016-12", "NL")).toMatchObject({ baaneindes: 100, direct: 35, aandeel_direct: 0.35 });
    expect(v("2016-12", "AMR02")).toMatchObject({ baaneindes: 40, aandeel_direct: 0.5 });
    // the median needs a window wholly inside the D6 window with a year of follow-up: Dec 2017 … Dec 2018
    expect(v("2017-12", "AMR01")).toMatchObject({ vanaf_maand: "2017-01", n_reintegratie: 3, mediaan_dagen_tot_reintegratie: 20 });
    expect(v("2017-11", "AMR01").mediaan_dagen_tot_reintegratie).toBeNull();
    expect(v("2019-01", "AMR01").mediaan_dagen_tot_reintegratie).toBeNull();

    // published: the region-window with 40 endings is hidden, the one with 60 shown
    const pub = m.publish(res, rulesFrom(DEFAULTS), p);
    const pv = (maand: string, regio: string) => pick(pub.venster, { maand, regio })!;
    expect(Object.keys(pub.venster![0]!)).toEqual([
      "maand",
      "vanaf_maand",
      "regio",
      "regio_naam",
      "aandeel_direct",
      "mediaan_dagen_tot_reintegratie",
      "aandeel_reintegratie_voor_einde",
      "aandeel_reintegratie_1m",
      "aandeel_reintegratie_3m",
      "onderdrukt",
    ]);
    // the windows published do not overlap: per measure back from the last one NL has (direct: Jun 2017 –
    // May 2018; the median Jan–Dec 2018; timeliness Oct 2018 – Sep 2019), each with every region's row
    expect(pub.venster!.map((r) => `${r.maand} ${r.regio}`)).toEqual(
      ["2016-05", "2017-05", "2017-12", "2018-05", "2018-09", "2018-12", "2019-09"].flatMap((m) => [`${m} NL`, `${m} AMR01`, `${m} AMR02`]),
    );
    // Jun 2016 – May 2017: NL 27 of 75 direct; AMR01's 35 and AMR02's 40 endings are too few for a share
    expect(pv("2017-05", "NL")).toMatchObject({ aandeel_direct: 0.36, onderdrukt: false });
    expect(pv("2017-05", "AMR01")).toMatchObject({ aandeel_direct: null, onderdrukt: true });
    expect(pv("2017-05", "AMR02")).toMatchObject({ aandeel_direct: null, onderdrukt: true });
    // 3 endings with re-integration < 50: the median is hidden
    expect(pv("2017-12", "AMR01")).toMatchObject({ mediaan_dagen_tot_reintegratie: null, onderdrukt: true });
    // monthly: regions get counts only (no monthly share: not a suppression), NL's monthly share needs 50 endings
    const pr = (maand: string, regio: string) => pick(pub.reeks, { maand, regio })!;
    expect(res.tabellen.reeks!.find((r) => r.maand === "2016-06" && r.regio === "AMR02")!.aandeel_direct).toBe(0.5);
    expect(pr("2015-03", "AMR01")).toMatchObject({ baaneindes: 0, aandeel_direct: null, onderdrukt: false });
    expect(pr("2016-06", "NL")).toMatchObject({ baaneindes: 45, aandeel_direct: null, onderdrukt: true });
    // AMR01's 5 endings are hidden, and then AMR02's 40 too (NL shows 45: secondary suppression)
    expect(pr("2016-06", "AMR01")).toMatchObject({ baaneindes: null, onderdrukt: true });
    expect(pr("2016-06", "AMR02")).toMatchObject({ baaneindes: null, aandeel_direct: null, onderdrukt: true });
  });
});
