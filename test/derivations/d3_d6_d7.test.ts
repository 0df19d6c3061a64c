import { describe, expect, it } from "vitest";
import { fixture, rows } from "../helpers/staging.ts";
import { DEFAULTS } from "../../pipeline/config.ts";

describe("D3 jobcoach category of a baan", () => {
  it("links by werkgever, falls back to the hirer, picks the type active last, ignores refused/withdrawn periods", async () => {
    const conn = await fixture("d3_jobcoach");
    expect(
      await rows(
        conn,
        `SELECT baan_id, jobcoach, jobcoach_koppeling, jobcoach_organisatie_id FROM banen
                             WHERE persoon_id <> 'XFILL' ORDER BY baan_id`,
      ),
    ).toEqual([
      // extern period at the polis employer; the refused intern period is ignored
      { baan_id: "U-1", jobcoach: "extern", jobcoach_koppeling: "werkgever", jobcoach_organisatie_id: "ORG1" },
      // extern period registered under the hirer (detachering): fallback link, flagged
      { baan_id: "V-1", jobcoach: "extern", jobcoach_koppeling: "inlener", jobcoach_organisatie_id: "ORG2" },
      // extern Jan-Jun, intern from July: intern is active last
      { baan_id: "W-1", jobcoach: "intern", jobcoach_koppeling: "werkgever", jobcoach_organisatie_id: null },
      // only a period before the baan (and a withdrawn one): geen
      { baan_id: "X-1", jobcoach: "geen", jobcoach_koppeling: null, jobcoach_organisatie_id: null },
    ]);
    expect(await rows(conn, `SELECT toekenning_id, baan_id, koppeling FROM jobcoach_perioden ORDER BY 1`)).toEqual([
      { toekenning_id: "JC-U1", baan_id: "U-1", koppeling: "werkgever" },
      { toekenning_id: "JC-V1", baan_id: "V-1", koppeling: "inlener" },
      { toekenning_id: "JC-W1", baan_id: "W-1", koppeling: "werkgever" },
      { toekenning_id: "JC-W2", baan_id: "W-1", koppeling: "werkgever" },
      { toekenning_id: "JC-X1", baan_id: null, koppeling: null },
    ]);
    expect(await rows(conn, `SELECT niveau, soort, koppeling, aantal FROM int_jobcoach_koppeling_stats WHERE niveau = 'banen'`)).toEqual([
      { niveau: "banen", soort: "extern", koppeling: "inlener", aantal: 1 },
      { niveau: "banen", soort: "extern", koppeling: "werkgever", aantal: 1 },
      { niveau: "banen", soort: "intern", koppeling: "werkgever", aantal: 1 },
    ]);
    conn.closeSync();
  });

  it("without the hirer fallback the detached baan is geen", async () => {
    const conn = await fixture("d3_jobcoach", { ...DEFAULTS, d3: { ...DEFAULTS.d3, inleenFallback: false } });
    expect(await rows(conn, `SELECT jobcoach, jobcoach_koppeling FROM banen WHERE baan_id = 'V-1'`)).toEqual([
      { jobcoach: "geen", jobcoach_koppeling: null },
    ]);
    conn.closeSync();
  });
});

describe("D3 readings of the report (parameters)", () => {
  const category = async (d3: Partial<typeof DEFAULTS.d3>) => {
    const conn = await fixture("d3_jobcoach", { ...DEFAULTS, d3: { ...DEFAULTS.d3, ...d3 } });
    const out = await rows(conn, `SELECT baan_id, jobcoach FROM banen WHERE baan_id IN ('U-1', 'V-1', 'W-1') ORDER BY baan_id`);
    conn.closeSync();
    return Object.fromEntries(out.map((r) => [r.baan_id, r.jobcoach]));
  };

  it("betrokkenBijEindeDagen: a jobcoach no longer involved at the end makes the baan geen (§3.1)", async () => {
    // U-1 ends 2017-12-31, its extern period 2016-08-31 (487 days before); V-1 ends 2016-12-31,
    // its period 2016-07-31 (153 days); W-1's intern period runs past its end
    expect(await category({ betrokkenBijEindeDagen: 90 })).toEqual({ "U-1": "geen", "V-1": "geen", "W-1": "intern" });
    expect(await category({ betrokkenBijEindeDagen: 487 })).toEqual({ "U-1": "extern", "V-1": "extern", "W-1": "intern" });
  });

  it("zichtbaarVanaf: periods that ended before the date are not seen (footnote 36)", async () => {
    // W-1: extern Jan–Jun 2016 and intern from July; V-1's period ends 2016-07-31
    expect(await category({ zichtbaarVanaf: "2016-08-01" })).toEqual({ "U-1": "extern", "V-1": "geen", "W-1": "intern" });
    expect(await category({ zichtbaarVanaf: "2017-07-01" })).toEqual({ "U-1": "geen", "V-1": "geen", "W-1": "geen" });
  });

  it("the default reading (both null) is coaching during the job (the first test's categories)", () => {
    expect(DEFAULTS.d3).toMatchObject({ betrokkenBijEindeDagen: null, zichtbaarVanaf: null });
  });
});

