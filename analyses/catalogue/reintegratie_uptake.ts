import { defineAnalysis, table } from "../types.ts";
import { runSurvival } from "../lib/survival-analysis.ts";
import { NULL_GROUP } from "../survival/index.ts";
import { query } from "../lib/sql.ts";
import { ident, join, sql } from "../../core/sql.ts";
import {
  copyRows,
  finalize,
  hideSharesOfSmallCounts,
  hideSmallCounts,
  requireDenominator,
  secondarySuppression,
} from "../disclosure/index.ts";
import { publishSurvival } from "../disclosure/survival.ts";
import { survivalParams, survivalRelations, survivalTables } from "./survival-common.ts";
import { curveBound, share, sum } from "../relations.ts";

export default defineAnalysis({
  id: "reintegratie_uptake",
  titel: "Start re-integratie na baaneinde",
  rapport: "figuur 3.5, figuur BII.2",
  definitie:
    "Cumulatief aandeel baaneindes (2017–2019) waarna een re-integratiedienst (geen proefplaatsing) is gestart. " +
    "Een dienst die bij het baaneinde al liep telt op dag 0 ('voor het einde'). Methode km: zoals het rapport, wie eerst een nieuwe baan vindt telt niet verder mee. " +
    "Methode aj (Aalen–Johansen): een nieuwe baan is een concurrerende uitkomst; dit is de zuivere schatting van het aandeel dat re-integratie start.",
  publishes: {
    ...survivalTables(),
    voor_einde: table({ kenmerk: "key", groep: "key", n: "count", aandeel: "share" }),
  },
  relations: [
    ...survivalRelations(),
    sum("voor_einde", "n", "groep", { where: { kenmerk: "totaal", groep: "totaal" } }),
    sum("voor_einde", "voor_einde", "groep", { where: { kenmerk: "totaal", groep: "totaal" } }),
    share("voor_einde", "aandeel", "voor_einde", "n"),
    // those running at the end are events on day 0: each group's own curve bounds them (an
    // outside check of a scale-0.1 set, 2026-12-03: geen's AJ(7) × n held its hidden 38 below 42)
    curveBound(
      "voor_einde",
      "voor_einde",
      "laatste_dag",
      { analysis: "reintegratie_uptake", where: {} },
      { table: "aantallen", column: "n" },
      { by: ["kenmerk", "groep"] },
    ),
  ],
  parameters: (p) => ({
    ...survivalParams(p, ["totaal", "jobcoach", "jaar"]),
    vensterStart: p.d6.vensterStart,
    vensterEinde: p.d6.vensterEinde,
  }),
  run: async (ctx, p) => {
    const surv = await runSurvival(ctx.conn, {
      bron: sql`baaneindes`,
      waar: sql`in_d6_venster`,
      tijd: sql`dagen_tot_reintegratie`,
      status: sql`reintegratie`,
      kenmerken: p.kenmerken,
      methoden: ["km", "aj"],
      confType: p.confType,
      confLevel: p.confLevel,
      leespunten: p.leespunten,
      variantie: p.variantie,
      persoon: sql`persoon_id`,
    });
    const voor = await query(
      ctx.conn,
      sql`${join(
        p.kenmerken.map(
          (
            k,
          ) => sql`SELECT ${k} AS kenmerk, ${k === "totaal" ? sql`'totaal'` : sql`coalesce(CAST(${ident(k)} AS VARCHAR), ${NULL_GROUP})`} AS groep,
            count(*) AS n, count(*) FILTER (WHERE reintegratie_voor_einde) AS voor_einde
          FROM baaneindes WHERE in_d6_venster GROUP BY ALL`,
        ),
        sql` UNION ALL `,
      )} ORDER BY kenmerk, groep`,
    );
    const order = new Map(p.kenmerken.map((k, i) => [k, i]));
    voor.sort((a, b) => order.get(String(a.kenmerk))! - order.get(String(b.kenmerk))! || (String(a.groep) < String(b.groep) ? -1 : 1));
    for (const r of voor) r.aandeel = (r.voor_einde as number) / (r.n as number);
    return { tabellen: { ...surv, voor_einde: voor } };
  },
  publish: (result, rules) => {
    const voor = copyRows(result.tabellen.voor_einde!);
    // a working column (in no file): the curve bound's last day, day 0 for a service running at the end
    for (const r of voor) r.laatste_dag = 0;
    hideSmallCounts(voor, ["n"], rules);
    secondarySuppression(voor, "n", [{ key: (r) => String(r.kenmerk), totalKnown: true }]);
    const n = new Map(result.tabellen.voor_einde!.map((r) => [`${r.kenmerk}/${r.groep}`, r.n]));
    requireDenominator(voor, ["aandeel"], (r) => n.get(`${r.kenmerk}/${r.groep}`) ?? null, rules);
    hideSharesOfSmallCounts(
      voor,
      ["aandeel"],
      (r) => r.voor_einde,
      (r) => n.get(`${r.kenmerk}/${r.groep}`) ?? null,
      rules,
    );
    return { ...publishSurvival(result.tabellen, rules), voor_einde: finalize(voor, ["kenmerk", "groep", "n", "aandeel"]) };
  },
});
