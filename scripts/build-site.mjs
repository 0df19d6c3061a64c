#!/usr/bin/env node
// Build the static dashboard (dist/) from the published set of an existing pipeline run.
//   node scripts/build-site.mjs --from <out>      reads <out>/publish/*.json
//   node scripts/build-site.mjs --publish <dir>   reads <dir>/*.json directly
// The data loaders in dashboards/data/ read BAANMONITOR_PUBLISH; this script sets it, clears
// Framework's loader cache (otherwise a previous run's data would be reused) and runs
// `observable build` with telemetry off. Works offline: no page imports from npm:.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { from: { type: "string" }, publish: { type: "string" } } });
if (!values.from && !values.publish) {
  console.error("gebruik: node scripts/build-site.mjs --from <out>   (map van een pijplijnrun met publish/)");
  process.exit(2);
}
const publish = resolve(values.publish ?? join(values.from, "publish"));
if (!existsSync(publish) || !readdirSync(publish).some((f) => f.endsWith(".json"))) {
  console.error(`build-site: geen publicatieset gevonden in ${publish} (verwacht <out>/publish/*.json; draai eerst de pijplijn)`);
  process.exit(2);
}
// Loader outputs are cached by Framework; drop them (keep the bundled node modules in _node).
const cache = join(repo, "dashboards/.observablehq/cache");
if (existsSync(cache)) for (const f of readdirSync(cache)) if (f !== "_node") rmSync(join(cache, f), { recursive: true, force: true });
const t0 = Date.now();
const bin = join(repo, "node_modules/@observablehq/framework/dist/bin/observable.js");
const r = spawnSync(process.execPath, [bin, "build"], {
  cwd: repo,
  stdio: "inherit",
  env: { ...process.env, BAANMONITOR_PUBLISH: publish, OBSERVABLE_TELEMETRY_DISABLE: "true" },
});
if (r.status !== 0) {
  console.error(`build-site: observable build mislukt (exit ${r.status ?? r.signal})`);
  process.exit(r.status || 1);
}
console.log(`build-site: dist/ gebouwd uit ${publish} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
