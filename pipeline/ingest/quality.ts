/**
 * Soft checks on the staged extracts: counted in table `kwaliteit(controle, extract, aantal,
 * toelichting)` and in the manifest, never fatal. Every check is listed, also when 0.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Parameters } from "../config.ts";
import { date, ident, join, readAll, run, sql, type Sql } from "../../core/sql.ts";

export interface QualityRow {
  controle: string;
  extract: string;
  aantal: number;
  toelichting: string;
}

interface Check {
  controle: string;
  extract: string;
  toelichting: string;
  /** a row condition on stg_<extract> (counted rows), or a full query returning one number */
  where?: Sql;
  sql?: Sql;
}

const dupes = (table: string, key: readonly string[]): Sql =>
  sql`SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM ${ident(table)} GROUP BY ${join(key.map(ident))} HAVING count(*) > 1)`;
/** distinct persons first: the anti join then probes one row per person instead of every row */
const notInBenefits = (table: string): Sql =>
  sql`SELECT count(persoon_id) FROM (SELECT DISTINCT persoon_id FROM ${ident(table)}) t ANTI JOIN (SELECT DISTINCT persoon_id FROM stg_uitkeringen) u USING (persoon_id)`;

/**
 * The staging table of the pay periods declared more than once: per (ikv_id, tijdvak_aanvang)
 * with more than one row of polis, its rows and its distinct declaration dates. It is grouped
 * once, here, for two checks below and for the correction step of D1
 * (pipeline/sql/intermediate/09_int_polis_vervangen.sql), which replaces all but the latest
 * declaration of these periods (scale 1: 3.9 M periods, 81 k of them declared more than once;
 * the group takes ~0.5 s, the correction step without it ~0.1 s).
 */
export const POLIS_DUBBEL = "stg_polis_dubbel";

/**
 * A count(DISTINCT) per group is the slowest form (~1.2 s at scale 1). For a group of two rows
 * the distinct dates follow from count, min and max (one plain aggregate); only when a group
 * has three or more rows is the exact form needed, and then over the rows of these groups only.
 * Grouping all of polis by (ikv_id, tijdvak_aanvang), a group per period, is the costly part;
 * grouped by ikv first (a group per ikv), an ikv with more rows than distinct period starts
 * is one with a period declared more than once, and only its rows are grouped by period
 * (scale 1, 64 k of 373 k ikv's, 38% of the rows: 0.78 -> 0.48 s; an extract without
 * corrections pays only the first group, one with corrections in every ikv about 0.24 s more).
 */
const polisDubbel = sql`CREATE OR REPLACE TABLE ${ident(POLIS_DUBBEL)} AS
    WITH ikv AS (
        SELECT ikv_id FROM stg_polis GROUP BY ikv_id HAVING count(*) > list_unique(list(tijdvak_aanvang))
    )
    SELECT ikv_id, tijdvak_aanvang, count(*) AS aantal_rijen,
           count(aanleverdatum) - CASE WHEN count(aanleverdatum) = 2 AND min(aanleverdatum) = max(aanleverdatum) THEN 1 ELSE 0 END
             AS aantal_aanleverdata
    FROM stg_polis SEMI JOIN ikv USING (ikv_id) GROUP BY ikv_id, tijdvak_aanvang HAVING count(*) > 1
    ORDER BY ikv_id, tijdvak_aanvang`;
const polisDubbelExact = [
  sql`CREATE OR REPLACE TEMP TABLE _polis_dubbel AS
    SELECT ikv_id, tijdvak_aanvang, count(*) AS aantal_rijen, count(DISTINCT aanleverdatum) AS aantal_aanleverdata
    FROM stg_polis SEMI JOIN ${ident(POLIS_DUBBEL)} USING (ikv_id, tijdvak_aanvang)
    GROUP BY ikv_id, tijdvak_aanvang`,
  sql`CREATE OR REPLACE TABLE ${ident(POLIS_DUBBEL)} AS SELECT * FROM _polis_dubbel ORDER BY ikv_id, tijdvak_aanvang`,
  sql`DROP TABLE _polis_dubbel`,
];

