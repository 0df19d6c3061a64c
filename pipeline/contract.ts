/**
 * The canonical extract contract (domain brief §3). One home: the generator writes it, the
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
  /** DuckDB type in staging. */
  sql: "VARCHAR" | "DATE" | "DOUBLE" | "INTEGER";
}

const col = (
  name: string,
  type: ColumnType,
  required: boolean,
  values?: readonly string[],
): ColumnSpec => ({
  name,
  type,
  required,
  values,
  sql: type === "date" ? "DATE" : type === "decimal" ? "DOUBLE" : type === "int" ? "INTEGER" : "VARCHAR",
});

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
    col("loon_sv", "decimal", true),
    col("uren", "decimal", true),
    col("contractsoort", "enum", true, ENUMS.contractsoort),
    col("soort_baan", "enum", true, ENUMS.soort_baan),
    col("sector", "enum", true, ENUMS.sector),
    col("grootteklasse", "enum", true, ENUMS.grootteklasse),
    col("aanleverdatum", "date", true),
  ],
  jobcoachportaal: [
    col("toekenning_id", "string", true),
    col("persoon_id", "string", true),
    col("werkgever_id", "string", true),
    col("soort", "enum", true, ENUMS.jobcoach_soort),
    col("organisatie_id", "string", false),
    col("volgnummer", "int", true),
    col("begindatum", "date", true),
    col("einddatum", "date", true),
    col("regime", "enum", true, ENUMS.regime),
    col("toegekende_uren", "int", true),
    col("verantwoorde_uren", "decimal", false),
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
