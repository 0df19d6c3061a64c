/**
 * Marts -> `<out>/marts/<name>.parquet`. Every file holds its rows in ORDER BY ALL order, written
 * by a single-threaded writer: DuckDB's parallel Parquet writer cuts row groups only
 * approximately at ROW_GROUP_SIZE, so files could differ between runs. The single-threaded
 * writes run side by side on their own connections (largest mart first: rows times columns),
 * so both cores work.
 *
 * The rows are written in the order the table is stored in, without a sort of their own: a mart
 * is written sorted (its SQL ends with ORDER BY ALL, or with its leading columns holding its
 * grain; parseModel and martInOrderByAll check it) and a single-threaded scan reads a table in
 * insertion order. Sorting again here cost a third of the export (scale 1: 1.08 -> 0.74 s).
 * A mart that is a view or has one row is sorted here.
 */
import { join } from "node:path";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { ident, readAll, run, sql } from "../core/sql.ts";
import type { Manifest } from "./manifest.ts";
import { models } from "./sql-runner.ts";

export async function exportMarts(
  instance: DuckDBInstance,
  conn: DuckDBConnection,
  names: string[],
  outDir: string,
  /** threads: the instance's thread count — that many single-threaded writers, and the setting restored afterwards */
  opts: { threads: number; onMart?: (name: string) => void },
): Promise<Manifest["uitvoer"]["marts"]> {
  const sizes = new Map<string, number>();
  const unsorted = new Set<string>();
  // the writing cost of a mart grows with its cells: rows times columns
  for (const r of (
    await readAll(
      conn,
      sql`SELECT table_name, estimated_size * column_count FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary`,
    )
  ).getRows()) {
    sizes.set(String(r[0]), Number(r[1]));
  }
  for (const name of names) {
    if (!sizes.has(name)) throw new Error(`pipeline/sql/marts: tabel "${name}" is niet aangemaakt door de mart-SQL`);
    if (!(await martInOrderByAll(conn, name))) unsorted.add(name);
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
            sql`COPY (SELECT * FROM ${ident(name)}${unsorted.has(name) ? sql` ORDER BY ALL` : sql``}) TO ${file} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
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

/**
 * Is a mart's stored order its ORDER BY ALL order? Yes for a table whose SQL file ends with
 * ORDER BY ALL or with the table's leading columns, which hold its grain (so no two rows tie on
 * them); no for a view or a one-row mart (exported with ORDER BY ALL). A table sorted otherwise
 * is a bug in its mart SQL and throws.
 */
export async function martInOrderByAll(conn: DuckDBConnection, name: string): Promise<boolean> {
  const model = models().find((m) => m.name === name && m.file.startsWith("marts/"));
  if (!model) throw new Error(`pipeline/sql/marts: geen mart-SQL voor tabel "${name}"`);
  if (model.kind !== "table" || !model.order) return false;
  if (model.order === "ALL") return true;
  const columns = (
    await readAll(
      conn,
      sql`SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ${name} ORDER BY column_index`,
    )
  )
    .getRows()
    .map((r) => String(r[0]));
  const leading = columns.slice(0, model.order.length);
  if (leading.join() !== model.order.join()) {
    throw new Error(
      `pipeline/sql/${model.file}: de rijen staan op ${model.order.join(", ")}, niet op de eerste kolommen (${leading.join(", ")}); ` +
        `de parquet-export schrijft de tabel in zijn volgorde: sorteer op de eerste kolommen of "order by all"`,
    );
  }
  return true;
}
