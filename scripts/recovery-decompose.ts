/**
 * Where the recovery test's remaining error comes from (docs/analyses.md, "Recovery test"),
 * measured without the noise that makes the recovery test itself need 100 seeds.
 *
 * Each world is generated with expected outcomes (truth/tegenfeitelijk_verwacht.csv: every
 * ending's share with a next job within 182 / 365 days and its mean time without work to 365
 * days under each jobcoach category, averaged over fresh draws of everything random after the
 * ending). Weighted by the published propensity model (analyses/catalogue/vergelijking-model.ts),
 * per seed and estimand (extern − geen), in points (shares) or days:
 *
 *   fout        weighted contrast of the endings' expected outcomes under their own category,
 *               minus the world's expected truth: the estimator's error without censoring and
 *               without outcome noise;
 *   rest        the weighted difference extern − geen in the expected outcome *under geen*:
 *               the confounding the weights leave (zero for a correct propensity model);
 *   in_cellen   the same difference within the cells of all the model's characteristics
 *               together (cell-size weights over the cells with both groups): what no model on
 *               these characteristics removes; rest − in_cellen is what the model form leaves;
 *   and, within those cells, the weighted imbalance of two truth-side quantities the marts do not
 *   hold (the person part of the latent finding hazard, log; the day of the month of the true
 *   end) with their contribution (imbalance × within-cell slope of the outcome under geen).
 *
 *   npx tsx scripts/recovery-decompose.ts [--seeds 40] [--eerste 1] [--scale 0.1] [--work /tmp/bm-recovery] [--trekkingen 40]
 *
 * Shares the recovery test's worlds (a world without expected outcomes is generated again, with
 * identical extracts). Prints means over the seeds with their Monte Carlo error.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { ident, join as joinSql, rowObjects, run, sql, type Sql } from "../core/sql.ts";
import { fitPropensity, stabilisedWeights } from "../analyses/adjust/index.ts";
import { comparisonSource, GROEPEN, KENMERKEN, propensitySpec } from "../analyses/catalogue/vergelijking-model.ts";
import { recoveryWorld } from "./recovery-worlds.ts";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "40" },
    eerste: { type: "string", default: "1" },
    scale: { type: "string", default: "0.1" },
    work: { type: "string", default: "/tmp/bm-recovery" },
    trekkingen: { type: "string", default: "40" },
    // a variant of the model to measure: interaction pairs "a:b,c:d" with a ridge penalty
    interacties: { type: "string", default: "" },
    straf: { type: "string", default: "1" },
  },
});
const pairs = values.interacties ? values.interacties.split(",").map((x) => x.split(":") as [string, string]) : [];
const spec = { ...propensitySpec(GROEPEN), ...(pairs.length ? { interacties: pairs, interactieStraf: Number(values.straf) } : {}) };

const ESTIMANDS = [
  { name: "aandeel_182", scale: 100, unit: "punten" },
  { name: "aandeel_365", scale: 100, unit: "punten" },
  { name: "dagen_365", scale: 1, unit: "dagen" },
] as const;
const MEASURES = ["fout", "rest", "in_cellen", "onbalans_persoonsdeel", "bijdrage_persoonsdeel", "onbalans_dag", "bijdrage_dag"] as const;

const inst = await DuckDBInstance.create(":memory:");
const conn = await inst.connect();
const perSeed: Record<string, number[]> = {};
const cells = joinSql(KENMERKEN.map((k) => ident(k)));

for (let seed = Number(values.eerste); seed < Number(values.eerste) + Number(values.seeds); seed++) {
  const t0 = performance.now();
  const dir = recoveryWorld(values.work, values.scale, seed, Number(values.trekkingen));
  // the endings as the published comparison takes them, keyed by person and end date (the truth's key)
  await run(
    conn,
    sql`CREATE OR REPLACE TEMP VIEW baaneindes AS
        SELECT * REPLACE (persoon_id || '|' || CAST(einddatum AS VARCHAR) AS persoon_id)
        FROM read_parquet(${join(dir, "out", "marts", "baaneindes.parquet")})`,
  );
  const src = comparisonSource();
  await stabilisedWeights(conn, src, await fitPropensity(conn, src, spec), { soort: "geen" }, "gewogen");
  await run(
    conn,
    sql`CREATE OR REPLACE TEMP TABLE verwacht AS
        SELECT v.*, v.persoon_id || '|' || CAST(v.einddatum_d1 AS VARCHAR) AS sleutel,
               ln(CAST(p.vindkans AS DOUBLE)) AS persoonsdeel, day(CAST(b.einddatum AS DATE)) AS dag
        FROM read_csv(${join(dir, "truth", "tegenfeitelijk_verwacht.csv")}, header = true) v
        JOIN read_csv(${join(dir, "truth", "personen.csv")}, header = true, all_varchar = true) p USING (persoon_id)
        JOIN read_csv(${join(dir, "truth", "banen.csv")}, header = true, all_varchar = true) b
          ON b.persoon_id = v.persoon_id AND CAST(b.baan_nr AS INTEGER) = v.baan_nr`,
  );
  for (const e of ESTIMANDS) {
    const col = (arm: string) => sql`v.${ident(`${e.name}_${arm}`)}`;
    const own = sql`CASE w.groep WHEN 'extern' THEN ${col("extern")} WHEN 'geen' THEN ${col("geen")} ELSE ${col("intern")} END`;
    const truth = sql`avg(${ident(`${e.name}_extern`)} - ${ident(`${e.name}_geen`)})`;
    const contrast = (y: Sql) =>
      sql`sum(w.gewicht * ${y}) FILTER (w.groep = 'extern') / sum(w.gewicht) FILTER (w.groep = 'extern')
          - sum(w.gewicht * ${y}) FILTER (w.groep = 'geen') / sum(w.gewicht) FILTER (w.groep = 'geen')`;
    const [r] = await rowObjects<Record<string, number>>(
      conn,
      sql`WITH j AS (SELECT w.*, ${col("geen")} AS y_geen, v.persoonsdeel, v.dag, ${own} AS y_own
                     FROM gewogen w JOIN verwacht v ON v.sleutel = w.persoon_id WHERE w.groep IN ('extern', 'geen')),
          cel AS (SELECT ${cells}, count(*) AS n,
                         avg(y_geen) FILTER (groep = 'extern') - avg(y_geen) FILTER (groep = 'geen') AS verschil
                  FROM j GROUP BY ALL HAVING count(*) FILTER (groep = 'extern') > 0 AND count(*) FILTER (groep = 'geen') > 0),
          -- within-cell deviations, for the slopes of the outcome under geen on the two quantities
          d AS (SELECT y_geen - avg(y_geen) OVER c AS y, persoonsdeel - avg(persoonsdeel) OVER c AS a, dag - avg(dag) OVER c AS b
                FROM j WINDOW c AS (PARTITION BY ${cells})),
          s AS (SELECT sum(a * a) AS aa, sum(b * b) AS bb, sum(a * b) AS ab, sum(a * y) AS ay, sum(b * y) AS yb FROM d)
     SELECT (SELECT ${truth} FROM verwacht) AS waar,
            (SELECT ${contrast(sql`y_own`)} FROM j w) AS geschat,
            (SELECT ${contrast(sql`y_geen`)} FROM j w) AS rest,
            (SELECT sum(n * verschil) / sum(n) FROM cel) AS in_cellen,
            (SELECT ${contrast(sql`persoonsdeel`)} FROM j w) AS onbalans_persoonsdeel,
            (SELECT ${contrast(sql`dag`)} FROM j w) AS onbalans_dag,
            (SELECT (ay * bb - yb * ab) / (aa * bb - ab * ab) FROM s) AS helling_persoonsdeel,
            (SELECT (yb * aa - ay * ab) / (aa * bb - ab * ab) FROM s) AS helling_dag`,
    );
    const x = Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)]));
    const add = (m: string, v: number) => (perSeed[`${e.name}:${m}`] ??= []).push(v);
    add("fout", (x.geschat! - x.waar!) * e.scale);
    add("rest", x.rest! * e.scale);
    add("in_cellen", x.in_cellen! * e.scale);
    add("onbalans_persoonsdeel", x.onbalans_persoonsdeel!);
    add("bijdrage_persoonsdeel", x.onbalans_persoonsdeel! * x.helling_persoonsdeel! * e.scale);
    add("onbalans_dag", x.onbalans_dag!);
    add("bijdrage_dag", x.onbalans_dag! * x.helling_dag! * e.scale);
  }
  console.log(`seed ${seed} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}
conn.closeSync();
inst.closeSync();

const n = Number(values.seeds);
console.log(`\ngemiddeld over ${n} seeds (± Monte-Carlo-fout), extern − geen:`);
for (const e of ESTIMANDS) {
  console.log(`  ${e.name} (${e.unit}; onbalans: log-vindkans, dagen)`);
  for (const m of MEASURES) {
    const xs = perSeed[`${e.name}:${m}`]!;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    console.log(`    ${m.padEnd(22)} ${mean.toFixed(3).padStart(8)} ± ${(sd / Math.sqrt(xs.length)).toFixed(3)}`);
  }
}
