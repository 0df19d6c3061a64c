import { defineAnalysis, table } from "../types.ts";
import { query, yearOf } from "../lib/sql.ts";
import { sql } from "../../core/sql.ts";
import {
  copyRows,
  finalize,
  hideSharesOfSmallCounts,
  hideSmallCounts,
  hideWith,
  requireDenominator,
  secondarySuppression,
} from "../disclosure/index.ts";
import { sum, share } from "../relations.ts";

export default defineAnalysis({
  id: "baaneindes_per_jaar",
  titel: "Baaneindes per jaar",
  rapport: "figuur 3.1",
  definitie:
    "Aantal beëindigde banen van Wajongers per jaar, naar jobcoach bij de baan (extern, intern, geen). " +
    "Een baan eindigt op de geregistreerde einddatum of, zonder einddatum, na drie maanden zonder loon op de laatste dag van de laatste maand met loon. " +
    "Eindes waarbij de uitkering binnen drie maanden eindigde door overlijden of pensioen tellen niet mee.",
  publishes: {
    per_jaar: table({ jaar: "key", jobcoach: "key", aantal: "count", aandeel: "share" }),
    werkende_wajongers: table({ jaar: "key", aantal: "count" }),
    kerncijfers: table({ naam: "key", waarde: "count" }),
  },
  relations: [
    sum("per_jaar", "aantal", "jobcoach", { where: { jobcoach: "totaal" } }),
    share("per_jaar", "aandeel", "aantal", { where: { jobcoach: "totaal" } }),
    // the years add up to the kerncijfer, and per jobcoach group to the survival files' counts
    sum(
      "per_jaar",
      "aantal",
      "jaar",
      { table: "kerncijfers", where: { naam: "baaneindes_totaal" }, column: "waarde" },
      { jobcoach: "totaal" },
    ),
    sum("per_jaar", "aantal", "jaar", {
      analysis: "duur_tot_volgende_baan",
      table: "aantallen",
      where: { kenmerk: "jobcoach" },
      rename: { groep: "jobcoach" },
      column: "n",
      optional: true,
    }),
  ],
  parameters: (p) => ({ vensterStart: p.d2.vensterStart, vensterEinde: p.d2.vensterEinde }),
  run: async (ctx, p) => {
    const y0 = yearOf(p.vensterStart),
      y1 = yearOf(p.vensterEinde);
    const perJaar = await query(
      ctx.conn,
      // every year of the window with every jobcoach category, 0 where none occur: a row that is
      // there only when its count is not 0 would tell a hidden cell is at least 1
      sql`WITH jaren AS (SELECT j::INTEGER AS jaar FROM range(${y0}, ${y1 + 1}) r(j) UNION SELECT jaar FROM baaneindes),
       soorten AS (SELECT * FROM (VALUES ('extern'), ('intern'), ('geen')) v(jobcoach) UNION SELECT jobcoach FROM baaneindes),
       n AS (SELECT jaar, jobcoach, count(*) AS aantal FROM baaneindes GROUP BY ALL),
       t AS (SELECT jaar, jobcoach, coalesce(n.aantal, 0) AS aantal FROM jaren CROSS JOIN soorten LEFT JOIN n USING (jaar, jobcoach)
             UNION ALL SELECT jaar, 'totaal', count(n.jaar) FROM jaren LEFT JOIN baaneindes n USING (jaar) GROUP BY ALL)
       SELECT jaar, jobcoach, aantal,
              aantal / nullif(sum(aantal) FILTER (WHERE jobcoach <> 'totaal') OVER (PARTITION BY jaar), 0) AS aandeel
       FROM t ORDER BY jaar, CASE jobcoach WHEN 'extern' THEN 1 WHEN 'intern' THEN 2 WHEN 'geen' THEN 3 WHEN 'totaal' THEN 9 ELSE 5 END, jobcoach`,
    );
    const werkend = await query(
      ctx.conn,
      sql`WITH jaren AS (SELECT j::INTEGER AS jaar, make_date(j::INTEGER, 12, 31) AS d FROM range(${y0}, ${y1 + 1}) r(j)),
       bp AS (SELECT b.persoon_id, b.startdatum, b.einddatum, p.uitkering_start, p.uitkering_einde
              FROM banen b JOIN personen p USING (persoon_id) WHERE p.groep = 'Wajong')
       SELECT jaren.jaar, count(DISTINCT bp.persoon_id) AS aantal
       FROM jaren
       LEFT JOIN bp ON bp.startdatum <= jaren.d AND (bp.einddatum IS NULL OR bp.einddatum >= jaren.d)
         AND bp.uitkering_start <= jaren.d AND (bp.uitkering_einde IS NULL OR bp.uitkering_einde >= jaren.d)
       GROUP BY ALL ORDER BY jaren.jaar`,
    );
    const kern = await query(
      ctx.conn,
      sql`SELECT 'baaneindes_totaal' AS naam, count(*)::DOUBLE AS waarde FROM baaneindes
       UNION ALL SELECT 'personen_met_baan', count(*) FILTER (WHERE baan_in_venster)::DOUBLE FROM personen
       UNION ALL SELECT 'personen_met_baaneinde', count(*) FILTER (WHERE n_baaneindes > 0)::DOUBLE FROM personen`,
    );
    return { tabellen: { per_jaar: perJaar, werkende_wajongers: werkend, kerncijfers: kern } };
  },
  publish: (result, rules) => {
    const perJaar = copyRows(result.tabellen.per_jaar!);
    const totals = new Map(result.tabellen.per_jaar!.filter((r) => r.jobcoach === "totaal").map((r) => [r.jaar, r.aantal]));
    hideSmallCounts(perJaar, ["aantal"], rules);
    secondarySuppression(perJaar, "aantal", [
      { key: (r) => String(r.jaar), isTotal: (r) => r.jobcoach === "totaal" },
      // over the years per category: the column total is the published kerncijfer
      { key: (r) => String(r.jobcoach), totalKnown: true },
    ]);
    hideWith(perJaar, "aantal", ["aandeel"]);
    requireDenominator(perJaar, ["aandeel"], (r) => totals.get(r.jaar) ?? null, rules);
    hideSharesOfSmallCounts(
      perJaar,
      ["aandeel"],
      (r) => r.aantal,
      (r) => totals.get(r.jaar) ?? null,
      rules,
    );
    const werkend = copyRows(result.tabellen.werkende_wajongers!);
    hideSmallCounts(werkend, ["aantal"], rules);
    const kern = copyRows(result.tabellen.kerncijfers!);
    hideSmallCounts(kern, ["waarde"], rules);
    return {
      per_jaar: finalize(perJaar, ["jaar", "jobcoach", "aantal", "aandeel"]),
      werkende_wajongers: finalize(werkend, ["jaar", "aantal"]),
      kerncijfers: finalize(kern, ["naam", "waarde"]),
    };
  },
});
