/**
 * Ingest: source files -> raw (all VARCHAR, DuckDB readers) -> stg_* (typed, contract columns
 * plus bron_bestand/bron_regel) + rejects + kwaliteit. Nothing is lost: per file
 * gelezen = geladen + afgewezen, asserted.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../../core/errors.ts";
import { fileChunks } from "../../core/file-chunks.ts";
import type { Parameters } from "../config.ts";
import { EXTRACT_NAMES, type ExtractName } from "../contract.ts";
import type { SourceMapping } from "./mapping.ts";
import { ident, readAll, run, sql, type Sql } from "../../core/sql.ts";
import { collectStructural, prepareFile, resolveFiles, type SourceFile } from "./read.ts";
import {
  recordNumbersSql,
  shiftLinesSql,
  softCodeColumns,
  stagingCreateSql,
  stagingFinishSql,
  nulRejectsSql,
  stagingRejectsSql,
  stg,
} from "./staging.ts";
import { runQualityChecks, writePolisDubbel, type QualityRow } from "./quality.ts";
import { extractsAreSynthetic } from "./synthetic-marker.ts";

export interface FileStats {
  extract: ExtractName;
  bestand: string;
  pad: string;
  grootte: number;
  sha256: string;
  gelezen: number;
  geladen: number;
  afgewezen: number;
  /** lines DuckDB's CSV reader could not split into the expected columns */
  afgewezen_structuur: number;
  ongebruikte_kolommen: string[];
}

export interface IngestResult {
  files: FileStats[];
  /** the extracts folder holds the generator's marker (synthetic-marker.ts) */
  synthetisch: boolean;
  /** reject counts per (bestand, kolom, reden) */
  afwijzingen: { bestand: string; kolom: string | null; reden: string; aantal: number }[];
  kwaliteit: QualityRow[];
  stagingSql: string;
  timings: { stap: string; ms: number }[];
}

export interface IngestOptions {
  extractsDir: string;
  mapping: SourceMapping;
  workDir: string;
  params: Parameters;
  onStage?: (stage: string) => void;
  /** one line per file with its row counts (progress display) */
  onInfo?: (msg: string) => void;
  /** run date for the "in de toekomst" check (default: today) */
  today?: string;
  /** records longer than this many bytes are rejected as "regel te lang" (default MAX_LINE_BYTES, 1 MiB) */
  maxLineBytes?: number;
}

/**
 * Every extract in order (`startIngest`, `stageExtract` per extract, `finishIngest`), on one
 * connection.
 */
export async function ingestExtracts(conn: DuckDBConnection, opts: IngestOptions): Promise<IngestResult> {
  const ingest = await startIngest(conn, opts);
  for (const x of EXTRACT_NAMES) await stageExtract(conn, ingest, x);
  return finishIngest(conn, ingest);
}

/** What one extract's staging left: its files' counts, soft-code rows, statements and time. */
interface StagedExtract {
  files: FileStats[];
  softCodes: QualityRow[];
  /** the statements of its staging, for <out>/staging.sql */
  executed: string[];
  timings: { stap: string; ms: number }[];
}

/**
 * An ingest under way: every extract's files resolved, the extracts staged so far. The extracts
 * may be staged in any order and on different connections of one database (the run stages polis
 * first and the others beside the derivations, pipeline/run.ts); what `finishIngest` returns is
 * assembled in the contract's order, so it does not depend on that.
 */
export interface Ingest {
  readonly opts: IngestOptions;
  readonly paths: Record<ExtractName, string[]>;
  readonly staged: Map<ExtractName, StagedExtract>;
}

/** Create the `rejects` table and resolve every extract's files: a missing file stops the run before any work. */
export async function startIngest(conn: DuckDBConnection, opts: IngestOptions): Promise<Ingest> {
  await run(conn, sql`CREATE OR REPLACE TABLE rejects (bestand VARCHAR, regel BIGINT, kolom VARCHAR, waarde VARCHAR, reden VARCHAR)`);
  const paths = Object.fromEntries(EXTRACT_NAMES.map((x) => [x, resolveFiles(opts.extractsDir, x, opts.mapping.extracts[x])])) as Record<
    ExtractName,
    string[]
  >;
  return { opts, paths, staged: new Map() };
}

/**
 * Read one extract's files into stg_<extract> (typed, rejects into `rejects`) and check its
 * bookkeeping: per file gelezen = geladen + afgewezen. For polis also stg_polis_dubbel, which
 * the quality checks and D1's correction step read.
 */
