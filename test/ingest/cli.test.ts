import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
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
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
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
    expect(r.stderr).toBe("baanmonitor: SONAR.csv: bestand is leeg (verwacht ten minste een kopregel met kolomnamen)\n");
    expect(r.stdout).toBe("");
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
