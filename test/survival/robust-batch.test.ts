/**
 * The all-kenmerken-at-once person-level variances (robust-curves.ts, robust-score-tests.ts)
 * against the per-group engines they replace in the survival analyses, which are golden-tested
 * against R (test/survival/robust.test.ts): survivalInfluence's curve variance and
 * robustScoreTest. Seeded random endings where persons have several endings in several groups,
 * tied times, time 0, competing events and a missing group.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { ident, run, sql } from "../../core/sql.ts";
import {
  curveKey,
  robustCurveVariance,
  robustRows,
  robustScoreTest,
  robustScoreTests,
  survivalInfluence,
} from "../../analyses/survival/index.ts";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe("robust variances for all kenmerken at once = the per-group engines", () => {
  let conn: DuckDBConnection;
  beforeAll(async () => {
    conn = await (await DuckDBInstance.create(":memory:")).connect();
    const r = rng(12);
    const rows: string[] = [];
    for (let p = 0; p < 150; p++) {
      const m = 1 + Math.floor(r() * r() * 6); // many persons with one ending, some with up to 6
      const regio = ["noord", "oost", "zuid", "west"][Math.floor(r() * 4)]!;
      for (let e = 0; e < m; e++) {
        const jc = r() < 0.05 ? "NULL" : `'${["extern", "intern", "geen"][Math.floor(r() * 3)]}'`;
        const t = r() < 0.1 ? 0 : Math.floor(r() * 60); // ties and time 0
        const u = r();
        const s = u < 0.45 ? 1 : u < 0.7 ? 2 : 0;
        rows.push(`('p${p}', ${jc}, '${regio}', ${t}, ${s})`);
      }
    }
    await run(conn, sql`CREATE TABLE eindes (persoon_id VARCHAR, jobcoach VARCHAR, regio VARCHAR, tijd INTEGER, status INTEGER)`);
    // test data only: a fixed, generated VALUES list
    await conn.run(`INSERT INTO eindes VALUES ${rows.join(", ")}`);
  });
  afterAll(() => conn.closeSync());

  const kenmerken = ["totaal", "jobcoach", "regio"];
  const source = { bron: sql`eindes`, waar: sql`TRUE`, tijd: sql`tijd`, status: sql`status`, persoon: sql`persoon_id`, kenmerken };
  const groepExpr = (k: string) => (k === "totaal" ? sql`'totaal'` : sql`${ident(k)}`);

  it("curve variances (km and aj) equal survivalInfluence's per group, to 1e-12", async () => {
    const rows = await robustRows(conn, source);
    const v = await robustCurveVariance(conn, rows, ["km", "aj"]);
    await rows.drop();
    let compared = 0;
    for (const k of kenmerken) {
      for (const m of ["km", "aj"] as const) {
        const inf = await survivalInfluence(
          conn,
          sql`SELECT ${groepExpr(k)} AS groep, persoon_id AS id, tijd, CASE WHEN ${m === "km"} AND status = 2 THEN 0 ELSE status END AS status FROM eindes`,
          { curve: true, nCauses: m === "km" ? 1 : 2 },
        );
        for (const [g, gi] of inf.perGroup) {
          const ours = v.variance.get(curveKey(k, g, m))!;
          expect(ours.time).toEqual(gi.counts.map((c) => c.time));
          gi.curveVariance![0]!.forEach((x, i) => {
            expect(Math.abs(ours.variance[i]! - x)).toBeLessThanOrEqual(1e-12 * Math.max(x, 1e-6));
            compared++;
          });
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("score tests equal robustScoreTest per kenmerk (persons in several groups), to 1e-10", async () => {
    const rows = await robustRows(conn, source);
    const v = await robustCurveVariance(conn, rows, ["km"]);
    const tests = await robustScoreTests(conn, rows, v.counts);
    await rows.drop();
    expect(tests.find((t) => t.kenmerk === "totaal")).toEqual({ kenmerk: "totaal", chisq: null, df: null, p: null });
    for (const k of ["jobcoach", "regio"]) {
      const ref = await robustScoreTest(
        conn,
        sql`SELECT ${groepExpr(k)} AS groep, persoon_id AS id, tijd, CASE WHEN status = 1 THEN 1 ELSE 0 END AS status FROM eindes`,
      );
      const ours = tests.find((t) => t.kenmerk === k)!;
      expect(ours.df).toBe(ref.df);
      expect(Math.abs(ours.chisq! - ref.chisq!)).toBeLessThanOrEqual(1e-10 * ref.chisq!);
      expect(Math.abs(ours.p! - ref.p!)).toBeLessThanOrEqual(1e-10);
    }
  });

  it("refuses a status outside 0..2", async () => {
    await expect(robustRows(conn, { ...source, status: sql`status + 1` })).rejects.toThrow(/status buiten 0..2/);
  });
});
