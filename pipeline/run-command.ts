/** `baanmonitor run`: options from the CLI -> runPipeline. */
import { resolve } from "node:path";
import { DEFAULTS } from "./config.ts";
import { loadMappingFile } from "./ingest/mapping.ts";
import { loadRunConfig } from "./config-file.ts";
import { runPipeline } from "./run.ts";

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
  const cfg = opts.config ? loadRunConfig(resolve(opts.config), { voorPublicatie }) : { params: structuredClone(DEFAULTS), mapping: undefined };
  // --mapping wins over a mapping inside --config
  const mapping = opts.mapping ? loadMappingFile(resolve(opts.mapping)) : cfg.mapping;
  const { manifest, out } = await runPipeline({
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
  process.stdout.write(
    `baanmonitor: ${t.gelezen} rijen gelezen, ${t.geladen} geladen, ${t.afgewezen} afgewezen; uitvoer in ${out}\n`,
  );
}
