import { spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { UWV, copyFixture, readJson, tempDir } from "./helpers.ts";

const BIN = resolve(import.meta.dirname, "..", "..", "bin", "baanmonitor.mjs");
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000 });

describe("baanmonitor run (CLI)", () => {
  it("takes parameters and a mapping path from --config", () => {
    const d = tempDir();
    const cfg = join(d, "config.json");
    writeFileSync(cfg, JSON.stringify({ parameters: { d4: { peildatum: "2018-12-31" } }, mapping: join(UWV, "mapping.json") }));
    const out = join(d, "out");
    const r = cli("run", "--extracts", UWV, "--out", out, "--config", cfg, "--skip-analyses");
    expect(r.status, r.stderr).toBe(0);
    // stderr is not a terminal here: one plain progress line per step with the time since the start
    // (core/progress.ts), and the last line says where the output is
    const lines = r.stderr.trimEnd().split("\n");
    expect(
      lines.slice(0, -1).every((l) => /^(\[ *\d+,\d s\] \S| {2}\S)/.test(l)),
      r.stderr,
    ).toBe(true);
    expect(lines.some((l) => l.endsWith("] inlezen en staging polis"))).toBe(true);
    expect(lines.some((l) => l.endsWith("] marts/30_baaneindes.sql"))).toBe(true);
    expect(lines.at(-1)).toMatch(new RegExp(`^klaar: ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\[\\d+,\\d s\\]$`));
    expect(r.stderr).not.toContain("\x1b");
    expect(r.stdout).toBe(`baanmonitor: 15 rijen gelezen, 15 geladen, 0 afgewezen; uitvoer in ${out}\n`);
    const m = readJson(join(out, "manifest.json"));
    expect(m.parameters.d4.peildatum).toBe("2018-12-31");
    expect(m.mapping.naam).toBe("uwv-testfixture");
    expect(m.uitvoer.analyses).toBe(false);
  });

  it("prints a user error without a stack trace and exits 2", () => {
    const ex = copyFixture(UWV);
    writeFileSync(join(ex, "SONAR.csv"), "");
    const r = cli("run", "--extracts", ex, "--out", join(tempDir(), "out"), "--mapping", join(ex, "mapping.json"), "--skip-analyses");
    expect(r.status).toBe(2);
    // progress lines up to the failing step, then the error as the last line
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("baanmonitor: SONAR.csv: bestand is leeg (verwacht ten minste een kopregel met kolomnamen)");
    expect(
      lines.slice(0, -1).every((l) => /^(\[ *\d+,\d s\] \S| {2}\S)/.test(l)),
      r.stderr,
    ).toBe(true);
    expect(r.stdout).toBe("");
  });

  it("refuses an empty value, an --only that names nothing and an --extracts that is a file, writing nothing", () => {
    const d = tempDir();
    const cases: [string[], RegExp][] = [
      [["run", "--extracts", UWV, "--out", ""], /--out is leeg/],
      [["run", "--extracts", "", "--out", join(d, "o")], /--extracts is leeg/],
      [["analyse", "--out", join(d, "o"), "--only", ""], /--only is leeg/],
      [["analyse", "--out", join(d, "o"), "--only", ",, ,"], /--only ",, ," noemt geen analyse/],
      [["run", "--extracts", join(UWV, "mapping.json"), "--out", join(d, "o")], /mapping\.json is geen map/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(d)).toEqual([]);
  });

  it("names a bad --memory-limit", () => {
    const r = cli(
      "run",
      "--extracts",
      UWV,
      "--out",
      join(tempDir(), "out"),
      "--mapping",
      join(UWV, "mapping.json"),
      "--memory-limit",
      "veel",
      "--skip-analyses",
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('baanmonitor: --memory-limit "veel" is geen geheugengrootte (bijv. 500MB, 4GB)\n');
  });
});
