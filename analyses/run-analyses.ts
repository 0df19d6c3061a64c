import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { assertPublishable, NIET_VOOR_PUBLICATIE, type Parameters } from "../pipeline/config.ts";
import { UserError } from "../core/errors.ts";
import { checkParameters } from "../pipeline/config.ts";
import { ANALYSES, START_FIRST } from "./registry.ts";
import {
  SUPPRESSED_COLUMN,
  type AnalysisModule,
  type AnalysisResult,
  type PublishedAnalysis,
  type PublishedDeclaration,
  type Tables,
} from "./types.ts";
import { rulesFrom, scanPublished } from "./disclosure/index.ts";
import { protectRunSummary } from "./disclosure/run-summary.ts";
import { readTablesParquet, writeJsonAtomic, writeTablesParquet } from "./lib/output.ts";
import { inTurns } from "./lib/in-turns.ts";
import { protectPublication } from "./disclosure/publication.ts";
import { partnerKeyFrom, withPartnerChoice } from "./disclosure/partner-key.ts";

/** What the pipeline hands the analyses after the marts are built. */
export interface AnalysisContext {
  /** connection to <out>/baanmonitor.duckdb (marts in schema main) */
  conn: DuckDBConnection;
  /**
   * a further connection to the same database: with it, two analyses run side by side (each on a
   * connection of its own, so their temp tables stay apart); without it, one after the other on
   * `conn`. Results do not depend on it: every sum an analysis publishes is exact.
   */
  connect?: () => Promise<DuckDBConnection>;
  /** the run's output folder being written (a temp folder until the run succeeds) */
  outDir: string;
  params: Parameters;
  /** run only these analysis ids (default: all) */
  only?: string[];
  /** progress callback (one line per analysis) */
  onAnalysis?: (id: string, ms: number) => void;
  /**
   * false: the run is marked as not for publication (`--niet-voor-publicatie`): disclosure
   * thresholds below the publication floor are allowed, and every published file and page says so
   */
  voorPublicatie?: boolean;
}

export interface AnalysisTiming {
  id: string;
  ms: number;
}

/** The modules selected by `only` (registry order); unknown ids are a user error. */
export function selectAnalyses(only?: string[]): AnalysisModule<unknown>[] {
  if (!only || only.length === 0) return ANALYSES;
  const known = new Set(ANALYSES.map((m) => m.id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new UserError(`onbekende analyse(s): ${unknown.join(", ")} (bekend: ${[...known].join(", ")})`);
  }
  return ANALYSES.filter((m) => only.includes(m.id));
}

/**
 * Run one module: full-precision tables to analyses/<id>.parquet, and its published tables after
 * the table-by-table rules (primary suppression, the module's own secondary suppression),
 * checked against its declaration. Nothing goes to publish/ here: the whole set is protected as
 * one system first (protectPublication) and written by runAnalyses.
 */
export async function runOne(
  m: AnalysisModule<unknown>,
  conn: DuckDBConnection,
  params: Parameters,
  outDir: string,
  voorPublicatie = true,
  /** the module's earlier result (analyse --only: the analyses not rerun), instead of running it */
  earlier?: AnalysisResult,
): Promise<PublishedAnalysis> {
  // a parameter of the wrong kind (a date that is not a date) is a user error before any SQL runs
  checkParameters(params);
  const p = m.parameters(params);
  let result = earlier;
  if (!result) {
    result = await m.run({ conn, params }, p);
    await writeTablesParquet(conn, result.tabellen, join(outDir, "analyses", `${m.id}.parquet`));
  }
  const rules = rulesFrom(params);
  const tabellen = m.publish(result, rules, p);
  checkPublished(m.id, m.publishes, tabellen);
  return {
    id: m.id,
    titel: m.titel,
    rapport: m.rapport,
    definitie: m.definitie,
    parameters: { ...(p as object), disclosure: rules },
    ...(voorPublicatie ? {} : { publicatie: NIET_VOOR_PUBLICATIE }),
    tabellen,
  };
}

/** A published table that differs from the analysis's declaration: a programming error, not the user's. */
export class DeclarationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeclarationError";
  }
}

const NUMERIC = new Set(["count", "share", "mean", "median", "index", "curve-day", "curve-value", "bound", "statistic"]);

