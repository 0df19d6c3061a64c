import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, readAll, sql, type Sql } from "../../core/sql.ts";
import type { CompetingTimeCount, TimeCount } from "./types.ts";

/** Key under which rows with a NULL groep are returned. */
export const NULL_GROUP = "(onbekend)";

async function aggregate(conn: DuckDBConnection, src: Sql, nCauses: number): Promise<Map<string, { t: number[]; ev: number[][]; c: number[] }>> {
  const causeCols = join(Array.from({ length: nCauses }, (_, i) => sql`count(*) FILTER (WHERE status = ${i + 1})::DOUBLE AS ${ident(`e${i + 1}`)}`));
  const statuses = join(Array.from({ length: nCauses + 1 }, (_, i) => sql`${i}`));
  const reader = await readAll(conn, sql`
    SELECT coalesce(CAST(groep AS VARCHAR), ${NULL_GROUP}) AS g,
           tijd::DOUBLE AS t,
           ${causeCols},
           count(*) FILTER (WHERE status = 0)::DOUBLE AS c,
           count(*) FILTER (WHERE status IS NULL OR NOT (status::DOUBLE IN (${statuses})))::DOUBLE AS bad
    FROM (${src}) AS src
    GROUP BY ALL
    ORDER BY g, t`);
  const cols = reader.getColumnsJS() as unknown[][];
  const g = cols[0] as string[];
  const t = cols[1] as number[];
  const ev = cols.slice(2, 2 + nCauses) as number[][];
  const cens = cols[2 + nCauses] as number[];
  const bad = cols[3 + nCauses] as number[];
  let nBad = 0;
  for (let i = 0; i < g.length; i++) {
    if (t[i] === null || !Number.isFinite(t[i])) throw new Error(`survival: rijen zonder geldige tijd (NULL of niet eindig) in groep "${g[i]}"`);
    nBad += bad[i];
  }
  if (nBad > 0) throw new Error(`survival: ${nBad} rijen met status NULL of buiten 0..${nCauses}`);
  const out = new Map<string, { t: number[]; ev: number[][]; c: number[] }>();
  let cur: { t: number[]; ev: number[][]; c: number[] } | undefined;
  let curKey: string | undefined;
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== curKey) {
      curKey = g[i];
      cur = { t: [], ev: Array.from({ length: nCauses }, () => []), c: [] };
      out.set(curKey, cur);
    }
    cur!.t.push(t[i]);
    for (let k = 0; k < nCauses; k++) cur!.ev[k].push(ev[k][i]);
    cur!.c.push(cens[i]);
  }
  return out;
}

/**
 * Aggregate person rows to counts per distinct time in DuckDB. `src` is a query (core/sql.ts) returning
 * columns (groep, tijd, status) with status 0 (censored) or 1 (event), one row per person;
 * only the (groep, tijd) aggregates reach JS. Groups come back sorted by name (NULL groep as
 * "(onbekend)"), counts sorted by time. Rows with NULL tijd or a status other than 0/1 are
 * an error.
 */
export async function survivalCounts(conn: DuckDBConnection, src: Sql): Promise<Map<string, TimeCount[]>> {
  const agg = await aggregate(conn, src, 1);
  const out = new Map<string, TimeCount[]>();
  for (const [g, a] of agg) out.set(g, a.t.map((time, i) => ({ time, nEvent: a.ev[0][i], nCensor: a.c[i] })));
  return out;
}

/** As `survivalCounts` for competing risks: status 0 = censored, 1..nCauses = the cause. */
export async function competingCounts(conn: DuckDBConnection, src: Sql, nCauses: number): Promise<Map<string, CompetingTimeCount[]>> {
  if (!(Number.isInteger(nCauses) && nCauses >= 1)) throw new Error(`competingCounts: nCauses moet een geheel getal >= 1 zijn, niet ${nCauses}`);
  const agg = await aggregate(conn, src, nCauses);
  const out = new Map<string, CompetingTimeCount[]>();
  for (const [g, a] of agg) {
    out.set(g, a.t.map((time, i) => ({ time, nEvents: a.ev.map((e) => e[i]), nCensor: a.c[i] })));
  }
  return out;
}
