/**
 * The canonical extract contract (docs/source-mapping.md). One home: the generator writes it, the
 * ingest validates against it, the tests check files against it.
 */
export type ColumnType = "string" | "date" | "decimal" | "int" | "enum";

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** Allowed values for enums. */
  values?: readonly string[];
  /** Empty not allowed. */
  required: boolean;
  /**
   * DuckDB type in staging: a type name, or for a code column stored as ENUM (`enumCol`) the
   * type as DuckDB writes it, ENUM('a', 'b', ...) with the allowed values in contract order.
   */
  sql: "VARCHAR" | "DATE" | "DOUBLE" | "INTEGER" | `ENUM(${string})`;
  /** Numbers: the plausible range (inclusive); a value outside is rejected per row. */
  range?: PlausibleRange;
}

/**
 * A plausible range of a numeric column. Bounds are deliberately wide: they catch values that
 * cannot be a real declaration (a mistyped amount, a number in the wrong column, 1e308), not
 * unusual ones; what is unusual but possible is counted softly in `kwaliteit` instead.
 */
export interface PlausibleRange {
  min: number;
  max: number;
  /** the unit, as written in the reject reason (e.g. "euro per tijdvak") */
  eenheid: string;
}

/**
 * The derivations cast loon_sv and uren to DECIMAL(18, 6) (exact monthly sums), which holds
 * |x| < 1e12: every range must stay far inside it (test/ingest/ranges.test.ts checks).
 */
export const DECIMAL_18_6_LIMIT = 1e12;

/** Every hour of a leap year: no count of hours in one period (a tijdvak, a jobcoach period) can exceed it. */
const HOURS_IN_A_YEAR = 24 * 366;

const col = (name: string, type: ColumnType, required: boolean, values?: readonly string[], range?: PlausibleRange): ColumnSpec => ({
  name,
  type,
  required,
  values,
  range,
  sql: type === "date" ? "DATE" : type === "decimal" ? "DOUBLE" : type === "int" ? "INTEGER" : "VARCHAR",
});

/**
 * A code column stored in staging as ENUM instead of VARCHAR: one byte per value, which makes
 * writing stg_polis (millions of rows) about 30% cheaper (scale 1, one session: the whole
 * staging statement 5.7 -> 4.9 s) and its joins and groups downstream cheaper. Only polis's code
 * columns: ENUM values sort in contract order, not alphabetically, so a column is stored so only
 * where no ordering, min/max or sort key downstream reads it; int_banen casts them back to
 * VARCHAR, so the marts and everything published keep their types.
 */
const enumCol = (name: string, values: readonly string[]): ColumnSpec => ({
  ...col(name, "enum", true, values),
  sql: `ENUM(${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")})`,
});

/**
 * The plausible ranges, with why.
 * - loon_sv: the SV wage of one income relation in one tijdvak (a month or four weeks; the
 *   generator writes 0.01 to a few thousand euro). Ten million euro in one period is beyond any
 *   wage; negative amounts are corrections in real polis data (counted as "negatief" in
 *   kwaliteit), so the range is symmetric.
 * - uren: hours paid in one tijdvak (generator: 0 to ~200). More than every hour of a year is not
 *   an hour count; above 24 hours per day of the tijdvak itself is counted as "onmogelijk" in
 *   kwaliteit. Negative: corrections, as for loon_sv.
 * - volgnummer: the number of a consecutive jobcoach period (generator 1 to ~10; a period lasts
 *   about six months, so 1000 periods would span 500 years). 0 is allowed for systems counting from 0.
 * - toegekende_uren, verantwoorde_uren: jobcoach hours of one period (generator 8 to ~45 per
 *   period); at most every hour of a year; negative counted as "negatief" in kwaliteit.
 */
export const RANGES = {
  loon_sv: { min: -10_000_000, max: 10_000_000, eenheid: "euro per tijdvak" },
  uren: { min: -HOURS_IN_A_YEAR, max: HOURS_IN_A_YEAR, eenheid: "uur per tijdvak" },
  volgnummer: { min: 0, max: 1000, eenheid: "" },
  jobcoachUren: { min: -HOURS_IN_A_YEAR, max: HOURS_IN_A_YEAR, eenheid: "uur per periode" },
} as const satisfies Record<string, PlausibleRange>;