/**
 * Published tables against the analysis's declaration (analyses/types.ts): exactly the declared
 * tables; in every row exactly the declared columns in declared order, then `onderdrukt`; a key
 * or label is a string or number, a numeric column a number or null, `onderdrukt` a boolean.
 * Throws a DeclarationError naming analysis, table and column.
 */
export function checkPublished(id: string, declared: PublishedDeclaration, tabellen: Tables): void {
  const fail: (where: string, msg: string) => never = (where, msg) => {
    throw new DeclarationError(`gepubliceerde tabel ${id}.${where}: ${msg} (wijkt af van de declaratie publishes)`);
  };
  for (const name of Object.keys(tabellen)) if (!Object.hasOwn(declared, name)) fail(name, "tabel is niet gedeclareerd");
  for (const [name, decl] of Object.entries(declared)) {
    const rows = tabellen[name];
    if (!rows) fail(name, "gedeclareerde tabel wordt niet gepubliceerd");
    const expected = [...decl.columns.map((c) => c.name), SUPPRESSED_COLUMN];
    for (const [i, row] of rows.entries()) {
      const where = `${name}, rij ${i + 1}`;
      const got = Object.keys(row);
      for (let j = 0; j < Math.max(got.length, expected.length); j++) {
        if (got[j] === expected[j]) continue;
        if (expected[j] !== undefined && !got.includes(expected[j]!)) fail(where, `kolom ${expected[j]} ontbreekt`);
        if (!expected.includes(got[j]!)) fail(where, `kolom ${got[j]} is niet gedeclareerd`);
        fail(where, `kolom ${got[j]} staat op plaats ${j + 1}, gedeclareerd is daar ${expected[j]}`);
      }
      for (const c of decl.columns) {
        const v = row[c.name];
        const ok = NUMERIC.has(c.kind) ? v === null || typeof v === "number" : v === null || typeof v === "string" || typeof v === "number";
        if (!ok) fail(where, `kolom ${c.name} (${c.kind}) heeft waarde ${JSON.stringify(v)}`);
      }
      if (typeof row[SUPPRESSED_COLUMN] !== "boolean") fail(where, `kolom ${SUPPRESSED_COLUMN} is geen boolean`);
    }
  }
}

/**
 * Runs the analysis catalogue on the marts: writes <outDir>/analyses/<id>.parquet and, through
 * disclosure control, <outDir>/publish/<id>.json. Writes publish/run.json (the public part of the
 * run manifest) when <outDir>/manifest.json exists.
 */
export async function runAnalyses(ctx: AnalysisContext): Promise<AnalysisTiming[]> {
  checkParameters(ctx.params);
  const voorPublicatie = ctx.voorPublicatie ?? true;
  assertPublishable(ctx.params, voorPublicatie);
  const selected = new Set(selectAnalyses(ctx.only).map((m) => m.id));
  // every analysis takes part in the protection of the whole set; with --only, those not rerun
  // come from their earlier full-precision results (analyses/<id>.parquet)
  const published = new Array<{ module: AnalysisModule<unknown>; doc: PublishedAnalysis }>(ANALYSES.length);
  const took = new Array<number | undefined>(ANALYSES.length);
  const runAt = async (i: number, conn: DuckDBConnection): Promise<void> => {
    const m = ANALYSES[i]!;
    const t0 = performance.now();
    try {
      const earlier = selected.has(m.id) ? undefined : await readEarlierResult(conn, ctx.outDir, m.id);
      published[i] = { module: m, doc: await runOne(m, conn, ctx.params, ctx.outDir, voorPublicatie, earlier) };
    } catch (e) {
      if (e instanceof Error) e.message = `analyse ${m.id}: ${e.message}`;
      throw e;
    }
    if (!selected.has(m.id)) return;
    took[i] = performance.now() - t0;
    ctx.onAnalysis?.(m.id, took[i]);
  };
  // the partner choices of this run's suppression are keyed by its data (./disclosure/partner-key.ts)
  const choice = { key: await partnerKeyFrom(ctx.conn), marge: rulesFrom(ctx.params).beschermingsmarge };
  return withPartnerChoice(choice, async () => {
    await inTurns(startOrder(), ctx.conn, ctx.connect, runAt);
    const timings: AnalysisTiming[] = ANALYSES.flatMap((m, i) => (took[i] === undefined ? [] : [{ id: m.id, ms: took[i] }]));
    const t0 = performance.now();
    await scanPublished(
      ctx.conn,
      published.map(({ module, doc }) => ({ label: module.id, tabellen: doc.tabellen })),
    );
    const controle = await protectPublication(
      published.map(({ module, doc }) => ({
        id: module.id,
        tabellen: doc.tabellen,
        publishes: module.publishes,
        relations: module.relations,
      })),
      rulesFrom(ctx.params),
    );
    const controlMs = performance.now() - t0;
    timings.push({ id: "openbaarmakingscontrole", ms: controlMs });
    ctx.onAnalysis?.("openbaarmakingscontrole", controlMs);
    for (const { doc } of published) writeJsonAtomic(join(ctx.outDir, "publish", `${doc.id}.json`), doc);
    writeJsonAtomic(
      join(ctx.outDir, "publish", "controle.json"),
      voorPublicatie ? controle : { publicatie: NIET_VOOR_PUBLICATIE, ...controle },
    );
    writePublicManifest(ctx.outDir, ctx.params, undefined, voorPublicatie);
    return timings;
  });
}