/** Write stg_polis_dubbel (POLIS_DUBBEL) from stg_polis. */
export async function writePolisDubbel(conn: DuckDBConnection): Promise<void> {
  await run(conn, polisDubbel);
  if (Number((await readAll(conn, sql`SELECT coalesce(max(aantal_rijen), 0) FROM ${ident(POLIS_DUBBEL)}`)).getRows()[0]![0]) > 2) {
    for (const q of polisDubbelExact) await run(conn, q);
  }
}

export function qualityChecks(params: Parameters, today: string): Check[] {
  const peil = date(params.d4.peildatum);
  const nu = date(today);
  const pd = params.d4.peildatum;
  return [
    {
      controle: "einde_voor_begin",
      extract: "uitkeringen",
      toelichting: "einddatum vóór ingangsdatum",
      where: sql`einddatum < ingangsdatum`,
    },
    {
      controle: "einde_voor_begin",
      extract: "polis",
      toelichting: "tijdvak_einde vóór tijdvak_aanvang",
      where: sql`tijdvak_einde < tijdvak_aanvang`,
    },
    {
      controle: "einde_voor_begin",
      extract: "polis",
      toelichting: "datum_einde_ikv vóór datum_aanvang_ikv",
      where: sql`datum_einde_ikv < datum_aanvang_ikv`,
    },
    {
      controle: "einde_voor_begin",
      extract: "jobcoachportaal",
      toelichting: "einddatum vóór begindatum",
      where: sql`einddatum < begindatum`,
    },
    { controle: "einde_voor_begin", extract: "sonar", toelichting: "einddatum vóór startdatum", where: sql`einddatum < startdatum` },
    { controle: "negatief", extract: "polis", toelichting: "loon_sv < 0", where: sql`loon_sv < 0` },
    { controle: "negatief", extract: "polis", toelichting: "uren < 0", where: sql`uren < 0` },
    {
      controle: "onmogelijk",
      extract: "polis",
      toelichting: "uren > 24 per dag van het tijdvak",
      where: sql`uren > 24 * (tijdvak_einde - tijdvak_aanvang + 1)`,
    },
    {
      controle: "negatief",
      extract: "jobcoachportaal",
      toelichting: "toegekende_uren < 0 of verantwoorde_uren < 0",
      where: sql`toegekende_uren < 0 OR verantwoorde_uren < 0`,
    },
    {
      controle: "persoon_niet_in_uitkeringen",
      extract: "polis",
      toelichting: "aantal personen in polis zonder uitkering",
      sql: notInBenefits("stg_polis"),
    },
    {
      controle: "persoon_niet_in_uitkeringen",
      extract: "jobcoachportaal",
      toelichting: "aantal personen in het jobcoachportaal zonder uitkering",
      sql: notInBenefits("stg_jobcoachportaal"),
    },
    {
      controle: "persoon_niet_in_uitkeringen",
      extract: "sonar",
      toelichting: "aantal personen in Sonar zonder uitkering",
      sql: notInBenefits("stg_sonar"),
    },
    {
      controle: "dubbele_sleutel",
      extract: "uitkeringen",
      toelichting: "extra rijen met dezelfde persoon_id en ingangsdatum",
      sql: dupes("stg_uitkeringen", ["persoon_id", "ingangsdatum"]),
    },
    {
      controle: "dubbele_sleutel",
      extract: "polis",
      toelichting: "extra rijen met dezelfde ikv_id, tijdvak_aanvang en aanleverdatum",
      sql: sql`SELECT coalesce(sum(aantal_rijen - aantal_aanleverdata), 0) FROM ${ident(POLIS_DUBBEL)}`,
    },
    {
      controle: "dubbele_sleutel",
      extract: "jobcoachportaal",
      toelichting: "extra rijen met dezelfde toekenning_id",
      sql: dupes("stg_jobcoachportaal", ["toekenning_id"]),
    },
    {
      controle: "dubbele_sleutel",
      extract: "sonar",
      toelichting: "extra rijen met dezelfde dienst_id",
      sql: dupes("stg_sonar", ["dienst_id"]),
    },
    {
      controle: "correctie",
      extract: "polis",
      toelichting: "rijen vervangen door een latere aanlevering voor dezelfde ikv_id en tijdvak (geen fout; D1 houdt de laatste)",
      sql: sql`SELECT coalesce(sum(aantal_rijen - 1), 0) FROM ${ident(POLIS_DUBBEL)}`,
    },
    {
      controle: "na_peildatum",
      extract: "uitkeringen",
      toelichting: `ingangsdatum na de peildatum (d4.peildatum ${pd})`,
      where: sql`ingangsdatum > ${peil}`,
    },
    {
      controle: "na_peildatum",
      extract: "polis",
      toelichting: `tijdvak_aanvang na de peildatum (d4.peildatum ${pd})`,
      where: sql`tijdvak_aanvang > ${peil}`,
    },
    {
      controle: "na_peildatum",
      extract: "jobcoachportaal",
      toelichting: `begindatum na de peildatum (d4.peildatum ${pd})`,
      where: sql`begindatum > ${peil}`,
    },
    {
      controle: "na_peildatum",
      extract: "sonar",
      toelichting: `startdatum na de peildatum (d4.peildatum ${pd})`,
      where: sql`startdatum > ${peil}`,
    },
    {
      controle: "in_toekomst",
      extract: "uitkeringen",
      toelichting: "geboortedatum of ingangsdatum na de rundatum",
      where: sql`geboortedatum > ${nu} OR ingangsdatum > ${nu}`,
    },
    {
      controle: "in_toekomst",
      extract: "polis",
      toelichting: "tijdvak_aanvang of aanleverdatum na de rundatum",
      where: sql`tijdvak_aanvang > ${nu} OR aanleverdatum > ${nu}`,
    },
    { controle: "in_toekomst", extract: "jobcoachportaal", toelichting: "begindatum na de rundatum", where: sql`begindatum > ${nu}` },
    { controle: "in_toekomst", extract: "sonar", toelichting: "startdatum na de rundatum", where: sql`startdatum > ${nu}` },
  ];
}

