/**
 * Faults: a run SIGKILLed at chosen moments (and, opt-in, at random ones), determinism
 * (byte-identical outputs), an output folder that cannot be written, a full disk, DuckDB memory
 * limit and spill folder.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { runAll } from "../../cli/commands/run.ts";
import { rng } from "../helpers/random.ts";
import {
  BASIS,
  BIN,
  TODAY,
  copyDir,
  hashTree,
  type KillMoment,
  killAt,
  leftovers,
  listFiles,
  query,
  readParquetRows,
  stackLines,
  tempDir,
} from "./helpers.ts";
import { tierCount } from "../helpers/tier.ts";

const KILL_SEED = Number(process.env.BAANMONITOR_KILL_SEED ?? 7);
/** random kills on top of the chosen moments: none in `npm test`, 4 in the slow tier (test/helpers/tier.ts) */
const KILLS = tierCount("BAANMONITOR_KILLS", 0, 4);

const cli = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 300_000, env: { ...process.env, BAANMONITOR_DEBUG: "" } });

/** Run the CLI and SIGKILL it after `ms`; resolves with how it ended. */
function runAndKill(args: string[], ms: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: "ignore" });
    let killed = false;
    const t = setTimeout(() => {
      killed = p.kill("SIGKILL");
    }, ms);
    p.on("exit", (code, signal) => {
      clearTimeout(t);
      resolve({ killed: killed && signal === "SIGKILL", code });
    });
  });
}

