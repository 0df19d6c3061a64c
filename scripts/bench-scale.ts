/**
 * The memory benchmark of `baanmonitor run` (docs/performance.md, "Scale 10"), called by
 * `npx tsx scripts/bench-run.ts --scale 10 [--cache /tmp/bm-bench] [--runs 1]`.
 *
 * Generates the worlds of scale 1 and scale N (seed 1) once under `--cache` and reuses them.
 * Per round, each a child process under /usr/bin/time -v: DuckDB's own load of the scale-N
 * extracts, the full `run` at scale 1, then the full `run` at scale N without a memory limit,
 * with `--memory-limit 4GB`, and with `--memory-limit 2GB --temp-dir <folder>`. Prints wall time,
 * CPU, peak RSS (the whole process: DuckDB and Node's heap), the ratios (scale N to scale 1,
 * limited to unlimited) and the slowest steps, then checks with scripts/compare-runs.mjs that the
 * three scale-N runs wrote byte-identical marts, analyses and publish files.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadScript, median, timed, type Timed } from "./bench-timing.ts";

interface Options {
  scale: number;
  cache: string;
  runs: number;
}

/** The world of this scale (seed 1) under the cache folder, generated when missing. */
function world(cache: string, scale: number): string {
  const dir = join(cache, `scale-${scale}-seed-1`);
  const extracts = join(dir, "extracts");
  if (!existsSync(join(extracts, "polis.csv"))) {
    console.error(`wereld schaal ${scale} genereren in ${dir} (eenmalig)…`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    const t = timed(["node", "bin/baanmonitor.mjs", "generate", "--scale", String(scale), "--seed", "1", "--out", dir], process.cwd());
    console.error(`  gegenereerd in ${t.s.toFixed(0)} s`);
  }
  return extracts;
}

const gb = (mb: number) => `${(mb / 1024).toFixed(2)} GB`;

export async function scaleBenchmark(o: Options): Promise<void> {
  const small = world(o.cache, 1);
  const big = world(o.cache, o.scale);
  const work = mkdtempSync(join(o.cache, "runs-"));
  const variants: { key: string; extracts: string; extra: string[] }[] = [
    { key: "run, schaal 1", extracts: small, extra: [] },
    { key: `run, schaal ${o.scale}`, extracts: big, extra: [] },
    { key: `run, schaal ${o.scale}, --memory-limit 4GB`, extracts: big, extra: ["--memory-limit", "4GB"] },
    {
      key: `run, schaal ${o.scale}, --memory-limit 2GB --temp-dir`,
      extracts: big,
      extra: ["--memory-limit", "2GB", "--temp-dir", join(work, "spill")],
    },
  ];
  const res = new Map<string, { t: Timed[]; steps: Record<string, number[]>; out: string }>();
  const loads: Timed[] = [];
  const failed = new Map<string, string>();
  try {
    for (let i = 0; i < o.runs; i++) {
      const loadDir = mkdtempSync(join(work, "load-"));
      loads.push(timed(["node", "--input-type=module", "-e", loadScript(big, join(loadDir, "load.duckdb"))], process.cwd()));
      rmSync(loadDir, { recursive: true, force: true });
      console.error(`ronde ${i + 1}: DuckDB laadt schaal ${o.scale} in ${loads.at(-1)!.s.toFixed(1)} s`);
      for (const [j, v] of variants.entries()) {
        const out = join(work, `out-${j}`);
        rmSync(out, { recursive: true, force: true });
        if (v.extra.includes("--temp-dir")) mkdirSync(join(work, "spill"), { recursive: true });
        let t: Timed;
        try {
          t = timed(["node", "bin/baanmonitor.mjs", "run", "--extracts", v.extracts, "--out", out, ...v.extra], process.cwd());
        } catch (e) {
          // a run that fails (e.g. out of memory under a limit) is a finding: report it, go on
          failed.set(v.key, (e as Error).message.split("\n").filter((l) => /fout|Error/.test(l))[0] ?? (e as Error).message.slice(0, 300));
          console.error(`  ${v.key}: MISLUKT: ${failed.get(v.key)}`);
          continue;
        }
        const r = res.get(v.key) ?? { t: [], steps: {}, out };
        r.t.push(t);
        for (const st of JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).timings as { stap: string; ms: number }[])
          (r.steps[st.stap] ??= []).push(st.ms);
        res.set(v.key, r);
        console.error(`  ${v.key}: ${t.s.toFixed(1)} s, piek RSS ${gb(t.rssMb)}`);
      }
    }
    const load = median(loads.map((t) => t.s));
    const wall = (k: string) => median(res.get(k)!.t.map((t) => t.s));
    const base = res.has(variants[1]!.key) ? wall(variants[1]!.key) : NaN;
    console.log(`baanmonitor schaal-benchmark: schaal ${o.scale} tegen schaal 1, ${o.runs} ronde(n), werelden in ${o.cache}`);
    console.log(`DuckDB laadt de extracten van schaal ${o.scale}: mediaan ${load.toFixed(1)} s`);
    for (const v of variants) {
      const r = res.get(v.key);
      if (!r) {
        console.log(`${v.key.padEnd(48)} mislukt: ${failed.get(v.key)}`);
        continue;
      }
      const m = wall(v.key);
      const extra =
        v.extracts === small
          ? ""
          : `  × schaal 1 ${(m / wall(variants[0]!.key)).toFixed(1)}  × load ${(m / load).toFixed(1)}` +
            (v.extra.length ? `  × zonder grens ${(m / base).toFixed(2)}` : "");
      console.log(
        `${v.key.padEnd(48)} ${m.toFixed(1).padStart(7)} s  cpu ${median(r.t.map((t) => t.cpu)).toFixed(0)} s  piek RSS ${gb(Math.max(...r.t.map((t) => t.rssMb)))}${extra}`,
      );
    }
    for (const v of variants.slice(1).filter((x) => res.has(x.key))) {
      const steps = Object.entries(res.get(v.key)!.steps)
        .map(([stap, ms]) => [stap, median(ms)] as const)
        .sort((a, b) => b[1] - a[1]);
      console.log(`\n${v.key}: traagste stappen (ms)`);
      for (const [stap, ms] of steps.slice(0, 8)) console.log(`  ${String(Math.round(ms)).padStart(8)}  ${stap}`);
    }
    // the three scale-N runs must have written the same files
    let same = failed.size === 0;
    for (const v of variants.slice(2).filter((x) => res.has(x.key) && res.has(variants[1]!.key))) {
      const c = spawnSync("node", ["scripts/compare-runs.mjs", res.get(variants[1]!.key)!.out, res.get(v.key)!.out], { encoding: "utf8" });
      console.log(`\nuitvoer ${v.key} tegen zonder grens: ${c.stdout.trim()}`);
      if (c.status !== 0) same = false;
    }
    if (!same) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
