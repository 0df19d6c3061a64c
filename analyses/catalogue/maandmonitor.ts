import { existsSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { defineAnalysis } from "../types.ts";
import { query, tableExists } from "../lib/sql.ts";
import { copyRows, finalize, hideSmallCounts, hideWith, requireDenominator, secondarySuppression } from "../disclosure/index.ts";

/** Region names: the pipeline's `int_ref_regios` (regio, naam), else data/reference/arbeidsmarktregios.csv, else the code. */
async function regioNamen(conn: Parameters<typeof query>[0]): Promise<Map<string, string>> {
  if (await tableExists(conn, "int_ref_regios")) {
    const rows = await query(conn, `SELECT regio, naam FROM int_ref_regios`);
    return new Map(rows.map((r) => [String(r.regio), String(r.naam)]));
  }
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const csv = join(root, "data", "reference", "arbeidsmarktregios.csv");
  if (!existsSync(csv)) return new Map();
  const m = new Map<string, string>();
  for (const line of readFileSync(csv, "utf8").split(/\r?\n/).slice(1)) {
    const match = /^([^,]+),"?([^"]*)"?$/.exec(line.trim());
    if (match) m.set(match[1], match[2]);
  }
  return m;
}

export default defineAnalysis({
  id: "maandmonitor",
  titel: "Maandmonitor",
  rapport: "nieuw",
  definitie:
    "Per kalendermaand, voor Nederland en per arbeidsmarktregio (woonregio van de Wajonger): lopende banen van Wajongers op de laatste dag van de maand, " +
    "baaneindes in de maand, het aandeel van die eindes met direct (binnen 7 dagen) een volgende baan, de mediane duur in dagen tot de start van " +
    "re-integratie (eindes 2017–2019 waarna re-integratie startte) en het aantal jobcoachperiodes dat in de maand liep.",
  parameters: (p) => ({ vanaf: p.d2.vensterStart, totEnMet: p.d4.peildatum, directDagen: 7 }),
  run: async (ctx, p) => {
    const rows = await query(
      ctx.conn,
      `WITH maanden AS (
         SELECT m::DATE AS begin, (m + INTERVAL 1 MONTH)::DATE - 1 AS eind
         FROM range(date_trunc('month', DATE '${p.vanaf}'), date_trunc('month', DATE '${p.totEnMet}') + INTERVAL 1 DAY, INTERVAL 1 MONTH) r(m)),
       wp AS (SELECT persoon_id, coalesce(regio, 'onbekend') AS regio FROM personen WHERE groep = 'Wajong'),
       lopend AS (
         SELECT m.begin, wp.regio, count(*) AS lopende_banen
         FROM maanden m JOIN banen b ON b.startdatum <= m.eind AND (b.einddatum IS NULL OR b.einddatum >= m.eind)
         JOIN wp ON wp.persoon_id = b.persoon_id
         GROUP BY GROUPING SETS ((m.begin, wp.regio), (m.begin))),
       eindes AS (
         SELECT date_trunc('month', e.einddatum)::DATE AS begin, coalesce(e.regio, 'onbekend') AS regio,
                count(*) AS baaneindes,
                count(*) FILTER (WHERE e.volgende_baan = 1 AND e.dagen_tot_volgende_baan <= ${p.directDagen}) AS direct,
                count(*) FILTER (WHERE e.in_d6_venster AND e.reintegratie = 1) AS n_reintegratie,
                median(e.dagen_tot_reintegratie) FILTER (WHERE e.in_d6_venster AND e.reintegratie = 1) AS mediaan_dagen_tot_reintegratie
         FROM baaneindes e
         GROUP BY GROUPING SETS ((1, 2), (1))),
       jc AS (
         SELECT m.begin, coalesce(p.regio, 'onbekend') AS regio, count(*) AS actieve_jobcoachperiodes
         FROM maanden m JOIN jobcoach_perioden j ON j.begindatum <= m.eind AND j.einddatum >= m.begin
         LEFT JOIN personen p ON p.persoon_id = j.persoon_id
         GROUP BY GROUPING SETS ((m.begin, coalesce(p.regio, 'onbekend')), (m.begin))),
       regios AS (SELECT DISTINCT regio FROM wp UNION ALL SELECT NULL),
       grid AS (SELECT m.begin, r.regio FROM maanden m, regios r)
       SELECT strftime(g.begin, '%Y-%m') AS maand, coalesce(g.regio, 'NL') AS regio,
              coalesce(l.lopende_banen, 0) AS lopende_banen,
              coalesce(e.baaneindes, 0) AS baaneindes,
              coalesce(e.direct, 0) AS direct,
              CASE WHEN e.baaneindes > 0 THEN e.direct / e.baaneindes END AS aandeel_direct,
              coalesce(e.n_reintegratie, 0) AS n_reintegratie,
              e.mediaan_dagen_tot_reintegratie::DOUBLE AS mediaan_dagen_tot_reintegratie,
              coalesce(j.actieve_jobcoachperiodes, 0) AS actieve_jobcoachperiodes
       FROM grid g
       LEFT JOIN lopend l ON l.begin = g.begin AND l.regio IS NOT DISTINCT FROM g.regio
       LEFT JOIN eindes e ON e.begin = g.begin AND e.regio IS NOT DISTINCT FROM g.regio
       LEFT JOIN jc j ON j.begin = g.begin AND j.regio IS NOT DISTINCT FROM g.regio
       ORDER BY g.begin, g.regio NULLS FIRST`,
    );
    const namen = await regioNamen(ctx.conn);
    for (const r of rows) {
      const code = String(r.regio);
      const naam = code === "NL" ? "Nederland" : (namen.get(code) ?? code);
      // keep column order: maand, regio, regio_naam, …
      const { maand, regio, ...rest } = r;
      for (const k of Object.keys(r)) delete r[k];
      Object.assign(r, { maand, regio, regio_naam: naam, ...rest });
    }
    return { tabellen: { reeks: rows } };
  },
  publish: (result, rules) => {
    const t = copyRows(result.tabellen.reeks);
    const orig = result.tabellen.reeks;
    const by = new Map(orig.map((r) => [`${r.maand}/${r.regio}`, r]));
    const o = (r: (typeof t)[number]) => by.get(`${r.maand}/${r.regio}`)!;
    for (const col of ["lopende_banen", "baaneindes", "actieve_jobcoachperiodes"]) {
      hideSmallCounts(t, [col], rules);
      // regions add up to NL within a month
      secondarySuppression(t, col, [{ key: (r) => String(r.maand), isTotal: (r) => r.regio === "NL" }]);
    }
    hideWith(t, "baaneindes", ["aandeel_direct"]);
    requireDenominator(t, ["aandeel_direct"], (r) => o(r).baaneindes, rules);
    requireDenominator(t, ["mediaan_dagen_tot_reintegratie"], (r) => o(r).n_reintegratie, rules);
    for (const r of t) {
      const d = o(r).direct as number, n = o(r).baaneindes as number;
      if ((d > 0 && d < rules.minAantal) || (n - d > 0 && n - d < rules.minAantal)) requireDenominator([r], ["aandeel_direct"], () => 0, rules);
    }
    return {
      reeks: finalize(t, [
        "maand", "regio", "regio_naam", "lopende_banen", "baaneindes", "aandeel_direct",
        "mediaan_dagen_tot_reintegratie", "actieve_jobcoachperiodes",
      ]),
    };
  },
});
