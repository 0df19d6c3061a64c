/**
 * How the run and the merge store tables in baanmonitor.duckdb. The one home for the storage
 * settings of the database file.
 *
 * FSST string compression is switched off: it costs about a quarter of the time of writing the
 * tables (scale 1: writing stg_polis 3.8 -> 2.9 s, the mart banen 0.77 -> 0.58 s) for a file
 * about 6% smaller, and the file stays readable by every DuckDB client. The setting must be SET
 * on a connection: passed as an option when the instance is created, DuckDB 1.5 accepts it and
 * ignores it (test/unit/storage.test.ts and test/e2e/work-tables.test.ts read the stored segments).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, readAll, run, sql, type Sql } from "../core/sql.ts";

export async function applyStorageSettings(conn: DuckDBConnection): Promise<void> {
  await run(conn, sql`SET disabled_compression_methods = 'fsst'`);
}

/**
 * Create table `name` from the query `body`, with the text columns `uncompressed` stored without
 * compression. DuckDB tries dictionary compression on every text column; on values that hardly
 * repeat (identifiers: baan_id, ikv ids, persoon_id in a table of a row or two per person) that
 * analysis costs more than it saves. Scale 1, writing the persisted models with their identifiers
 * uncompressed: 2.7 -> 2.0 s together (int_banen 0.50 -> 0.29 s), for tables about 10% larger.
 * A model declares these columns in its header (`-- ongecomprimeerd:`, pipeline/sql-runner.ts).
 * CREATE TABLE AS cannot name a column's compression, so the table is created from the query's
 * columns (DESCRIBE) and then filled; the rows keep the query's order, as with CREATE TABLE AS.
 */
export async function createTableUncompressed(
  conn: DuckDBConnection,
  name: string,
  body: Sql,
  uncompressed: readonly string[],
): Promise<void> {
  const columns = (await readAll(conn, sql`DESCRIBE ${body}`)).getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  for (const c of uncompressed) {
    const col = columns.find((x) => x.name === c);
    if (col?.type !== "VARCHAR") {
      throw new Error(`${name}: ongecomprimeerde kolom ${c} ${col ? `is ${col.type}, geen VARCHAR` : "bestaat niet"}`);
    }
  }
  const defs = columns.map(
    (c) => sql`${ident(c.name)} ${columnType(c.type, name)}${uncompressed.includes(c.name) ? sql` USING COMPRESSION uncompressed` : sql``}`,
  );
  await run(conn, sql`CREATE OR REPLACE TABLE ${ident(name)} (${join(defs)})`);
  await run(conn, sql`INSERT INTO ${ident(name)} ${body}`);
}

/** The column types a model may have, as SQL: DuckDB's own names for them (DESCRIBE), checked. */
const SCALAR_TYPES: Record<string, Sql> = {
  VARCHAR: sql`VARCHAR`,
  BOOLEAN: sql`BOOLEAN`,
  TINYINT: sql`TINYINT`,
  SMALLINT: sql`SMALLINT`,
  INTEGER: sql`INTEGER`,
  BIGINT: sql`BIGINT`,
  HUGEINT: sql`HUGEINT`,
  FLOAT: sql`FLOAT`,
  DOUBLE: sql`DOUBLE`,
  DATE: sql`DATE`,
  TIMESTAMP: sql`TIMESTAMP`,
};

function columnType(type: string, table: string): Sql {
  const scalar = SCALAR_TYPES[type];
  if (scalar) return scalar;
  const dec = /^DECIMAL\((\d{1,2}),(\d{1,2})\)$/.exec(type);
  if (dec) return sql`DECIMAL(${Number(dec[1])}, ${Number(dec[2])})`;
  throw new Error(`${table}: kolomtype ${type} wordt niet ondersteund bij ongecomprimeerde kolommen (pipeline/storage.ts)`);
}
