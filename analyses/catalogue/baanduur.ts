import { defineAnalysis, table } from "../types.ts";
import { query } from "../lib/sql.ts";
import { ident, join, sql } from "../../core/sql.ts";
import {
  copyRows,
  finalize,
  hideSharesOfSmallCounts,
  hideSmallCounts,
  hideWith,
  requireDenominator,
  secondarySuppression,
} from "../disclosure/index.ts";
import { sum, share, mean } from "../relations.ts";

const DAGEN_PER_MAAND = 365.25 / 12;

export default defineAnalysis({
  id: "baanduur",
  titel: "Duur van beëindigde banen",
  rapport: "figuur BI.3–BI.5",
  definitie:
    "Hoe lang beëindigde banen (2015–2019) duurden, van de start tot het einde van de baan, in klassen en als gemiddelde in maanden " +
    "(een maand = 365,25/12 dagen), naar jobcoach en naar kenmerken van persoon en baan (contractsoort en soort baan bij het einde). " +
    "Kleine baan bij de start: gemiddeld minder dan 12 uur per week in de eerste drie maanden met loon.",
  publishes: {
    klassen: table({ jobcoach: "key", klasse: "key", aantal: "count", aandeel: "share" }),
    gemiddelde: table({ kenmerk: "key", groep: "key", eindes: "count", gemiddelde_maanden: { kind: "mean", unit: "maanden" } }),
    start_kleine_baan: table({ jobcoach: "key", eindes: "count", aandeel: "share" }),
  },
  relations: [
    sum("klassen", "aantal", "jobcoach", { where: { jobcoach: "totaal" } }),
    share("klassen", "aandeel", "aantal", { over: "klasse" }),
    sum("klassen", "aantal", "klasse", {
      table: "gemiddelde",
      where: { kenmerk: "jobcoach" },
      rename: { groep: "jobcoach" },
      column: "eindes",
      optional: true,
    }),
    sum("gemiddelde", "eindes", "groep", { where: { kenmerk: "totaal", groep: "totaal" } }),
    mean("gemiddelde", "gemiddelde_maanden", "eindes", { over: "groep", total: { where: { kenmerk: "totaal", groep: "totaal" } } }),
    sum("start_kleine_baan", "eindes", "jobcoach", { where: { jobcoach: "totaal" } }),
    sum("start_kleine_baan", "klein", "jobcoach", { where: { jobcoach: "totaal" } }),
    share("start_kleine_baan", "aandeel", "klein", "eindes"),
  ],
  parameters: (p) => ({
    vensterStart: p.d2.vensterStart,
    vensterEinde: p.d2.vensterEinde,
    /** class upper bounds in months (exclusive); the last class is open */
    klasseGrenzenMaanden: [3, 6, 12, 24, 36],
    klasseLabels: ["<3m", "3-6m", "6-12m", "1-2j", "2-3j", ">=3j"],
    kleineBaanUren: 12,
    kenmerken: [
      "totaal",
      "jobcoach",
      "geslacht",
      "opleidingsniveau",
      "diagnosegroep",
      "regeling",
      "contractsoort",
      "soort_baan",
      "sector",
      "grootteklasse",
    ],
  }),
  run: async (ctx, p) => {
    const maanden = sql`(duur_dagen / ${DAGEN_PER_MAAND})`;
    const klasse = sql`CASE ${join(
      p.klasseGrenzenMaanden.map((g, i) => sql`WHEN ${maanden} < ${g} THEN ${i}`),
      sql` `,
    )} ELSE ${p.klasseGrenzenMaanden.length} END`;
    const labels = p.klasseLabels;
    const klassen = await query(
      ctx.conn,
      sql`WITH b AS (SELECT jobcoach, ${klasse} AS k FROM baaneindes WHERE duur_dagen IS NOT NULL),
       c AS (SELECT jobcoach, k, count(*) AS aantal FROM b GROUP BY ALL UNION ALL SELECT 'totaal', k, count(*) FROM b GROUP BY ALL),
       alle AS (SELECT j.jobcoach, r.k FROM (SELECT DISTINCT jobcoach FROM c) j, range(0, ${p.klasseLabels.length}) r(k))
       SELECT alle.jobcoach, ${labels}[alle.k + 1] AS klasse, coalesce(c.aantal, 0) AS aantal,
              coalesce(c.aantal, 0) / sum(coalesce(c.aantal, 0)) OVER (PARTITION BY alle.jobcoach) AS aandeel
       FROM alle LEFT JOIN c ON c.jobcoach = alle.jobcoach AND c.k = alle.k
       ORDER BY CASE alle.jobcoach WHEN 'extern' THEN 1 WHEN 'intern' THEN 2 WHEN 'geen' THEN 3 WHEN 'totaal' THEN 9 ELSE 5 END, alle.jobcoach, alle.k`,
    );
    const gemiddelde = await query(
      ctx.conn,
      sql`WITH b AS (SELECT *, 'totaal' AS totaal FROM baaneindes WHERE duur_dagen IS NOT NULL) ${join(
        p.kenmerken.map(
          (k, i) => sql`SELECT ${i} AS o, ${k} AS kenmerk, coalesce(CAST(${ident(k)} AS VARCHAR), 'onbekend') AS groep,
              count(*) AS eindes, count(DISTINCT persoon_id) AS personen, avg(duur_dagen) / ${DAGEN_PER_MAAND} AS gemiddelde_maanden FROM b GROUP BY ALL`,
        ),
        sql` UNION ALL `,
      )} ORDER BY o, groep`,
    );
    for (const r of gemiddelde) delete r.o;
    const klein = await query(
      ctx.conn,
      sql`WITH b AS (SELECT jobcoach, persoon_id, uren_per_week_start FROM baaneindes WHERE uren_per_week_start IS NOT NULL),
       c AS (SELECT jobcoach, persoon_id, uren_per_week_start FROM b UNION ALL SELECT 'totaal', persoon_id, uren_per_week_start FROM b)
       SELECT jobcoach, count(*) AS eindes, count(DISTINCT persoon_id) AS personen,
              count(*) FILTER (WHERE uren_per_week_start < ${p.kleineBaanUren}) AS klein,
              count(*) FILTER (WHERE uren_per_week_start < ${p.kleineBaanUren}) / count(*) AS aandeel
       FROM c GROUP BY jobcoach
       ORDER BY CASE jobcoach WHEN 'extern' THEN 1 WHEN 'intern' THEN 2 WHEN 'geen' THEN 3 WHEN 'totaal' THEN 9 ELSE 5 END, jobcoach`,
    );
    return { tabellen: { klassen, gemiddelde, start_kleine_baan: klein } };
  },
  publish: (result, rules) => {
    const tot = new Map<string, number>();
    for (const r of result.tabellen.klassen!) tot.set(String(r.jobcoach), (tot.get(String(r.jobcoach)) ?? 0) + (r.aantal as number));
    const klassen = copyRows(result.tabellen.klassen!);
    hideSmallCounts(klassen, ["aantal"], rules);
    secondarySuppression(klassen, "aantal", [
      { key: (r) => String(r.jobcoach), totalKnown: true },
      { key: (r) => String(r.klasse), isTotal: (r) => r.jobcoach === "totaal" },
    ]);
    hideWith(klassen, "aantal", ["aandeel"]);
    requireDenominator(klassen, ["aandeel"], (r) => tot.get(String(r.jobcoach)) ?? null, rules);
    hideSharesOfSmallCounts(
      klassen,
      ["aandeel"],
      (r) => r.aantal,
      (r) => tot.get(String(r.jobcoach)) ?? null,
      rules,
    );

    const gem = copyRows(result.tabellen.gemiddelde!);
    hideSmallCounts(gem, ["eindes"], rules);
    secondarySuppression(gem, "eindes", [{ key: (r) => String(r.kenmerk), totalKnown: true }]);
    requireDenominator(gem, ["gemiddelde_maanden"], (r) => r.personen, rules);

    const klein = copyRows(result.tabellen.start_kleine_baan!);
    requireDenominator(klein, ["aandeel"], (r) => r.personen, rules);
    hideSharesOfSmallCounts(
      klein,
      ["aandeel"],
      (r) => r.klein,
      (r) => r.eindes,
      rules,
    );
    hideSmallCounts(klein, ["eindes"], rules);
    return {
      klassen: finalize(klassen, ["jobcoach", "klasse", "aantal", "aandeel"]),
      gemiddelde: finalize(gem, ["kenmerk", "groep", "eindes", "gemiddelde_maanden"]),
      start_kleine_baan: finalize(klein, ["jobcoach", "eindes", "aandeel"]),
    };
  },
});
