/**
 * The multinomial propensity model against R nnet::multinom (fixtures of
 * scripts/r/make-golden-ipw.R): coefficients, standard errors, deviance and the fitted
 * probability of each ending's own group, through the DuckDB entry points; and the errors
 * for an empty level, collinear covariates and unknown groups.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "../../core/sql.ts";
import { query } from "../../analyses/lib/sql.ts";
import { fitPropensity, stabilisedWeights } from "../../analyses/adjust/index.ts";
import { fitFixture, loadFixtures, loadRows, maxAbs, maxRel, memoryConnection } from "./golden.ts";

let conn: DuckDBConnection;
memoryConnection((c) => {
  conn = c;
});

const fixtures = loadFixtures();

describe("propensity model vs R nnet::multinom (golden)", () => {
  it("has fixtures", () => expect(fixtures.length).toBeGreaterThanOrEqual(2));
  for (const fx of fixtures) {
    it(fx.name, async () => {
      expect(fx.model.convergence).toBe(0);
      const { src, model } = await fitFixture(conn, fx);
      expect(model.terms.map((t) => t.naam)).toEqual(fx.model.terms);
      expect(model.groepen.slice(1)).toEqual(fx.model.groepen);
      expect(model.n).toBe(fx.data.groep.length);
      const K = fx.model.groepen.length;
      const coef = fx.model.groepen.map((g) => model.coefficients.filter((c) => c.groep === g));
      const ours = (f: (c: (typeof coef)[0][0]) => number) => coef.flatMap((cs) => cs.map(f));
      // R keeps the coefficients per group as columns of coef / se (matrix by column)
      const r = (m: number[][]) => Array.from({ length: K }, (_, k) => m[k]!).flat();
      // nnet::multinom (BFGS) stops when the deviance changes less than reltol: ~1e-6 from the optimum
      const coefAbsMultinom = maxAbs(
        ours((c) => c.schatting),
        r(fx.model.coef),
      );
      const seRelMultinom = maxRel(
        ours((c) => c.se),
        r(fx.model.se),
      );
      // the optimum (Newton in R from multinom's solution, gradient ~1e-12)
      const coefRel = maxRel(
        ours((c) => c.schatting),
        r(fx.optimum.coef),
        1e-6,
      );
      const seRel = maxRel(
        ours((c) => c.se),
        r(fx.optimum.se),
      );
      const devRel = maxRel([model.deviance], [fx.optimum.deviance]);
      await stabilisedWeights(conn, src, model, { soort: "geen" }, "w");
      const rows = await query(conn, sql`SELECT groep, p_groep, gewicht_ruw FROM w ORDER BY rij`);
      const pOwn = rows.map((x) => x.p_groep as number);
      const gi = rows.map((x) => model.groepen.indexOf(x.groep as string));
      const pMultinom = maxRel(
        pOwn,
        gi.map((k, i) => fx.model.fitted[k]![i]!),
      );
      const pRel = maxRel(pOwn, fx.p_groep);
      const wRel = maxRel(
        rows.map((x) => x.gewicht_ruw as number),
        fx.gewicht_ruw,
      );
      console.log(
        `${fx.name}: ${model.nPatronen} patterns, ${model.iterations} Newton iterations. vs multinom: coef max abs ${coefAbsMultinom.toExponential(2)}, se rel ${seRelMultinom.toExponential(2)}, P(groep|x) rel ${pMultinom.toExponential(2)}; vs the optimum: coef rel ${coefRel.toExponential(2)}, se rel ${seRel.toExponential(2)}, deviance rel ${devRel.toExponential(2)}, P(groep|x) rel ${pRel.toExponential(2)}, weight rel ${wRel.toExponential(2)}`,
      );
      expect(fx.optimum.max_gradient).toBeLessThan(1e-9);
      expect(coefAbsMultinom).toBeLessThan(1e-6);
      expect(seRelMultinom).toBeLessThan(1e-6);
      expect(pMultinom).toBeLessThan(1e-6);
      expect(coefRel).toBeLessThan(1e-9);
      expect(seRel).toBeLessThan(1e-9);
      expect(devRel).toBeLessThan(1e-12);
      expect(pRel).toBeLessThan(1e-9);
      expect(wRel).toBeLessThan(1e-9);
    });
  }
});

describe("propensity model errors", () => {
  const fx = fixtures.find((f) => f.fout_zonder_samenvoegen)!;
  beforeAll(async () => {
    await loadRows(conn, "eindes_fout", fx.data);
  });

  it("a level without endings in some group is an error naming it (without pooling)", async () => {
    const { samenvoegenOnder: _, ...spec } = fx.spec;
    await expect(fitPropensity(conn, sql`SELECT * FROM eindes_fout`, spec)).rejects.toThrow(
      /niveau "zeldzaam_a" van diagnosegroep heeft geen eindes in groep extern/,
    );
  });

  it("pooling puts the small levels into overig", async () => {
    const model = await fitPropensity(conn, sql`SELECT * FROM eindes_fout`, fx.spec);
    const diag = model.covariaten.find((c) => c.kolom === "diagnosegroep")!;
    expect(diag.samengevoegd.zeldzaam_a).toBe("overig");
    expect(diag.samengevoegd.zeldzaam_b).toBe("overig");
    expect(diag.samengevoegd.psychisch).toBe("psychisch");
  });

  it("a single small level, still without a group once pooled, joins the largest level", async () => {
    // zeldzaam_a alone (no extern endings) would make overig lack extern too
    const src = sql`SELECT * FROM eindes_fout WHERE diagnosegroep <> 'zeldzaam_b'`;
    const { samenvoegenOnder: _, ...spec } = fx.spec;
    await expect(fitPropensity(conn, src, spec)).rejects.toThrow(/zeldzaam_a/);
    const model = await fitPropensity(conn, src, { ...spec, samenvoegenOnder: 1 });
    const diag = model.covariaten.find((c) => c.kolom === "diagnosegroep")!;
    const counts = await query(
      conn,
      sql`SELECT diagnosegroep, count(*) AS n FROM (${src}) GROUP BY ALL ORDER BY n DESC, diagnosegroep LIMIT 1`,
    );
    expect(diag.samengevoegd.zeldzaam_a).toBe(counts[0]!.diagnosegroep);
    expect(diag.niveaus).not.toContain("overig");
  });

  it("collinear covariates are an error naming the term", async () => {
    await expect(
      fitPropensity(conn, sql`SELECT *, regeling AS regeling_kopie FROM eindes_fout`, {
        groepen: ["geen", "extern", "intern"],
        covariaten: [
          { kolom: "regeling", soort: "categorisch" },
          { kolom: "regeling_kopie", soort: "categorisch" },
        ],
      }),
    ).rejects.toThrow(/lineair afhankelijk \(term regeling_kopiewWajong/);
  });

  it("a group outside the list, or NULL, is an error", async () => {
    const spec = { groepen: ["geen", "extern"], covariaten: [{ kolom: "regeling", soort: "categorisch" as const }] };
    await expect(fitPropensity(conn, sql`SELECT * FROM eindes_fout`, spec)).rejects.toThrow(
      /rijen met een groep die NULL is of niet een van/,
    );
    await expect(
      fitPropensity(conn, sql`SELECT * REPLACE (CASE WHEN rij = 1 THEN NULL ELSE groep END AS groep) FROM eindes_fout`, {
        ...spec,
        groepen: ["geen", "extern", "intern"],
      }),
    ).rejects.toThrow(/1 rijen met een groep die NULL/);
  });

  it("a numeric covariate that is all NULL is an error", async () => {
    await expect(
      fitPropensity(conn, sql`SELECT *, NULL::DOUBLE AS leeg FROM eindes_fout`, {
        groepen: ["geen", "extern", "intern"],
        covariaten: [{ kolom: "leeg", soort: "numeriek" }],
      }),
    ).rejects.toThrow(/leeg heeft geen enkele waarde/);
  });
});

describe("interactions under the ridge penalty", () => {
  const fx = fixtures.find((f) => f.name === "ipw-interacties")!;
  const EMPTY = "diagnosegroepzintuiglijk:opleidingsniveaulaag";
  beforeAll(async () => {
    await loadRows(conn, "eindes_int", fx.data);
  });
  const src = sql`SELECT * FROM eindes_int`;
  const internCoef = (m: Awaited<ReturnType<typeof fitPropensity>>) =>
    m.coefficients.find((c) => c.groep === "intern" && c.term === EMPTY)!.schatting;

  it("a combination without intern endings stays finite with the penalty; almost without it, it runs off", async () => {
    const counts = await query(
      conn,
      sql`SELECT count(*) FILTER (WHERE groep = 'intern') AS intern, count(*) AS n FROM eindes_int
          WHERE diagnosegroep = 'zintuiglijk' AND opleidingsniveau = 'laag'`,
    );
    expect(counts[0]).toMatchObject({ intern: 0 });
    expect(Number(counts[0]!.n)).toBeGreaterThan(100);
    const penalised = internCoef(await fitPropensity(conn, src, fx.spec));
    expect(Math.abs(penalised)).toBeLessThan(2);
    // λ = 1e-8: the optimum lies far out (the unpenalised estimate is −∞)
    const loose = await fitPropensity(conn, src, { ...fx.spec, interactieStraf: 1e-8 }).then(internCoef, () => -Infinity);
    expect(loose).toBeLessThan(-8);
  });

  it("a combination that never occurs has no term (R drops its zero column too)", async () => {
    const model = await fitPropensity(conn, src, fx.spec);
    expect(model.terms.map((t) => t.naam)).not.toContain("diagnosegroepzintuiglijk:opleidingsniveauonbekend");
    expect(model.terms.filter((t) => t.soort === "interactie").length).toBe(19);
  });

  it("a wrong interaction or penalty is an error naming it", async () => {
    const spec = fx.spec;
    await expect(fitPropensity(conn, src, { ...spec, interacties: [["regeling", "leeftijd"]] })).rejects.toThrow(
      /interactie regeling × leeftijd: leeftijd is geen categorisch kenmerk van het model/,
    );
    await expect(fitPropensity(conn, src, { ...spec, interacties: [["regeling", "geslacht"]] })).rejects.toThrow(
      /geslacht is geen categorisch kenmerk/,
    );
    await expect(
      fitPropensity(conn, src, {
        ...spec,
        interacties: [
          ["regeling", "diagnosegroep"],
          ["diagnosegroep", "regeling"],
        ],
      }),
    ).rejects.toThrow(/staat dubbel/);
    const { interactieStraf: _, ...noPenalty } = spec;
    await expect(fitPropensity(conn, src, noPenalty)).rejects.toThrow(/interactieStraf moet een getal > 0 zijn/);
    await expect(fitPropensity(conn, src, { ...spec, interactieStraf: 0 })).rejects.toThrow(/interactieStraf moet een getal > 0/);
  });
});
