import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../core/errors.ts";
import { date, ident, join as joinSql, literal, qualified, readAll, run, sql, trusted, type Sql } from "../core/sql.ts";
import { readReference } from "../data/reference/index.ts";
import { checkParameters, type Parameters } from "./config.ts";
import { runOnLanes } from "./lanes.ts";
import { createTableUncompressed } from "./storage.ts";

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
 * unknown name is an error. `{{ referentie: cpi.csv }}` becomes the rows of that table of
 * data/reference/ as VALUES. The filled text is `trusted`: the file's own text is the project's
 * code, and every value in it went through the quoting helper.
 */
export function renderSql(text: string, params: Parameters, file = "sql"): Sql {
  checkParameters(params);
  return trusted(fillPlaceholders(text, params, file));
}

function fillPlaceholders(text: string, params: Parameters, file: string): string {
  const stray = /\{\{[^}]*\}\}/.exec(text.replace(PLACEHOLDER, ""));
  if (stray) throw new Error(`${file}: onbekende plaatshouder ${stray[0]}`);
  // one pass: text that a placeholder inserts is never read as a placeholder itself
  return text.replace(PLACEHOLDER, (_, reference: string | undefined, path: string | undefined) => {
    if (reference) return referenceValues(reference).text;
    let v: unknown = params;
    for (const k of path!.split(".")) v = (v as Record<string, unknown> | undefined)?.[k];
    if (v === undefined) throw new Error(`${file}: onbekende parameter {{ ${path} }}`);
    return parameterLiteral(v, path!).text;
  });
}

/**
 * The parameters the SQL layers read (`{{ d1.maandenZonderLoon }}` in any file of
 * staging/intermediate/marts), sorted: they shape the marts, so only a new run changes them.
 */
export function pipelineParameterPaths(): string[] {
  const paths = new Set<string>();
  for (const layer of LAYERS) {
    for (const f of layerFiles(layer)) for (const m of readFileSync(f, "utf8").matchAll(PLACEHOLDER)) if (m[2]) paths.add(m[2]);
  }
  return [...paths].sort();
}

/**
 * `{{ d1.maandenZonderLoon }}`: a parameter; `{{ referentie: cpi.csv }}`: a table of
 * data/reference/ (data/reference/index.ts).
 */
const PLACEHOLDER = /\{\{\s*(?:referentie:\s*([\w-]+\.csv)|([\w.]+))\s*\}\}/g;

/**
 * A reference table as `(VALUES ('2012', …), …) AS t("jaar", …)`: every field a VARCHAR
 * literal, named after the CSV header; the SQL file casts. Inlined, so DuckDB reads no file
 * outside the run's folders and the run does not depend on the working directory.
 */
function referenceValues(file: string): Sql {
  const { columns, rows } = readReference(file);
  if (!rows.length) throw new Error(`referentietabel ${file} is leeg`);
  const values = joinSql(
    rows.map((r) => sql`(${joinSql(r.map((v) => literal(v)))})`),
    sql`,\n    `,
  );
  return sql`(VALUES\n    ${values}\n) AS t(${joinSql(columns.map((c) => ident(c)))})`;
}

