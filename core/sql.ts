/**
 * The one way SQL is built in baanmonitor. A query is an `Sql` value, made with the `sql`
 * tagged template: the template's own text is code, and everything interpolated into it is
 * either another `Sql` fragment or a *value*, which the tag turns into a quoted literal
 * (strings), a checked number, TRUE/FALSE/NULL or a list. So a value from an extract, a mapping,
 * a config file or a flag can never become SQL code: it has no way in except as a literal.
 *
 *   sql`SELECT * FROM ${ident(table)} WHERE d <= ${date(p.peildatum)} AND n >= ${p.min}`
 *
 * - `ident(name)`: an identifier (table, column), double-quoted.
 * - `date(iso)`: a real calendar date `yyyy-mm-dd` as `DATE '…'` (anything else throws).
 * - `literal(v)`: the quoting helper itself, for a value as a fragment.
 * - `join(parts, sep)`: fragments with a separator (`sep` is itself `Sql`, default `, `).
 * - `trusted(text)`: SQL text shipped with the project (pipeline/sql/*.sql). Never call it on
 *   anything read from the user's side; the SQL-safety test allows it in few files only.
 *
 * Run a query with `run`, `readAll` or `rows` (below), or pass `.text` where a DuckDB API
 * needs a string. Numbers computed in JS go to DuckDB as a table with `numericTempTable`
 * (the appender: no SQL text, DOUBLEs bit for bit). The SQL-safety test (test/unit/sql-safety.test.ts) fails on any template
 * literal holding SQL with interpolation that does not go through this tag.
 */
import { BIGINT, DOUBLE, DuckDBDataChunk, INTEGER } from "@duckdb/node-api";
import type { DuckDBConnection, DuckDBMaterializedResult, DuckDBResultReader } from "@duckdb/node-api";

const BRAND: unique symbol = Symbol("baanmonitor.sql");

export interface Sql {
  readonly [BRAND]: true;
  readonly text: string;
}

/** What may be interpolated into `sql`: a fragment, or a value that becomes a literal. */
export type SqlValue = Sql | string | number | bigint | boolean | null | readonly SqlValue[];

const make = (text: string): Sql => Object.freeze({ [BRAND]: true as const, text, toString: () => text });

export const isSql = (v: unknown): v is Sql => typeof v === "object" && v !== null && (v as Sql)[BRAND] === true;

export class SqlValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SqlValueError";
  }
}

/** A value as an SQL literal (the one quoting helper). */
export function literal(v: SqlValue): Sql {
  return make(literalText(v));
}

function literalText(v: SqlValue): string {
  if (isSql(v)) return v.text;
  if (v === null) return "NULL";
  switch (typeof v) {
    case "number":
      if (!Number.isFinite(v)) throw new SqlValueError(`niet-eindig getal als SQL-waarde: ${v}`);
      // exponent notation is a valid DOUBLE literal; integers print without it up to 1e21
      return String(v);
    case "bigint":
      return v.toString();
    case "boolean":
      return v ? "TRUE" : "FALSE";
    case "string":
      if (v.includes("\u0000")) throw new SqlValueError("NUL-teken in SQL-waarde");
      return `'${v.replace(/'/g, "''")}'`;
    default:
      if (Array.isArray(v)) return `[${v.map(literalText).join(", ")}]`;
      throw new SqlValueError(`waarde van onbekend type voor SQL: ${typeof v}`);
  }
}

/** An identifier (table, column, alias), double-quoted. */
export function ident(name: string): Sql {
  if (typeof name !== "string" || name.length === 0 || name.includes("\u0000")) {
    throw new SqlValueError(`ongeldige SQL-naam: ${JSON.stringify(name)}`);
  }
  return make(`"${name.replace(/"/g, '""')}"`);
}

/** A qualified name `a.b.c`, each part quoted. */
export function qualified(...parts: string[]): Sql {
  return make(parts.map((p) => ident(p).text).join("."));
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Is `s` a real calendar date in the form yyyy-mm-dd (2019-02-30 is not)? */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== "string") return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** A calendar date as `DATE 'yyyy-mm-dd'`; anything else throws. */
export function date(iso: string): Sql {
  if (!isIsoDate(iso)) throw new SqlValueError(`geen geldige datum (jjjj-mm-dd): ${JSON.stringify(iso)}`);
  return make(`DATE '${iso}'`);
}

/** The tagged template: template text is code, interpolations are fragments or literals. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Sql {
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) text += literalText(values[i]!) + strings[i + 1];
  return make(text);
}

/** Fragments joined by a separator fragment (default `, `). */
export function join(parts: readonly Sql[], sep: Sql = COMMA): Sql {
  for (const p of parts) if (!isSql(p)) throw new SqlValueError("join: elk deel moet een SQL-fragment zijn");
  return make(parts.map((p) => p.text).join(sep.text));
}

