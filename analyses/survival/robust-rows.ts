import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, qualified, readAll, run, sql, type Sql } from "../../core/sql.ts";
import { groepSql } from "./duckdb.ts";

/**
 * The rows and the pairs of rows of a person that the person-level variances of an analysis
 * (./robust-curves.ts, ./robust-score-tests.ts) are summed from, as two temp tables built once
 * per analysis and shared by the curves and the tests:
 *  - rows: rn, id, t, s, k0 … (one row per ending; id the person as text; k<i> the group of
 *    kenmerk i as a code, the hash of its name cut to 53 bits (`groep` gives the name back: the value as text,
 *    NULL as NULL_GROUP, `totaal` for the kenmerk totaal; two names with one code are an error);
 *    rn numbers the rows in no particular order). Codes rather than text: the pairs table and
 *    the sums over it cost about a third less;
 *  - pairs: ti, si, tj, sj, k<i>i, k<i>j: every pair of two different rows of one person, the
 *    first not after the second (by time, then status; two rows alike in both by their number,
 *    which only decides which of the two comes first). A person with m rows has m(m − 1)/2.
 */

/** The endings of an analysis: the relation, its filter, time, status (0/1/2), person and breakdowns. */
export interface CurveSource {
  /** SQL relation with one row per ending */
  bron: Sql;
  /** SQL condition on the relation */
  waar: Sql;
  /** SQL expressions: time in days (negative counts as 0), status 0 censored / 1 event / 2 competing, the person */
  tijd: Sql;
  status: Sql;
  persoon: Sql;
  /** breakdown columns of the relation; `totaal` is one group over everything */
  kenmerken: readonly string[];
}

export interface RobustRows {
  kenmerken: readonly string[];
  /** the group of kenmerk k (index) with code c in the tables */
  groep(k: number, c: number): string;
  rows: Sql;
  pairs: Sql;
  /** drop the temp tables */
  drop(): Promise<void>;
}

/** The code of a group name: its hash cut to 53 bits, so that a DOUBLE holds it exactly. */
const code = (name: Sql): Sql => sql`(hash(${name}) >> 11)::BIGINT`;

/** The column of kenmerk i in the rows (side ""), or of the first ("i") or second ("j") row of a pair. */
export const kenmerkColumn = (i: number, side: "" | "i" | "j" = ""): Sql => ident(`k${i}${side}`);

const ROWS = "robuust_rijen";
const PAIRS = "robuust_paren";

/**
 * Build the temp tables of `s`. Rows with a NULL time or status are left out (as runSurvival's
 * counts); a non-finite time, a status outside 0..2 or a row without a person is an error.
 */
export async function robustRows(conn: DuckDBConnection, s: CurveSource): Promise<RobustRows> {
  const src = sql`${s.bron} WHERE (${s.waar}) AND (${s.tijd}) IS NOT NULL AND (${s.status}) IS NOT NULL`;
  const r = await readAll(
    conn,
    sql`SELECT count(*) FILTER (WHERE NOT isfinite((${s.tijd})::DOUBLE))::DOUBLE,
               count(*) FILTER (WHERE NOT ((${s.status})::DOUBLE IN (0, 1, 2)))::DOUBLE,
               count(*) FILTER (WHERE (${s.persoon}) IS NULL)::DOUBLE
        FROM ${src}`,
  );
  const [badT, badS, badId] = (r.getRowsJS()[0] ?? [0, 0, 0]) as number[];
  if (badT) throw new Error(`survival: ${badT} rijen zonder geldige tijd (niet eindig)`);
  if (badS) throw new Error(`survival: ${badS} rijen met status buiten 0..2`);
  if (badId) throw new Error(`survival: ${badId} rijen zonder persoon`);
  const ks = s.kenmerken.map((k, i) => ({ k, i }));
  const kenmerkCols = join(ks.map(({ k, i }) => sql`${groepSql(k)} AS ${kenmerkColumn(i)}`));
  const pairCols = join(
    ks.map(({ i }) => sql`x.${kenmerkColumn(i)} AS ${kenmerkColumn(i, "i")}, y.${kenmerkColumn(i)} AS ${kenmerkColumn(i, "j")}`),
  );
  // the groups of each kenmerk and their codes (a hash of the name: no join to a dictionary)
  const groups = await readAll(
    conn,
    sql`WITH src AS (SELECT ${kenmerkCols} FROM ${src})
        ${join(
          ks.map(({ i }) => sql`SELECT DISTINCT ${i} AS k, ${code(kenmerkColumn(i))}::DOUBLE AS c, ${kenmerkColumn(i)} AS g FROM src`),
          sql` UNION ALL `,
        )}`,
  );
  const names = new Map<string, string>();
  for (const [k, c, g] of groups.getRowsJS() as [number, number, string][]) {
    const key = `${k}/${c}`;
    if (names.has(key)) throw new Error(`survival: groepen ${names.get(key)} en ${g} hebben dezelfde code`);
    names.set(key, g);
  }
  await run(
    conn,
    sql`CREATE OR REPLACE TEMP TABLE ${ident(ROWS)} AS
        SELECT row_number() OVER () AS rn, id, t, s, ${join(ks.map(({ i }) => sql`${code(kenmerkColumn(i))} AS ${kenmerkColumn(i)}`))}
        FROM (SELECT CAST(${s.persoon} AS VARCHAR) AS id, greatest(${s.tijd}, 0)::DOUBLE AS t, (${s.status})::INTEGER AS s, ${kenmerkCols}
              FROM ${src})`,
  );
  await run(
    conn,
    sql`CREATE OR REPLACE TEMP TABLE ${ident(PAIRS)} AS
        SELECT x.t AS ti, x.s AS si, y.t AS tj, y.s AS sj, ${pairCols}
        FROM ${qualified("temp", ROWS)} x JOIN ${qualified("temp", ROWS)} y ON x.id = y.id
        WHERE x.t < y.t OR (x.t = y.t AND (x.s < y.s OR (x.s = y.s AND x.rn < y.rn)))`,
  );
  return {
    kenmerken: s.kenmerken,
    groep: (k, c) => {
      const g = names.get(`${k}/${c}`);
      if (g === undefined) throw new Error(`survival: onbekende groep ${c} van kenmerk ${k}`);
      return g;
    },
    rows: qualified("temp", ROWS),
    pairs: qualified("temp", PAIRS),
    drop: async () => {
      await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", PAIRS)}`);
      await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", ROWS)}`);
    },
  };
}
