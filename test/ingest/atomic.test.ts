import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { recoverOutput, swapIntoPlace } from "../../pipeline/atomic-output.ts";
import { runPipeline } from "../../pipeline/run.ts";
import { CANONICAL, tempDir } from "./helpers.ts";

const DEAD = 2 ** 22 + 12345; // above the default pid_max: never a live process
const folder = (p: string, manifest: string | null) => {
  mkdirSync(p, { recursive: true });
  if (manifest !== null) writeFileSync(join(p, "manifest.json"), manifest);
};

describe("atomic output folder", () => {
  it("replaces the previous output and keeps nothing else", async () => {
    const out = join(tempDir(), "out");
    await runPipeline({ extracts: CANONICAL, out, stopAfter: "staging", progress: false });
    writeFileSync(join(out, "oud.txt"), "from the previous run");
    await runPipeline({ extracts: CANONICAL, out, stopAfter: "staging", progress: false });
    expect(existsSync(join(out, "oud.txt"))).toBe(false);
    expect(readdirSync(join(out, "..")).sort()).toEqual(["out"]);
  });

  it("swap: old aside, new in, old removed", () => {
    const d = tempDir();
    folder(join(d, "out"), "old");
    folder(join(d, "out.tmp-1"), "new");
    swapIntoPlace(join(d, "out.tmp-1"), join(d, "out"));
    expect(readFileSync(join(d, "out", "manifest.json"), "utf8")).toBe("new");
    expect(readdirSync(d)).toEqual(["out"]);
  });

  it("refuses to swap an incomplete folder", () => {
    const d = tempDir();
    folder(join(d, "out.tmp-1"), null);
    expect(() => swapIntoPlace(join(d, "out.tmp-1"), join(d, "out"))).toThrow(/niet compleet/);
  });

  it("recovery after a kill between the two renames: the new complete folder wins", () => {
    const d = tempDir();
    folder(join(d, `out.old-${DEAD}`), "old");
    folder(join(d, `out.tmp-${DEAD}`), "new");
    recoverOutput(join(d, "out"));
    expect(readFileSync(join(d, "out", "manifest.json"), "utf8")).toBe("new");
    expect(readdirSync(d)).toEqual(["out"]);
  });

  it("recovery when the new folder was incomplete: the old one comes back", () => {
    const d = tempDir();
    folder(join(d, `out.old-${DEAD}`), "old");
    folder(join(d, `out.tmp-${DEAD}`), null);
    recoverOutput(join(d, "out"));
    expect(readFileSync(join(d, "out", "manifest.json"), "utf8")).toBe("old");
    expect(readdirSync(d)).toEqual(["out"]);
  });

  it("cleans stale temp folders of dead runs, keeps those of live runs", () => {
    const d = tempDir();
    folder(join(d, "out"), "current");
    folder(join(d, `out.tmp-${DEAD}`), null);
    folder(join(d, `out.tmp-${process.ppid}`), null);
    folder(join(d, "other.tmp-1"), null);
    recoverOutput(join(d, "out"));
    expect(readdirSync(d).sort()).toEqual(["other.tmp-1", "out", `out.tmp-${process.ppid}`]);
  });

  it("a run killed mid-way leaves the previous output intact and the next run cleans up", async () => {
    const out = join(tempDir(), "out");
    await runPipeline({ extracts: CANONICAL, out, stopAfter: "staging", progress: false });
    const before = readFileSync(join(out, "manifest.json"), "utf8");
    // start a CLI run and kill it as soon as its temp folder appears
    const bin = resolve(import.meta.dirname, "..", "..", "bin", "baanmonitor.mjs");
    const script = `
      const { spawn } = require("node:child_process"); const fs = require("node:fs"); const path = require("node:path");
      const p = spawn(process.execPath, [${JSON.stringify(bin)}, "run", "--extracts", ${JSON.stringify(CANONICAL)}, "--out", ${JSON.stringify(out)}, "--skip-analyses"], { stdio: "ignore" });
      const t = setInterval(() => {
        if (fs.readdirSync(path.dirname(${JSON.stringify(out)})).some((f) => f.startsWith("out.tmp-")) ) { p.kill("SIGKILL"); clearInterval(t); }
      }, 1);
      p.on("exit", () => { clearInterval(t); process.exit(0); });`;
    spawnSync(process.execPath, ["-e", script], { timeout: 60_000 });
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe(before);
    await runPipeline({ extracts: CANONICAL, out, stopAfter: "staging", progress: false });
    expect(readdirSync(join(out, "..")).sort()).toEqual(["out"]);
  });
});
