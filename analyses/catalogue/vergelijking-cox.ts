/**
 * The Cox model of the jobcoach comparison (issue 12, vergelijking.ts), next to the weighted
 * Kaplan–Meier curves so that the two adjustments can be compared:
 *  - the conditional Cox model: time to the next job on groep (geen the reference) and the
 *    characteristics of the propensity model (`KENMERKEN`, with its pooled levels and its
 *    reference levels), Efron ties, person-clustered robust standard errors
 *    (analyses/survival/cox-duckdb.ts, R `coxph(..., ties = "efron", cluster = id)`);
 *    hazard ratios per group and per characteristic level with their robust 95% interval;
 *  - its proportional-hazards check per term and global (R `cox.zph(fit, transform = "km")`);
 *  - curves by direct standardisation over the study population (every ending with its own
 *    characteristics, once as extern, intern and geen; analyses/survival/standardise.ts) at the
 *    reading points, as the cumulative share in a next job with a 95% interval, and their
 *    differences with geen;
 *  - the marginal Cox model (a marginal structural model): Cox of groep only on the endings
 *    weighted by the stabilised inverse-probability weights of the propensity model, robust
 *    standard errors. That is the estimator of the synthetic world's Cox truth
 *    (`marginale_cox_hazard_ratio`, data/generator/TRUTH.md); the conditional hazard ratio is a
 *    different quantity (non-collapsible), whatever the adjustment.
 * The world's effect is not proportional (a hazard ratio piecewise in days since the end), so a
 * hazard ratio is a weighted average over time; the standardised curves are the readable result.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, sql, type Sql } from "../../core/sql.ts";
import type { PropensityModel } from "../adjust/index.ts";
import { levelExpr } from "../adjust/design.ts";
import { coxPh, coxZph, standardisedCurves, type CoxCovariate, type CoxModel } from "../survival/index.ts";
import type { Row } from "../types.ts";
import { KENMERKEN } from "./vergelijking-model.ts";

/** The term of the groups in the Cox model and its tables. */
export const GROEP_TERM = "groep";

/**
 * Rows of the Cox model over `comparisonSource()` or a table of its rows with weights (columns
 * id, tijd, status, groep, every characteristic with the propensity model's pooled levels, and
 * the `extra` columns of `src` as they are, e.g. gewicht).
 */
export function coxSource(src: Sql, model: PropensityModel, extra: readonly string[] = []): Sql {
  const levels = KENMERKEN.map((k) => {
    const cov = model.covariaten.find((c) => c.kolom === k);
    if (!cov) throw new Error(`vergelijking: kenmerk ${k} ontbreekt in het propensitymodel`);
    return sql`${levelExpr(ident(k), cov)} AS ${ident(k)}`;
  });
  return sql`SELECT persoon_id AS id, tijd, status, groep, ${join([...levels, ...extra.map((c) => ident(c))])} FROM (${src})`;
}

/** The Cox model's covariates: groep (geen the reference), then the characteristics with the propensity model's references. */
export function coxCovariates(model: PropensityModel): CoxCovariate[] {
  return [
    { name: GROEP_TERM, type: "categorical", reference: "geen" },
    ...KENMERKEN.map((k) => ({
      name: k,
      type: "categorical" as const,
      reference: model.covariaten.find((c) => c.kolom === k)!.niveaus[0]!,
    })),
  ];
}

/** Endings per level of each term of a fitted model (from its covariate patterns). */
export function levelCounts(fit: CoxModel): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  fit.terms.forEach((t, i) => {
    const m = new Map<string, number>();
    fit.data.patterns.forEach((row, k) => {
      const v = String(row[i]);
      m.set(v, (m.get(v) ?? 0) + fit.data.patternCount[k]!);
    });
    out.set(t.name, m);
  });
  return out;
}

