/**
 * Step 2 of the ingest: the casting rules. The one home for how a source string becomes a
 * typed contract value (code mapping, empty -> NULL, dates with the mapping's format, decimals
 * with its separator, allowed codes) and for why a row is rejected. Generated from the
 * contract (pipeline/contract.ts) and the source mapping; the SQL run is written to
 * `<out>/staging.sql` for inspection.
 */
import { EXTRACTS, type ColumnSpec, type ExtractName } from "../contract.ts";
import type { ExtractMapping } from "./mapping.ts";
import { ident, q, type SourceFile } from "./read.ts";

export const REDEN = {
  leeg: "leeg verplicht veld",
  datum: (fmt: string) => `ongeldige datum (verwacht formaat ${fmt})`,
  getal: (sep: string) => `ongeldig getal (decimaalteken "${sep}")`,
  geheel: "ongeldig geheel getal",
  code: (values: readonly string[]) => `onbekende code (toegestaan: ${values.join(", ")})`,
};

interface ColumnSql {
  name: string;
  /** normalised source text: trimmed, code-mapped, NULL when empty */
  norm: string;
  /** typed value (NULL when empty or invalid) */
  typed: string;
  /** reject reason (NULL when fine); may refer to the norm and typed columns by name */
  reason: string;
}

const n = (c: string) => ident(`n_${c}`);
const t = (c: string) => ident(`t_${c}`);

/**
 * Date parsing. The two common formats get a fast path (a plain DATE cast of an ISO string,
 * guarded on its shape, is 2-3x faster than strptime); others use try_strptime.
 */
export function dateSql(v: string, fmt: string): string {
  const at = (pos: number) => `substr(${v}, ${pos}, 1) = '-'`;
  if (fmt === "%Y-%m-%d") return `CASE WHEN length(${v}) = 10 AND ${at(5)} AND ${at(8)} THEN TRY_CAST(${v} AS DATE) END`;
  if (fmt === "%d-%m-%Y") {
    return `CASE WHEN length(${v}) = 10 AND ${at(3)} AND ${at(6)} THEN TRY_CAST(substr(${v}, 7, 4) || '-' || substr(${v}, 4, 2) || '-' || substr(${v}, 1, 2) AS DATE) END`;
  }
  return `CAST(try_strptime(${v}, ${q(fmt)}) AS DATE)`;
}

