import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { monthKey, readTable, dayNumber, type Table } from "./helpers.ts";
import { d1Banen, longestGapInside, observeIkvs, type IkvObserved } from "./polis-d1.ts";

const WINDOW_START = "2013-01-01";
const DATA_END_MONTH = monthKey("2020-12-31");

describe("truth and extracts agree (as D1 expects)", () => {
  let dir: string;
  let polis: Table;
  let banen: Table;
  let ikvs: Table;
  let portal: Table;
  let perioden: Table;
  let observed: Map<string, IkvObserved>;
  beforeAll(() => {
    dir = inject("unitWorld"); // the unit tier's shared world (test/setup/unit-world.ts), read only
    polis = readTable(join(dir, "extracts", "polis.csv"));
    portal = readTable(join(dir, "extracts", "jobcoachportaal.csv"));
    banen = readTable(join(dir, "truth", "banen.csv"));
    ikvs = readTable(join(dir, "truth", "ikvs.csv"));
    perioden = readTable(join(dir, "truth", "jobcoach_perioden.csv"));
    observed = observeIkvs(polis);
  });

  it("every true ikv is in the polis with its employer and start; pay in its first observed and true last month; no gap of 3+ months", () => {
    const c = ikvs.col;
    let checkedEnds = 0;
    for (const row of ikvs.rows) {
      if (row[c("einddatum")] !== "" && row[c("einddatum")]! < WINDOW_START) {
        expect(observed.has(row[c("ikv_id")]!)).toBe(false);
        continue;
      }
      if (row[c("vierwekelijks")] === "true" && row[c("startdatum")]! >= "2020-12-04" && !observed.has(row[c("ikv_id")]!)) continue;
      const o = observed.get(row[c("ikv_id")]!);
      if (!o) throw new Error(`ikv ${row[c("ikv_id")]} missing in polis`);
      expect(o.werkgever).toBe(row[c("werkgever_id")]);
      expect(o.start).toBe(row[c("startdatum")]);
      expect(o.payMonths.size).toBeGreaterThan(0);
      if (longestGapInside(o.payMonths) >= 3) throw new Error(`ikv ${o.ikv}: 3+ months without pay inside the job`);
      const end = row[c("einddatum")];
      if (end !== "") {
        expect(Math.max(...o.payMonths)).toBe(monthKey(end!));
        checkedEnds++;
      } else expect(Math.max(...o.payMonths)).toBe(DATA_END_MONTH);
      expect(Math.min(...o.payMonths)).toBeGreaterThanOrEqual(monthKey(row[c("startdatum")]!));
      if (row[c("startdatum")]! >= WINDOW_START) expect(Math.min(...o.payMonths)).toBeLessThanOrEqual(monthKey(row[c("startdatum")]!) + 1);
    }
    expect(checkedEnds).toBeGreaterThan(100);
  });

  it("registered ends equal the true end; unregistered ends are not in the polis", () => {
    const c = ikvs.col;
    let registered = 0;
    for (const row of ikvs.rows) {
      const o = observed.get(row[c("ikv_id")]!);
      if (!o) continue;
      if (row[c("einde_geregistreerd")] === "true") {
        registered++;
        expect(o.registeredEnd).toBe(row[c("einddatum")]);
      } else expect(o.registeredEnd).toBe("");
    }
    expect(registered).toBeGreaterThan(50);
  });

  it("renewals: the ikv's of one true job are at one employer with gaps of at most 31 days; distinct jobs at one employer are further apart", () => {
    const c = ikvs.col;
    const byJob = new Map<string, string[][]>();
    for (const row of ikvs.rows) {
      const key = `${row[c("persoon_id")]}-${row[c("baan_nr")]}`;
      (byJob.get(key) ?? byJob.set(key, []).get(key)!).push(row);
    }
    let renewals = 0;
    for (const list of byJob.values()) {
      for (let i = 1; i < list.length; i++) {
        renewals++;
        expect(list[i]![c("werkgever_id")]).toBe(list[i - 1]![c("werkgever_id")]);
        const gap = dayNumber(list[i]![c("startdatum")]!) - dayNumber(list[i - 1]![c("einddatum")]!);
        expect(gap).toBeGreaterThanOrEqual(1);
        expect(gap).toBeLessThanOrEqual(31);
      }
    }
    expect(renewals).toBeGreaterThan(50);
    const b = banen.col;
    const byEmployer = new Map<string, string[][]>();
    for (const row of banen.rows) {
      const key = `${row[b("persoon_id")]}|${row[b("werkgever_id")]}`;
      (byEmployer.get(key) ?? byEmployer.set(key, []).get(key)!).push(row);
    }
    for (const list of byEmployer.values()) {
      list.sort((x, y) => (x[b("startdatum")]! < y[b("startdatum")]! ? -1 : 1));
      for (let i = 1; i < list.length; i++) {
        const prevEnd = list[i - 1]![b("einddatum")];
        expect(prevEnd).not.toBe("");
        expect(dayNumber(list[i]![b("startdatum")]!) - dayNumber(prevEnd!)).toBeGreaterThan(61);
      }
    }
  });

  it("D1 applied to the polis recovers the true jobs: same count, same ikv's, exact or month-end ends", () => {
    const d1 = d1Banen(observed, DATA_END_MONTH);
    const b = banen.col;
    const byFirstIkv = new Map(d1.map((x) => [x.ikvs[0], x]));
    let exact = 0;
    let monthEnd = 0;
    let censored = 0;
    const visible = banen.rows.filter((row) => row[b("ikv_ids_extract")] !== "");
    for (const row of visible) {
      const ids = row[b("ikv_ids_extract")]!.split("|");
      const found = byFirstIkv.get(ids[0]);
      if (!found) throw new Error(`true job ${row[b("baan_id")]} not recovered by D1`);
      expect(found.ikvs, row[b("baan_id")]).toEqual(ids);
      if (ids[0] === row[b("ikv_ids")]!.split("|")[0]) expect(found.start).toBe(row[b("startdatum")]);
      const end = row[b("einddatum")]!;
      const lastIkv = ikvs.rows.find((k) => k[ikvs.col("ikv_id")] === ids[ids.length - 1])!;
      if (end === "" && lastIkv[ikvs.col("einddatum")] !== "") {
        // renewed after the window: the polis shows the ikv ending, the job goes on
        if (found.end !== null) expect(monthKey(found.end)).toBe(monthKey(lastIkv[ikvs.col("einddatum")]!));
      } else if (end === "") expect(found.end).toBeNull();
      else if (row[b("einde_geregistreerd")] === "true") {
        expect(found.end).toBe(end);
        exact++;
      } else if (found.end === null) {
        // too close to the data end to see 3 months without pay
        expect(DATA_END_MONTH - monthKey(end)).toBeLessThan(3);
        censored++;
      } else {
        expect(monthKey(found.end)).toBe(monthKey(end));
        expect(found.end >= end).toBe(true);
        monthEnd++;
      }
    }
    expect(d1.length).toBe(visible.length);
    expect(exact).toBeGreaterThan(50);
    expect(monthEnd).toBeGreaterThan(exact);
    expect(censored).toBeGreaterThan(0);
  });

  it("coached jobs have a granted portal period overlapping them under the registered employer", () => {
    const b = banen.col;
    const p = portal.col;
    const periodsByPerson = new Map<string, string[][]>();
    for (const row of portal.rows) {
      if (row[p("status")] !== "toegekend") continue;
      (periodsByPerson.get(row[p("persoon_id")]!) ?? periodsByPerson.set(row[p("persoon_id")]!, []).get(row[p("persoon_id")]!)!).push(row);
    }
    let coached = 0;
    let hirer = 0;
    for (const row of banen.rows) {
      if (row[b("jobcoach")] === "geen") continue;
      coached++;
      if (row[b("jobcoach_onder_inlener")] === "true") hirer++;
      const start = row[b("startdatum")]!;
      const end = row[b("einddatum")] || "2999-12-31";
      const match = (periodsByPerson.get(row[b("persoon_id")]!) ?? []).some(
        (x) =>
          x[p("werkgever_id")] === row[b("jobcoach_werkgever_id")] &&
          x[p("soort")] === row[b("jobcoach")] &&
          x[p("begindatum")]! <= end &&
          x[p("einddatum")]! >= start,
      );
      if (!match) throw new Error(`coached job ${row[b("baan_id")]} has no overlapping granted period`);
    }
    expect(coached).toBeGreaterThan(100);
    expect(hirer).toBeGreaterThan(0);
    // truth and portal hold the same rows
    expect(perioden.rows.length).toBe(portal.rows.length);
  });
});
