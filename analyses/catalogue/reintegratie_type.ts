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
import { tijdvakLabels, tijdvakSql } from "./tijdvak.ts";
import { share } from "../relations.ts";

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
  relations: [share("mix", "aandeel", "aantal", { over: "dienst" })],
  parameters: (p) => ({ vensterStart: p.d6.vensterStart, vensterEinde: p.d6.vensterEinde, tijdvakGrenzen: [...p.d6.tijdvakGrenzen] }),
  run: async (ctx, p) => {
    const labels = tijdvakLabels(p.tijdvakGrenzen);
    const mix = await query(
      ctx.conn,
      sql`WITH b AS (SELECT ${tijdvakSql(p.tijdvakGrenzen)} AS t, coalesce(reintegratie_dienst, 'onbekend') AS dienst
                  FROM baaneindes WHERE in_d6_venster AND reintegratie = 1)
       SELECT ${labels}[t + 1] AS tijdvak, dienst, count(*) AS aantal,
              count(*) / sum(count(*)) OVER (PARTITION BY t) AS aandeel, t
       FROM b GROUP BY t, dienst ORDER BY t, dienst`,
    );
    for (const r of mix) delete r.t;
    return { tabellen: { mix } };
  },
  publish: (result, rules) => {
    const tot = new Map<string, number>();
    for (const r of result.tabellen.mix!) tot.set(String(r.tijdvak), (tot.get(String(r.tijdvak)) ?? 0) + (r.aantal as number));
    const mix = copyRows(result.tabellen.mix!);
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
