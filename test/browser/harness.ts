// Browser-test harness: build the site from a published set, serve dist/ on localhost with a
// tiny static server, and drive Debian's Chromium through playwright-core. Requests to any
// other host are blocked and recorded (the site must be fully self-contained).
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const REPO = resolve(import.meta.dirname, "../..");
export const DIST = join(REPO, "dist");
export const ARTIFACTS = join(REPO, "test/artifacts");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** the run whose publish/ folder the site is built from: BAANMONITOR_TEST_FROM or the sample set */
export const FROM = resolve(REPO, process.env.BAANMONITOR_TEST_FROM ?? "test/fixtures/publish-sample");

export const PAGES = [
  { path: "/", naam: "overzicht" },
  { path: "/baaneindes", naam: "baaneindes" },
  { path: "/werk-naar-werk", naam: "werk-naar-werk" },
  { path: "/reintegratie", naam: "reintegratie" },
  { path: "/jobcoachtrajecten", naam: "jobcoachtrajecten" },
  { path: "/maandmonitor", naam: "maandmonitor" },
  { path: "/methode", naam: "methode" },
] as const;

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

/** run scripts/build-site.mjs (offline when possible); throws with its output on failure */
export function runBuildSite(args: string[]): void {
  const full = [join(REPO, "scripts/build-site.mjs"), ...args];
  // the build must work without network: where we can (root + unshare), build in a namespace
  // that has no network at all
  const r = OFFLINE
    ? spawnSync("unshare", ["-n", process.execPath, ...full], { cwd: REPO, encoding: "utf8" })
    : spawnSync(process.execPath, full, { cwd: REPO, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build-site mislukt (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/**
 * Build the site from FROM into `out` (default dist/); returns seconds. Skipped when
 * BAANMONITOR_TEST_NOBUILD=1 and the output exists.
 */
export async function buildSite(from = FROM, out = DIST): Promise<number> {
  if (process.env.BAANMONITOR_TEST_NOBUILD === "1" && existsSync(join(out, "index.html"))) return 0;
  return withBuildLock(() => {
    const t0 = Date.now();
    runBuildSite(["--from", from, "--out", out]);
    return (Date.now() - t0) / 1000;
  });
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".csv": "text/csv",
  ".txt": "text/plain",
};

/** static server for dist/: "/x" → x.html, "/" → index.html; returns base URL */
export async function serve(dir = DIST): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (p.endsWith("/")) p += "index";
    let file = normalize(join(dir, p));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (!extname(file) && existsSync(`${file}.html`)) file = `${file}.html`;
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("niet gevonden");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
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
  const profile = mkdtempSync(join(tmpdir(), "bm-chromium-"));
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
    if (u.hostname === "127.0.0.1" || u.protocol === "blob:" || u.protocol === "data:") return route.continue();
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