export async function stageExtract(conn: DuckDBConnection, ingest: Ingest, x: ExtractName): Promise<void> {
  const { opts } = ingest;
  const m = opts.mapping.extracts[x];
  const part: StagedExtract = { files: [], softCodes: [], executed: [], timings: [] };
  const { executed } = part;
  const exec = async (q: Sql) => {
    executed.push(q.text);
    await run(conn, q);
  };
  /** records DuckDB split into the expected columns, per file (before removing rejected rows) */
  const records = new Map<string, number>();
  const count = async (q: Sql) => Number((await readAll(conn, q)).getRows()[0]![0]);
  const fs: SourceFile[] = [];
  const stap = `inlezen en staging ${x}`;
  opts.onStage?.(stap);
  const t0 = performance.now();
  // column check and, for single-byte encodings, the transcoding pass
  for (const [n, path] of ingest.paths[x].entries()) {
    fs.push(
      await prepareFile(conn, {
        extract: x,
        path,
        extractsDir: opts.extractsDir,
        n,
        m,
        workDir: opts.workDir,
        maxLineBytes: opts.maxLineBytes,
      }),
    );
  }
  // pass 1: read every file once, in order; type every row, flag the bad ones
  let start = 0;
  for (const [i, f] of fs.entries()) {
    const create = stagingCreateSql(
      x,
      f,
      m,
      i > 0,
      fs.map((g) => g.bestand),
    );
    executed.push(
      `-- staging for ${x}: ${JSON.stringify(f.bestand)} (generated from pipeline/contract.ts and the source mapping)\n${create.text}`,
    );
    await insertInFileOrder(conn, create).catch((e) => csvReaderFailure(e, fs));
    const n = (await count(sql`SELECT count(*) FROM ${stg(x)}`)) - start;
    records.set(f.bestand, n);
    await exec(recordNumbersSql(x, f, start));
    start += n;
  }
  for (const f of fs) await collectStructural(conn, f, opts.workDir);
  const shift = shiftLinesSql(x, fs);
  if (shift) await exec(shift);
  // a NUL byte in a text field (only when a file holds one): rejected like any bad field
  const nul = nulRejectsSql(x);
  if (nul && (await Promise.all(fs.map((f) => f.nul))).some(Boolean)) await exec(nul);
  // rejects only when values were rejected
  if ((await count(sql`SELECT count(*) FROM ${stg(x)} WHERE _fouten IS NOT NULL`)) > 0) await exec(stagingRejectsSql(x));
  for (const c of softCodeColumns(x, m)) {
    part.softCodes.push({
      controle: "onbekende_code",
      extract: x,
      aantal: await count(sql`SELECT count(*) FROM ${stg(x)} WHERE ${ident(`_onbekend_${c}`)}`),
      toelichting: `onbekende code in ${c} vervangen door "${m.onbekendeCode[c]}"`,
    });
  }
  await exec(stagingFinishSql(x, m));
  if (x === "polis") await writePolisDubbel(conn);
  part.timings.push({ stap, ms: Math.round(performance.now() - t0) });
  for (const f of fs) for (const t of [f.shiftTable, f.lineMapTable]) if (t) await run(conn, sql`DROP TABLE ${ident(t)}`);

  // bookkeeping per file: gelezen = geladen + afgewezen
  for (const f of fs) {
    const loaded = await count(sql`SELECT count(*) FROM ${stg(x)} WHERE bron_bestand = ${f.bestand}`);
    const rejected = await count(sql`SELECT count(DISTINCT regel) FROM rejects WHERE bestand = ${f.bestand}`);
    // gelezen: records DuckDB split into columns plus structurally rejected lines
    const gelezen = records.get(f.bestand)! + f.structural;
    if (gelezen !== loaded + rejected) {
      throw new Error(`${f.bestand}: telling klopt niet: gelezen ${gelezen} ≠ geladen ${loaded} + afgewezen ${rejected}`);
    }
    opts.onInfo?.(
      `${f.bestand}: ${gelezen.toLocaleString("nl-NL")} rijen gelezen, ${loaded.toLocaleString("nl-NL")} geladen, ${rejected.toLocaleString("nl-NL")} afgewezen`,
    );
    part.files.push({
      extract: x,
      bestand: f.bestand,
      pad: f.path,
      grootte: f.size,
      sha256: await f.sha256,
      gelezen,
      geladen: loaded,
      afgewezen: rejected,
      afgewezen_structuur: f.structural,
      ongebruikte_kolommen: f.ongebruikteKolommen,
    });
  }
  ingest.staged.set(x, part);
}