/**
 * Run the soft checks on the staging tables (stg_polis_dubbel included, written with stg_polis:
 * pipeline/ingest/index.ts), fill table `kwaliteit`; `extra` rows (e.g. soft unknown codes) are
 * added.
 */
export async function runQualityChecks(
  conn: DuckDBConnection,
  params: Parameters,
  extra: QualityRow[],
  today = new Date().toISOString().slice(0, 10),
): Promise<QualityRow[]> {
  const rows: QualityRow[] = [];
  const checks = qualityChecks(params, today);
  const values = new Map<Check, number>();
  // row conditions: one scan per extract
  for (const x of [...new Set(checks.map((c) => c.extract))]) {
    const cs = checks.filter((c) => c.extract === x && c.where);
    if (!cs.length) continue;
    const res = (
      await readAll(conn, sql`SELECT ${join(cs.map((c) => sql`count(*) FILTER (WHERE ${c.where!})`))} FROM ${ident(`stg_${x}`)}`)
    ).getRows()[0]!;
    cs.forEach((c, i) => values.set(c, Number(res[i])));
  }
  for (const c of checks.filter((c) => c.sql)) values.set(c, Number((await readAll(conn, c.sql!)).getRows()[0]![0]));
  checks.forEach((c) => rows.push({ controle: c.controle, extract: c.extract, aantal: values.get(c)!, toelichting: c.toelichting }));
  rows.push(...extra);
  await run(conn, sql`CREATE OR REPLACE TABLE kwaliteit (controle VARCHAR, extract VARCHAR, aantal BIGINT, toelichting VARCHAR)`);
  if (rows.length) {
    await run(
      conn,
      sql`INSERT INTO kwaliteit VALUES ${join(rows.map((r) => sql`(${r.controle}, ${r.extract}, ${r.aantal}, ${r.toelichting})`))}`,
    );
  }
  return rows;
}
