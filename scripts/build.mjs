#!/usr/bin/env node
// The main job on the synthetic default: generate the synthetic extracts, run the pipeline
// (marts, analyses, published set) and build the dashboard to dist/.
//   node scripts/build.mjs [--scale 0.1] [--seed 1] [--work data/generated]
//   node scripts/build.mjs --from <out>     only build the site from an existing run
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { join } from "node:path";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: process.env.BAANMONITOR_SCALE ?? "1" },
    seed: { type: "string", default: "1" },
    work: { type: "string", default: "data/generated" },
    from: { type: "string" },
  },
});

function step(label, cmd, args) {
  const t0 = Date.now();
  console.log(`▶ ${label}`);
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`✗ ${label} mislukt (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  console.log(`✓ ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

const cli = "bin/baanmonitor.mjs";
let out = values.from;
if (!out) {
  const world = join(values.work, `scale-${values.scale}-seed-${values.seed}`);
  out = join(world, "out");
  step("synthetische extracten genereren", process.execPath, [
    cli,
    "generate",
    "--scale",
    values.scale,
    "--seed",
    values.seed,
    "--out",
    world,
  ]);
  step("pijplijn: extracten → marts → analyses → publicatieset", process.execPath, [
    cli,
    "run",
    "--extracts",
    join(world, "extracts"),
    "--out",
    out,
  ]);
  step("synthetisch tegen gepubliceerd (kalibratie)", process.execPath, [cli, "calibrate", "--run", out]);
}
step("dashboard bouwen (dist/)", process.execPath, ["scripts/build-site.mjs", "--from", out]);
console.log("Klaar. Bekijk het dashboard met: npm run serve (en open dan http://127.0.0.1:8080/).");
