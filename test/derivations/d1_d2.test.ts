import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { fixture, rows } from "../helpers/staging.ts";
import { DEFAULTS } from "../../pipeline/config.ts";

const BANEN = `SELECT baan_id, werkgever_id, startdatum, einddatum, einde_bron, n_ikv FROM banen
               WHERE persoon_id <> 'XFILL' ORDER BY baan_id`;

describe("D1 pay gaps and the data end", () => {
  let conn: DuckDBConnection;
  beforeAll(async () => {
    conn = await fixture("d1_loongat");
  });
  afterAll(() => conn.closeSync());

  it("2 months without pay continue the baan, exactly 3 end it; resumption is a new baan; last 3 months censored", async () => {
    expect(await rows(conn, BANEN)).toEqual([
      // A: zero pay in Apr and May 2016 (2 months): one baan to the last month with pay
      { baan_id: "A-1", werkgever_id: "W1", startdatum: "2016-01-01", einddatum: "2016-12-31", einde_bron: "zonder_loon", n_ikv: 1 },
      // B: no records Apr-Jun 2016 (exactly 3): ends 2016-03-31; pay resumes in July: new baan
      { baan_id: "B-1", werkgever_id: "W1", startdatum: "2016-01-01", einddatum: "2016-03-31", einde_bron: "zonder_loon", n_ikv: 1 },
      { baan_id: "B-2", werkgever_id: "W1", startdatum: "2016-07-01", einddatum: "2016-09-30", einde_bron: "zonder_loon", n_ikv: 1 },
      // C: last pay Oct 2019, data end 2019-12-31: only 2 months observed -> running
      { baan_id: "C-1", werkgever_id: "W1", startdatum: "2018-01-01", einddatum: null, einde_bron: "lopend", n_ikv: 1 },
      // D: last pay Sep 2019: Oct, Nov, Dec observed without pay -> ends 2019-09-30
      { baan_id: "D-1", werkgever_id: "W1", startdatum: "2018-01-01", einddatum: "2019-09-30", einde_bron: "zonder_loon", n_ikv: 1 },
      // E: trailing records with loon_sv = 0 count as months without pay; start = datum_aanvang_ikv
      { baan_id: "E-1", werkgever_id: "W1", startdatum: "2017-03-15", einddatum: "2017-05-31", einde_bron: "zonder_loon", n_ikv: 1 },
    ]);
  });

  it("the gap parameter is honoured (d1.maandenZonderLoon = 4 keeps B as one baan)", async () => {
    const c = await fixture("d1_loongat", { ...DEFAULTS, d1: { ...DEFAULTS.d1, maandenZonderLoon: 4 } });
    expect(await rows(c, `SELECT baan_id, startdatum, einddatum FROM banen WHERE persoon_id = 'B'`)).toEqual([
      { baan_id: "B-1", startdatum: "2016-01-01", einddatum: "2016-09-30" },
    ]);
    c.closeSync();
  });
});

describe("D1 4-weekly pay periods", () => {
  it("maps 28-day periods onto calendar months without false gaps; ends in the month of the last period end", async () => {
    const conn = await fixture("d1_vierweken");
    // 14 periods from 2016-01-04; the last two end 2017-01-01 and 2017-01-29, so the last month with pay is Jan 2017
    expect(
      await rows(
        conn,
        `${BANEN.replace("n_ikv", "n_ikv, round(uren_per_week, 6) AS uren_per_week").replace("ORDER", "AND persoon_id = 'F' ORDER")}`,
      ),
    ).toEqual([
      {
        baan_id: "F-1",
        werkgever_id: "W4",
        startdatum: "2016-01-04",
        einddatum: "2017-01-31",
        einde_bron: "zonder_loon",
        n_ikv: 1,
        uren_per_week: 14,
      },
    ]);
    // one month with pay for each calendar month Jan 2016 .. Jan 2017 (none missing); Jan 2017 has two period ends
    const m = await rows(conn, `SELECT count(*) AS n, max(uren) AS max_uren FROM int_ikv_maanden WHERE ikv_id = 'F-1'`);
    expect(m).toEqual([{ n: 13, max_uren: 112 }]);
    // FQ: periods that all start on the 1st are not all calendar months: April holds the ends of
    // March-April and of April, one month with pay (March has none), 160 + 80 hours
    const q = await rows(conn, `SELECT strftime(maand, '%Y-%m') AS maand, uren FROM int_ikv_maanden WHERE ikv_id = 'FQ-1' ORDER BY maand`);
    expect(q).toEqual([
      { maand: "2016-01", uren: 80 },
      { maand: "2016-02", uren: 80 },
      { maand: "2016-04", uren: 240 },
      { maand: "2016-05", uren: 80 },
      { maand: "2016-06", uren: 80 },
    ]);
    conn.closeSync();
  });
});