describe("D6 re-integration uptake", () => {
  it("service before the end (time 0), new job first (competing, 2), service after the end, censoring, outside window", async () => {
    const conn = await fixture("d6_reintegratie");
    expect(
      await rows(
        conn,
        `SELECT baan_id, in_d6_venster, dagen_tot_reintegratie AS t, reintegratie AS r,
                                    reintegratie_voor_einde AS voor, reintegratie_dienst AS dienst,
                                    reintegratie_eigen_organisatie AS eigen, jobcoach
                             FROM baaneindes ORDER BY baan_id`,
      ),
    ).toEqual([
      // werkfit_maken 40 days after E by another organisation than the extern jobcoach's; the proefplaatsing does not count
      { baan_id: "AA-1", in_d6_venster: true, t: 40, r: 1, voor: false, dienst: "werkfit_maken", eigen: false, jobcoach: "extern" },
      // ended 2016: outside the D6 window
      { baan_id: "AB-1", in_d6_venster: false, t: null, r: null, voor: null, dienst: null, eigen: null, jobcoach: "geen" },
      // nothing after the end: censored at peildatum (2019-06-30 -> 2019-12-31)
      { baan_id: "AC-1", in_d6_venster: true, t: 184, r: 0, voor: false, dienst: null, eigen: null, jobcoach: "geen" },
      // a service without einddatum but with resultaat geen_plaatsing has ended: not running at E; the next one after 32 days counts
      { baan_id: "AD-1", in_d6_venster: true, t: 32, r: 1, voor: false, dienst: "naar_werk", eigen: null, jobcoach: "geen" },
      // naar_werk started 2017-05-01, running at E: time 0, before the end, by the jobcoach's own organisation
      { baan_id: "Y-1", in_d6_venster: true, t: 0, r: 1, voor: true, dienst: "naar_werk", eigen: true, jobcoach: "extern" },
      // new job after 32 days, service only after that: competing event; the service ended before E is ignored
      { baan_id: "Z-1", in_d6_venster: true, t: 32, r: 2, voor: false, dienst: null, eigen: null, jobcoach: "geen" },
    ]);
    conn.closeSync();
  });
});

