/**
 * Stabilised inverse-probability weights, in SQL: each source row is joined to its covariate
 * pattern's fitted probabilities (./propensity.ts) and gets
 *   gewicht_ruw = P(groep) / P(groep | x)      (P(groep) = the group's share of the fit's rows)
 *   gewicht     = gewicht_ruw after trimming:
 *     { soort: "percentiel", onder, boven }: truncated to [q_onder, q_boven], the quantiles
 *       (R type 7, DuckDB quantile_cont) of gewicht_ruw over all rows of the table (not per
 *       group), e.g. 0.01 / 0.99 (Cole & Hernán 2008);
 *     { soort: "maximum", maximum }: truncated at a fixed maximum;
 *     { soort: "geen" }: unchanged.
 * Weight summaries per group and in total: min, p1, median, p99, max, Σw, effective sample
 * size (Σw)²/Σw², before and after trimming. Sums are ordered aggregates (deterministic).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, qualified, run, sql, type Sql } from "../../core/sql.ts";
import { exactSum, num, query } from "../lib/sql.ts";
import { keyColumns, keyNames } from "./design.ts";
import { probName, type PropensityModel } from "./propensity.ts";
import type { Trimming, WeightSummary } from "./types.ts";

export interface WeightsResult {
  tabel: string;
  /** the truncation bounds used (null where none) */
  ondergrens: number | null;
  bovengrens: number | null;
}

function checkTrimming(t: Trimming): void {
  if (t.soort === "percentiel") {
    if (!(t.onder >= 0 && t.onder < t.boven && t.boven <= 1))
      throw new Error(`gewichten: percentielen moeten 0 <= onder < boven <= 1 zijn, niet ${t.onder} en ${t.boven}`);
  } else if (t.soort === "maximum") {
    if (!(Number.isFinite(t.maximum) && t.maximum > 0)) throw new Error(`gewichten: maximum moet een getal > 0 zijn, niet ${t.maximum}`);
  }
}

/**
 * Write table `tabel` (temp, replaced): every column of `src` plus p_groep (P(groep | x)),
 * p_marginaal (P(groep)), gewicht_ruw and gewicht. `src` must give the rows the model was fit
 * on (or a subset): a row whose pattern the model has not seen is an error.
 */
export async function stabilisedWeights(
  conn: DuckDBConnection,
  src: Sql,
  model: PropensityModel,
  trimming: Trimming,
  tabel = "propensity_gewichten",
): Promise<WeightsResult> {
  checkTrimming(trimming);
  const keys = keyNames(model.spec);
  const pGroep = sql`CASE ${join(
    model.groepen.map((g, k) => sql`WHEN CAST(s.groep AS VARCHAR) = ${g} THEN pat.${ident(probName(k))}`),
    sql` `,
  )} END`;
  const pMarg = sql`CASE ${join(
    model.groepen.map((g, k) => sql`WHEN CAST(s.groep AS VARCHAR) = ${g} THEN ${model.aandelen[k]!}`),
    sql` `,
  )} END`;
  const bounds =
    trimming.soort === "percentiel"
      ? sql`SELECT quantile_cont(gewicht_ruw, ${trimming.onder}) AS lo, quantile_cont(gewicht_ruw, ${trimming.boven}) AS hi FROM basis`
      : trimming.soort === "maximum"
        ? sql`SELECT NULL::DOUBLE AS lo, ${trimming.maximum}::DOUBLE AS hi`
        : sql`SELECT NULL::DOUBLE AS lo, NULL::DOUBLE AS hi`;
  await run(
    conn,
    sql`CREATE OR REPLACE TEMP TABLE ${ident(tabel)} AS
        WITH s AS (SELECT s.*, ${keyColumns(model.spec)} FROM (${src}) s),
        basis AS (
          SELECT s.* EXCLUDE (${join(keys.map((k) => ident(k)))}), ${pGroep} AS p_groep, ${pMarg} AS p_marginaal,
                 ${pMarg} / ${pGroep} AS gewicht_ruw
          FROM s LEFT JOIN ${qualified("temp", model.patronenTabel)} pat USING (${join(keys.map((k) => ident(k)))})
        ),
        grenzen AS (${bounds})
        SELECT basis.*, least(greatest(gewicht_ruw, coalesce(grenzen.lo, gewicht_ruw)), coalesce(grenzen.hi, gewicht_ruw)) AS gewicht
        FROM basis, grenzen`,
  );
  const check = await query(
    conn,
    sql`SELECT count(*) FILTER (WHERE gewicht_ruw IS NULL) AS zonder, count(*) AS n FROM ${qualified("temp", tabel)}`,
  );
  if (num(check[0]!.zonder) > 0)
    throw new Error(`gewichten: ${check[0]!.zonder} rijen met een groep of een kenmerkpatroon dat het model niet kent (of zonder kans)`);
  const b =
    trimming.soort === "geen"
      ? [{ lo: null, hi: null }]
      : await query(conn, sql`WITH basis AS (SELECT gewicht_ruw FROM ${qualified("temp", tabel)}) ${bounds}`);
  const lo = b[0]!.lo;
  const hi = b[0]!.hi;
  return { tabel, ondergrens: lo === null ? null : num(lo), bovengrens: hi === null ? null : num(hi) };
}

/** Weight summary per group (in the order of model.groepen) and `totaal`, for gewicht_ruw and gewicht. */
export async function weightSummary(conn: DuckDBConnection, tabel: string, groepen: readonly string[]): Promise<WeightSummary[]> {
  const out: WeightSummary[] = [];
  for (const [soort, column] of [
    ["ruw", "gewicht_ruw"],
    ["getrimd", "gewicht"],
  ] as const) {
    const w = ident(column);
    const rows = await query(
      conn,
      sql`SELECT CAST(groep AS VARCHAR) AS groep, grouping(groep) AS totaal, count(*) AS n, min(${w}) AS min,
                 quantile_cont(${w}, 0.01) AS p01, quantile_cont(${w}, 0.5) AS mediaan, quantile_cont(${w}, 0.99) AS p99,
                 max(${w}) AS max, ${exactSum(w)} AS som, ${exactSum(sql`${w} * ${w}`)} AS som2
          FROM ${qualified("temp", tabel)} GROUP BY GROUPING SETS ((groep), ())`,
    );
    for (const [g, r] of [
      ...groepen.map((g) => [g, rows.find((x) => num(x.totaal) === 0 && x.groep === g)] as const),
      ["totaal", rows.find((x) => num(x.totaal) === 1)] as const,
    ]) {
      if (!r) continue;
      const som = num(r.som);
      out.push({
        groep: g,
        gewicht: soort,
        n: num(r.n),
        min: num(r.min),
        p01: num(r.p01),
        mediaan: num(r.mediaan),
        p99: num(r.p99),
        max: num(r.max),
        som,
        ess: (som * som) / num(r.som2),
      });
    }
  }
  return out;
}
