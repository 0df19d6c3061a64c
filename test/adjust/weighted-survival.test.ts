/**
 * Weighted per-time counts (DuckDB) and weighted Kaplan–Meier / Aalen–Johansen point estimates
 * against R survfit(..., weights = w) with the golden weights (scripts/r/make-golden-ipw.R);
 * with unit weights the same as the unweighted engine.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { sql } from "../../core/sql.ts";
import { stabilisedWeights, weightedCounts, weightedCurve } from "../../analyses/adjust/index.ts";
import { aalenJohansen, competingCounts } from "../../analyses/survival/index.ts";
import { fitFixture, loadFixtures, loadRows, maxRel, memoryConnection } from "./golden.ts";

let conn: DuckDBConnection;
memoryConnection((c) => {
  conn = c;
});

const TOL = 1e-9;
const fixtures = loadFixtures();

describe("weighted survival curves vs R survfit with weights (golden)", () => {
  for (const fx of fixtures) {
    it(fx.name, async () => {
      const { src, model } = await fitFixture(conn, fx);
      await stabilisedWeights(conn, src, model, fx.varianten[0]!.trimming, "w");
      const rows = (q: string) =>
        sql`SELECT groep, persoon_id AS id, tijd, ${q === "km" ? sql`(status = 1)::INTEGER` : sql`status`} AS status, gewicht FROM w`;
      const km = await weightedCounts(conn, rows("km"), 1);
      const aj = await weightedCounts(conn, rows("aj"), 2);
      let worst = 0;
      const cmp = (where: string, a: number[], b: number[]) => {
        const rel = maxRel(a, b);
        expect(rel, where).toBeLessThan(TOL);
        worst = Math.max(worst, rel);
      };
      for (const g of model.groepen) {
        const r = fx.curves.km[g]!;
        const c = weightedCurve(km.get(g)!);
        cmp(`km ${g} time`, c.time, r.time);
        cmp(`km ${g} n.risk`, c.nRisk, r.n_risk);
        cmp(`km ${g} n.event`, c.nEvent[0]!, r.n_event);
        cmp(`km ${g} n.censor`, c.nCensor, r.n_censor);
        cmp(`km ${g} surv`, c.surv, r.surv);
        cmp(
          `km ${g} 1 - surv`,
          c.cumInc[0]!,
          r.surv.map((s) => 1 - s),
        );
        const a = fx.curves.aj[g]!;
        const d = weightedCurve(aj.get(g)!);
        cmp(`aj ${g} time`, d.time, a.time);
        // a multi-state survfit reports unweighted n.risk and n.event (the KM one weighted ones)
        cmp(`aj ${g} n.risk (rows)`, d.nRiskRows, a.n_risk);
        cmp(`aj ${g} n.event 1 (rows)`, d.nEventRows[0]!, a.n_event_1);
        cmp(`aj ${g} n.event 2 (rows)`, d.nEventRows[1]!, a.n_event_2);
        cmp(`aj vs km ${g} weighted n.risk`, d.nRisk, r.n_risk);
        cmp(`aj ${g} pstate s0`, d.surv, a.surv);
        cmp(`aj ${g} cuminc 1`, d.cumInc[0]!, a.cum_inc_1);
        cmp(`aj ${g} cuminc 2`, d.cumInc[1]!, a.cum_inc_2);
      }
      console.log(`${fx.name}: weighted KM and Aalen–Johansen per group, max rel diff vs R ${worst.toExponential(2)}`);
    });
  }

  it("unit weights give the unweighted engine's estimates", async () => {
    const fx = fixtures[0]!;
    await loadRows(conn, "eindes", fx.data);
    const w = await weightedCounts(conn, sql`SELECT groep, persoon_id AS id, tijd, status, 1.0 AS gewicht FROM eindes`, 2);
    const u = await competingCounts(conn, sql`SELECT groep, tijd, status FROM eindes`, 2);
    for (const [g, counts] of u) {
      const ref = aalenJohansen(counts);
      const c = weightedCurve(w.get(g)!);
      expect(c.nRisk).toEqual(ref.nRisk);
      expect(c.nRiskRows).toEqual(ref.nRisk);
      expect(maxRel(c.cumInc[0]!, ref.cumInc[0]!)).toBeLessThan(1e-13);
      expect(maxRel(c.cumInc[1]!, ref.cumInc[1]!)).toBeLessThan(1e-13);
      expect(maxRel(c.surv, ref.surv)).toBeLessThan(1e-13);
    }
  });

  it("rejects NULL or negative weights, a NULL id and a status out of range", async () => {
    await expect(weightedCounts(conn, sql`SELECT groep, persoon_id AS id, tijd, status, -1.0 AS gewicht FROM eindes`, 2)).rejects.toThrow(
      /ongeldige gewicht/,
    );
    await expect(
      weightedCounts(conn, sql`SELECT groep, persoon_id AS id, tijd, status, NULL::DOUBLE AS gewicht FROM eindes`, 2),
    ).rejects.toThrow(/ongeldige gewicht/);
    await expect(weightedCounts(conn, sql`SELECT groep, NULL AS id, tijd, status, 1.0 AS gewicht FROM eindes`, 2)).rejects.toThrow(
      /ongeldige id/,
    );
    await expect(
      weightedCounts(conn, sql`SELECT groep, persoon_id AS id, tijd, status + 5 AS status, 1.0 AS gewicht FROM eindes`, 2),
    ).rejects.toThrow(/ongeldige status/);
  });
});
