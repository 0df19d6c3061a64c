import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_PARAMETERS as P } from "../../data/generator/parameters.ts";
import { dayNumber, monthKey, readTable, type Table } from "./helpers.ts";
import { observeIkvs } from "./polis-d1.ts";
import { UNIT_WORLD } from "../setup/unit-world.ts";

describe("messiness appears near its configured rate", () => {
  let dir: string;
  let polis: Table;
  let ikvs: Table;
  let banen: Table;
  let portal: Table;
  let sonar: Table;
  let diensten: Table;
  let uitkeringen: Table;
  beforeAll(() => {
    dir = inject("unitWorld"); // the unit tier's shared world (test/setup/unit-world.ts), read only
    const x = (n: string) => readTable(join(dir, "extracts", `${n}.csv`));
    const t = (n: string) => readTable(join(dir, "truth", `${n}.csv`));
    polis = x("polis");
    portal = x("jobcoachportaal");
    sonar = x("sonar");
    uitkeringen = x("uitkeringen");
    ikvs = t("ikvs");
    banen = t("banen");
    diensten = t("diensten");
  });

  it("generator.json records scale, seed, every rate and the row counts", () => {
    const m = JSON.parse(readFileSync(join(dir, "generator.json"), "utf8"));
    expect(m.scale).toBe(UNIT_WORLD.scale);
    expect(m.seed).toBe(UNIT_WORLD.seed);
    expect(m.parameters).toEqual(JSON.parse(JSON.stringify(P)));
    expect(m.extracts.polis.rows).toBe(polis.rows.length);
    expect(m.truth.banen.rows).toBe(banen.rows.length);
  });

  it("most ended ikv's lack datum_einde_ikv; the registered share is near the rate", () => {
    const c = ikvs.col;
    const ended = ikvs.rows.filter((r) => r[c("einddatum")] !== "" && r[c("einddatum")]! >= "2013-01-01");
    const registered = ended.filter((r) => r[c("einde_geregistreerd")] === "true").length / ended.length;
    expect(ended.length).toBeGreaterThan(1000);
    expect(registered).toBeGreaterThan(P.messiness.registeredEnd - 0.04);
    expect(registered).toBeLessThan(P.messiness.registeredEnd + 0.04);
    const inPolis = new Set(polis.rows.filter((r) => r[polis.col("datum_einde_ikv")] !== "").map((r) => r[polis.col("ikv_id")]));
    expect(inPolis.size).toBe(ended.filter((r) => r[c("einde_geregistreerd")] === "true").length);
  });

  it("corrections: duplicate ikv + tijdvak with a later aanleverdatum, near the rate", () => {
    const c = polis.col;
    const seen = new Map<string, string[]>();
    let duplicates = 0;
    let differ = 0;
    for (const r of polis.rows) {
      const key = `${r[c("ikv_id")]}|${r[c("tijdvak_aanvang")]}`;
      const prev = seen.get(key);
      if (prev) {
        duplicates++;
        expect(prev[c("aanleverdatum")]).not.toBe(r[c("aanleverdatum")]);
        if (prev[c("loon_sv")] !== r[c("loon_sv")] || prev[c("uren")] !== r[c("uren")]) differ++;
      } else seen.set(key, r);
    }
    const rate = duplicates / seen.size;
    expect(rate).toBeGreaterThan(P.messiness.correction * 0.7);
    expect(rate).toBeLessThan(P.messiness.correction * 1.3);
    expect(differ / duplicates).toBeGreaterThan(0.9);
  });

  it("months without pay inside jobs: rows with loon_sv = 0 and missing months, gaps of 1–2 months only", () => {
    const zeroRows = polis.rows.filter((r) => r[polis.col("loon_sv")] === "0.00").length;
    expect(zeroRows).toBeGreaterThan(0);
    const observed = observeIkvs(polis);
    let gapMonths = 0;
    let jobMonths = 0;
    let missing = 0;
    for (const o of observed.values()) {
      const months = [...o.payMonths].sort((a, b) => a - b);
      for (let i = 1; i < months.length; i++) {
        const gap = months[i]! - months[i - 1]! - 1;
        expect(gap).toBeLessThanOrEqual(2);
        gapMonths += gap;
        for (let m = months[i - 1]! + 1; m < months[i]!; m++) if (!o.monthsSeen.has(m)) missing++;
      }
      jobMonths += months.length ? months[months.length - 1]! - months[0]! + 1 : 0;
    }
    expect(missing).toBeGreaterThan(0);
    // a gap starts with probability `zeroPayGap` per month and lasts 1.4 months on average
    const rate = gapMonths / jobMonths;
    expect(rate).toBeGreaterThan(P.messiness.zeroPayGap * 0.7);
    expect(rate).toBeLessThan(P.messiness.zeroPayGap * 1.6);
  });

  it("4-weekly pay periods at some employers", () => {
    const c = polis.col;
    const employers = new Map<string, boolean>();
    for (const r of polis.rows) {
      const len = dayNumber(r[c("tijdvak_einde")]!) - dayNumber(r[c("tijdvak_aanvang")]!) + 1;
      const monthly = r[c("tijdvak_aanvang")]!.endsWith("-01") && monthKey(r[c("tijdvak_aanvang")]!) === monthKey(r[c("tijdvak_einde")]!);
      if (!monthly) expect(len).toBeLessThanOrEqual(28);
      employers.set(r[c("werkgever_id")]!, (employers.get(r[c("werkgever_id")]!) ?? false) || !monthly);
    }
    const fourWeekly = [...employers.values()].filter(Boolean).length / employers.size;
    expect(fourWeekly).toBeGreaterThan(P.work.fourWeeklyEmployers * 0.6);
    expect(fourWeekly).toBeLessThan(P.work.fourWeeklyEmployers * 2.5);
  });

  it("contract renewals are new ikv's at the same employer", () => {
    const multi = banen.rows.filter((r) => Number(r[banen.col("n_ikv")]) > 1);
    expect(multi.length / banen.rows.length).toBeGreaterThan(0.1);
  });

  it("jobcoach periods under the hirer, refused and withdrawn periods", () => {
    const b = banen.col;
    const coached = banen.rows.filter((r) => r[b("jobcoach")] !== "geen");
    const hirer = coached.filter((r) => r[b("jobcoach_onder_inlener")] === "true");
    expect(hirer.length).toBeGreaterThan(0);
    // registered under a werkgever_id that is not the job's polis employer
    for (const r of hirer) expect(r[b("jobcoach_werkgever_id")]).not.toBe(r[b("werkgever_id")]);
    const p = portal.col;
    const since2013 = portal.rows.filter((r) => r[p("begindatum")]! >= "2013-01-01");
    const refused = since2013.filter((r) => r[p("status")] === "afgewezen").length;
    const withdrawn = since2013.filter((r) => r[p("status")] === "ingetrokken").length;
    // noise rows are applications at the start of a job that got no jobcoach
    const uncoachedJobs = banen.rows.filter((r) => r[b("jobcoach")] === "geen" && r[b("startdatum")]! >= "2013-01-01").length;
    expect(refused / uncoachedJobs).toBeGreaterThan(P.messiness.portalRefused * 0.6);
    expect(refused / uncoachedJobs).toBeLessThan(P.messiness.portalRefused * 1.6);
    expect(withdrawn).toBeGreaterThan(0);
  });

  it("services without end date near the rate; deaths and pensions in the benefits", () => {
    const d = diensten.col;
    const ended = diensten.rows.filter((r) => r[d("einddatum")] !== "");
    const noEnd = ended.filter((r) => r[d("einddatum_geregistreerd")] === "false");
    expect(noEnd.length / ended.length).toBeGreaterThan(P.messiness.serviceWithoutEnd * 0.5);
    expect(noEnd.length / ended.length).toBeLessThan(P.messiness.serviceWithoutEnd * 1.6);
    const sonarById = new Map(sonar.rows.map((r) => [r[sonar.col("dienst_id")], r]));
    for (const r of noEnd) {
      const s = sonarById.get(r[d("dienst_id")])!;
      expect(s[sonar.col("einddatum")]).toBe("");
      expect(s[sonar.col("resultaat")]).not.toBe("lopend");
    }
    const reasons = uitkeringen.rows.map((r) => r[uitkeringen.col("reden_einde")]);
    expect(reasons.filter((r) => r === "overlijden").length).toBeGreaterThan(10);
    expect(reasons.filter((r) => r === "pensioen").length).toBeGreaterThan(10);
  });
});
