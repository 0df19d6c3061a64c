#!/usr/bin/env node
// Build the static dashboard (dist/) from the published set of an existing pipeline run.
//   node scripts/build-site.mjs --from <out>      reads <out>/publish/*.json
//   node scripts/build-site.mjs --publish <dir>   reads <dir>/*.json directly
//   --out <dir>                                   output folder (default dist/)
// The data loaders in dashboards/data/ read BAANMONITOR_PUBLISH; this script sets it, clears
// Framework's loader cache (otherwise a previous run's data would be reused) and runs
// `observable build` with telemetry off. Works offline: no page imports from npm:.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { from: { type: "string" }, publish: { type: "string" }, out: { type: "string" } } });
const dist = resolve(values.out ?? join(repo, "dist"));
if (!values.from && !values.publish) {
  console.error("gebruik: node scripts/build-site.mjs --from <out>   (map van een pijplijnrun met publish/)");
  process.exit(2);
}
const publish = resolve(values.publish ?? join(values.from, "publish"));
if (!existsSync(publish) || !readdirSync(publish).some((f) => f.endsWith(".json"))) {
  console.error(`build-site: geen publicatieset gevonden in ${publish} (verwacht <out>/publish/*.json; draai eerst de pijplijn)`);
  process.exit(2);
}
// Loader outputs are cached by Framework; drop them so this run's published set is read
// (keep Framework's own caches: _node = bundled node_modules, _npm = version pins).
const cache = join(repo, "dashboards/.observablehq/cache");
if (existsSync(cache)) for (const f of readdirSync(cache)) if (!f.startsWith("_")) rmSync(join(cache, f), { recursive: true, force: true });
// Offline: Framework's client bundle (client.js, stdlib) contains lazy `import("npm:…")` calls
// for features this site does not use (JSX, sample datasets, Leaflet, DuckDB-wasm, …). To write
// those import paths, Framework asks registry.npmjs.org for each package's latest version unless
// a version is pinned in its cache as an (empty) folder `_npm/<name>@<version>`. We pin them, so
// the build needs no network. Nothing is downloaded and none of these modules is ever loaded by
// the site (the browser tests fail on any request that does not succeed).
const installed = (name) => {
  try {
    return JSON.parse(readFileSync(join(repo, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
};
const PINS = {
  "@observablehq/plot": installed("@observablehq/plot") ?? "0.6.17",
  "@observablehq/sample-datasets": "1.0.1",
  "apache-arrow": installed("apache-arrow") ?? "21.2.0",
  arquero: "8.0.3",
  d3: installed("d3") ?? "7.9.2",
  "d3-dsv": installed("d3-dsv") ?? "3.0.2",
  echarts: "6.1.0",
  htl: installed("htl") ?? "1.0.0",
  leaflet: "1.9.4",
  lodash: "4.18.1",
  "mapbox-gl": "3.32.0",
  "parquet-wasm": "0.8.0",
  react: "19.3.1",
  "react-dom": "19.1.0",
  "topojson-client": "3.1.0",
};
for (const [name, version] of Object.entries(PINS)) {
  const dir = join(cache, "_npm", ...name.split("/").slice(0, -1));
  const pinned = existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(`${name.split("/").at(-1)}@`));
  if (!pinned) mkdirSync(join(cache, "_npm", `${name}@${version}`), { recursive: true });
}
const t0 = Date.now();
const bin = join(repo, "node_modules/@observablehq/framework/dist/bin/observable.js");
// Framework lists every file it writes (~130 lines of internal paths): keep its output, show it
// only when the build fails, and print a short summary instead.
const r = spawnSync(process.execPath, [bin, "build"], {
  cwd: repo,
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
  env: { ...process.env, BAANMONITOR_PUBLISH: publish, BAANMONITOR_DIST: dist, OBSERVABLE_TELEMETRY_DISABLE: "true", NO_COLOR: "1" },
});
if (r.status !== 0) {
  process.stderr.write(`${r.stdout ?? ""}${r.stderr ?? ""}`);
  console.error(`build-site: observable build mislukt (exit ${r.status ?? r.signal})`);
  process.exit(r.status || 1);
}
// warnings of Framework (not its file list) are worth showing
for (const line of `${r.stdout}\n${r.stderr}`.split("\n")) if (/warning|waarschuwing/i.test(line)) console.error(line.trim());
// Framework stamps each data file's cache mtime (= when the loader ran) into the pages as
// FileAttachment.lastModified. The pages do not use it; fix it to 0 so two builds of the same
// published set are byte-identical. And the pages are Dutch: <html lang="nl"> in the HTML itself
// (Framework writes a bare <html> and has no option for it). And zooming is the reader's: Framework's
// viewport meta says maximum-scale=1, which blocks pinch-zoom on a phone (WCAG 1.4.4); it goes.
for (const f of readdirSync(dist)) {
  if (!f.endsWith(".html")) continue;
  const html = readFileSync(join(dist, f), "utf8");
  const fixed = html
    .replace(/"lastModified":\d+/g, '"lastModified":0')
    .replace(/<html>/, '<html lang="nl">')
    .replace(/(<meta name="viewport" content="[^"]*?),\s*maximum-scale=1(?=[,"])/, "$1");
  if (fixed !== html) writeFileSync(join(dist, f), fixed);
}
const pages = readdirSync(dist).filter((f) => f.endsWith(".html") && f !== "404.html");
const rel = (p) => relative(process.cwd(), p) || ".";
console.log(
  `dashboard: ${pages.length} pagina's in ${rel(dist)}/, gebouwd uit ${rel(publish)}/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
);
const serveHint = resolve(dist) === join(repo, "dist") ? "npm run serve" : `npx baanmonitor serve --dir ${rel(dist)}`;
console.log(`Open het dashboard: ${serveHint} en dan het adres dat daar staat (rechtstreeks van schijf openen werkt niet).`);
