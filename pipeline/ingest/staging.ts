/**
 * Step 2 of the ingest: the casting rules. The one home for how a source string becomes a
 * typed contract value (code mapping, empty -> NULL, dates with the mapping's format, decimals
 * with its separator, allowed codes) and for why a row is rejected. Generated from the
 * contract (pipeline/contract.ts) and the source mapping; the SQL run is written to
 * `<out>/staging.sql` for inspection.
 */
import { EXTRACTS, type ColumnSpec, type ExtractName, type PlausibleRange } from "../contract.ts";
import type { ExtractMapping } from "./mapping.ts";
import { ident, join, literal, sql, type Sql } from "../../core/sql.ts";
import type { SourceFile } from "./read.ts";

export const REDEN = {
  leeg: "leeg verplicht veld",
  datum: (fmt: string) => `ongeldige datum (verwacht formaat ${fmt})`,
  getal: (sep: string) => `ongeldig getal (decimaalteken "${sep}")`,
  geheel: "ongeldig geheel getal",
  code: (values: readonly string[]) => `onbekende code (toegestaan: ${values.join(", ")})`,
  nul: "NUL-teken in een tekstveld (binaire rommel; een sleutel met een NUL koppelt aan niets)",
  bereik: (r: PlausibleRange) => `buiten plausibel bereik (toegestaan: ${r.min} t/m ${r.max}${r.eenheid ? ` ${r.eenheid}` : ""})`,
};

interface ColumnSql {
  name: string;
  /** normalised source text: trimmed, code-mapped, NULL when empty */
  norm: Sql;
  /** typed value (NULL when empty or invalid) */
  typed: Sql;
  /** reject reason (NULL when fine); may refer to the norm and typed columns by name */
  reason: Sql;
  /** the field is fine (same as reason IS NULL, without building the text), or null: always fine */
  ok: Sql | null;
}

const n = (c: string): Sql => ident(`n_${c}`);
const t = (c: string): Sql => ident(`t_${c}`);

/**
 * Date parsing. The two common formats get a fast path (a plain DATE cast of an ISO string,
 * guarded on its shape, is 2-3x faster than strptime); others use try_strptime. The shape
 * (exactly 10 characters, '-' at the two separator positions) is checked with one LIKE, half
 * the cost of length() plus two substr() comparisons and the same result: `_` is one character.
 */
export function dateSql(v: Sql, fmt: string): Sql {
  if (fmt === "%Y-%m-%d") return sql`CASE WHEN ${v} LIKE '____-__-__' THEN TRY_CAST(${v} AS DATE) END`;
  if (fmt === "%d-%m-%Y") {
    return sql`CASE WHEN ${v} LIKE '__-__-____' THEN TRY_CAST(substr(${v}, 7, 4) || '-' || substr(${v}, 4, 2) || '-' || substr(${v}, 1, 2) AS DATE) END`;
  }
  return sql`CAST(try_strptime(${v}, ${fmt}) AS DATE)`;
}

/**
 * Is `v` one of the allowed codes. Not `v IN (...)`: DuckDB plans an IN list of five or more
 * constants as a hash join, and a CREATE TABLE AS over a join does not keep the file order in
 * its rowids, which staging uses as record numbers. list_contains is also cheaper.
 */
export const inList = (v: Sql, values: readonly string[]): Sql => sql`list_contains(${values}, ${v})`;