const ISO_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** A parameter value as an SQL literal: a date-shaped string as a checked DATE, null as NULL, the rest through `literal`. */
function parameterLiteral(v: unknown, path: string): Sql {
  if (v === null) return sql`NULL`;
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

/**
 * A model: the one object (table or view) one SQL file creates, named as the file without its
 * two-digit prefix (`16_int_banen.sql` -> `int_banen`). Its contract is declared in the file's
 * header, beside the SQL:
 *
 *     -- grain: baan_id                  the columns that identify a row (unique together)
 *     -- grain: one row                  at most one row
 *     -- grain: none (why)               no unique key, with the reason
 *     -- not_null: baan_id, persoon_id   columns that are never NULL (includes the grain's)
 *     -- ongecomprimeerd: baan_id        text columns stored without compression (a table's
 *                                        near-unique identifiers; pipeline/storage.ts)
 *
 * A mart's statement ends with its row order: `ORDER BY ALL`, or its leading columns holding its
 * grain (`Model.order`; pipeline/export-marts.ts writes the Parquet file in that stored order).
 *
 * The run checks the contract of every table it writes right after writing it (checkModel);
 * views and work tables are computed on query and checked by test/e2e/model-contracts.test.ts.
 */
export interface Model {
  name: string;
  /** path relative to pipeline/sql/, e.g. `intermediate/16_int_banen.sql` */
  file: string;
  /** `table`: written by the run; `view`: CREATE VIEW; `werktabel`: a work table (a view in the database) */
  kind: "table" | "view" | "werktabel";
  /** the grain's columns; [] = at most one row; null = no unique key */
  grain: string[] | null;
  notNull: string[];
  /** text columns stored without compression (only a `table`) */
  uncompressed: string[];
  /**
   * A mart's final `ORDER BY`: `"ALL"` or its columns (table aliases dropped); null for other
   * models. Required of a mart: its Parquet file is written in the order the table is stored in
   * (pipeline/export-marts.ts), so a mart is sorted by ALL or by columns holding its grain.
   */
  order: "ALL" | string[] | null;
}

const CREATE = /^CREATE OR REPLACE (TABLE|VIEW) (\w+)\b/gm;
const COLUMN = /^[a-z_][a-z0-9_]*$/;

/** The model of one SQL file and its declared contract; a file that breaks the rules throws. */
export function parseModel(path: string, text = readFileSync(path, "utf8")): Model {
  const file = path.startsWith(SQL_ROOT) ? path.slice(SQL_ROOT.length + 1) : path;
  const creates = [...text.matchAll(CREATE)];
  if (creates.length !== 1) throw new Error(`${file}: één model per bestand (gevonden: ${creates.length} "create or replace table/view")`);
  const [, what, name] = creates[0]!;
  const expected = basename(path, ".sql").replace(/^\d{2}_/, "");
  if (name !== expected) throw new Error(`${file}: het model heet ${name}, de bestandsnaam zegt ${expected}`);
  const header = (key: string): string | undefined => {
    const lines = [...text.matchAll(new RegExp(`^--\\s*${key}:(.*)$`, "gm"))];
    if (lines.length > 1) throw new Error(`${file}: "${key}:" staat er ${lines.length} keer`);
    const [m] = lines;
    return m && m[1]!.trim();
  };
  const columns = (list: string, key: string) => {
    const cols = list.split(",").map((c) => c.trim());
    for (const c of cols) if (!COLUMN.test(c)) throw new Error(`${file}: ${key}: "${c}" is geen kolomnaam`);
    return cols;
  };
  const g = header("grain");
  if (g === undefined) throw new Error(`${file}: de kop mist "-- grain: …"`);
  let grain: string[] | null;
  if (g === "one row") grain = [];
  else if (/^none\b/.test(g)) {
    if (!/^none\s*\(.+\)$/.test(g)) throw new Error(`${file}: "grain: none" zonder reden tussen haakjes`);
    grain = null;
  } else grain = columns(g, "grain");
  const nn = header("not_null");
  const notNull = nn ? columns(nn, "not_null") : [];
  for (const c of grain ?? []) {
    if (!notNull.includes(c)) throw new Error(`${file}: graankolom ${c} ontbreekt in not_null`);
  }
  const kind = WORK_TABLE_MARK.test(text) ? "werktabel" : what === "VIEW" ? "view" : "table";
  const unc = header("ongecomprimeerd");
  const uncompressed = unc ? columns(unc, "ongecomprimeerd") : [];
  if (uncompressed.length && kind !== "table")
    throw new Error(`${file}: "ongecomprimeerd:" geldt alleen voor een tabel die de run schrijft`);
  const order = file.startsWith("marts/") ? finalOrder(text, file) : null;
  // a mart of more than one row fixes its row order (grain "one row" needs none)
  if (file.startsWith("marts/") && !(grain && !grain.length)) {
    if (!order) throw new Error(`${file}: een mart eindigt met zijn volgorde ("order by all" of de kolommen van zijn graan)`);
    if (order !== "ALL" && !grain?.every((c) => order.includes(c)))
      throw new Error(
        `${file}: de volgorde (order by ${order.join(", ")}) legt de rijen niet vast: "order by all" of kolommen die het graan bevatten`,
      );
  }
  return { name, file, kind, grain, notNull, uncompressed, order };
}

/** The final `ORDER BY` of a model's statement: ALL, or plain columns (aliases dropped); null when none. */
function finalOrder(text: string, file: string): Model["order"] {
  const m = /\bORDER BY ([^;()]+);\s*$/.exec(text);
  if (!m) return null;
  const list = m[1]!.trim();
  if (/^ALL$/i.test(list)) return "ALL";
  return list.split(",").map((c) => {
    const col = c.trim().replace(/^[a-z_][a-z0-9_]*\./, "");
    if (!COLUMN.test(col)) throw new Error(`${file}: de laatste order by noemt alleen kolommen of ALL, niet "${c.trim()}"`);
    return col;
  });
}

/**
 * A file's one `CREATE OR REPLACE TABLE <model> AS <body>`: the text before it (comments) and
 * the query after it, each rendered.
 */
function splitCreateTable(text: string, model: Model, params: Parameters, file: string): { head: Sql; body: Sql } {
  const creates = [...text.matchAll(/CREATE OR REPLACE TABLE (\w+) AS\b/g)];
  if (creates.length !== 1 || creates[0]![1] !== model.name) {
    throw new Error(`${file}: het bestand moet precies één "create or replace table ${model.name} as" bevatten`);
  }
  const m = creates[0]!;
  return {
    head: renderSql(text.slice(0, m.index), params, file),
    body: renderSql(text.slice(m.index! + m[0].length), params, file),
  };
}

/** Every model of the intermediate and marts layers, in run order. */
export function models(): Model[] {
  return (["intermediate", "marts"] as const).flatMap((l) =>
    existsSync(join(SQL_ROOT, l)) ? layerFiles(l).map((f) => parseModel(f)) : [],
  );
}

/** One check of a model's contract: how many rows break it. */
export interface ModelCheck {
  model: string;
  /** `grain`: extra rows with the same grain values; `not_null`: rows with NULL in the column */
  controle: "grain" | "not_null";
  kolommen: string;
  aantal_fout: number;
}

/** The results of every check of the run, in the database (not in the manifest). */
export const CHECKS_TABLE = "model_controles";

/** Check a model's contract on the object in the database (table or view). */
export async function checkModel(conn: DuckDBConnection, m: Model): Promise<ModelCheck[]> {
  const parts: Sql[] = [];
  if (m.grain) {
    const extra = m.grain.length
      ? sql`(SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM ${ident(m.name)} GROUP BY ${joinSql(m.grain.map((c) => ident(c)))} HAVING count(*) > 1))`
      : sql`greatest(count(*) - 1, 0)`;
    parts.push(sql`${extra}::BIGINT`);
  }
  for (const c of m.notNull) parts.push(sql`count(*) FILTER (WHERE ${ident(c)} IS NULL)::BIGINT`);
  if (!parts.length) return [];
  const [row] = (await readAll(conn, sql`SELECT ${joinSql(parts)} FROM ${ident(m.name)}`)).getRows();
  const counts = row!.map((v) => Number(v));
  const out: ModelCheck[] = [];
  if (m.grain)
    out.push({ model: m.name, controle: "grain", kolommen: m.grain.length ? m.grain.join(", ") : "one row", aantal_fout: counts.shift()! });
  for (const c of m.notNull) out.push({ model: m.name, controle: "not_null", kolommen: c, aantal_fout: counts.shift()! });
  return out;
}

/** A broken contract: a bug in the derivations, not in the user's data (an internal error). */
export class ContractError extends Error {
  constructor(
    readonly model: Model,
    readonly failed: ModelCheck[],
  ) {
    super(
      `interne fout: model ${model.name} houdt zich niet aan zijn contract (pipeline/sql/${model.file}): ` +
        failed
          .map((f) => `${f.controle} (${f.kolommen}): ${f.aantal_fout} ${f.controle === "grain" ? "rijen te veel" : "rijen met NULL"}`)
          .join("; "),
    );
    this.name = "ContractError";
  }
}

async function recordChecks(conn: DuckDBConnection, checks: ModelCheck[]): Promise<void> {
  if (!checks.length) return;
  const rows = checks.map((c) => sql`(${c.model}, ${c.controle}, ${c.kolommen}, ${c.aantal_fout})`);
  await run(conn, sql`INSERT INTO ${ident(CHECKS_TABLE)} VALUES ${joinSql(rows)}`);
}

/** The in-memory database that holds the work tables while the layers run: every connection of the run sees it. */
export const WORK_DATABASE = "werk";

/** One SQL file of a layer, read and parsed, with the earlier models it reads. */
export interface Step {
  layer: Layer;
  /** path relative to pipeline/sql/ */
  name: string;
  text: string;
  model: Model;
  /** the words of its SQL outside comments, in lower case: the names of what it reads among them */
  words: ReadonlySet<string>;
  /** indices (into the run's steps) of the earlier models whose names its SQL mentions */
  needs: number[];
}

/**
 * The models of `layers` in run order, each with the earlier models it reads: the names of
 * earlier models (and nothing else) that occur as words in its SQL outside comments. File order
 * is a valid order, so a step depends on earlier steps only; a name that occurs without being
 * read (in a string, say) only keeps two steps apart that could have run side by side.
 */
export function planModels(layers: readonly Layer[]): Step[] {
  const steps: Step[] = [];
  for (const layer of layers) {
    if (!existsSync(join(SQL_ROOT, layer))) continue;
    for (const path of layerFiles(layer)) {
      const text = readFileSync(path, "utf8");
      const model = parseModel(path, text);
      // SQL names are case-insensitive: words and model names compared in lower case
      const words = new Set(
        text
          .replace(/--[^\n]*/g, " ")
          .toLowerCase()
          .match(/\b[a-z_][a-z0-9_]*\b/g),
      );
      const needs = steps.flatMap((s, i) => (words.has(s.model.name) ? [i] : []));
      steps.push({ layer, name: path.slice(SQL_ROOT.length + 1), text, model, words, needs });
    }
  }
  return steps;
}

/**
 * Run one model's file on `conn`: a work table into WORK_DATABASE (`work` collects its query),
 * a table with uncompressed columns through pipeline/storage.ts, anything else as written.
 * With `check`, the contract of a table is checked right after it is written; the checks are
 * returned.
 */
async function runStep(
  conn: DuckDBConnection,
  step: Step,
  params: Parameters,
  work: WorkTable[] | undefined,
  check: boolean,
): Promise<ModelCheck[]> {
  const { text, model, name } = step;
  // the work-table statement is found in the file's own text, before placeholders are filled
  if (work && WORK_TABLE_MARK.test(text)) {
    const { head, body } = splitCreateTable(text, model, params, name);
    work.push({ name: model.name, body });
    await run(conn, sql`${head}CREATE OR REPLACE TABLE ${qualified(WORK_DATABASE, "main", model.name)} AS${body}`);
  } else if (model.uncompressed.length) {
    await createTableUncompressed(conn, model.name, splitCreateTable(text, model, params, name).body, model.uncompressed);
  } else {
    await run(conn, renderSql(text, params, name));
  }
  return check && model.kind === "table" ? checkModel(conn, model) : [];
}

/**
 * Run every SQL file of a layer in order on one connection (every model a table or view of the
 * database; no work tables, no checks); returns the time each took.
 */
export async function runLayer(conn: DuckDBConnection, layer: Layer, params: Parameters): Promise<StageTiming[]> {
  const timings: StageTiming[] = [];
  for (const step of planModels([layer])) {
    const t0 = performance.now();
    await runStep(conn, step, params, undefined, false);
    timings.push({ layer, file: step.name, ms: performance.now() - t0 });
  }
  return timings;
}

/** Drop the table or view `name` of the database's own schema main, if there is one. */
async function dropMainObject(conn: DuckDBConnection, name: string): Promise<void> {
  const [kind] = (
    await readAll(
      conn,
      sql`SELECT 'view' FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND view_name = ${name}
          UNION ALL
          SELECT 'table' FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ${name}`,
    )
  ).getRows();
  if (!kind) return;
  const target = qualified("main", name);
  await run(conn, kind[0] === "view" ? sql`DROP VIEW ${target}` : sql`DROP TABLE ${target}`);
}

/**
 * Work that runs beside the models (pipeline/run.ts: the staging of the extracts that D1 does not
 * read): it writes the objects `writes`, and a model that names one of them waits for it.
 */
export interface SideJob {
  writes: readonly string[];
  perform: (conn: DuckDBConnection) => Promise<void>;
}

/**
 * The intermediate and marts layers, each table's contract checked as it is written (results in
 * CHECKS_TABLE, in file order; a broken one throws ContractError once the models running have
 * ended), then the work tables become views in the database and the in-memory copies are
 * dropped.
 *
 * Models that do not read each other run side by side, one per connection (`conn` and
 * `opts.more`; pipeline/lanes.ts): a connection takes the first model in file order whose models
 * read are written (`opts.jobs` come first, so they start at once). Each model's rows do not depend on what else
 * runs (its SQL fixes its order), so the tables are the same as one after the other. Scale 1, on
 * 2 cores: most statements keep both cores only partly busy (writing a table into the file is
 * largely serial). The work tables live in the in-memory database WORK_DATABASE, which every
 * connection sees (a TEMP table is seen only by the connection that made it); each connection
 * searches it after `main`.
 */
export async function runDerivationLayers(
  conn: DuckDBConnection,
  params: Parameters,
  opts: { onFile?: (file: string) => void; more?: readonly DuckDBConnection[]; jobs?: readonly SideJob[] } = {},
): Promise<StageTiming[]> {
  const { onFile, more = [], jobs = [] } = opts;
  const models = planModels(["intermediate", "marts"]);
  type Task = { needs: number[] } & ({ step: Step; job?: undefined } | { job: SideJob; step?: undefined });
  const tasks: Task[] = [
    ...jobs.map((job) => ({ job, needs: [] })),
    ...models.map((step) => {
      // the jobs whose objects the model names
      const fromJobs = jobs.flatMap((j, i) => (j.writes.some((n) => step.words.has(n)) ? [i] : []));
      return { step, needs: [...fromJobs, ...step.needs.map((i) => i + jobs.length)] };
    }),
  ];
  const work: WorkTable[] = [];
  const timings: StageTiming[] = [];
  const lanes = [conn, ...more];
  await run(
    conn,
    sql`CREATE OR REPLACE TABLE ${ident(CHECKS_TABLE)} (model VARCHAR, controle VARCHAR, kolommen VARCHAR, aantal_fout BIGINT)`,
  );
  // a work table's view from an earlier run in this database would be found first (main comes
  // before the work database on the search path): removed, so the new table is read
  for (const step of models.filter((m) => m.model.kind === "werktabel")) await dropMainObject(conn, step.model.name);
  await run(conn, sql`ATTACH ':memory:' AS ${ident(WORK_DATABASE)}`);
  const searchPath = `main,${WORK_DATABASE}`;
  const checks: ModelCheck[][] = tasks.map(() => []);
  /** the connections as they were: no search path, no work database (after a failure too) */
  const restore = async () => {
    for (const c of lanes) await run(c, sql`RESET search_path`);
    await run(conn, sql`DETACH DATABASE IF EXISTS ${ident(WORK_DATABASE)}`);
  };
  let t0: number;
  try {
    for (const c of lanes) await run(c, sql`SET search_path = ${searchPath}`);
    const outcome = await runOnLanes(lanes, tasks, async (c, i) => {
      const { step, job } = tasks[i]!;
      if (job) return job.perform(c);
      onFile?.(step.name);
      const t0 = performance.now();
      checks[i] = await runStep(c, step, params, work, true);
      timings.push({ layer: step.layer, file: step.name, ms: performance.now() - t0 });
      const broken = checks[i]!.filter((x) => x.aantal_fout > 0);
      if (broken.length) throw new ContractError(step.model, broken);
    }).then(
      () => null,
      (error: unknown) => ({ error }),
    );
    // the checks of every model written, also when one failed (then that failure is thrown)
    const recorded = recordChecks(conn, checks.flat());
    if (outcome) {
      await recorded.catch(() => {});
      throw outcome.error;
    }
    await recorded;
    onFile?.("werktabellen als view");
    t0 = performance.now();
    // the views keep the work tables' queries, with unqualified names: they read main's objects
    for (const c of lanes) await run(c, sql`RESET search_path`);
    // a view may read an earlier work table, whose view must exist first: file order
    const order = new Map(models.map((s, i) => [s.model.name, i]));
    work.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
    for (const w of work) await run(conn, sql`CREATE OR REPLACE VIEW ${qualified("main", w.name)} AS ${w.body}`);
  } catch (e) {
    // the first failure is what the caller sees
    await restore().catch(() => {});
    throw e;
  }
  await restore();
  const files = new Map(models.map((s, i) => [s.name, i]));
  timings.sort((a, b) => files.get(a.file)! - files.get(b.file)!);
  timings.push({ layer: "marts", file: "werktabellen als view", ms: performance.now() - t0 });
  return timings;
}
