/**
 * The derivations against the generator's ground truth (scale 0.01, seed 3): job spells
 * recovered (precision, recall), end dates exact where D1 can know them, jobcoach category,
 * D4 event times and censoring. The figures are printed. What the extracts can show must be
 * recovered exactly: spells, their ends, D3 applied to the true spells and granted periods, D4
 * and D5 (death or pension known only through a benefit that ended for that reason).
 *
 * "What D1 can know": only ikv's present in the polis extract (jobs are left-truncated at the
 * window start); true banen of one person at one werkgever_id with a gap <= 31 days are one
 * spell (D1 cannot tell a renewal from a new job there); the end is the registered date when
 * registered, else the last day of the true end month, and running (NULL) when the true end
 * lies in the last d1.maandenZonderLoon months of the data.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WORLD } from "../setup/shared-world.ts";
import type { DuckDBConnection } from "@duckdb/node-api";
import { REPO_ROOT, ingestStaging, openDb, rows, runDerivations } from "../helpers/staging.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { SLOW } from "../helpers/tier.ts";
import { tempDir } from "../helpers/temp.ts";

// scale 0.01 in `npm test`, 0.05 in the slow tier (test/helpers/tier.ts)
const SCALE = process.env.BAANMONITOR_GT_SCALE || (SLOW ? "0.05" : "0.01");
const SEED = process.env.BAANMONITOR_GT_SEED ?? "3";

describe(`derivations vs ground truth (scale ${SCALE}, seed ${SEED})`, () => {
  let dir: string;
  let conn: DuckDBConnection;

  beforeAll(async () => {
    if (SCALE === WORLD.scale && SEED === WORLD.seed) {
      dir = inject("world"); // the e2e tier's shared world, read only
    } else {
      dir = tempDir("baanmonitor-gt-");
      execFileSync(
        process.execPath,
        [join(REPO_ROOT, "bin", "baanmonitor.mjs"), "generate", "--scale", SCALE, "--seed", SEED, "--out", dir],
        {
          stdio: "ignore",
        },
      );
    }
    conn = await openDb();
    await ingestStaging(conn, join(dir, "extracts"));
    await runDerivations(conn);
    for (const t of ["banen", "ikvs", "jobcoach_perioden", "personen"]) {
      await conn.run(
        `CREATE TABLE truth_${t} AS SELECT * FROM read_csv('${join(dir, "truth", `${t}.csv`)}', header = true, all_varchar = true)`,
      );
    }
    const gap = DEFAULTS.d1.samenvoegGatDagen;
    const n = DEFAULTS.d1.maandenZonderLoon;
    // truth spells as D1 can know them
    await conn.run(`
      CREATE TABLE gt_spells AS
      WITH obs AS (SELECT DISTINCT ikv_id FROM stg_polis),
      ti AS (
        SELECT t.persoon_id, t.baan_nr, t.ikv_id, t.werkgever_id, t.startdatum::DATE AS s, t.einddatum::DATE AS e,
               coalesce(t.einde_geregistreerd = 'true', FALSE) AS g
        FROM truth_ikvs t SEMI JOIN obs USING (ikv_id)),
      tb AS (
        SELECT persoon_id, baan_nr, any_value(werkgever_id) AS w, min(s) AS s,
               CASE WHEN bool_or(e IS NULL) THEN NULL ELSE max(e) END AS e,
               arg_max(g, coalesce(e, DATE '9999-12-31')) AS g
        FROM ti GROUP BY ALL),
      isl AS (
        SELECT *, sum(nieuw) OVER (PARTITION BY persoon_id, w ORDER BY s, baan_nr::INTEGER ROWS UNBOUNDED PRECEDING) AS eiland
        FROM (SELECT *, CASE WHEN date_diff('day', max(coalesce(e, DATE '9999-12-31')) OVER (PARTITION BY persoon_id, w ORDER BY s, baan_nr::INTEGER
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), s) <= ${gap} THEN 0 ELSE 1 END AS nieuw FROM tb)),
      sp AS (
        SELECT persoon_id, w, eiland, min(s) AS s,
               CASE WHEN bool_or(e IS NULL) THEN NULL ELSE max(e) END AS e,
               arg_max(g, coalesce(e, DATE '9999-12-31')) AS g,
               arg_max(baan_nr, coalesce(e, DATE '9999-12-31')) AS laatste_baan_nr,
               count(*) AS n_truth_banen
        FROM isl GROUP BY ALL)
      SELECT sp.*, (SELECT string_agg(ikv_id, '|' ORDER BY ikv_id) FROM ti JOIN isl i USING (persoon_id, baan_nr)
                    WHERE i.persoon_id = sp.persoon_id AND i.w = sp.w AND i.eiland = sp.eiland) AS ikvs,
             CASE WHEN sp.e IS NULL THEN NULL WHEN sp.g THEN sp.e
                  WHEN last_day((date_trunc('month', sp.e) + INTERVAL ${n} MONTH)::DATE) <= o.data_einde THEN last_day(sp.e)
                  ELSE NULL END AS verwacht_einde
      FROM sp CROSS JOIN int_observatie o`);
    await conn.run(`
      CREATE TABLE gt_mine AS
      SELECT b.*, (SELECT string_agg(DISTINCT ikv_id, '|' ORDER BY ikv_id) FROM int_baan_ikv bi WHERE bi.baan_id = b.baan_id) AS ikvs
      FROM banen b`);
  }, 120_000);

  afterAll(() => {
    conn?.closeSync();
    if (dir && dir !== inject("world")) rmSync(dir, { recursive: true, force: true });
  });

  it("recovers job spells: precision and recall", async () => {
    const r = (
      await rows(
        conn,
        `
      WITH m AS (SELECT g.*, b.baan_id, b.startdatum, b.einddatum FROM gt_spells g JOIN gt_mine b USING (persoon_id, ikvs))
      SELECT (SELECT count(*) FROM gt_mine) AS n_pipeline,
             (SELECT count(*) FROM gt_spells) AS n_truth,
             (SELECT count(*) FROM truth_banen) AS n_truth_raw,
             count(*) AS n_zelfde_ikvs,
             count(*) FILTER (WHERE startdatum = s) AS n_start_exact,
             count(*) FILTER (WHERE startdatum = s AND einddatum IS NOT DISTINCT FROM verwacht_einde) AS n_exact,
             count(*) FILTER (WHERE g AND einddatum = verwacht_einde) AS n_einde_geregistreerd_exact,
             count(*) FILTER (WHERE g) AS n_geregistreerd,
             count(*) FILTER (WHERE NOT g AND verwacht_einde IS NOT NULL AND einddatum = verwacht_einde) AS n_einde_zonder_loon_exact,
             count(*) FILTER (WHERE NOT g AND verwacht_einde IS NOT NULL) AS n_zonder_loon,
             count(*) FILTER (WHERE verwacht_einde IS NULL AND einddatum IS NULL) AS n_lopend_exact,
             count(*) FILTER (WHERE verwacht_einde IS NULL) AS n_lopend
      FROM m`,
      )
    )[0]!;
    const precision = Number(r.n_exact) / Number(r.n_pipeline);
    const recall = Number(r.n_exact) / Number(r.n_truth);
    console.log(
      `[ground truth ${SCALE}/${SEED}] banen: pipeline ${r.n_pipeline}, truth (D1-knowable) ${r.n_truth} (raw truth banen ${r.n_truth_raw}); ` +
        `same ikv set ${r.n_zelfde_ikvs}, start exact ${r.n_start_exact}, start+end exact ${r.n_exact}: ` +
        `precision ${(100 * precision).toFixed(1)}%, recall ${(100 * recall).toFixed(1)}%; ` +
        `end exact: registered ${r.n_einde_geregistreerd_exact}/${r.n_geregistreerd}, ` +
        `without pay ${r.n_einde_zonder_loon_exact}/${r.n_zonder_loon}, running ${r.n_lopend_exact}/${r.n_lopend}`,
    );
    // every D1-knowable spell recovered, with its start and (where D1 can know it) its end
    expect(precision).toBe(1);
    expect(recall).toBe(1);
    expect(r.n_einde_geregistreerd_exact).toBe(r.n_geregistreerd);
    expect(r.n_einde_zonder_loon_exact).toBe(r.n_zonder_loon);
    expect(r.n_lopend_exact).toBe(r.n_lopend);
  });

  it("jobcoach category (D3) equals the true category", async () => {
    const r = await rows(
      conn,
      `
      WITH m AS (
        SELECT b.jobcoach AS pipeline, t.jobcoach AS truth, b.jobcoach_koppeling, t.jobcoach_onder_inlener
        FROM gt_spells g JOIN gt_mine b USING (persoon_id, ikvs)
        JOIN truth_banen t ON t.persoon_id = g.persoon_id AND t.baan_nr = g.laatste_baan_nr)
      SELECT truth, pipeline, count(*) AS n FROM m GROUP BY ALL ORDER BY ALL`,
    );
    const total = r.reduce((s, x) => s + Number(x.n), 0);
    const same = r.filter((x) => x.truth === x.pipeline).reduce((s, x) => s + Number(x.n), 0);
    console.log(
      `[ground truth ${SCALE}/${SEED}] jobcoach category exact for ${same}/${total} matched banen (${((100 * same) / total).toFixed(1)}%)`,
    );
    console.table(r);
    if (process.env.GT_DEBUG) {
      console.table(
        await rows(
          conn,
          `SELECT b.baan_id, b.startdatum, b.einddatum, b.jobcoach, b.jobcoach_koppeling, t.jobcoach AS truth, t.baan_id AS truth_baan, g.n_truth_banen
        FROM gt_spells g JOIN gt_mine b USING (persoon_id, ikvs) JOIN truth_banen t ON t.persoon_id = g.persoon_id AND t.baan_nr = g.laatste_baan_nr
        WHERE b.jobcoach <> t.jobcoach`,
        ),
      );
    }
    const stats = await rows(
      conn,
      `SELECT niveau, soort, koppeling, aantal, round(aandeel, 3) AS aandeel FROM int_jobcoach_koppeling_stats`,
    );
    console.table(stats);
    // the rest: unknowable from the extracts (see the next test, which requires all)
    expect(same / total).toBeGreaterThan(0.99);
  });

  it("jobcoach category (D3) equals D3 applied independently to the true spells and periods", async () => {
    // The true category above differs from D3 where the extracts cannot show it: the coached part
    // of a job lies before its first ikv in the polis (left truncation), or a period registered
    // under an employer whose job is not in the polis is linked by the hirer fallback to a job
    // it overlaps. Applied to what the extracts show (D1-knowable spells, the granted periods,
    // the proefplaatsing employers), D3 must give exactly the pipeline's category.
    const spells = await rows(
      conn,
      `
      SELECT g.persoon_id, g.w, g.s, g.verwacht_einde AS e, b.jobcoach, b.jobcoach_koppeling
      FROM gt_spells g JOIN gt_mine b USING (persoon_id, ikvs)`,
    );
    const periods = await rows(
      conn,
      `SELECT toekenning_id, persoon_id, soort, werkgever_id, begindatum, einddatum FROM truth_jobcoach_perioden WHERE status = 'toegekend'`,
    );
    const pp = await rows(
      conn,
      `SELECT DISTINCT persoon_id, werkgever_id FROM read_csv('${join(dir, "truth", "proefplaatsingen.csv")}', header = true, all_varchar = true)`,
    );
    const day = (x: unknown) => Date.parse(`${x}T00:00:00Z`) / 86_400_000;
    const OPEN = day("9999-12-31");
    type Spell = {
      w: string;
      s: number;
      e: number;
      key: string;
      links: { k: number; tot: number; begin: number; soort: string; id: string }[];
    };
    const byPerson = new Map<string, Spell[]>();
    for (const r of spells) {
      const sp: Spell = { w: String(r.w), s: day(r.s), e: r.e ? day(r.e) : OPEN, key: `${r.persoon_id}|${r.w}|${r.s}`, links: [] };
      byPerson.set(String(r.persoon_id), [...(byPerson.get(String(r.persoon_id)) ?? []), sp]);
    }
    const ppEmployers = new Set(pp.map((r) => `${r.persoon_id}|${r.werkgever_id}`));
    for (const p of periods) {
      const own = byPerson.get(String(p.persoon_id)) ?? [];
      const b = day(p.begindatum),
        e = day(p.einddatum);
      const overlapping = own.filter((sp) => b <= sp.e && e >= sp.s);
      const link = (sp: Spell, k: number) =>
        sp.links.push({ k, tot: Math.min(e, sp.e), begin: b, soort: String(p.soort), id: String(p.toekenning_id) });
      const same = overlapping.filter((sp) => sp.w === p.werkgever_id);
      if (same.length) for (const sp of same) link(sp, 1);
      else if (!own.some((sp) => sp.w === p.werkgever_id) && !ppEmployers.has(`${p.persoon_id}|${p.werkgever_id}`) && overlapping.length) {
        const ov = (sp: Spell) => Math.min(e, sp.e) - Math.max(b, sp.s);
        const best = [...overlapping].sort((x, y) => ov(y) - ov(x) || y.s - x.s)[0];
        link(best!, 2);
      }
    }
    const expected = new Map<string, { jobcoach: string; koppeling: string | null }>();
    for (const list of byPerson.values()) {
      for (const sp of list) {
        const best = [...sp.links].sort(
          (x, y) =>
            x.k - y.k ||
            y.tot - x.tot ||
            y.begin - x.begin ||
            (x.soort === "extern" ? -1 : 1) - (y.soort === "extern" ? -1 : 1) ||
            (x.id < y.id ? -1 : 1),
        )[0];
        expected.set(
          sp.key,
          best ? { jobcoach: best.soort, koppeling: best.k === 1 ? "werkgever" : "inlener" } : { jobcoach: "geen", koppeling: null },
        );
      }
    }
    let same = 0;
    const wrong: unknown[] = [];
    for (const r of spells) {
      const x = expected.get(`${r.persoon_id}|${r.w}|${r.s}`)!;
      if (x.jobcoach === r.jobcoach && x.koppeling === (r.jobcoach_koppeling ?? null)) same++;
      else if (wrong.length < 5) wrong.push({ ...r, verwacht: x });
    }
    console.log(
      `[ground truth ${SCALE}/${SEED}] jobcoach category and koppeling equal to D3 on the true spells for ${same}/${spells.length} banen`,
    );
    if (wrong.length) console.table(wrong);
    expect(spells.length).toBeGreaterThan(100);
    expect(same).toBe(spells.length);
  });

  it("D4 event times and censoring equal an independent computation on the true spells", async () => {
    // endings (D2) of banen whose person's spells were all recovered exactly
    const endings = await rows(
      conn,
      `
      WITH ok AS (
        SELECT b.persoon_id, bool_and(g.persoon_id IS NOT NULL AND b.startdatum = g.s
                                      AND b.einddatum IS NOT DISTINCT FROM g.verwacht_einde) AS alles_exact
        FROM gt_mine b LEFT JOIN gt_spells g USING (persoon_id, ikvs) GROUP BY b.persoon_id)
      SELECT e.persoon_id, e.baan_id, e.einddatum, e.dagen_tot_volgende_baan AS t, e.volgende_baan AS ev,
             e.dagen_tot_volgende_baan_pp AS t_pp, e.volgende_baan_pp AS ev_pp, e.censor_reden,
             b.ikvs
      FROM baaneindes e JOIN gt_mine b USING (baan_id) JOIN ok ON ok.persoon_id = e.persoon_id
      WHERE ok.alles_exact ORDER BY e.baan_id`,
    );
    const spells = await rows(conn, `SELECT persoon_id, ikvs, s, verwacht_einde AS e FROM gt_spells`);
    // D4 can know a death or pension only through a benefit that ended for that reason (a person
    // who recovered first and reached pension age later is censored at the peildatum)
    const persons = await rows(
      conn,
      `SELECT persoon_id, CASE WHEN reden_einde = 'overlijden' THEN overlijdensdatum END AS overlijdensdatum,
              CASE WHEN reden_einde = 'pensioen' THEN pensioendatum END AS pensioendatum FROM truth_personen`,
    );
    const pp = await rows(
      conn,
      `SELECT persoon_id, startdatum, einddatum FROM read_csv('${join(dir, "truth", "proefplaatsingen.csv")}', header = true, all_varchar = true)`,
    );
    const day = (s: unknown) => (s ? Date.parse(`${s}T00:00:00Z`) / 86_400_000 : null);
    const byPerson = <T extends Record<string, unknown>>(xs: T[]) => {
      const m = new Map<string, T[]>();
      for (const x of xs) m.set(String(x.persoon_id), [...(m.get(String(x.persoon_id)) ?? []), x]);
      return m;
    };
    const sp = byPerson(spells),
      pers = new Map(persons.map((p) => [String(p.persoon_id), p])),
      pps = byPerson(pp);
    const peil = day(DEFAULTS.d4.peildatum)!;
    let n = 0,
      exact = 0,
      exactPp = 0;
    const wrong: unknown[] = [];
    for (const e of endings) {
      const E = day(e.einddatum)!;
      const p = pers.get(String(e.persoon_id))!;
      const outs = [day(p.overlijdensdatum), day(p.pensioendatum)].filter((x): x is number => x !== null && x >= E);
      const C = Math.min(peil, ...outs);
      const cands = (sp.get(String(e.persoon_id)) ?? [])
        .filter((s) => s.ikvs !== e.ikvs && (s.e === null || day(s.e)! > E))
        .map((s) => Math.max(0, day(s.s)! - E));
      const tNext = cands.length ? Math.min(...cands) : Infinity;
      const ppC = (pps.get(String(e.persoon_id)) ?? [])
        .filter((x) => x.einddatum === null || day(x.einddatum)! > E)
        .map((x) => Math.max(0, day(x.startdatum)! - E));
      const tPp = Math.min(tNext, ...ppC);
      const exp = tNext <= C - E ? { t: tNext, ev: 1 } : { t: Math.max(0, C - E), ev: 0 };
      const expPp = tPp <= C - E ? { t: tPp, ev: 1 } : { t: Math.max(0, C - E), ev: 0 };
      n++;
      if (exp.t === Number(e.t) && exp.ev === Number(e.ev)) exact++;
      else if (wrong.length < 5) wrong.push({ ...e, exp });
      if (expPp.t === Number(e.t_pp) && expPp.ev === Number(e.ev_pp)) exactPp++;
    }
    console.log(`[ground truth ${SCALE}/${SEED}] D4 time and event exact for ${exact}/${n} endings; D5 ${exactPp}/${n}`);
    if (wrong.length) console.table(wrong);
    expect(n).toBeGreaterThan(100);
    expect(exact).toBe(n);
    expect(exactPp).toBe(n);
  });

  it("weekly hours at the start are not biased by a partial first or last month", async () => {
    // banen whose first true ikv is in the extract (not left-truncated) and recovered exactly:
    // the pipeline's uren_per_week_start (first 3 months, over the days employed) against the
    // contractual hours of the first ikv (polis hours carry +-5 % noise)
    const r = (
      await rows(
        conn,
        `
      WITH m AS (
        SELECT b.uren_per_week_start AS p, t.uren_per_week_start::DOUBLE AS t
        FROM gt_spells g JOIN gt_mine b USING (persoon_id, ikvs)
        JOIN truth_banen t ON t.persoon_id = g.persoon_id AND t.baan_nr = g.laatste_baan_nr
        WHERE g.n_truth_banen = 1 AND b.startdatum = t.startdatum::DATE AND b.uren_per_week_start IS NOT NULL)
      SELECT count(*) AS n, avg(p - t) AS gem_verschil, avg(abs(p - t) / t) AS gem_rel_fout,
             avg(((p < 12) = (t < 12))::INTEGER) AS zelfde_klein, avg((p < 12)::INTEGER) AS klein_p, avg((t < 12)::INTEGER) AS klein_t
      FROM m`,
      )
    )[0]!;
    console.log(
      `[ground truth ${SCALE}/${SEED}] hours at start: n ${r.n}, mean difference ${Number(r.gem_verschil).toFixed(2)} h, ` +
        `mean relative error ${(100 * Number(r.gem_rel_fout)).toFixed(1)}%, < 12 h pipeline ${(100 * Number(r.klein_p)).toFixed(1)}% vs truth ${(100 * Number(r.klein_t)).toFixed(1)}%`,
    );
    expect(Number(r.n)).toBeGreaterThan(100);
    expect(Math.abs(Number(r.gem_verschil))).toBeLessThan(0.5);
    expect(Number(r.gem_rel_fout)).toBeLessThan(0.05);
    expect(Math.abs(Number(r.klein_p) - Number(r.klein_t))).toBeLessThan(0.02);

    // mean weekly hours over the whole baan against the day-weighted contractual hours of its
    // ikv's, also for renewed contracts (the unregistered end of a renewed ikv is pro-rated)
    const all = await rows(
      conn,
      `
      WITH t AS (
        SELECT persoon_id, baan_nr,
               sum(uren_per_week::DOUBLE * (date_diff('day', startdatum::DATE, coalesce(einddatum::DATE, DATE '2020-12-31')) + 1))
                 / sum(date_diff('day', startdatum::DATE, coalesce(einddatum::DATE, DATE '2020-12-31')) + 1) AS uren
        FROM truth_ikvs GROUP BY ALL),
      m AS (
        SELECT b.n_ikv > 1 AS verlengd, b.uren_per_week AS p, t.uren AS t
        FROM gt_spells g JOIN gt_mine b USING (persoon_id, ikvs)
        JOIN truth_banen tb ON tb.persoon_id = g.persoon_id AND tb.baan_nr = g.laatste_baan_nr
        JOIN t ON t.persoon_id = g.persoon_id AND t.baan_nr = g.laatste_baan_nr
        WHERE g.n_truth_banen = 1 AND b.startdatum = tb.startdatum::DATE AND b.uren_per_week IS NOT NULL)
      SELECT verlengd, count(*) AS n, avg(p - t) AS gem_verschil, avg(abs(p - t) / t) AS gem_rel_fout FROM m GROUP BY ALL ORDER BY ALL`,
    );
    console.table(all);
    for (const x of all) {
      expect(Math.abs(Number(x.gem_verschil))).toBeLessThan(0.5);
      expect(Number(x.gem_rel_fout)).toBeLessThan(0.05);
    }
  });

  it("D7 monthly hours: no dip in the (partial) first month of the first paid job", async () => {
    // before hours were taken over the days employed, month 0 of the first job (started
    // mid-month, pro-rated pay) read as part-time
    const r = (
      await rows(
        conn,
        `
      SELECT avg(uren_per_week) FILTER (WHERE sinds_eerste_baan = 0) AS m0,
             avg(uren_per_week) FILTER (WHERE sinds_eerste_baan BETWEEN 1 AND 3) AS m13,
             count(*) FILTER (WHERE sinds_eerste_baan = 0 AND uren_per_week IS NOT NULL) AS n0
      FROM maandstatus WHERE werkt`,
      )
    )[0]!;
    console.log(
      `[ground truth ${SCALE}/${SEED}] D7 weekly hours: month 0 of the first job ${Number(r.m0).toFixed(2)} (n ${r.n0}), months 1-3 ${Number(r.m13).toFixed(2)}`,
    );
    expect(Number(r.n0)).toBeGreaterThan(20);
    expect(Math.abs(Number(r.m0) - Number(r.m13)) / Number(r.m13)).toBeLessThan(0.05);
  });

  it("job traits are those of the baan's last paid pay period, read from the corrected polis", async () => {
    // independent of int_ikv_maanden: every paid period of the baan's ikv's in its periods' months,
    // the last by end, then ikv, then start (the latest declaration of each period counts)
    const r = (
      await rows(
        conn,
        `
      WITH pol AS (
        SELECT * FROM stg_polis
        QUALIFY row_number() OVER (PARTITION BY ikv_id, tijdvak_aanvang ORDER BY aanleverdatum DESC, bron_bestand DESC, bron_regel DESC) = 1),
      per AS (
        SELECT bi.baan_id, p.* FROM int_baan_ikv bi JOIN pol p ON p.ikv_id = bi.ikv_id
          AND date_trunc('month', p.tijdvak_einde)::DATE BETWEEN bi.eerste_maand AND bi.laatste_maand
        WHERE p.loon_sv > 0),
      verwacht AS (
        SELECT baan_id,
               arg_max({'c': contractsoort::VARCHAR, 's': soort_baan::VARCHAR, 'k': sector::VARCHAR, 'g': grootteklasse::VARCHAR},
                       (tijdvak_einde, ikv_id, tijdvak_aanvang)) AS t,
               count(DISTINCT (contractsoort, soort_baan, sector, grootteklasse)) > 1 AS wisselt
        FROM per GROUP BY baan_id)
      SELECT count(*) AS n, count(*) FILTER (WHERE v.wisselt) AS wisselend,
             count(*) FILTER (WHERE b.contractsoort IS DISTINCT FROM v.t.c OR b.soort_baan IS DISTINCT FROM v.t.s
                                 OR b.sector IS DISTINCT FROM v.t.k OR b.grootteklasse IS DISTINCT FROM v.t.g) AS anders
      FROM banen b FULL JOIN verwacht v USING (baan_id)`,
      )
    )[0]!;
    console.log(`[ground truth ${SCALE}/${SEED}] job traits: ${r.n} banen, ${r.wisselend} with changing traits, ${r.anders} different`);
    expect(Number(r.wisselend)).toBeGreaterThan(10);
    expect(Number(r.anders)).toBe(0);
  });

  it("D6: the first service counted and its 'own organisation' flag agree with the truth", async () => {
    await conn.run(
      `CREATE OR REPLACE TABLE truth_diensten AS SELECT * FROM read_csv('${join(dir, "truth", "diensten.csv")}', header = true, all_varchar = true)`,
    );
    const r = (
      await rows(
        conn,
        `
      SELECT count(*) AS n,
             count(*) FILTER (WHERE e.reintegratie_eigen_organisatie = (t.eigen_organisatie = 'true')) AS eigen_gelijk,
             count(*) FILTER (WHERE t.eigen_organisatie IS NOT NULL) AS n_truth_flag
      FROM baaneindes e JOIN int_reintegratie r USING (baan_id)
      JOIN truth_diensten t ON t.dienst_id = r.reintegratie_dienst_id
      WHERE e.reintegratie = 1 AND e.jobcoach = 'extern'`,
      )
    )[0]!;
    console.log(
      `[ground truth ${SCALE}/${SEED}] D6 extern endings with a service: ${r.n}; own-organisation flag equal to the truth for ${r.eigen_gelijk} (truth flag present for ${r.n_truth_flag})`,
    );
    expect(Number(r.n)).toBeGreaterThan(0);
    expect(Number(r.eigen_gelijk) / Number(r.n)).toBeGreaterThan(0.9);
    // a service counted as "started before the end" was truly still running at E (Sonar leaves
    // einddatum empty on many ended services; resultaat tells them apart)
    const v = (
      await rows(
        conn,
        `
      SELECT count(*) AS n,
             count(*) FILTER (WHERE t.einddatum IS NULL OR t.einddatum::DATE >= e.einddatum) AS loopt_bij_einde
      FROM baaneindes e JOIN int_reintegratie r USING (baan_id)
      JOIN truth_diensten t ON t.dienst_id = r.reintegratie_dienst_id
      WHERE e.reintegratie_voor_einde`,
      )
    )[0]!;
    console.log(`[ground truth ${SCALE}/${SEED}] D6 services before the end: ${v.n}, truly running at E: ${v.loopt_bij_einde}`);
    expect(Number(v.loopt_bij_einde)).toBe(Number(v.n));
  });

  it("D7 states and months equal the definition read on calendar dates, under every reading of a proefplaatsing without end", async () => {
    // maandstatus counts in month numbers relative to month 0; this reads the definition on the
    // calendar months themselves (a baan, toegekend period or proefplaatsing overlaps the month)
    const state = async () =>
      (
        await rows(
          conn,
          `
      WITH c AS (
          SELECT persoon_id, min(startdatum_jobcoach) AS start, count(*) AS n, min(maand) AS m_min, max(maand) AS m_max,
                 count(*) FILTER (WHERE kalendermaand <> (date_trunc('month', startdatum_jobcoach) + to_months(maand))::DATE) AS kal_fout
          FROM maandstatus GROUP BY persoon_id
      ), ref AS (
          SELECT m.persoon_id, m.maand, m.status, m.werkt,
                 EXISTS (SELECT 1 FROM stg_sonar s WHERE s.persoon_id = m.persoon_id AND s.dienst = 'proefplaatsing'
                         AND s.startdatum <= last_day(m.kalendermaand)
                         AND (s.einddatum >= m.kalendermaand
                              OR (s.einddatum IS NULL AND m.kalendermaand < s.startdatum + to_months(getvariable('k'))
                                  AND (getvariable('modus') = 'lopend' OR coalesce(s.resultaat, 'lopend') = 'lopend'
                                       OR m.kalendermaand <= s.startdatum)))) AS pp,
                 EXISTS (SELECT 1 FROM banen b WHERE b.persoon_id = m.persoon_id AND b.startdatum <= last_day(m.kalendermaand)
                         AND (b.einddatum IS NULL OR b.einddatum >= m.kalendermaand)) AS werk,
                 EXISTS (SELECT 1 FROM stg_jobcoachportaal p WHERE p.status = 'toegekend' AND p.persoon_id = m.persoon_id
                         AND p.begindatum <= last_day(m.kalendermaand) AND p.einddatum >= m.kalendermaand) AS jc
          FROM maandstatus m
      )
      SELECT count(*) AS n,
             count(*) FILTER (WHERE pp) AS n_pp,
             count(*) FILTER (WHERE status IS DISTINCT FROM CASE WHEN pp THEN 'proefplaatsing' WHEN werk AND jc THEN 'werk_met_jobcoach'
                                   WHEN werk THEN 'werk_zonder_jobcoach' ELSE 'geen_werk' END OR werkt IS DISTINCT FROM werk) AS fout,
             (SELECT count(*) FROM c CROSS JOIN int_observatie o
              WHERE m_min <> 0 OR n <> m_max + 1 OR kal_fout > 0
                 OR m_max <> least(${DEFAULTS.d7.maanden}, date_diff('month', date_trunc('month', start), o.data_einde_maand))) AS maanden_fout
      FROM ref`,
        )
      )[0]!;
    const counts: Record<string, number> = {};
    // the world's proefplaatsingen without end are all still running (resultaat lopend): half of
    // them lose their end here, two thirds of those with a final resultaat,
    // so every branch of the definition decides months
    await conn.run("CREATE TEMP TABLE sonar_bewaard AS SELECT * FROM stg_sonar");
    try {
      await conn.run(`
        UPDATE stg_sonar SET einddatum = NULL,
               resultaat = CASE hash(dienst_id) % 3 WHEN 0 THEN 'geen_plaatsing' WHEN 1 THEN 'plaatsing' ELSE 'lopend' END
        WHERE dienst = 'proefplaatsing' AND hash(dienst_id || 'x') % 2 = 0`);
      for (const [modus, k] of [
        ["zoals_dienst", 6],
        ["lopend", 6],
        ["zoals_dienst", 24],
        ["lopend", 24],
        ["lopend", 1],
      ] as const) {
        const params = { ...DEFAULTS, d5: { ...DEFAULTS.d5, proefplaatsingZonderEinde: modus, proefplaatsingMaxMaanden: k } };
        await runDerivations(conn, params);
        await conn.run(`SET VARIABLE modus = '${modus}'; SET VARIABLE k = ${k}`);
        const r = await state();
        expect(Number(r.n)).toBeGreaterThan(1000);
        expect(Number(r.fout), `${modus} ${k}`).toBe(0);
        expect(Number(r.maanden_fout), `${modus} ${k}`).toBe(0);
        counts[`${modus} ${k}`] = Number(r.n_pp);
      }
    } finally {
      await conn.run("DELETE FROM stg_sonar; INSERT INTO stg_sonar SELECT * FROM sonar_bewaard; DROP TABLE sonar_bewaard");
      await runDerivations(conn);
    }
    console.log(`[ground truth ${SCALE}/${SEED}] D7 person-months in a proefplaatsing per reading: ${JSON.stringify(counts)}`);
    // the readings differ on this world, so each was tested on months it decides
    expect(counts["lopend 24"]).toBeGreaterThan(counts["zoals_dienst 24"]!);
    expect(counts["zoals_dienst 24"]).toBeGreaterThan(counts["zoals_dienst 6"]!);
    expect(counts["lopend 6"]).toBeGreaterThan(counts["lopend 1"]!);
  });
});
