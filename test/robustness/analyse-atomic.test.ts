/**
 * `analyse` publishes atomically, like `run`: a complete new output swapped in at once, under
 * the lock on `<out>`. A kill -9 at any moment leaves the old or the new complete set; `run`
 * and `analyse` on one `--out` never mix their results. "Consistent" below: every
 * publish/<id>.json and publish/run.json carries the parameters recorded in manifest.json.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { analyse } from "../../cli/commands/analyse.ts";
import { rulesFrom } from "../../analyses/disclosure/index.ts";
import { stableJson } from "../../analyses/lib/output.ts";
import { ANALYSES } from "../../analyses/registry.ts";
import type { Parameters } from "../../pipeline/config.ts";
import { lockPath } from "../../pipeline/output-lock.ts";
import { readMarker } from "../../pipeline/output-folder.ts";
import { rng } from "../helpers/random.ts";
import { userError } from "../ingest/helpers.ts";
import { BIN, copyDir, hashTree, type KillMoment, killAt, leftovers, query, stackLines, tempDir } from "./helpers.ts";
import { SLOW, tierCount } from "../helpers/tier.ts";

const KILL_SEED = Number(process.env.BAANMONITOR_KILL_SEED ?? 11);
/** random kills on top of the chosen moments: none in `npm test`, 4 in the slow tier (test/helpers/tier.ts) */
const KILLS = tierCount("BAANMONITOR_KILLS", 0, 4);

const cli = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 300_000, env: { ...process.env, BAANMONITOR_DEBUG: "" } });
const readJson = (p: string) => JSON.parse(readFileSync(p, "utf8"));
const ino = (p: string) => statSync(p).ino;

/** Every published file carries the manifest's parameters; returns the manifest's minAantal. */
function consistent(out: string): number {
  const params = readJson(join(out, "manifest.json")).parameters as Parameters;
  for (const m of ANALYSES) {
    const expected = JSON.parse(stableJson({ ...(m.parameters(params) as object), disclosure: rulesFrom(params) }));
    expect(readJson(join(out, "publish", `${m.id}.json`)).parameters, `publish/${m.id}.json`).toEqual(expected);
    expect(existsSync(join(out, "analyses", `${m.id}.parquet`)), `analyses/${m.id}.parquet`).toBe(true);
  }
  expect(readJson(join(out, "publish", "run.json")).parameters).toEqual(JSON.parse(stableJson(params)));
  expect(readMarker(out)).not.toBeNull();
  return params.disclosure.minAantal;
}

/** Start the CLI; resolves with exit code, signal and stderr. */
function start(args: string[]) {
  const p = spawn(process.execPath, [BIN, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, BAANMONITOR_DEBUG: "" },
  });
  let stderr = "";
  p.stderr!.on("data", (b) => (stderr += b));
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((r) =>
    p.on("exit", (code, signal) => r({ code, signal, stderr })),
  );
  return { p, done };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const waitFor = async (cond: () => boolean) => {
  while (!cond()) await sleep(5);
};

let gen: string;
let base: string;
let configA: string;
let configB: string;
beforeAll(() => {
  const d = tempDir();
  gen = inject("smallWorld"); // scale 0.002, seed 5 (test/setup/shared-world.ts), read only
  base = inject("smallRun"); // a complete run of the small world (test/setup/shared-world.ts), read only
  configA = join(d, "a.json");
  configB = join(d, "b.json");
  writeFileSync(configA, JSON.stringify({ parameters: {} }));
  writeFileSync(configB, JSON.stringify({ parameters: { disclosure: { minAantal: 15 } } }));
});
/** A private copy of the base run. */
const fresh = () => copyDir(base, join(tempDir(), "out"));

