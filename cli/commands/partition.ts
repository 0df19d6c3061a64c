/**
 * `baanmonitor partition --extracts <dir> --k K --out <dir>`: split the extracts into K parts by
 * person (pipeline/partition/partition.ts). Each part is an extracts folder for an ordinary
 * `baanmonitor run --skip-analyses`; `baanmonitor merge` combines the finished runs.
 */
import { resolve } from "node:path";
import { DEFAULTS } from "../../pipeline/config.ts";
import { loadMappingFile } from "../../pipeline/ingest/mapping.ts";
import { loadRunConfig } from "../../pipeline/config-file.ts";
import { parsePartCount, partitionExtracts } from "../../pipeline/partition/partition.ts";

export interface PartitionCommandOptions {
  extracts: string;
  out: string;
  k: string;
  config?: string;
  mapping?: string;
}

export async function partitionCommand(opts: PartitionCommandOptions): Promise<void> {
  const k = parsePartCount(opts.k);
  const cfg = opts.config
    ? loadRunConfig(resolve(opts.config), { voorPublicatie: false })
    : { params: structuredClone(DEFAULTS), mapping: undefined };
  const mapping = opts.mapping ? loadMappingFile(resolve(opts.mapping)) : cfg.mapping;
  const { out, manifest } = await partitionExtracts({ extracts: opts.extracts, out: opts.out, k, mapping, params: cfg.params });
  const delen = manifest.delen.map((d) => `${out}/${d.extracts}`);
  process.stdout.write(
    `baanmonitor: ${k} delen in ${out}; draai per deel: baanmonitor run --skip-analyses --extracts <deel> --out <uitvoer>, met <deel> één van:\n${delen.map((d) => `  ${d}\n`).join("")}` +
      `en voeg samen met: baanmonitor merge --parts <uitvoer 1> … <uitvoer ${k}> --out <map>\n`,
  );
}
