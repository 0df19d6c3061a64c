/**
 * Generated worlds shared by the e2e tier (vitest globalSetup), generated once per run, side by
 * side, and read-only for the tests (a test that changes extracts copies them first):
 * - `inject("world")`: the canonical synthetic world at scale 0.01, seed 3, with its ground truth;
 * - `inject("smallWorld")`: scale 0.002, seed 5, the small world of the robustness tests (kills,
 *   locks, faults), which each generated it before;
 * - `inject("smallRun")`: a complete `run` of the small world (run date 2026-01-01), the starting
 *   point of the tests that change, kill or compare an existing output: they copy it (each made
 *   its own before, the same run three times per `npm test`).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { runAll } from "../../cli/commands/run.ts";
import { TODAY } from "../robustness/helpers.ts";

export const WORLD = { scale: "0.01", seed: "3" } as const;
export const SMALL_WORLD = { scale: "0.002", seed: "5" } as const;

declare module "vitest" {
  export interface ProvidedContext {
    /** folder with extracts/, truth/ and generator.json of the shared world */
    world: string;
    /** the same for the small world (scale 0.002, seed 5) */
    smallWorld: string;
    /** output folder of a complete run of the small world; read only: copy it */
    smallRun: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const bin = resolve(import.meta.dirname, "..", "..", "bin", "baanmonitor.mjs");
  const dirs: string[] = [];
  const generate = async (w: { scale: string; seed: string }) => {
    const dir = mkdtempSync(join(tmpdir(), "bm-world-"));
    dirs.push(dir);
    await promisify(execFile)(process.execPath, [bin, "generate", "--scale", w.scale, "--seed", w.seed, "--out", dir]);
    return dir;
  };
  const run = async (extracts: string) => {
    const out = join(mkdtempSync(join(tmpdir(), "bm-run-")), "out");
    dirs.push(dirname(out));
    await runAll({ extracts, out, progress: false, today: TODAY });
    return out;
  };
  const [world, [small, smallRun]] = await Promise.all([
    generate(WORLD),
    generate(SMALL_WORLD).then(async (dir) => [dir, await run(join(dir, "extracts"))] as const),
  ]);
  project.provide("world", world);
  project.provide("smallWorld", small);
  project.provide("smallRun", smallRun);
  return () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
}
