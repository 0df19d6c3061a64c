/**
 * Benchmark: our survival path (DuckDB aggregation to distinct times + kaplanMeier per group)
 * against R (`Rscript`: read.csv + survfit(Surv(tijd, status) ~ groep)) on the same file.
 *
 *   node --import tsx scripts/bench-km.ts [--file data.parquet|data.csv] [--rows 500000] [--runs 5]
 *
 * Without --file, a seeded test file (groep, tijd 0..1461, status ~70% events, 3 groups) is
 * generated as both Parquet and CSV under out/bench/. R reads the CSV (base R has no Parquet
 * reader); ours is timed on the Parquet and on the CSV. Each side runs --runs times; medians
 * and the ratio ours/R are printed for (1) the work inside the process (read + aggregate +
 * fit) and (2) whole processes (startup, package load, read, fit). Results of both sides are
 * checked against each other (survival at the last time per group).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { DuckDBInstance } from "@duckdb/node-api";
import { readAll, run, sql, type Sql } from "../core/sql.ts";
import { kaplanMeier, survivalCounts } from "../analyses/survival/index.ts";

function arg(name: string, def?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function readExpr(file: string): Sql {
  return file.endsWith(".parquet") ? sql`read_parquet(${file})` : sql`read_csv(${file}, header = true)`;
}

/** One run of our path: fresh in-memory DuckDB, read + aggregate in SQL, KM per group. */
async function ours(file: string): Promise<{ ms: number; last: Map<string, number> }> {
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  const counts = await survivalCounts(conn, sql`SELECT groep, tijd, status FROM ${readExpr(file)}`);
  const last = new Map<string, number>();
  for (const [g, rows] of counts) {
    const t = kaplanMeier(rows);
    last.set(g, t.surv[t.surv.length - 1]);
  }
  const ms = performance.now() - t0;
  conn.closeSync();
  return { ms, last };
}

async function generate(dir: string, rows: number): Promise<{ parquet: string; csv: string }> {
  mkdirSync(dir, { recursive: true });
  const parquet = join(dir, `km-${rows}.parquet`);
  const csv = join(dir, `km-${rows}.csv`);
  if (existsSync(parquet) && existsSync(csv)) return { parquet, csv };
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  // deterministic pseudo-random numbers from hashes of the row number (no seed/thread dependence)
  await run(
    conn,
    sql`
    CREATE TABLE km AS
    WITH u AS (
      SELECT i,
             (hash(i, 1) % 1000000000)::DOUBLE / 1e9 AS u1,
             (hash(i, 2) % 1000000000)::DOUBLE / 1e9 AS u2,
             (hash(i, 3) % 1000000000)::DOUBLE / 1e9 AS u3,
             (hash(i, 4) % 1000000000)::DOUBLE / 1e9 AS u4
      FROM range(${rows}) t(i)
    ), g AS (
      SELECT *, CASE WHEN u1 < 0.79 THEN 'geen' WHEN u1 < 0.97 THEN 'extern' ELSE 'intern' END AS groep
      FROM u
    ), e AS (
      SELECT groep,
             -- time to next job: a share starts within a week, the rest roughly exponential
             CASE WHEN u2 < 0.28 THEN floor(u3 * 8)
                  ELSE floor(-ln(1 - u3) * CASE groep WHEN 'geen' THEN 620 WHEN 'extern' THEN 680 ELSE 740 END) END AS t_event,
             -- follow-up until the peildatum: uniform over 0..1461 days
             floor(u4 * 1462) AS t_cens
      FROM g
    )
    SELECT groep,
           least(t_event, t_cens, 1461)::INTEGER AS tijd,
           (t_event <= least(t_cens, 1461))::INTEGER AS status
    FROM e`,
  );
  await run(conn, sql`COPY km TO ${parquet} (FORMAT parquet)`);
  await run(conn, sql`COPY km TO ${csv} (FORMAT csv, HEADER true)`);
  const r = await readAll(conn, sql`SELECT count(*)::DOUBLE, avg(status)::DOUBLE, count(DISTINCT tijd)::DOUBLE FROM km`);
  const [n, pEvent, nTimes] = r.getRowsJS()[0] as number[];
  console.log(`generated ${parquet} and ${csv}: ${n} rows, ${(100 * pEvent).toFixed(1)}% events, ${nTimes} distinct times`);
  conn.closeSync();
  return { parquet, csv };
}

const R_SCRIPT = `
t0 <- proc.time()[["elapsed"]]
suppressPackageStartupMessages(library(survival))
t1 <- proc.time()[["elapsed"]]
d <- read.csv(commandArgs(trailingOnly = TRUE)[1], colClasses = c("character", "numeric", "integer"))
t2 <- proc.time()[["elapsed"]]
fit <- survfit(Surv(tijd, status) ~ groep, data = d)
t3 <- proc.time()[["elapsed"]]
s <- summary(fit, times = max(d$tijd), extend = TRUE)
cat(sprintf("TIMING load=%.6f read=%.6f fit=%.6f\\n", t1 - t0, t2 - t1, t3 - t2))
cat(sprintf("LAST %s %.17g\\n", sub("groep=", "", as.character(s$strata)), s$surv), sep = "")
`;

