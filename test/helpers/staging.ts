/**
 * Test helper: build the staging tables (`stg_*`, contract columns and DuckDB types of
 * pipeline/contract.ts plus bron_bestand, bron_regel) from small canonical CSV fixtures, and
 * run the intermediate and marts layers on them. Missing extracts become empty tables.
 */
import { existsSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { EXTRACTS, EXTRACT_NAMES, canonicalFile } from "../../pipeline/contract.ts";
import { DEFAULTS, type Parameters } from "../../pipeline/config.ts";
import { runDerivationLayers, type StageTiming } from "../../pipeline/sql-runner.ts";
import { ingestExtracts } from "../../pipeline/ingest/index.ts";
import { writePolisDubbel } from "../../pipeline/ingest/quality.ts";
import { CANONICAL_MAPPING_FILE, loadMappingFile } from "../../pipeline/ingest/mapping.ts";
import { tempDir } from "./temp.ts";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FIXTURES = join(REPO_ROOT, "test", "fixtures", "derivations");

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function openDb(path = ":memory:"): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(path);
  const conn = await db.connect();
  // relative paths in ad-hoc test queries resolve against the repository root
  await conn.run(`SET file_search_path = ${q(REPO_ROOT)}`);
  return conn;
}

/**
 * Create stg_<extract> for every extract from `<dir>/<extract>.csv` (canonical form), and the
 * staging table of polis's pay periods declared more than once, which D1 reads.
 */
export async function loadStaging(conn: DuckDBConnection, dir: string): Promise<void> {
  for (const name of EXTRACT_NAMES) {
    const cols = EXTRACTS[name];
    const file = join(dir, canonicalFile(name));
    const typed = cols.map((c) => `${c.name} ${c.sql}`).join(", ");
    // bron_bestand: an ENUM of the extract's files, as the ingest writes it (pipeline/ingest/staging.ts)
    await conn.run(`CREATE OR REPLACE TABLE stg_${name} (${typed}, bron_bestand ENUM(${q(canonicalFile(name))}), bron_regel BIGINT)`);
    if (!existsSync(file)) continue;
    const spec = cols.map((c) => `${q(c.name)}: 'VARCHAR'`).join(", ");
    const casts = cols.map((c) => `CAST(nullif(trim(${c.name}), '') AS ${c.sql}) AS ${c.name}`).join(", ");
    await conn.run(
      `INSERT INTO stg_${name}
       SELECT ${casts}, ${q(canonicalFile(name))}, row_number() OVER () + 1
       FROM read_csv(${q(file)}, header = true, delim = ',', columns = {${spec}})`,
    );
  }
  await writePolisDubbel(conn);
}

/** Run the intermediate and marts layers (as the pipeline does: work tables end as views). */
export async function runDerivations(conn: DuckDBConnection, params: Parameters = DEFAULTS): Promise<StageTiming[]> {
  return runDerivationLayers(conn, params);
}

/** Rows of a query as plain objects; DATE as ISO string, BIGINT/HUGEINT as number. */
export async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJson().map((r) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) o[k] = typeof v === "string" && /^-?\d+$/.test(v) && !k.endsWith("_id") ? Number(v) : v;
    return o;
  });
}

/** Build the staging tables with the pipeline's real ingest (canonical mapping). */
export async function ingestStaging(conn: DuckDBConnection, dir: string, params: Parameters = DEFAULTS): Promise<void> {
  const workDir = tempDir("baanmonitor-test-");
  try {
    await ingestExtracts(conn, {
      extractsDir: dir,
      mapping: loadMappingFile(CANONICAL_MAPPING_FILE),
      workDir,
      params,
      today: "2020-06-30",
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Load a fixture folder under test/fixtures/derivations through the real ingest (or, with
 * `ingest: "helper"`, the minimal CSV loader above) and run the derivations.
 */
export async function fixture(
  name: string,
  params: Parameters = DEFAULTS,
  ingest: "pipeline" | "helper" = "pipeline",
): Promise<DuckDBConnection> {
  const conn = await openDb();
  if (ingest === "pipeline") await ingestStaging(conn, join(FIXTURES, name), params);
  else await loadStaging(conn, join(FIXTURES, name));
  await runDerivations(conn, params);
  return conn;
}