/** An output folder is usable: manifest parses, every mart listed is there and readable, the database opens. */
async function usable(out: string): Promise<void> {
  const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  const rows = await readParquetRows(join(out, "marts"));
  for (const mart of m.uitvoer.marts) expect(rows[mart.bestand.replace(/^marts\//, "")], mart.naam).toBe(mart.rijen);
  const r = (await query(out, "SELECT count(*)::INTEGER AS n FROM stg_polis"))[0]![0]!;
  expect(r.n).toBeGreaterThan(0);
}

/**
 * The moments of a `run --skip-analyses` that a kill targets. Each leaves a different state for
 * the next run's recovery: (1) the temp folder just made (its marker being written, DuckDB
 * starting: where a kill once left a folder with an empty marker behind, 0b36561), (2) half-way,
 * the database and part of the marts Parquet written, (3) the new output complete, at the swap: a
 * kill before, between or after the two renames (a complete temp folder and the lock; both
 * folders; or the old folder and the lock). A kill at any other moment leaves one of these
 * states. Random moments (the earlier test: 4 of them) often fell after the run had ended on a
 * busy machine, or twice in one phase. The states themselves are also built by hand in
 * test/ingest/atomic.test.ts.
 */
const RUN_MOMENTS: KillMoment[] = [
  { naam: "tijdelijke map net aangemaakt", bereikt: () => true },
  { naam: "marts naar Parquet", bereikt: (tmp) => existsSync(join(tmp, "marts")) },
  { naam: "nieuwe uitvoer compleet, bij de wissel", bereikt: (tmp) => existsSync(join(tmp, "manifest.json")) },
];

let gen: string;
beforeAll(() => {
  gen = inject("smallWorld"); // scale 0.002, seed 5 (test/setup/shared-world.ts), read only
});

describe("SIGKILL during a run", () => {
  it(`keeps the previous output intact and usable; the next run succeeds (${RUN_MOMENTS.length} chosen moments + ${KILLS} random, seed ${KILL_SEED})`, async () => {
    const out = join(tempDir(), "out");
    const args = ["run", "--extracts", join(gen, "extracts"), "--out", out, "--skip-analyses"];
    // the previous output and the run after each kill need no process of their own
    const next = () => runAll({ extracts: join(gen, "extracts"), out, skipAnalyses: true, progress: false });
    await next();
    const seen: string[] = [];
    /** after a kill: <out> is the previous output, the new complete one, or (kill between the two renames) absent */
    const check = async (ctx: string, before: string, killed: boolean) => {
      const now = existsSync(join(out, "manifest.json")) ? readFileSync(join(out, "manifest.json"), "utf8") : null;
      const complete = (f: string) => /^out\.(old|tmp)-/.test(f) && existsSync(join(out, "..", f, "manifest.json"));
      if (now === null) expect(killed && leftovers(out).some(complete), `${ctx}: <out> weg zonder complete map ernaast`).toBe(true);
      else await usable(out);
      seen.push(
        `${ctx}: ${!killed ? "klaar voor de kill" : now === before ? "vorige uitvoer intact" : now === null ? "tussen de twee renames" : "nieuwe uitvoer al op zijn plaats"}`,
      );
      // the next run recovers, succeeds and cleans up what the killed one left
      await next();
      expect(leftovers(out), ctx).toEqual([]);
      await usable(out);
    };
    for (const m of RUN_MOMENTS) {
      const before = readFileSync(join(out, "manifest.json"), "utf8");
      const res = await killAt(args, out, m);
      // the first two moments are long before the run ends: the kill must land there
      if (m !== RUN_MOMENTS.at(-1)) expect(res.killed, m.naam).toBe(true);
      await check(m.naam, before, res.killed);
    }
    if (KILLS > 0) {
      // time a warm run: the random kills are spread over that
      const t0 = performance.now();
      expect(cli(args).status).toBe(0);
      const full = performance.now() - t0;
      const r = rng(KILL_SEED);
      for (let k = 0; k < KILLS; k++) {
        const before = readFileSync(join(out, "manifest.json"), "utf8");
        // mostly after Node and DuckDB have started (the first ~quarter of a run is start-up)
        const ms = Math.round(full * (0.2 + 0.8 * r()));
        const res = await runAndKill(args, ms);
        await check(`kill na ${ms} ms (volledige run ${Math.round(full)} ms, seed ${KILL_SEED})`, before, res.killed);
      }
    }
    console.log(`SIGKILL: ${seen.join("; ")}`);
  });
});

describe("determinism", () => {
  it("two runs with the same inputs and parameters give byte-identical marts, analyses and publish files", async () => {
    // a: the shared run of the small world (test/setup/shared-world.ts, run date TODAY), made in
    // another process with the default thread count; b: made here with one thread
    const a = inject("smallRun");
    const b = join(tempDir(), "b");
    await runAll({ extracts: join(gen, "extracts"), out: b, progress: false, today: TODAY, threads: 1 });
    const keep = (f: string) => /^(marts|analyses)\/.*\.parquet$|^publish\/.*\.json$/.test(f);
    const ha = hashTree(a, keep);
    expect(Object.keys(ha).filter((f) => f.startsWith("marts/")).length).toBeGreaterThan(0);
    expect(Object.keys(ha).filter((f) => f.startsWith("analyses/")).length).toBeGreaterThan(0);
    expect(Object.keys(ha)).toContain("publish/run.json");
    expect(hashTree(b, keep)).toEqual(ha);
    // the manifest differs only in its run key (start/end, options) and timings
    const ma = JSON.parse(readFileSync(join(a, "manifest.json"), "utf8"));
    const mb = JSON.parse(readFileSync(join(b, "manifest.json"), "utf8"));
    for (const k of Object.keys(ma)) if (!["run", "timings"].includes(k)) expect(mb[k], `manifest.${k}`).toEqual(ma[k]);
    expect(Object.keys(mb).sort()).toEqual(Object.keys(ma).sort());
    // and the public run.json carries no timings
    expect(readFileSync(join(a, "publish", "run.json"), "utf8")).not.toMatch(/"(timings|start|einde|ms)"/);
  });
});

describe("output folder cannot be written", () => {
  it("--out below a regular file: clear error, exit 2, nothing written", () => {
    const d = tempDir();
    writeFileSync(join(d, "bestand"), "x");
    const r = cli(["run", "--extracts", BASIS, "--out", join(d, "bestand", "out"), "--skip-analyses"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`uitvoermap ${join(d, "bestand", "out")} kan niet worden aangemaakt`);
    expect(stackLines(r.stderr)).toEqual([]);
    expect(listFiles(d)).toEqual(["bestand"]);
  });

  const mountable = (() => {
    if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
    const m = join(tempDir(), "probe");
    mkdirSync(m);
    const ok = spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", m]).status === 0;
    if (ok) spawnSync("umount", [m]);
    return ok;
  })();
  const withTmpfs = async (opts: string, f: (dir: string) => Promise<void> | void) => {
    const m = join(tempDir(), "mnt");
    mkdirSync(m);
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", opts, "tmpfs", m]).status).toBe(0);
    try {
      await f(m);
    } finally {
      spawnSync("umount", [m]);
      rmSync(m, { recursive: true, force: true });
    }
  };

  it.skipIf(!mountable)("read-only file system: clear error, exit 2 (needs root and mount; skipped otherwise)", async () => {
    await withTmpfs("ro,size=1m", (m) => {
      const r = cli(["run", "--extracts", BASIS, "--out", join(m, "out"), "--skip-analyses"]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain("kan niet worden aangemaakt of beschreven (EROFS");
      expect(stackLines(r.stderr)).toEqual([]);
    });
  });

  it.skipIf(!mountable)(
    "full disk (12 MB tmpfs: room for one output, not two): clear error, exit 2, previous output intact, no half-written folder (needs root and mount)",
    async () => {
      await withTmpfs("size=12m", async (m) => {
        // one output (~8 MB, mostly the DuckDB file) fits; a second one beside it during the run does not
        const out = join(m, "out");
        await runAll({ extracts: BASIS, out, skipAnalyses: true, progress: false });
        const before = readFileSync(join(out, "manifest.json"), "utf8");
        const r = cli(["run", "--extracts", join(gen, "extracts"), "--out", out, "--skip-analyses"]);
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr).toContain("schijf vol");
        expect(stackLines(r.stderr)).toEqual([]);
        expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe(before);
        expect(leftovers(out)).toEqual([]);
      });
    },
  );
});

describe("DuckDB memory limit and spill folder", () => {
  it("--memory-limit and --temp-dir are used and recorded in the manifest", () => {
    const d = tempDir();
    const spill = join(d, "spill");
    const r = cli([
      "run",
      "--extracts",
      join(gen, "extracts"),
      "--out",
      join(d, "out"),
      "--skip-analyses",
      "--memory-limit",
      "256MB",
      "--temp-dir",
      spill,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(d, "out", "manifest.json"), "utf8"));
    expect(m.run.opties).toMatchObject({ memoryLimit: "256MB", tempDir: spill });
  });

  it("an invalid --memory-limit is a clear error", () => {
    const r = cli(["run", "--extracts", BASIS, "--out", join(tempDir(), "out"), "--memory-limit", "veel"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--memory-limit "veel" is geen geheugengrootte');
    expect(stackLines(r.stderr)).toEqual([]);
  });

  it("a memory limit too low for the run is a clear error, not an internal one", () => {
    const d = tempDir();
    const r = cli(["run", "--extracts", BASIS, "--out", join(d, "out"), "--skip-analyses", "--memory-limit", "1MB"]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain("DuckDB heeft te weinig geheugen (--memory-limit 1MB)");
    expect(stackLines(r.stderr)).toEqual([]);
    expect(listFiles(d)).toEqual([]);
  });

  it("analyse takes --memory-limit and --temp-dir as run does; too little memory is a clear error that changes nothing", async () => {
    const d = tempDir();
    const out = copyDir(inject("smallRun"), join(d, "out"));
    const keep = (f: string) => /^(marts|analyses)\/.*\.parquet$|^publish\/.*\.json$/.test(f);
    const before = hashTree(out, keep);
    const spill = join(d, "spill");
    const ok = cli(["analyse", "--out", out, "--memory-limit", "256MB", "--temp-dir", spill]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(hashTree(out, keep)).toEqual(before);
    const bad = cli(["analyse", "--out", out, "--memory-limit", "veel"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--memory-limit "veel" is geen geheugengrootte');
    const low = cli(["analyse", "--out", out, "--memory-limit", "1MB"]);
    expect(low.status, low.stderr).toBe(2);
    expect(low.stderr).toContain("DuckDB heeft te weinig geheugen (--memory-limit 1MB)");
    expect(stackLines(low.stderr)).toEqual([]);
    expect(hashTree(out, keep)).toEqual(before);
  });
});
