/**
 * `baanmonitor analyse --out <dir> [--only ids] [--config file]`: rerun analyses on the marts of
 * an existing run. Like `run`, it writes a complete new output and swaps it in at once
 * (pipeline/atomic-output.ts), holding the lock on `<out>`: the run's unchanged files are
 * hard-linked into the temp folder, the analyses write new analyses/ and publish/ files there,
 * the manifest records the parameters used, and a reader or a kill sees the old set or the new
 * one, never a mix.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { PublicationRefused, UserError } from "../../core/errors.ts";
import { DEFAULTS, mergeParameters, type Parameters } from "../../pipeline/config.ts";
import { duckdbResources, environmentError } from "../../pipeline/run.ts";
import { pipelineParameterPaths } from "../../pipeline/sql-runner.ts";
import { loadRunConfig } from "../../pipeline/config-file.ts";
import { abortOutput, beginOutput, commitOutput, linkTree, type OutputTransaction } from "../../pipeline/atomic-output.ts";
import { writeManifest, type Manifest } from "../../pipeline/manifest.ts";
import { combine, confine, folderAccess, lockConfiguration } from "../../core/confine.ts";
import { ANALYSES } from "../../analyses/registry.ts";
import { rulesFrom } from "../../analyses/disclosure/index.ts";
import { stableJson } from "../../analyses/lib/output.ts";
import {
  runAnalyses,
  selectAnalyses,
  writePublicManifest,
  type AnalysisContext,
  type AnalysisTiming,
} from "../../analyses/run-analyses.ts";
import { calibrateFromRun } from "../../calibration/from-run.ts";
import { Progress } from "../../core/progress.ts";
import { analysisLine } from "./progress-lines.ts";

export interface AnalyseOptions {
  out: string;
  only?: string;
  config?: string;
  /** DuckDB memory_limit, e.g. "4GB" (as for run) */
  memoryLimit?: string;
  /** DuckDB's spill folder (as for run) */
  tempDir?: string;
  /** silence progress lines (tests) */
  quiet?: boolean;
  nietVoorPublicatie?: boolean;
}

/** Parameters: --config (`{ "parameters": {...} }`) if given, else those recorded in the run's manifest, else the defaults. */
export function analyseParameters(out: string, config?: string, voorPublicatie = true): Parameters {
  if (config) return loadRunConfig(resolve(config), { voorPublicatie }).params;
  const manifest = join(out, "manifest.json");
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, "utf8")) as { parameters?: never };
    // the floor is checked when publishing (runAnalyses), with a message that names the flag
    if (m.parameters) return mergeParameters(m.parameters, manifest, { voorPublicatie: false });
  }
  return structuredClone(DEFAULTS);
}

export async function analyseCommand(opts: AnalyseOptions): Promise<void> {
  await analyse(opts);
}

/** The `parameters` envelope an analysis publishes (runOne in analyses/run-analyses.ts), as read back from JSON. */
function publishedParameters(id: string, params: Parameters): unknown {
  const m = ANALYSES.find((a) => a.id === id)!;
  return JSON.parse(stableJson({ ...(m.parameters(params) as object), disclosure: rulesFrom(params) }));
}

/** The value at a dotted path ("d1.maandenZonderLoon") of a parameter set. */
function valueAt(params: unknown, path: string): unknown {
  let v = params;
  for (const k of path.split(".")) v = (v as Record<string, unknown> | undefined)?.[k];
  return v;
}

/**
 * analyse reruns the analyses on the run's marts, so the parameters that shape the marts (those
 * the SQL layers read, e.g. d1.maandenZonderLoon) cannot change here. A config that sets one to
 * another value than the run used is refused, naming it and the command that does apply it,
 * rather than silently changing nothing; the ones it does not set keep the run's values (not the
 * defaults), so the analyses read the parameters their marts were built with.
 */