describe("D1 corrections", () => {
  it("a later declaration replaces the earlier one, including a registered end", async () => {
    const conn = await fixture("d1_correctie");
    expect(await rows(conn, BANEN)).toEqual([
      // G: May and June corrected to zero pay -> last month with pay April
      { baan_id: "G-1", werkgever_id: "W1", startdatum: "2016-01-01", einddatum: "2016-04-30", einde_bron: "zonder_loon", n_ikv: 1 },
      // H: the correction of December brings datum_einde_ikv 2017-12-15
      { baan_id: "H-1", werkgever_id: "W1", startdatum: "2017-01-01", einddatum: "2017-12-15", einde_bron: "geregistreerd", n_ikv: 1 },
    ]);
    expect(await rows(conn, `SELECT count(*) AS n FROM int_polis WHERE ikv_id IN ('G-1', 'H-1')`)).toEqual([{ n: 18 }]);
    conn.closeSync();
  });
});

describe("D1 renewals at the same employer", () => {
  it("merges ikv's with a gap <= 31 days at one werkgever_id; not across employers", async () => {
    const conn = await fixture("d1_verlenging");
    expect(
      await rows(
        conn,
        `SELECT baan_id, werkgever_id, startdatum, einddatum, n_ikv, eerste_ikv_id, laatste_ikv_id,
                                    contractsoort, contractsoort_start FROM banen WHERE persoon_id <> 'XFILL' ORDER BY baan_id`,
      ),
    ).toEqual([
      {
        baan_id: "J-1",
        werkgever_id: "W1",
        startdatum: "2016-01-01",
        einddatum: "2016-12-31",
        n_ikv: 2,
        eerste_ikv_id: "J-1",
        laatste_ikv_id: "J-2",
        contractsoort: "onbepaald",
        contractsoort_start: "bepaald",
      },
      {
        baan_id: "J-2",
        werkgever_id: "W2",
        startdatum: "2016-10-01",
        einddatum: "2017-03-31",
        n_ikv: 1,
        eerste_ikv_id: "J-4",
        laatste_ikv_id: "J-4",
        contractsoort: "bepaald",
        contractsoort_start: "bepaald",
      },
      // gap 2016-12-31 -> 2017-02-01 is 32 days: a new baan
      {
        baan_id: "J-3",
        werkgever_id: "W1",
        startdatum: "2017-02-01",
        einddatum: "2017-06-30",
        n_ikv: 1,
        eerste_ikv_id: "J-3",
        laatste_ikv_id: "J-3",
        contractsoort: "bepaald",
        contractsoort_start: "bepaald",
      },
      // gap 2016-06-30 -> 2016-07-31 is exactly 31 days: merged
      {
        baan_id: "K-1",
        werkgever_id: "W1",
        startdatum: "2016-01-01",
        einddatum: "2016-12-31",
        n_ikv: 2,
        eerste_ikv_id: "K-1",
        laatste_ikv_id: "K-2",
        contractsoort: "bepaald",
        contractsoort_start: "bepaald",
      },
      // an unpaid ikv without registered end (alone: censored) superseded by a renewal that ends registered
      {
        baan_id: "KL-1",
        werkgever_id: "W1",
        startdatum: "2019-01-01",
        einddatum: "2019-12-20",
        n_ikv: 2,
        eerste_ikv_id: "KL-1",
        laatste_ikv_id: "KL-2",
        contractsoort: "bepaald",
        contractsoort_start: "bepaald",
      },
    ]);
    conn.closeSync();
  });
});

