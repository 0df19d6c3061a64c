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

const LOCK = join(REPO, "dashboards/.observablehq/test-build.lock");
/** true when builds run in a network-less namespace (root with util-linux unshare) */
export const OFFLINE = process.getuid?.() === 0 && spawnSync("unshare", ["-n", "true"]).status === 0;

/**
 * Build dist/ from FROM; returns seconds. Test files run in parallel: the first takes a lock
 * and builds, the others wait for it and reuse that build. Skipped when
 * BAANMONITOR_TEST_NOBUILD=1 and dist/ exists.
 */
export async function buildSite(from = FROM): Promise<number> {
  if (process.env.BAANMONITOR_TEST_NOBUILD === "1" && existsSync(join(DIST, "index.html"))) return 0;
  mkdirSync(dirname(LOCK), { recursive: true });
  try {
    mkdirSync(LOCK);
  } catch {
    const t = Date.now();
    while (existsSync(LOCK) && Date.now() - t < 300_000) await new Promise((ok) => setTimeout(ok, 250));
    return 0;
  }
  try {
    const t0 = Date.now();
    // the build must work without network: where we can (root + unshare), build in a namespace
    // that has no network at all
    const args = [join(REPO, "scripts/build-site.mjs"), "--from", from];
    const r = OFFLINE
      ? spawnSync("unshare", ["-n", process.execPath, ...args], { cwd: REPO, encoding: "utf8" })
      : spawnSync(process.execPath, args, { cwd: REPO, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`build-site mislukt (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    return (Date.now() - t0) / 1000;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2", ".csv": "text/csv", ".txt": "text/plain",
};

/** static server for dist/: "/x" → x.html, "/" → index.html; returns base URL */
export async function serve(dir = DIST): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (p.endsWith("/")) p += "index";
    let file = normalize(join(dir, p));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (!extname(file) && existsSync(`${file}.html`)) file = `${file}.html`;
    if (!existsSync(file) || !statSync(file).isFile()) { res.writeHead(404).end("niet gevonden"); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

export interface Browser { context: BrowserContext; blocked: string[]; close: () => Promise<void> }

/** fresh Chromium with a throw-away profile; every request to a non-local host is aborted and recorded */
export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "bm-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, acceptDownloads: true,
    locale: "nl-NL", timezoneId: "Europe/Amsterdam", viewport: { width: 1280, height: 900 },
  });
  const blocked: string[] = [];
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === "127.0.0.1" || u.protocol === "blob:" || u.protocol === "data:") return route.continue();
    blocked.push(u.href);
    return route.abort();
  });
  return { context, blocked, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}
