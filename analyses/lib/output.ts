/**
 * Writing outputs: atomically (temp file in the same folder, then rename) and
 * deterministically (fixed column and row order, no timestamps).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import { BIGINT, BOOLEAN, DOUBLE, DuckDBDataChunk, VARCHAR, type DuckDBConnection, type DuckDBType } from "@duckdb/node-api";
import type { Cell, Row, Tables } from "../types.ts";
import { CHUNK_ROWS, ident, join as sqlJoin, qualified, rowObjects, run, sql, type Sql } from "../../core/sql.ts";

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
const COL_TYPE: Record<ColType, Sql> = { VARCHAR: sql`VARCHAR`, BIGINT: sql`BIGINT`, DOUBLE: sql`DOUBLE`, BOOLEAN: sql`BOOLEAN` };
const CHUNK_TYPE: Record<ColType, DuckDBType> = { VARCHAR, BIGINT, DOUBLE, BOOLEAN };

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
      for (const [c, v] of Object.entries(r)) {
        if (!kinds.has(c)) {
          kinds.set(c, new Set());
          cols.push(c);
        }
        if (v === null) continue;
        kinds.get(c)!.add(typeof v === "number" ? (Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? "int" : "double") : typeof v);
      }
  const types: ColType[] = cols.map((c) => {
    const k = kinds.get(c)!;
    if (k.has("string") || k.size === 0) return "VARCHAR";
    if (k.has("boolean") && k.size === 1) return "BOOLEAN";
    if (k.has("double")) return "DOUBLE";
    if (k.has("int") && k.size === 1) return "BIGINT";
    return "VARCHAR";
  });
  const table = `__analyse_uit_${process.pid}`;
  const colDefs = sqlJoin([sql`tabel VARCHAR`, ...cols.map((c, i) => sql`${ident(c)} ${COL_TYPE[types[i]!]}`)]);
  await run(conn, sql`CREATE OR REPLACE TEMP TABLE ${ident(table)} (${colDefs})`);
  try {
    // column by column, a data chunk at a time: the numbers go into the chunk's typed arrays
    // (one copy per chunk), where appending value by value costs a native call per cell
    const app = await conn.createAppender(table, "main", "temp");
    const flat: [string, Row][] = Object.entries(tabellen).flatMap(([name, rows]) => rows.map((r): [string, Row] => [name, r]));
    const chunkTypes = [VARCHAR, ...types.map((t) => CHUNK_TYPE[t])];
    for (let start = 0; start < flat.length; start += CHUNK_ROWS) {
      const part = flat.slice(start, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(chunkTypes, part.length);
      chunk.setColumnValues(
        0,
        part.map(([name]) => name),
      );
      cols.forEach((c, i) =>
        chunk.setColumnValues(
          i + 1,
          part.map(([, r]) => cellValue(r[c] ?? null, types[i]!)),
        ),
      );
      app.appendDataChunk(chunk);
    }
    app.flushSync();
    app.closeSync();
    mkdirSync(dirname(path), { recursive: true });
    const tmp = tempPath(path);
    rmSync(tmp, { force: true });
    // the columns of each table, so that the tables can be read back as they were (readTablesParquet)
    const layout = JSON.stringify(Object.fromEntries(Object.entries(tabellen).map(([n, rows]) => [n, Object.keys(rows[0] ?? {})])));
    await run(
      conn,
      sql`COPY (SELECT * FROM ${qualified("temp", table)}) TO ${tmp} (FORMAT parquet, COMPRESSION zstd, KV_METADATA { ${ident(LAYOUT_KEY)}: ${layout} })`,
    );
    renameSync(tmp, path);
  } finally {
    await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", table)}`);
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

/** A cell as the chunk's value of its column type; NULL for null and a non-finite number. */
function cellValue(v: Cell, t: ColType): string | bigint | number | boolean | null {
  if (v === null || (typeof v === "number" && !Number.isFinite(v))) return null;
  switch (t) {
    case "VARCHAR":
      return String(v);
    case "BIGINT":
      return BigInt(v as number);
    case "DOUBLE":
      return Number(v);
    case "BOOLEAN":
      return Boolean(v);
  }
}
