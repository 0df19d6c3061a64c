/**
 * The generated world the generator tests of the unit tier share (vitest globalSetup of the unit
 * project): scale 0.01, seed 3, canonical dialect, with its ground truth, generated once per run
 * instead of once per test file. Read-only for the tests: `inject("unitWorld")` is its folder
 * (extracts/, truth/, generator.json). A test that needs other parameters or another dialect
 * generates its own (test/generator/helpers.ts). Scale 0.01 rather than 0.02 halves the generation
 * and the reading in the four files that use it; their tolerances held for seeds 1–6 at 0.01.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { generate } from "../../data/generator/generate.ts";

export const UNIT_WORLD = { scale: 0.01, seed: 3 } as const;

declare module "vitest" {
  export interface ProvidedContext {
    /** folder of the unit tier's shared world (scale 0.01, seed 3, canonical) */
    unitWorld: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "bm-unit-world-"));
  generate({ ...UNIT_WORLD, out: dir, dialect: "canonical", progress: false });
  project.provide("unitWorld", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
