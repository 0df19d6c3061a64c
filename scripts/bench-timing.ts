/**
 * What the run benchmarks share (scripts/bench-run.ts, scripts/bench-scale.ts): medians, a
 * command timed under /usr/bin/time -v, and DuckDB's own load of the extracts as a child script.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ident, sql } from "../core/sql.ts";

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export interface Timed {
  /** wall seconds */
  s: number;
  /** CPU seconds, user + system */
  cpu: number;
  /** peak resident set size of the process, MB */
  rssMb: number;
}

/** Run a command under /usr/bin/time -v; wall seconds, CPU seconds (user + system) and peak RSS (MB). */
export function timed(cmd: string[], cwd: string): Timed {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-v", ...cmd], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} faalde (${r.status}):\n${r.stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const cpu = ["User", "System"].reduce(
    (a, k) => a + Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN),
    0,
  );
  return { s, cpu, rssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

// The child processes run plain node (no TypeScript), so the statements are built here with
// core/sql.ts and handed over as JSON text.
export const EXTRACTS = ["uitkeringen", "polis", "jobcoachportaal", "sonar"];
export const childScript = (db: string, statements: string[]): string => `
import { DuckDBInstance } from "@duckdb/node-api";
const db = await DuckDBInstance.create(${JSON.stringify(db)}, { threads: "2" });
const c = await db.connect();
for (const s of ${JSON.stringify(statements)}) await c.run(s);
c.closeSync();
db.closeSync();`;

/** DuckDB loading the four CSVs into a new database file (its own type detection, no checks). */
export const loadScript = (extracts: string, db: string): string =>
  childScript(
    db,
    EXTRACTS.map((x) => sql`CREATE TABLE ${ident(x)} AS SELECT * FROM read_csv(${join(extracts, `${x}.csv`)}, header = true)`.text),
  );
