/**
 * Marts -> `<out>/marts/<name>.parquet`. Every file is written with a full ordering (ORDER BY
 * ALL) by a single-threaded writer: DuckDB's parallel Parquet writer cuts row groups only
 * approximately at ROW_GROUP_SIZE, so files could differ between runs. The single-threaded
 * writes run side by side on their own connections (largest mart first), so both cores work.
 */
import { join } from "node:path";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { ident, readAll, run, sql } from "../core/sql.ts";
import type { Manifest } from "./manifest.ts";

export async function exportMarts(
  instance: DuckDBInstance,
  conn: DuckDBConnection,
  names: string[],
  outDir: string,
  /** threads: the instance's thread count — that many single-threaded writers, and the setting restored afterwards */
  opts: { threads: number; onMart?: (name: string) => void },
): Promise<Manifest["uitvoer"]["marts"]> {
  const sizes = new Map<string, number>();
  for (const r of (
    await readAll(conn, sql`SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary`)
  ).getRows()) {
    sizes.set(String(r[0]), Number(r[1]));
  }
  for (const name of names) {
    if (!sizes.has(name)) throw new Error(`pipeline/sql/marts: tabel "${name}" is niet aangemaakt door de mart-SQL`);
  }
  const rows = new Map<string, number>();
  const queue = [...names].sort((a, b) => sizes.get(b)! - sizes.get(a)! || a.localeCompare(b));
  await run(conn, sql`SET threads = 1`);
  const extra: DuckDBConnection[] = [];
  try {
    for (let i = 1; i < Math.min(opts.threads, names.length); i++) extra.push(await instance.connect());
    await Promise.all(
      [conn, ...extra].map(async (c) => {
        for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
          opts.onMart?.(name);
          const file = join(outDir, `${name}.parquet`);
          await run(
            c,
            sql`COPY (SELECT * FROM ${ident(name)} ORDER BY ALL) TO ${file} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
          );
          rows.set(name, Number((await readAll(c, sql`SELECT count(*) FROM ${ident(name)}`)).getRows()[0]![0]));
        }
      }),
    );
  } finally {
    for (const c of extra) c.closeSync();
    await run(conn, sql`SET threads = ${opts.threads}`);
  }
  return names.map((name) => ({ naam: name, bestand: `marts/${name}.parquet`, rijen: rows.get(name)! }));
}
