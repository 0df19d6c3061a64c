/**
 * `baanmonitor run`, the composition root of a run: the pipeline (pipeline/run.ts) builds the
 * marts, then the analyses run on them and the published set is written
 * (analyses/run-analyses.ts), all inside the pipeline's one output transaction.
 */
import { resolve } from "node:path";
import { DEFAULTS } from "../../pipeline/config.ts";
import { loadMappingFile } from "../../pipeline/ingest/mapping.ts";
import { loadRunConfig } from "../../pipeline/config-file.ts";
import { runPipeline, type DownstreamPhases, type RunOptions, type RunResult } from "../../pipeline/run.ts";
import { runAnalyses, writePublicManifest } from "../../analyses/run-analyses.ts";
import { analysisLine } from "./progress-lines.ts";

/** After the marts: the analysis catalogue, then publish/run.json (the public part of the manifest). */
export const ANALYSES_AND_PUBLISHING: DownstreamPhases = {
  analyse: ({ conn, connect, outDir, params, voorPublicatie, note }) =>
    runAnalyses({ conn, connect, outDir, params, voorPublicatie, onAnalysis: note && ((id, ms) => note(analysisLine(id, ms))) }),
  publish: ({ outDir, params, manifest, voorPublicatie }) => {
    writePublicManifest(outDir, params, manifest, voorPublicatie);
  },
};

/** A whole run: pipeline, analyses (unless `skipAnalyses`), published set. The CLI and the tests call it. */
export function runAll(opts: Omit<RunOptions, "downstream">): Promise<RunResult> {
  return runPipeline({ ...opts, downstream: ANALYSES_AND_PUBLISHING });
}

export interface RunCommandOptions {
  extracts: string;
  out: string;
  config?: string;
  mapping?: string;
  memoryLimit?: string;
  tempDir?: string;
  skipAnalyses?: boolean;
  nietVoorPublicatie?: boolean;
}

export async function runCommand(opts: RunCommandOptions): Promise<void> {
  const voorPublicatie = !opts.nietVoorPublicatie;
  const cfg = opts.config
    ? loadRunConfig(resolve(opts.config), { voorPublicatie })
    : { params: structuredClone(DEFAULTS), mapping: undefined };
  // --mapping wins over a mapping inside --config
  const mapping = opts.mapping ? loadMappingFile(resolve(opts.mapping)) : cfg.mapping;
  const { manifest, out } = await runAll({
    extracts: opts.extracts,
    out: opts.out,
    params: cfg.params,
    mapping,
    memoryLimit: opts.memoryLimit,
    tempDir: opts.tempDir,
    skipAnalyses: opts.skipAnalyses,
    voorPublicatie,
  });
  const t = manifest.invoer.totaal;
  process.stdout.write(`baanmonitor: ${t.gelezen} rijen gelezen, ${t.geladen} geladen, ${t.afgewezen} afgewezen; uitvoer in ${out}\n`);
}