describe("D7 jobcoach-start cohort", () => {
  it("monthly states from the first toegekend period; hours, real wage (CPI 2015 = 100), contract", async () => {
    const conn = await fixture("d7_maandstatus");
    const r = await rows(
      conn,
      `SELECT persoon_id, maand, kalendermaand, cohortjaar, groep, soort_jobcoach, status, werkt,
                                       round(uren_per_week, 4) AS upw, round(uurloon_reeel, 4) AS loon, onbepaald, sinds_eerste_baan
                                FROM maandstatus ORDER BY persoon_id, maand`,
    );
    // AD and AG: AE's first period is in 2012, AF's first toegekend period is in 2018 (the refused 2017 one does not count)
    expect([...new Set(r.map((x) => x.persoon_id))]).toEqual(["AD", "AG"]);
    expect(r.filter((x) => x.persoon_id === "AD").length).toBe(37);
    const at = (m: number) => r.find((x) => x.persoon_id === "AD" && x.maand === m);
    expect([0, 1, 2, 3, 6, 7, 15, 36].map(at)).toEqual([
      {
        persoon_id: "AD",
        maand: 0,
        kalendermaand: "2016-03-01",
        cohortjaar: 2016,
        groep: "Wajong",
        soort_jobcoach: "extern",
        status: "proefplaatsing",
        werkt: false,
        upw: null,
        loon: null,
        onbepaald: null,
        sinds_eerste_baan: null,
      },
      {
        persoon_id: "AD",
        maand: 1,
        kalendermaand: "2016-04-01",
        cohortjaar: 2016,
        groep: "Wajong",
        soort_jobcoach: "extern",
        status: "proefplaatsing",
        werkt: false,
        upw: null,
        loon: null,
        onbepaald: null,
        sinds_eerste_baan: null,
      },
      {
        persoon_id: "AD",
        maand: 2,
        kalendermaand: "2016-05-01",
        cohortjaar: 2016,
        groep: "Wajong",
        soort_jobcoach: "extern",
        status: "proefplaatsing",
        werkt: false,
        upw: null,
        loon: null,
        onbepaald: null,
        sinds_eerste_baan: null,
      },
      // June 2016: 86 hours over 30 days; 1000 / 86 / 1.0032 (CPI 2016)
      {
        persoon_id: "AD",
        maand: 3,
        kalendermaand: "2016-06-01",
        cohortjaar: 2016,
        groep: "Wajong",
        soort_jobcoach: "extern",
        status: "werk_met_jobcoach",
        werkt: true,
        upw: 20.0667,
        loon: 11.5908,
        onbepaald: false,
        sinds_eerste_baan: 0,
      },
      {
        persoon_id: "AD",
        maand: 6,
        kalendermaand: "2016-09-01",
        cohortjaar: 2016,
        groep: "Wajong",
        soort_jobcoach: "extern",
        status: "werk_met_jobcoach",
        werkt: true,
        upw: 20.0667,
        loon: 11.5908,
        onbepaald: false,
        sinds_eerste_baan: 3,
      },
      // the jobcoach period ended 2016-09-14
      {
        persoon_id: "AD",
        maand: 7,
        kalendermaand: "2016-10-01",
        cohortjaar: 2016,
        groep: "Wajong",
        soort_jobcoach: "extern",
        status: "werk_zonder_jobcoach",
        werkt: true,
        upw: 19.4194,
        loon: 11.5908,
        onbepaald: false,
        sinds_eerste_baan: 4,
      },
      // renewed on a permanent contract from June 2017 (CPI 2017 = 101.70)
      {
        persoon_id: "AD",
        maand: 15,
        kalendermaand: "2017-06-01",
        cohortjaar: 2016,
        groep: "Wajong",
        soort_jobcoach: "extern",
        status: "werk_zonder_jobcoach",
        werkt: true,
        upw: 20.0667,
        loon: 11.4335,
        onbepaald: true,
        sinds_eerste_baan: 12,
      },
      {
        persoon_id: "AD",
        maand: 36,
        kalendermaand: "2019-03-01",
        cohortjaar: 2016,
        groep: "Wajong",
        soort_jobcoach: "extern",
        status: "werk_zonder_jobcoach",
        werkt: true,
        upw: 19.4194,
        loon: 10.9532,
        onbepaald: true,
        sinds_eerste_baan: 33,
      },
    ]);
    conn.closeSync();
  });

  it("hours per week over the union of the employed days of all ikv's in a month; a pro-rated last month has none", async () => {
    const conn = await fixture("d7_maandstatus");
    const r = await rows(
      conn,
      `SELECT maand, status, round(uren_per_week, 4) AS upw, uurloon_reeel IS NOT NULL AS loon
       FROM maandstatus WHERE persoon_id = 'AG' AND maand BETWEEN 2 AND 11 ORDER BY maand`,
    );
    expect(r).toEqual([
      // AG-1, 80 hours a month, no registered end: April and May over their days
      { maand: 2, status: "werk_met_jobcoach", upw: 18.6667, loon: true },
      { maand: 3, status: "werk_met_jobcoach", upw: 18.0645, loon: true },
      // June is its last month with pay, pro-rated to an unknown day: pay, no hours
      { maand: 4, status: "werk_met_jobcoach", upw: null, loon: true },
      { maand: 5, status: "geen_werk", upw: null, loon: false },
      { maand: 6, status: "geen_werk", upw: null, loon: false },
      // September: AG-2 from the 16th (40 hours) beside AG-3 all month (80): 120 hours over 30 days
      { maand: 7, status: "werk_met_jobcoach", upw: 28, loon: true },
      // October: both all month, 120 hours over 31 days
      { maand: 8, status: "werk_met_jobcoach", upw: 27.0968, loon: true },
      // November: AG-2 alone; December is its pro-rated last month
      { maand: 9, status: "werk_met_jobcoach", upw: 9.3333, loon: true },
      { maand: 10, status: "werk_met_jobcoach", upw: null, loon: true },
      { maand: 11, status: "geen_werk", upw: null, loon: false },
    ]);
    conn.closeSync();
  });
});