describe("analyse swaps in a complete new output", () => {
  it("new parameters reach every published file and the manifest; the run's unchanged files are hard links, not copies", async () => {
    const out = fresh();
    expect(consistent(out)).toBe(10);
    const runId = readMarker(out)!.run_id;
    const linked = ["baanmonitor.duckdb", "staging.sql", ...readdirSync(join(out, "marts")).map((f) => `marts/${f}`)];
    const before = Object.fromEntries(linked.map((f) => [f, ino(join(out, f))]));
    await analyse({ out, config: configB, quiet: true });
    expect(consistent(out)).toBe(15);
    expect(readJson(join(out, "manifest.json")).analyse).toMatchObject({ alleen: null });
    expect(readMarker(out)!.run_id).not.toBe(runId);
    expect(Object.fromEntries(linked.map((f) => [f, ino(join(out, f))]))).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it("--only with the run's parameters reruns just those and keeps the rest; with changed parameters it is refused", async () => {
    const out = fresh();
    // the other analyses' results are kept (hard links); their published files are written
    // again because the whole set is protected anew, with the same content
    const other = join(out, "analyses", "maandmonitor.parquet");
    const otherIno = ino(other);
    const otherPublished = readFileSync(join(out, "publish", "maandmonitor.json"));
    const t = await analyse({ out, only: "baanduur", quiet: true });
    expect(t.map((x) => x.id)).toEqual(["baanduur", "openbaarmakingscontrole"]);
    expect(ino(other)).toBe(otherIno);
    expect(readFileSync(join(out, "publish", "maandmonitor.json")).equals(otherPublished)).toBe(true);
    consistent(out);
    const before = hashTree(out);
    const msg = await userError(analyse({ out, only: "baanduur", config: configB, quiet: true }));
    expect(msg).toMatch(
      /^--only met andere parameters dan de gepubliceerde set: ook .*maandmonitor.* hangen af van de gewijzigde parameters/,
    );
    expect(hashTree(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it("a folder that is not a run is refused and left alone", async () => {
    const out = join(tempDir(), "out");
    mkdirSync(out);
    writeFileSync(join(out, "manifest.json"), "{}");
    expect(await userError(analyse({ out, quiet: true }))).toContain("is geen uitvoermap van baanmonitor");
    expect(readdirSync(out)).toEqual(["manifest.json"]);
    expect(await userError(analyse({ out: join(tempDir(), "leeg"), quiet: true }))).toContain("geen database gevonden");
  });
});

/**
 * The moments of an `analyse` that a kill targets, each a different state for the next command's
 * recovery: (1) the temp folder just made (its marker, the run's files being hard-linked in),
 * (2) half-way, some analyses written, (3) the new set complete, at the swap: a kill before,
 * between or after the two renames. Any other moment leaves one of these states. Random moments
 * (the earlier test: 4) often fell after the analyse had ended on a busy machine.
 */
const ANALYSE_MOMENTS: KillMoment[] = [
  { naam: "tijdelijke map net aangemaakt", bereikt: () => true },
  {
    naam: "analyses half",
    bereikt: (tmp) => existsSync(join(tmp, "analyses")) && readdirSync(join(tmp, "analyses")).some((f) => f.endsWith(".parquet")),
  },
  { naam: "nieuwe set compleet, bij de wissel", bereikt: (tmp) => existsSync(join(tmp, "manifest.json")) },
];

describe("kill -9 during analyse", () => {
  it(`leaves the old or the new complete set, never a mix; the next analyse succeeds and cleans up (${ANALYSE_MOMENTS.length} chosen moments + ${KILLS} random, seed ${KILL_SEED})`, async () => {
    const out = fresh();
    const seen: string[] = [];
    /** kill an analyse that changes the parameters, by `kill(args)`; then check and run the next analyse */
    const killed = async (ctx: string, kill: (args: string[]) => Promise<boolean>, mustLand: boolean) => {
      const was = consistent(out);
      const config = was === 10 ? configB : configA;
      const landed = await kill(["analyse", "--out", out, "--config", config]);
      if (mustLand) expect(landed, ctx).toBe(true);
      // <out> holds one complete set (or, killed between the two renames, is absent with both beside it)
      const now = existsSync(join(out, "manifest.json")) ? consistent(out) : null;
      const complete = (f: string) => /^out\.(old|tmp)-/.test(f) && existsSync(join(out, "..", f, "manifest.json"));
      if (now === null) expect(landed && leftovers(out).some(complete), `${ctx}: <out> weg zonder complete set ernaast`).toBe(true);
      else expect((await query(out, "SELECT count(*)::INTEGER AS n FROM baaneindes"))[0]![0]!.n, ctx).toBeGreaterThan(0);
      seen.push(
        `${ctx}: ${!landed ? "klaar voor de kill" : now === was ? "oude set intact" : now === null ? "tussen de twee renames" : "nieuwe set al op zijn plaats"}`,
      );
      // the next analyse needs no process of its own
      await analyse({ out, config, quiet: true });
      expect(consistent(out), ctx).toBe(config === configB ? 15 : 10);
      expect(leftovers(out), ctx).toEqual([]);
    };
    for (const m of ANALYSE_MOMENTS) {
      // the first two moments are long before the analyse ends: the kill must land there
      await killed(m.naam, async (args) => (await killAt(args, out, m)).killed, m !== ANALYSE_MOMENTS.at(-1));
    }
    if (KILLS > 0) {
      const t0 = performance.now();
      expect(cli(["analyse", "--out", out, "--config", configA]).status).toBe(0);
      const full = performance.now() - t0;
      const r = rng(KILL_SEED);
      for (let k = 0; k < KILLS; k++) {
        const ms = Math.round(full * (0.15 + 0.85 * r()));
        await killed(
          `kill na ${ms} ms (volledige analyse ${Math.round(full)} ms, seed ${KILL_SEED})`,
          async (args) => {
            const run = start(args);
            const timer = setTimeout(() => run.p.kill("SIGKILL"), ms);
            const res = await run.done;
            clearTimeout(timer);
            return res.signal === "SIGKILL";
          },
          false,
        );
      }
    }
    console.log(`SIGKILL analyse: ${seen.join("; ")}`);
  });
});

describe("run and analyse on one --out", () => {
  it("analyse while run holds the lock is refused clearly, and run while analyse holds it", async () => {
    const out = fresh();
    const running = start(["run", "--extracts", join(gen, "extracts"), "--out", out]);
    await waitFor(() => existsSync(lockPath(out)));
    const a = cli(["analyse", "--out", out, "--config", configB]);
    expect(running.p.exitCode, "run was still running").toBeNull();
    expect(a.status, a.stderr).toBe(2);
    expect(a.stderr).toContain(`uitvoermap ${out} is in gebruik door baanmonitor run (pid ${running.p.pid}, sinds `);
    expect(stackLines(a.stderr)).toEqual([]);
    expect((await running.done).code).toBe(0);
    expect(consistent(out)).toBe(10);

    const analysing = start(["analyse", "--out", out, "--config", configB]);
    await waitFor(() => existsSync(lockPath(out)));
    const b = cli(["run", "--extracts", join(gen, "extracts"), "--out", out]);
    expect(analysing.p.exitCode, "analyse was still running").toBeNull();
    expect(b.status, b.stderr).toBe(2);
    expect(b.stderr).toContain(`is in gebruik door baanmonitor analyse (pid ${analysing.p.pid}, sinds `);
    expect((await analysing.done).code).toBe(0);
    expect(consistent(out)).toBe(15);
    expect(leftovers(out)).toEqual([]);
  });

  it("started together (various offsets): each succeeds or is refused clearly, the result is one consistent set", async () => {
    const out = fresh();
    const outcomes: string[] = [];
    const runArgs = ["run", "--extracts", join(gen, "extracts"), "--out", out];
    const analyseArgs = ["analyse", "--out", out, "--config", configB];
    // the race of two simultaneous starts in `npm test` (one holding the lock while the other
    // starts is the test above, in both orders); the slow tier adds staggered starts
    const starts: ReadonlyArray<readonly ["run" | "analyse", number]> = SLOW
      ? [
          ["run", 0],
          ["analyse", 0],
          ["analyse", 400],
          ["run", 1500],
        ]
      : [["run", 0]];
    for (const [first, offset] of starts) {
      const one = start(first === "run" ? runArgs : analyseArgs);
      await sleep(offset);
      const two = start(first === "run" ? analyseArgs : runArgs);
      const [rr, ar] = await Promise.all(first === "run" ? [one.done, two.done] : [two.done, one.done]);
      for (const x of [rr, ar]) {
        expect([0, 2], x.stderr).toContain(x.code);
        if (x.code === 2) expect(x.stderr).toMatch(/is in gebruik door baanmonitor (run|analyse) \(pid \d+, sinds /);
      }
      expect(rr.code === 0 || ar.code === 0).toBe(true);
      const minAantal = consistent(out);
      outcomes.push(`${first} first, +${offset} ms: run ${rr.code}, analyse ${ar.code}, set minAantal ${minAantal}`);
      expect(leftovers(out)).toEqual([]);
    }
    console.log(`run + analyse: ${outcomes.join("; ")}`);
  });
});
