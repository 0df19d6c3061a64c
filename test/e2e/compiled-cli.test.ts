/**
 * The CLI compiled to one file (bin/compiled-cli.mjs): built into a cache on first use, reused
 * while its inputs are unchanged, rebuilt when one changes; each module still reads the files next
 * to its source; the tsx route on request or when no bundle can be had; and the same output
 * either way. (Builds with esbuild and spawns the CLI: e2e tier.)
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { compiledCli } from "../../bin/compiled-cli.mjs";
import { tempDir } from "../helpers/temp.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
const record = (cache: string) =>
  JSON.parse(readFileSync(join(cache, "cli.json"), "utf8")) as { bundle: string; inputs: Record<string, string> };

afterEach(() => {
  delete process.env.BAANMONITOR_TSX;
});

describe("the compiled CLI", () => {
  it("is built on first use, reused while its inputs are unchanged, rebuilt when one changes", async () => {
    const cache = join(tempDir("bm-cli-cache-"), "cache");
    const first = await compiledCli(cache);
    expect(first).toBe(join(cache, record(cache).bundle));
    const { inputs } = record(cache);
    expect(Object.keys(inputs)).toEqual(expect.arrayContaining(["cli/index.ts", "pipeline/sql-runner.ts", "analyses/run-analyses.ts"]));
    // every module reads the files next to its source: import.meta.url is the source file's URL
    const text = readFileSync(first!, "utf8");
    expect(text).toContain(JSON.stringify(pathToFileURL(join(ROOT, "pipeline/sql-runner.ts")).href));
    expect(text).not.toContain("import.meta.url");
    // packages stay in node_modules
    expect(text).toMatch(/from "@duckdb\/node-api"/);
    expect(await compiledCli(cache)).toBe(first);
    // an input whose size or time differs from the record: a new bundle, the old one kept (younger than a day)
    const changed = { ...record(cache), inputs: { ...inputs, "cli/index.ts": "0:0" } };
    writeFileSync(join(cache, "cli.json"), JSON.stringify(changed));
    const second = await compiledCli(cache);
    expect(second).not.toBe(first);
    expect(record(cache).inputs["cli/index.ts"]).toBe(inputs["cli/index.ts"]);
    expect(existsSync(first!)).toBe(true);
    expect(readdirSync(cache).filter((f) => f.endsWith(".mjs"))).toHaveLength(2);
    // an unreadable record (a cut write, a hand edit): rebuilt, not given up for tsx
    writeFileSync(join(cache, "cli.json"), "{ niet af");
    const third = await compiledCli(cache);
    expect(third).not.toBeNull();
    expect(third).not.toBe(second);
    expect(await compiledCli(cache)).toBe(third);
  });

  it("is not used with BAANMONITOR_TSX=1, nor when the cache cannot be written (the caller loads the TypeScript)", async () => {
    const dir = tempDir("bm-cli-cache-");
    process.env.BAANMONITOR_TSX = "1";
    expect(await compiledCli(join(dir, "cache"))).toBeNull();
    expect(existsSync(join(dir, "cache"))).toBe(false);
    delete process.env.BAANMONITOR_TSX;
    writeFileSync(join(dir, "file"), "");
    expect(await compiledCli(join(dir, "file", "cache"))).toBeNull();
  });

  it("gives the same extracts as the TypeScript through tsx (the uwv dialect reads its mapping next to its source)", () => {
    const dir = tempDir("bm-cli-same-");
    const generate = (out: string, env: Record<string, string>) =>
      execFileSync(
        process.execPath,
        [join(ROOT, "bin/baanmonitor.mjs"), "generate", "--scale", "0.001", "--seed", "2", "--dialect", "uwv", "--out", out],
        {
          env: { ...process.env, ...env },
          stdio: "pipe",
        },
      );
    generate(join(dir, "compiled"), {});
    generate(join(dir, "tsx"), { BAANMONITOR_TSX: "1" });
    const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
    const files = readdirSync(join(dir, "tsx", "extracts")).sort();
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(readdirSync(join(dir, "compiled", "extracts")).sort()).toEqual(files);
    for (const f of files) expect(sha(join(dir, "compiled", "extracts", f)), f).toBe(sha(join(dir, "tsx", "extracts", f)));
  });
});
