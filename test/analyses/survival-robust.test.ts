/**
 * The survival tables of runSurvival on the baaneindes of a small generated world (758 endings
 * of 444 persons in the D6 window) against R (fixture from scripts/r/make-golden-survival-analysis.R):
 * with `survival.variantie` robuust the curves, CIs and medians of
 * `survfit(..., id = persoon_id, robust = TRUE)` (and the Aalen–Johansen influences summed per
 * person) and the cluster-robust score test of `coxph(..., cluster = persoon_id)`; with greenwood
 * R's Greenwood / plain Aalen–Johansen variance and the log-rank test.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { runSurvival, type Variantie } from "../../analyses/lib/survival-analysis.ts";
import type { Row, Tables } from "../../analyses/types.ts";
import { sql } from "../../core/sql.ts";
import { createMarts, memoryDb } from "../fixtures/analyses/marts.ts";
import { compareNumbers, FIXTURES } from "../survival/golden.ts";

interface Curve {
  kenmerk: string;
  groep: string;
  methode: "km" | "aj";
  variantie: Variantie;
  tijd: number[];
  cum_incidentie: number[];
  std_err: number[];
  lower: (number | null)[];
  upper: (number | null)[];
  mediaan?: number | null;
  mediaan_lower?: number | null;
  mediaan_upper?: number | null;
}
interface Fixture {
  data: { persoon_id: string[]; jobcoach: (string | null)[]; dagen_tot_reintegratie: number[]; reintegratie: number[] };
  curves: Curve[];
  tests: {
    kenmerk: string;
    robuust_chikwadraat: number;
    robuust_df: number;
    robuust_p: number;
    logrank_chikwadraat: number;
    logrank_df: number;
  }[];
}

const fx = JSON.parse(readFileSync(join(FIXTURES, "analysis-baaneindes.json"), "utf8")) as Fixture;
const nan = (x: number | null | undefined) => (x === null || x === undefined ? NaN : x);

describe("runSurvival vs R on the baaneindes of a generated world", () => {
  let conn: DuckDBConnection;
  let close: () => void;
  const result: Partial<Record<Variantie, Tables>> = {};
  const run = (variantie: Variantie) =>
    runSurvival(conn, {
      bron: sql`baaneindes`,
      tijd: sql`dagen_tot_reintegratie`,
      status: sql`reintegratie`,
      kenmerken: ["totaal", "jobcoach"],
      methoden: ["km", "aj"],
      confType: "log",
      confLevel: 0.95,
      leespunten: [7, 30, 91, 182, 365],
      variantie,
      persoon: sql`persoon_id`,
    });
  beforeAll(async () => {
    ({ conn, close } = await memoryDb());
    await createMarts(conn, {
      baaneindes: fx.data.persoon_id.map((p, i) => ({
        persoon_id: p,
        jobcoach: fx.data.jobcoach[i] ?? null,
        dagen_tot_reintegratie: fx.data.dagen_tot_reintegratie[i]!,
        reintegratie: fx.data.reintegratie[i]!,
      })),
    });
    result.robuust = await run("robuust");
    result.greenwood = await run("greenwood");
  });
  afterAll(() => close());

  it("has persons with several endings and both causes", () => {
    expect(new Set(fx.data.persoon_id).size).toBeLessThan(fx.data.persoon_id.length);
    expect(fx.data.reintegratie).toContain(1);
    expect(fx.data.reintegratie).toContain(2);
    expect(fx.curves.length).toBe(2 * 2 * (1 + 3)); // (km, aj) × (robuust, greenwood) × (totaal + 3 jobcoach groups)
  });

  for (const variantie of ["robuust", "greenwood"] as const) {
    it(`${variantie}: schatting and mediaan equal R to 1e-9`, () => {
      const t = result[variantie]!;
      const problems: string[] = [];
      for (const c of fx.curves.filter((x) => x.variantie === variantie)) {
        const rows = t.schatting!.filter((r) => r.kenmerk === c.kenmerk && r.groep === c.groep && r.methode === c.methode);
        const label = `${c.kenmerk}/${c.groep}/${c.methode}`;
        expect(rows.map((r) => r.tijd)).toEqual(c.tijd);
        const col = (k: string) => rows.map((r: Row) => nan(r[k] as number | null));
        problems.push(
          ...compareNumbers(label, "cum_incidentie", col("cum_incidentie"), c.cum_incidentie),
          ...compareNumbers(label, "std_err", col("std_err"), c.std_err),
          ...compareNumbers(label, "lower", col("lower"), c.lower.map(nan)),
          ...compareNumbers(label, "upper", col("upper"), c.upper.map(nan)),
        );
        if (c.methode === "km") {
          const m = t.mediaan!.find((r) => r.kenmerk === c.kenmerk && r.groep === c.groep)!;
          problems.push(
            ...compareNumbers(
              label,
              "mediaan",
              [m.mediaan, m.lower, m.upper].map((x) => nan(x as number | null)),
              [c.mediaan, c.mediaan_lower, c.mediaan_upper].map(nan),
            ),
          );
        }
      }
      expect(problems.slice(0, 20)).toEqual([]);
    });
  }

  it("robuust: the published test is R's robust score test (coxph cluster = persoon_id)", () => {
    for (const r of fx.tests) {
      const ours = result.robuust!.logrank!.find((x) => x.kenmerk === r.kenmerk)!;
      expect(ours.df).toBe(r.robuust_df);
      expect(
        compareNumbers(r.kenmerk, "chisq", [ours.chikwadraat as number, ours.p as number], [r.robuust_chikwadraat, r.robuust_p]),
      ).toEqual([]);
      // it is not the log-rank statistic
      expect(Math.abs((ours.chikwadraat as number) - r.logrank_chikwadraat)).toBeGreaterThan(1e-6);
    }
    expect(result.robuust!.logrank!.find((x) => x.kenmerk === "totaal")!.chikwadraat).toBeNull();
  });

  it("greenwood: the published test is R's log-rank test (survdiff)", () => {
    for (const r of fx.tests) {
      const ours = result.greenwood!.logrank!.find((x) => x.kenmerk === r.kenmerk)!;
      expect(ours.df).toBe(r.logrank_df);
      expect(compareNumbers(r.kenmerk, "chisq", [ours.chikwadraat as number], [r.logrank_chikwadraat])).toEqual([]);
    }
  });

  it("robuust intervals are wider than Greenwood's where persons have several endings", () => {
    const se = (v: Variantie) =>
      result[v]!.schatting!.filter((r) => r.kenmerk === "totaal" && r.methode === "km").map((r) => r.std_err as number);
    const ratio = se("robuust").map((x, i) => x / se("greenwood")[i]!);
    expect(Math.max(...ratio.filter(Number.isFinite))).toBeGreaterThan(1.02);
  });

  it("the same tables on a second run (order-free sums)", async () => {
    expect(JSON.stringify(await run("robuust"))).toBe(JSON.stringify(result.robuust));
  });
});
