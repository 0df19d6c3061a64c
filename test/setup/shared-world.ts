/**
 * One generated world per e2e run (vitest globalSetup): the canonical synthetic world at scale
 * 0.01, seed 3, with its ground truth, generated once and shared read-only by the tests that
 * need that world (`inject("world")`). A test that changes extracts copies them first.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

export const WORLD = { scale: "0.01", seed: "3" } as const;

declare module "vitest" {
  export interface ProvidedContext {
    /** folder with extracts/, truth/ and generator.json of the shared world */
    world: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "bm-world-"));
  const bin = resolve(import.meta.dirname, "..", "..", "bin", "baanmonitor.mjs");
  execFileSync(process.execPath, [bin, "generate", "--scale", WORLD.scale, "--seed", WORLD.seed, "--out", dir], { stdio: "pipe" });
  project.provide("world", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
