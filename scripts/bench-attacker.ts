/**
 * Benchmark of the attacker check (analyses/disclosure/attacker.ts) on a synthetic system the size
 * of a full publication:
 * - 300 two-way tables of 4 x 6 counts with published row, column and grand totals; counts 1..4
 *   are hidden (about 10% of the cells) and partners are hidden until no row or column of a table
 *   has exactly one hidden cell;
 * - 60 tables of wage sums (magnitudes) over 6 groups with a published total, two parts hidden;
 * - 4 long chains of 250 hidden counts whose sums of neighbours are published (moving two-period
 *   totals), each one component of 250 variables.
 *
 *   node --import tsx scripts/bench-attacker.ts [--runs 3] [--seed 1] [--cold]
 *
 * Prints the size of the system, the median wall time of --runs audits in one process (the HiGHS
 * module is loaded once, its load time printed apart; the first audit pays the WebAssembly
 * warm-up) and solves per second. With --cold every run is a fresh process, as in the pipeline.
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { audit, loadSolver, type AuditCell, type AuditConstraint, type AuditResult } from "../analyses/disclosure/attacker.ts";

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? def) : def;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** mulberry32: a small seeded generator, so every run audits the same system */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface System {
  cells: AuditCell[];
  constraints: AuditConstraint[];
}

const count = (id: string, value: number, hidden: boolean): AuditCell => ({ id, value, hidden, integer: true, lower: 0, kind: "count" });

function sumRelation(label: string, parts: string[], total: string): AuditConstraint {
  return { label, op: "=", rhs: 0, terms: [...parts.map((p): [string, number] => [p, 1]), [total, -1]] };
}

/** Hide partners until no row or column has exactly one hidden cell (the smallest visible one goes). */
function secondary(values: number[][], hidden: boolean[][]): void {
  const lines = (): Array<Array<[number, number]>> => {
    const rows = values.map((row, r) => row.map((_, c): [number, number] => [r, c]));
    const cols = values[0]!.map((_, c) => values.map((_, r): [number, number] => [r, c]));
    return [...rows, ...cols];
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines()) {
      if (line.filter(([r, c]) => hidden[r]![c]).length !== 1) continue;
      const open = line.filter(([r, c]) => !hidden[r]![c]).sort(([r1, c1], [r2, c2]) => values[r1]![c1]! - values[r2]![c2]!);
      const pick = open[0];
      if (!pick) continue;
      hidden[pick[0]]![pick[1]] = true;
      changed = true;
    }
  }
}

function twoWayTable(sys: System, t: number, rand: () => number): void {
  const R = 4;
  const C = 6;
  const values = Array.from({ length: R }, () =>
    Array.from({ length: C }, () => (rand() < 0.1 ? 1 + Math.floor(rand() * 4) : 5 + Math.floor(rand() * 200))),
  );
  const hidden = values.map((row) => row.map((v) => v < 5));
  secondary(values, hidden);
  const id = (r: number, c: number): string => `tabel${t}#${r}.${c}`;
  values.forEach((row, r) => row.forEach((v, c) => sys.cells.push(count(id(r, c), v, hidden[r]![c]!))));
  const rowTotals = values.map((row) => row.reduce((a, b) => a + b, 0));
  rowTotals.forEach((v, r) => sys.cells.push(count(`tabel${t}#${r}.totaal`, v, false)));
  for (let c = 0; c < C; c++)
    sys.cells.push(
      count(
        `tabel${t}#totaal.${c}`,
        values.reduce((a, row) => a + row[c]!, 0),
        false,
      ),
    );
  sys.cells.push(
    count(
      `tabel${t}#totaal`,
      rowTotals.reduce((a, b) => a + b, 0),
      false,
    ),
  );
  for (let r = 0; r < R; r++)
    sys.constraints.push(
      sumRelation(
        `tabel${t}/rij${r}`,
        values[r]!.map((_, c) => id(r, c)),
        `tabel${t}#${r}.totaal`,
      ),
    );
  for (let c = 0; c < C; c++)
    sys.constraints.push(
      sumRelation(
        `tabel${t}/kolom${c}`,
        values.map((_, r) => id(r, c)),
        `tabel${t}#totaal.${c}`,
      ),
    );
  sys.constraints.push(
    sumRelation(
      `tabel${t}/totaal`,
      values.map((_, r) => `tabel${t}#${r}.totaal`),
      `tabel${t}#totaal`,
    ),
  );
}

function wageTable(sys: System, t: number, rand: () => number): void {
  const parts = Array.from({ length: 6 }, () => 20_000 + rand() * 400_000);
  const hide = new Set([Math.floor(rand() * 6)]);
  while (hide.size < 2) hide.add(Math.floor(rand() * 6));
  parts.forEach((v, g) =>
    sys.cells.push({ id: `loon${t}#${g}`, value: v, hidden: hide.has(g), integer: false, lower: 0, kind: "magnitude" }),
  );
  sys.cells.push({
    id: `loon${t}#totaal`,
    value: parts.reduce((a, b) => a + b, 0),
    hidden: false,
    integer: false,
    lower: 0,
    kind: "magnitude",
  });
  sys.constraints.push(
    sumRelation(
      `loon${t}/totaal`,
      parts.map((_, g) => `loon${t}#${g}`),
      `loon${t}#totaal`,
    ),
  );
}

