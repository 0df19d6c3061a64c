/**
 * Time the propensity fit, the weights, the balance table and the weighted counts on a
 * synthetic table of ~560k endings (scale 1) made in DuckDB with range() and hash():
 *   npx tsx scripts/bench-ipw.ts [rows] [--breed]
 * Default: six categorical covariates (regeling 3, diagnosegroep 6, opleidingsniveau 4,
 * contractsoort 3, regio 35, jaar 5 levels: at most 37,800 patterns). --breed adds geslacht and
 * uren_per_week (numeric, 1 to 39 hours, NULL for 3 in 40): then nearly every row is its own
 * pattern, as the covariates here are independent.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { run, sql } from "../core/sql.ts";
import { balanceTable, fitPropensity, stabilisedWeights, weightedCounts, weightedCurve, weightSummary } from "../analyses/adjust/index.ts";
import type { PropensitySpec } from "../analyses/adjust/types.ts";

const rows = Number(process.argv[2] ?? 560_000);
const breed = process.argv.includes("--breed");
const instance = await DuckDBInstance.create(":memory:");
const conn = await instance.connect();
const t0 = performance.now();
await run(
  conn,
  sql`CREATE TABLE eindes AS
      WITH b AS (
        SELECT i, (hash(i * 16 + 1) % 3)::INTEGER AS regeling_i, (hash(i * 16 + 2) % 6)::INTEGER AS diag_i, (hash(i * 16 + 3) % 4)::INTEGER AS opl_i,
               (hash(i * 16 + 4) % 3)::INTEGER AS contract_i, (hash(i * 16 + 5) % 35)::INTEGER AS regio_i, (hash(i * 16 + 6) % 5)::INTEGER AS jaar_i,
               (hash(i * 16 + 7) % 2)::INTEGER AS geslacht_i, (hash(i * 16 + 8) % 1000000) / 1e6 AS u, (hash(i * 16 + 9) % 40)::INTEGER AS uren_i,
               (hash(i * 16 + 10) % 1000000) / 1e6 AS ut, (hash(i * 16 + 11) % 1000) AS t_i
        FROM range(${rows}) r(i)
      ),
      l AS (SELECT *, -2.0 + 0.5 * regeling_i - 0.3 * diag_i + 0.2 * opl_i + 0.02 * regio_i AS le,
                      -1.5 - 0.4 * regeling_i + 0.2 * contract_i + 0.1 * jaar_i AS li FROM b)
      SELECT 'p' || (i // 2) AS persoon_id,
             CASE WHEN u < exp(le) / (1 + exp(le) + exp(li)) THEN 'extern'
                  WHEN u < (exp(le) + exp(li)) / (1 + exp(le) + exp(li)) THEN 'intern' ELSE 'geen' END AS jobcoach,
             'r' || regeling_i AS regeling, 'd' || diag_i AS diagnosegroep, 'o' || opl_i AS opleidingsniveau,
             'c' || contract_i AS contractsoort, 'regio' || regio_i AS regio, 2015 + jaar_i AS jaar, CASE geslacht_i WHEN 0 THEN 'M' ELSE 'V' END AS geslacht,
             CASE WHEN uren_i < 3 THEN NULL ELSE uren_i END AS uren_per_week,
             t_i AS tijd, CASE WHEN ut < 0.6 THEN 1 WHEN ut < 0.7 THEN 2 ELSE 0 END AS status
      FROM l`,
);
const t1 = performance.now();
const spec: PropensitySpec = {
  groepen: ["geen", "extern", "intern"],
  covariaten: [
    { kolom: "regeling", soort: "categorisch" },
    { kolom: "diagnosegroep", soort: "categorisch" },
    { kolom: "opleidingsniveau", soort: "categorisch" },
    { kolom: "contractsoort", soort: "categorisch" },
    { kolom: "regio", soort: "categorisch" },
    { kolom: "jaar", soort: "categorisch" },
    ...(breed
      ? [{ kolom: "geslacht", soort: "categorisch" } as const, { kolom: "uren_per_week", soort: "numeriek", afronding: 1 } as const]
      : []),
  ],
};
const src = sql`SELECT jobcoach AS groep, * FROM eindes`;
const model = await fitPropensity(conn, src, spec);
const t2 = performance.now();
console.log(`fit: ${model.nPatronen} patterns, ${model.iterations} Newton iterations, deviance ${model.deviance.toFixed(3)}`);
await stabilisedWeights(conn, src, model, { soort: "percentiel", onder: 0.01, boven: 0.99 }, "gewichten");
const t3 = performance.now();
const summary = await weightSummary(conn, "gewichten", model.groepen);
const t4 = performance.now();
const balance = await balanceTable(conn, "gewichten", model);
const t5 = performance.now();
const counts = await weightedCounts(conn, sql`SELECT groep, persoon_id AS id, tijd, status, gewicht FROM gewichten`, 2);
const curves = [...counts.values()].map((c) => weightedCurve(c));
const t6 = performance.now();
const ms = (a: number, b: number) => `${((b - a) / 1000).toFixed(2)} s`;
console.log(`rows ${rows}, patterns ${model.nPatronen}, terms ${model.terms.length}, Newton iterations ${model.iterations}`);
console.log(
  `make table ${ms(t0, t1)}; fit ${ms(t1, t2)}; weights ${ms(t2, t3)}; summary ${ms(t3, t4)}; balance (${balance.length} rows) ${ms(t4, t5)}; weighted counts + curves (${curves.length}) ${ms(t5, t6)}`,
);
console.log(
  summary
    .filter((s) => s.gewicht === "getrimd")
    .map((s) => `${s.groep}: n ${s.n} ESS ${s.ess.toFixed(0)} max ${s.max.toFixed(3)}`)
    .join("; "),
);
conn.closeSync();
