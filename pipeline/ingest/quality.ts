/**
 * Soft checks on the staged extracts: counted in table `kwaliteit(controle, extract, aantal,
 * toelichting)` and in the manifest, never fatal. Every check is listed, also when 0.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Parameters } from "../config.ts";
import { sqlLiteral } from "../sql-runner.ts";
import { q } from "./read.ts";

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
  /** SQL returning one number */
  sql: string;
}

const count = (table: string, where: string) => `SELECT count(*) FROM ${table} WHERE ${where}`;
const dupes = (table: string, key: string) =>
  `SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM ${table} GROUP BY ${key} HAVING count(*) > 1)`;
const notInBenefits = (table: string) =>
  `SELECT count(DISTINCT persoon_id) FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM stg_uitkeringen u WHERE u.persoon_id = t.persoon_id)`;

export function qualityChecks(params: Parameters, today: string): Check[] {
  const peil = sqlLiteral(params.d4.peildatum);
  const nu = `DATE ${q(today)}`;
  return [
    { controle: "einde_voor_begin", extract: "uitkeringen", toelichting: "einddatum vóór ingangsdatum", sql: count("stg_uitkeringen", "einddatum < ingangsdatum") },
    { controle: "einde_voor_begin", extract: "polis", toelichting: "tijdvak_einde vóór tijdvak_aanvang", sql: count("stg_polis", "tijdvak_einde < tijdvak_aanvang") },
    { controle: "einde_voor_begin", extract: "polis", toelichting: "datum_einde_ikv vóór datum_aanvang_ikv", sql: count("stg_polis", "datum_einde_ikv < datum_aanvang_ikv") },
    { controle: "einde_voor_begin", extract: "jobcoachportaal", toelichting: "einddatum vóór begindatum", sql: count("stg_jobcoachportaal", "einddatum < begindatum") },
    { controle: "einde_voor_begin", extract: "sonar", toelichting: "einddatum vóór startdatum", sql: count("stg_sonar", "einddatum < startdatum") },
    { controle: "negatief", extract: "polis", toelichting: "loon_sv < 0", sql: count("stg_polis", "loon_sv < 0") },
    { controle: "negatief", extract: "polis", toelichting: "uren < 0", sql: count("stg_polis", "uren < 0") },
    { controle: "negatief", extract: "jobcoachportaal", toelichting: "toegekende_uren < 0 of verantwoorde_uren < 0", sql: count("stg_jobcoachportaal", "toegekende_uren < 0 OR verantwoorde_uren < 0") },
    { controle: "persoon_niet_in_uitkeringen", extract: "polis", toelichting: "aantal personen in polis zonder uitkering", sql: notInBenefits("stg_polis") },
    { controle: "persoon_niet_in_uitkeringen", extract: "jobcoachportaal", toelichting: "aantal personen in het jobcoachportaal zonder uitkering", sql: notInBenefits("stg_jobcoachportaal") },
    { controle: "persoon_niet_in_uitkeringen", extract: "sonar", toelichting: "aantal personen in Sonar zonder uitkering", sql: notInBenefits("stg_sonar") },
    { controle: "dubbele_sleutel", extract: "uitkeringen", toelichting: "extra rijen met dezelfde persoon_id en ingangsdatum", sql: dupes("stg_uitkeringen", "persoon_id, ingangsdatum") },
    { controle: "dubbele_sleutel", extract: "polis", toelichting: "extra rijen met dezelfde ikv_id, tijdvak_aanvang en aanleverdatum", sql: dupes("stg_polis", "ikv_id, tijdvak_aanvang, aanleverdatum") },
    { controle: "dubbele_sleutel", extract: "jobcoachportaal", toelichting: "extra rijen met dezelfde toekenning_id", sql: dupes("stg_jobcoachportaal", "toekenning_id") },
    { controle: "dubbele_sleutel", extract: "sonar", toelichting: "extra rijen met dezelfde dienst_id", sql: dupes("stg_sonar", "dienst_id") },
    { controle: "correctie", extract: "polis", toelichting: "rijen vervangen door een latere aanlevering voor dezelfde ikv_id en tijdvak (geen fout; D1 houdt de laatste)", sql: dupes("stg_polis", "ikv_id, tijdvak_aanvang") },
    { controle: "na_peildatum", extract: "uitkeringen", toelichting: `ingangsdatum na de peildatum (d4.peildatum ${params.d4.peildatum})`, sql: count("stg_uitkeringen", `ingangsdatum > ${peil}`) },
    { controle: "na_peildatum", extract: "polis", toelichting: `tijdvak_aanvang na de peildatum (d4.peildatum ${params.d4.peildatum})`, sql: count("stg_polis", `tijdvak_aanvang > ${peil}`) },
    { controle: "na_peildatum", extract: "jobcoachportaal", toelichting: `begindatum na de peildatum (d4.peildatum ${params.d4.peildatum})`, sql: count("stg_jobcoachportaal", `begindatum > ${peil}`) },
    { controle: "na_peildatum", extract: "sonar", toelichting: `startdatum na de peildatum (d4.peildatum ${params.d4.peildatum})`, sql: count("stg_sonar", `startdatum > ${peil}`) },
    { controle: "in_toekomst", extract: "uitkeringen", toelichting: "geboortedatum of ingangsdatum na de rundatum", sql: count("stg_uitkeringen", `geboortedatum > ${nu} OR ingangsdatum > ${nu}`) },
    { controle: "in_toekomst", extract: "polis", toelichting: "tijdvak_aanvang of aanleverdatum na de rundatum", sql: count("stg_polis", `tijdvak_aanvang > ${nu} OR aanleverdatum > ${nu}`) },
    { controle: "in_toekomst", extract: "jobcoachportaal", toelichting: "begindatum na de rundatum", sql: count("stg_jobcoachportaal", `begindatum > ${nu}`) },
    { controle: "in_toekomst", extract: "sonar", toelichting: "startdatum na de rundatum", sql: count("stg_sonar", `startdatum > ${nu}`) },
  ];
}

/** Run the soft checks, fill table `kwaliteit`; `extra` rows (e.g. soft unknown codes) are added. */
export async function runQualityChecks(
  conn: DuckDBConnection,
  params: Parameters,
  extra: QualityRow[],
  today = new Date().toISOString().slice(0, 10),
): Promise<QualityRow[]> {
  const rows: QualityRow[] = [];
  const checks = qualityChecks(params, today);
  // one round trip: all counts as columns of one SELECT
  const sel = checks.map((c, i) => `(${c.sql}) AS c${i}`).join(",\n");
  const res = (await conn.runAndReadAll(`SELECT ${sel}`)).getRows()[0];
  checks.forEach((c, i) => rows.push({ controle: c.controle, extract: c.extract, aantal: Number(res[i]), toelichting: c.toelichting }));
  rows.push(...extra);
  await conn.run(`CREATE OR REPLACE TABLE kwaliteit (controle VARCHAR, extract VARCHAR, aantal BIGINT, toelichting VARCHAR)`);
  if (rows.length) {
    await conn.run(
      `INSERT INTO kwaliteit VALUES ${rows.map((r) => `(${q(r.controle)}, ${q(r.extract)}, ${r.aantal}, ${q(r.toelichting)})`).join(", ")}`,
    );
  }
  return rows;
}
