/**
 * Person-level (cluster-robust) survival estimates against R (fixtures from
 * scripts/r/make-golden-robust.R): every case is loaded into an in-memory DuckDB table
 * (groep, id, tijd, status, gewicht) and goes through the DuckDB helpers, so these are also the
 * tests of survivalInfluence / robustScoreTest.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { ident, run, sql, type Sql } from "../../core/sql.ts";
import {
  atTimes,
  differencesAt,
  kaplanMeier,
  kmByGroup,
  rmstDifference,
  rmstGreenwood,
  rmstRobust,
  robustAalenJohansen,
  robustKaplanMeier,
  robustScoreTest,
  survivalInfluence,
  type ConfType,
} from "../../analyses/survival/index.ts";
import { agreementReport, compareNumbers, loadFixtures, nullable } from "./golden.ts";

interface Data {
  group: string[];
  id: string[];
  time: number[];
  status: number[];
  weight: number[];
}
interface RKm {
  n: number;
  time: number[];
  n_risk: number[];
  n_event: number[];
  n_censor: number[];
  surv: number[];
  std_err: number[];
  logse: boolean;
  lower: number[];
  upper: number[];
  at: { time: number[]; n_risk: number[]; surv: number[]; std_err: number[]; lower: number[]; upper: number[] };
}
interface KmFx {
  name: string;
  weighted: boolean;
  data: Data;
  times: number[];
  horizons: number[];
  km: { conf_type: ConfType; groups: Record<string, RKm> }[];
  var_at: Record<string, number[]>;
  diffs: { a: string; b: string; time: number[]; difference: number[]; std_err: number[] }[];
  rmean: {
    group: string;
    horizon: number;
    rmean: number;
    se_greenwood: number;
    rmean_robust_fit: number;
    se_robust_fit: number;
    se_robust_influence: number;
  }[];
  rmean_diffs: { a: string; b: string; horizon: number; difference: number; std_err: number }[];
  robscore?: Record<"efron" | "breslow", { test: number; df: number; p: number; score: number[] }>;
}
interface RAj {
  time: number[];
  n_risk: number[];
  surv: number[];
  cum_inc: number[][];
  std_err: number[][];
  /** R's own std.err: every row its own cluster */
  std_err_rows: number[][];
  lower: number[][];
  upper: number[][];
  at: { time: number[]; cum_inc: number[][]; std_err: number[][]; lower: number[][]; upper: number[][] };
}
interface AjFx {
  name: string;
  n_causes: number;
  weighted: boolean;
  data: Data;
  times: number[];
  aj: { conf_type: ConfType; groups: Record<string, RAj> }[];
  diffs: { a: string; b: string; cause: number; time: number[]; difference: number[]; std_err: number[] }[];
}

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
});
afterAll(() => {
  conn?.closeSync();
  if (process.env.SURVIVAL_AGREEMENT) console.log(`agreement with R (robust)\n${agreementReport()}`);
});

let tables = 0;
/**
 * The fixture's rows as a relation (groep, id, tijd, status, gewicht): a temporary table, as the
 * analyses read a table (the helpers scan their source several times; a list literal would be
 * unnested again on every scan).
 */
async function rowsOf(d: Data): Promise<Sql> {
  const name = ident(`fixture_${++tables}`);
  await run(
    conn,
    sql`CREATE TEMP TABLE ${name} AS
        SELECT unnest(${d.group}) AS groep, unnest(${d.id}) AS id, unnest(${d.time})::DOUBLE AS tijd,
               unnest(${d.status})::INTEGER AS status, unnest(${d.weight})::DOUBLE AS gewicht`,
  );
  return sql`SELECT * FROM ${name}`;
}

const kmFixtures = loadFixtures<KmFx>("robust-km-");
const ajFixtures = loadFixtures<AjFx>("robust-aj-");