/** After every extract is staged: the rejects per (file, column, reason) and the quality checks. */
export async function finishIngest(conn: DuckDBConnection, ingest: Ingest): Promise<IngestResult> {
  const { opts } = ingest;
  const parts = EXTRACT_NAMES.map((x) => {
    const part = ingest.staged.get(x);
    if (!part) throw new Error(`interne fout: extract ${x} is niet ingelezen`);
    return part;
  });
  const afwijzingen = (
    await readAll(
      conn,
      sql`SELECT bestand, kolom, reden, count(*) AS aantal FROM rejects GROUP BY ALL ORDER BY bestand, kolom NULLS FIRST, reden`,
    )
  )
    .getRowObjectsJson()
    .map((r) => ({
      bestand: String(r.bestand),
      kolom: r.kolom === null ? null : String(r.kolom),
      reden: String(r.reden),
      aantal: Number(r.aantal),
    }));
  const timings = parts.flatMap((p) => p.timings);
  opts.onStage?.("kwaliteitscontroles");
  const t0 = performance.now();
  const kwaliteit = await runQualityChecks(
    conn,
    opts.params,
    parts.flatMap((p) => p.softCodes),
    opts.today,
  );
  timings.push({ stap: "kwaliteitscontroles", ms: Math.round(performance.now() - t0) });
  return {
    files: parts.flatMap((p) => p.files),
    synthetisch: extractsAreSynthetic(opts.extractsDir),
    afwijzingen,
    kwaliteit,
    stagingSql: parts.flatMap((p) => p.executed).join("\n"),
    timings,
  };
}

/**
 * Run a pass-1 statement (CREATE TABLE AS / INSERT ... SELECT from a file) so that the rowids
 * of its rows follow the file order, which the record numbers rely on (`recordNumbersSql`).
 * DuckDB keeps the order when it plans an order-preserving (batch) insert; a plan that is not
 * one (e.g. the query holds a join) may interleave the threads' rows. Should that ever be
 * planned, the statement runs single-threaded, which inserts in file order too, only slower
 * (`threads` is the instance's setting: in a run, the models running beside the staging then run
 * single-threaded too, with the same rows).
 */
export async function insertInFileOrder(conn: DuckDBConnection, q: Sql): Promise<void> {
  const plan = (await readAll(conn, sql`EXPLAIN ${q}`))
    .getRows()
    .map((r) => String(r[1]))
    .join("\n");
  const threads = Number((await readAll(conn, sql`SELECT current_setting('threads')`)).getRows()[0]![0]);
  if (/\bBATCH_(CREATE_TABLE_AS|INSERT)\b/.test(plan) || threads === 1) {
    await run(conn, q);
    return;
  }
  await run(conn, sql`SET threads = 1`);
  try {
    await run(conn, q);
  } finally {
    await run(conn, sql`SET threads = ${threads}`);
  }
}

/**
 * The first line whose line end differs from the file's first line end (LF vs CRLF, or a lone
 * CR), 1-based; null when all line ends agree. Quoted fields are not tracked: a diagnosis only.
 */
export async function mixedLineEnd(path: string): Promise<{ regel: number; verwacht: string; gevonden: string } | null> {
  const name = (e: string) => (e === "\r\n" ? "CRLF" : e === "\n" ? "LF" : "CR");
  let line = 1;
  let first: string | null = null;
  let prevCr = false;
  const check = (end: string) => {
    if (first === null) first = end;
    return end === first ? null : { regel: line, verwacht: name(first), gevonden: name(end) };
  };
  for await (const chunk of fileChunks(path)) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (prevCr) {
        const r = check(b === 0x0a ? "\r\n" : "\r");
        if (r) return r;
        line++;
        prevCr = false;
        if (b === 0x0a) continue;
      }
      if (b === 0x0d) prevCr = true;
      else if (b === 0x0a) {
        const r = check("\n");
        if (r) return r;
        line++;
      }
    }
  }
  return prevCr ? check("\r") : null;
}

/**
 * DuckDB's CSV reader gives up on some malformed files as a whole (e.g. a lone CR in a file with
 * LF line ends: "CSV Parser state machine reached an invalid state") instead of rejecting lines.
 * That is bad input, not an internal error: name the file and, when found, the line.
 */
async function csvReaderFailure(e: unknown, fs: SourceFile[]): Promise<never> {
  const msg = e instanceof Error ? e.message : "";
  if (!/^Invalid Input Error/.test(msg)) throw e;
  const readPath = /\n\s*file = (.*)\n/.exec(msg)?.[1]?.trim();
  const f = readPath ? fs.find((x) => x.readPath === readPath) : fs.length === 1 ? fs[0] : undefined;
  if (!f) throw e;
  const mixed = readPath ? await mixedLineEnd(readPath) : null;
  const where = mixed ? `${f.bestand}, regel ${mixed.regel}` : f.bestand;
  const why = mixed
    ? `gemengde regeleinden: deze regel eindigt op ${mixed.gevonden}, de eerste regel op ${mixed.verwacht}${mixed.gevonden === "CR" ? " (los CR-teken \\r)" : ""}`
    : msg.split("\n")[0];
  throw new UserError(
    `${where}: DuckDB kan dit CSV-bestand niet lezen: ${why}. Controleer regeleinden, aanhalingstekens en scheidingsteken`,
  );
}
