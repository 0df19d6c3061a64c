/**
 * The pipeline of `baanmonitor run`: ingest -> staging -> intermediate -> marts -> marts Parquet,
 * then the downstream phases its caller supplies (analyses, publishing), then the manifest, all
 * in a temp folder next to `<out>`, swapped into place only when complete. The pipeline knows
 * nothing of the layers above it: the composition root (cli/commands/run.ts, runAll) fills
 * `downstream` with the analyses and the publishing.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { cpus } from "node:os";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { readAll, rowObjects, sql } from "../core/sql.ts";
import { combine, confine, confinementError, folderAccess, lockConfiguration } from "../core/confine.ts";
import { PublicationRefused, UserError } from "../core/errors.ts";
import { assertPublishable, checkParameters, DEFAULTS, type Parameters } from "./config.ts";
import { layerFiles, runDerivationLayers, SQL_ROOT, type SideJob } from "./sql-runner.ts";
import { applyStorageSettings } from "./storage.ts";
import { finishIngest, ingestExtracts, startIngest, stageExtract, type IngestOptions, type IngestResult } from "./ingest/index.ts";
import { EXTRACT_NAMES } from "./contract.ts";
import { CANONICAL_MAPPING_FILE, loadMappingFile, mappingForManifest, type SourceMapping } from "./ingest/mapping.ts";
import { abortOutput, beginOutput, commitOutput, type BeginOptions, type OutputTransaction } from "./atomic-output.ts";
import { checkTempDir } from "./output-folder.ts";
import { baanmonitorVersion, writeManifest, type Koppeling, type Manifest } from "./manifest.ts";
import { Progress } from "../core/progress.ts";
import { exportMarts } from "./export-marts.ts";
import { createPartitionGlobals, partInManifest, readPartitionMarker } from "./partition/marker.ts";

/** What the downstream phases get from the pipeline after the marts are built. */
export interface DownstreamContext {
  /** connection to the run's database (marts in schema main); its configuration is locked */
  conn: DuckDBConnection;
  /** a further connection to the same database (closed by whoever asked for it) */
  connect: () => Promise<DuckDBConnection>;
  /** the run's output folder being written (a temp folder until the run succeeds) */
  outDir: string;
  params: Parameters;
  voorPublicatie: boolean;
  /** a progress line (e.g. an analysis done, with its time) */
  note?: (line: string) => void;
}

/**
 * The phases after the marts, inside the run's output transaction: a failure in either leaves
 * the previous `<out>` intact.
 */
export interface DownstreamPhases {
  /** on the marts, before the database is closed; returns one timing per step (e.g. per analysis) */
  analyse(ctx: DownstreamContext): Promise<{ id: string; ms: number }[]>;
  /** after the database is closed, before manifest.json is written last: files that need the manifest */
  publish(ctx: Omit<DownstreamContext, "conn" | "connect"> & { manifest: Manifest }): void | Promise<void>;
}

export interface RunOptions {
  extracts: string;
  out: string;
  params?: Parameters;
  mapping?: SourceMapping;
  /** DuckDB memory_limit, e.g. "4GB" */
  memoryLimit?: string;
  /** DuckDB spill folder (default: inside the temp output folder) */
  tempDir?: string;
  threads?: number;
  skipAnalyses?: boolean;
  /** the analyses and publishing after the marts; without them the run stops after the marts */
  downstream?: DownstreamPhases;
  /** false: `--niet-voor-publicatie` (thresholds below the publication floor allowed, output marked) */
  voorPublicatie?: boolean;
  /** "staging": stop after ingest + staging (no intermediate/marts/analyses); for tests and debugging */
  stopAfter?: "staging";
  /** progress on stderr (core/progress.ts): false = none; default: rewritten in place on a TTY, plain lines otherwise */
  progress?: boolean;
  /** run date for the "in de toekomst" check (default: today) */
  today?: string;
}

export interface RunResult {
  out: string;
  manifest: Manifest;
}

/** Marts to export: `pipeline/sql/marts/NN_name.sql` -> table `name`. */
export function martNames(): string[] {
  const files = existsSync(join(SQL_ROOT, "marts")) ? layerFiles("marts") : [];
  return files.map((f) => basename(f, ".sql").replace(/^\d+_/, ""));
}

