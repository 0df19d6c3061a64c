/**
 * The canonical contract and the UWV export dialect of one synthetic world must give the same
 * marts, byte for byte: the source mapping changes how a file is read, never what it means.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMappingFile } from "../../pipeline/ingest/mapping.ts";
import { runAll } from "../../cli/commands/run.ts";
import { tempDir } from "../helpers/temp.ts";
import { openDb, rows } from "../helpers/staging.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");

function generate(out: string, dialect: string) {
  const cli = join(ROOT, "bin", "baanmonitor.mjs");
  execFileSync(process.execPath, [cli, "generate", "--scale", "0.01", "--seed", "11", "--out", out, "--dialect", dialect], {
    stdio: "pipe",
  });
}

describe("canonical vs uwv dialect (scale 0.01, seed 11)", () => {
  it("gives byte-identical marts Parquet", async () => {
    const base = tempDir("bm-dialect-");
    generate(join(base, "canon"), "canonical");
    generate(join(base, "uwv"), "uwv");
    const outC = join(base, "run-canon");
    const outU = join(base, "run-uwv");
    await runAll({ extracts: join(base, "canon", "extracts"), out: outC, skipAnalyses: true, progress: false });
    await runAll({
      extracts: join(base, "uwv", "extracts"),
      out: outU,
      mapping: loadMappingFile(join(ROOT, "data", "mappings", "uwv.json")),
      skipAnalyses: true,
      progress: false,
    });
    const files = readdirSync(join(outC, "marts")).sort();
    expect(files).toEqual([
      "baaneindes.parquet",
      "banen.parquet",
      "diensten.parquet",
      "jobcoach_perioden.parquet",
      "maandstatus.parquet",
      "personen.parquet",
    ]);
    expect(readdirSync(join(outU, "marts")).sort()).toEqual(files);
    for (const f of files) {
      expect(readFileSync(join(outU, "marts", f)).equals(readFileSync(join(outC, "marts", f))), f).toBe(true);
    }
    // each file holds its rows sorted by all columns (written without a sort of its own: the
    // marts are stored in that order, pipeline/export-marts.ts)
    const db = await openDb();
    try {
      for (const f of files) {
        const file = join(outC, "marts", f).replaceAll("'", "''");
        const asWritten = await rows(db, `SELECT * FROM read_parquet('${file}')`);
        expect(asWritten.length, f).toBeGreaterThan(10);
        expect(asWritten, f).toEqual(await rows(db, `SELECT * FROM read_parquet('${file}') ORDER BY ALL`));
      }
    } finally {
      db.closeSync();
    }
  });
});