const COMMA = make(", ");
export const EMPTY: Sql = make("");

/**
 * SQL text that ships with the project (a file of pipeline/sql/, after its placeholders were
 * filled by `renderSql` with literals). Not for text from outside the repository.
 */
export function trusted(text: string): Sql {
  return make(text);
}

export async function run(conn: DuckDBConnection, q: Sql): Promise<DuckDBMaterializedResult> {
  return conn.run(checked(q));
}

export async function readAll(conn: DuckDBConnection, q: Sql): Promise<DuckDBResultReader> {
  return conn.runAndReadAll(checked(q));
}

/** Rows as plain JS objects (DuckDB's JS conversion: BIGINT → bigint, DATE → Date …). */
export async function rowObjects<T = Record<string, unknown>>(conn: DuckDBConnection, q: Sql): Promise<T[]> {
  return (await readAll(conn, q)).getRowObjectsJS() as T[];
}

function checked(q: Sql): string {
  if (!isSql(q)) throw new SqlValueError("SQL moet met sql`…` gebouwd zijn");
  return q.text;
}

/** A column of `numericTempTable`: INTEGER (32-bit integers), BIGINT (integers up to 2⁵³) or DOUBLE (finite). */
export interface NumericColumn {
  name: string;
  type: "INTEGER" | "BIGINT" | "DOUBLE";
  values: ArrayLike<number>;
}

/** Rows per data chunk handed to an appender (DuckDB's vector size). */
export const CHUNK_ROWS = 2048;

const CHUNK_TYPE = { INTEGER, BIGINT, DOUBLE } as const;
const SQL_TYPE = { INTEGER: make("INTEGER"), BIGINT: make("BIGINT"), DOUBLE: make("DOUBLE") } as const;

/**
 * A temporary table `temp.main.<name>` (replaced if it exists) of equally long numeric columns,
 * filled with DuckDB's appender a data chunk at a time (the values go into the chunk's typed
 * arrays): the values never become SQL text and a DOUBLE arrives bit for bit. A non-finite value,
 * or a non-integer or out-of-range value in an integer column, throws. Returns the table's
 * qualified name.
 */
export async function numericTempTable(conn: DuckDBConnection, name: string, columns: readonly NumericColumn[]): Promise<Sql> {
  const n = columns[0]?.values.length ?? 0;
  for (const c of columns) {
    if (c.values.length !== n) throw new SqlValueError(`kolom ${c.name}: ${c.values.length} waarden, verwacht ${n}`);
    const limit = c.type === "INTEGER" ? 2147483647 : Number.MAX_SAFE_INTEGER;
    for (let i = 0; i < n; i++) {
      const v = c.values[i]!;
      if (c.type === "DOUBLE" ? !Number.isFinite(v) : !Number.isInteger(v) || Math.abs(v) > limit)
        throw new SqlValueError(`kolom ${c.name}: ongeldige waarde ${v} voor ${c.type}`);
    }
  }
  const cols = join(columns.map((c) => sql`${ident(c.name)} ${SQL_TYPE[c.type]}`));
  await run(conn, sql`CREATE OR REPLACE TEMP TABLE ${ident(name)} (${cols})`);
  const app = await conn.createAppender(name, "main", "temp");
  try {
    const types = columns.map((c) => CHUNK_TYPE[c.type]);
    for (let start = 0; start < n; start += CHUNK_ROWS) {
      const m = Math.min(CHUNK_ROWS, n - start);
      const chunk = DuckDBDataChunk.create(types, m);
      columns.forEach((c, j) => {
        const values = new Array<number | bigint>(m);
        for (let i = 0; i < m; i++) values[i] = c.type === "BIGINT" ? BigInt(c.values[start + i]!) : c.values[start + i]!;
        chunk.setColumnValues(j, values);
      });
      app.appendDataChunk(chunk);
    }
    app.flushSync();
  } finally {
    app.closeSync();
  }
  return qualified("temp", "main", name);
}

/**
 * The columns of a query's result as Float64Arrays (every column a DOUBLE, NULL as NaN), read from
 * the result's vectors: several times faster than `getColumnsJS` for the tens of thousands of
 * rows the survival sums return.
 */
export async function doubleColumns(conn: DuckDBConnection, q: Sql, n: number): Promise<Float64Array[]> {
  const res = await run(conn, q);
  const out = Array.from({ length: n }, () => new Float64Array(res.rowCount));
  let off = 0;
  for (let ci = 0; ci < res.chunkCount; ci++) {
    const chunk = res.getChunk(ci);
    const rows = chunk.rowCount;
    for (let c = 0; c < n; c++) {
      const v = chunk.getColumnVector(c);
      const col = out[c]!;
      for (let i = 0; i < rows; i++) col[off + i] = (v.getItem(i) as number | null) ?? NaN;
    }
    off += rows;
  }
  return out;
}
