import { defineAnalysis, table } from "../types.ts";
import { query } from "../lib/sql.ts";
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
import { tijdvakLabels, tijdvakLaatsteDag, tijdvakSql } from "./tijdvak.ts";
import { curveBound, share, sum } from "../relations.ts";
import { ENUMS } from "../../pipeline/contract.ts";

export default defineAnalysis({
  id: "reintegratie_type",
  titel: "Soort re-integratiedienst naar moment van start",
  rapport: "figuur 3.6",
  definitie:
    "Verdeling van de eerste re-integratiedienst na een baaneinde (2017–2019) naar soort dienst, per moment van start: " +
    "al lopend bij het einde, of zoveel tijd na het einde. Alleen diensten die startten vóór een eventuele nieuwe baan.",
  publishes: {
    mix: table({ tijdvak: "key", dienst: "key", aantal: "count", aandeel: "share" }),
  },
  relations: [
    share("mix", "aandeel", "aantal", { over: "dienst" }),
    // the same endings as reintegratie_uptake counts (D6, the first service before a new job): all
    // of them are its events, those running at the end its voor_einde (an outside check of a
    // scale-0.2 set used the first, undeclared, to hold a hidden 8 in [1, 10])
    sum("mix", "aantal", ["tijdvak", "dienst"], {
      analysis: "reintegratie_uptake",
      table: "aantallen",
      where: { kenmerk: "totaal", groep: "totaal" },
      column: "gebeurtenissen",
    }),
    sum(
      "mix",
      "aantal",
      "dienst",
      { analysis: "reintegratie_uptake", table: "voor_einde", where: { kenmerk: "totaal", groep: "totaal" }, column: "voor_einde" },
      { tijdvak: "voor_einde" },
    ),
    // and its curve of them: the tijdvakken up to a shown day count at most ⌊F(d) × n⌋ of them
    curveBound(
      "mix",
      "aantal",
      "laatste_dag",
      { analysis: "reintegratie_uptake", where: { kenmerk: "totaal", groep: "totaal" } },
      { analysis: "reintegratie_uptake", table: "aantallen", where: { kenmerk: "totaal", groep: "totaal" }, column: "n" },
    ),
  ],
  parameters: (p) => ({ vensterStart: p.d6.vensterStart, vensterEinde: p.d6.vensterEinde, tijdvakGrenzen: [...p.d6.tijdvakGrenzen] }),
  run: async (ctx, p) => {
    const labels = tijdvakLabels(p.tijdvakGrenzen);
    // every tijdvak with every kind of service D6 counts (all but proefplaatsing), 0 included: a
    // table of only the pairs that occur would tell of each hidden cell that it is at least 1
    const diensten = ENUMS.dienst.filter((d) => d !== "proefplaatsing");
    const mix = await query(
      ctx.conn,
      sql`WITH b AS (SELECT ${tijdvakSql(p.tijdvakGrenzen)} AS t, coalesce(reintegratie_dienst, 'onbekend') AS dienst
                  FROM baaneindes WHERE in_d6_venster AND reintegratie = 1),
       g AS (SELECT r.t::INTEGER AS t, d.dienst FROM range(0, ${labels.length}) r(t),
                    (SELECT unnest(${[...diensten]}::VARCHAR[]) AS dienst UNION SELECT dienst FROM b) d),
       n AS (SELECT t, dienst, count(*) AS aantal FROM b GROUP BY t, dienst)
       SELECT ${labels}[g.t + 1] AS tijdvak, g.dienst, coalesce(n.aantal, 0) AS aantal,
              coalesce(n.aantal, 0) / nullif(sum(coalesce(n.aantal, 0)) OVER (PARTITION BY g.t), 0) AS aandeel, g.t
       FROM g LEFT JOIN n USING (t, dienst) ORDER BY g.t, g.dienst`,
    );
    for (const r of mix) delete r.t;
    return { tabellen: { mix } };
  },
  publish: (result, rules, p) => {
    const tot = new Map<string, number>();
    for (const r of result.tabellen.mix!) tot.set(String(r.tijdvak), (tot.get(String(r.tijdvak)) ?? 0) + (r.aantal as number));
    const mix = copyRows(result.tabellen.mix!);
    // a working column (in no file): the curve bound's last day of each tijdvak
    const laatsteDag = tijdvakLaatsteDag(p.tijdvakGrenzen);
    for (const r of mix) r.laatste_dag = laatsteDag(r.tijdvak);
    hideSmallCounts(mix, ["aantal"], rules);
    secondarySuppression(mix, "aantal", [
      { key: (r) => String(r.tijdvak), totalKnown: true },
      { key: (r) => String(r.dienst), totalKnown: true },
    ]);
    hideWith(mix, "aantal", ["aandeel"]);
    requireDenominator(mix, ["aandeel"], (r) => tot.get(String(r.tijdvak)) ?? null, rules);
    hideSharesOfSmallCounts(
      mix,
      ["aandeel"],
      (r) => r.aantal,
      (r) => tot.get(String(r.tijdvak)) ?? null,
      rules,
    );
    return { mix: finalize(mix, ["tijdvak", "dienst", "aantal", "aandeel"]) };
  },
});
