/**
 * End-to-end on the synthetic generator: the canonical and the uwv dialect of one seed must
 * give identical staging tables, and two runs must give byte-identical marts Parquet.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, inject, it } from "vitest";
import { EXTRACTS } from "../../pipeline/contract.ts";
import { loadMappingFile } from "../../pipeline/ingest/mapping.ts";
import { runAll } from "../../cli/commands/run.ts";
import { tempDir } from "./helpers.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");

function generate(out: string, dialect: string) {
  execFileSync(
    process.execPath,
    [join(ROOT, "bin", "baanmonitor.mjs"), "generate", "--scale", "0.01", "--seed", "3", "--out", out, "--dialect", dialect],
    {
      stdio: "pipe",
    },
  );
}

describe("generator extracts (scale 0.01, seed 3)", async () => {
  const base = tempDir("bm-gen-");
  // the canonical dialect of this world is the e2e tier's shared world
  symlinkSync(inject("world"), join(base, "canon"));
  generate(join(base, "uwv"), "uwv");
  const outC = join(base, "run-canon");
  const outU = join(base, "run-uwv");
  const c = await runAll({ extracts: join(base, "canon", "extracts"), out: outC, stopAfter: "staging", progress: false });
  const u = await runAll({
    extracts: join(base, "uwv", "extracts"),
    out: outU,
    mapping: loadMappingFile(join(ROOT, "data", "mappings", "uwv.json")),
    stopAfter: "staging",
    progress: false,
  });

  it("loads every row of both dialects without rejects", () => {
    for (const m of [c.manifest, u.manifest]) {
      expect(m.invoer.totaal.afgewezen).toBe(0);
      expect(m.invoer.totaal.gelezen).toBeGreaterThan(10_000);
    }
    expect(u.manifest.invoer.totaal).toEqual(c.manifest.invoer.totaal);
  });

  it("gives identical stg_* contents for both dialects", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run(
      `ATTACH '${join(outC, "baanmonitor.duckdb")}' AS a (READ_ONLY); ATTACH '${join(outU, "baanmonitor.duckdb")}' AS b (READ_ONLY)`,
    );
    for (const [x, cols] of Object.entries(EXTRACTS)) {
      const list = cols.map((col) => col.name).join(", ");
      const diff = (p: string, q: string) =>
        `SELECT count(*) FROM (SELECT ${list}, bron_regel FROM ${p}.stg_${x} EXCEPT ALL SELECT ${list}, bron_regel FROM ${q}.stg_${x})`;
      const r = (
        await conn.runAndReadAll(`SELECT (${diff("a", "b")}) AS ab, (${diff("b", "a")}) AS ba, (SELECT count(*) FROM a.stg_${x}) AS n`)
      ).getRowObjectsJson()[0];
      expect({ x, ab: r!.ab, ba: r!.ba }).toEqual({ x, ab: "0", ba: "0" });
      expect(Number(r!.n)).toBeGreaterThan(0);
    }
    conn.closeSync();
    db.closeSync();
  });

  it("bron_regel points at the source line (checked against the file itself)", async () => {
    const lines = readFileSync(join(base, "canon", "extracts", "polis.csv"), "utf8").split("\n");
    const picks = [2, 3, Math.floor(lines.length / 3), Math.floor(lines.length / 2), lines.length - 1].filter((n) => lines[n - 1]);
    const db = await DuckDBInstance.create(join(outC, "baanmonitor.duckdb"), { access_mode: "READ_ONLY" });
    const conn = await db.connect();
    const rows = (
      await conn.runAndReadAll(
        `SELECT bron_regel::INTEGER AS r, concat_ws('|', persoon_id, ikv_id, tijdvak_aanvang, aanleverdatum) AS k FROM stg_polis WHERE bron_regel IN (${picks.join(", ")}) ORDER BY r`,
      )
    ).getRowObjectsJson();
    conn.closeSync();
    db.closeSync();
    const header = lines[0]!.split(",");
    const at = (n: number, col: string) => lines[n - 1]!.split(",")[header.indexOf(col)];
    expect(rows).toEqual(
      picks.map((n) => ({ r: n, k: ["persoon_id", "ikv_id", "tijdvak_aanvang", "aanleverdatum"].map((c) => at(n, c)).join("|") })),
    );
  });

  it("writes byte-identical marts Parquet for the same inputs and parameters", async () => {
    const runs = [join(base, "full-1"), join(base, "full-2")];
    for (const [i, out] of runs.entries()) {
      await runAll({ extracts: join(base, "canon", "extracts"), out, skipAnalyses: true, progress: false, threads: i + 1 });
    }
    const files = readdirSync(join(runs[0]!, "marts")).sort();
    expect(files.length).toBeGreaterThan(0);
    expect(readdirSync(join(runs[1]!, "marts")).sort()).toEqual(files);
    for (const f of files) {
      expect(readFileSync(join(runs[1]!, "marts", f)).equals(readFileSync(join(runs[0]!, "marts", f))), f).toBe(true);
    }
  });
});
