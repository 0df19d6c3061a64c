/**
 * Timing of the Cox part of the jobcoach comparison (analyses/catalogue/vergelijking-cox.ts) on
 * a run's mart: propensity model and weights (needed first), then the conditional Cox fit with
 * robust variance, cox.zph, the standardised curves and the weighted marginal Cox. With
 * --robust N it then fits the conditional model N more times without and with the robust variance,
 * alternately, and prints the CPU time of each pair and their difference (the robust part), with
 * the median difference.
 *
 *   node --import tsx scripts/bench-vergelijking-cox.ts --out <run out dir> [--threads 2] [--robust 5]
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { run, sql } from "../core/sql.ts";
import { fitPropensity, stabilisedWeights } from "../analyses/adjust/index.ts";
import { coxPh, coxZph, standardisedCurves } from "../analyses/survival/index.ts";
import { comparisonSource, GROEPEN, propensitySpec } from "../analyses/catalogue/vergelijking-model.ts";
import { coxCovariates, coxSource } from "../analyses/catalogue/vergelijking-cox.ts";

const { values } = parseArgs({
  options: { out: { type: "string" }, threads: { type: "string", default: "2" }, robust: { type: "string", default: "0" } },
});
if (!values.out) throw new Error("--out <dir> ontbreekt");
const inst = await DuckDBInstance.create(":memory:", { threads: values.threads! });
const conn = await inst.connect();
const parquet = join(values.out, "marts", "baaneindes.parquet");
await run(conn, sql`CREATE TABLE baaneindes AS SELECT * FROM read_parquet(${parquet})`);
const src = comparisonSource();
// wall time and process CPU time (JS and DuckDB's threads): on a shared machine the CPU time is
// the steadier figure
const lap = (() => {
  let t = performance.now();
  let c = process.cpuUsage();
  return (what: string) => {
    const now = performance.now();
    const cpu = process.cpuUsage(c);
    console.log(`${what.padEnd(34)} ${((now - t) / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s cpu`);
    t = now;
    c = process.cpuUsage();
  };
})();
const model = await fitPropensity(conn, src, propensitySpec(GROEPEN));
await stabilisedWeights(conn, src, model, { soort: "geen" }, "gewogen");
lap("propensity model + weights");
const fit = await coxPh(conn, coxSource(src, model), coxCovariates(model), { robustScoreTest: false });
lap("Cox fit + robust variance");
const zph = coxZph(fit);
lap("cox.zph");
standardisedCurves(fit, "groep", [7, 30, 91, 182, 365, 730, 1095, 1461]);
lap("standardised curves");
const marg = await coxPh(conn, sql`SELECT persoon_id AS id, tijd, status, groep, gewicht FROM gewogen`, coxCovariates(model).slice(0, 1), {
  weights: "gewicht",
});
lap("weighted marginal Cox");
console.log(
  `rows ${fit.n}, persons ${fit.nCluster}, columns ${fit.coef.length}, patterns ${fit.data.aggregate.nPattern}, cells ${fit.data.aggregate.cellTime.length}, ` +
    `event times ${fit.data.perTime.time.length}, Newton steps ${fit.iterations}`,
);
for (const h of [...fit.hazardRatios.slice(0, 2), ...marg.hazardRatios])
  console.log(`  HR ${h.name} ${h.hr.toFixed(4)} (${h.lower.toFixed(4)}–${h.upper.toFixed(4)})`);
const cpuOf = async (f: () => Promise<unknown>): Promise<number> => {
  const c = process.cpuUsage();
  await f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1e6;
};
const diffs: number[] = [];
for (let i = 0; i < Number(values.robust); i++) {
  const naive = await cpuOf(() => coxPh(conn, coxSource(src, model), coxCovariates(model), { robust: false }));
  const robust = await cpuOf(() => coxPh(conn, coxSource(src, model), coxCovariates(model), { robustScoreTest: false }));
  diffs.push(robust - naive);
  console.log(
    `fit without / with robust variance ${naive.toFixed(2)} / ${robust.toFixed(2)} s cpu, robust part ${(robust - naive).toFixed(2)} s`,
  );
}
if (diffs.length > 0)
  console.log(`robust part, median of ${diffs.length}: ${diffs.sort((a, b) => a - b)[diffs.length >> 1]!.toFixed(2)} s cpu`);
console.log(`  cox.zph global chisq ${zph.global.chisq.toFixed(1)} df ${zph.global.df}`);
conn.closeSync();
inst.closeSync();