describe("robust Kaplan–Meier, differences, RMST, robust score test vs R (golden)", () => {
  it("has fixtures", () => expect(kmFixtures.length).toBeGreaterThanOrEqual(6));
  for (const { file, fx } of kmFixtures) {
    it(file, async () => {
      const src = await rowsOf(fx.data);
      const inf = await survivalInfluence(conn, src, { weighted: fx.weighted, times: [...fx.times, ...fx.horizons], curve: true });
      // reading times are sorted and distinct: the positions of the fixture's reading times
      const at = fx.times.map((t) => inf.readings[0]!.findIndex((r) => r.time === t));
      const problems: string[] = [];
      expect(inf.groups).toEqual(Object.keys(fx.km[0]!.groups).sort());
      for (const variant of fx.km) {
        for (const [g, r] of Object.entries(variant.groups)) {
          const where = `${fx.name} ${variant.conf_type} ${g}`;
          const t = robustKaplanMeier(inf.perGroup.get(g)!, { confType: variant.conf_type });
          expect(inf.perGroup.get(g)!.nRows, where).toBe(r.n);
          expect(r.logse, where).toBe(false);
          problems.push(
            ...compareNumbers(where, "rkm.time", t.time, r.time),
            ...compareNumbers(where, "rkm.n.risk", t.nRisk, r.n_risk),
            ...compareNumbers(where, "rkm.n.event", t.nEvent, r.n_event),
            ...compareNumbers(where, "rkm.n.censor", t.nCensor, r.n_censor),
            ...compareNumbers(where, "rkm.surv", t.surv, r.surv),
            ...compareNumbers(where, "rkm.std.err", t.stdErr, r.std_err),
            ...compareNumbers(
              where,
              "rkm.std.err(log)",
              t.stdErrLog,
              r.std_err.map((se, i) => (se === 0 ? 0 : se / r.surv[i]!)),
            ),
            ...compareNumbers(where, `rkm.lower.${variant.conf_type}`, t.lower, r.lower),
            ...compareNumbers(where, `rkm.upper.${variant.conf_type}`, t.upper, r.upper),
          );
          const a = atTimes(t, fx.times);
          problems.push(
            ...compareNumbers(where, "rkm.at.time", a.time, r.at.time),
            ...compareNumbers(where, "rkm.at.n.risk", a.nRisk, r.at.n_risk),
            ...compareNumbers(where, "rkm.at.surv", a.surv, r.at.surv),
            ...compareNumbers(where, "rkm.at.std.err", a.stdErr, r.at.std_err),
            ...compareNumbers(where, `rkm.at.lower.${variant.conf_type}`, a.lower, r.at.lower),
            ...compareNumbers(where, `rkm.at.upper.${variant.conf_type}`, a.upper, r.at.upper),
          );
        }
      }
      // variance at the reading points (diagonal of the covariance) = R's influence sums
      for (const [g, v] of Object.entries(fx.var_at)) {
        const gi = inf.groups.indexOf(g);
        problems.push(
          ...compareNumbers(
            `${fx.name} ${g}`,
            "rkm.var.readings",
            at.map((i) => inf.readings[0]![i]!.cumInc[gi]![gi]!),
            v,
          ),
        );
      }
      for (const d of fx.diffs) {
        const all = differencesAt(inf, d.a, d.b);
        const ours = at.map((i) => all[i]!);
        const where = `${fx.name} ${d.a}-${d.b}`;
        problems.push(
          ...compareNumbers(
            where,
            "diff.time",
            ours.map((x) => x.time),
            d.time,
          ),
          ...compareNumbers(
            where,
            "diff.estimate",
            ours.map((x) => x.difference),
            d.difference,
          ),
          ...compareNumbers(
            where,
            "diff.std.err",
            ours.map((x) => x.stdErr),
            d.std_err,
          ),
        );
        for (const x of ours) {
          expect(x.upper - x.difference).toBeCloseTo(1.959963984540054 * x.stdErr, 12);
          expect(x.difference - x.lower).toBeCloseTo(1.959963984540054 * x.stdErr, 12);
        }
      }
      for (const r of fx.rmean) {
        const where = `${fx.name} ${r.group} rmean ${r.horizon}`;
        const gi = inf.perGroup.get(r.group)!;
        const fit = kaplanMeier(gi.counts.map((c) => ({ time: c.time, nEvent: c.nEvents[0]!, nCensor: c.nCensor })));
        const gw = rmstGreenwood(fit, r.horizon);
        const rb = rmstRobust(inf, r.group, r.horizon);
        problems.push(
          ...compareNumbers(where, "rmean", [gw.rmst, rb.rmst, rb.rmst], [r.rmean, r.rmean, r.rmean_robust_fit]),
          ...compareNumbers(where, "rmean.se.greenwood", [gw.stdErr], [r.se_greenwood]),
          ...compareNumbers(where, "rmean.se.robust", [rb.stdErr], [r.se_robust_influence]),
        );
      }
      for (const r of fx.rmean_diffs) {
        const ours = rmstDifference(inf, r.a, r.b, r.horizon);
        problems.push(
          ...compareNumbers(`${fx.name} ${r.a}-${r.b} ${r.horizon}`, "rmean.diff", [ours.rmst, ours.stdErr], [r.difference, r.std_err]),
        );
      }
      if (fx.robscore) {
        for (const ties of ["efron", "breslow"] as const) {
          const r = fx.robscore[ties];
          const test = await robustScoreTest(conn, src, { weighted: fx.weighted, ties });
          expect(test.df).toBe(r.df);
          problems.push(
            ...compareNumbers(`${fx.name} ${ties}`, "robscore.U", test.score.slice(1), r.score),
            ...compareNumbers(`${fx.name} ${ties}`, "robscore.test", [nullable(test.chisq)], [r.test]),
            ...compareNumbers(`${fx.name} ${ties}`, "robscore.p", [nullable(test.p)], [r.p]),
          );
        }
      }
      expect(problems.slice(0, 20)).toEqual([]);
    });
  }
});

