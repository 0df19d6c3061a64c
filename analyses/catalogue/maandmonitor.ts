import { existsSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { defineAnalysis, table } from "../types.ts";
import { query, tableExists } from "../lib/sql.ts";
import { date, EMPTY, sql, type Sql } from "../../core/sql.ts";
import type { Cell, Row } from "../types.ts";
import {
  copyRows,
  finalize,
  hideSharesOfSmallCounts,
  hideSmallCounts,
  hideWith,
  requireDenominator,
  secondarySuppression,
} from "../disclosure/index.ts";
import { columnsSum, known, rollingSum, share, sum } from "../relations.ts";

/** Region names: the pipeline's `int_ref_regios` (regio, naam), else data/reference/arbeidsmarktregios.csv, else the code. */
async function regioNamen(conn: Parameters<typeof query>[0]): Promise<Map<string, string>> {
  if (await tableExists(conn, "int_ref_regios")) {
    const rows = await query(conn, sql`SELECT regio, naam FROM int_ref_regios`);
    return new Map(rows.map((r) => [String(r.regio), String(r.naam)]));
  }
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const csv = join(root, "data", "reference", "arbeidsmarktregios.csv");
  if (!existsSync(csv)) return new Map();
  const m = new Map<string, string>();
  for (const line of readFileSync(csv, "utf8").split(/\r?\n/).slice(1)) {
    const match = /^([^,]+),"?([^"]*)"?$/.exec(line.trim());
    if (match) m.set(match[1]!, match[2]!);
  }
  return m;
}

/**
 * Window (months) for the regional shares and medians (published: windows that do not overlap). A region has ~50 endings a month
 * at scale 1, too few for a monthly share (≥ minNoemer persons); over 12 months it has
 * several hundred, and a 12-month window also evens out the season.
 */
const VENSTER_MAANDEN = 12;
/**
 * The median days to re-integration counts services started within this many days of the
 * ending, for ending months followed that long (up to the peildatum). Without a fixed horizon
 * the median over started services falls towards the peildatum only because late endings
 * have had little time (2017: 149 days, 2019: 32 days at scale 1).
 */
const HORIZON_DAGEN = 365;
/**
 * Timeliness of re-integration as the report measures it: the share of *all* endings (in the D6
 * window) with a service running at the end, or started within a month or three months of it
 * (cumulative, like the reading points 30 and 91 of reintegratie_uptake). Unlike the median
 * over endings that got a service, these shares do not improve when fewer people get help.
 */
const TIJDIG_DAGEN = { maand: 30, drieMaanden: 91 } as const;
/** the timeliness shares (published) and the counts behind them (full precision only) */
const TIJDIG = [
  { aandeel: "aandeel_reintegratie_voor_einde", teller: "reintegratie_voor_einde" },
  { aandeel: "aandeel_reintegratie_1m", teller: "reintegratie_1m" },
  { aandeel: "aandeel_reintegratie_3m", teller: "reintegratie_3m" },
] as const;
const DIRECT = { aandeel: "aandeel_direct", teller: "direct" } as const;
/**
 * The timeliness counts are cumulative: each is the one before it plus what came since (a service
 * started 1..30 days after the end, 31..91 days). Those increments are counts of their own, in no
 * file: two shown shares subtract to one, and a shown share caps the hidden one before it. They
 * are working columns of the published rows, declared (`columnsSum`), so the check protects them.
 */
const TIJDIG_TREDEN = [
  { tot: "reintegratie_1m", voor: "reintegratie_voor_einde", erbij: "reintegratie_1m_na_einde" },
  { tot: "reintegratie_3m", voor: "reintegratie_1m", erbij: "reintegratie_3m_na_1m" },
] as const;
function metTreden(rows: Row[]): Row[] {
  for (const r of rows) {
    for (const s of TIJDIG_TREDEN) {
      const tot = r[s.tot],
        voor = r[s.voor];
      r[s.erbij] = typeof tot === "number" && typeof voor === "number" ? tot - voor : null;
    }
  }
  return rows;
}
/** "2019-12" → months since year 0 */
const maandIndex = (m: Cell | undefined): number => {
  const [j, mm] = String(m).split("-").map(Number);
  return j! * 12 + mm! - 1;
};