function columnSql(c: ColumnSpec, m: ExtractMapping): ColumnSql {
  const src = m.spatiesVerwijderen ? sql`trim(${ident(c.name)})` : ident(c.name);
  const codes = m.codes[c.name];
  let norm = sql`nullif(${src}, '')`;
  if (codes && Object.keys(codes).length) {
    const whens = join(
      Object.entries(codes).map(([from, to]) => sql`WHEN ${from} THEN ${to}`),
      sql` `,
    );
    norm = sql`nullif(CASE coalesce(${src}, '') ${whens} ELSE coalesce(${src}, '') END, '')`;
  }
  const v = n(c.name);
  let typed: Sql;
  let invalid: Sql | null;
  /** a value in the plausible range, else NULL (numbers only) */
  const ranged = (x: Sql) => (c.range ? sql`CASE WHEN ${x} BETWEEN ${c.range.min} AND ${c.range.max} THEN ${x} END` : x);
  switch (c.type) {
    case "date":
      typed = dateSql(v, m.datumformaat);
      invalid = literal(REDEN.datum(m.datumformaat));
      break;
    case "decimal": {
      const num =
        m.decimaalteken === ","
          ? sql`CASE WHEN contains(${v}, '.') THEN NULL ELSE TRY_CAST(replace(${v}, ',', '.') AS DOUBLE) END`
          : sql`CASE WHEN contains(${v}, ',') THEN NULL ELSE TRY_CAST(${v} AS DOUBLE) END`;
      // NaN and ±inf are not numbers; BETWEEN is false for them as well
      typed = c.range ? ranged(num) : sql`CASE WHEN isfinite(${num}) THEN ${num} END`;
      invalid = c.range
        ? sql`CASE WHEN isfinite(${num}) THEN ${REDEN.bereik(c.range)} ELSE ${REDEN.getal(m.decimaalteken)} END`
        : literal(REDEN.getal(m.decimaalteken));
      break;
    }
    case "int": {
      // digits that do not fit an INTEGER are out of range (every range lies inside INTEGER)
      const digits = sql`regexp_full_match(${v}, '[+-]?[0-9]+')`;
      typed = ranged(sql`CASE WHEN ${digits} THEN TRY_CAST(${v} AS INTEGER) END`);
      invalid = c.range ? sql`CASE WHEN ${digits} THEN ${REDEN.bereik(c.range)} ELSE ${REDEN.geheel} END` : literal(REDEN.geheel);
      break;
    }
    case "enum": {
      const fallback = m.onbekendeCode[c.name];
      // a column stored as an ENUM of its codes: TRY_CAST is the membership test and the cast in
      // one lookup (NULL for any other text), 40% cheaper than list_contains and a CAST
      const known = c.sql.startsWith("ENUM(") ? sql`TRY_CAST(${v} AS ${sqlType(c)})` : sql`CASE WHEN ${inList(v, c.values!)} THEN ${v} END`;
      typed = fallback ? sql`coalesce(${known}, CASE WHEN ${v} IS NOT NULL THEN ${fallback} END)` : known;
      invalid = literal(REDEN.code(c.values!));
      break;
    }
    default:
      typed = v;
      invalid = null;
  }
  const whens: Sql[] = [];
  if (c.required) whens.push(sql`WHEN ${v} IS NULL THEN ${REDEN.leeg}`);
  if (invalid) whens.push(sql`WHEN ${v} IS NOT NULL AND ${t(c.name)} IS NULL THEN ${invalid}`);
  // every typed value is NULL when its source is empty, so for a required typed column
  // "fine" is just "typed value present"
  const ok = invalid
    ? c.required
      ? sql`${t(c.name)} IS NOT NULL`
      : sql`(${v} IS NULL OR ${t(c.name)} IS NOT NULL)`
    : c.required
      ? sql`${v} IS NOT NULL`
      : null;
  return { name: c.name, norm, typed, reason: whens.length ? sql`CASE ${join(whens, sql` `)} END` : sql`NULL`, ok };
}

/** The two nested SELECTs over one file: raw -> normalised (n_*, raw w_*) -> typed (t_*). */
function parsedQuery(extract: ExtractName, f: SourceFile, m: ExtractMapping): Sql {
  const cols = EXTRACTS[extract].map((c) => columnSql(c, m));
  const normSel = join(
    cols.map((c) => sql`${c.norm} AS ${n(c.name)}, ${ident(c.name)} AS ${ident(`w_${c.name}`)}`),
    sql`,\n    `,
  );
  const typedSel = join(
    cols.map((c) => sql`${c.typed} AS ${t(c.name)}`),
    sql`,\n    `,
  );
  return sql`SELECT *, ${typedSel}
  FROM (SELECT bron_bestand, ${normSel}
    FROM (${f.select}))`;
}

/**
 * Pass 1 (one read of a file): its rows, typed, appended to `stg_<extract>` (created by the
 * first file), in file order. `bron_regel` is filled afterwards from the row's position
 * (`recordNumbersSql`). A row with a reject reason keeps its bad fields in `_fouten` (raw value
 * and reason per field, NULL for a good row): the rejects come from there, so the file is read
 * only once also when values are rejected. Those rows are removed after the reject step.
 */
