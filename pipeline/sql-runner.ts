import { readdirSync, readFileSync } from "node:fs";
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

/** Run every SQL file of a layer in order; returns the time each took. */
export async function runLayer(
  conn: DuckDBConnection,
  layer: Layer,
  params: Parameters,
  onFile?: (file: string) => void,
): Promise<StageTiming[]> {
  const timings: StageTiming[] = [];
  for (const path of layerFiles(layer)) {
    const name = path.slice(SQL_ROOT.length + 1);
    onFile?.(name);
    const t0 = performance.now();
    await conn.run(renderSql(readFileSync(path, "utf8"), params, name));
    timings.push({ layer, file: name, ms: performance.now() - t0 });
  }
  return timings;
}