export async function runPipeline(opts: RunOptions): Promise<RunResult> {
  const start = new Date();
  const params = opts.params ?? structuredClone(DEFAULTS);
  checkParameters(params);
  const voorPublicatie = opts.voorPublicatie ?? true;
  const downstream = opts.skipAnalyses || opts.stopAfter === "staging" ? undefined : opts.downstream;
  if (downstream) assertPublishable(params, voorPublicatie);
  const mapping = opts.mapping ?? loadMappingFile(CANONICAL_MAPPING_FILE);
  const out = resolve(opts.out);
  const extractsDir = resolve(opts.extracts);
  const progress = new Progress(opts.progress);
  // a part of a partitioned extract (pipeline/partition/): its first-round values
  const partitie = readPartitionMarker(extractsDir);
  // disclosure control runs once, over the merged set: a part publishes nothing of its own (a
  // part's published cells next to the whole's would let one subtract the other)
  if (partitie && downstream) {
    throw new UserError(
      `${extractsDir} is deel ${partitie.deel} van ${partitie.k} van een partitie: draai het met --skip-analyses en voeg de delen samen met baanmonitor merge`,
    );
  }

  // the spill folder is checked before anything is created or DuckDB starts
  const { spill, memory } = duckdbResources(opts, out);
  // lock <out>, repair leftovers, refuse a folder that is not ours, create the marked temp folder
  const tx = openOutput(out, { opdracht: "run", extracts: extractsDir }, progress, opts);
  const tmp = tx.tmp;
  const timings: { stap: string; ms: number }[] = [];
  let instance: DuckDBInstance | undefined;
  let conn: Awaited<ReturnType<DuckDBInstance["connect"]>> | undefined;
  try {
    const work = join(tmp, ".werk");
    mkdirSync(work);
    const dbOptions: Record<string, string> & { threads: string; temp_directory: string } = {
      threads: String(opts.threads ?? Math.max(1, cpus().length)),
      temp_directory: spill ?? join(work, "duckdb-spill"),
      ...memory,
    };
    try {
      instance = await DuckDBInstance.create(join(tmp, "baanmonitor.duckdb"), dbOptions);
    } catch (e) {
      throw new UserError(`DuckDB kon niet starten met deze instellingen (${(e as Error).message.split("\n")[0]})`);
    }
    conn = await instance.connect();
    const c = conn;
    await applyStorageSettings(c);
    // DuckDB may touch only the extracts, this run's temp output folder and the spill folder
    await confine(c, combine(folderAccess(extractsDir), folderAccess(tmp), folderAccess(dbOptions.temp_directory)));
    const duckdbVersion = String((await readAll(c, sql`SELECT version()`)).getRows()[0]![0]);

    const ingestOptions: IngestOptions = {
      extractsDir,
      mapping,
      workDir: work,
      params,
      today: opts.today,
      onStage: (s) => progress.stage(s),
      onInfo: (s) => progress.note(`  ${s}`),
    };
    await createPartitionGlobals(c, partitie);
    const full = opts.stopAfter !== "staging";
    let ingest: IngestResult | undefined;
    const layerTimings: { stap: string; ms: number }[] = [];
    if (!full) ingest = await ingestExtracts(c, ingestOptions);
    else {
      // D1 reads polis alone, so polis is staged first; the other extracts and the quality checks
      // run beside D1's models, the two on two connections (pipeline/sql-runner.ts; with one,
      // the staging first), and the models that read those tables wait for them
      const started = await startIngest(c, ingestOptions);
      await stageExtract(c, started, "polis");
      const rest = EXTRACT_NAMES.filter((x) => x !== "polis");
      const staging: SideJob = {
        writes: [...rest.map((x) => `stg_${x}`), "rejects", "kwaliteit"],
        perform: async (conn) => {
          for (const x of rest) await stageExtract(conn, started, x);
          ingest = await finishIngest(conn, started);
        },
      };
      // With --memory-limit one statement runs at a time: two side by side would share the limit
      // (the scale-10 runs within 4 and 2 GB were measured that way, docs/performance.md)
      const more = Number(dbOptions.threads) > 1 && opts.memoryLimit === undefined ? [await instance.connect()] : [];
      try {
        for (const m of more) await applyStorageSettings(m);
        const t = await runDerivationLayers(c, params, { onFile: (f) => progress.stage(f), more, jobs: [staging] });
        layerTimings.push(...t.map((x) => ({ stap: x.file, ms: Math.round(x.ms) })));
      } finally {
        for (const m of more) m.closeSync();
      }
    }
    if (!ingest) throw new Error("interne fout: de staging is niet afgerond");
    timings.push(...ingest.timings, ...layerTimings);
    writeFileSync(join(tmp, "staging.sql"), ingest.stagingSql);

    // marts -> Parquet (pipeline/export-marts.ts)
    const names = full ? martNames() : [];
    if (names.length) mkdirSync(join(tmp, "marts"));
    const t0 = performance.now();
    const marts = await exportMarts(instance, c, names, join(tmp, "marts"), {
      threads: Number(dbOptions.threads),
      onMart: (name) => progress.stage(`parquet ${name}`),
    });
    timings.push({ stap: "marts naar parquet", ms: Math.round(performance.now() - t0) });
    // the last SET of our own was in the export: from here on no setting can change
    await lockConfiguration(c);

    // disclosure control may refuse the publication: the run then keeps its marts and analyses,
    // writes no publish/, and ends with the refusal (exit EXIT_REFUSED)
    let refused: PublicationRefused | undefined;
    if (downstream) {
      refused = await analysesInRun(downstream, instance, c, { outDir: tmp, params, voorPublicatie }, progress, timings);
    }

    const koppeling = full ? await readKoppeling(c) : null;
    const gelezen = ingest.files.reduce((s, f) => s + f.gelezen, 0);
    const geladen = ingest.files.reduce((s, f) => s + f.geladen, 0);
    const manifest: Manifest = {
      manifest_versie: 1,
      baanmonitor: { versie: baanmonitorVersion() },
      software: { duckdb: duckdbVersion, node: process.version },
      invoer: {
        map: extractsDir,
        synthetisch: ingest.synthetisch,
        bestanden: ingest.files,
        totaal: { gelezen, geladen, afgewezen: gelezen - geladen },
        afwijzingen: ingest.afwijzingen,
      },
      kwaliteit: ingest.kwaliteit,
      koppeling,
      ...(partitie ? { partitie: partInManifest(partitie) } : {}),
      parameters: params,
      publicatie: { voor_publicatie: voorPublicatie, ...(refused ? { geweigerd: refused.message } : {}) },
      mapping: mappingForManifest(mapping),
      uitvoer: { marts, analyses: downstream !== undefined },
      run: {
        start: start.toISOString(),
        einde: new Date().toISOString(),
        opties: {
          memoryLimit: opts.memoryLimit ?? null,
          tempDir: opts.tempDir ?? null,
          threads: Number(dbOptions.threads),
          skipAnalyses: !!opts.skipAnalyses,
        },
      },
      timings,
    };
    // closing checkpoints the database file
    const t2 = performance.now();
    c.closeSync();
    conn = undefined;
    instance.closeSync();
    instance = undefined;
    timings.push({ stap: "database afsluiten", ms: Math.round(performance.now() - t2) });
    rmSync(work, { recursive: true, force: true });
    // publish/run.json is the public part of the manifest
    return await completeOutput({
      tx,
      out,
      manifest,
      progress,
      refused,
      publish: downstream && (() => downstream.publish({ outDir: tmp, params, manifest, voorPublicatie })),
    });
  } catch (e) {
    throw failedOutput(e, { tx, out, progress, opts, close: () => [conn, instance] });
  }
}

