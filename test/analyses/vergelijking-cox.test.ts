/**
 * The Cox tables of the jobcoach comparison (analyses/catalogue/vergelijking-cox.ts) against R on
 * the project's own table: the comparison's endings of a small synthetic world with their pooled
 * characteristics and stabilised weights (fixture from scripts/vergelijking-cox-rows.ts and
 * scripts/r/make-golden-vergelijking-cox.R): hazard ratios with robust intervals and p of the
 * conditional model, cox.zph, the standardised curves and their differences with geen with
 * their intervals, and the weighted marginal model, all as the rows the analysis publishes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ident, join as joinSql, run, sql } from "../../core/sql.ts";
import { coxComparison, type CoxTables } from "../../analyses/catalogue/vergelijking-cox.ts";
import type { CoxCovariate } from "../../analyses/survival/index.ts";
import { zValue } from "../../analyses/survival/confint.ts";
import type { Row } from "../../analyses/types.ts";
import { ANALYSES } from "../../analyses/registry.ts";
import { rulesFrom } from "../../analyses/disclosure/index.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { agreementReport, compareNumbers } from "../survival/golden.ts";

interface CoxOut {
  names: string[];
  coef: number[];
  robust_se: number[];
  hr: number[];
  hr_lower: number[];
  hr_upper: number[];
  p: number[];
}
interface Fixture {
  data: Record<string, (string | number)[]> & { id: string[]; tijd: number[]; status: number[]; gewicht: number[] };
  covariates: { name: string; reference: string }[];
  times: number[];
  fit: CoxOut;
  zph: { terms: string[]; chisq: number[]; df: number[]; p: number[] };
  standardised: {
    curves: { level: string; surv: number[]; se_robust: number[] }[];
    differences: { level: string; reference: string; diff: number[]; se_robust: number[] }[];
  };
  weighted: CoxOut;
}

const fx = JSON.parse(readFileSync(join(import.meta.dirname, "..", "fixtures", "analyses", "vergelijking-cox.json"), "utf8")) as Fixture;
const kenmerken = fx.covariates.map((c) => c.name);
let instance: DuckDBInstance;
let conn: DuckDBConnection;
let tables: CoxTables;

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
  const cols = [
    sql`id VARCHAR`,
    sql`tijd DOUBLE`,
    sql`status INTEGER`,
    sql`gewicht DOUBLE`,
    ...kenmerken.map((k) => sql`${ident(k)} VARCHAR`),
  ];
  await run(conn, sql`CREATE TABLE eindes (${joinSql(cols)})`);
  const app = await conn.createAppender("eindes");
  fx.data.id.forEach((id, i) => {
    app.appendVarchar(id);
    app.appendDouble(fx.data.tijd[i]!);
    app.appendInteger(fx.data.status[i]!);
    app.appendDouble(fx.data.gewicht[i]!);
    for (const k of kenmerken) app.appendVarchar(String(fx.data[k]![i]));
    app.endRow();
  });
  app.flushSync();
  app.closeSync();
  const covariates: CoxCovariate[] = fx.covariates.map((c) => ({ name: c.name, type: "categorical", reference: c.reference }));
  tables = await coxComparison(conn, {
    rows: sql`SELECT id, tijd, status, ${joinSql(kenmerken.map((k) => ident(k)))} FROM eindes`,
    covariates,
    weighted: sql`SELECT id, tijd, status, groep, gewicht FROM eindes`,
    times: fx.times,
    confLevel: 0.95,
    atRisk: () => 1000,
  });
});
afterAll(() => {
  console.log(agreementReport());
  conn.closeSync();
  instance.closeSync();
});

const num = (rows: Row[], c: string) => rows.map((r) => Number(r[c]));

function expectHazardRatios(model: string, r: CoxOut): void {
  const rows = tables.hazard_ratios.filter((x) => x.model === model);
  expect(rows.map((x) => `${x.kenmerk}${x.niveau}`)).toEqual(r.names);
  const problems = [
    ...compareNumbers(model, "hr", num(rows, "hr"), r.hr),
    ...compareNumbers(model, "hr.lower", num(rows, "lower"), r.hr_lower),
    ...compareNumbers(model, "hr.upper", num(rows, "upper"), r.hr_upper),
    ...compareNumbers(model, "hr.p", num(rows, "p"), r.p),
  ];
  expect(problems).toEqual([]);
}

describe("vergelijking: the Cox tables equal R coxph / cox.zph / standardised survfit on the project's table", () => {
  it("conditional model (groep + kenmerken, Efron, cluster = persoon): hazard ratios, robust 95% intervals, p", () => {
    expectHazardRatios("gecorrigeerd", fx.fit);
    // every row names its reference level, and counts the endings at the level and the reference
    for (const r of tables.hazard_ratios.filter((x) => x.model === "gecorrigeerd")) {
      expect(r.referentie).toBe(fx.covariates.find((c) => c.name === r.kenmerk)!.reference);
      const col = fx.data[String(r.kenmerk)]!;
      expect(r.n_niveau).toBe(col.filter((v) => v === r.niveau).length);
      expect(r.n_referentie).toBe(col.filter((v) => v === r.referentie).length);
    }
  });

  it("weighted marginal model (groep only, stabilised weights, robust SE)", () => {
    expectHazardRatios("gewogen", fx.weighted);
  });

  it("cox.zph per term and globaal", () => {
    expect(tables.ph_toets.map((r) => r.term)).toEqual(fx.zph.terms.map((t) => (t === "GLOBAL" ? "globaal" : t)));
    const problems = [
      ...compareNumbers("zph", "chisq", num(tables.ph_toets, "chikwadraat"), fx.zph.chisq),
      ...compareNumbers("zph", "df", num(tables.ph_toets, "df"), fx.zph.df),
      ...compareNumbers("zph", "p", num(tables.ph_toets, "p"), fx.zph.p),
    ];
    expect(problems).toEqual([]);
  });

  it("standardised curves as cumulative share 1 − S with the log-scale interval, per groep at the reading points", () => {
    const z = zValue(0.95);
    const problems: string[] = [];
    for (const c of fx.standardised.curves) {
      const rows = tables.gestandaardiseerd.filter((r) => r.groep === c.level);
      expect(rows.map((r) => r.dag)).toEqual(fx.times);
      const lowerS = c.surv.map((s, j) => s * Math.exp(-z * (c.se_robust[j]! / s)));
      const upperS = c.surv.map((s, j) => Math.min(1, s * Math.exp(z * (c.se_robust[j]! / s))));
      problems.push(
        ...compareNumbers(
          c.level,
          "std.cuminc",
          num(rows, "cum_incidentie"),
          c.surv.map((s) => 1 - s),
        ),
        ...compareNumbers(
          c.level,
          "std.lower",
          num(rows, "lower"),
          upperS.map((s) => 1 - s),
        ),
        ...compareNumbers(
          c.level,
          "std.upper",
          num(rows, "upper"),
          lowerS.map((s) => 1 - s),
        ),
      );
    }
    expect(problems).toEqual([]);
    expect(new Set(tables.gestandaardiseerd.map((r) => r.groep))).toEqual(new Set(["geen", "extern", "intern"]));
  });

  it("differences of the standardised shares with geen (extern − geen, intern − geen) with plain 95% intervals", () => {
    const z = zValue(0.95);
    const problems: string[] = [];
    for (const d of fx.standardised.differences) {
      const rows = tables.gestandaardiseerd_verschillen.filter((r) => r.vergelijking === `${d.level} - geen`);
      expect(rows.map((r) => r.dag)).toEqual(fx.times);
      // a share in work is 1 − S: its difference is −(S_g − S_geen)
      problems.push(
        ...compareNumbers(
          d.level,
          "std.diff",
          num(rows, "verschil"),
          d.diff.map((x) => -x),
        ),
        ...compareNumbers(
          d.level,
          "std.diff.lower",
          num(rows, "lower"),
          d.diff.map((x, j) => -x - z * d.se_robust[j]!),
        ),
        ...compareNumbers(
          d.level,
          "std.diff.upper",
          num(rows, "upper"),
          d.diff.map((x, j) => -x + z * d.se_robust[j]!),
        ),
      );
    }
    expect(problems).toEqual([]);
  });
});

describe("vergelijking: disclosure control of the Cox tables (publish)", () => {
  const m = ANALYSES.find((a) => a.id === "vergelijking")!;
  const p = m.parameters(DEFAULTS);
  const rules = rulesFrom(DEFAULTS);
  const empty = {
    verschillen: [],
    beperkt_gemiddelde: [],
    beperkt_gemiddelde_verschillen: [],
    toets: [],
    balans: [],
    curven: [],
    telling: [],
  };

  it("declares the Cox tables with their column kinds", () => {
    const kinds = (t: string) => Object.fromEntries(m.publishes[t]!.columns.map((c) => [c.name, c.kind]));
    expect(kinds("hazard_ratios")).toEqual({
      model: "key",
      kenmerk: "key",
      niveau: "key",
      referentie: "key",
      hr: "statistic",
      lower: "bound",
      upper: "bound",
      p: "statistic",
    });
    expect(kinds("ph_toets")).toEqual({ term: "key", chikwadraat: "statistic", df: "statistic", p: "statistic" });
    expect(kinds("gestandaardiseerd")).toEqual({ groep: "key", dag: "key", cum_incidentie: "statistic", lower: "bound", upper: "bound" });
  });

  it("a hazard ratio of a level (or against a reference level) with fewer than minNoemer endings is hidden; small groups hide the PH test; few at risk hide a standardised point", () => {
    const hr = (niveau: string, n: number, nRef: number): Row => ({
      model: "gecorrigeerd",
      kenmerk: "diagnosegroep",
      niveau,
      referentie: "lichamelijk",
      hr: 1.2,
      lower: 1.1,
      upper: 1.3,
      p: 0.01,
      n_niveau: n,
      n_referentie: nRef,
    });
    const result = {
      tabellen: {
        ...empty,
        hazard_ratios: [
          hr("groot", rules.minNoemer, 500),
          hr("klein", rules.minNoemer - 1, 500),
          hr("ref-klein", 500, rules.minNoemer - 1),
        ],
        ph_toets: [
          { term: "groep", chikwadraat: 3, df: 2, p: 0.2, n_groep_min: rules.minNoemer - 1 },
          { term: "globaal", chikwadraat: 30, df: 26, p: 0.3, n_groep_min: rules.minNoemer - 1 },
        ],
        gestandaardiseerd: [
          { groep: "extern", dag: 365, cum_incidentie: 0.5, lower: 0.4, upper: 0.6, n_risico: rules.minAtRisk },
          { groep: "extern", dag: 1461, cum_incidentie: 0.7, lower: 0.6, upper: 0.8, n_risico: rules.minAtRisk - 1 },
        ],
      },
    };
    const pub = m.publish(result, rules, p);
    expect(pub.hazard_ratios!.map((r) => [r.niveau, r.hr, r.onderdrukt])).toEqual([
      ["groot", 1.2, false],
      ["klein", null, true],
      ["ref-klein", null, true],
    ]);
    expect(Object.keys(pub.hazard_ratios![0]!)).toEqual([...m.publishes.hazard_ratios!.columns.map((c) => c.name), "onderdrukt"]);
    expect(pub.ph_toets!.every((r) => r.chikwadraat === null && r.p === null && r.onderdrukt === true)).toBe(true);
    expect(pub.gestandaardiseerd!.map((r) => [r.dag, r.cum_incidentie, r.lower])).toEqual([
      [365, 0.5, 0.4],
      [1461, null, null],
    ]);
  });
});
