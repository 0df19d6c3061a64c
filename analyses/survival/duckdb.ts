import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, readAll, sql, type Sql } from "../../core/sql.ts";
import type { CompetingTimeCount, TimeCount } from "./types.ts";

/**
 * Name of the group of rows whose groep is NULL: the one spelling of a missing group in every
 * analysis and published file ("onbekend", as the code value of the extracts; the dashboard
 * labels it "Onbekend").
 */
export const NULL_GROUP = "onbekend";

/** A kenmerk's group of a row as text: `totaal` is one group over everything, a NULL value is NULL_GROUP. */
export const groepSql = (kenmerk: string): Sql =>
  kenmerk === "totaal" ? sql`'totaal'` : sql`coalesce(CAST(${ident(kenmerk)} AS VARCHAR), ${NULL_GROUP})`;

interface Aggregate {
  t: number[];
  ev: number[][];
  c: number[];
}

/** Per kenmerk (`''` when the source has no kenmerk column), per groep: counts per distinct time. */
async function aggregate(
  conn: DuckDBConnection,
  src: Sql,
  nCauses: number,
  byKenmerk: boolean,
): Promise<Map<string, Map<string, Aggregate>>> {
  const causeCols = join(
    Array.from({ length: nCauses }, (_, i) => sql`count(*) FILTER (WHERE status = ${i + 1})::DOUBLE AS ${ident(`e${i + 1}`)}`),
  );
  const statuses = join(Array.from({ length: nCauses + 1 }, (_, i) => sql`${i}`));
  const reader = await readAll(
    conn,
    sql`
    SELECT ${byKenmerk ? sql`CAST(kenmerk AS VARCHAR)` : sql`''`} AS k,
           coalesce(CAST(groep AS VARCHAR), ${NULL_GROUP}) AS g,
           tijd::DOUBLE AS t,
           ${causeCols},
           count(*) FILTER (WHERE status = 0)::DOUBLE AS c,
           count(*) FILTER (WHERE status IS NULL OR NOT (status::DOUBLE IN (${statuses})))::DOUBLE AS bad
    FROM (${src}) AS src
    GROUP BY ALL
    ORDER BY k, g, t`,
  );
  const out = new Map<string, Map<string, Aggregate>>();
  // no rows: DuckDB returns no column vectors at all
  if (reader.currentRowCount === 0) return out;
  const cols = reader.getColumnsJS() as unknown[][];
  const k = cols[0] as string[];
  const g = cols[1] as string[];
  const t = cols[2] as number[];
  const ev = cols.slice(3, 3 + nCauses) as number[][];
  const cens = cols[3 + nCauses] as number[];
  const bad = cols[4 + nCauses] as number[];
  let nBad = 0;
  for (let i = 0; i < g.length; i++) {
    if (t[i] === null || !Number.isFinite(t[i]))
      throw new Error(`survival: rijen zonder geldige tijd (NULL of niet eindig) in groep "${g[i]}"`);
    nBad += bad[i]!;
  }
  if (nBad > 0) throw new Error(`survival: ${nBad} rijen met status NULL of buiten 0..${nCauses}`);
  let cur: Aggregate | undefined;
  for (let i = 0; i < g.length; i++) {
    if (i === 0 || k[i] !== k[i - 1] || g[i] !== g[i - 1]) {
      cur = { t: [], ev: Array.from({ length: nCauses }, () => []), c: [] };
      let groups = out.get(k[i]!);
      if (!groups) out.set(k[i]!, (groups = new Map()));
      groups.set(g[i]!, cur);
    }
    cur!.t.push(t[i]!);
    for (let j = 0; j < nCauses; j++) cur!.ev[j]!.push(ev[j]![i]!);
    cur!.c.push(cens[i]!);
  }
  return out;
}

const toCompeting = (a: Aggregate): CompetingTimeCount[] =>
  a.t.map((time, i) => ({ time, nEvents: a.ev.map((e) => e[i]!), nCensor: a.c[i]! }));

function checkCauses(nCauses: number): void {
  if (!(Number.isInteger(nCauses) && nCauses >= 1))
    throw new Error(`competingCounts: nCauses moet een geheel getal >= 1 zijn, niet ${nCauses}`);
}

/**
 * Aggregate person rows to counts per distinct time in DuckDB. `src` is a query (core/sql.ts) returning
 * columns (groep, tijd, status) with status 0 (censored) or 1 (event), one row per person;
 * only the (groep, tijd) aggregates reach JS. Groups come back sorted by name (NULL groep as
 * `NULL_GROUP`), counts sorted by time. Rows with NULL tijd or a status other than 0/1 are
 * an error.
 */
export async function survivalCounts(conn: DuckDBConnection, src: Sql): Promise<Map<string, TimeCount[]>> {
  const agg = (await aggregate(conn, src, 1, false)).get("") ?? new Map<string, Aggregate>();
  const out = new Map<string, TimeCount[]>();
  for (const [g, a] of agg)
    out.set(
      g,
      a.t.map((time, i) => ({ time, nEvent: a.ev[0]![i]!, nCensor: a.c[i]! })),
    );
  return out;
}

/** As `survivalCounts` for competing risks: status 0 = censored, 1..nCauses = the cause. */
export async function competingCounts(conn: DuckDBConnection, src: Sql, nCauses: number): Promise<Map<string, CompetingTimeCount[]>> {
  checkCauses(nCauses);
  const agg = (await aggregate(conn, src, nCauses, false)).get("") ?? new Map<string, Aggregate>();
  const out = new Map<string, CompetingTimeCount[]>();
  for (const [g, a] of agg) out.set(g, toCompeting(a));
  return out;
}

/**
 * As `competingCounts` for several breakdowns in one scan: `src` returns (kenmerk, groep, tijd,
 * status), typically a UNION ALL of one select per kenmerk. Result: kenmerk → groep → counts,
 * both sorted by name.
 */
export async function competingCountsBy(
  conn: DuckDBConnection,
  src: Sql,
  nCauses: number,
): Promise<Map<string, Map<string, CompetingTimeCount[]>>> {
  checkCauses(nCauses);
  const agg = await aggregate(conn, src, nCauses, true);
  const out = new Map<string, Map<string, CompetingTimeCount[]>>();
  for (const [k, groups] of agg) out.set(k, new Map([...groups].map(([g, a]) => [g, toCompeting(a)])));
  return out;
}
