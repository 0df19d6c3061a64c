import { defineAnalysis, table } from "../types.ts";
import type { Row } from "../types.ts";
import { sql, type Sql } from "../../core/sql.ts";
import { fitPropensity, stabilisedWeights, balanceTable, type PropensityModel } from "../adjust/index.ts";
import { differencesAt, rmstDifference, rmstRobust, robustScoreTest, survivalInfluence } from "../survival/index.ts";
import type { InfluenceResult } from "../survival/index.ts";
import { copyRows, finalize, hide } from "../disclosure/index.ts";
import { comparisonSource, GROEPEN, INTERACTIES, INTERACTIE_STRAF, KENMERKEN, propensitySpec } from "./vergelijking-model.ts";
import { countRows, survivalGroups, weightedCurveRows } from "./vergelijking-curven.ts";
import { survivalTimePoints } from "../disclosure/survival.ts";
import { coxComparison, coxCovariates, coxSource } from "./vergelijking-cox.ts";

/**
 * Extern, intern and geen jobcoach compared (issue 12): differences in the cumulative share in a
 * next job at the reading points and in the restricted mean time without work, each with a 95%
 * interval that accounts for several endings per person (infinitesimal jackknife, clustered by
 * person: analyses/survival/robust.ts), a cluster-robust test of any difference, and the same
 * after inverse-probability weighting for the characteristics the groups differ in (multinomial
 * propensity model, stabilised weights: analyses/adjust), with its balance table; and a Cox model
 * on the same characteristics with its hazard ratios, proportional-hazards check and curves by
 * direct standardisation (./vergelijking-cox.ts), whose differences with geen stand in
 * `verschillen` as methode `gestandaardiseerd` next to the weighted ones. Descriptive:
 * weighting and standardisation balance the characteristics in the model, nothing else.
 */

const HORIZONNEN = [365, 1461];

type Methode = "ongecorrigeerd" | "gewogen" | "gestandaardiseerd";

/** The published columns of the hazard-ratio table (run and publish share them). */
const HR_KOLOMMEN = ["model", "kenmerk", "niveau", "referentie", "hr", "lower", "upper", "p"];

/** At risk per group at each time t: endings not yet ended or censored before t (unweighted). */
function atRisk(inf: InfluenceResult, group: string, t: number): number {
  const g = inf.perGroup.get(group);
  if (!g) return 0;
  let gone = 0;
  for (const c of g.counts) if (c.time < t) gone += c.nCensor + c.nEvents.reduce((a, b) => a + b, 0);
  return g.nRows - gone;
}