export function withRunPipelineParameters(ran: Parameters, asked: Parameters, config: string): Parameters {
  const raw = (JSON.parse(readFileSync(resolve(config), "utf8")) as { parameters?: unknown }).parameters;
  const paths = pipelineParameterPaths().filter((p) => valueAt(ran, p) !== undefined);
  const changed = paths.filter((p) => valueAt(raw, p) !== undefined && !isDeepStrictEqual(valueAt(ran, p), valueAt(raw, p)));
  if (changed.length) {
    const list = changed.map((p) => `${p} = ${JSON.stringify(valueAt(raw, p))} (de run gebruikte ${JSON.stringify(valueAt(ran, p))})`);
    throw new UserError(
      `${config} wijzigt ${changed.length === 1 ? "een parameter die" : "parameters die"} de marts bepalen: ${list.join(", ")}; ` +
        `analyse rekent op de marts van de bestaande run, dus dit kan alleen met een nieuwe run: ` +
        `baanmonitor run --extracts <map> --out <map> --config ${config}`,
    );
  }
  const out = structuredClone(asked);
  for (const p of paths) {
    const keys = p.split(".");
    const parent = valueAt(out, keys.slice(0, -1).join(".")) as Record<string, unknown>;
    parent[keys.at(-1)!] = structuredClone(valueAt(ran, p));
  }
  return out;
}

/**
 * With --only, the analyses not rerun keep their published files; refuse when one of them was
 * published with other parameters than these (the set would mix two parameter sets).
 */
function checkOnlyConsistent(out: string, selected: string[], params: Parameters): void {
  const stale: string[] = [];
  for (const m of ANALYSES) {
    if (selected.includes(m.id)) continue;
    const f = join(out, "publish", `${m.id}.json`);
    if (!existsSync(f)) continue;
    const had = (JSON.parse(readFileSync(f, "utf8")) as { parameters?: unknown }).parameters;
    if (!isDeepStrictEqual(had, publishedParameters(m.id, params))) stale.push(m.id);
  }
  if (stale.length) {
    throw new UserError(
      `--only met andere parameters dan de gepubliceerde set: ook ${stale.join(", ")} hangen af van de gewijzigde parameters; ` +
        `voeg ze toe aan --only of laat --only weg`,
    );
  }
}

