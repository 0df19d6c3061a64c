/**
 * One publication at a time: the lock `<out>.lock` for `run` and `analyse`. A held lock is a
 * clear user error; a lock left by a killed process is taken over.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { runAll } from "../../cli/commands/run.ts";
import { acquireOutputLock, lockPath, processStart } from "../../pipeline/output-lock.ts";
import { BASIS, BIN, leftovers, stackLines, tempDir } from "./helpers.ts";

const DEAD = 2 ** 22 + 12345; // above the default pid_max: never a live process
const cli = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 300_000, env: { ...process.env, BAANMONITOR_DEBUG: "" } });
const lockFile = (out: string, info: object) =>
  writeFileSync(
    lockPath(out),
    JSON.stringify({
      host: hostname(),
      proces_start: null,
      sinds: "2024-01-01T00:00:00.000Z",
      run_id: "00000000000000aa",
      opdracht: "run",
      ...info,
    }),
  );
const waitFor = async (cond: () => boolean, ms = 120_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error("timeout");
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("the output lock", () => {
  it("a second holder is refused with who holds it and since when; after release it can be taken", () => {
    const out = join(tempDir(), "out");
    const a = acquireOutputLock(out, "run", "0123456789abcdef");
    expect(() => acquireOutputLock(out, "analyse", "fedcba9876543210")).toThrow(
      new RegExp(`^uitvoermap ${out} is in gebruik door baanmonitor run \\(pid ${process.pid}, sinds ${a.info.sinds}\\)`),
    );
    a.release();
    expect(existsSync(lockPath(out))).toBe(false);
    acquireOutputLock(out, "analyse", "fedcba9876543210").release();
    expect(leftovers(out)).toEqual([]);
  });

  it("a CLI run while another process holds the lock: exit 2, one line, output untouched", () => {
    const out = join(tempDir(), "out");
    const held = acquireOutputLock(out, "analyse", "0123456789abcdef");
    try {
      const r = cli(["run", "--extracts", BASIS, "--out", out, "--skip-analyses"]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim()).toBe(
        `baanmonitor: uitvoermap ${out} is in gebruik door baanmonitor analyse (pid ${process.pid}, sinds ${held.info.sinds}); ` +
          `wacht tot die klaar is of kies een andere --out (draait er geen baanmonitor meer, verwijder dan ${lockPath(out)})`,
      );
      expect(stackLines(r.stderr)).toEqual([]);
      expect(existsSync(out)).toBe(false);
      expect(leftovers(out)).toEqual([`out.lock`]);
    } finally {
      held.release();
    }
  });

  it("a stale lock of a dead process, or of a reused pid (other start time), is taken over", () => {
    const out = join(tempDir(), "out");
    lockFile(out, { pid: DEAD });
    acquireOutputLock(out, "run", "0123456789abcdef").release();
    // the pid is alive (the test runner's parent) but the process started at another time
    const start = processStart(process.ppid);
    expect(start).not.toBeNull();
    lockFile(out, { pid: process.ppid, proces_start: String(Number(start) + 1) });
    acquireOutputLock(out, "run", "0123456789abcdef").release();
    expect(leftovers(out)).toEqual([]);
  });

  it("a lock of another host, or an unreadable lock, is not taken over", () => {
    const out = join(tempDir(), "out");
    lockFile(out, { pid: DEAD, host: "elders" });
    expect(() => acquireOutputLock(out, "run", "0123456789abcdef")).toThrow(`(pid ${DEAD} op elders, sinds 2024-01-01T00:00:00.000Z)`);
    writeFileSync(lockPath(out), "");
    expect(() => acquireOutputLock(out, "run", "0123456789abcdef")).toThrow(`vergrendeling ${lockPath(out)} is onleesbaar`);
    expect(readFileSync(lockPath(out), "utf8")).toBe("");
  });

  it("two real runs into one --out: the second is refused while the first runs; a SIGKILLed run's lock is taken over by the next", async () => {
    const gen = inject("smallWorld"); // scale 0.002, seed 5 (test/setup/shared-world.ts), read only
    const out = join(tempDir(), "out");
    const args = ["run", "--extracts", join(gen, "extracts"), "--out", out];
    const first = spawn(process.execPath, [BIN, ...args], { stdio: "ignore" });
    const exited = new Promise<number | null>((r) => first.on("exit", (code) => r(code)));
    await waitFor(() => existsSync(lockPath(out)));
    const second = cli(args);
    expect(first.exitCode, "the first run was still running").toBeNull();
    expect(second.status, second.stderr).toBe(2);
    expect(second.stderr).toContain(`is in gebruik door baanmonitor run (pid ${first.pid}, sinds `);
    expect(await exited).toBe(0);
    expect(leftovers(out)).toEqual([]);

    // kill -9 while holding the lock: the lock file stays, the next run takes it over
    const killed = spawn(process.execPath, [BIN, ...args], { stdio: "ignore" });
    const gone = new Promise((r) => killed.on("exit", r));
    await waitFor(() => existsSync(lockPath(out)));
    killed.kill("SIGKILL");
    await gone;
    expect(JSON.parse(readFileSync(lockPath(out), "utf8")).pid).toBe(killed.pid);
    // the next run (in this process: it needs no process of its own) takes the lock over
    await runAll({ extracts: join(gen, "extracts"), out, progress: false });
    expect(leftovers(out)).toEqual([]);
  });
});