export default defineAnalysis({
  id: "vergelijking",
  titel: "Extern, intern en geen jobcoach vergeleken",
  rapport: "tabel 3.1 (verschillen); nieuw",
  definitie:
    "Verschil in het aandeel baaneindes (2015–2019) met een volgende baan tussen extern en geen jobcoach en tussen intern en geen jobcoach, op de leespunten, " +
    "en het verschil in het gemiddeld aantal dagen zonder werk in het eerste jaar en de eerste vier jaar (beperkt gemiddelde), met 95%-betrouwbaarheidsintervallen " +
    "die rekening houden met meerdere baaneindes per persoon. Ongecorrigeerd, en gewogen naar regeling, diagnosegroep, opleidingsniveau, startjaar van de baan, jaar van het einde en leeftijdsklasse " +
    "(inverse kansweging), zodat de groepen in die kenmerken gelijk zijn, ook in de combinaties van regeling, diagnosegroep en opleidingsniveau. Daarnaast een Cox-model op dezelfde kenmerken: hazard ratio's met 95%-intervallen " +
    "die rekening houden met meerdere baaneindes per persoon, een toets of de verhouding constant is in de tijd, en curves gestandaardiseerd naar alle baaneindes " +
    "(elk baaneinde met zijn eigen kenmerken, eens als extern, intern en geen). Ook gewogen of gestandaardiseerd blijft het een beschrijving, geen oorzakelijk effect: " +
    "verschillen in kenmerken die niet gemeten zijn, blijven bestaan.",
  publishes: {
    verschillen: table({
      methode: "key",
      vergelijking: "key",
      dag: "key",
      verschil: { kind: "statistic", unit: "fractie" },
      lower: "bound",
      upper: "bound",
    }),
    beperkt_gemiddelde: table({
      methode: "key",
      groep: "key",
      horizon: "key",
      dagen_zonder_werk: { kind: "statistic", unit: "dagen" },
      lower: "bound",
      upper: "bound",
    }),
    beperkt_gemiddelde_verschillen: table({
      methode: "key",
      vergelijking: "key",
      horizon: "key",
      verschil: { kind: "statistic", unit: "dagen" },
      lower: "bound",
      upper: "bound",
    }),
    toets: table({ methode: "key", chikwadraat: "statistic", df: "statistic", p: "statistic" }),
    // per kenmerk and comparison the largest |standardised mean difference| over its levels,
    // before and after weighting: the balance check in one number (the cells themselves are a
    // jobcoach × kenmerk table whose small counts the level totals elsewhere would give away)
    balans: table({
      kenmerk: "key",
      vergelijking: "key",
      grootste_smd: "statistic",
      grootste_smd_gewogen: "statistic",
    }),
    // the weighted curves, on the days the unweighted jobcoach curves may be published
    curven: table({ groep: "key", dag: "key", cum_incidentie: { kind: "statistic", unit: "fractie" }, lower: "bound", upper: "bound" }),
    // Cox: hazard ratios (model gecorrigeerd: groep + kenmerken; gewogen: groep only, inverse-
    // probability weighted) per group and per characteristic level versus the reference level,
    // robust 95% interval; only where the level and the reference level have enough endings
    hazard_ratios: table({
      model: "key",
      kenmerk: "key",
      niveau: "key",
      referentie: "key",
      hr: "statistic",
      lower: "bound",
      upper: "bound",
      p: "statistic",
    }),
    // cox.zph per term and globaal
    ph_toets: table({ term: "key", chikwadraat: "statistic", df: "statistic", p: "statistic" }),
    // the curves standardised over all endings at the reading points (their differences with geen
    // are the methode `gestandaardiseerd` of `verschillen`)
    gestandaardiseerd: table({
      groep: "key",
      dag: "key",
      cum_incidentie: { kind: "statistic", unit: "fractie" },
      lower: "bound",
      upper: "bound",
    }),
  },
  // only estimates and statistics: no count is published, so no linear relation ties a cell
  // here to another; the estimates follow the curve rule (enough at risk in both groups)
  relations: [],
  parameters: (p) => ({
    vanaf: p.d2.vensterStart,
    totEnMet: p.d2.vensterEinde,
    leespunten: [...p.d4.leespunten],
    horizonnen: HORIZONNEN,
    kenmerken: [...KENMERKEN],
    interacties: INTERACTIES.map(([a, b]) => `${a} × ${b}`),
    interactieStraf: INTERACTIE_STRAF,
    confType: p.survival.confType,
    confLevel: p.survival.confLevel,
    curveDagen: [...p.disclosure.curveGrid],
  }),
  run: async (ctx, p) => {
    const src: Sql = comparisonSource();
    const times = [...new Set([...p.leespunten, ...HORIZONNEN])].sort((a, b) => a - b);
    const present = (inf: InfluenceResult) => GROEPEN.filter((g) => (inf.perGroup.get(g)?.nRows ?? 0) > 0);

    const verschillen: Row[] = [];
    const rmst: Row[] = [];
    const rmstVerschil: Row[] = [];
    const toets: Row[] = [];
    const estimates = (methode: Methode, inf: InfluenceResult, risk: InfluenceResult) => {
      const groups = present(inf);
      if (!groups.includes("geen")) return;
      for (const g of groups.filter((x) => x !== "geen")) {
        const vergelijking = `${g} - geen`;
        const d = differencesAt(inf, g, "geen", { confLevel: p.confLevel });
        for (const x of d) {
          if (!p.leespunten.includes(x.time)) continue;
          verschillen.push({
            methode,
            vergelijking,
            dag: x.time,
            verschil: x.difference,
            lower: x.lower,
            upper: x.upper,
            n_risico_min: Math.min(atRisk(risk, g, x.time), atRisk(risk, "geen", x.time)),
          });
        }
        for (const h of p.horizonnen) {
          const r = rmstDifference(inf, g, "geen", h, p.confLevel);
          rmstVerschil.push({
            methode,
            vergelijking,
            horizon: h,
            verschil: r.rmst,
            lower: r.lower,
            upper: r.upper,
            n_risico_min: Math.min(atRisk(risk, g, h), atRisk(risk, "geen", h)),
          });
        }
      }
      for (const g of groups)
        for (const h of p.horizonnen) {
          const r = rmstRobust(inf, g, h, p.confLevel);
          rmst.push({
            methode,
            groep: g,
            horizon: h,
            dagen_zonder_werk: r.rmst,
            lower: r.lower,
            upper: r.upper,
            n_risico_min: atRisk(risk, g, h),
          });
        }
    };

    const plainSrc = sql`SELECT groep, persoon_id AS id, tijd, status FROM (${src})`;
    const plain = await survivalInfluence(ctx.conn, plainSrc, { times });
    estimates("ongecorrigeerd", plain, plain);
    const groups = present(plain);
    if (groups.length >= 2) {
      const t = await robustScoreTest(ctx.conn, plainSrc, { ties: "efron" });
      toets.push({
        methode: "ongecorrigeerd",
        chikwadraat: t.chisq,
        df: t.df,
        p: t.p,
        n_groep_min: Math.min(...groups.map((g) => plain.perGroup.get(g)!.nRows)),
      });
    }

    // the weighted comparison: only when the propensity model exists (every group has endings
    // at every level of every characteristic after pooling small levels)
    const balans: Row[] = [];
    const curven: Row[] = [];
    const hazardRatios: Row[] = [];
    const phToets: Row[] = [];
    const gestandaardiseerd: Row[] = [];
    let model: PropensityModel | undefined;
    try {
      model = await fitPropensity(ctx.conn, src, propensitySpec(groups));
    } catch {
      model = undefined;
    }
    if (model && groups.length >= 2) {
      await stabilisedWeights(ctx.conn, src, model, { soort: "geen" }, "vergelijking_gewichten");
      const weighted = await survivalInfluence(
        ctx.conn,
        sql`SELECT groep, persoon_id AS id, tijd, status, gewicht FROM vergelijking_gewichten`,
        { times, weighted: true, curve: true },
      );
      estimates("gewogen", weighted, plain);
      const dagen = [...new Set([...p.curveDagen, ...p.leespunten])].sort((a, b) => a - b);
      curven.push(...weightedCurveRows(weighted, dagen, p.confType, p.confLevel));
      const cellen = await balanceTable(ctx.conn, "vergelijking_gewichten", model);
      for (const kenmerk of [...KENMERKEN, ...INTERACTIES.map(([a, b]) => `${a} × ${b}`)])
        for (const g of groups.filter((x) => x !== "geen")) {
          const rows = cellen.filter((b) => b.kolom === kenmerk && b.groep === g);
          const max = (f: (b: (typeof rows)[number]) => number | null) => Math.max(...rows.map((b) => Math.abs(f(b) ?? 0)));
          balans.push({
            kenmerk,
            vergelijking: `${g} - geen`,
            grootste_smd: max((b) => b.smdOngewogen),
            grootste_smd_gewogen: max((b) => b.smdGewogen),
            n_groep_min: Math.min(model.nPerGroep[model.groepen.indexOf(g)]!, model.nPerGroep[0]!),
          });
        }
      if (groups.includes("geen")) {
        // the Cox model needs an event at every level: on a tiny world it may not exist (no tables then)
        const cox = await coxComparison(ctx.conn, {
          rows: coxSource(src, model),
          covariates: coxCovariates(model),
          weighted: sql`SELECT persoon_id AS id, tijd, status, groep, gewicht FROM vergelijking_gewichten`,
          times: p.leespunten,
          confLevel: p.confLevel,
          atRisk: (g, t) => atRisk(plain, g, t),
        }).catch((e: unknown) => {
          if (e instanceof Error && e.message.startsWith("Cox:")) return null;
          throw e;
        });
        if (cox) {
          hazardRatios.push(...cox.hazard_ratios);
          phToets.push(...cox.ph_toets);
          gestandaardiseerd.push(...cox.gestandaardiseerd);
          for (const r of cox.gestandaardiseerd_verschillen) verschillen.push({ methode: "gestandaardiseerd", ...r });
        }
      }
    }
    return {
      // telling: the unweighted counts per group and day that decide the curves' published days
      tabellen: {
        verschillen,
        beperkt_gemiddelde: rmst,
        beperkt_gemiddelde_verschillen: rmstVerschil,
        toets,
        balans,
        curven,
        hazard_ratios: hazardRatios,
        ph_toets: phToets,
        gestandaardiseerd,
        telling: countRows(plain),
      },
    };
  },
  publish: (result, rules, p) => {
    const t = result.tabellen;
    // weighted curves only on the days the unweighted counts of each group pass the survival
    // rules (at risk, step rule, pair cut: analyses/disclosure/survival.ts)
    const punten = survivalTimePoints(survivalGroups(t.telling ?? []), p.leespunten, rules, { split: false });
    const curven = (t.curven ?? []).filter((r) => punten.groepen.get(String(r.groep))?.includes(Number(r.dag)));
    // estimates from curves: only where both groups still have enough endings at risk (the curve rule)
    const atRiskRule = (rows: Row[], cols: string[], n = "n_risico_min") => {
      const out = copyRows(rows);
      for (const r of out) if (Number(r[n] ?? 0) < rules.minAtRisk) for (const c of cols) hideCell(r, c);
      return out;
    };
    // a difference of two groups' curves (or a restricted mean up to a day) only on a day both
    // curves are shown: with one curve shown, a difference gives the other back (an outside check
    // read intern's and extern's hidden day 1461 of duur_tot_volgende_baan from these, to 1e-15).
    // Not for the standardised curves (methode gestandaardiseerd): model curves over the whole
    // population, published under their own at-risk rule
    const opDag = (rows: Row[], cols: string[], groepen: (r: Row) => string[], dag: string) => {
      for (const r of rows) {
        if (r.methode === "gestandaardiseerd") continue;
        if (!groepen(r).every((g) => punten.groepen.get(g)?.includes(Number(r[dag])))) for (const c of cols) hideCell(r, c);
      }
      return rows;
    };
    const beide = (r: Row) => String(r.vergelijking).split(" - ");
    const verschillen = opDag(atRiskRule(t.verschillen!, ["verschil", "lower", "upper"]), ["verschil", "lower", "upper"], beide, "dag");
    const rmst = opDag(
      atRiskRule(t.beperkt_gemiddelde!, ["dagen_zonder_werk", "lower", "upper"]),
      ["dagen_zonder_werk", "lower", "upper"],
      (r) => [String(r.groep)],
      "horizon",
    );
    const rmstVerschil = opDag(
      atRiskRule(t.beperkt_gemiddelde_verschillen!, ["verschil", "lower", "upper"]),
      ["verschil", "lower", "upper"],
      beide,
      "horizon",
    );
    const toets = copyRows(t.toets!);
    for (const r of toets) if (Number(r.n_groep_min ?? 0) < rules.minNoemer) for (const c of ["chikwadraat", "df", "p"]) hideCell(r, c);
    const balans = copyRows(t.balans!);
    for (const r of balans)
      if (Number(r.n_groep_min ?? 0) < rules.minNoemer) for (const c of ["grootste_smd", "grootste_smd_gewogen"]) hideCell(r, c);
    // a hazard ratio compares a level with the reference level: shown only when both have enough
    // endings (as the balance table); the PH test as the test of differences
    const hazardRatios = copyRows(t.hazard_ratios ?? []);
    for (const r of hazardRatios)
      if (Math.min(Number(r.n_niveau ?? 0), Number(r.n_referentie ?? 0)) < rules.minNoemer)
        for (const c of ["hr", "lower", "upper", "p"]) hideCell(r, c);
    const phToets = copyRows(t.ph_toets ?? []);
    for (const r of phToets) if (Number(r.n_groep_min ?? 0) < rules.minNoemer) for (const c of ["chikwadraat", "df", "p"]) hideCell(r, c);
    const gestandaardiseerd = atRiskRule(t.gestandaardiseerd ?? [], ["cum_incidentie", "lower", "upper"], "n_risico");
    return {
      verschillen: finalize(verschillen, ["methode", "vergelijking", "dag", "verschil", "lower", "upper"]),
      beperkt_gemiddelde: finalize(rmst, ["methode", "groep", "horizon", "dagen_zonder_werk", "lower", "upper"]),
      beperkt_gemiddelde_verschillen: finalize(rmstVerschil, ["methode", "vergelijking", "horizon", "verschil", "lower", "upper"]),
      toets: finalize(toets, ["methode", "chikwadraat", "df", "p"]),
      balans: finalize(balans, ["kenmerk", "vergelijking", "grootste_smd", "grootste_smd_gewogen"]),
      curven: finalize(copyRows(curven), ["groep", "dag", "cum_incidentie", "lower", "upper"]),
      hazard_ratios: finalize(hazardRatios, HR_KOLOMMEN),
      ph_toets: finalize(phToets, ["term", "chikwadraat", "df", "p"]),
      gestandaardiseerd: finalize(gestandaardiseerd, ["groep", "dag", "cum_incidentie", "lower", "upper"]),
    };
  },
});

/** Hide one estimate of a group too small to show (the primary rule for derived figures). */
function hideCell(r: Row, c: string): void {
  if (r[c] === null || r[c] === undefined) return;
  hide(r, c, "primair");
}