/** As analyseCommand, returning the timings. */
export async function analyse(opts: AnalyseOptions): Promise<AnalysisTiming[]> {
  const start = new Date();
  const voorPublicatie = !opts.nietVoorPublicatie;
  // the config first: a bad value is reported before anything is read, locked or written
  if (opts.config) analyseParameters(opts.out, opts.config, voorPublicatie);
  const only = opts.only
    ? opts.only
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
  if (only?.length === 0)
    throw new UserError(`--only "${opts.only}" noemt geen analyse; geef ids gescheiden door komma's, of laat --only weg`);
  const selected = selectAnalyses(only).map((m) => m.id); // unknown ids: a UserError before anything happens
  const outArg = resolve(opts.out);
  // --memory-limit and --temp-dir are checked before anything is locked or written
  const { spill, memory } = duckdbResources(opts, outArg);
  let params!: Parameters;
  let previous!: Manifest;
  let tx: OutputTransaction;
  try {
    tx = beginOutput(outArg, {
      opdracht: "analyse",
      // under the lock, after recovery: <out> must be a complete run
      check: (out) => {
        const dbPath = join(out, "baanmonitor.duckdb");
        if (!existsSync(dbPath)) throw new UserError(`geen database gevonden: ${dbPath} (voer eerst 'baanmonitor run' uit)`);
        if (!existsSync(join(out, "manifest.json"))) {
          throw new UserError(`geen manifest.json in ${out}: de map is geen complete run (voer 'baanmonitor run' opnieuw uit)`);
        }
        params = analyseParameters(out, opts.config, voorPublicatie);
        previous = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as Manifest;
        if (previous.partitie) {
          throw new UserError(
            `${out} is de run op deel ${previous.partitie.deel} van ${previous.partitie.k} van een partitie: de analyses en de geheimhouding draaien één keer, na baanmonitor merge`,
          );
        }
        if (opts.config && previous.parameters) params = withRunPipelineParameters(previous.parameters, params, opts.config);
        if (only) {
          checkOnlyConsistent(out, selected, params);
          if ((previous.publicatie?.voor_publicatie ?? true) !== voorPublicatie) {
            throw new UserError(
              `--only op een set ${voorPublicatie ? "met" : "zonder"} --niet-voor-publicatie zou gemarkeerde en ongemarkeerde bestanden mengen; laat --only weg`,
            );
          }
        }
      },
    });
  } catch (e) {
    throw environmentError(e, outArg, undefined, true) ?? e;
  }
  const { out, tmp } = tx;
  const progress = new Progress(opts.quiet ? "uit" : undefined);
  for (const note of tx.notes) progress.note(note);
  const hadCalibration = existsSync(join(out, "publish", "kalibratie.json"));
  let timings: AnalysisTiming[];
  let refused: PublicationRefused | undefined;
  try {
    // the new output: the run's unchanged files as hard links; what this command rewrites is not
    // linked (so no write can reach a file the current output shares)
    const rewritten = new Set([
      "manifest.json",
      "publish/run.json",
      "publish/kalibratie.json",
      ...selected.flatMap((id) => [`analyses/${id}.parquet`, `publish/${id}.json`]),
    ]);
    // the whole published set is protected anew (analyses/disclosure/publication.ts), so no file
    // of publish/ is linked
    linkTree(out, tmp, (rel) => rewritten.has(rel) || rel.startsWith("publish/"));
    const instance = await DuckDBInstance.create(join(tmp, "baanmonitor.duckdb"), {
      access_mode: "READ_ONLY",
      ...memory,
      ...(spill ? { temp_directory: spill } : {}),
    });
    const conn = await instance.connect();
    try {
      // DuckDB may touch only the new output folder and the spill folder (core/confine.ts)
      await confine(conn, spill ? combine(folderAccess(tmp), folderAccess(spill)) : folderAccess(tmp));
      await lockConfiguration(conn);
      const t0 = performance.now();
      timings = await runAnalysesOrRefuse({
        conn,
        connect: () => instance.connect(),
        outDir: tmp,
        params,
        only,
        voorPublicatie,
        onAnalysis: (id, ms) => progress.note(analysisLine(id, ms)),
      });
      progress.note(
        `analyses klaar: ${timings.filter((t) => t.id !== "openbaarmakingscontrole").length} in ${((performance.now() - t0) / 1000).toFixed(1).replace(".", ",")} s → ${join(out, "publish")}`,
      );
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
    // the manifest records the parameters of the published set and this rerun
    const manifest = {
      ...previous,
      parameters: params,
      publicatie: { voor_publicatie: voorPublicatie, ...(refused ? { geweigerd: refused.message } : {}) },
      uitvoer: { ...previous.uitvoer, analyses: previous.uitvoer.analyses || !only },
      analyse: { start: start.toISOString(), einde: new Date().toISOString(), alleen: only ?? null },
    } as Manifest;
    if (refused) {
      // disclosure control refused the set: the marts and analyses stay, nothing is published
      rmSync(join(tmp, "publish"), { recursive: true, force: true });
      writeManifest(tmp, manifest);
      commitOutput(tx);
      throw refused;
    }
    writePublicManifest(tmp, params, manifest, voorPublicatie);
    // The manifest marks the folder complete. Calibration reads it (scale, parameters), so it is
    // written before kalibratie.json; completeness only matters to recovery, which takes a temp
    // folder only when <out> itself is missing, i.e. once the swap below has begun.
    writeManifest(tmp, manifest);
    // keep an existing calibration in step with the rewritten published set
    if (hadCalibration) await calibrateFromRun(tmp);
    commitOutput(tx);
  } catch (e) {
    if (e === refused) throw e;
    abortOutput(tx);
    throw environmentError(e, out, opts) ?? e;
  }
  return timings;

  /** runAnalyses; a refusal by disclosure control is kept for after the analyses are in place. */
  async function runAnalysesOrRefuse(ctx: AnalysisContext): Promise<AnalysisTiming[]> {
    try {
      return await runAnalyses(ctx);
    } catch (e) {
      if (!(e instanceof PublicationRefused)) throw e;
      refused = e;
      return [];
    }
  }
}
