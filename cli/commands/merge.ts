/**
 * `baanmonitor merge --parts <out1> … <outK> --out <dir>`: combine the runs on the K parts of one
 * partition (pipeline/partition/merge.ts) and run the analyses, disclosure control (once, over
 * the merged set) and publishing as `run` does after its marts.
 */
import { mergeParts } from "../../pipeline/partition/merge.ts";
import { ANALYSES_AND_PUBLISHING } from "./run.ts";

export interface MergeCommandOptions {
  parts: string[];
  out: string;
  nietVoorPublicatie?: boolean;
}

export async function mergeCommand(opts: MergeCommandOptions): Promise<void> {
  const { manifest, out } = await mergeParts({
    parts: opts.parts,
    out: opts.out,
    downstream: ANALYSES_AND_PUBLISHING,
    voorPublicatie: !opts.nietVoorPublicatie,
  });
  const t = manifest.invoer.totaal;
  process.stdout.write(
    `baanmonitor: ${opts.parts.length} delen samengevoegd: ${t.gelezen} rijen gelezen, ${t.geladen} geladen, ${t.afgewezen} afgewezen; uitvoer in ${out}\n`,
  );
}
