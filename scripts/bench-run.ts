/**
 * Run-time benchmark of `baanmonitor run` against DuckDB just reading the extracts.
 * Medians of N runs of
 *   (a) count(*) over each of the four canonical extracts (one DuckDB instance, a child process),
 *   (a') a second reference: DuckDB loading the four extracts into tables of a new database file
 *        (read_csv with its own type detection, CREATE TABLE AS), i.e. the least any pipeline
 *        that keeps typed staging tables has to do,
 *   (b) the full `run`, and
 *   (c) `run --skip-analyses`,
 * each in its own child process under /usr/bin/time -v (wall time and peak RSS of the process).
 * Prints the medians, the ratios run / read and the peak RSS, plus the median per-step timings
 * of the run manifests (slowest first).
 *
 *   npx tsx scripts/bench-run.ts [--extracts /tmp/s1/extracts] [--runs 3] [--root <repo>[,<repo>...]] [--no-full] [--no-skip]
 *   npx tsx scripts/bench-run.ts --scale 10 [--cache /tmp/bm-bench] [--runs 1]
 *
 * `--root` benchmarks other checkouts (e.g. a copy of the previous commit); with several roots
 * the rounds interleave them (read, root 1, root 2, ...) so load from other jobs hits each alike.
 * `--scale N` (N > 1) is the memory benchmark (scripts/bench-scale.ts): it generates the worlds of
 * scale 1 and N once under `--cache` (seed 1, reused by later calls) and runs the full `run` at
 * scale 1 and at scale N without a limit, with `--memory-limit 4GB`, and with `--memory-limit 2GB
 * --temp-dir`, then checks that the three scale-N runs wrote identical files.
 * Timings are noisy on a shared 2-core machine: compare ratios measured in one session; CPU
 * seconds (user + system) are printed too.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "../core/sql.ts";
import { scaleBenchmark } from "./bench-scale.ts";
import { EXTRACTS, childScript, loadScript, median, timed } from "./bench-timing.ts";

const args = process.argv.slice(2);
const opt = (k: string, d: string) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : d;
};
if (args.includes("--scale") && Number(opt("--scale", "1")) !== 1) {
  await scaleBenchmark({
    scale: Number(opt("--scale", "10")),
    cache: resolve(opt("--cache", "/tmp/bm-bench")),
    runs: Number(opt("--runs", "1")),
  });
  process.exit(0);
}
const extracts = resolve(opt("--extracts", "/tmp/s1/extracts"));
const runs = Number(opt("--runs", "3"));
const roots = opt("--root", process.cwd())
  .split(",")
  .map((r) => resolve(r));
const variants = [...(args.includes("--no-full") ? [] : ["run"]), ...(args.includes("--no-skip") ? [] : ["run --skip-analyses"])];
if (!existsSync(join(extracts, "polis.csv"))) {
  console.error(`${extracts}/polis.csv ontbreekt; maak het met: node bin/baanmonitor.mjs generate --scale 1 --seed 1 --out /tmp/s1`);
  process.exit(2);
}

// (a) DuckDB reading the four CSVs (canonical dialect), count(*) each, in one instance
const countScript = childScript(
  ":memory:",
  EXTRACTS.map((x) => sql`SELECT count(*) FROM read_csv(${join(extracts, `${x}.csv`)}, header = true, all_varchar = true)`.text),
);

const res: Record<string, { s: number[]; cpu: number[]; rss: number[]; steps: Record<string, number[]> }> = {};
const add = (k: string, r: { s: number; cpu: number; rssMb: number }, steps?: { stap: string; ms: number }[]) => {
  res[k] ??= { s: [], cpu: [], rss: [], steps: {} };
  res[k].s.push(r.s);
  res[k].cpu.push(r.cpu);
  res[k].rss.push(r.rssMb);
  for (const st of steps ?? []) (res[k].steps[st.stap] ??= []).push(st.ms);
};

for (let i = 0; i < runs; i++) {
  // the script runs with cwd = root so @duckdb/node-api resolves from that checkout
  add("read", timed(["node", "--input-type=module", "-e", countScript], roots[0]));
  const loadDir = mkdtempSync(join(tmpdir(), "bm-bench-load-"));
  try {
    add("load", timed(["node", "--input-type=module", "-e", loadScript(extracts, join(loadDir, "load.duckdb"))], roots[0]));
  } finally {
    rmSync(loadDir, { recursive: true, force: true });
  }
  for (const root of roots)
    for (const v of variants) {
      const key = roots.length > 1 ? `${v} @${root}` : v;
      const dir = mkdtempSync(join(tmpdir(), "bm-bench-run-"));
      const out = join(dir, "out");
      try {
        const r = timed(["node", "bin/baanmonitor.mjs", ...v.split(" "), "--extracts", extracts, "--out", out], root);
        const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
        add(key, r, manifest.timings);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  console.error(
    `ronde ${i + 1}/${runs}: ` +
      Object.entries(res)
        .map(([k, v]) => `${k} ${v.s[i].toFixed(2)} s`)
        .join(", "),
  );
}

const read = median(res.read.s);
const readCpu = median(res.read.cpu);
console.log(`baanmonitor run-benchmark: ${extracts}, ${runs} runs, ${roots.map((r) => `${r} (${gitHead(r)})`).join(", ")}`);
for (const [k, v] of Object.entries(res)) {
  const m = median(v.s);
  console.log(
    `${k.padEnd(roots.length > 1 ? 40 : 22)} median ${m.toFixed(2).padStart(6)} s  (${v.s.map((x) => x.toFixed(2)).join(", ")})` +
      (k === "read" ? "" : `  ratio ${(m / read).toFixed(1)}×`) +
      `  cpu ${median(v.cpu).toFixed(1)} s` +
      (k === "read" ? "" : ` (ratio ${(median(v.cpu) / readCpu).toFixed(1)}×)`) +
      `  peak RSS ${Math.max(...v.rss).toFixed(0)} MB`,
  );
}
const load = median(res.load.s);
console.log(
  `ratios to the load of the extracts: ` +
    Object.entries(res)
      .filter(([k]) => k !== "read" && k !== "load")
      .map(([k, v]) => `${k} ${(median(v.s) / load).toFixed(1)}×`)
      .join(", "),
);
for (const v of Object.keys(res).filter((k) => k !== "read" && k !== "load")) {
  const steps = Object.entries(res[v].steps)
    .map(([stap, ms]) => [stap, median(ms)] as const)
    .sort((a, b) => b[1] - a[1]);
  console.log(`\n${v}: median per step (ms), slowest first`);
  for (const [stap, ms] of steps.slice(0, 25)) console.log(`  ${String(Math.round(ms)).padStart(7)}  ${stap}`);
}

function gitHead(root: string): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "?";
  }
}
