import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { recoverOutput, swapIntoPlace } from "../../pipeline/atomic-output.ts";
import { writeMarker } from "../../pipeline/output-folder.ts";
import { runAll } from "../../cli/commands/run.ts";
import { CANONICAL, tempDir } from "./helpers.ts";
import { UserError } from "../../core/errors.ts";

// node:fs as is, with the removals recorded (the order in which a folder is removed)
vi.mock("node:fs", async (original) => {
  const real = await original<typeof import("node:fs")>();
  return { ...real, rmSync: vi.fn(real.rmSync), unlinkSync: vi.fn(real.unlinkSync), rmdirSync: vi.fn(real.rmdirSync) };
});

const DEAD = 2 ** 22 + 12345; // above the default pid_max: never a live process
const R1 = "1111111111111111";
const R2 = "2222222222222222";
const R3 = "3333333333333333";
/** A folder as baanmonitor makes it: marker with `runId` (null: no marker), optional manifest. */
const folder = (p: string, manifest: string | null, runId: string | null = R1) => {
  mkdirSync(p, { recursive: true });
  if (runId) writeMarker(p, runId, "out");
  if (manifest !== null) writeFileSync(join(p, "manifest.json"), manifest);
};

describe("atomic output folder", () => {
  it("replaces the previous output; a file it did not write there stops the run, which deletes nothing", async () => {
    const out = join(tempDir(), "out");
    await runAll({ extracts: CANONICAL, out, stopAfter: "staging", progress: false });
    const before = readFileSync(join(out, "manifest.json"), "utf8");
    await runAll({ extracts: CANONICAL, out, stopAfter: "staging", progress: false });
    expect(readFileSync(join(out, "manifest.json"), "utf8")).not.toBe(before);
    expect(readdirSync(join(out, "..")).sort()).toEqual(["out"]);
    // the user's notes beside the results, and a folder of their own in publish/
    writeFileSync(join(out, "notities.txt"), "mine");
    mkdirSync(join(out, "publish", "eigen"), { recursive: true });
    const err = await runAll({ extracts: CANONICAL, out, stopAfter: "staging", progress: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/niet schreef \(notities\.txt, publish\/eigen\)/);
    expect(readFileSync(join(out, "notities.txt"), "utf8")).toBe("mine");
    expect(existsSync(join(out, "publish", "eigen"))).toBe(true);
    expect(readdirSync(join(out, "..")).sort()).toEqual(["out"]);
  });

  it("a marker copied into a folder of the user's does not make its files baanmonitor's", () => {
    const d = tempDir();
    folder(join(d, "out"), "old", R1);
    writeFileSync(join(d, "out", "bewaar.txt"), "keep");
    folder(join(d, `out.tmp-1-${R2}`), "new", R2);
    expect(() => swapIntoPlace(join(d, `out.tmp-1-${R2}`), join(d, "out"))).toThrow(/bewaar\.txt/);
    expect(readFileSync(join(d, "out", "bewaar.txt"), "utf8")).toBe("keep");
  });

  it("swap: old aside, new in, old removed", () => {
    const d = tempDir();
    folder(join(d, "out"), "old", R1);
    folder(join(d, `out.tmp-1-${R2}`), "new", R2);
    swapIntoPlace(join(d, `out.tmp-1-${R2}`), join(d, "out"));
    expect(readFileSync(join(d, "out", "manifest.json"), "utf8")).toBe("new");
    expect(readdirSync(d)).toEqual(["out"]);
  });

  it("swap removes the old folder's marker last: a kill part-way leaves a folder that is still provably ours", () => {
    const d = tempDir();
    const old = join(d, "out");
    folder(old, "old", R1);
    mkdirSync(join(old, "marts"));
    writeFileSync(join(old, "marts", "a.parquet"), "x");
    writeFileSync(join(old, "baanmonitor.duckdb"), "x");
    folder(join(d, `out.tmp-1-${R2}`), "new", R2);
    const calls: string[] = [];
    for (const f of [fs.rmSync, fs.unlinkSync, fs.rmdirSync] as unknown as ReturnType<typeof vi.fn>[]) {
      f.mockClear();
    }
    swapIntoPlace(join(d, `out.tmp-1-${R2}`), join(d, "out"));
    for (const [name, f] of Object.entries({ rmSync: fs.rmSync, unlinkSync: fs.unlinkSync, rmdirSync: fs.rmdirSync })) {
      const m = f as unknown as ReturnType<typeof vi.fn>;
      m.mock.calls.forEach((c, i) => calls.push(`${m.mock.invocationCallOrder[i]} ${name} ${String(c[0]).replace(d, "")}`));
    }
    const removed = calls
      .sort((a, b) => Number(a.split(" ")[0]) - Number(b.split(" ")[0]))
      .map((c) => c.split(" ").slice(1).join(" "))
      .filter((c) => c.includes(".old-"));
    expect(removed.slice(-2)).toEqual([`unlinkSync /out.old-${process.pid}-${R1}/.baanmonitor`, `rmdirSync /out.old-${process.pid}-${R1}`]);
    expect(removed.slice(0, -2).sort()).toEqual(
      ["baanmonitor.duckdb", "manifest.json", "marts"].map((f) => `rmSync /out.old-${process.pid}-${R1}/${f}`),
    );
    expect(readdirSync(d)).toEqual(["out"]);
  });

  it("refuses to swap an incomplete folder", () => {
    const d = tempDir();
    folder(join(d, `out.tmp-1-${R1}`), null);
    expect(() => swapIntoPlace(join(d, `out.tmp-1-${R1}`), join(d, "out"))).toThrow(/niet compleet/);
  });

  it("recovery after a kill between the two renames: the new complete folder wins", () => {
    const d = tempDir();
    folder(join(d, `out.old-${DEAD}-${R1}`), "old", R1);
    folder(join(d, `out.tmp-${DEAD}-${R2}`), "new", R2);
    recoverOutput(join(d, "out"));
    expect(readFileSync(join(d, "out", "manifest.json"), "utf8")).toBe("new");
    expect(readdirSync(d)).toEqual(["out"]);
  });

  it("recovery when the new folder was incomplete: the old one comes back", () => {
    const d = tempDir();
    folder(join(d, `out.old-${DEAD}-${R1}`), "old", R1);
    folder(join(d, `out.tmp-${DEAD}-${R2}`), null, R2);
    recoverOutput(join(d, "out"));
    expect(readFileSync(join(d, "out", "manifest.json"), "utf8")).toBe("old");
    expect(readdirSync(d)).toEqual(["out"]);
  });

  it("cleans stale temp folders of dead runs, keeps those of live runs", () => {
    const d = tempDir();
    folder(join(d, "out"), "current", R1);
    folder(join(d, `out.tmp-${DEAD}-${R2}`), null, R2);
    folder(join(d, `out.tmp-${process.ppid}-${R2}`), null, R2);
    folder(join(d, `other.tmp-${DEAD}-${R2}`), null, R2);
    recoverOutput(join(d, "out"));
    expect(readdirSync(d).sort()).toEqual([`other.tmp-${DEAD}-${R2}`, "out", `out.tmp-${process.ppid}-${R2}`]);
  });

  it("swap refuses to replace a folder that is not baanmonitor's and leaves both in place", () => {
    const d = tempDir();
    folder(join(d, "out"), JSON.stringify({ levering: 1 }), null);
    writeFileSync(join(d, "out", "polis.csv"), "bsn\n");
    folder(join(d, `out.tmp-1-${R2}`), "new", R2);
    expect(() => swapIntoPlace(join(d, `out.tmp-1-${R2}`), join(d, "out"))).toThrow(/geen uitvoermap van baanmonitor/);
    expect(readdirSync(join(d, "out")).sort()).toEqual(["manifest.json", "polis.csv"]);
  });

  it("recovery neither restores nor removes sibling folders without a marker matching their name", () => {
    const d = tempDir();
    folder(join(d, `out.old-${DEAD}`), "backup", R1); // old naming, no run id
    folder(join(d, `out.tmp-${DEAD}-${R2}`), "copy", R1); // marker of another run
    folder(join(d, `out.old-${DEAD}-${R1}`), "user", null); // no marker
    writeFileSync(join(d, `out.tmp-${DEAD}-${R1}`), "a file"); // not a folder
    const before = readdirSync(d).sort();
    expect(recoverOutput(join(d, "out"))).toEqual([]);
    expect(readdirSync(d).sort()).toEqual(before);
  });

  it("an empty temp folder of a dead process (killed before its marker was written) is removed, a non-empty one is not", () => {
    const d = tempDir();
    folder(join(d, "out"), "current", R1);
    folder(join(d, `out.tmp-${DEAD}-${R1}`), null, null);
    folder(join(d, `out.tmp-${DEAD}-${R2}`), null, null);
    writeFileSync(join(d, `out.tmp-${DEAD}-${R2}`, "x"), "x");
    recoverOutput(join(d, "out"));
    expect(readdirSync(d).sort()).toEqual(["out", `out.tmp-${DEAD}-${R2}`]);
  });

  it("an empty old folder of a dead process (killed after removing its marker, before the folder) is removed; one with a file left is not", () => {
    const d = tempDir();
    folder(join(d, "out"), "current", R1);
    folder(join(d, `out.old-${DEAD}-${R2}`), null, null);
    folder(join(d, `out.old-${DEAD}-${R3}`), null, null);
    writeFileSync(join(d, `out.old-${DEAD}-${R3}`, "x"), "x");
    expect(recoverOutput(join(d, "out"))).toEqual([`opgeruimd: out.old-${DEAD}-${R2}`]);
    expect(readdirSync(d).sort()).toEqual(["out", `out.old-${DEAD}-${R3}`]);
  });

  it("a temp folder of a dead process holding only an empty marker file (killed mid-write) is removed; one with a marker byte or another file is not", () => {
    const d = tempDir();
    folder(join(d, "out"), "current", R1);
    const a = join(d, `out.tmp-${DEAD}-${R1}`);
    const b = join(d, `out.tmp-${DEAD}-${R2}`);
    const c = join(d, `out.tmp-${DEAD}-${R3}`);
    for (const f of [a, b, c]) folder(f, null, null);
    writeFileSync(join(a, ".baanmonitor"), "");
    writeFileSync(join(b, ".baanmonitor"), "{");
    writeFileSync(join(c, ".baanmonitor"), "");
    writeFileSync(join(c, "x"), "x");
    recoverOutput(join(d, "out"));
    expect(readdirSync(d).sort()).toEqual(["out", `out.tmp-${DEAD}-${R2}`, `out.tmp-${DEAD}-${R3}`]);
  });

  it("a run killed mid-way leaves the previous output intact and the next run cleans up", async () => {
    const out = join(tempDir(), "out");
    await runAll({ extracts: CANONICAL, out, stopAfter: "staging", progress: false });
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
    await runAll({ extracts: CANONICAL, out, stopAfter: "staging", progress: false });
    expect(readdirSync(join(out, "..")).sort()).toEqual(["out"]);
  });
});
