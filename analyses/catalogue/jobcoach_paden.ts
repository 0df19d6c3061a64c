import { defineAnalysis, table } from "../types.ts";
import { query } from "../lib/sql.ts";
import { join, sql, type Sql } from "../../core/sql.ts";
import {
  copyRows,
  finalize,
  hideSharesOfSmallCounts,
  hideSmallCounts,
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
    "Personen van wie de eerste toegekende jobcoachperiode in 2013–2017 begon. Per maand na die start (maand 0) de situatie: " +
    "proefplaatsing, betaald werk met jobcoach, betaald werk zonder jobcoach of geen werk (in die volgorde van voorrang). " +
    "Aandelen van de personen die in die maand nog worden gevolgd, apart voor Wajong en WGA en voor externe en interne jobcoach.",
  publishes: {
    paden: table({ groep: "key", soort_jobcoach: "key", maand: "key", status: "key", aandeel: "share" }),
    aantallen: table({ groep: "key", soort_jobcoach: "key", personen: "count" }),
  },
  relations: [
    // the states of a month add up to the cohort; alle = extern ∪ intern
    share("paden", "aandeel", "personen", "noemer"),
    sum("paden", "personen", "status", { any: ["status"], column: "noemer" }),
    sum("paden", "personen", "soort_jobcoach", { where: { soort_jobcoach: "alle" } }),
    sum("aantallen", "personen", "soort_jobcoach", { where: { soort_jobcoach: "alle" } }),
    sum("aantallen", "personen", [], { table: "paden", where: { maand: 0 }, any: ["status"], column: "noemer" }),
  ],
  parameters: (p) => ({ cohortStart: p.d7.cohortStart, cohortEinde: p.d7.cohortEinde, maanden: p.d7.maanden }),
  run: async (ctx, p) => {
    const src = sql`(SELECT groep, soort_jobcoach, maand, status, persoon_id FROM maandstatus WHERE maand BETWEEN 0 AND ${p.maanden}
                  UNION ALL SELECT groep, 'alle', maand, status, persoon_id FROM maandstatus WHERE maand BETWEEN 0 AND ${p.maanden})`;
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
    const paden = copyRows(result.tabellen.paden!);
    requireDenominator(paden, ["aandeel"], (r) => r.noemer, rules);
    hideSharesOfSmallCounts(
      paden,
      ["aandeel"],
      (r) => r.personen,
      (r) => r.noemer,
      rules,
    );
    const aantallen = copyRows(result.tabellen.aantallen!);
    hideSmallCounts(aantallen, ["personen"], rules);
    // extern + intern = alle, per groep
    secondarySuppression(aantallen, "personen", [{ key: (r) => String(r.groep), isTotal: (r) => r.soort_jobcoach === "alle" }]);
    return {
      paden: finalize(paden, ["groep", "soort_jobcoach", "maand", "status", "aandeel"]),
      aantallen: finalize(aantallen, ["groep", "soort_jobcoach", "personen"]),
    };
  },
});
