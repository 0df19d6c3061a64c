/**
 * `baanmonitor analyse --out <dir> [--only ids] [--config file]`: rerun analyses on the marts of
 * an existing run and rewrite their Parquet results and published JSON (atomically, per file).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { UserError } from "../cli/errors.ts";
import { DEFAULTS, mergeParameters, type Parameters } from "../pipeline/config.ts";
import { loadRunConfig } from "../pipeline/run.ts";
import { confine, folderAccess, lockConfiguration } from "../core/confine.ts";
import { runAnalyses, type AnalysisTiming } from "./run-analyses.ts";

export interface AnalyseOptions {
  out: string;
  only?: string;
  config?: string;
  /** silence progress lines (tests) */
  quiet?: boolean;
}

/** Parameters: --config (`{ "parameters": {...} }`) if given, else those recorded in the run's manifest, else the defaults. */
export function analyseParameters(out: string, config?: string): Parameters {
  if (config) return loadRunConfig(resolve(config)).params;
  const manifest = join(out, "manifest.json");
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, "utf8")) as { parameters?: never };
    if (m.parameters) return mergeParameters(m.parameters, manifest);
  }
  return structuredClone(DEFAULTS);
}

export async function analyseCommand(opts: AnalyseOptions): Promise<void> {
  await analyse(opts);
}

/** As analyseCommand, returning the timings. */
export async function analyse(opts: AnalyseOptions): Promise<AnalysisTiming[]> {
  const out = resolve(opts.out);
  const dbPath = join(out, "baanmonitor.duckdb");
  if (!existsSync(dbPath)) throw new UserError(`geen database gevonden: ${dbPath} (voer eerst 'baanmonitor run' uit)`);
  const params = analyseParameters(out, opts.config);
  const only = opts.only ? opts.only.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
  const instance = await DuckDBInstance.create(dbPath, { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  const tty = !opts.quiet && process.stderr.isTTY;
  let timings: AnalysisTiming[];
  try {
    // DuckDB may touch only the output folder (core/confine.ts)
    await confine(conn, folderAccess(out));
    await lockConfiguration(conn);
    const t0 = performance.now();
    timings = await runAnalyses({
      conn,
      outDir: out,
      params,
      only,
      onAnalysis: (id, ms) => {
        if (tty) process.stderr.write(`  ${id.padEnd(32)} ${(ms / 1000).toFixed(1)} s\n`);
      },
    });
    if (!opts.quiet) process.stderr.write(`analyses klaar: ${timings.length} in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${join(out, "publish")}\n`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  // keep an existing calibration in step with the rewritten published set
  if (existsSync(join(out, "publish", "kalibratie.json"))) {
    const { calibrateFromRun } = await import("./calibrate-run.ts");
    await calibrateFromRun(out);
  }
  return timings;
}