export function stagingCreateSql(
  extract: ExtractName,
  f: SourceFile,
  m: ExtractMapping,
  append: boolean,
  /** every file of the extract (`bestand`): the values of bron_bestand's ENUM */
  bestanden: readonly string[],
): Sql {
  const spec = EXTRACTS[extract];
  const cols = spec.map((c) => columnSql(c, m));
  const out = join(
    spec.map((c) => sql`CAST(${t(c.name)} AS ${sqlType(c)}) AS ${ident(c.name)}`),
    sql`,\n  `,
  );
  const oks = cols.flatMap((c) => (c.ok ? [c.ok] : []));
  const ok = oks.length ? join(oks, sql` AND `) : sql`true`;
  // the reject texts are built only for the (few) rows that are not fine
  const fouten = join(
    cols.map((c, i) => sql`{'pos': ${i}, 'kolom': ${c.name}, 'waarde': ${ident(`w_${c.name}`)}, 'reden': ${c.reason}}`),
    sql`,\n      `,
  );
  // soft unknown codes: flag the rows whose code was replaced, counted and dropped afterwards
  const soft = join(
    spec
      .filter((c) => m.onbekendeCode[c.name])
      .map((c) => sql`,\n  ${n(c.name)} IS NOT NULL AND NOT ${inList(n(c.name), c.values!)} AS ${ident(`_onbekend_${c.name}`)}`),
    sql``,
  );
  const table = stg(extract);
  return sql`${append ? sql`INSERT INTO ${table}` : sql`CREATE OR REPLACE TABLE ${table} AS`}
SELECT
  ${out},
  CAST(bron_bestand AS ${bronBestandType(bestanden)}) AS bron_bestand,
  NULL::BIGINT AS bron_regel,
  CASE WHEN NOT (${ok}) THEN list_filter([
      ${fouten}
    ], x -> x.reden IS NOT NULL) END AS _fouten${soft}
FROM (${parsedQuery(extract, f, m)});
`;
}

/**
 * bron_bestand is an ENUM of the extract's file names, in byte order (so it sorts as the names
 * do, like VARCHAR). The same name on every row of a file costs DuckDB's dictionary analysis
 * as much as a column of distinct strings when stored as VARCHAR: writing stg_polis's
 * bron_bestand took 0.35 s at scale 1, as an ENUM 0.05 s.
 */
export const bronBestandType = (bestanden: readonly string[]): Sql =>
  sql`ENUM(${join([...new Set(bestanden)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map((b) => literal(b)))})`;

/** The staging table of an extract. */
export const stg = (extract: ExtractName): Sql => ident(`stg_${extract}`);

/** The contract's DuckDB type of a column as an SQL fragment (an ENUM from its allowed values). */
function sqlType(c: ColumnSpec): Sql {
  if (c.sql.startsWith("ENUM(")) return sql`ENUM(${join(c.values!.map((v) => literal(v)))})`;
  return SQL_TYPE[c.sql as keyof typeof SQL_TYPE];
}
const SQL_TYPE = { VARCHAR: sql`VARCHAR`, DATE: sql`DATE`, DOUBLE: sql`DOUBLE`, INTEGER: sql`INTEGER` };

/**
 * After pass 1 of a file whose rows start at rowid `start`: bron_regel = record number (1-based)
 * plus the header lines. A table filled by CREATE TABLE AS / INSERT keeps the insertion order
 * (DuckDB's preserve_insertion_order, on by default), so rowid - start + 1 is the record number
 * in the file. This replaces `row_number() OVER ()` in the read, which costs little CPU but runs
 * the whole read, typing and write single-threaded (polis at scale 1: +4 s); the UPDATE of one
 * BIGINT column takes ~0.1 s.
 */
export const recordNumbersSql = (extract: ExtractName, f: SourceFile, start: number): Sql =>
  sql`UPDATE ${stg(extract)} SET bron_regel = rowid + ${1 + f.headerLines - start} WHERE rowid >= ${start};\n`;

/**
 * After pass 1: turn record numbers into physical lines where a file has skipped lines
 * (structural rejects, blank lines; shift table) or quoted line breaks (line map).
 */
