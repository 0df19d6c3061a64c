import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Parameters } from "./config.ts";

/** The SQL layers, run in this order; each is a folder under pipeline/sql/. */
export const LAYERS = ["staging", "intermediate", "marts"] as const;
export type Layer = (typeof LAYERS)[number];

export const SQL_ROOT = join(dirname(fileURLToPath(import.meta.url)), "sql");

/** SQL files of a layer in run order (file names start with a two-digit number). */
export function layerFiles(layer: Layer): string[] {
  return readdirSync(join(SQL_ROOT, layer))
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => join(SQL_ROOT, layer, f));
}

/**
 * Fill `{{ d1.maandenZonderLoon }}`-style placeholders from the parameters. Numbers are
 * inlined, ISO date strings become `DATE 'yyyy-mm-dd'`, other strings are quoted, booleans
 * become TRUE/FALSE, arrays of numbers become DuckDB lists. An unknown name is an error.
 */
export function renderSql(sql: string, params: Parameters, file = "sql"): string {
  return sql.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
    let v: unknown = params;
    for (const k of path.split(".")) v = (v as Record<string, unknown> | undefined)?.[k];
    if (v === undefined) throw new Error(`${file}: onbekende parameter {{ ${path} }}`);
    return sqlLiteral(v);
  });
}

export function sqlLiteral(v: unknown): string {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`niet-eindig getal als SQL-parameter: ${v}`);
    return String(v);
  }
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "string") {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return `DATE '${v}'`;
    return `'${v.replace(/'/g, "''")}'`;
  }
  if (Array.isArray(v)) return `[${v.map(sqlLiteral).join(", ")}]`;
  throw new Error(`parameter van onbekend type: ${JSON.stringify(v)}`);
}

export interface StageTiming {
  layer: Layer;
  file: string;
  ms: number;
}

/**
 * A work table: a big intermediate table that the run keeps in memory and that
 * baanmonitor.duckdb holds as a view with the same SQL (computed on query). Writing it into the
 * database file cost more than computing it. Marked in its SQL file by a line `-- werktabel`;
 * the file holds one `CREATE OR REPLACE TABLE <name> AS ...`.
 */
export interface WorkTable {
  name: string;
  /** the rendered query after `AS` */
  body: string;
}

const WORK_TABLE_MARK = /^--\s*werktabel\b/m;

/** Run every SQL file of a layer in order; returns the time each took. Work tables go to `work`. */
export async function runLayer(
  conn: DuckDBConnection,
  layer: Layer,
  params: Parameters,
  onFile?: (file: string) => void,
  work?: WorkTable[],
): Promise<StageTiming[]> {
  const timings: StageTiming[] = [];
  for (const path of layerFiles(layer)) {
    const name = path.slice(SQL_ROOT.length + 1);
    onFile?.(name);
    const t0 = performance.now();
    let sql = renderSql(readFileSync(path, "utf8"), params, name);
    if (work && WORK_TABLE_MARK.test(sql)) {
      const creates = [...sql.matchAll(/CREATE OR REPLACE TABLE (\w+) AS\b/g)];
      if (creates.length !== 1) throw new Error(`${name}: een werktabel-bestand moet precies één CREATE OR REPLACE TABLE ... AS bevatten`);
      const [m] = creates;
      work.push({ name: m[1], body: sql.slice(m.index! + m[0].length) });
      sql = sql.slice(0, m.index) + `CREATE OR REPLACE TEMP TABLE ${m[1]} AS` + sql.slice(m.index! + m[0].length);
    }
    await conn.run(sql);
    timings.push({ layer, file: name, ms: performance.now() - t0 });
  }
  return timings;
}

/**
 * The intermediate and marts layers in order, then the work tables become views in the
 * database (the in-memory copies are dropped).
 */
export async function runDerivationLayers(
  conn: DuckDBConnection,
  params: Parameters,
  onFile?: (file: string) => void,
): Promise<StageTiming[]> {
  const work: WorkTable[] = [];
  const timings: StageTiming[] = [];
  for (const layer of ["intermediate", "marts"] as const) {
    if (existsSync(join(SQL_ROOT, layer))) timings.push(...(await runLayer(conn, layer, params, onFile, work)));
  }
  if (work.length) {
    onFile?.("werktabellen als view");
    const t0 = performance.now();
    for (const w of work) {
      await conn.run(`DROP TABLE temp.main.${w.name}`);
      await conn.run(`CREATE OR REPLACE VIEW main.${w.name} AS ${w.body}`);
    }
    timings.push({ layer: "marts", file: "werktabellen als view", ms: performance.now() - t0 });
  }
  return timings;
}
