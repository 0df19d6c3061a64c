/**
 * Weighted survival counts in DuckDB: person rows (groep, id, tijd, status, gewicht) → per
 * group, per distinct time, the summed case weights of the events per cause and of the
 * censorings, next to the unweighted counts (for disclosure control). Only the (groep, tijd)
 * aggregates reach JS. Weight sums are ordered aggregates, so the result does not depend on
 * thread scheduling. `id` (the person, for a person-clustered variance) must be non-NULL; it
 * does not enter the point estimates.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, readAll, sql, type Sql } from "../../core/sql.ts";
import { NULL_GROUP } from "../survival/duckdb.ts";
import type { CompetingTimeCount } from "../survival/types.ts";
import { exactSum } from "../lib/sql.ts";

/** Weighted counts at one distinct time (nEvents / nCensor: Σ weights), with the row counts. */
export interface WeightedTimeCount extends CompetingTimeCount {
  /** unweighted events per cause */
  nEventsRows: number[];
  /** unweighted censorings */
  nCensorRows: number;
}

/**
 * `src` returns (groep, id, tijd, status, gewicht): status 0 = censored, 1..nCauses = cause;
 * gewicht finite and >= 0. Groups sorted by name (NULL groep as NULL_GROUP), times ascending.
 */
export async function weightedCounts(conn: DuckDBConnection, src: Sql, nCauses: number): Promise<Map<string, WeightedTimeCount[]>> {
  if (!(Number.isInteger(nCauses) && nCauses >= 1))
    throw new Error(`weightedCounts: nCauses moet een geheel getal >= 1 zijn, niet ${nCauses}`);
  const causes = Array.from({ length: nCauses }, (_, i) => i + 1);
  const cols = join([
    ...causes.map((c) => sql`coalesce(${exactSum(sql`CASE WHEN status = ${c} THEN gewicht END`)}, 0)::DOUBLE AS ${ident(`w${c}`)}`),
    sql`coalesce(${exactSum(sql`CASE WHEN status = 0 THEN gewicht END`)}, 0)::DOUBLE AS w0`,
    ...causes.map((c) => sql`count(*) FILTER (WHERE status = ${c})::DOUBLE AS ${ident(`n${c}`)}`),
    sql`count(*) FILTER (WHERE status = 0)::DOUBLE AS n0`,
  ]);
  const statuses = join([0, ...causes].map((c) => sql`${c}`));
  const check = await readAll(
    conn,
    sql`SELECT count(*) FILTER (WHERE status IS NULL OR NOT (status::DOUBLE IN (${statuses}))) AS status,
               count(*) FILTER (WHERE tijd IS NULL OR NOT isfinite(tijd::DOUBLE)) AS tijd,
               count(*) FILTER (WHERE gewicht IS NULL OR NOT isfinite(gewicht::DOUBLE) OR gewicht < 0) AS gewicht,
               count(*) FILTER (WHERE id IS NULL) AS id
        FROM (${src}) src`,
  );
  const bad = check.getRowObjectsJS()[0] as Record<string, bigint>;
  for (const [what, n] of Object.entries(bad))
    if (Number(n) > 0) throw new Error(`weightedCounts: ${n} rijen met een ongeldige ${what} (NULL, niet eindig of buiten het bereik)`);
  const reader = await readAll(
    conn,
    sql`SELECT coalesce(CAST(groep AS VARCHAR), ${NULL_GROUP}) AS g, tijd::DOUBLE AS t, ${cols}
        FROM (${src}) src GROUP BY ALL ORDER BY g, t`,
  );
  const c = reader.getColumnsJS() as unknown[][];
  const g = c[0] as string[];
  const t = c[1] as number[];
  const w = (j: number) => c[2 + j] as number[]; // j = 0..nCauses-1 causes, nCauses censored
  const n = (j: number) => c[3 + nCauses + j] as number[];
  const out = new Map<string, WeightedTimeCount[]>();
  for (let i = 0; i < g.length; i++) {
    let rows = out.get(g[i]!);
    if (!rows) out.set(g[i]!, (rows = []));
    rows.push({
      time: t[i]!,
      nEvents: causes.map((_, j) => w(j)[i]!),
      nCensor: w(nCauses)[i]!,
      nEventsRows: causes.map((_, j) => n(j)[i]!),
      nCensorRows: n(nCauses)[i]!,
    });
  }
  return out;
}
