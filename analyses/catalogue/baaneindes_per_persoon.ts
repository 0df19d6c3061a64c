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

export default defineAnalysis({
  id: "baaneindes_per_persoon",
  titel: "Baaneindes per persoon",
  rapport: "figuur BI.1, BI.2",
  definitie:
    "Verdeling van het aantal baaneindes per persoon in 2015–2019, over Wajongers die in die periode minstens één baan hadden; " +
    "en het gemiddelde aantal baaneindes per persoon naar persoonskenmerk. Geboortecohort is het decennium van het geboortejaar.",
  publishes: {
    verdeling: table({ aantal_eindes: "key", personen: "count", aandeel: "share" }),
    gemiddelde: table({ kenmerk: "key", groep: "key", personen: "count", gemiddelde: { kind: "mean", unit: "baaneindes" } }),
  },
  relations: [
    sum("verdeling", "personen", "aantal_eindes", {
      analysis: "baaneindes_per_jaar",
      table: "kerncijfers",
      where: { naam: "personen_met_baan" },
      column: "waarde",
    }),
    share("verdeling", "aandeel", "personen", { over: "aantal_eindes" }),
    sum("gemiddelde", "personen", "groep", { where: { kenmerk: "totaal", groep: "totaal" } }),
    // the sum behind a mean number of endings is the endings: a whole number
    mean(
      "gemiddelde",
      "gemiddelde",
      "personen",
      { over: "groep", total: { where: { kenmerk: "totaal", groep: "totaal" } } },
      { sumIsCount: true },
    ),
  ],
  parameters: (p) => ({
    vensterStart: p.d2.vensterStart,
    vensterEinde: p.d2.vensterEinde,
    kenmerken: ["totaal", "geslacht", "geboortecohort", "opleidingsniveau", "diagnosegroep", "regeling"],
    hoogsteKlasse: 5,
  }),
  run: async (ctx, p) => {
    const base = sql`SELECT *, CAST(floor(geboortejaar / 10) * 10 AS INTEGER) || '-' || CAST(floor(geboortejaar / 10) * 10 + 9 AS INTEGER) AS geboortecohort,
                    'totaal' AS totaal
                  FROM personen WHERE baan_in_venster`;
    const verdeling = await query(
      ctx.conn,
      sql`WITH b AS (${base}), k AS (
         SELECT CASE WHEN n_baaneindes >= ${p.hoogsteKlasse} THEN ${`${p.hoogsteKlasse}+`} ELSE CAST(n_baaneindes AS VARCHAR) END AS aantal_eindes,
                least(n_baaneindes, ${p.hoogsteKlasse}) AS o
         FROM b)
       SELECT aantal_eindes, count(*) AS personen, count(*) / sum(count(*)) OVER () AS aandeel
       FROM k GROUP BY aantal_eindes, o ORDER BY o`,
    );
    const gemiddelde = await query(
      ctx.conn,
      sql`WITH b AS (${base}) ${join(
        p.kenmerken.map(
          (k, i) => sql`SELECT ${i} AS o, ${k} AS kenmerk, coalesce(CAST(${ident(k)} AS VARCHAR), 'onbekend') AS groep,
               count(*) AS personen, avg(n_baaneindes) AS gemiddelde FROM b GROUP BY ALL`,
        ),
        sql` UNION ALL `,
      )} ORDER BY o, groep`,
    );
    for (const r of gemiddelde) delete r.o;
    return { tabellen: { verdeling, gemiddelde } };
  },
  publish: (result, rules) => {
    const total = result.tabellen.verdeling!.reduce((a, r) => a + (r.personen as number), 0);
    const verdeling = copyRows(result.tabellen.verdeling!);
    hideSmallCounts(verdeling, ["personen"], rules);
    secondarySuppression(verdeling, "personen", [{ key: () => "", totalKnown: true }]);
    hideWith(verdeling, "personen", ["aandeel"]);
    requireDenominator(verdeling, ["aandeel"], () => total, rules);
    hideSharesOfSmallCounts(
      verdeling,
      ["aandeel"],
      (r) => r.personen,
      () => total,
      rules,
    );
    const gem = copyRows(result.tabellen.gemiddelde!);
    const n = new Map(result.tabellen.gemiddelde!.map((r) => [`${r.kenmerk}/${r.groep}`, r.personen]));
    hideSmallCounts(gem, ["personen"], rules);
    secondarySuppression(gem, "personen", [{ key: (r) => String(r.kenmerk), totalKnown: true }]);
    requireDenominator(gem, ["gemiddelde"], (r) => n.get(`${r.kenmerk}/${r.groep}`) ?? null, rules);
    // a mean over hidden persons gives them back (endings / persons, two whole numbers)
    hideWith(gem, "personen", ["gemiddelde"]);
    return {
      verdeling: finalize(verdeling, ["aantal_eindes", "personen", "aandeel"]),
      gemiddelde: finalize(gem, ["kenmerk", "groep", "personen", "gemiddelde"]),
    };
  },
});
