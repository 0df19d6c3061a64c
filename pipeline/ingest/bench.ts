/**
 * Ingest benchmark: DuckDB reading the four canonical extracts with count(*) only, versus
 * ingest + staging, versus the whole run (without analyses). Medians of N runs.
 *   npx tsx pipeline/ingest/bench.ts <extracts-dir> [runs=3] [--mapping file]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { CANONICAL_MAPPING_FILE, loadMappingFile } from "./mapping.ts";
import { resolveFiles } from "./read.ts";
import { EXTRACT_NAMES } from "../contract.ts";
import { runPipeline } from "../run.ts";

const args = process.argv.slice(2);
const dir = resolve(args[0]);
const runs = Number(args[1] ?? 3);
const mi = args.indexOf("--mapping");
const mapping = loadMappingFile(mi >= 0 ? resolve(args[mi + 1]) : CANONICAL_MAPPING_FILE);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function plainRead(): Promise<number> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const t0 = performance.now();
  for (const x of EXTRACT_NAMES) {
    const m = mapping.extracts[x];
    for (const f of resolveFiles(dir, x, m)) {
      await c.run(`SELECT count(*) FROM read_csv('${f}', delim='${m.scheidingsteken}', header=true, all_varchar=true)`);
    }
  }
  const ms = performance.now() - t0;
  c.closeSync();
  db.closeSync();
  return ms;
}

const res: Record<string, number[]> = { read: [], staging: [], run: [], rssRun: [] };
for (let i = 0; i < runs; i++) {
  res.read.push(await plainRead());
  for (const stop of ["staging", "all"] as const) {
    const out = join(mkdtempSync(join(tmpdir(), "bm-bench-")), "out");
    const t0 = performance.now();
    await runPipeline({ extracts: dir, out, mapping, skipAnalyses: true, progress: false, stopAfter: stop === "staging" ? "staging" : undefined });
    res[stop === "staging" ? "staging" : "run"].push(performance.now() - t0);
    rmSync(join(out, ".."), { recursive: true, force: true });
  }
  res.rssRun.push(process.resourceUsage().maxRSS / 1024);
}
const r = Object.fromEntries(Object.entries(res).map(([k, v]) => [k, Math.round(median(v))]));
console.log(JSON.stringify({ runs, all: res, median: r, ratioStaging: +(r.staging / r.read).toFixed(2), ratioRun: +(r.run / r.read).toFixed(2) }, null, 1));
