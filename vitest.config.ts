import { defineConfig } from "vitest/config";
import { BATCH_V8_FLAGS } from "./bin/v8-flags.mjs";
import LongestFirst from "./test/setup/sequencer.ts";

/**
 * Three tiers (README "Tests"):
 * - unit: everything that runs on fixtures, hand-made tables or tiny worlds (the default for a new test file);
 * - e2e: the pipeline end to end on generated worlds, robustness (corruption, kills, locks), ground truth;
 * - browser: the built site in headless Chromium.
 * `npm test` runs all three; `npm run test:unit` / `test:e2e` / `test:browser` one of them.
 */
const E2E = [
  "test/e2e/**/*.test.ts",
  "test/robustness/**/*.test.ts",
  "test/analyses/integration.test.ts",
  "test/analyses/determinism.test.ts",
  "test/analyses/publication.test.ts",
  "test/derivations/ground-truth.test.ts",
  "test/ingest/cli.test.ts",
  "test/ingest/atomic.test.ts",
  "test/ingest/generator.test.ts",
  "test/ingest/synthetic-marker.test.ts",
  // run the real pipeline or spawn the CLI several times
  "test/ingest/files.test.ts",
  "test/ingest/errors.test.ts",
  "test/analyses/injection.test.ts",
  "test/unit/confine.test.ts",
  "test/derivations/d1_d2.test.ts",
  "test/derivations/d3_d6_d7.test.ts",
  "test/generator/command.test.ts",
  "test/generator/determinism.test.ts",
  "test/generator/effect.test.ts",
];
const BROWSER = ["test/browser/**/*.test.ts"];
/** e2e files that mock a module (vi.mock): each in a fresh process of its own */
const E2E_ISOLATED = ["test/unit/confine.test.ts", "test/ingest/atomic.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: "forks",
    // every file's temporary folders are removed when it ends (test/helpers/temp.ts)
    setupFiles: ["test/setup/temp-cleanup.ts"],
    // both cores (the default leaves one free)
    maxWorkers: 2,
    // the longest files first, across the tiers (test/setup/sequencer.ts)
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        // worker threads start faster than forks, and without isolation a worker imports the
        // pipeline, DuckDB and d3 once instead of once per file (the per-file cost dominates this
        // tier: 61 -> 37 CPU s). No unit test mocks a module or changes process state; a test
        // that needs to (vi.mock) belongs in E2E_ISOLATED.
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...E2E, ...BROWSER],
          pool: "threads",
          isolate: false,
          // one generated world for the generator tests (test/setup/unit-world.ts)
          globalSetup: ["test/setup/unit-world.ts"],
        },
      },
      // the e2e tier generates one shared world (test/setup/shared-world.ts)
      // whole pipeline runs (kills, races) with the whole-publication check in every run: 5 minutes a test
      {
        extends: true,
        test: {
          name: "e2e",
          execArgv: BATCH_V8_FLAGS,
          include: E2E,
          exclude: E2E_ISOLATED,
          // a fork runs file after file, importing DuckDB, zod and the pipeline once (each file
          // cleans up its own folders and restores what it changes of the process)
          isolate: false,
          globalSetup: ["test/setup/shared-world.ts"],
          testTimeout: 300_000,
        },
      },
      { extends: true, test: { name: "e2e-isolated", execArgv: BATCH_V8_FLAGS, include: E2E_ISOLATED, testTimeout: 300_000 } },
      {
        extends: true,
        // one site build per run, shared by the browser files (test/setup/site-build.ts)
        // and, as the e2e tier, file after file in one fork (no browser test mocks a module)
        test: {
          name: "browser",
          include: BROWSER,
          isolate: false,
          globalSetup: ["test/setup/require-chromium.ts", "test/setup/site-build.ts"],
        },
      },
    ],
  },
});