/**
 * The start of an output transaction (`run`, and `merge` of a partitioned run): <out> locked,
 * leftovers repaired, a folder that is not ours refused, the marked temp folder made; its notes
 * shown; a failure of the environment as a user error.
 */
export function openOutput(
  out: string,
  marker: BeginOptions,
  progress: Progress,
  opts?: Pick<RunOptions, "memoryLimit" | "tempDir">,
): OutputTransaction {
  let tx: OutputTransaction;
  try {
    tx = beginOutput(out, marker);
  } catch (e) {
    throw environmentError(e, out, opts, true) ?? e;
  }
  for (const msg of tx.notes) progress.note(msg);
  return tx;
}

/**
 * The end of an output transaction (`run`, and `merge` of a partitioned run): the files that need
 * the manifest (unless the publication was refused), the manifest written last (it marks the
 * folder complete), the swap; a refusal is thrown after the swap, so the marts and analyses stay.
 */
export async function completeOutput(o: {
  tx: OutputTransaction;
  out: string;
  manifest: Manifest;
  progress: Progress;
  refused?: PublicationRefused;
  publish?: () => void | Promise<void>;
}): Promise<RunResult> {
  if (o.publish && !o.refused) await o.publish();
  writeManifest(o.tx.tmp, o.manifest);
  commitOutput(o.tx);
  o.progress.done(o.refused ? `marts en analyses in ${o.out}; niets gepubliceerd` : `klaar: ${o.out}`);
  if (o.refused) throw o.refused;
  return { out: o.out, manifest: o.manifest };
}