export function shiftLinesSql(extract: ExtractName, files: SourceFile[]): Sql | null {
  const shifted = files.filter((f) => f.shiftTable);
  const mapped = files.filter((f) => f.lineMapTable);
  if (!shifted.length && !mapped.length) return null;
  const none = sql`SELECT NULL::VARCHAR AS bestand, NULL::BIGINT AS tt, NULL::BIGINT AS i WHERE false`;
  const shifts = join(
    [none, ...shifted.map((f) => sql`SELECT bestand, t + ${f.headerLines} AS tt, i FROM ${ident(f.shiftTable!)}`)],
    sql` UNION ALL `,
  );
  const maps = join(
    [
      sql`SELECT NULL::VARCHAR AS bestand, NULL::BIGINT AS d, NULL::BIGINT AS extra WHERE false`,
      ...mapped.map((f) => sql`SELECT bestand, d, extra FROM ${ident(f.lineMapTable!)}`),
    ],
    sql` UNION ALL `,
  );
  const table = stg(extract);
  return sql`CREATE OR REPLACE TABLE ${table} AS
SELECT g.* REPLACE (g.bron_regel + coalesce(lm.extra, 0) AS bron_regel)
FROM (SELECT g.* REPLACE (g.bron_regel + coalesce(s.i, 0) AS bron_regel)
      FROM ${table} g ASOF LEFT JOIN (${shifts}) s ON g.bron_bestand = s.bestand AND g.bron_regel > s.tt) g
ASOF LEFT JOIN (${maps}) lm ON g.bron_bestand = lm.bestand AND g.bron_regel >= lm.d;
`;
}

/**
 * Only when a file of the extract holds a NUL byte (SourceFile.nul): a text field with a NUL
 * (an id, say, which would then link to nothing) becomes a reject of its row like any bad field.
 * Typed fields need no such check: a NUL makes them invalid already. The value is shown with
 * U+2400 for the NUL.
 */
export function nulRejectsSql(extract: ExtractName): Sql | null {
  const spec = EXTRACTS[extract];
  const text = spec.flatMap((c, i) => (c.type === "string" ? [{ c, i }] : []));
  if (text.length === 0) return null;
  const has = (c: ColumnSpec) => sql`contains(${ident(c.name)}, chr(0))`;
  const entries = join(
    text.map(
      ({ c, i }) =>
        sql`CASE WHEN ${has(c)} THEN {'pos': ${i}, 'kolom': ${c.name}, 'waarde': replace(${ident(c.name)}, chr(0), '␀'), 'reden': ${REDEN.nul}} END`,
    ),
    sql`, `,
  );
  return sql`UPDATE ${stg(extract)}
SET _fouten = list_concat(coalesce(_fouten, []), list_filter([${entries}], x -> x IS NOT NULL))
WHERE ${join(
    text.map(({ c }) => has(c)),
    sql` OR `,
  )};
`;
}

/** Only when rows were rejected (after the line numbers are physical): one reject per bad field, drop those rows. */
export const stagingRejectsSql = (extract: ExtractName): Sql => sql`INSERT INTO rejects
SELECT bron_bestand, bron_regel, f.kolom, f.waarde, f.reden
FROM (SELECT bron_bestand, bron_regel, unnest(_fouten) AS f FROM ${stg(extract)} WHERE _fouten IS NOT NULL)
ORDER BY bron_bestand, bron_regel, f.pos;
DELETE FROM ${stg(extract)} WHERE _fouten IS NOT NULL;
`;

export const stagingFinishSql = (extract: ExtractName, m: ExtractMapping): Sql =>
  sql`${join(
    [
      sql`ALTER TABLE ${stg(extract)} DROP COLUMN _fouten;`,
      ...softCodeColumns(extract, m).map((c) => sql`ALTER TABLE ${stg(extract)} DROP COLUMN ${ident(`_onbekend_${c}`)};`),
    ],
    sql`\n`,
  )}\n`;

/** Columns whose unknown codes are replaced softly (mapping `onbekendeCode`). */
export const softCodeColumns = (extract: ExtractName, m: ExtractMapping) =>
  EXTRACTS[extract].filter((c) => m.onbekendeCode[c.name]).map((c) => c.name);
