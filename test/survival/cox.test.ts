import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ident, join, run, sql } from "../../core/sql.ts";
import { coxPh, type CoxModel } from "../../analyses/survival/cox-duckdb.ts";
import type { CoxCovariate } from "../../analyses/survival/cox.ts";
import { coxZph } from "../../analyses/survival/cox-zph.ts";
import { standardisedCurves } from "../../analyses/survival/standardise.ts";
import { agreementReport, compareNumbers, loadFixtures } from "./golden.ts";

interface CoxFixture {
  name: string;
  data: Record<string, (string | number)[]> & { id: string[]; time: number[]; status: number[] };
  covariates: CoxCovariate[];
  fit: {
    names: string[];
    coef: number[];
    var: number[][];
    robust_var: number[][];
    loglik: number[];
    n: number;
    nevent: number;
    n_id: number;
    score: number;
    wald: number;
    rscore: number;
    logtest: number;
    df: number;
    p_score: number;
    p_wald: number;
    p_rscore: number;
    p_logtest: number;
    hr: number[];
    hr_lower: number[];
    hr_upper: number[];
    robust_se: number[];
    p_coef: number[];
  };
  zph: { terms: string[]; chisq: number[]; df: number[]; p: number[] };
  standardised: {
    group: string;
    times: number[];
    curves: { level: string; surv: number[]; se_robust: number[]; se_model: number[] }[];
    differences: { level: string; reference: string; diff: number[]; se_robust: number[]; se_model: number[] }[];
  };
}

const CONTROL = { eps: 1e-12, iterMax: 50, tolerChol: 1e-13 }; // as the goldens (scripts/r/make-golden-cox.R)
// JSON null (a numeric covariate's reference) is revived as NaN: drop it
const fixtures = loadFixtures<CoxFixture>("cox-").map(({ file, fx }) => ({
  file,
  fx: { ...fx, covariates: fx.covariates.map((c) => (c.type === "numeric" ? { name: c.name, type: c.type } : c)) },
}));
const goldens = fixtures.filter((f) => f.fx.fit !== undefined);

let instance: DuckDBInstance;
let conn: DuckDBConnection;

/** Fixture rows → an in-memory table (appender; NaN = R NA → NULL). */
async function load(table: string, fx: CoxFixture): Promise<void> {
  const cols = [
    sql`id VARCHAR`,
    sql`tijd DOUBLE`,
    sql`status INTEGER`,
    ...fx.covariates.map((c) => sql`${ident(c.name)} ${c.type === "numeric" ? sql`DOUBLE` : sql`VARCHAR`}`),
  ];
  await run(conn, sql`CREATE OR REPLACE TABLE ${ident(table)} (${join(cols)})`);
  const app = await conn.createAppender(table);
  fx.data.id.forEach((id, i) => {
    app.appendVarchar(String(id));
    app.appendDouble(fx.data.time[i]!);
    app.appendInteger(fx.data.status[i]!);
    for (const c of fx.covariates) {
      const v = fx.data[c.name]![i]!;
      if (typeof v === "number" && Number.isNaN(v)) app.appendNull();
      else if (c.type === "numeric") app.appendDouble(Number(v));
      else app.appendVarchar(String(v));
    }
    app.endRow();
  });
  app.flushSync();
  app.closeSync();
}

const models = new Map<string, CoxModel>();
async function model(fx: CoxFixture): Promise<CoxModel> {
  let m = models.get(fx.name);
  if (!m) {
    const table = `cox_${fx.name.replace(/-/g, "_")}`;
    await load(table, fx);
    m = await coxPh(conn, sql`SELECT * FROM ${ident(table)}`, fx.covariates, CONTROL);
    models.set(fx.name, m);
  }
  return m;
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
});
afterAll(() => {
  conn?.closeSync();
  console.log(`Cox vs R agreement:\n${agreementReport()}`);
});