/**
 * A failure inside an output transaction: DuckDB closed (what `close` returns that is still
 * open), the temp output dropped, and the error as the user can act on it (environment,
 * confinement) or as it was.
 */
export function failedOutput(
  e: unknown,
  o: {
    tx: OutputTransaction;
    out: string;
    progress: Progress;
    opts?: Pick<RunOptions, "memoryLimit" | "tempDir">;
    close: () => (DuckDBConnection | DuckDBInstance | undefined)[];
  },
): unknown {
  try {
    for (const x of o.close()) x?.closeSync();
  } catch {
    /* already failing */
  }
  abortOutput(o.tx);
  o.progress.done();
  return environmentError(e, o.out, o.opts) ?? confinementError(e) ?? e;
}

/** D3 linkage rates from int_jobcoach_koppeling_stats (the periods level gives the headline shares). */
async function readKoppeling(c: DuckDBConnection): Promise<Koppeling> {
  const rows = await rowObjects<{ niveau: string; soort: string; koppeling: string | null; aantal: bigint | number; aandeel: number }>(
    c,
    sql`SELECT niveau, soort, koppeling, aantal, aandeel FROM int_jobcoach_koppeling_stats ORDER BY ALL`,
  );
  return koppelingFrom(rows.map((r) => ({ ...r, aantal: Number(r.aantal), aandeel: Number(r.aandeel) })));
}

/** The headline shares of the D3 linkage from its detail rows (ordered by niveau, soort, koppeling). */
export function koppelingFrom(details: Koppeling["details"]): Koppeling {
  const share = (k: string) => details.filter((r) => r.niveau === "perioden" && r.koppeling === k).reduce((s, r) => s + r.aandeel, 0);
  return {
    jobcoach_werkgever: share("werkgever"),
    jobcoach_inlener: share("inlener"),
    jobcoach_niet_gekoppeld: share("geen"),
    details,
  };
}

/**
 * The downstream analyses of `run` and `merge`, on the run's database (a second connection lets
 * two run side by side): their timings into `timings`. A refusal by disclosure control removes
 * publish/ and is returned, to be thrown once the output is in place; other errors are thrown.
 */
export async function analysesInRun(
  downstream: DownstreamPhases,
  instance: DuckDBInstance,
  conn: DuckDBConnection,
  ctx: Pick<DownstreamContext, "outDir" | "params" | "voorPublicatie">,
  progress: Progress,
  timings: { stap: string; ms: number }[],
): Promise<PublicationRefused | undefined> {
  progress.stage("analyses");
  const t1 = performance.now();
  let refused: PublicationRefused | undefined;
  try {
    const at = await downstream.analyse({ ...ctx, conn, connect: () => instance.connect(), note: (l) => progress.note(l) });
    timings.push(...(at ?? []).map((a) => ({ stap: `analyse ${a.id}`, ms: Math.round(a.ms) })));
  } catch (e) {
    if (!(e instanceof PublicationRefused)) throw e;
    refused = e;
    rmSync(join(ctx.outDir, "publish"), { recursive: true, force: true });
  }
  timings.push({ stap: "analyses", ms: Math.round(performance.now() - t1) });
  return refused;
}

