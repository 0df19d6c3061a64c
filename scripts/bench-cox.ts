/**
 * Benchmark of the Cox model (analyses/survival/cox-duckdb.ts) at the size of scale 1: a
 * synthetic table of --rows job endings (default 560 000) of about --rows/2.24 persons in
 * DuckDB (range() and hash(), no files), jobcoach (3 levels) + 6 categorical covariates
 * (regeling 3, diagnosegroep 8, opleidingsniveau 4, contractsoort 3, regio 12, jaar 5 levels:
 * 31 design columns), tijd 0..1460 days, ~70% events. Times the fit with person-clustered
 * robust variance, cox.zph and the standardised curves for jobcoach.
 *
 *   node --import tsx scripts/bench-cox.ts [--rows 560000] [--threads 2]
 */
import { performance } from "node:perf_hooks";
import { DuckDBInstance } from "@duckdb/node-api";
import { run, sql } from "../core/sql.ts";
import { coxPh } from "../analyses/survival/cox-duckdb.ts";
import type { CoxCovariate } from "../analyses/survival/cox.ts";
import { coxZph } from "../analyses/survival/cox-zph.ts";
import { standardisedCurves } from "../analyses/survival/standardise.ts";

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
}
const rows = Number(arg("rows", "560000"));
const threads = Number(arg("threads", "2"));
const persons = Math.round(rows / 2.24);

const instance = await DuckDBInstance.create(":memory:", { threads: String(threads) });
const conn = await instance.connect();
let t0 = performance.now();
await run(
  conn,
  sql`CREATE TABLE baaneindes AS
      WITH b AS (
        SELECT i, hash(i) % ${persons} AS persoon_id,
               ['geen', 'geen', 'extern', 'intern'][(hash(i + 1 * 1000000007::BIGINT) % 4)::BIGINT + 1] AS jobcoach,
               ['wajong2010', 'wajong2015', 'oude_wajong'][(hash(i + 2 * 1000000007::BIGINT) % 3)::BIGINT + 1] AS regeling,
               'd' || (hash(i + 3 * 1000000007::BIGINT) % 8)::VARCHAR AS diagnosegroep,
               'o' || (hash(i + 4 * 1000000007::BIGINT) % 4)::VARCHAR AS opleidingsniveau,
               ['vast', 'tijdelijk', 'oproep'][(hash(i + 5 * 1000000007::BIGINT) % 3)::BIGINT + 1] AS contractsoort,
               'r' || lpad((hash(i + 6 * 1000000007::BIGINT) % 12)::VARCHAR, 2, '0') AS regio,
               (2019 + hash(i + 7 * 1000000007::BIGINT) % 5)::VARCHAR AS jaar,
               (hash(i + 8 * 1000000007::BIGINT) % 10000) / 10000.0 AS u
        FROM range(${rows}) r(i)
      )
      SELECT persoon_id, jobcoach, regeling, diagnosegroep, opleidingsniveau, contractsoort, regio, jaar,
             least(1460, floor(-ln(1 - u) * 300 * CASE jobcoach WHEN 'extern' THEN 0.8 WHEN 'intern' THEN 0.9 ELSE 1 END
                                          * (1 + (diagnosegroep = 'd3')::INTEGER * 0.3)))::INTEGER AS dagen_tot_volgende_baan,
             (hash(i + 9 * 1000000007::BIGINT) % 100 < 70 AND u < 0.99)::INTEGER AS volgende_baan
      FROM b`,
);
const tGen = performance.now() - t0;
const covariates: CoxCovariate[] = [
  { name: "jobcoach", type: "categorical", reference: "geen" },
  ...["regeling", "diagnosegroep", "opleidingsniveau", "contractsoort", "regio", "jaar"].map((name) => ({
    name,
    type: "categorical" as const,
  })),
];
const src = sql`SELECT persoon_id AS id, dagen_tot_volgende_baan AS tijd, volgende_baan AS status,
                       jobcoach, regeling, diagnosegroep, opleidingsniveau, contractsoort, regio, jaar
                FROM baaneindes`;
t0 = performance.now();
const model = await coxPh(conn, src, covariates);
const tFit = performance.now() - t0;
t0 = performance.now();
await coxPh(conn, src, covariates, { robust: false });
const tFitNaive = performance.now() - t0;
t0 = performance.now();
const zph = coxZph(model);
const tZph = performance.now() - t0;
t0 = performance.now();
const std = standardisedCurves(model, "jobcoach", [30, 91, 182, 365, 730]);
const tStd = performance.now() - t0;

const ms = (v: number): string => `${(v / 1000).toFixed(2)} s`;
console.log(`rows ${model.n}, persons ${model.nCluster}, events ${model.nEvent}, design columns ${model.coef.length},`);
console.log(
  `cells (pattern x tijd) ${model.data.aggregate.cellTime.length}, patterns ${model.data.aggregate.nPattern}, event times ${model.data.perTime.time.length}, threads ${threads}`,
);
console.log(`generate table          ${ms(tGen)}`);
console.log(`fit + robust variance   ${ms(tFit)}  (${model.iterations} Newton steps)`);
console.log(`fit, model variance     ${ms(tFitNaive)}`);
console.log(`cox.zph                 ${ms(tZph)}  (global chisq ${zph.global.chisq.toFixed(2)}, df ${zph.global.df})`);
console.log(`standardised curves     ${ms(tStd)}`);
for (const h of model.hazardRatios.slice(0, 2))
  console.log(`  HR ${h.name} ${h.hr.toFixed(4)} (${h.lower.toFixed(4)}–${h.upper.toFixed(4)})`);
for (const c of std.curves) console.log(`  S_${c.level}(365) = ${c.surv[3]!.toFixed(4)} ± ${c.se[3]!.toExponential(2)}`);
conn.closeSync();