function chain(sys: System, k: number, length: number, rand: () => number): void {
  const values = Array.from({ length }, () => Math.floor(rand() * 30));
  values.forEach((v, i) => sys.cells.push(count(`reeks${k}#${i}`, v, true)));
  for (let i = 0; i + 1 < length; i++) {
    sys.cells.push(count(`reeks${k}#${i}+${i + 1}`, values[i]! + values[i + 1]!, false));
    sys.constraints.push(sumRelation(`reeks${k}/som${i}`, [`reeks${k}#${i}`, `reeks${k}#${i + 1}`], `reeks${k}#${i}+${i + 1}`));
  }
}

function synthetic(seed: number): System {
  const rand = rng(seed);
  const sys: System = { cells: [], constraints: [] };
  for (let t = 0; t < 300; t++) twoWayTable(sys, t, rand);
  for (let t = 0; t < 60; t++) wageTable(sys, t, rand);
  for (let k = 0; k < 4; k++) chain(sys, k, 250, rand);
  return sys;
}

/** One audit of the synthetic system; the HiGHS load is timed apart. */
async function once(sys: System): Promise<{ loadMs: number; result: AuditResult; cpuMs: number }> {
  const t0 = performance.now();
  await loadSolver();
  const loadMs = performance.now() - t0;
  const c0 = process.cpuUsage();
  const result = await audit(sys.cells, sys.constraints);
  const c = process.cpuUsage(c0);
  return { loadMs, result, cpuMs: (c.user + c.system) / 1000 };
}

/** --cold: every run in a fresh process (what the pipeline pays: one audit per process). */
function coldRun(seed: string): { loadMs: number; ms: number; cpuMs: number } {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", "--seed", seed], {
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(`bench child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { loadMs: number; ms: number; cpuMs: number };
}

async function main(): Promise<void> {
  const runs = Number(arg("runs", "3"));
  const seed = arg("seed", "1");
  const sys = synthetic(Number(seed));
  if (process.argv.includes("--child")) {
    const { loadMs, result, cpuMs } = await once(sys);
    process.stdout.write(JSON.stringify({ loadMs, ms: result.ms, cpuMs }));
    return;
  }
  const first = await once(sys);
  const r = first.result;
  const primary = sys.cells.filter((c) => c.hidden && c.integer && c.value > 0 && c.value < 5 && c.id.startsWith("tabel")).length;
  const tableCells = sys.cells.filter((c) => /^tabel\d+#\d+\.\d+$/.test(c.id));
  console.log(`cells ${sys.cells.length}, relations ${sys.constraints.length}`);
  console.log(
    `tables: ${tableCells.length} interior cells, ${primary} primary hidden, ${tableCells.filter((c) => c.hidden).length} hidden with partners`,
  );
  console.log(`hidden ${r.hiddenCells}, rows with a variable ${r.constraints}, components ${r.components}, failures ${r.failures.length}`);
  console.log(`solves ${r.solves} for ${2 * r.hiddenCells} bounds (MIPs ${r.mips}, dives ${r.dives}), limited ${r.limited.length}`);
  if (process.argv.includes("--cold")) {
    const cold = Array.from({ length: runs }, () => coldRun(seed));
    const ms = median(cold.map((x) => x.ms));
    console.log(`HiGHS load: median ${median(cold.map((x) => x.loadMs)).toFixed(0)} ms`);
    console.log(
      `audit, fresh process per run: median ${ms.toFixed(0)} ms of ${runs} (${cold.map((x) => x.ms.toFixed(0)).join(", ")}), cpu median ${median(cold.map((x) => x.cpuMs)).toFixed(0)} ms`,
    );
    console.log(`${((r.solves / ms) * 1000).toFixed(0)} solves/s`);
    return;
  }
  const results = [first];
  for (let i = 1; i < runs; i++) results.push(await once(sys));
  const signature = (x: AuditResult): string => JSON.stringify([x.solves, x.failures, [...x.intervals]]);
  if (results.some((x) => signature(x.result) !== signature(r))) throw new Error("bench: runs on the same input differ");
  const ms = median(results.map((x) => x.result.ms));
  console.log(`HiGHS load ${first.loadMs.toFixed(0)} ms (once per process)`);
  console.log(
    `audit, one process: median ${ms.toFixed(0)} ms of ${runs} runs (${results.map((x) => x.result.ms.toFixed(0)).join(", ")}; the first pays the WebAssembly warm-up), cpu median ${median(results.map((x) => x.cpuMs)).toFixed(0)} ms`,
  );
  console.log(`${((r.solves / ms) * 1000).toFixed(0)} solves/s`);
}

await main();