/** What DuckDB's block allocator may keep for reuse in a run without `--memory-limit`. */
export const BLOCK_ALLOCATOR_MEMORY = "1GB";

/**
 * `--memory-limit` and `--temp-dir` (run, analyse), checked before anything is created or DuckDB
 * starts: the limit must be a size DuckDB reads, the spill folder usable and outside `out`.
 * Returns the absolute spill folder and the DuckDB options for the limit: DuckDB's
 * `memory_limit`, and its allocator's background thread, which hands freed memory back to the
 * system while the run goes on. Without that thread the allocator keeps freed pages, and the
 * process grew past the limit by its cache: a whole `run` at scale 10 with 4GB peaked at
 * 5.41 GiB without it, 4.25 GiB with it (docs/performance.md).
 *
 * Without a limit DuckDB's block allocator keeps up to `BLOCK_ALLOCATOR_MEMORY` of the buffer
 * manager's blocks for reuse instead of handing them back to the system after each statement:
 * the pipeline's statements each fault their working memory in anew otherwise (scale 1: 650
 * thousand page faults, 6-7 s of system time per run), and `run --skip-analyses` at scale 1 was
 * about 1 s faster with it at 0.2 GB more peak RSS (docs/performance.md, 2026-12-04). Not with a
 * limit: memory the block allocator keeps is outside what the limit counts.
 */
export function duckdbResources(
  opts: Pick<RunOptions, "memoryLimit" | "tempDir">,
  out: string,
): { spill?: string; memory: Record<string, string> } {
  if (opts.memoryLimit !== undefined && !/^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i.test(opts.memoryLimit)) {
    throw new UserError(`--memory-limit "${opts.memoryLimit}" is geen geheugengrootte (bijv. 500MB, 4GB)`);
  }
  const memory: Record<string, string> =
    opts.memoryLimit !== undefined
      ? { memory_limit: opts.memoryLimit, allocator_background_threads: "true" }
      : { block_allocator_memory: BLOCK_ALLOCATOR_MEMORY };
  return { ...(opts.tempDir !== undefined ? { spill: checkTempDir(opts.tempDir, out) } : {}), memory };
}

/**
 * Failures of the environment rather than the code (output folder not writable, disk full, DuckDB
 * memory limit too low) as a UserError that says what to change; null for anything else.
 */
export function environmentError(
  e: unknown,
  out: string,
  opts?: Pick<RunOptions, "memoryLimit" | "tempDir">,
  /** while creating the output folder: a missing path is the user's too */
  setup = false,
): UserError | null {
  if (!(e instanceof Error) || e instanceof UserError) return null;
  const code = (e as NodeJS.ErrnoException).code;
  const first = e.message.split("\n")[0];
  if (code === "ENOSPC" || /No space left on device/i.test(e.message)) {
    return new UserError(
      `schijf vol bij het schrijven van ${out} of de DuckDB-tijdmap${opts?.tempDir ? ` (${opts.tempDir})` : ""}; maak ruimte of kies een andere --out / --temp-dir (${first})`,
    );
  }
  const path = (e as NodeJS.ErrnoException).path;
  const inOut = setup || (typeof path === "string" && path.startsWith(out));
  if (code && inOut && ["ENOTDIR", "EACCES", "EPERM", "EROFS", "EEXIST", ...(setup ? ["ENOENT"] : [])].includes(code)) {
    return new UserError(`uitvoermap ${out} kan niet worden aangemaakt of beschreven (${first}); kies een andere --out`);
  }
  // anywhere in the message: an analysis prefixes its id ("analyse jobcoach_indices: Out of Memory Error: …")
  if (/\bOut of Memory Error\b/.test(e.message)) {
    return new UserError(
      `DuckDB heeft te weinig geheugen${opts?.memoryLimit ? ` (--memory-limit ${opts.memoryLimit})` : ""}: verhoog --memory-limit of geef met --temp-dir een map met ruimte om naar uit te wijken (${first})`,
    );
  }
  return null;
}
