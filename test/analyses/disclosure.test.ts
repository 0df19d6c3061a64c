import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "../../core/sql.ts";
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  copyRows,
  finalize,
  hideSharesOfSmallCounts,
  hideSmallCounts,
  requireDenominator,
  scanPublished,
  secondarySuppression,
  type DisclosureRules,
} from "../../analyses/disclosure/index.ts";
import { runSurvival } from "../../analyses/lib/survival-analysis.ts";
import { publishSurvival } from "../../analyses/disclosure/survival.ts";
import { resetPartnerChoice, setPartnerChoice } from "../../analyses/disclosure/partner-key.ts";
import baaneindes_per_jaar from "../../analyses/catalogue/baaneindes_per_jaar.ts";
import baanduur from "../../analyses/catalogue/baanduur.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import type { Row } from "../../analyses/types.ts";
import { createMarts, memoryDb, type FixRow } from "../fixtures/analyses/marts.ts";

const rules: DisclosureRules = { minAantal: 10, minNoemer: 50, minAtRisk: 10, curveGrid: [0, 7, 30, 91, 182, 365], beschermingsmarge: 5 };

describe("disclosure control: attempts to leak come out hidden", () => {
  let conn: DuckDBConnection;
  let close: () => void;
  beforeAll(async () => {
    ({ conn, close } = await memoryDb());
  });
  afterAll(() => close());

  it("a group of 3 persons: its count is hidden, 0 stays visible", () => {
    const rows: Row[] = [
      { groep: "a", personen: 3 },
      { groep: "b", personen: 120 },
      { groep: "c", personen: 0 },
    ];
    const t = copyRows(rows);
    hideSmallCounts(t, ["personen"], rules);
    const out = finalize(t, ["groep", "personen"]);
    expect(out[0]).toEqual({ groep: "a", personen: null, onderdrukt: true });
    expect(out[1]).toEqual({ groep: "b", personen: 120, onderdrukt: false });
    expect(out[2]!.personen).toBe(0);
    expect(rows[0]!.personen).toBe(3); // the full-precision result is untouched
  });

  it("a total minus the visible cells: another cell is hidden too, chosen by the run's key, not by its value", () => {
    const year = (intern: number, geen: number): Row[] => [
      { jaar: 2015, jobcoach: "extern", aantal: 4 },
      { jaar: 2015, jobcoach: "intern", aantal: intern },
      { jaar: 2015, jobcoach: "geen", aantal: geen },
      { jaar: 2015, jobcoach: "totaal", aantal: intern + geen + 4 },
    ];
    const partnerOf = (t: Row[]) => {
      hideSmallCounts(t, ["aantal"], rules);
      secondarySuppression(t, "aantal", [{ key: (r) => String(r.jaar), isTotal: (r) => r.jobcoach === "totaal" }]);
      const out = finalize(t, ["jaar", "jobcoach", "aantal"]);
      expect(out[0]!.aantal).toBeNull();
      expect(out[3]!.aantal).not.toBeNull();
      // nothing can be derived: the total minus the shown part is the sum of two unknowns
      expect(out.filter((r) => r.aantal === null)).toHaveLength(2);
      return out.findIndex((r, i) => i > 0 && r.aantal === null);
    };
    const chosen = new Set<number>();
    try {
      for (const key of ["a", "b", "c", "d", "e", "f", "g", "h"]) {
        setPartnerChoice({ key, marge: 5 });
        // the same cell whichever of the two holds the larger value: the values do not choose
        const p = partnerOf(year(25, 300));
        expect(partnerOf(year(300, 25))).toBe(p);
        chosen.add(p);
      }
    } finally {
      resetPartnerChoice();
    }
    // over keys, either part can be the partner
    expect([...chosen].sort()).toEqual([1, 2]);
  });

  it("secondary suppression also holds when the total is published elsewhere", () => {
    const t: Row[] = [
      { k: "0", n: 5 },
      { k: "1", n: 80 },
      { k: "2", n: 12 },
      { k: "3", n: 0 },
    ];
    hideSmallCounts(t, ["n"], rules);
    secondarySuppression(t, "n", [{ key: () => "", totalKnown: true }]);
    expect(t.map((r) => r.n)).toEqual([null, 80, null, 0]);
  });

  it("a two-way table: suppression propagates over rows and columns", () => {
    const t: Row[] = [];
    const vals: Record<string, number[]> = { extern: [3, 40, 50], intern: [30, 40, 50], geen: [300, 400, 500] };
    for (const [jc, v] of Object.entries(vals)) v.forEach((n, i) => t.push({ jobcoach: jc, klasse: String(i), aantal: n }));
    for (let i = 0; i < 3; i++)
      t.push({ jobcoach: "totaal", klasse: String(i), aantal: vals.extern![i]! + vals.intern![i]! + vals.geen![i]! });
    hideSmallCounts(t, ["aantal"], rules);
    secondarySuppression(t, "aantal", [
      { key: (r) => String(r.jobcoach), totalKnown: true },
      { key: (r) => String(r.klasse), isTotal: (r) => r.jobcoach === "totaal" },
    ]);
    // every row group and column group has 0 or ≥ 2 hidden cells
    const groups = (key: (r: Row) => string, filter: (r: Row) => boolean) => {
      const m = new Map<string, number>();
      for (const r of t.filter(filter)) m.set(key(r), (m.get(key(r)) ?? 0) + (r.aantal === null ? 1 : 0));
      return [...m.values()];
    };
    for (const h of groups(
      (r) => String(r.jobcoach),
      () => true,
    ))
      expect(h === 0 || h >= 2).toBe(true);
    for (const h of groups(
      (r) => String(r.klasse),
      (r) => r.jobcoach !== "totaal",
    ))
      expect(h === 0 || h >= 2).toBe(true);
  });

  it("a mean of 2 wages is hidden (denominator below minNoemer)", () => {
    const t: Row[] = [
      { groep: "klein", personen: 2, gemiddelde: 12.34 },
      { groep: "groot", personen: 400, gemiddelde: 10.5 },
    ];
    requireDenominator(t, ["gemiddelde"], (r) => r.personen!, rules);
    hideSmallCounts(t, ["personen"], rules);
    const out = finalize(t, ["groep", "personen", "gemiddelde"]);
    expect(out[0]).toEqual({ groep: "klein", personen: null, gemiddelde: null, onderdrukt: true });
    expect(out[1]!.gemiddelde).toBe(10.5);
  });

  it("a share with a small numerator or complement is hidden", () => {
    const t: Row[] = [
      { n: 200, k: 3, aandeel: 3 / 200 },
      { n: 200, k: 197, aandeel: 197 / 200 },
      { n: 200, k: 100, aandeel: 0.5 },
    ];
    hideSharesOfSmallCounts(
      t,
      ["aandeel"],
      (r) => r.k!,
      (r) => r.n!,
      rules,
    );
    expect(t.map((r) => r.aandeel)).toEqual([null, null, 0.5]);
  });

  it("jobcoach_indices: a raw permanent-contract share resting on 3 persons is hidden", async () => {
    const { default: indices } = await import("../../analyses/catalogue/jobcoach_indices.ts");
    const full = {
      tabellen: {
        indices: [
          {
            groep: "Wajong",
            soort_jobcoach: "alle",
            maatstaf: "aandeel_onbepaald",
            maand: 0,
            index: 100,
            coefficient: 0,
            ruw_gemiddelde: 3 / 200,
            personen: 200,
            personen_maand0: 200,
          },
          {
            groep: "Wajong",
            soort_jobcoach: "alle",
            maatstaf: "aandeel_onbepaald",
            maand: 1,
            index: 150,
            coefficient: 0.5,
            ruw_gemiddelde: 0.5,
            personen: 200,
            personen_maand0: 200,
          },
          {
            groep: "Wajong",
            soort_jobcoach: "alle",
            maatstaf: "uurloon_reeel",
            maand: 1,
            index: 101,
            coefficient: 0.1,
            ruw_gemiddelde: 9.5,
            personen: 2,
            personen_maand0: 200,
          },
        ],
      },
    };
    const out = indices.publish(full, rules, indices.parameters(DEFAULTS)).indices!;
    expect(out[0]!.ruw_gemiddelde).toBeNull();
    expect(out[1]!.ruw_gemiddelde).toBe(0.5);
    expect(out[2]).toMatchObject({ ruw_gemiddelde: null, index: null, personen: null, onderdrukt: true }); // mean of 2 wages
  });

  it("a curve's tail: no grid point where a shown group has fewer than minAtRisk at risk", async () => {
    // geen: 60 endings, a new job for 10 of them on each of days 0, 30, …, 150; intern: 100, 10 on
    // each of days 0, 10, …, 90; extern: 60 endings of which 41 censored at day 20 and 10 with a
    // new job on day 25
    const rows: FixRow[] = [];
    for (let i = 0; i < 60; i++)
      rows.push({ persoon_id: `a${i}`, jobcoach: "geen", dagen_tot_volgende_baan: 30 * Math.floor(i / 10), volgende_baan: 1 });
    for (let i = 0; i < 100; i++)
      rows.push({ persoon_id: `c${i}`, jobcoach: "intern", dagen_tot_volgende_baan: 10 * Math.floor(i / 10), volgende_baan: 1 });
    for (let i = 0; i < 60; i++)
      rows.push({
        persoon_id: `b${i}`,
        jobcoach: "extern",
        dagen_tot_volgende_baan: i < 41 ? 20 : i < 51 ? 25 : 200 + i,
        volgende_baan: i < 41 ? 0 : 1,
      });
    await createMarts(conn, { baaneindes: rows });
    const res = await runSurvival(conn, {
      bron: sql`baaneindes`,
      tijd: sql`dagen_tot_volgende_baan`,
      status: sql`volgende_baan`,
      kenmerken: ["jobcoach"],
      methoden: ["km"],
      confType: "log",
      confLevel: 0.95,
      leespunten: [7, 30, 365],
      variantie: "robuust",
      persoon: sql`persoon_id`,
    });
    const pub = publishSurvival(res, rules);
    // rows beyond a group's last day are there (for the attacker check) with every value hidden
    for (const r of pub.curve!) expect(r.n_risico === null).toBe(r.onderdrukt);
    const daysOf = (g: string) => pub.curve!.filter((r) => r.groep === g && r.n_risico !== null).map((r) => r.dag);
    expect(daysOf("extern")).toEqual([0, 7]); // at day 30 group b has 9 at risk: its curve stops
    // … and geen (50 at risk) stops with it, or totaal − intern − geen would give those 9
    expect(daysOf("geen")).toEqual([0, 7]);
    expect(daysOf("intern")).toEqual([0, 7, 30]); // at day 91 nobody in intern is at risk
    for (const r of pub.curve!) if (r.n_risico !== null) expect(r.n_risico as number).toBeGreaterThanOrEqual(10);
    const lp = pub.leespunten!.filter((r) => r.dag === 30 || r.dag === 365);
    expect(lp.length).toBe(6);
    for (const r of lp) {
      const shown = r.groep === "intern" && r.dag === 30; // 70 at risk
      expect(r.cum_incidentie === null).toBe(!shown);
      expect(r.onderdrukt === true).toBe(!shown);
    }
    // the full-precision result still has them
    expect(res.leespunten!.find((r) => r.dag === 30 && r.groep === "geen")!.cum_incidentie).toBeGreaterThan(0);
    // never individual event times
    for (const r of pub.curve!) expect(rules.curveGrid).toContain(r.dag);
  });

  it("a survival group of 3 persons is not shown, its count hidden", async () => {
    const rows: FixRow[] = [];
    for (let i = 0; i < 80; i++)
      rows.push({ persoon_id: `g${i}`, jobcoach: "geen", dagen_tot_volgende_baan: 10 * Math.floor(i / 10), volgende_baan: 1 });
    for (let i = 0; i < 3; i++) rows.push({ persoon_id: `i${i}`, jobcoach: "intern", dagen_tot_volgende_baan: 3 + i, volgende_baan: 1 });
    // extern: 10 new jobs on day 15, 10 on day 50, 40 censored on day 400
    for (let i = 0; i < 60; i++)
      rows.push({
        persoon_id: `e${i}`,
        jobcoach: "extern",
        dagen_tot_volgende_baan: i < 10 ? 15 : i < 20 ? 50 : 400,
        volgende_baan: i < 20 ? 1 : 0,
      });
    await createMarts(conn, { baaneindes: rows });
    const res = await runSurvival(conn, {
      bron: sql`baaneindes`,
      tijd: sql`dagen_tot_volgende_baan`,
      status: sql`volgende_baan`,
      kenmerken: ["jobcoach"],
      methoden: ["km"],
      confType: "log",
      confLevel: 0.95,
      leespunten: [7],
      variantie: "robuust",
      persoon: sql`persoon_id`,
    });
    const pub = publishSurvival(res, rules);
    const shownCurve = pub.curve!.filter((r) => r.cum_incidentie !== null);
    expect(shownCurve.filter((r) => r.groep === "intern")).toEqual([]);
    // the small group has < 10 at risk from day 0: no curve at all; totaal − geen − extern would
    // give it back, so the smaller of the two (extern) is not drawn either; geen is
    expect(shownCurve.filter((r) => r.groep === "extern")).toEqual([]);
    expect(shownCurve.length).toBeGreaterThan(0);
    for (const r of shownCurve) expect(r.groep === "geen" && (r.n_risico as number) >= 10).toBe(true);
    expect(pub.aantallen!.find((r) => r.groep === "intern")!.n).toBeNull();
    expect(pub.mediaan!.find((r) => r.groep === "intern")!.mediaan).toBeNull();
  });

  it("the final scan rejects ids from the marts, dates and id columns", async () => {
    await createMarts(conn, {
      personen: [{ persoon_id: "P000123" }],
      banen: [{ baan_id: "P000123-1", persoon_id: "P000123", werkgever_id: "W77" }],
      diensten: [{ dienst_id: "D1", aanbieder_id: "ORG5" }],
    });
    await expect(scanPublished(conn, [{ label: "x", tabellen: { t: [{ groep: "P000123" }] } }])).rejects.toThrow(/id uit de marts/);
    await expect(scanPublished(conn, [{ label: "x", tabellen: { t: [{ groep: "ORG5" }] } }])).rejects.toThrow(/ORG5/);
    await expect(scanPublished(conn, [{ label: "x", tabellen: { t: [{ groep: "W77" }] } }])).rejects.toThrow(/W77/);
    await expect(scanPublished(conn, [{ label: "x", tabellen: { t: [{ dag: "2017-03-04" }] } }])).rejects.toThrow(/datum/);
    await expect(scanPublished(conn, [{ label: "x", tabellen: { t: [{ persoon_id: 1 }] } }])).rejects.toThrow(/verboden kolom/);
    await expect(
      scanPublished(conn, [{ label: "x", tabellen: { t: [{ groep: "extern", maand: "2017-03", n: 5 }] } }]),
    ).resolves.toBeUndefined();
    // one scan over the whole set names the analysis that publishes the id
    const set = [
      { label: "a", tabellen: { t: [{ groep: "extern" }] } },
      { label: "b", tabellen: { t: [{ groep: "W77" }, { groep: "extern" }] } },
    ];
    await expect(scanPublished(conn, set)).rejects.toThrow(/: b: waarde\(n\) die een id uit de marts zijn: W77$/);
    expect(() => finalize([{ werkgever_id: "x" }], ["werkgever_id"])).toThrow(/mag niet/);
  });

  it("a published analysis leaks nothing: small year cells hidden with their shares", async () => {
    const rows: FixRow[] = [];
    let i = 0;
    const add = (jaar: number, jobcoach: string, n: number) => {
      for (let k = 0; k < n; k++)
        rows.push({ persoon_id: `p${i++}`, jaar, jobcoach, duur_dagen: 30 * (k % 40) + 1, uren_per_week_start: k % 20 });
    };
    add(2015, "extern", 4);
    add(2015, "intern", 20);
    add(2015, "geen", 200);
    add(2016, "extern", 60);
    add(2016, "intern", 30);
    add(2016, "geen", 210);
    await createMarts(conn, { baaneindes: rows });
    const p = baaneindes_per_jaar.parameters(DEFAULTS);
    const res = await baaneindes_per_jaar.run({ conn, params: DEFAULTS }, p);
    const pub = baaneindes_per_jaar.publish(res, rules, p);
    const y15 = pub.per_jaar!.filter((r) => r.jaar === 2015);
    expect(y15.find((r) => r.jobcoach === "extern")).toMatchObject({ aantal: null, aandeel: null, onderdrukt: true });
    // and a partner (intern or geen, by the key) with its share
    const partners = y15.filter((r) => r.jobcoach !== "extern" && r.jobcoach !== "totaal" && r.aantal === null);
    expect(partners).toHaveLength(1);
    expect(partners[0]!.aandeel).toBeNull();
    expect(y15.find((r) => r.jobcoach === "totaal")!.aantal).toBe(224);
    const bp = baanduur.parameters(DEFAULTS);
    const bd = baanduur.publish(await baanduur.run({ conn, params: DEFAULTS }, bp), rules, bp);
    for (const r of bd.klassen!) if (r.aantal !== null) expect((r.aantal as number) === 0 || (r.aantal as number) >= 10).toBe(true);
  });
});
