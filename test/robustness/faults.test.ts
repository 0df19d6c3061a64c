/**
 * Faults: a run SIGKILLed at random moments, determinism (byte-identical outputs), an output
 * folder that cannot be written, a full disk, DuckDB memory limit and spill folder.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runAll } from "../../cli/commands/run.ts";
import { rng } from "../helpers/random.ts";
import { BASIS, BIN, TODAY, hashTree, leftovers, listFiles, query, readParquetRows, stackLines, tempDir } from "./helpers.ts";

const KILL_SEED = Number(process.env.BAANMONITOR_KILL_SEED ?? 7);
const KILLS = Number(process.env.BAANMONITOR_KILLS ?? 4);

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

let gen: string;
beforeAll(() => {
  gen = join(tempDir(), "gen");
  const g = cli(["generate", "--scale", "0.002", "--seed", "5", "--out", gen]);
  expect(g.status, g.stderr).toBe(0);
});

describe("SIGKILL at random moments", () => {
  it(`keeps the previous output intact and usable; the next run succeeds (${KILLS} kills, seed ${KILL_SEED})`, async () => {
    const out = join(tempDir(), "out");
    const args = ["run", "--extracts", join(gen, "extracts"), "--out", out, "--skip-analyses"];
    expect(cli(args).status).toBe(0);
    // time a second (warm) run: the kills are spread over that
    const t0 = performance.now();
    expect(cli(args).status).toBe(0);
    const full = performance.now() - t0;
    const r = rng(KILL_SEED);
    const seen: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const before = readFileSync(join(out, "manifest.json"), "utf8");
      // mostly after Node and DuckDB have started (the first ~quarter of a run is start-up)
      const ms = Math.round(full * (0.2 + 0.8 * r()));
      const res = await runAndKill(args, ms);
      // after the kill: <out> is the previous output, or (kill after the swap) the new complete one
      const ctx = `kill na ${ms} ms (volledige run ${Math.round(full)} ms, seed ${KILL_SEED})`;
      expect(existsSync(join(out, "manifest.json")), ctx).toBe(true);
      const now = readFileSync(join(out, "manifest.json"), "utf8");
      seen.push(
        `${ms} ms: ${!res.killed ? "klaar voor de kill" : now === before ? "vorige uitvoer intact" : "nieuwe uitvoer al op zijn plaats"}`,
      );
      await usable(out);
      // the next run succeeds and cleans up what the killed one left
      const next = cli(args);
      expect(next.status, `${ctx}: ${next.stderr}`).toBe(0);
      expect(leftovers(out), ctx).toEqual([]);
      await usable(out);
    }
    console.log(`SIGKILL: ${seen.join("; ")}`);
  });
});

describe("determinism", () => {
  it("two runs with the same inputs and parameters give byte-identical marts, analyses and publish files", async () => {
    const a = join(tempDir(), "a");
    const b = join(tempDir(), "b");
    await runAll({ extracts: join(gen, "extracts"), out: a, progress: false, today: TODAY });
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
        expect(cli(["run", "--extracts", BASIS, "--out", out, "--skip-analyses"]).status).toBe(0);
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
});