export const ENUMS = {
  geslacht: ["M", "V"],
  opleidingsniveau: ["laag", "midden", "hoog", "onbekend"],
  diagnosegroep: ["lichamelijk", "psychisch", "ontwikkelingsstoornis", "verstandelijk", "overig"],
  regeling: ["oWajong", "Wajong2010", "Wajong2015", "WGA"],
  arbeidsvermogen: ["ja", "nee", "duurzaam_geen"],
  reden_einde: ["overlijden", "pensioen", "herstel", "overig"],
  contractsoort: ["onbepaald", "bepaald", "onbekend"],
  soort_baan: ["regulier", "uitzend", "oproep", "overig"],
  sector: ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S"],
  grootteklasse: ["1-9", "10-49", "50-249", "250+"],
  jobcoach_soort: ["extern", "intern"],
  regime: ["zeer_licht", "licht", "midden", "intensief"],
  portaal_status: ["toegekend", "afgewezen", "ingetrokken"],
  dienst: [
    "naar_werk",
    "werkfit_maken",
    "participatie_interventie",
    "maatschappelijke_deelname",
    "praktijkassessment",
    "begeleiding_scholing",
    "vrije_ruimte",
    "proefplaatsing",
  ],
  resultaat: ["plaatsing", "geen_plaatsing", "voortijdig_beeindigd", "lopend"],
} as const;

export const EXTRACTS = {
  uitkeringen: [
    col("persoon_id", "string", true),
    col("geslacht", "enum", true, ENUMS.geslacht),
    col("geboortedatum", "date", true),
    col("opleidingsniveau", "enum", true, ENUMS.opleidingsniveau),
    col("diagnosegroep", "enum", true, ENUMS.diagnosegroep),
    col("regeling", "enum", true, ENUMS.regeling),
    col("arbeidsvermogen", "enum", true, ENUMS.arbeidsvermogen),
    col("ingangsdatum", "date", true),
    col("einddatum", "date", false),
    col("reden_einde", "enum", false, ENUMS.reden_einde),
    col("regio", "string", true),
  ],
  polis: [
    col("persoon_id", "string", true),
    col("ikv_id", "string", true),
    col("werkgever_id", "string", true),
    col("datum_aanvang_ikv", "date", true),
    col("datum_einde_ikv", "date", false),
    col("tijdvak_aanvang", "date", true),
    col("tijdvak_einde", "date", true),
    col("loon_sv", "decimal", true, undefined, RANGES.loon_sv),
    col("uren", "decimal", true, undefined, RANGES.uren),
    enumCol("contractsoort", ENUMS.contractsoort),
    enumCol("soort_baan", ENUMS.soort_baan),
    enumCol("sector", ENUMS.sector),
    enumCol("grootteklasse", ENUMS.grootteklasse),
    col("aanleverdatum", "date", true),
  ],
  jobcoachportaal: [
    col("toekenning_id", "string", true),
    col("persoon_id", "string", true),
    col("werkgever_id", "string", true),
    col("soort", "enum", true, ENUMS.jobcoach_soort),
    col("organisatie_id", "string", false),
    col("volgnummer", "int", true, undefined, RANGES.volgnummer),
    col("begindatum", "date", true),
    col("einddatum", "date", true),
    col("regime", "enum", true, ENUMS.regime),
    col("toegekende_uren", "int", true, undefined, RANGES.jobcoachUren),
    col("verantwoorde_uren", "decimal", false, undefined, RANGES.jobcoachUren),
    col("status", "enum", true, ENUMS.portaal_status),
  ],
  sonar: [
    col("dienst_id", "string", true),
    col("persoon_id", "string", true),
    col("dienst", "enum", true, ENUMS.dienst),
    col("aanbieder_id", "string", false),
    col("werkgever_id", "string", false),
    col("startdatum", "date", true),
    col("einddatum", "date", false),
    col("resultaat", "enum", true, ENUMS.resultaat),
  ],
} as const satisfies Record<string, readonly ColumnSpec[]>;

export type ExtractName = keyof typeof EXTRACTS;
export const EXTRACT_NAMES = Object.keys(EXTRACTS) as ExtractName[];

/** Canonical file name of an extract in a folder. */
export const canonicalFile = (name: ExtractName) => `${name}.csv`;

/**
 * The marker file of synthetic extracts: the generator writes it into the extracts folder it
 * makes, next to the four extracts; the ingest records its presence in the manifest
 * (`invoer.synthetisch`), and the site then says on every page that the figures are synthetic.
 * Its presence alone marks the folder, whatever its content (fail-safe: an unreadable marker is
 * still a marker). Real exports never have it.
 */
export const SYNTHETIC_MARKER_FILE = "synthetisch.json";