function runR(rScript: string, csv: string): { wallMs: number; inner: number; fit: number; last: Map<string, number> } {
  const t0 = performance.now();
  const p = spawnSync("Rscript", ["--vanilla", rScript, csv], { encoding: "utf8" });
  const wallMs = performance.now() - t0;
  if (p.status !== 0) throw new Error(`Rscript mislukt: ${p.stderr}`);
  const m = /TIMING load=([\d.]+) read=([\d.]+) fit=([\d.]+)/.exec(p.stdout);
  if (!m) throw new Error(`onverwachte uitvoer van R: ${p.stdout}`);
  const last = new Map<string, number>();
  for (const line of p.stdout.split("\n")) {
    const l = /^LAST (\S+) (\S+)$/.exec(line);
    if (l) last.set(l[1], Number(l[2]));
  }
  return { wallMs, inner: (Number(m[2]) + Number(m[3])) * 1000, fit: Number(m[3]) * 1000, last };
}

function ourProcess(file: string): number {
  const t0 = performance.now();
  const p = spawnSync(process.execPath, ["--import", "tsx", resolve(process.argv[1]), "--child", file], { encoding: "utf8" });
  if (p.status !== 0) throw new Error(`child failed: ${p.stderr}`);
  return performance.now() - t0;
}

function fmt(ms: number): string {
  return `${ms.toFixed(1).padStart(8)} ms`;
}

async function main(): Promise<void> {
  const child = arg("child");
  if (child) {
    await ours(child);
    return;
  }
  const runs = Number(arg("runs", "5"));
  const rows = Number(arg("rows", "500000"));
  const given = arg("file");
  let parquet: string | undefined;
  let csv: string;
  if (given) {
    if (given.endsWith(".parquet")) {
      parquet = given;
      csv = join(tmpdir(), `bench-km-${process.pid}.csv`);
      const inst = await DuckDBInstance.create(":memory:");
      const c = await inst.connect();
      await run(c, sql`COPY (SELECT groep, tijd, status FROM ${readExpr(given)}) TO ${csv} (FORMAT csv, HEADER true)`);
      c.closeSync();
    } else csv = given;
  } else ({ parquet, csv } = await generate(resolve("out/bench"), rows));

  const rScript = join(tmpdir(), `bench-km-${process.pid}.R`);
  writeFileSync(rScript, R_SCRIPT);
  const version = spawnSync("Rscript", ["-e", 'cat(R.version.string, "survival", as.character(packageVersion("survival")))'], {
    encoding: "utf8",
  });
  console.log(`R: ${version.stdout.trim()}; node ${process.version}; ${runs} runs each\n`);

  const files = parquet ? [parquet, csv] : [csv];
  const oursInner = new Map<string, number[]>();
  const oursWall = new Map<string, number[]>();
  let oursLast = new Map<string, number>();
  await ours(files[0]); // warm the file cache; not timed
  for (const f of files) {
    oursInner.set(f, []);
    oursWall.set(f, []);
    for (let i = 0; i < runs; i++) {
      const r = await ours(f);
      oursInner.get(f)!.push(r.ms);
      oursLast = r.last;
      oursWall.get(f)!.push(ourProcess(f));
    }
  }
  const rInner: number[] = [];
  const rWall: number[] = [];
  const rFit: number[] = [];
  let rLast = new Map<string, number>();
  runR(rScript, csv); // warm-up
  for (let i = 0; i < runs; i++) {
    const r = runR(rScript, csv);
    rInner.push(r.inner);
    rWall.push(r.wallMs);
    rFit.push(r.fit);
    rLast = r.last;
  }

  // both sides must agree on the estimate
  for (const [g, s] of oursLast) {
    const rs = rLast.get(g);
    if (rs === undefined || Math.abs(s - rs) > 1e-9 * Math.max(Math.abs(rs), 1e-3))
      throw new Error(`ours and R disagree for ${g}: ${s} vs ${rs}`);
  }
  console.log(`estimates agree (surv at the last time per group: ${[...oursLast].map(([g, s]) => `${g} ${s.toFixed(6)}`).join(", ")})\n`);

  const mR = median(rInner);
  const mRw = median(rWall);
  console.log("in process (read + aggregate/fit), median of runs:");
  console.log(`  R  read.csv + survfit (CSV)          ${fmt(mR)}   [${rInner.map((x) => x.toFixed(0)).join(", ")}]`);
  console.log(`     of which survfit alone            ${fmt(median(rFit))}   [${rFit.map((x) => x.toFixed(0)).join(", ")}]`);
  for (const f of files) {
    const m = median(oursInner.get(f)!);
    console.log(
      `  ours DuckDB + kaplanMeier (${f.endsWith(".parquet") ? "Parquet" : "CSV"})${f.endsWith(".parquet") ? "" : "    "}  ${fmt(m)}   [${oursInner
        .get(f)!
        .map((x) => x.toFixed(0))
        .join(", ")}]   ratio ours/R ${(m / mR).toFixed(3)}`,
    );
  }
  console.log("whole process (startup + load + read + fit), median of runs:");
  console.log(`  Rscript                              ${fmt(mRw)}   [${rWall.map((x) => x.toFixed(0)).join(", ")}]`);
  for (const f of files) {
    const m = median(oursWall.get(f)!);
    console.log(
      `  node + tsx (${f.endsWith(".parquet") ? "Parquet" : "CSV"})${f.endsWith(".parquet") ? "" : "    "}                 ${fmt(m)}   [${oursWall
        .get(f)!
        .map((x) => x.toFixed(0))
        .join(", ")}]   ratio ours/R ${(m / mRw).toFixed(3)}`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