describe("coxPh vs R coxph(ties = 'efron', cluster = id) (golden)", () => {
  it("has fixtures", () => expect(goldens.length).toBeGreaterThanOrEqual(6));
  for (const { file, fx } of goldens) {
    it(file, async () => {
      const m = await model(fx);
      const r = fx.fit;
      const w = fx.name;
      expect(m.columnNames).toEqual(r.names);
      expect(m.converged).toBe(true);
      expect([m.n, m.nEvent, m.nCluster]).toEqual([r.n, r.nevent, r.n_id]);
      expect(m.nDropped).toBe(fx.data.id.length - r.n);
      const problems = [
        ...compareNumbers(w, "cox.coef", m.coef, r.coef),
        ...compareNumbers(w, "cox.var", m.variance.flat(), r.var.flat()),
        ...compareNumbers(w, "cox.robust.var", m.robustVariance!.flat(), r.robust_var.flat()),
        ...compareNumbers(w, "cox.robust.se", m.robustSe!, r.robust_se),
        ...compareNumbers(w, "cox.loglik", m.loglik, r.loglik),
        ...compareNumbers(
          w,
          "cox.tests",
          [m.scoreTest.chisq, m.waldTest.chisq, m.robustScoreTest!.chisq, m.likelihoodRatioTest.chisq],
          [r.score, r.wald, r.rscore, r.logtest],
        ),
        ...compareNumbers(
          w,
          "cox.tests.p",
          [m.scoreTest.p, m.waldTest.p, m.robustScoreTest!.p, m.likelihoodRatioTest.p],
          [r.p_score, r.p_wald, r.p_rscore, r.p_logtest],
        ),
        ...compareNumbers(
          w,
          "cox.hr",
          m.hazardRatios.map((h) => h.hr),
          r.hr,
        ),
        ...compareNumbers(
          w,
          "cox.hr.ci",
          m.hazardRatios.flatMap((h) => [h.lower, h.upper]),
          r.hr_lower.flatMap((l, i) => [l, r.hr_upper[i]!]),
        ),
        ...compareNumbers(
          w,
          "cox.coef.p",
          m.hazardRatios.map((h) => h.p),
          r.p_coef,
        ),
      ];
      expect([m.scoreTest.df, m.waldTest.df]).toEqual([r.df, r.df]);
      expect(problems).toEqual([]);
    });
  }
});

describe("coxZph vs R cox.zph(fit, transform = 'km') (golden)", () => {
  for (const { file, fx } of goldens) {
    it(file, async () => {
      const z = coxZph(await model(fx));
      const rows = [...z.terms, { term: "GLOBAL", ...z.global }];
      expect(rows.map((t) => t.term)).toEqual(fx.zph.terms);
      expect(rows.map((t) => t.df)).toEqual(fx.zph.df);
      expect([
        ...compareNumbers(
          fx.name,
          "zph.chisq",
          rows.map((t) => t.chisq),
          fx.zph.chisq,
        ),
        ...compareNumbers(
          fx.name,
          "zph.p",
          rows.map((t) => t.p),
          fx.zph.p,
        ),
      ]).toEqual([]);
    });
  }
});

describe("standardisedCurves vs mean of R survfit(fit, newdata) rows (golden)", () => {
  for (const { file, fx } of goldens) {
    it(file, async () => {
      const m = await model(fx);
      const r = fx.standardised;
      const problems: string[] = [];
      for (const variance of ["robust", "model"] as const) {
        const s = standardisedCurves(m, r.group, r.times, { variance });
        expect(s.curves.map((c) => c.level)).toEqual(r.curves.map((c) => c.level));
        s.curves.forEach((c, i) => {
          const rc = r.curves[i]!;
          const where = `${fx.name} ${c.level} ${variance}`;
          problems.push(
            ...compareNumbers(where, "std.surv", c.surv, rc.surv),
            ...compareNumbers(where, `std.se.${variance}`, c.se, variance === "robust" ? rc.se_robust : rc.se_model),
          );
          c.surv.forEach((v, j) => {
            if (c.se[j]! > 0) expect(c.lower[j]!).toBeLessThan(v);
            expect(c.upper[j]!).toBeGreaterThanOrEqual(Math.min(v, 1));
          });
        });
        expect(s.differences.map((d) => [d.level, d.reference])).toEqual(r.differences.map((d) => [d.level, d.reference]));
        s.differences.forEach((d, i) => {
          const rd = r.differences[i]!;
          const where = `${fx.name} ${d.level}-${d.reference} ${variance}`;
          problems.push(
            ...compareNumbers(where, "std.diff", d.diff, rd.diff),
            ...compareNumbers(where, `std.diff.se.${variance}`, d.se, variance === "robust" ? rd.se_robust : rd.se_model),
          );
        });
      }
      expect(problems).toEqual([]);
    });
  }
});