/**
 * What a window publishes, by measure: the figures and the counts behind them (working columns),
 * and the column that says whether the measure is defined for a window.
 */
const VENSTER_MATEN: readonly { cols: readonly string[]; defined: string }[] = [
  { cols: [DIRECT.aandeel, DIRECT.teller], defined: DIRECT.aandeel },
  { cols: ["mediaan_dagen_tot_reintegratie", "n_reintegratie"], defined: "n_reintegratie" },
  { cols: [...TIJDIG.map((c) => c.aandeel), ...TIJDIG.map((c) => c.teller)], defined: TIJDIG[0]!.teller },
];

/**
 * The windows published: per measure the windows that do not overlap, back from the last one
 * NL has that measure for. Two windows a month apart differ by one month in and one out, so
 * overlapping windows give count(m) − count(m − 12): a region's monthly count, which no file
 * publishes. Measures are different counts, so each keeps its own most recent window. Rows left
 * without any measure are dropped.
 */
function nonOverlapping(rows: Row[]): Row[] {
  const nl = rows.filter((r) => r.regio === "NL");
  const kept = new Set<Cell>();
  for (const { cols, defined } of VENSTER_MATEN) {
    const met = nl.filter((r) => r[defined] != null).map((r) => maandIndex(r.maand));
    const laatste = Math.max(...met);
    // every region's row of a kept window stays (a row only where a region had endings would tell that it had)
    const maanden = new Set(
      nl.filter((r) => r[defined] != null && (laatste - maandIndex(r.maand)) % VENSTER_MAANDEN === 0).map((r) => r.maand ?? null),
    );
    for (const m of maanden) kept.add(m);
    for (const r of rows) if (!maanden.has(r.maand ?? null)) for (const c of cols) r[c] = null;
  }
  return rows.filter((r) => kept.has(r.maand ?? null));
}

