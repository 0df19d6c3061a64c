import { defineAnalysis, table, type Row } from "../types.ts";
import { query } from "../lib/sql.ts";
import { join, sql, type Sql } from "../../core/sql.ts";
import {
  copyRows,
  finalize,
  hideSharesOfSmallCounts,
  hideSmallCounts,
  hide,
  isHidden,
  requireDenominator,
  secondarySuppression,
} from "../disclosure/index.ts";
import { sum, share } from "../relations.ts";

const STATUS = ["proefplaatsing", "werk_met_jobcoach", "werk_zonder_jobcoach", "geen_werk"];

export default defineAnalysis({
  id: "jobcoach_paden",
  titel: "Arbeidsmarktpaden na start jobcoaching",
  rapport: "artikel jobcoach, figuur 1",
  definitie:
    "Personen van wie de eerste toegekende jobcoachperiode in 2013–2017 begon en die alle maanden tot en met de laatste in de gegevens te volgen zijn. " +
    "Per maand na die start (maand 0) de situatie: " +
    "proefplaatsing, betaald werk met jobcoach, betaald werk zonder jobcoach of geen werk (in die volgorde van voorrang). " +
    "Aandelen van alle personen van die groep, elke maand dezelfde personen; apart voor Wajong en WGA en voor externe en interne jobcoach.",
  publishes: {
    paden: table({ groep: "key", soort_jobcoach: "key", maand: "key", status: "key", aandeel: "share" }),
    aantallen: table({ groep: "key", soort_jobcoach: "key", personen: "count" }),
  },
  relations: [
    // every month follows the whole cohort (a closed cohort, see run): each state is a share of
    // the published cohort size, the states of a month add up to it, and alle = extern ∪ intern
    share("paden", "aandeel", "personen", { table: "aantallen" }),
    sum("paden", "personen", "status", { table: "aantallen" }),
    sum("paden", "personen", "soort_jobcoach", { where: { soort_jobcoach: "alle" } }),
    sum("aantallen", "personen", "soort_jobcoach", { where: { soort_jobcoach: "alle" } }),
  ],
  parameters: (p) => ({ cohortStart: p.d7.cohortStart, cohortEinde: p.d7.cohortEinde, maanden: p.d7.maanden }),
  run: async (ctx, p) => {
    // A closed cohort: only persons followed through month `maanden` (maandstatus stops at the data
    // end), so every month's shares are of the same persons. Followed-in-the-month denominators
    // would differ by the persons who started in one calendar month, a count the shares give away.
    const gevolgd = sql`(SELECT groep, soort_jobcoach, maand, status, persoon_id FROM maandstatus
                  WHERE maand BETWEEN 0 AND ${p.maanden}
                    AND persoon_id IN (SELECT persoon_id FROM maandstatus WHERE maand = ${p.maanden}))`;
    const src = sql`(SELECT * FROM ${gevolgd} UNION ALL SELECT groep, 'alle', maand, status, persoon_id FROM ${gevolgd})`;
    const order = (col: Sql) => sql`CASE ${col} WHEN 'alle' THEN 0 WHEN 'extern' THEN 1 ELSE 2 END`;
    const paden = await query(
      ctx.conn,
      sql`WITH s AS ${src},
       c AS (SELECT groep, soort_jobcoach, maand, status, count(*) AS personen FROM s GROUP BY ALL),
       n AS (SELECT groep, soort_jobcoach, maand, count(*) AS noemer FROM s GROUP BY ALL),
       st AS (SELECT * FROM (VALUES ${join(STATUS.map((x, i) => sql`(${x}, ${i})`))}) v(status, o))
       SELECT n.groep, n.soort_jobcoach, n.maand, st.status, coalesce(c.personen, 0) AS personen, n.noemer,
              coalesce(c.personen, 0) / n.noemer AS aandeel
       FROM n CROSS JOIN st LEFT JOIN c USING (groep, soort_jobcoach, maand, status)
       ORDER BY n.groep DESC, ${order(sql`n.soort_jobcoach`)}, n.maand, st.o`,
    );
    const aantallen = await query(
      ctx.conn,
      sql`WITH s AS ${src}
       SELECT groep, soort_jobcoach, count(DISTINCT persoon_id) AS personen FROM s WHERE maand = 0 GROUP BY groep, soort_jobcoach
       ORDER BY groep DESC, ${order(sql`soort_jobcoach`)}`,
    );
    return { tabellen: { paden, aantallen } };
  },
  publish: (result, rules) => {
    const aantallen = copyRows(result.tabellen.aantallen!);
    hideSmallCounts(aantallen, ["personen"], rules);
    // a cohort too small for shares (all its states hidden) keeps its size back too: its states
    // add up to it, so beside it they could not move by the protection margin; with its partner
    // cohort hidden in turn, no month's shares hang on a hidden size (which would tie all months
    // into one system for the attacker check)
    for (const r of aantallen)
      if (typeof r.personen === "number" && r.personen < rules.minNoemer && r.personen > 0) hide(r, "personen", "secundair");
    // extern + intern = alle, per groep
    secondarySuppression(aantallen, "personen", [{ key: (r) => String(r.groep), isTotal: (r) => r.soort_jobcoach === "alle" }]);
    const cohort = (r: Row) => `${r.groep}|${r.soort_jobcoach}`;
    const cohortHidden = new Set(aantallen.filter((r) => isHidden(r, "personen")).map(cohort));

    const paden = copyRows(result.tabellen.paden!);
    requireDenominator(paden, ["aandeel"], (r) => r.noemer, rules);
    hideSharesOfSmallCounts(
      paden,
      ["aandeel"],
      (r) => r.personen,
      (r) => r.noemer,
      rules,
    );
    // a share is shown only beside its published cohort size (a hidden denominator is not a linear
    // relation); these are hidden for their denominator, not for their own count
    for (const r of paden) if (cohortHidden.has(cohort(r))) hide(r, "aandeel", "secundair");
    // a table of its own per groep and month: states × soort, with the cohort sizes and alle as
    // margins; one hidden state of a cohort is the cohort minus the others, one hidden soort alle
    // minus the other. The counts decide the partner's class (extern's and intern's shares are of
    // different cohorts), the run's key the partner within it.
    secondarySuppression(
      paden,
      "aandeel",
      [
        { key: (r) => `${cohort(r)}|${r.maand}`, totalKnown: true },
        { key: (r) => `${r.groep}|${r.maand}|${r.status}`, isTotal: (r) => r.soort_jobcoach === "alle" },
      ],
      { value: (r) => r.personen as number, rules },
    );
    return {
      paden: finalize(paden, ["groep", "soort_jobcoach", "maand", "status", "aandeel"]),
      aantallen: finalize(aantallen, ["groep", "soort_jobcoach", "personen"]),
    };
  },
});