describe("robust Aalen–Johansen vs R (golden)", () => {
  it("has fixtures", () => expect(ajFixtures.length).toBeGreaterThanOrEqual(4));
  for (const { file, fx } of ajFixtures) {
    it(file, async () => {
      const inf = await survivalInfluence(conn, await rowsOf(fx.data), {
        nCauses: fx.n_causes,
        weighted: fx.weighted,
        times: fx.times,
        curve: true,
      });
      const problems: string[] = [];
      for (const variant of fx.aj) {
        for (const [g, r] of Object.entries(variant.groups)) {
          const where = `${fx.name} ${variant.conf_type} ${g}`;
          const t = robustAalenJohansen(inf.perGroup.get(g)!, { confType: variant.conf_type });
          problems.push(
            ...compareNumbers(where, "raj.time", t.time, r.time),
            // R's multi-state n.risk is unweighted; ours is the weighted at-risk total (as R's KM)
            ...(fx.weighted ? [] : compareNumbers(where, "raj.n.risk", t.nRisk, r.n_risk)),
            ...compareNumbers(where, "raj.surv", t.surv, r.surv),
          );
          const a = atTimes(t, fx.times);
          for (let c = 0; c < fx.n_causes; c++) {
            problems.push(
              ...compareNumbers(where, "raj.cumInc", t.cumInc[c]!, r.cum_inc[c]!),
              ...compareNumbers(where, "raj.std.err", t.stdErr[c]!, r.std_err[c]!),
              ...compareNumbers(where, `raj.lower.${variant.conf_type}`, t.lower[c]!, r.lower[c]!),
              ...compareNumbers(where, `raj.upper.${variant.conf_type}`, t.upper[c]!, r.upper[c]!),
              ...compareNumbers(where, "raj.at.time", a.time, r.at.time),
              ...compareNumbers(where, "raj.at.cumInc", a.cumInc[c]!, r.at.cum_inc[c]!),
              ...compareNumbers(where, "raj.at.std.err", a.stdErr[c]!, r.at.std_err[c]!),
              ...compareNumbers(where, `raj.at.lower.${variant.conf_type}`, a.lower[c]!, r.at.lower[c]!),
              ...compareNumbers(where, `raj.at.upper.${variant.conf_type}`, a.upper[c]!, r.at.upper[c]!),
            );
            // the reading-point variances equal the curve's at the same times
            const gi = inf.groups.indexOf(g);
            problems.push(
              ...compareNumbers(
                where,
                "raj.var.readings",
                inf.readings[c]!.map((x) => x.cumInc[gi]![gi]!),
                a.stdErr[c]!.map((se) => se * se),
              ),
            );
          }
        }
      }
      for (const d of fx.diffs) {
        const ours = differencesAt(inf, d.a, d.b, { cause: d.cause });
        const where = `${fx.name} ${d.a}-${d.b} cause ${d.cause + 1}`;
        problems.push(
          ...compareNumbers(
            where,
            "raj.diff.estimate",
            ours.map((x) => x.difference),
            d.difference,
          ),
          ...compareNumbers(
            where,
            "raj.diff.std.err",
            ours.map((x) => x.stdErr),
            d.std_err,
          ),
        );
      }
      // with every row its own person the influence sums give R's own multi-state std.err
      const rowIds = { ...fx.data, id: fx.data.id.map((_, i) => `r${i}`) };
      const perRow = await survivalInfluence(conn, await rowsOf(rowIds), { nCauses: fx.n_causes, weighted: fx.weighted, curve: true });
      for (const [g, r] of Object.entries(fx.aj[0]!.groups)) {
        const t = robustAalenJohansen(perRow.perGroup.get(g)!);
        for (let c = 0; c < fx.n_causes; c++) {
          problems.push(...compareNumbers(`${fx.name} per row ${g}`, "raj.std.err(rows)", t.stdErr[c]!, r.std_err_rows[c]!));
        }
      }
      expect(problems.slice(0, 20)).toEqual([]);
    });
  }
});

