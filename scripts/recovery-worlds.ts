/**
 * The worlds of the recovery test (scripts/recovery.ts) and of its decomposition
 * (scripts/recovery-decompose.ts): generated once per scale and seed into `<work>/scale-S-seed-N`,
 * run through the pipeline (--skip-analyses) once, and reused.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { generate } from "../data/generator/generate.ts";

const BIN = resolve(import.meta.dirname, "..", "bin", "baanmonitor.mjs");
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });

/**
 * The folder of one world, generated and run when missing. With `expectedDraws` the world also
 * holds truth/tegenfeitelijk_verwacht.csv (a world without it is generated again: the generator is
 * deterministic, so its extracts and the pipeline's output stay valid; the same for a world whose
 * truth predates a field the scripts read).
 */
export function recoveryWorld(work: string, scale: string, seed: number, expectedDraws = 0): string {
  const dir = join(work, `scale-${scale}-seed-${seed}`);
  const missingExpected = expectedDraws > 0 && !existsSync(join(dir, "truth", "tegenfeitelijk_verwacht.csv"));
  const effects = join(dir, "truth", "effecten.json");
  // a world from before the truth had the Cox ratio under the data's follow-up is generated again
  const outdated = existsSync(effects) && !readFileSync(effects, "utf8").includes('"marginale_cox_hazard_ratio_peildatum"');
  if (!existsSync(effects) || missingExpected || outdated) {
    if (expectedDraws > 0) generate({ scale: Number(scale), seed, out: dir, dialect: "canonical", progress: false, expectedDraws });
    else {
      const g = cli(["generate", "--scale", scale, "--seed", String(seed), "--out", dir]);
      if (g.status !== 0) throw new Error(`generate seed ${seed}: ${g.stderr}`);
    }
  }
  if (!existsSync(join(dir, "out", "marts", "baaneindes.parquet"))) {
    const r = cli(["run", "--extracts", join(dir, "extracts"), "--out", join(dir, "out"), "--skip-analyses"]);
    if (r.status !== 0) throw new Error(`run seed ${seed}: ${r.stderr}`);
  }
  return dir;
}
