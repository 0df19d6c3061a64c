// Browser-test harness: the site built once per test run (test/setup/site-build.ts), served from
// the test build on localhost by `baanmonitor serve`'s plain static server (no rewrites: "/x" is not
// "/x.html", so a link without .html fails here as it would on python3 -m http.server), and
// Debian's Chromium driven through
// playwright-core. Requests to any other host are blocked and recorded (the site must be fully
// self-contained).
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { inject } from "vitest";
import { DIST, REPO, type SharedBuild } from "./site-build.ts";
import { startServer } from "../../cli/commands/serve.ts";
import { tempDir } from "../helpers/temp.ts";

export { buildSite, DIST, FROM, OFFLINE, REPO } from "./site-build.ts";

export const ARTIFACTS = join(REPO, "test/artifacts");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const PAGES = [
  { path: "/", naam: "overzicht" },
  { path: "/baaneindes.html", naam: "baaneindes" },
  { path: "/werk-naar-werk.html", naam: "werk-naar-werk" },
  { path: "/vergelijking.html", naam: "vergelijking" },
  { path: "/reintegratie.html", naam: "reintegratie" },
  { path: "/jobcoachtrajecten.html", naam: "jobcoachtrajecten" },
  { path: "/maandmonitor.html", naam: "maandmonitor" },
  { path: "/methode.html", naam: "methode" },
] as const;

/** the widths every page is tested at: a phone (390 px, an iPhone 12–15) and a laptop */
export const WIDTHS = [390, 1280] as const;

/**
 * The site of this test run: built once from FROM into DIST (dist-test/) by the browser tier's globalSetup
 * (test/setup/site-build.ts), in the background while the first test files run; this waits for
 * that build and throws with its output when it failed. `reused`: BAANMONITOR_TEST_NOBUILD=1 kept
 * an existing test build (which may come from another published set).
 */
export async function sharedSite(): Promise<{ dir: string } & SharedBuild> {
  const done = join(inject("siteBuild"), "klaar.json");
  const t0 = Date.now();
  while (!existsSync(done)) {
    if (Date.now() - t0 > 900_000) throw new Error("de gedeelde site-build is na 15 minuten niet klaar");
    await new Promise((ok) => setTimeout(ok, 100));
  }
  const r = JSON.parse(readFileSync(done, "utf8")) as SharedBuild & { fout?: string };
  if (r.fout) throw new Error(r.fout);
  return { dir: DIST, seconds: r.seconds, reused: r.reused };
}

/** `baanmonitor serve`'s static server on a free port of 127.0.0.1; returns its base URL (without the trailing /) */
export async function serve(dir = DIST): Promise<{ url: string; dir: string; close: () => Promise<void> }> {
  const server = await startServer(dir, 0);
  return { url: server.url.replace(/\/$/, ""), dir, close: server.close };
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface Browser {
  context: BrowserContext;
  blocked: string[];
  close: () => Promise<void>;
}

/** fresh Chromium with a throw-away profile; every request to a non-local host is aborted and recorded */
export async function launch(): Promise<Browser> {
  const profile = tempDir("bm-chromium-");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    locale: "nl-NL",
    timezoneId: "Europe/Amsterdam",
    viewport: { width: 1280, height: 900 },
  });
  const blocked: string[] = [];
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    // file: only for the test of a page opened from disk (site.test.ts)
    if (u.hostname === "127.0.0.1" || u.protocol === "blob:" || u.protocol === "data:" || u.protocol === "file:") return route.continue();
    blocked.push(u.href);
    return route.abort();
  });
  return {
    context,
    blocked,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
