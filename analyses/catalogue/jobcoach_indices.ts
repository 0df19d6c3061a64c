import { defineAnalysis, table, type Row } from "../types.ts";
import { exactSum, num, query } from "../lib/sql.ts";
import { ident, join, sql, type Sql } from "../../core/sql.ts";
import { feMonthCoefficients } from "../lib/fixed-effects.ts";
import {
  copyRows,
  finalize,
  hide,
  hideDominated,
  hideSharesOfSmallCounts,
  hideSmallCounts,
  requireDenominator,
} from "../disclosure/index.ts";
import { mean, shownWith, sum } from "../relations.ts";

const MAATSTAVEN: [string, Sql][] = [
  ["uren_per_week", sql`uren_per_week`],
  ["uurloon_reeel", sql`uurloon_reeel`],
  ["aandeel_onbepaald", sql`CASE WHEN onbepaald THEN 1.0 WHEN NOT onbepaald THEN 0.0 END`],
];

export default defineAnalysis({
  id: "jobcoach_indices",
  titel: "Uren, reëel uurloon en vast contract na start eerste baan",
  rapport: "artikel jobcoach, figuur 2",
  definitie:
    "Voor wie na de jobcoachstart (2013–2017) betaald werkte: gemiddelde uren per week, reëel uurloon (euro's van 2015) en aandeel met een vast contract, " +
    "per maand sinds de start van de eerste betaalde baan, als index (maand 0 = 100). De index is gecorrigeerd voor samenstelling: " +
    "elke persoon wordt met zichzelf vergeleken (regressie met een dummy per persoon en per maand). Index = (gemiddelde in maand 0 + maandeffect) / gemiddelde in maand 0 × 100.",
  publishes: {
    indices: table({
      groep: "key",
      soort_jobcoach: "key",
      maatstaf: "key",
      maand: "key",
      index: "index",
      ruw_gemiddelde: "mean",
      personen: "count",
    }),
  },
  relations: [
    // alle = extern ∪ intern: persons and the sums behind the raw means add up
    sum("indices", "personen", "soort_jobcoach", { where: { soort_jobcoach: "alle" } }),
    // the index and the raw mean are shown only with ≥ minNoemer persons: hidden with the persons
    shownWith("indices", ["index", "ruw_gemiddelde"], "personen"),
    ...MAATSTAVEN.map(([maatstaf]) =>
      mean(
        "indices",
        "ruw_gemiddelde",
        "personen",
        { over: "soort_jobcoach", total: { where: { soort_jobcoach: "alle" } }, parts: { maatstaf } },
        // the contract share's sum is the persons with a permanent contract: a count, at most the
        // persons (an outside check of a scale-0.1 set, 2026-12-03, held a hidden 9 in [0, 10]
        // while the check asked ±10% of it, as of a sum of hours)
        { fraction: maatstaf === "aandeel_onbepaald" },
      ),
    ),
  ],
  parameters: (p) => ({
    cohortStart: p.d7.cohortStart,
    cohortEinde: p.d7.cohortEinde,
    maanden: p.d7.maanden,
    tijdas: "sinds_eerste_baan",
    basis: "ruw gemiddelde in maand 0 van de groep",
  }),
  run: async (ctx, p) => {
    const M = p.maanden;
    const tijdas = ident(p.tijdas);
    const obs = join(
      MAATSTAVEN.map(
        ([naam, expr]) => sql`SELECT groep, soort_jobcoach, ${naam} AS maatstaf, persoon_id, ${tijdas} AS m, (${expr})::DOUBLE AS y
        FROM maandstatus WHERE werkt AND ${tijdas} BETWEEN 0 AND ${M} AND (${expr}) IS NOT NULL`,
      ),
      sql` UNION ALL `,
    );
    const raw = await query(
      ctx.conn,
      sql`WITH o AS (${obs})
       SELECT groep, CASE WHEN grouping(soort_jobcoach) = 1 THEN 'alle' ELSE soort_jobcoach END AS soort_jobcoach, maatstaf, m AS maand,
              sum(round(y, 12)::DECIMAL(38, 12))::DOUBLE / count(*) AS ruw_gemiddelde, count(*) AS personen,
              -- the largest two contributions, for the dominance and p% rules
              ${exactSum(sql`y`)} AS som, list_extract(max(y, 2), 1) AS grootste, coalesce(list_extract(max(y, 2), 2), 0) AS tweede
       FROM o GROUP BY GROUPING SETS ((groep, soort_jobcoach, maatstaf, m), (groep, maatstaf, m)) ORDER BY ALL`,
    );
    const key = (groep: unknown, soort: unknown, maatstaf: unknown) => `${groep}|${soort}|${maatstaf}`;
    const combine: Record<string, string[]> = {};
    for (const r of raw)
      if (r.soort_jobcoach === "alle")
        combine[key(r.groep, "alle", r.maatstaf)] = ["extern", "intern"].map((s) => key(r.groep, s, r.maatstaf));
    const fe = await feMonthCoefficients(
      ctx.conn,
      sql`SELECT groep || '|' || soort_jobcoach || '|' || maatstaf AS g, persoon_id AS persoon, m, y FROM (${obs})`,
      M,
      combine,
      // the outcomes usually share persons and months: X'X once per groep|soort_jobcoach
      sql`string_split(g, '|')[1] || '|' || string_split(g, '|')[2]`,
    );
    const rawBy = new Map(raw.map((r) => [`${key(r.groep, r.soort_jobcoach, r.maatstaf)}|${r.maand}`, r]));
    const indices: Row[] = [];
    const groups = [...new Set(raw.map((r) => key(r.groep, r.soort_jobcoach, r.maatstaf)))];
    const ordS = (s: string) => (s === "alle" ? 0 : s === "extern" ? 1 : 2);
    const ordM = (s: string) => MAATSTAVEN.findIndex(([n]) => n === s);
    groups.sort((a, b) => {
      const [ga, sa, ma] = a.split("|") as [string, string, string],
        [gb, sb, mb] = b.split("|") as [string, string, string];
      return ga === gb ? (sa === sb ? ordM(ma) - ordM(mb) : ordS(sa) - ordS(sb)) : ga < gb ? 1 : -1;
    });
    for (const g of groups) {
      const [groep, soort, maatstaf] = g.split("|") as [string, string, string];
      const level0 = rawBy.get(`${g}|0`)?.ruw_gemiddelde;
      const beta = fe.get(g)?.beta;
      for (let m = 0; m <= M; m++) {
        const r = rawBy.get(`${g}|${m}`);
        const b = m === 0 ? 0 : (beta?.[m] ?? null);
        const l0 = typeof level0 === "number" ? level0 : null;
        indices.push({
          groep,
          soort_jobcoach: soort,
          maatstaf,
          maand: m,
          index: l0 !== null && l0 !== 0 && b !== null && r ? ((l0 + b) / l0) * 100 : null,
          coefficient: b,
          ruw_gemiddelde: r ? num(r.ruw_gemiddelde) : null,
          personen: r ? num(r.personen) : 0,
          personen_maand0: num(rawBy.get(`${g}|0`)?.personen ?? 0),
          som: r ? num(r.som) : null,
          grootste: r ? num(r.grootste) : null,
          tweede: r ? num(r.tweede) : null,
        });
      }
    }
    return { tabellen: { indices } };
  },
  publish: (result, rules) => {
    const t = copyRows(result.tabellen.indices!);
    // the index rests on the month-0 level and the month's own observations
    requireDenominator(t, ["index"], (r) => Math.min(num(r.personen), num(r.personen_maand0)), rules);
    requireDenominator(t, ["ruw_gemiddelde"], (r) => r.personen, rules);
    // the raw share with a permanent contract reveals a count: hide it when that count or its complement is small
    hideSharesOfSmallCounts(
      t.filter((r) => r.maatstaf === "aandeel_onbepaald"),
      ["ruw_gemiddelde"],
      (r) => (typeof r.ruw_gemiddelde === "number" ? Math.round(r.ruw_gemiddelde * num(r.personen)) : null),
      (r) => r.personen,
      rules,
    );
    // means of hours and wages: no person or pair of persons may dominate the sum behind them
    hideDominated(
      t.filter((r) => r.maatstaf !== "aandeel_onbepaald"),
      ["ruw_gemiddelde", "index"],
      (r) => ({ som: r.som, grootste: r.grootste, tweede: r.tweede }),
    );
    hideSmallCounts(t, ["personen"], rules);
    // whoever is counted in a month since the first job was counted in month 0 of that job too
    // (for the contract share by definition, for hours and wages nearly always): month 0's
    // persons bound every later month's, and every later month bounds month 0. Where month 0 has
    // fewer than minNoemer (the group's means are hidden), none of the group's months is shown:
    // a shown 11 in month 0 held hidden 7..9 later on in [1, 11] (an outside check of a scale-0.1
    // set), and with month 0 hidden, a shown month 1 equal to it gave it back exactly (scale 0.2)
    const groupKey = (r: Row) => `${r.groep}|${r.soort_jobcoach}|${r.maatstaf}`;
    const small = new Set(
      t.filter((r) => r.maand === 0 && typeof r.personen === "number" && r.personen > 0 && r.personen < rules.minNoemer).map(groupKey),
    );
    for (const r of t) if (small.has(groupKey(r)) && typeof r.personen === "number" && r.personen > 0) hide(r, "personen", "secundair");
    return { indices: finalize(t, ["groep", "soort_jobcoach", "maatstaf", "maand", "index", "ruw_gemiddelde", "personen"]) };
  },
});
