// Building the site for the browser tests: scripts/build-site.mjs from a published set, one build
// at a time, offline where possible. Used by the tier's globalSetup (test/setup/site-build.ts, one
// shared build per test run) and by build.test.ts (its second build); imports nothing of vitest.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../..");
/**
 * Where the browser tests build the site: a folder of their own (git-ignored, outside the linted
 * and type-checked trees), so `npm test` never replaces the dashboard `npm start` built in dist/.
 */
export const DIST = join(REPO, "dist-test");
/** the run whose publish/ folder the site is built from: BAANMONITOR_TEST_FROM or the sample set */
export const FROM = resolve(REPO, process.env.BAANMONITOR_TEST_FROM ?? "test/fixtures/publish-sample");

/** What the shared build of a test run reports (test/setup/site-build.ts). */
export interface SharedBuild {
  /** build time in seconds (0 when reused) */
  seconds: number;
  /** BAANMONITOR_TEST_NOBUILD=1 kept an existing test build */
  reused: boolean;
}

// inside Framework's cache folder (git-ignored); build-site keeps entries starting with "_"
const LOCK = join(REPO, "dashboards/.observablehq/cache/_test-build.lock");
/** true when builds run in a network-less namespace (root with util-linux unshare) */
export const OFFLINE = process.getuid?.() === 0 && spawnSync("unshare", ["-n", "true"]).status === 0;

/**
 * Run `fn` while holding the build lock. Framework builds share one cache folder
 * (dashboards/.observablehq/cache) and the test files run in parallel, so builds go one at a
 * time. A lock older than 10 minutes is stale (crashed run) and is taken over.
 */
export async function withBuildLock<T>(fn: () => T | Promise<T>): Promise<T> {
  mkdirSync(dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 600_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        /* released meanwhile */
      }
      await new Promise((ok) => setTimeout(ok, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** run scripts/build-site.mjs (offline when possible); rejects with its output on failure */
export function runBuildSite(args: string[]): Promise<void> {
  const full = [join(REPO, "scripts/build-site.mjs"), ...args];
  // the build must work without network: where we can (root + unshare), build in a namespace
  // that has no network at all
  const p = OFFLINE ? spawn("unshare", ["-n", process.execPath, ...full], { cwd: REPO }) : spawn(process.execPath, full, { cwd: REPO });
  let output = "";
  p.stdout.on("data", (b) => (output += b));
  p.stderr.on("data", (b) => (output += b));
  return new Promise((ok, fail) => {
    p.on("error", fail);
    p.on("close", (code, signal) => (code === 0 ? ok() : fail(new Error(`build-site mislukt (exit ${code ?? signal}):\n${output}`))));
  });
}

/**
 * Build the site from FROM into `out` (default DIST, the tests' own folder); returns seconds. Skipped when
 * BAANMONITOR_TEST_NOBUILD=1 and the output exists.
 */
export async function buildSite(from = FROM, out = DIST): Promise<number> {
  if (process.env.BAANMONITOR_TEST_NOBUILD === "1" && existsSync(join(out, "index.html"))) return 0;
  return withBuildLock(async () => {
    const t0 = Date.now();
    await runBuildSite(["--from", from, "--out", out]);
    return (Date.now() - t0) / 1000;
  });
}
