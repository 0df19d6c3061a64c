/**
 * Writing outputs: atomically (temp file in the same folder, then rename) and
 * deterministically (fixed column and row order, no timestamps).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import { DOUBLE, DuckDBDataChunk, INTEGER, type DuckDBConnection } from "@duckdb/node-api";
import type { Cell, Row, Tables } from "../types.ts";
import { CHUNK_ROWS, ident, join as sqlJoin, qualified, rowObjects, run, sql } from "../../core/sql.ts";

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
}

export function writeFileAtomic(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPath(path);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** JSON with the objects' own key order, 2-space indent, trailing newline; non-finite → null. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n";
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, stableJson(value));
}

type ColType = "VARCHAR" | "BIGINT" | "DOUBLE" | "BOOLEAN";

/**
 * Write result tables as one long Parquet table: column `tabel` (table name) followed by the
 * union of all tables' columns in first-seen order (missing columns are NULL). Column types:
 * VARCHAR for strings, BIGINT when every value is an integer, DOUBLE otherwise, BOOLEAN.
 */
export async function writeTablesParquet(conn: DuckDBConnection, tabellen: Tables, path: string): Promise<void> {
  const cols: string[] = [];
  const kinds = new Map<string, Set<string>>();
  for (const rows of Object.values(tabellen))
    for (const r of rows)
      for (const c in r) {
        let kind = kinds.get(c);
        if (!kind) {
          kinds.set(c, (kind = new Set()));
          cols.push(c);
        }
        const v = r[c];
        if (v === null || v === undefined) continue;
        kind.add(typeof v === "number" ? (Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? "int" : "double") : typeof v);
      }
  const types: ColType[] = cols.map((c) => {
    const k = kinds.get(c)!;
    if (k.has("string") || k.size === 0) return "VARCHAR";
    if (k.has("boolean") && k.size === 1) return "BOOLEAN";
    if (k.has("double")) return "DOUBLE";
    if (k.has("int") && k.size === 1) return "BIGINT";
    return "VARCHAR";
  });
  // Every column goes into the temp table as a number without NULLs, because a data chunk is
  // cheap only for those (a string costs a native call per cell, a NULL makes every cell of its
  // column pay for a validity bit): text as a code into one dictionary (-1 for NULL), integers,
  // doubles and booleans as DOUBLE with NaN for NULL (a cell is never NaN: non-finite numbers
  // are NULL). The COPY turns them back.
  const table = `__analyse_uit_${process.pid}`;
  const words = `__analyse_woorden_${process.pid}`;
  const ROW = "__rij__";
  if (cols.includes(ROW)) throw new Error(`writeTablesParquet: kolomnaam ${ROW} is gereserveerd`);
  const allCols = ["tabel", ...cols];
  const allTypes: ColType[] = ["VARCHAR", ...types];
  const colDefs = sqlJoin([
    sql`${ident(ROW)} INTEGER`,
    ...allCols.map((c, i) => sql`${ident(c)} ${allTypes[i] === "VARCHAR" ? sql`INTEGER` : sql`DOUBLE`}`),
  ]);
  await run(conn, sql`CREATE OR REPLACE TEMP TABLE ${ident(table)} (${colDefs})`);
  try {
    const dictionary = new Map<string, number>();
    const code = (v: string): number => {
      let c = dictionary.get(v);
      if (c === undefined) dictionary.set(v, (c = dictionary.size));
      return c;
    };
    const app = await conn.createAppender(table, "main", "temp");
    const flat: [string, Row][] = Object.entries(tabellen).flatMap(([name, rows]) => rows.map((r): [string, Row] => [name, r]));
    const chunkTypes = [INTEGER, ...allTypes.map((t) => (t === "VARCHAR" ? INTEGER : DOUBLE))];
    for (let start = 0; start < flat.length; start += CHUNK_ROWS) {
      const part = flat.slice(start, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(chunkTypes, part.length);
      chunk.setColumnValues(
        0,
        part.map((_, i) => start + i),
      );
      chunk.setColumnValues(
        1,
        part.map(([name]) => code(name)),
      );
      cols.forEach((c, i) =>
        chunk.setColumnValues(
          i + 2,
          part.map(([, r]) => cellNumber(r[c] ?? null, types[i]!, code)),
        ),
      );
      app.appendDataChunk(chunk);
    }
    app.flushSync();
    app.closeSync();
    await run(conn, sql`CREATE OR REPLACE TEMP TABLE ${ident(words)} (code INTEGER, woord VARCHAR)`);
    const wapp = await conn.createAppender(words, "main", "temp");
    for (const [w, c] of dictionary) {
      wapp.appendInteger(c);
      wapp.appendVarchar(w);
      wapp.endRow();
    }
    wapp.flushSync();
    wapp.closeSync();
    const select = sqlJoin(
      allCols.map((c, i) => {
        const v = sql`t.${ident(c)}`;
        const back = { VARCHAR: sql`${ident(`w${i}`)}.woord`, DOUBLE: v, BIGINT: sql`CAST(${v} AS BIGINT)`, BOOLEAN: sql`${v} <> 0` }[
          allTypes[i]!
        ];
        return allTypes[i] === "VARCHAR"
          ? sql`${back} AS ${ident(c)}`
          : sql`CASE WHEN isnan(${v}) THEN NULL ELSE ${back} END AS ${ident(c)}`;
      }),
    );
    const joins = sqlJoin(
      allCols.flatMap((c, i) =>
        allTypes[i] === "VARCHAR"
          ? [sql`LEFT JOIN ${qualified("temp", words)} ${ident(`w${i}`)} ON ${ident(`w${i}`)}.code = t.${ident(c)}`]
          : [],
      ),
      sql` `,
    );
    mkdirSync(dirname(path), { recursive: true });
    const tmp = tempPath(path);
    rmSync(tmp, { force: true });
    // the columns of each table, so that the tables can be read back as they were (readTablesParquet)
    const layout = JSON.stringify(Object.fromEntries(Object.entries(tabellen).map(([n, rows]) => [n, Object.keys(rows[0] ?? {})])));
    await run(
      conn,
      sql`COPY (SELECT ${select} FROM ${qualified("temp", table)} t ${joins} ORDER BY t.${ident(ROW)}) TO ${tmp} (FORMAT parquet, COMPRESSION zstd, KV_METADATA { ${ident(LAYOUT_KEY)}: ${layout} })`,
    );
    renameSync(tmp, path);
  } finally {
    await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", table)}`);
    await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", words)}`);
  }
}

const LAYOUT_KEY = "baanmonitor_tabellen";

/**
 * The tables `writeTablesParquet` wrote, with their own columns in their order and rows in file
 * order (BIGINT as number); null for a file without the table layout (an earlier version's).
 */
export async function readTablesParquet(conn: DuckDBConnection, path: string): Promise<Tables | null> {
  const meta = await rowObjects(conn, sql`SELECT decode(value) AS v FROM parquet_kv_metadata(${path}) WHERE decode(key) = ${LAYOUT_KEY}`);
  if (meta.length === 0) return null;
  const layout = JSON.parse(String(meta[0]!.v)) as Record<string, string[]>;
  const rows = await rowObjects(conn, sql`SELECT * FROM read_parquet(${path}, file_row_number = true) ORDER BY file_row_number`);
  const tabellen: Tables = Object.fromEntries(Object.keys(layout).map((n) => [n, []]));
  for (const r of rows) {
    const name = String(r.tabel);
    const cols = layout[name];
    if (!cols) continue;
    const o: Row = {};
    for (const c of cols) o[c] = toCell(r[c]);
    tabellen[name]!.push(o);
  }
  return tabellen;
}

const toCell = (v: unknown): Cell =>
  v === null || v === undefined
    ? null
    : typeof v === "bigint"
      ? Number(v)
      : typeof v === "number" || typeof v === "string" || typeof v === "boolean"
        ? v
        : String(v);

/** A cell as the temp table's number (see writeTablesParquet): a text's code, NaN for NULL and for a non-finite number. */
function cellNumber(v: Cell, t: ColType, code: (s: string) => number): number {
  if (t === "VARCHAR") return v === null ? -1 : code(String(v));
  if (v === null || (typeof v === "number" && !Number.isFinite(v))) return Number.NaN;
  return t === "BOOLEAN" ? (v ? 1 : 0) : Number(v);
}