describe("kmByGroup picks the variance with one parameter", () => {
  it("greenwood equals kaplanMeier on the counts; robust equals robustKaplanMeier", async () => {
    const fx = kmFixtures.find((f) => f.fx.name === "random-clusters")!.fx;
    const src = await rowsOf(fx.data);
    const gw = await kmByGroup(conn, src);
    const rb = await kmByGroup(conn, src, { variance: "robust", confType: "log-log" });
    const inf = await survivalInfluence(conn, src, { curve: true });
    for (const g of inf.groups) {
      const gi = inf.perGroup.get(g)!;
      const km = kaplanMeier(gi.counts.map((c) => ({ time: c.time, nEvent: c.nEvents[0]!, nCensor: c.nCensor })));
      const rk = robustKaplanMeier(gi, { confType: "log-log" });
      // equal up to the order of DuckDB's floating-point sums
      expect(gw.get(g)!.surv).toEqual(km.surv);
      expect(rb.get(g)!.surv).toEqual(rk.surv);
      expect(rb.get(g)!.confType).toBe("log-log");
      const problems = [
        ...compareNumbers(g, "kmByGroup.greenwood.se", gw.get(g)!.stdErr, km.stdErr),
        ...compareNumbers(g, "kmByGroup.robust.se", rb.get(g)!.stdErr, rk.stdErr),
        ...compareNumbers(g, "kmByGroup.robust.lower", rb.get(g)!.lower, rk.lower),
      ];
      expect(problems).toEqual([]);
      // clustering matters here: the robust se differs from Greenwood
      expect(rb.get(g)!.stdErr).not.toEqual(gw.get(g)!.stdErr);
    }
    await expect(kmByGroup(conn, src, { variance: "jackknife" as never })).rejects.toThrow(/variantie/);
  });

  it("rejects bad rows and a horizon that is not a reading point", async () => {
    await expect(survivalInfluence(conn, sql`SELECT 'a' AS groep, 1 AS id, 1 AS tijd, 2 AS status`)).rejects.toThrow(/status/);
    await expect(survivalInfluence(conn, sql`SELECT 'a' AS groep, NULL AS id, 1 AS tijd, 1 AS status`)).rejects.toThrow(/id/);
    await expect(
      survivalInfluence(conn, sql`SELECT 'a' AS groep, 1 AS id, 1 AS tijd, 1 AS status, -1 AS gewicht`, { weighted: true }),
    ).rejects.toThrow(/gewicht/);
    const inf = await survivalInfluence(conn, sql`SELECT 'a' AS groep, 1 AS id, 1 AS tijd, 1 AS status`, { times: [5] });
    expect(() => rmstRobust(inf, "a", 6)).toThrow(/leespunt/);
    expect(() => rmstGreenwood(kaplanMeier([{ time: -1, nEvent: 1, nCensor: 0 }]), 5)).toThrow(/>= 0/);
    // S = 1/2 after day 2: RMST(5) = 2 + 3/2; var = (area after day 2)² · d/(Y(Y − d)) = 1.5² / 2
    const one = rmstGreenwood(kaplanMeier([{ time: 2, nEvent: 1, nCensor: 1 }]), 5);
    expect(one.rmst).toBe(3.5);
    expect(one.stdErr).toBeCloseTo(Math.sqrt(1.125), 14);
    await expect(robustScoreTest(conn, sql`SELECT 'a' AS groep, 1 AS id, 1 AS tijd, 2 AS status`)).rejects.toThrow(/status/);
  });
});
