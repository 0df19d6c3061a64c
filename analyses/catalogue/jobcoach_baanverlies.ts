import { defineAnalysis, table } from "../types.ts";
import { query } from "../lib/sql.ts";
import { date, sql } from "../../core/sql.ts";
import {
  copyRows,
  finalize,
  hideSharesOfSmallCounts,
  hideSmallCounts,
  hideWith,
  requireDenominator,
  secondarySuppression,
} from "../disclosure/index.ts";
import { share, mean } from "../relations.ts";

export default defineAnalysis({
  id: "jobcoach_baanverlies",
  titel: "Baanverlies na start jobcoaching",
  rapport: "artikel jobcoach, tekst",
  definitie:
    "Voor personen van wie de jobcoaching in 2013–2017 startte: het aantal banen dat eindigde binnen de volgperiode (maand 0 tot en met maand 36 na de start), " +
    "per persoon omgerekend naar drie jaar. Na elk baanverlies: direct een nieuwe baan (binnen 7 dagen, of een baan die al naast liep), " +
    "later een nieuwe baan binnen de volgperiode (met het gemiddelde aantal maanden zonder werk), of geen nieuwe baan binnen de volgperiode.",
  publishes: {
    verlies: table({ groep: "key", personen: "count", per_3_jaar: { kind: "mean", unit: "baanverliezen per 3 jaar" } }),
    na_verlies: table({
      groep: "key",
      uitkomst: "key",
      verliezen: "count",
      aandeel: "share",
      gemiddelde_maanden_zonder_werk: { kind: "mean", unit: "maanden" },
    }),
  },
  relations: [
    mean("verlies", "per_3_jaar", "personen"),
    share("na_verlies", "aandeel", "verliezen", { over: "uitkomst" }),
    mean("na_verlies", "gemiddelde_maanden_zonder_werk", "verliezen"),
  ],
  parameters: (p) => ({
    cohortStart: p.d7.cohortStart,
    cohortEinde: p.d7.cohortEinde,
    maanden: p.d7.maanden,
    peildatum: p.d4.peildatum,
    directDagen: 7,
  }),
  run: async (ctx, p) => {
    const peil = date(p.peildatum);
    const base = sql`
      WITH coh AS (
        SELECT persoon_id, any_value(groep) AS groep, min(startdatum_jobcoach) AS start,
               least(${peil}, (min(startdatum_jobcoach) + INTERVAL ${p.maanden + 1} MONTH)::DATE - 1) AS eind
        FROM maandstatus GROUP BY persoon_id),
      verlies AS (
        SELECT c.persoon_id, c.groep, c.eind, b.baan_id, b.einddatum AS e
        FROM coh c JOIN banen b ON b.persoon_id = c.persoon_id
        WHERE b.einddatum IS NOT NULL AND b.einddatum >= c.start AND b.einddatum < c.eind),
      volgend_t AS (
        SELECT v.persoon_id, v.baan_id, min(greatest(0, date_diff('day', v.e, n.startdatum))) AS t
        FROM verlies v JOIN banen n ON n.persoon_id = v.persoon_id
        WHERE n.baan_id <> v.baan_id AND (n.einddatum IS NULL OR n.einddatum > v.e) AND n.startdatum <= v.eind
        GROUP BY ALL),
      volgend AS (SELECT v.persoon_id, v.groep, v.baan_id, v.e, v.eind, vt.t FROM verlies v LEFT JOIN volgend_t vt USING (persoon_id, baan_id)),
      uit AS (
        SELECT groep, CASE WHEN t IS NOT NULL AND t <= ${p.directDagen} THEN 'direct' WHEN t IS NOT NULL THEN 'later' ELSE 'geen' END AS uitkomst,
               t AS dagen_zonder_werk
        FROM volgend)`;
    const verlies = await query(
      ctx.conn,
      sql`${base},
       per AS (SELECT c.groep, c.persoon_id, date_diff('day', c.start, c.eind) + 1 AS dagen, coalesce(vc.n, 0) AS n
               FROM coh c LEFT JOIN (SELECT persoon_id, count(*) AS n FROM verlies GROUP BY 1) vc USING (persoon_id))
       SELECT groep, count(*) AS personen, sum(n) AS verliezen,
              sum(n) / sum(dagen) * 3 * 365.25 AS per_3_jaar
       FROM per GROUP BY groep ORDER BY groep DESC`,
    );
    const na = await query(
      ctx.conn,
      sql`${base},
       c AS (SELECT groep, uitkomst, count(*) AS verliezen, avg(dagen_zonder_werk) / (365.25 / 12) AS gemiddelde_maanden_zonder_werk FROM uit GROUP BY ALL),
       u AS (SELECT * FROM (VALUES ('direct', 0), ('later', 1), ('geen', 2)) v(uitkomst, o)),
       g AS (SELECT DISTINCT groep FROM uit)
       SELECT g.groep, u.uitkomst, coalesce(c.verliezen, 0) AS verliezen,
              coalesce(c.verliezen, 0) / sum(coalesce(c.verliezen, 0)) OVER (PARTITION BY g.groep) AS aandeel,
              CASE WHEN u.uitkomst = 'later' THEN c.gemiddelde_maanden_zonder_werk END AS gemiddelde_maanden_zonder_werk
       FROM g CROSS JOIN u LEFT JOIN c ON c.groep = g.groep AND c.uitkomst = u.uitkomst
       ORDER BY g.groep DESC, u.o`,
    );
    return { tabellen: { verlies, na_verlies: na } };
  },
  publish: (result, rules) => {
    const verlies = copyRows(result.tabellen.verlies!);
    hideSmallCounts(verlies, ["personen"], rules);
    requireDenominator(verlies, ["per_3_jaar"], (r) => r.personen, rules);
    const tot = new Map<string, number>();
    for (const r of result.tabellen.na_verlies!) tot.set(String(r.groep), (tot.get(String(r.groep)) ?? 0) + (r.verliezen as number));
    const na = copyRows(result.tabellen.na_verlies!);
    hideSmallCounts(na, ["verliezen"], rules);
    secondarySuppression(na, "verliezen", [{ key: (r) => String(r.groep), totalKnown: true }]);
    hideWith(na, "verliezen", ["aandeel", "gemiddelde_maanden_zonder_werk"]);
    requireDenominator(na, ["aandeel"], (r) => tot.get(String(r.groep)) ?? null, rules);
    hideSharesOfSmallCounts(
      na,
      ["aandeel"],
      (r) => r.verliezen,
      (r) => tot.get(String(r.groep)) ?? null,
      rules,
    );
    const nLater = new Map(result.tabellen.na_verlies!.filter((r) => r.uitkomst === "later").map((r) => [r.groep, r.verliezen]));
    requireDenominator(
      na.filter((r) => r.uitkomst === "later"),
      ["gemiddelde_maanden_zonder_werk"],
      (r) => nLater.get(r.groep) ?? null,
      rules,
    );
    return {
      verlies: finalize(verlies, ["groep", "personen", "per_3_jaar"]),
      na_verlies: finalize(na, ["groep", "uitkomst", "verliezen", "aandeel", "gemiddelde_maanden_zonder_werk"]),
    };
  },
});