describe("D2 job endings and D4/D5 time to next job", () => {
  let conn: DuckDBConnection;
  beforeAll(async () => {
    conn = await fixture("d4_volgende_baan");
  });
  afterAll(() => conn.closeSync());

  it("selects endings in the window on a running Wajong benefit; excludes death/pension within 3 months, WGA, benefit not running", async () => {
    expect(await rows(conn, `SELECT baan_id, einddatum, jaar, volgnummer_einde FROM baaneindes ORDER BY baan_id`)).toEqual([
      { baan_id: "L-1", einddatum: "2016-06-30", jaar: 2016, volgnummer_einde: 1 },
      { baan_id: "M-1", einddatum: "2016-06-30", jaar: 2016, volgnummer_einde: 1 },
      { baan_id: "M-2", einddatum: "2017-12-31", jaar: 2017, volgnummer_einde: 2 },
      { baan_id: "N-1", einddatum: "2018-03-31", jaar: 2018, volgnummer_einde: 1 },
      { baan_id: "O-1", einddatum: "2017-05-31", jaar: 2017, volgnummer_einde: 1 },
    ]);
    expect(
      await rows(conn, `SELECT persoon_id, n_banen, n_baaneindes FROM personen WHERE persoon_id IN ('P', 'Q', 'R', 'S', 'T') ORDER BY 1`),
    ).toEqual([
      { persoon_id: "P", n_banen: 1, n_baaneindes: 0 },
      { persoon_id: "Q", n_banen: 1, n_baaneindes: 0 },
      { persoon_id: "R", n_banen: 1, n_baaneindes: 0 },
      { persoon_id: "S", n_banen: 1, n_baaneindes: 0 },
      { persoon_id: "T", n_banen: 1, n_baaneindes: 0 },
    ]);
  });

  it("D4: overlapping job T = 0; later job T = start - E; censoring at peildatum and death; D5 counts a proefplaatsing", async () => {
    expect(
      await rows(
        conn,
        `SELECT baan_id, dagen_tot_volgende_baan AS t, volgende_baan AS e,
                                    dagen_tot_volgende_baan_pp AS t_pp, volgende_baan_pp AS e_pp, censor_reden
                             FROM baaneindes ORDER BY baan_id`,
      ),
    ).toEqual([
      { baan_id: "L-1", t: 0, e: 1, t_pp: 0, e_pp: 1, censor_reden: null },
      { baan_id: "M-1", t: 46, e: 1, t_pp: 10, e_pp: 1, censor_reden: null },
      { baan_id: "M-2", t: 730, e: 0, t_pp: 730, e_pp: 0, censor_reden: "peildatum" },
      { baan_id: "N-1", t: 640, e: 0, t_pp: 640, e_pp: 0, censor_reden: "peildatum" },
      { baan_id: "O-1", t: 229, e: 0, t_pp: 229, e_pp: 0, censor_reden: "overlijden" },
    ]);
  });

  it("D5: a proefplaatsing without an end date and with a final resultaat is not running at E, unless d5 says every one runs (up to its maximum months)", async () => {
    const tpp = async (d5: typeof DEFAULTS.d5) => {
      const c = await fixture("d4_volgende_baan", { ...DEFAULTS, d5 });
      const r = await rows(c, `SELECT dagen_tot_volgende_baan_pp AS t_pp, volgende_baan_pp AS e_pp FROM baaneindes WHERE baan_id = 'N-1'`);
      c.closeSync();
      return r;
    };
    // started 2018-01-15, no end date, resultaat geen_plaatsing; N-1 ends 2018-03-31
    expect(await tpp(DEFAULTS.d5)).toEqual([{ t_pp: 640, e_pp: 0 }]);
    expect(await tpp({ proefplaatsingZonderEinde: "lopend", proefplaatsingMaxMaanden: 6 })).toEqual([{ t_pp: 0, e_pp: 1 }]);
    // at most two months from its start: over by 2018-03-15
    expect(await tpp({ proefplaatsingZonderEinde: "lopend", proefplaatsingMaxMaanden: 2 })).toEqual([{ t_pp: 640, e_pp: 0 }]);
  });
});

describe("test helper", () => {
  it("the minimal CSV loader and the pipeline's ingest give the same banen", async () => {
    const a = await fixture("d1_verlenging", DEFAULTS, "pipeline");
    const b = await fixture("d1_verlenging", DEFAULTS, "helper");
    const q = `SELECT * FROM banen ORDER BY baan_id`;
    expect(await rows(a, q)).toEqual(await rows(b, q));
    a.closeSync();
    b.closeSync();
  });
});