export default defineAnalysis({
  id: "maandmonitor",
  titel: "Maandmonitor",
  rapport: "nieuw",
  definitie:
    "Per kalendermaand, voor Nederland en per arbeidsmarktregio (woonregio van de Wajonger): lopende banen van Wajongers op de laatste dag van de maand, " +
    "baaneindes in de maand en het aantal jobcoachperiodes van Wajongers dat in de maand liep. Het aandeel baaneindes met direct (binnen 7 dagen) een " +
    "volgende baan (alleen voor maanden waarvan elk einde 7 dagen te volgen is tot de peildatum) en de " +
    "mediane duur in dagen tot de start van re-integratie (eindes vanaf 2017 waarna binnen een jaar re-integratie startte; alleen maanden met een volledig jaar " +
    "nazorgperiode tot de peildatum). Tijdigheid van re-integratie: het aandeel van álle baaneindes vanaf 2017 waarbij al een dienst liep op de einddatum, " +
    "of binnen een maand (30 dagen) of drie maanden (91 dagen) na het einde een dienst startte (vóór een nieuwe baan; alleen maanden die drie maanden te volgen zijn). " +
    "Aandelen en medianen per maand voor Nederland, en voor Nederland en elke " +
    "regio ook over een periode van 12 maanden (de 12 maanden tot en met de genoemde maand); gepubliceerd zijn per cijfer de perioden die elkaar niet " +
    "overlappen, terug vanaf de laatste.",
  publishes: {
    reeks: table({
      maand: "key",
      regio: "key",
      regio_naam: "label",
      lopende_banen: "count",
      baaneindes: "count",
      aandeel_direct: "share",
      mediaan_dagen_tot_reintegratie: { kind: "median", unit: "dagen" },
      actieve_jobcoachperiodes: "count",
      aandeel_reintegratie_voor_einde: "share",
      aandeel_reintegratie_1m: "share",
      aandeel_reintegratie_3m: "share",
    }),
    venster: table({
      maand: "key",
      vanaf_maand: "key",
      regio: "key",
      regio_naam: "label",
      aandeel_direct: "share",
      mediaan_dagen_tot_reintegratie: { kind: "median", unit: "dagen" },
      aandeel_reintegratie_voor_einde: "share",
      aandeel_reintegratie_1m: "share",
      aandeel_reintegratie_3m: "share",
    }),
  },
  relations: [
    // regions add up to NL within a month; a region's months to its count in the survival file
    sum("reeks", "lopende_banen", "regio", { where: { regio: "NL" } }),
    sum("reeks", "baaneindes", "regio", { where: { regio: "NL" } }),
    sum("reeks", "actieve_jobcoachperiodes", "regio", { where: { regio: "NL" } }),
    share("reeks", "aandeel_direct", "direct", "baaneindes"),
    // NL's months add up to all endings (implied by the two relations around it, declared so that
    // secondary suppression sees a hidden NL month's partners among the other NL months)
    sum(
      "reeks",
      "baaneindes",
      "maand",
      {
        analysis: "duur_tot_volgende_baan",
        table: "aantallen",
        where: { kenmerk: "totaal", groep: "totaal" },
        column: "n",
        optional: true,
      },
      { regio: "NL" },
    ),
    sum("reeks", "baaneindes", "maand", {
      analysis: "duur_tot_volgende_baan",
      table: "aantallen",
      where: { kenmerk: "regio" },
      rename: { groep: "regio" },
      column: "n",
      optional: true,
    }),
    share("venster", "aandeel_direct", "direct", "baaneindes"),
    // timeliness: shares of all endings of the month (window); the counts behind them are not published
    // (a count column has no "not defined": the regions' and the months outside the range would read as hidden)
    ...TIJDIG.flatMap((c) => [share("reeks", c.aandeel, c.teller, "baaneindes"), share("venster", c.aandeel, c.teller, "baaneindes")]),
    // a window's endings are the sum of its months' published endings: known to every reader,
    // so the check takes them as published (not linked to the months: a hidden month could only
    // be narrowed through them if they were published on their own)
    known("venster", "baaneindes"),
    // a window's counts are its months' counts (NL's months are published as shares), and the
    // regions' windows add up to NL's. A region's monthly counts behind the windows are in no
    // file; the published windows do not overlap, so a window bounds each of its months only by
    // its own count: left out, it would make the check solve ~400 unknowns per window
    ...[DIRECT.teller, ...TIJDIG.map((c) => c.teller)].flatMap((c) => [
      rollingSum("venster", c, "maand", "vanaf_maand", { table: "reeks" }, { regio: "NL" }),
      sum("venster", c, "regio", { where: { regio: "NL" } }),
    ]),
    // NL's months of a year add up to the year's endings with a service running at the end in
    // reintegratie_uptake (the same endings, D6); a year whose months are not all defined gives
    // at most that count. `jaar` is a working column of the rows (the month's year)
    sum(
      "reeks",
      TIJDIG[0]!.teller,
      "maand",
      {
        analysis: "reintegratie_uptake",
        table: "voor_einde",
        where: { kenmerk: "jaar" },
        rename: { groep: "jaar" },
        column: "voor_einde",
        optional: true,
      },
      { regio: "NL" },
      { by: ["jaar"], partial: true },
    ),
    // cumulative timeliness counts: each the one before plus the increment (NL per month, every window)
    ...TIJDIG_TREDEN.flatMap((s) => [
      columnsSum("reeks", [s.voor, s.erbij], s.tot, { regio: "NL" }),
      columnsSum("venster", [s.voor, s.erbij], s.tot),
    ]),
  ],
  parameters: (p) => ({
    vanaf: p.d2.vensterStart,
    totEnMet: p.d4.peildatum,
    directDagen: 7,
    vensterMaanden: VENSTER_MAANDEN,
    reintegratieVanaf: p.d6.vensterStart,
    reintegratieTotEnMet: p.d6.vensterEinde,
    reintegratieHorizonDagen: HORIZON_DAGEN,
    reintegratieBinnenDagen: [TIJDIG_DAGEN.maand, TIJDIG_DAGEN.drieMaanden],
  }),
  run: async (ctx, p) => {
    const w = p.vensterMaanden;
    // months whose whole (rolling) window lies inside the D6 window have a defined median
    // and whose last month is followed for the full horizon before the peildatum
    const h = p.reintegratieHorizonDagen;
    // every date is checked (core/sql.ts date()) before any SQL runs
    const vanaf = date(p.vanaf),
      totEnMet = date(p.totEnMet);
    const d6Van = sql`date_trunc('month', ${date(p.reintegratieVanaf)})`;
    const d6Tot = sql`least(date_trunc('month', ${date(p.reintegratieTotEnMet)}), date_trunc('month', ${totEnMet} - ${h} + 1) - INTERVAL 1 MONTH)`;
    // a month's "direct" share only when each of its endings can be followed directDagen days
    // (a December ending on the 30th cannot, with the peildatum on the 31st: 34% -> 25%)
    const volgbaar = (maandBegin: Sql) => sql`(${maandBegin} + INTERVAL 1 MONTH)::DATE - 1 + ${p.directDagen}::INTEGER <= ${totEnMet}`;
    const reint = (e: Sql) => sql`(${e}in_d6_venster AND ${e}reintegratie = 1 AND ${e}dagen_tot_reintegratie <= ${h})`;
    // timeliness: a service (before a new job) within d days, or running at the end (time 0)
    const [d1m, d3m] = p.reintegratieBinnenDagen as [number, number];
    const binnen = (e: Sql, d: number) => sql`(${e}in_d6_venster AND ${e}reintegratie = 1 AND ${e}dagen_tot_reintegratie <= ${d}::INTEGER)`;
    const tijdigeTellers = (e: Sql) =>
      sql`count(*) FILTER (WHERE ${e}in_d6_venster AND ${e}reintegratie_voor_einde) AS reintegratie_voor_einde,
          count(*) FILTER (WHERE ${binnen(e, d1m)}) AS reintegratie_1m,
          count(*) FILTER (WHERE ${binnen(e, d3m)}) AS reintegratie_3m`;
    // a month (or a window's months) whose endings all lie in the D6 window, so that the shares are of
    // all endings of the month, and can all be followed three months up to the peildatum
    const d6Begin = date(p.reintegratieVanaf),
      d6Eind = date(p.reintegratieTotEnMet);
    const tijdig = (eersteBegin: Sql, laatsteBegin: Sql) =>
      sql`(${eersteBegin} >= ${d6Begin} AND (${laatsteBegin} + INTERVAL 1 MONTH)::DATE - 1 <= ${d6Eind} AND (${laatsteBegin} + INTERVAL 1 MONTH)::DATE - 1 + ${d3m}::INTEGER <= ${totEnMet})`;
    const tijdigeKolommen = (a: Sql, eersteBegin: Sql, laatsteBegin: Sql) =>
      sql`CASE WHEN ${tijdig(eersteBegin, laatsteBegin)} THEN coalesce(${a}reintegratie_voor_einde, 0) END AS reintegratie_voor_einde,
          CASE WHEN ${tijdig(eersteBegin, laatsteBegin)} THEN coalesce(${a}reintegratie_1m, 0) END AS reintegratie_1m,
          CASE WHEN ${tijdig(eersteBegin, laatsteBegin)} THEN coalesce(${a}reintegratie_3m, 0) END AS reintegratie_3m,
          CASE WHEN ${a}baaneindes > 0 AND ${tijdig(eersteBegin, laatsteBegin)} THEN ${a}reintegratie_voor_einde / ${a}baaneindes END AS aandeel_reintegratie_voor_einde,
          CASE WHEN ${a}baaneindes > 0 AND ${tijdig(eersteBegin, laatsteBegin)} THEN ${a}reintegratie_1m / ${a}baaneindes END AS aandeel_reintegratie_1m,
          CASE WHEN ${a}baaneindes > 0 AND ${tijdig(eersteBegin, laatsteBegin)} THEN ${a}reintegratie_3m / ${a}baaneindes END AS aandeel_reintegratie_3m`;
    const rows = await query(
      ctx.conn,
      sql`WITH maanden AS (
         SELECT m::DATE AS begin, (m + INTERVAL 1 MONTH)::DATE - 1 AS eind
         FROM range(date_trunc('month', ${vanaf}), date_trunc('month', ${totEnMet}) + INTERVAL 1 DAY, INTERVAL 1 MONTH) r(m)),
       wp AS (SELECT persoon_id, coalesce(regio, 'onbekend') AS regio FROM personen WHERE groep = 'Wajong'),
       -- a job runs at the end of month m when it started by then and had not ended before that
       -- day: from the month of its start to the last month whose last day is not after its end
       -- (a job ending on the last day of a month still counts that month), so per region a +1
       -- in the first month and a -1 after the last, summed up to each month
       looptijd AS (
         SELECT wp.regio, date_trunc('month', b.startdatum)::DATE AS eerste,
                (date_trunc('month', b.einddatum + 1) - INTERVAL 1 MONTH)::DATE AS laatste
         FROM banen b JOIN wp ON wp.persoon_id = b.persoon_id),
       wissel AS (
         SELECT regio, maand, sum(d) AS d FROM (
           SELECT regio, eerste AS maand, 1 AS d FROM looptijd WHERE laatste IS NULL OR laatste >= eerste
           UNION ALL
           SELECT regio, (laatste + INTERVAL 1 MONTH)::DATE, -1 FROM looptijd WHERE laatste >= eerste)
         GROUP BY ALL),
       lopend AS (
         SELECT m.begin, w.regio, sum(w.d)::BIGINT AS lopende_banen
         FROM maanden m JOIN wissel w ON w.maand <= m.begin
         GROUP BY GROUPING SETS ((m.begin, w.regio), (m.begin))),
       eindes AS (
         SELECT date_trunc('month', e.einddatum)::DATE AS begin, coalesce(e.regio, 'onbekend') AS regio,
                count(*) AS baaneindes,
                count(*) FILTER (WHERE e.volgende_baan = 1 AND e.dagen_tot_volgende_baan <= ${p.directDagen}) AS direct,
                count(*) FILTER (WHERE ${reint(sql`e.`)}) AS n_reintegratie,
                median(e.dagen_tot_reintegratie) FILTER (WHERE ${reint(sql`e.`)}) AS mediaan_dagen_tot_reintegratie,
                ${tijdigeTellers(sql`e.`)}
         FROM baaneindes e
         GROUP BY GROUPING SETS ((1, 2), (1))),
       jc AS (
         SELECT m.begin, coalesce(p.regio, 'onbekend') AS regio, count(*) AS actieve_jobcoachperiodes
         FROM maanden m JOIN jobcoach_perioden j ON j.begindatum <= m.eind AND j.einddatum >= m.begin
         -- Wajongers only, like the jobs and endings of the series
         JOIN personen p ON p.persoon_id = j.persoon_id AND p.groep = 'Wajong'
         GROUP BY GROUPING SETS ((m.begin, coalesce(p.regio, 'onbekend')), (m.begin))),
       regios AS (SELECT DISTINCT regio FROM wp UNION ALL SELECT NULL),
       grid AS (SELECT m.begin, r.regio FROM maanden m, regios r)
       SELECT strftime(g.begin, '%Y-%m') AS maand, coalesce(g.regio, 'NL') AS regio,
              coalesce(l.lopende_banen, 0) AS lopende_banen,
              coalesce(e.baaneindes, 0) AS baaneindes,
              coalesce(e.direct, 0) AS direct,
              CASE WHEN e.baaneindes > 0 AND ${volgbaar(sql`g.begin`)} THEN e.direct / e.baaneindes END AS aandeel_direct,
              CASE WHEN g.begin BETWEEN ${d6Van} AND ${d6Tot} THEN coalesce(e.n_reintegratie, 0) END AS n_reintegratie,
              CASE WHEN g.begin BETWEEN ${d6Van} AND ${d6Tot} THEN e.mediaan_dagen_tot_reintegratie::DOUBLE END AS mediaan_dagen_tot_reintegratie,
              coalesce(j.actieve_jobcoachperiodes, 0) AS actieve_jobcoachperiodes,
              ${tijdigeKolommen(sql`e.`, sql`g.begin`, sql`g.begin`)}
       FROM grid g
       LEFT JOIN lopend l ON l.begin = g.begin AND l.regio IS NOT DISTINCT FROM g.regio
       LEFT JOIN eindes e ON e.begin = g.begin AND e.regio IS NOT DISTINCT FROM g.regio
       LEFT JOIN jc j ON j.begin = g.begin AND j.regio IS NOT DISTINCT FROM g.regio
       ORDER BY g.begin, g.regio NULLS FIRST`,
    );
    // rolling window: the w months up to and including each month, from the first full window on
    const venster = await query(
      ctx.conn,
      sql`WITH maanden AS (
         SELECT m::DATE AS begin FROM range(date_trunc('month', ${vanaf}) + INTERVAL ${w - 1} MONTH,
           date_trunc('month', ${totEnMet}) + INTERVAL 1 DAY, INTERVAL 1 MONTH) r(m)),
       e AS (
         SELECT date_trunc('month', einddatum)::DATE AS begin, coalesce(regio, 'onbekend') AS regio,
                (volgende_baan = 1 AND dagen_tot_volgende_baan <= ${p.directDagen}) AS is_direct,
                ${reint(EMPTY)} AS is_reint, dagen_tot_reintegratie, in_d6_venster, reintegratie, reintegratie_voor_einde
         FROM baaneindes
         WHERE einddatum >= ${vanaf} AND einddatum <= ${totEnMet}),
       agg AS (
         SELECT m.begin, e.regio, count(*) AS baaneindes, count(*) FILTER (WHERE e.is_direct) AS direct,
                count(*) FILTER (WHERE e.is_reint) AS n_reintegratie,
                median(e.dagen_tot_reintegratie) FILTER (WHERE e.is_reint) AS mediaan,
                ${tijdigeTellers(sql`e.`)}
         FROM maanden m JOIN e ON e.begin > m.begin - INTERVAL ${w} MONTH AND e.begin <= m.begin
         GROUP BY GROUPING SETS ((m.begin, e.regio), (m.begin))),
       regios AS (SELECT DISTINCT coalesce(regio, 'onbekend') AS regio FROM personen WHERE groep = 'Wajong' UNION ALL SELECT NULL),
       grid AS (SELECT m.begin, r.regio FROM maanden m, regios r)
       SELECT strftime(g.begin, '%Y-%m') AS maand, strftime(g.begin - INTERVAL ${w - 1} MONTH, '%Y-%m') AS vanaf_maand,
              coalesce(g.regio, 'NL') AS regio,
              coalesce(a.baaneindes, 0) AS baaneindes, coalesce(a.direct, 0) AS direct,
              CASE WHEN a.baaneindes > 0 AND ${volgbaar(sql`g.begin`)} THEN a.direct / a.baaneindes END AS aandeel_direct,
              CASE WHEN g.begin - INTERVAL ${w - 1} MONTH >= ${d6Van} AND g.begin <= ${d6Tot} THEN coalesce(a.n_reintegratie, 0) END AS n_reintegratie,
              CASE WHEN g.begin - INTERVAL ${w - 1} MONTH >= ${d6Van} AND g.begin <= ${d6Tot} THEN a.mediaan::DOUBLE END AS mediaan_dagen_tot_reintegratie,
              ${tijdigeKolommen(sql`a.`, sql`(g.begin - INTERVAL ${w - 1} MONTH)::DATE`, sql`g.begin`)}
       FROM grid g LEFT JOIN agg a ON a.begin = g.begin AND a.regio IS NOT DISTINCT FROM g.regio
       ORDER BY g.begin, g.regio NULLS FIRST`,
    );
    const namen = await regioNamen(ctx.conn);
    const metNaam = (r: Row): Row => {
      const code = String(r.regio);
      const naam = code === "NL" ? "Nederland" : (namen.get(code) ?? code);
      // keep column order: maand, [vanaf_maand,] regio, regio_naam, …
      const { maand, vanaf_maand, regio, ...rest } = r;
      return {
        maand: maand as Cell,
        ...(vanaf_maand !== undefined ? { vanaf_maand } : {}),
        regio: regio as Cell,
        regio_naam: naam,
        ...rest,
      };
    };
    return { tabellen: { reeks: rows.map(metNaam), venster: venster.map(metNaam) } };
  },
  publish: (result, rules) => {
    // --- monthly: counts for NL and every region; the share and median only for NL
    const t = metTreden(copyRows(result.tabellen.reeks!));
    // the month's year: the group of NL's months that add up to a year of reintegratie_uptake
    for (const r of t) r.jaar = String(r.maand).slice(0, 4);
    const orig = result.tabellen.reeks!;
    const key = (r: Row) => `${r.maand}/${r.regio}`;
    const by = new Map(orig.map((r) => [key(r), r]));
    const o = (r: Row) => by.get(key(r))!;
    for (const col of ["lopende_banen", "baaneindes", "actieve_jobcoachperiodes"]) {
      hideSmallCounts(t, [col], rules);
      // regions add up to NL within a month
      secondarySuppression(t, col, [{ key: (r) => String(r.maand), isTotal: (r) => r.regio === "NL" }]);
    }
    // a region has too few endings a month for a share: regional shares and medians are
    // published over the rolling window only (table venster), not per month
    const tijdigeAandelen = TIJDIG.map((c) => c.aandeel);
    for (const r of t) {
      if (r.regio === "NL") continue;
      r.aandeel_direct = r.mediaan_dagen_tot_reintegratie = null;
      for (const c of tijdigeAandelen) r[c] = null;
    }
    // shares of a count over the month's (window's) endings: shown only with ≥ minNoemer endings,
    // hidden when the count or its complement is small
    const protectShares = (rows: Row[], full: (r: Row) => Row, shares: readonly { aandeel: string; teller: string }[]) => {
      requireDenominator(
        rows,
        shares.map((c) => c.aandeel),
        (r) => full(r).baaneindes,
        rules,
      );
      for (const c of shares)
        hideSharesOfSmallCounts(
          rows,
          [c.aandeel],
          (r) => full(r)[c.teller],
          (r) => full(r).baaneindes,
          rules,
        );
    };
    const nl = t.filter((r) => r.regio === "NL");
    // timeliness (NL per month): each share needs ≥ minNoemer endings and is hidden when its count
    // or complement is small
    const nlTijdig = nl.filter((r) => o(r).reintegratie_3m != null);
    hideWith(nlTijdig, "baaneindes", tijdigeAandelen);
    protectShares(nlTijdig, o, TIJDIG);
    hideWith(nl, "baaneindes", ["aandeel_direct"]);
    protectShares(nl, o, [DIRECT]);
    // the median is defined only for months in the D6 window (n_reintegratie not null)
    requireDenominator(
      nl.filter((r) => o(r).n_reintegratie != null),
      ["mediaan_dagen_tot_reintegratie"],
      (r) => o(r).n_reintegratie,
      rules,
    );

    // --- window of 12 months, NL and every region: share and median only (the window's counts are
    // not published: with the monthly counts they would reveal a hidden monthly count)
    const v = metTreden(nonOverlapping(copyRows(result.tabellen.venster!)));
    const vo = new Map(result.tabellen.venster!.map((r) => [key(r), r]));
    const ov = (r: Row) => vo.get(key(r))!;
    protectShares(v, ov, [DIRECT]);
    requireDenominator(
      v.filter((r) => ov(r).n_reintegratie != null),
      ["mediaan_dagen_tot_reintegratie"],
      (r) => ov(r).n_reintegratie,
      rules,
    );
    protectShares(
      v.filter((r) => ov(r).reintegratie_3m != null),
      ov,
      TIJDIG,
    );
    return {
      reeks: finalize(t, [
        "maand",
        "regio",
        "regio_naam",
        "lopende_banen",
        "baaneindes",
        "aandeel_direct",
        "mediaan_dagen_tot_reintegratie",
        "actieve_jobcoachperiodes",
        ...tijdigeAandelen,
      ]),
      venster: finalize(v, [
        "maand",
        "vanaf_maand",
        "regio",
        "regio_naam",
        "aandeel_direct",
        "mediaan_dagen_tot_reintegratie",
        ...tijdigeAandelen,
      ]),
    };
  },
});
