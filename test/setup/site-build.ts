/**
 * One site build per browser-tier run (vitest globalSetup): the published set FROM built into
 * dist-test/ (not dist/: that is the dashboard of `npm start`), shared by site.test.ts (serves it), safety.test.ts (scans it) and build.test.ts (compares
 * it with a second build of its own). The build starts here and runs in the background while the
 * first test files run; `sharedSite()` (test/browser/harness.ts) waits for it. Its outcome goes to
 * `<siteBuild>/klaar.json`: { seconds, reused } or { fout }.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildSite, DIST } from "../browser/site-build.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** folder whose klaar.json reports the shared site build of this run (test/setup/site-build.ts) */
    siteBuild: string;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  const state = mkdtempSync(join(tmpdir(), "bm-site-"));
  project.provide("siteBuild", state);
  const reused = process.env.BAANMONITOR_TEST_NOBUILD === "1" && existsSync(join(DIST, "index.html"));
  const report = (r: object) => writeFileSync(join(state, "klaar.json"), JSON.stringify(r));
  const building = buildSite().then(
    (seconds) => report({ seconds, reused }),
    (e: Error) => report({ fout: e.message }),
  );
  return async () => {
    await building;
    rmSync(state, { recursive: true, force: true });
  };
}
