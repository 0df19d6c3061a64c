import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../core/errors.ts";
import { date, ident, isIsoDate, literal, qualified, run, sql, trusted, type Sql } from "../core/sql.ts";
import { checkParameters, type Parameters } from "./config.ts";

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
 * Fill `{{ d1.maandenZonderLoon }}`-style placeholders of a project SQL file from the
 * parameters, each through core/sql.ts: numbers, booleans and lists become literals, a calendar
 * date yyyy-mm-dd becomes `DATE '…'` (`date()`, which refuses 2019-02-30), other strings quoted
 * literals. A parameter whose default is a date must be a real date (checkParameters). An
 * unknown name is an error. The filled text is `trusted`: the file's own text is the project's
 * code, and every value in it went through the quoting helper.
 */
export function renderSql(text: string, params: Parameters, file = "sql"): Sql {
  checkParameters(params);
  return trusted(fillPlaceholders(text, params, file));
}

function fillPlaceholders(text: string, params: Parameters, file: string): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
    let v: unknown = params;
    for (const k of path.split(".")) v = (v as Record<string, unknown> | undefined)?.[k];
    if (v === undefined) throw new Error(`${file}: onbekende parameter {{ ${path} }}`);
    return parameterLiteral(v, path).text;
  });
}

const ISO_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** A parameter value as an SQL literal: a date-shaped string as a checked DATE, the rest through `literal`. */
function parameterLiteral(v: unknown, path: string): Sql {
  if (typeof v === "string" && ISO_SHAPE.test(v)) return date(v);
  if (Array.isArray(v)) return literal(v.map((x, i) => parameterLiteral(x, `${path}[${i}]`)));
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return literal(v);
  throw new UserError(`parameter "${path}" heeft een waarde van onbekend type (${typeof v})`);
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
  body: Sql;
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
    const text = readFileSync(path, "utf8");
    let q: Sql;
    // the work-table statement is found in the file's own text, before placeholders are filled
    if (work && WORK_TABLE_MARK.test(text)) {
      const creates = [...text.matchAll(/CREATE OR REPLACE TABLE (\w+) AS\b/g)];
      if (creates.length !== 1) throw new Error(`${name}: een werktabel-bestand moet precies één "create or replace table … as" bevatten`);
      const [m] = creates;
      const head = renderSql(text.slice(0, m.index), params, name);
      const body = renderSql(text.slice(m.index! + m[0].length), params, name);
      work.push({ name: m[1], body });
      q = sql`${head}CREATE OR REPLACE TEMP TABLE ${ident(m[1])} AS${body}`;
    } else {
      q = renderSql(text, params, name);
    }
    await run(conn, q);
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
      await run(conn, sql`DROP TABLE ${qualified("temp", "main", w.name)}`);
      await run(conn, sql`CREATE OR REPLACE VIEW ${qualified("main", w.name)} AS ${w.body}`);
    }
    timings.push({ layer: "marts", file: "werktabellen als view", ms: performance.now() - t0 });
  }
  return timings;
}