function columnSql(c: ColumnSpec, m: ExtractMapping): ColumnSql {
  const src = m.spatiesVerwijderen ? `trim(${ident(c.name)})` : ident(c.name);
  const codes = m.codes[c.name];
  let norm = `nullif(${src}, '')`;
  if (codes && Object.keys(codes).length) {
    const whens = Object.entries(codes)
      .map(([from, to]) => `WHEN ${q(from)} THEN ${q(to)}`)
      .join(" ");
    norm = `nullif(CASE coalesce(${src}, '') ${whens} ELSE coalesce(${src}, '') END, '')`;
  }
  const v = n(c.name);
  let typed: string;
  let invalid: string | null;
  switch (c.type) {
    case "date":
      typed = dateSql(v, m.datumformaat);
      invalid = q(REDEN.datum(m.datumformaat));
      break;
    case "decimal": {
      const num =
        m.decimaalteken === ","
          ? `CASE WHEN contains(${v}, '.') THEN NULL ELSE TRY_CAST(replace(${v}, ',', '.') AS DOUBLE) END`
          : `CASE WHEN contains(${v}, ',') THEN NULL ELSE TRY_CAST(${v} AS DOUBLE) END`;
      typed = `CASE WHEN isfinite(${num}) THEN ${num} END`;
      invalid = q(REDEN.getal(m.decimaalteken));
      break;
    }
    case "int":
      typed = `CASE WHEN regexp_full_match(${v}, '[+-]?[0-9]+') THEN TRY_CAST(${v} AS INTEGER) END`;
      invalid = q(REDEN.geheel);
      break;
    case "enum": {
      const list = c.values!.map(q).join(", ");
      const fallback = m.onbekendeCode[c.name];
      typed = fallback
        ? `CASE WHEN ${v} IN (${list}) THEN ${v} WHEN ${v} IS NOT NULL THEN ${q(fallback)} END`
        : `CASE WHEN ${v} IN (${list}) THEN ${v} END`;
      invalid = q(REDEN.code(c.values!));
      break;
    }
    default:
      typed = v;
      invalid = null;
  }
  const reason = [
    c.required ? `WHEN ${v} IS NULL THEN ${q(REDEN.leeg)}` : "",
    invalid ? `WHEN ${v} IS NOT NULL AND ${t(c.name)} IS NULL THEN ${invalid}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return { name: c.name, norm, typed, reason: reason ? `CASE ${reason} END` : "NULL" };
}

/**
 * Raw rows of the files with bron_bestand / bron_regel. Without helper tables bron_regel is the
 * record number plus the header lines; with a shift table (structural rejects, blank lines) the
 * skipped lines before each record are added, and with a line map the quoted line breaks.
 */
function rawRows(files: SourceFile[], shift: boolean): string {
  const cols = (f: SourceFile) => EXTRACTS[f.extract].map((c) => `r.${ident(c.name)}`).join(", ");
  return files
    .map((f) => {
      if (!shift || (!f.shiftTable && !f.lineMapTable)) {
        return `SELECT r.bron_bestand, CAST(r._rn + ${f.headerLines} AS BIGINT) AS bron_regel, ${cols(f)} FROM (${f.select}) r`;
      }
      const d = f.shiftTable
        ? `SELECT r.*, r._rn + ${f.headerLines} + coalesce(s.i, 0) AS _d FROM (${f.select}) r ASOF LEFT JOIN ${f.shiftTable} s ON r._rn > s.t`
        : `SELECT r.*, r._rn + ${f.headerLines} AS _d FROM (${f.select}) r`;
      return f.lineMapTable
        ? `SELECT r.bron_bestand, CAST(r._d + coalesce(lm.extra, 0) AS BIGINT) AS bron_regel, ${cols(f)} FROM (${d}) r ASOF LEFT JOIN ${f.lineMapTable} lm ON r._d >= lm.d`
        : `SELECT r.bron_bestand, CAST(r._d AS BIGINT) AS bron_regel, ${cols(f)} FROM (${d}) r`;
    })
    .join("\nUNION ALL\n");
}

/** The three nested SELECTs: raw (with lines) -> normalised -> typed + reasons. */
function parsedQuery(extract: ExtractName, files: SourceFile[], m: ExtractMapping, shift: boolean): string {
  const cols = EXTRACTS[extract].map((c) => columnSql(c, m));
  const normSel = cols.map((c) => `${c.norm} AS ${n(c.name)}, ${ident(c.name)} AS ${ident(`w_${c.name}`)}`).join(",\n    ");
  const typedSel = cols.map((c) => `${c.typed} AS ${t(c.name)}`).join(",\n    ");
  const reasonSel = cols.map((c) => `${c.reason} AS ${ident(`r_${c.name}`)}`).join(",\n    ");
  return `SELECT *, ${reasonSel}
  FROM (SELECT *, ${typedSel}
    FROM (SELECT bron_bestand, bron_regel, ${normSel}
      FROM (${rawRows(files, shift)})))`;
}

const okExpr = (extract: ExtractName) => EXTRACTS[extract].map((c) => `${ident(`r_${c.name}`)} IS NULL`).join(" AND ");

/**
 * Pass 1 (one read of every file): `stg_<extract>` with every structurally valid row, typed,
 * plus `_ok` (no reject reason). Rows with `_ok = false` are removed after the reject pass.
 */
export function stagingCreateSql(extract: ExtractName, files: SourceFile[], m: ExtractMapping): string {
  const out = EXTRACTS[extract].map((c) => `CAST(${t(c.name)} AS ${c.sql}) AS ${ident(c.name)}`).join(",\n  ");
  // soft unknown codes: flag the rows whose code was replaced, counted and dropped afterwards
  const soft = EXTRACTS[extract]
    .filter((c) => m.onbekendeCode[c.name])
    .map((c) => `,\n  ${n(c.name)} IS NOT NULL AND ${n(c.name)} NOT IN (${c.values!.map(q).join(", ")}) AS ${ident(`_onbekend_${c.name}`)}`)
    .join("");
  return `-- staging for ${extract} (generated from pipeline/contract.ts and the source mapping)
CREATE OR REPLACE TABLE stg_${extract} AS
SELECT
  ${out},
  bron_bestand,
  bron_regel,
  ${okExpr(extract)} AS _ok${soft}
FROM (${parsedQuery(extract, files, m, false)});
`;
}

/**
 * After pass 1: turn record numbers into physical lines where a file has skipped lines
 * (structural rejects, blank lines; shift table) or quoted line breaks (line map).
 */
export function shiftLinesSql(extract: ExtractName, files: SourceFile[]): string | null {
  const shifted = files.filter((f) => f.shiftTable);
  const mapped = files.filter((f) => f.lineMapTable);
  if (!shifted.length && !mapped.length) return null;
  const none = `SELECT NULL::VARCHAR AS bestand, NULL::BIGINT AS tt, NULL::BIGINT AS i WHERE false`;
  const shifts = [none, ...shifted.map((f) => `SELECT bestand, t + ${f.headerLines} AS tt, i FROM ${f.shiftTable}`)].join(" UNION ALL ");
  const maps = [`SELECT NULL::VARCHAR AS bestand, NULL::BIGINT AS d, NULL::BIGINT AS extra WHERE false`, ...mapped.map((f) => `SELECT bestand, d, extra FROM ${f.lineMapTable}`)].join(" UNION ALL ");
  return `CREATE OR REPLACE TABLE stg_${extract} AS
SELECT g.* REPLACE (g.bron_regel + coalesce(lm.extra, 0) AS bron_regel)
FROM (SELECT g.* REPLACE (g.bron_regel + coalesce(s.i, 0) AS bron_regel)
      FROM stg_${extract} g ASOF LEFT JOIN (${shifts}) s ON g.bron_bestand = s.bestand AND g.bron_regel > s.tt) g
ASOF LEFT JOIN (${maps}) lm ON g.bron_bestand = lm.bestand AND g.bron_regel >= lm.d;
`;
}

/** Pass 2, only when rows were rejected: re-read, write one reject per bad field, drop those rows. */
export function stagingRejectsSql(extract: ExtractName, files: SourceFile[], m: ExtractMapping): string {
  const structs = EXTRACTS[extract]
    .map((c, i) => `{'pos': ${i}, 'kolom': ${q(c.name)}, 'waarde': ${ident(`w_${c.name}`)}, 'reden': ${ident(`r_${c.name}`)}}`)
    .join(",\n      ");
  return `INSERT INTO rejects
SELECT bron_bestand, bron_regel, f.kolom, f.waarde, f.reden
FROM (
  SELECT bron_bestand, bron_regel, unnest(list_filter([
      ${structs}
    ], x -> x.reden IS NOT NULL)) AS f
  FROM (${parsedQuery(extract, files, m, true)})
  WHERE NOT (${okExpr(extract)})
)
ORDER BY bron_bestand, bron_regel, f.pos;
DELETE FROM stg_${extract} WHERE NOT _ok;
`;
}

export const stagingFinishSql = (extract: ExtractName, m: ExtractMapping) =>
  [`ALTER TABLE stg_${extract} DROP COLUMN _ok;`, ...softCodeColumns(extract, m).map((c) => `ALTER TABLE stg_${extract} DROP COLUMN ${ident(`_onbekend_${c}`)};`)].join("\n") + "\n";

/** Columns whose unknown codes are replaced softly (mapping `onbekendeCode`). */
export const softCodeColumns = (extract: ExtractName, m: ExtractMapping) =>
  EXTRACTS[extract].filter((c) => m.onbekendeCode[c.name]).map((c) => c.name);