/** Indices into ANALYSES in the order they start: START_FIRST, then the rest in catalogue order. */
export function startOrder(): number[] {
  const ids = ANALYSES.map((m) => m.id);
  const first = START_FIRST.map((id) => {
    const i = ids.indexOf(id);
    if (i < 0) throw new Error(`START_FIRST noemt een onbekende analyse: ${id}`);
    return i;
  });
  return [...first, ...[...ids.keys()].filter((i) => !first.includes(i))];
}

/** The full-precision result of an analysis of an earlier run (analyse --only); a user error when absent. */
async function readEarlierResult(conn: DuckDBConnection, outDir: string, id: string): Promise<AnalysisResult> {
  const path = join(outDir, "analyses", `${id}.parquet`);
  if (!existsSync(path)) {
    throw new UserError(
      `${path} ontbreekt: de hele publicatie wordt samen beschermd, dus --only heeft de resultaten van alle analyses nodig; laat --only weg`,
    );
  }
  const tabellen = await readTablesParquet(conn, path);
  if (!tabellen) {
    throw new UserError(
      `${path} is geschreven door een eerdere versie zonder kolomlijst; laat --only weg om alle analyses opnieuw te draaien`,
    );
  }
  return { tabellen };
}

/** Top-level manifest keys that may be published; anything else (paths, hosts) stays private. */
const PUBLIC_MANIFEST_KEYS = ["manifest_versie", "baanmonitor", "software", "invoer", "kwaliteit", "koppeling", "parameters"];
// `publicatie` is set by writePublicManifest from the flag of the run or rerun that writes it

/**
 * publish/run.json: the public part of the run manifest (see docs/publish.md) — given the
 * manifest (the pipeline, before it writes manifest.json last) or read from <outDir>/manifest.json
 * (a rerun of the analyses).
 */
export function writePublicManifest(outDir: string, params: Parameters, given?: object, voorPublicatie = true): boolean {
  const path = join(outDir, "manifest.json");
  if (!given && !existsSync(path)) return false;
  const manifest = (given ?? JSON.parse(readFileSync(path, "utf8"))) as Record<string, unknown>;
  const pub: Record<string, unknown> = {};
  for (const k of PUBLIC_MANIFEST_KEYS) if (k in manifest) pub[k] = stripPaths(manifest[k]);
  if (!("parameters" in pub)) pub.parameters = params;
  pub.publicatie = voorPublicatie ? { voor_publicatie: true } : { voor_publicatie: false, melding: NIET_VOOR_PUBLICATIE };
  writeJsonAtomic(join(outDir, "publish", "run.json"), protectRunSummary(pub, rulesFrom(params)));
  return true;
}

/** Drop values that look like file-system paths (absolute or with a folder). */
function stripPaths(v: unknown): unknown {
  if (typeof v === "string") return /^(\/|[A-Za-z]:\\)/.test(v) ? undefined : v;
  if (Array.isArray(v)) return v.map(stripPaths);
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (/^(map|pad|path|dir|tmp|temp|tempdir)$/i.test(k)) continue;
      const y = stripPaths(x);
      if (y !== undefined) o[k] = y;
    }
    return o;
  }
  return v;
}
