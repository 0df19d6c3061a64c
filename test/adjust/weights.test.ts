/**
 * Stabilised weights, trimming, the weight summary and the balance table against R (fixtures
 * of scripts/r/make-golden-ipw.R: quantile type 7, weighted.mean, SMD with unweighted variances).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { sql } from "../../core/sql.ts";
import { query } from "../../analyses/lib/sql.ts";
import { balanceTable, fitPropensity, stabilisedWeights, weightSummary } from "../../analyses/adjust/index.ts";
import { fitFixture, loadFixtures, loadRows, maxRel, memoryConnection } from "./golden.ts";

let conn: DuckDBConnection;
memoryConnection((c) => {
  conn = c;
});

const TOL = 1e-9;
const fixtures = loadFixtures();

describe("stabilised weights, summary and balance vs R (golden)", () => {
  for (const fx of fixtures) {
    it(fx.name, async () => {
      const { src, model } = await fitFixture(conn, fx);
      let worst = 0;
      for (const v of fx.varianten) {
        const res = await stabilisedWeights(conn, src, model, v.trimming, "w");
        if (v.onder !== null) expect(maxRel([res.ondergrens!], [v.onder])).toBeLessThan(TOL);
        else expect(res.ondergrens).toBeNull();
        if (v.boven !== null) expect(maxRel([res.bovengrens!], [v.boven])).toBeLessThan(TOL);
        else expect(res.bovengrens).toBeNull();
        const rows = await query(conn, sql`SELECT gewicht FROM w ORDER BY rij`);
        const wRel = maxRel(
          rows.map((r) => r.gewicht as number),
          v.gewicht,
        );
        expect(wRel, `${v.trimming.soort} weights`).toBeLessThan(TOL);
        worst = Math.max(worst, wRel);
        const summary = await weightSummary(conn, "w", model.groepen);
        expect(summary.map((s) => `${s.gewicht}/${s.groep}`)).toEqual(
          ["ruw", "getrimd"].flatMap((k) => [...model.groepen, "totaal"].map((g) => `${k}/${g}`)),
        );
        for (const s of summary) {
          const r = (s.gewicht === "ruw" ? v.samenvatting_ruw : v.samenvatting)[s.groep]!;
          expect(s.n).toBe(r.n);
          const keys = ["min", "p01", "mediaan", "p99", "max", "som", "ess"] as const;
          const rel = maxRel(
            keys.map((k) => s[k]),
            keys.map((k) => r[k]),
          );
          expect(rel, `${v.trimming.soort} summary ${s.gewicht} ${s.groep}`).toBeLessThan(TOL);
          worst = Math.max(worst, rel);
        }
      }
      // the balance table of the first variant (R: the weights of varianten[0])
      await stabilisedWeights(conn, src, model, fx.varianten[0]!.trimming, "w");
      const bal = await balanceTable(conn, "w", model);
      expect(bal.map((b) => `${b.kolom}/${b.niveau}/${b.groep}`)).toEqual(fx.balans.map((b) => `${b.kolom}/${b.niveau}/${b.groep}`));
      bal.forEach((b, i) => {
        const r = fx.balans[i]!;
        const where = `${b.kolom}/${b.niveau}/${b.groep}`;
        expect([b.n, b.nGroep], where).toEqual([r.n, r.nGroep]);
        expect(b.smdOngewogen === null, where).toBe(r.smdOngewogen === null);
        const keys = ["somGewicht", "ongewogen", "gewogen", "variantie"] as const;
        const ours = [...keys.map((k) => b[k]), b.smdOngewogen ?? 0, b.smdGewogen ?? 0];
        const theirs = [...keys.map((k) => r[k]), r.smdOngewogen ?? 0, r.smdGewogen ?? 0];
        const rel = maxRel(ours, theirs);
        expect(rel, where).toBeLessThan(TOL);
        worst = Math.max(worst, rel);
      });
      // weighting moves the group means towards the reference's: smaller |SMD| on average
      const mean = (xs: number[]) => xs.reduce((a, c) => a + Math.abs(c), 0) / xs.length;
      const smd = bal.filter((b) => b.smdOngewogen !== null);
      expect(mean(smd.map((b) => b.smdGewogen!))).toBeLessThan(mean(smd.map((b) => b.smdOngewogen!)) / 2);
      console.log(`${fx.name}: weights, summaries and ${bal.length} balance rows, max rel diff vs R ${worst.toExponential(2)}`);
    });
  }

  it("rejects bad trimming and rows the model has not seen", async () => {
    const fx = fixtures[0]!;
    await loadRows(conn, "eindes", fx.data);
    const model = await fitPropensity(conn, sql`SELECT * FROM eindes`, fx.spec);
    await expect(
      stabilisedWeights(conn, sql`SELECT * FROM eindes`, model, { soort: "percentiel", onder: 0.99, boven: 0.01 }),
    ).rejects.toThrow(/0 <= onder < boven <= 1/);
    await expect(stabilisedWeights(conn, sql`SELECT * FROM eindes`, model, { soort: "maximum", maximum: 0 })).rejects.toThrow(/maximum/);
    await expect(
      stabilisedWeights(conn, sql`SELECT * REPLACE ('nieuw' AS regeling) FROM eindes WHERE rij <= 3`, model, { soort: "geen" }),
    ).rejects.toThrow(/3 rijen met een groep of een kenmerkpatroon dat het model niet kent/);
  });
});
