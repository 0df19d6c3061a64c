/**
 * A world in which every row belongs to one person: the old run aborted in the log-rank
 * ("singuliere variantiematrix"). Analyses that cannot be computed for a group publish what they
 * can; the run completes.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { BIN, tempDir } from "./helpers.ts";

const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });

describe("a world of one person", () => {
  it("runs to the end and publishes, with no test where none is possible", () => {
    const dir = tempDir("bm-one-person-");
    const gen = inject("smallWorld"); // scale 0.002, seed 5 (test/setup/shared-world.ts), read only
    const ex = join(dir, "extracts");
    mkdirSync(ex);
    for (const f of readdirSync(join(gen, "extracts"))) {
      const text = readFileSync(join(gen, "extracts", f), "utf8");
      writeFileSync(join(ex, f), text.replace(/P\d{8}/g, "P00000001"));
    }
    const r = cli(["run", "--extracts", ex, "--out", join(dir, "out")]);
    expect(r.stderr).not.toMatch(/interne fout/);
    expect(r.status, r.stderr).toBe(0);
    const duur = JSON.parse(readFileSync(join(dir, "out", "publish", "duur_tot_volgende_baan.json"), "utf8"));
    expect(Array.isArray(duur.tabellen.logrank)).toBe(true);
    for (const row of duur.tabellen.logrank) {
      // a statistic is either a number or absent, never an abort
      expect(row.p === null || (typeof row.p === "number" && row.p >= 0 && row.p <= 1)).toBe(true);
    }
  });
});
