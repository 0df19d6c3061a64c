/**
 * Generated worlds shared by the e2e tier (vitest globalSetup), generated once per run, side by
 * side, and read-only for the tests (a test that changes extracts copies them first):
 * - `inject("world")`: the canonical synthetic world at scale 0.01, seed 3, with its ground truth;
 * - `inject("smallWorld")`: scale 0.002, seed 5, the small world of the robustness tests (kills,
 *   locks, faults), which each generated it before.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

export const WORLD = { scale: "0.01", seed: "3" } as const;
export const SMALL_WORLD = { scale: "0.002", seed: "5" } as const;

declare module "vitest" {
  export interface ProvidedContext {
    /** folder with extracts/, truth/ and generator.json of the shared world */
    world: string;
    /** the same for the small world (scale 0.002, seed 5) */
    smallWorld: string;
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
  const [world, small] = await Promise.all([generate(WORLD), generate(SMALL_WORLD)]);
  project.provide("world", world);
  project.provide("smallWorld", small);
  return () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
}
