/**
 * The rows of the comparison's Cox models (analyses/catalogue/vergelijking-cox.ts) of one run,
 * for the R golden (scripts/r/make-golden-vergelijking-cox.R): every ending of the comparison
 * with id, tijd, status, groep, the characteristics with the propensity model's pooled levels
 * and its stabilised weight (rows.csv), and the covariates with their reference levels
 * (covariates.csv).
 *
 *   npx tsx scripts/vergelijking-cox-rows.ts --out <run out dir> --dir <destination>
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { readAll, run, sql } from "../core/sql.ts";
import { fitPropensity, stabilisedWeights } from "../analyses/adjust/index.ts";
import { comparisonSource, GROEPEN, propensitySpec } from "../analyses/catalogue/vergelijking-model.ts";
import { coxCovariates, coxSource } from "../analyses/catalogue/vergelijking-cox.ts";

const { values } = parseArgs({ options: { out: { type: "string" }, dir: { type: "string" } } });
if (!values.out || !values.dir) throw new Error("gebruik: --out <run out dir> --dir <doelmap>");
const inst = await DuckDBInstance.create(":memory:");
const conn = await inst.connect();
const parquet = join(values.out, "marts", "baaneindes.parquet");
await run(conn, sql`CREATE TABLE baaneindes AS SELECT * FROM read_parquet(${parquet})`);
const src = comparisonSource();
const model = await fitPropensity(conn, src, propensitySpec(GROEPEN));
await stabilisedWeights(conn, src, model, { soort: "geen" }, "gewogen");
const rows = await readAll(conn, sql`SELECT * FROM (${coxSource(sql`SELECT * FROM gewogen`, model, ["gewicht"])}) ORDER BY ALL`);
const names = rows.columnNames();
const q = (v: unknown) => (typeof v === "number" ? String(v) : `"${String(v).replaceAll('"', '""')}"`);
const lines = [names.join(","), ...rows.getRowsJS().map((r) => r.map((v) => (typeof v === "bigint" ? String(v) : q(v))).join(","))];
mkdirSync(values.dir, { recursive: true });
writeFileSync(join(values.dir, "rows.csv"), `${lines.join("\n")}\n`);
const covs = coxCovariates(model);
writeFileSync(join(values.dir, "covariates.csv"), `name,reference\n${covs.map((c) => `${q(c.name)},${q(c.reference)}`).join("\n")}\n`);
console.log(`${lines.length - 1} rijen, ${covs.length} covariaten → ${values.dir}`);
conn.closeSync();
inst.closeSync();