describe("coxPh edge cases", () => {
  it("a level without events is an error naming the level (R: infinite coefficient)", async () => {
    const { fx } = fixtures.find((f) => f.fx.name === "edge-level-without-events")!;
    await load("cox_edge", fx);
    await expect(coxPh(conn, sql`SELECT * FROM cox_edge`, fx.covariates)).rejects.toThrow(/niveau "leeg" van "regio"/);
  });

  it("rejects a bad status, a NULL tijd, a NULL id and collinear covariates", async () => {
    const base = sql`SELECT i AS id, i % 7 AS tijd, (i % 3 > 0)::INTEGER AS status, CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END AS g FROM range(40) r(i)`;
    const cov: CoxCovariate[] = [{ name: "g", type: "categorical" }];
    await expect(coxPh(conn, sql`SELECT id, tijd, 2 AS status, g FROM (${base})`, cov)).rejects.toThrow(/status/);
    await expect(coxPh(conn, sql`SELECT id, NULL::DOUBLE AS tijd, status, g FROM (${base})`, cov)).rejects.toThrow(/tijd/);
    await expect(coxPh(conn, sql`SELECT NULL AS id, tijd, status, g FROM (${base})`, cov)).rejects.toThrow(/zonder id/);
    await expect(
      coxPh(conn, sql`SELECT *, g AS h FROM (${base})`, [
        { name: "g", type: "categorical" },
        { name: "h", type: "categorical" },
      ]),
    ).rejects.toThrow(/singulier bij kolom "hb"/);
    // no rows, or none with complete covariates: an error naming it (the comparison then publishes no Cox tables)
    await expect(coxPh(conn, sql`SELECT * FROM (${base}) WHERE false`, cov)).rejects.toThrow(/geen rijen met volledige covariaten/);
    await expect(coxPh(conn, sql`SELECT id, tijd, status, NULL::VARCHAR AS g FROM (${base})`, cov)).rejects.toThrow(/geen rijen/);
    // case weights must be positive and finite
    await expect(coxPh(conn, sql`SELECT *, 0.0 AS w FROM (${base})`, cov, { weights: "w" })).rejects.toThrow(/gewicht/);
  });

  it("the reference level is the first level unless given", async () => {
    const src = sql`SELECT i AS id, i % 11 AS tijd, (i % 4 > 0)::INTEGER AS status, ['x', 'y', 'z'][i % 3 + 1] AS g, (i * 7) % 5 AS u FROM range(90) r(i)`;
    const a = await coxPh(conn, src, [
      { name: "g", type: "categorical" },
      { name: "u", type: "numeric" },
    ]);
    const b = await coxPh(conn, src, [
      { name: "g", type: "categorical", reference: "z" },
      { name: "u", type: "numeric" },
    ]);
    expect(a.columnNames).toEqual(["gy", "gz", "u"]);
    expect(b.columnNames).toEqual(["gx", "gy", "u"]);
    // same model, other coding: gx(b) = −gz(a), loglik identical
    expect(b.coef[0]!).toBeCloseTo(-a.coef[1]!, 10);
    expect(b.loglik[1]).toBeCloseTo(a.loglik[1], 10);
  });

  it("robust variance: covariates and weights of any magnitude rescale exactly; reruns are byte-identical", async () => {
    // persons with several endings, a numeric covariate u and case weights: u × f rescales u's
    // coefficient and standard error by 1/f, weights × c leave the robust variance as it is (the
    // residual sums in SQL are scaled to their fixed-point range by bounds that depend on both)
    const src = (f: number, c: number) =>
      sql`SELECT i % 37 AS id, (i * 13) % 29 AS tijd, (i % 5 > 0)::INTEGER AS status, ['x', 'y'][i % 2 + 1] AS g,
                 ((i * 7) % 11 - 5) * ${f} AS u, (0.5 + (i % 3)) * ${c} AS w
          FROM range(200) r(i)`;
    const cov: CoxCovariate[] = [
      { name: "g", type: "categorical" },
      { name: "u", type: "numeric" },
    ];
    const one = await coxPh(conn, src(1, 1), cov, { weights: "w" });
    for (const [f, c] of [
      [1e3, 1],
      [1e-3, 1],
      [1, 1e5],
      [1, 1e-5],
    ] as const) {
      const m = await coxPh(conn, src(f, c), cov, { weights: "w" });
      expect(m.robustSe![0]! / one.robustSe![0]!).toBeCloseTo(1, 10);
      expect((m.robustSe![1]! * f) / one.robustSe![1]!).toBeCloseTo(1, 10);
      expect(m.robustScoreTest!.chisq / one.robustScoreTest!.chisq).toBeCloseTo(1, 10);
    }
    const again = await coxPh(conn, src(1, 1), cov, { weights: "w" });
    expect(Float64Array.from(again.robustVariance!.flat())).toEqual(Float64Array.from(one.robustVariance!.flat()));
    expect(again.robustScoreTest).toEqual(one.robustScoreTest);
  });
});
