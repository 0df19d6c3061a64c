import { defineAnalysis, table } from "../types.ts";
import { query } from "../lib/sql.ts";
import { sql } from "../../core/sql.ts";
import {
  copyRows,
  finalize,
  hide,
  hideSharesOfSmallCounts,
  hideWith,
  hideSmallCounts,
  requireDenominator,
  secondarySuppression,
} from "../disclosure/index.ts";
import { tijdvakLabels, tijdvakLaatsteDag, tijdvakSql } from "./tijdvak.ts";
import { atMost, curveBound, identity, sum, share, type RowRef } from "../relations.ts";

/**
 * reintegratie_uptake's row of extern endings (absent in a world without them: the relations
 * below are then left out, and this table holds only zeros).
 */
const UPTAKE_EXTERN = { analysis: "reintegratie_uptake", where: { kenmerk: "jobcoach", groep: "extern" }, optional: true } as const;
/** its count of extern endings with a service running at the end (any start) */
const voorEindeExtern: RowRef = { ...UPTAKE_EXTERN, table: "voor_einde", column: "voor_einde" };

export default defineAnalysis({
  id: "reintegratie_eigen_organisatie",
  titel: "Re-integratie door de eigen jobcoachorganisatie",
  rapport: "figuur 3.7",
  definitie:
    "Bij baaneindes met een externe jobcoach (2017–2019) waarna re-integratie startte: het aandeel diensten dat werd geleverd door " +
    "dezelfde organisatie als de jobcoach, naar moment van start. Een dienst die al voor het baaneinde liep telt mee als hij " +
    "binnen één maand (31 dagen) voor het einde startte, zoals in figuur 3.7 van het rapport (parameter d6.voorEindeDagenEigenOrganisatie).",
  publishes: {
    per_tijdvak: table({ tijdvak: "key", diensten: "count", eigen: "count", aandeel: "share" }),
  },
  relations: [
    sum("per_tijdvak", "diensten", "tijdvak", { where: { tijdvak: "totaal" } }),
    sum("per_tijdvak", "eigen", "tijdvak", { where: { tijdvak: "totaal" } }),
    share("per_tijdvak", "aandeel", "eigen", "diensten"),
    // the same endings as reintegratie_uptake counts for extern (D6, the first service before a
    // new job): the services after the end are its events but those running at the end, and the
    // row for running at the end (started at most voorEindeDagen before it) is a part of those.
    // An outside check of a scale-0.1 set (2026-12-03) held a hidden 9 of `eigen` in [0, 11] with them
    identity("per_tijdvak", [
      { ref: { ...UPTAKE_EXTERN, table: "aantallen", column: "gebeurtenissen" }, coef: 1 },
      { ref: voorEindeExtern, coef: -1 },
      { ref: { where: { tijdvak: "totaal" }, column: "diensten" }, coef: -1 },
      { ref: { where: { tijdvak: "voor_einde" }, column: "diensten" }, coef: 1 },
    ]),
    atMost("per_tijdvak", "diensten", voorEindeExtern, { tijdvak: "voor_einde" }),
    // extern's curve of these events bounds the tijdvakken up to a shown day (its voor_einde row
    // is a part of the services running at the end)
    curveBound(
      "per_tijdvak",
      "diensten",
      "laatste_dag",
      { analysis: "reintegratie_uptake", where: UPTAKE_EXTERN.where },
      { ...UPTAKE_EXTERN, table: "aantallen", column: "n" },
    ),
  ],
  parameters: (p) => ({
    vensterStart: p.d6.vensterStart,
    vensterEinde: p.d6.vensterEinde,
    tijdvakGrenzen: [...p.d6.tijdvakGrenzen],
    voorEindeDagen: p.d6.voorEindeDagenEigenOrganisatie,
  }),
  run: async (ctx, p) => {
    const labels = tijdvakLabels(p.tijdvakGrenzen);
    const rows = await query(
      ctx.conn,
      sql`WITH b AS (SELECT ${tijdvakSql(p.tijdvakGrenzen)} AS t, coalesce(reintegratie_eigen_organisatie, FALSE) AS eigen
                  FROM baaneindes WHERE in_d6_venster AND reintegratie = 1 AND jobcoach = 'extern'
                    -- a service running at the end: only when it started at most voorEindeDagen before it
                    AND (NOT reintegratie_voor_einde OR ${p.voorEindeDagen}::INTEGER IS NULL
                         OR reintegratie_dagen_voor_einde <= ${p.voorEindeDagen}::INTEGER)),
       -- every tijdvak, 0 included (only those that occur would tell a hidden count is at least 1)
       c AS (SELECT r.t::INTEGER AS t, count(b.t) AS diensten, count(b.t) FILTER (WHERE b.eigen) AS eigen
             FROM range(0, ${labels.length}) r(t) LEFT JOIN b ON b.t = r.t GROUP BY r.t
             UNION ALL SELECT 99, count(*), count(*) FILTER (WHERE eigen) FROM b)
       SELECT coalesce(${[...labels, "totaal"]}[CASE WHEN t = 99 THEN ${labels.length + 1} ELSE t + 1 END], 'totaal') AS tijdvak,
              diensten, eigen, CASE WHEN diensten > 0 THEN eigen / diensten END AS aandeel
       FROM c ORDER BY t`,
    );
    return { tabellen: { per_tijdvak: rows } };
  },
  publish: (result, rules, p) => {
    const orig = new Map(result.tabellen.per_tijdvak!.map((r) => [r.tijdvak, r]));
    const t = copyRows(result.tabellen.per_tijdvak!);
    // a working column (in no file): the curve bound's last day of each tijdvak (null for the total)
    const laatsteDag = tijdvakLaatsteDag(p.tijdvakGrenzen);
    for (const r of t) r.laatste_dag = laatsteDag(r.tijdvak);
    hideSmallCounts(t, ["diensten", "eigen"], rules);
    // the services of other organisations are a count as well (the share is hidden when they are
    // few): beside a shown `diensten`, a shown `eigen` would give them, so it is hidden as a small
    // count is (an outside check of a scale-0.1 set, 2026-12-03: 15 − 10 = 5 with the share hidden)
    for (const r of t) {
      const o = orig.get(r.tijdvak)!;
      const andere = (o.diensten as number) - (o.eigen as number);
      if (andere > 0 && andere < rules.minAantal) hide(r, "eigen");
    }
    for (const col of ["diensten", "eigen"]) secondarySuppression(t, col, [{ key: () => "", isTotal: (r) => r.tijdvak === "totaal" }]);
    hideWith(t, "eigen", ["aandeel"]);
    hideWith(t, "diensten", ["aandeel"]);
    requireDenominator(t, ["aandeel"], (r) => orig.get(r.tijdvak)?.diensten ?? null, rules);
    hideSharesOfSmallCounts(
      t,
      ["aandeel"],
      (r) => orig.get(r.tijdvak)?.eigen ?? null,
      (r) => orig.get(r.tijdvak)?.diensten ?? null,
      rules,
    );
    return { per_tijdvak: finalize(t, ["tijdvak", "diensten", "eigen", "aandeel"]) };
  },
});
