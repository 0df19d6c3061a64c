/**
 * The adjusted jobcoach comparison's data and propensity model, in one home: the published
 * analysis (vergelijking.ts) and the recovery test of the method (scripts/recovery.ts) use both,
 * so the recovery test proves the estimator the site shows.
 *
 * Endings: the mart `baaneindes` (D2), jobcoach category extern / intern / geen (D3), time to the
 * next job and its status (D4).
 *
 * Characteristics of the propensity model: the ones the groups differ in and that also drive
 * finding work, as the marts show them:
 *  - regeling, diagnosegroep, opleidingsniveau (person);
 *  - the start year of the ended job (`startjaar`; jobs started before 2013 in one class: the polis
 *    extract shows them only from 2013). Coached jobs last longer, so the coaching of an ending
 *    depends on when its job started as well as on when it ended;
 *  - the year of the ending (`jaar`: the labour market of the search);
 *  - age at the end in classes (`leeftijdsklasse`: finding work slows down from 55).
 * A multinomial logit with these main effects, plus the two-way interactions of the three person
 * characteristics (regeling × diagnosegroep, regeling × opleidingsniveau, diagnosegroep ×
 * opleidingsniveau) under a ridge penalty (λ = 1: a normal prior with sd 1 on each interaction
 * log odds ratio). The chance of a jobcoach is not additive on the logit scale in these three (it
 * is highest for verstandelijk with low education, far more than the two main effects give):
 * with main effects only, the weights left a third of a standard error of confounding in favour
 * of extern (docs/analyses.md, "The recovery error decomposed"). The penalty keeps the fit
 * finite where a combination has few or no intern endings: such a term shrinks to the main
 * effects. Levels with no ending in some group are pooled first, so the model exists on small
 * worlds too.
 */
import { sql, type Sql } from "../../core/sql.ts";
import type { PropensitySpec } from "../adjust/index.ts";

export const GROEPEN = ["geen", "extern", "intern"] as const;

/** The characteristics of the balance table (the model's main effects), in order. */
export const KENMERKEN = ["regeling", "diagnosegroep", "opleidingsniveau", "startjaar", "jaar", "leeftijdsklasse"] as const;

/**
 * One row per ending of the comparison, over a relation `baaneindes` in scope: persoon_id, groep,
 * the characteristics, tijd and status.
 */
export function comparisonSource(): Sql {
  return sql`SELECT persoon_id, groep, regeling, diagnosegroep, opleidingsniveau, startjaar, jaar, leeftijdsklasse,
                    tijd, status
             FROM (SELECT persoon_id, jobcoach AS groep, coalesce(regeling, 'onbekend') AS regeling,
                          coalesce(diagnosegroep, 'onbekend') AS diagnosegroep, coalesce(opleidingsniveau, 'onbekend') AS opleidingsniveau,
                          CASE WHEN startdatum < DATE '2013-01-01' THEN 'voor 2013' ELSE CAST(year(startdatum) AS VARCHAR) END AS startjaar,
                          CAST(jaar AS VARCHAR) AS jaar,
                          CASE WHEN leeftijd < 25 THEN 'tot 25' WHEN leeftijd < 35 THEN '25-34' WHEN leeftijd < 45 THEN '35-44'
                               WHEN leeftijd < 55 THEN '45-54' ELSE '55 en ouder' END AS leeftijdsklasse,
                          dagen_tot_volgende_baan AS tijd, volgende_baan AS status
                   FROM baaneindes WHERE jobcoach IN ('geen', 'extern', 'intern'))`;
}

/** The interactions of the propensity model (file header), and their ridge penalty λ. */
export const INTERACTIES = [
  ["regeling", "diagnosegroep"],
  ["regeling", "opleidingsniveau"],
  ["diagnosegroep", "opleidingsniveau"],
] as const;
export const INTERACTIE_STRAF = 1;

/** The propensity model over `comparisonSource()` for the groups present (geen first). */
export function propensitySpec(groepen: readonly string[]): PropensitySpec {
  return {
    groepen: [...groepen],
    covariaten: KENMERKEN.map((kolom) => ({ kolom, soort: "categorisch" as const })),
    samenvoegenOnder: 1,
    interacties: INTERACTIES,
    interactieStraf: INTERACTIE_STRAF,
  };
}
