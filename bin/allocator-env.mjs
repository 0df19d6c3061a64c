// How long DuckDB's allocator keeps freed memory for reuse, set for a baanmonitor command
// (bin/baanmonitor.mjs) before DuckDB is loaded.
//
// DuckDB allocates through its own build of jemalloc, which reads its options once, from the
// environment variable DUCKDB_JE_MALLOC_CONF, when the library loads. By default it hands freed
// pages back to the system after about a second, and the pipeline's next statement, a second
// later, faults them in again: a run at scale 1 took 610-700 thousand page faults, on these
// machines some 7 microseconds of system time each. Keeping freed pages ten seconds lets one
// statement reuse what the previous one freed. Measured on 2026-12-04 (docs/performance.md):
// `run --skip-analyses` at scale 1, with DuckDB's block allocator on (pipeline/run.ts), about
// 0.5-1 s faster.
//
// Not with --memory-limit: there the allocator's background thread returns freed pages promptly,
// which is what keeps the process within the limit (pipeline/run.ts, duckdbResources). A value the
// user set is kept; BAANMONITOR_ALLOCATOR_DEFAULTS=1 keeps DuckDB's default.
export const ALLOCATOR_CONF = "dirty_decay_ms:10000";

/**
 * The value of DUCKDB_JE_MALLOC_CONF for a command's arguments, or null to leave it as it is.
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} env
 * @returns {string | null}
 */
export function allocatorEnv(argv, env) {
  if (env.DUCKDB_JE_MALLOC_CONF !== undefined || env.BAANMONITOR_ALLOCATOR_DEFAULTS === "1") return null;
  if (argv.some((a) => a === "--memory-limit" || a.startsWith("--memory-limit="))) return null;
  return ALLOCATOR_CONF;
}