/** Hazard-ratio rows (model, kenmerk, niveau, hr, lower, upper, p) with the endings at the level and at the reference level. */
export function hazardRatioRows(fit: CoxModel, model: string): Row[] {
  const counts = levelCounts(fit);
  const out: Row[] = [];
  for (const t of fit.terms) {
    const n = counts.get(t.name)!;
    t.levels
      .filter((l) => l !== t.reference)
      .forEach((niveau, li) => {
        const h = fit.hazardRatios[t.columns[li]!]!;
        out.push({
          model,
          kenmerk: t.name,
          niveau,
          referentie: t.reference,
          hr: h.hr,
          lower: h.lower,
          upper: h.upper,
          p: h.p,
          n_niveau: n.get(niveau) ?? 0,
          n_referentie: n.get(t.reference!) ?? 0,
        });
      });
  }
  return out;
}

export interface CoxTables {
  hazard_ratios: Row[];
  ph_toets: Row[];
  gestandaardiseerd: Row[];
  gestandaardiseerd_verschillen: Row[];
}

export interface CoxComparisonOptions {
  /** the rows of the conditional model: id, tijd, status, groep and the characteristics (`coxSource`) */
  rows: Sql;
  /** its covariates, groep first (`coxCovariates`) */
  covariates: readonly CoxCovariate[];
  /** the same endings with their stabilised weights: id, tijd, status, groep, gewicht (absent: no marginal model) */
  weighted?: Sql;
  /** reading points (days) of the standardised curves */
  times: readonly number[];
  confLevel: number;
  /** unweighted endings at risk in a group at a day (the curve rule of disclosure control) */
  atRisk: (groep: string, dag: number) => number;
}

/** The Cox tables of the comparison (file header). */
export async function coxComparison(conn: DuckDBConnection, opts: CoxComparisonOptions): Promise<CoxTables> {
  const fit = await coxPh(conn, opts.rows, opts.covariates, {
    confLevel: opts.confLevel,
    robustScoreTest: false,
  });
  const hazard_ratios = hazardRatioRows(fit, "gecorrigeerd");
  const counts = levelCounts(fit).get(GROEP_TERM)!;
  const nGroepMin = Math.min(...counts.values());

  const zph = coxZph(fit);
  const ph_toets: Row[] = [
    ...zph.terms.map((z) => ({ term: z.term, chikwadraat: z.chisq, df: z.df, p: z.p, n_groep_min: nGroepMin })),
    { term: "globaal", chikwadraat: zph.global.chisq, df: zph.global.df, p: zph.global.p, n_groep_min: nGroepMin },
  ];

  // standardised survival → cumulative share in a next job (1 − S; the bounds swap)
  const std = standardisedCurves(fit, GROEP_TERM, opts.times, { confLevel: opts.confLevel });
  const gestandaardiseerd: Row[] = [];
  for (const c of std.curves)
    opts.times.forEach((dag, j) => {
      gestandaardiseerd.push({
        groep: c.level,
        dag,
        cum_incidentie: 1 - c.surv[j]!,
        lower: 1 - c.upper[j]!,
        upper: 1 - c.lower[j]!,
        n_risico: opts.atRisk(c.level, dag),
      });
    });
  const gestandaardiseerd_verschillen: Row[] = [];
  for (const d of std.differences)
    opts.times.forEach((dag, j) => {
      gestandaardiseerd_verschillen.push({
        vergelijking: `${d.level} - ${d.reference}`,
        dag,
        verschil: -d.diff[j]!,
        lower: -d.upper[j]!,
        upper: -d.lower[j]!,
        n_risico_min: Math.min(opts.atRisk(d.level, dag), opts.atRisk(d.reference, dag)),
      });
    });

  if (opts.weighted) {
    const marginal = await coxPh(conn, opts.weighted, [{ name: GROEP_TERM, type: "categorical", reference: "geen" }], {
      confLevel: opts.confLevel,
      weights: "gewicht",
      robustScoreTest: false,
    });
    hazard_ratios.unshift(...hazardRatioRows(marginal, "gewogen"));
  }
  return { hazard_ratios, ph_toets, gestandaardiseerd, gestandaardiseerd_verschillen };
}
