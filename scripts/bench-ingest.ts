/**
 * Ingest benchmark: DuckDB reading the four canonical extracts with count(*) only, versus
 * ingest + staging, versus the whole run (without analyses). Medians of N runs.
 *   npx tsx scripts/bench-ingest.ts <extracts-dir> [runs=3] [--mapping file] [--staging-only]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { CANONICAL_MAPPING_FILE, loadMappingFile } from "../pipeline/ingest/mapping.ts";
import { resolveFiles } from "../pipeline/ingest/read.ts";
import { run, sql } from "../core/sql.ts";
import { EXTRACT_NAMES } from "../pipeline/contract.ts";
import { runPipeline } from "../pipeline/run.ts";

const args = process.argv.slice(2);
const dir = resolve(args[0]);
const runs = Number(args[1] ?? 3);
const mi = args.indexOf("--mapping");
const mapping = loadMappingFile(mi >= 0 ? resolve(args[mi + 1]) : CANONICAL_MAPPING_FILE);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const full = !args.includes("--staging-only");

async function plainRead(): Promise<number> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const t0 = performance.now();
  for (const x of EXTRACT_NAMES) {
    const m = mapping.extracts[x];
    for (const f of resolveFiles(dir, x, m)) {
      await run(c, sql`SELECT count(*) FROM read_csv(${f}, delim = ${m.scheidingsteken}, header = true, all_varchar = true)`);
    }
  }
  const ms = performance.now() - t0;
  c.closeSync();
  db.closeSync();
  return ms;
}

// wall time is noisy on a shared 2-core machine; CPU time (this process, all DuckDB threads) is reported too
const res: Record<string, number[]> = { read: [], staging: [], run: [], readCpu: [], stagingCpu: [], runCpu: [] };
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (let i = 0; i < runs; i++) {
  let c0 = cpu();
  res.read.push(await plainRead());
  res.readCpu.push(cpu() - c0);
  for (const stop of ["staging", "run"] as const) {
    if (stop === "run" && !full) continue;
    const out = join(mkdtempSync(join(tmpdir(), "bm-bench-")), "out");
    const t0 = performance.now();
    c0 = cpu();
    await runPipeline({
      extracts: dir,
      out,
      mapping,
      skipAnalyses: true,
      progress: false,
      stopAfter: stop === "staging" ? "staging" : undefined,
    });
    res[stop].push(performance.now() - t0);
    res[`${stop}Cpu`].push(cpu() - c0);
    rmSync(join(out, ".."), { recursive: true, force: true });
  }
  console.error(`run ${i + 1}: ${JSON.stringify(Object.fromEntries(Object.entries(res).map(([k, v]) => [k, Math.round(v[i] ?? 0)])))}`);
}
const r = Object.fromEntries(Object.entries(res).map(([k, v]) => [k, Math.round(median(v))]));
console.log(
  JSON.stringify(
    {
      runs,
      median: r,
      ratio: { staging: +(r.staging / r.read).toFixed(2), run: +(r.run / r.read).toFixed(2) },
      ratioCpu: { staging: +(r.stagingCpu / r.readCpu).toFixed(2), run: +(r.runCpu / r.readCpu).toFixed(2) },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    null,
    1,
  ),
);
