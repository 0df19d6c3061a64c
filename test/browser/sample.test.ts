// The browser tests build the site from a hand-made published set (test/fixtures/publish-sample,
// written by its make-sample.mjs). It is kept rather than generated from a seeded run because
// the browser tests need situations a small run does not guarantee (a region whose monthly
// counts are hidden, suppressed cells in every kind of table, the calibration file) and
// because a pipeline run per test process is too slow. These tests tie it to the catalogue:
// the committed files are the script's output, and they have exactly the tables and columns
// every analysis declares (the same check runOne applies to a real run).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ANALYSES } from "../../analyses/registry.ts";
import { checkPublished } from "../../analyses/run-analyses.ts";
import { REPO } from "./harness.ts";
import { tempDir } from "../helpers/temp.ts";

const SAMPLE = join(REPO, "test/fixtures/publish-sample");
const PUBLISH = join(SAMPLE, "publish");
const read = (id: string) => JSON.parse(readFileSync(join(PUBLISH, `${id}.json`), "utf8"));

describe("voorbeeld-publicatieset van de browsertests", () => {
  it("bevat precies de analyses van het register, plus run, controle en kalibratie", () => {
    const files = readdirSync(PUBLISH)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -5))
      .sort();
    expect(files).toEqual([...ANALYSES.map((m) => m.id), "controle", "kalibratie", "run"].sort());
  });

  it.each(ANALYSES.map((m) => ({ id: m.id, m })))("$id heeft precies de gedeclareerde tabellen en kolommen", ({ id, m }) => {
    const doc = read(id);
    expect(Object.keys(doc)).toEqual(["id", "titel", "rapport", "definitie", "parameters", "tabellen"]);
    expect(doc.id).toBe(id);
    expect(() => checkPublished(id, m.publishes, doc.tabellen)).not.toThrow();
    // every declared table has rows, so the pages are tested on each of them
    for (const name of Object.keys(m.publishes)) expect(doc.tabellen[name].length, `${id}.${name}`).toBeGreaterThan(0);
  });

  it("heeft onderdrukte cellen in de tabellen met aantallen, zoals de openbaarmakingscontrole ze maakt", () => {
    let tables = 0;
    for (const m of ANALYSES) {
      for (const [name, decl] of Object.entries(m.publishes)) {
        const counts = decl.columns.filter((c) => c.kind === "count").map((c) => c.name);
        if (!counts.length) continue;
        const rows: Record<string, unknown>[] = read(m.id).tabellen[name];
        // a hidden count is null on a row marked onderdrukt; a count is never null otherwise
        for (const r of rows) for (const c of counts) if (r[c] === null) expect(r.onderdrukt, `${m.id}.${name}.${c}`).toBe(true);
        if (rows.some((r) => r.onderdrukt === true)) tables++;
      }
    }
    expect(tables).toBeGreaterThanOrEqual(5);
  });

  it("is de uitvoer van make-sample.mjs", () => {
    const dir = tempDir("bm-sample-");
    try {
      const r = spawnSync(process.execPath, [join(SAMPLE, "make-sample.mjs"), dir], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const files = readdirSync(PUBLISH).sort();
      expect(readdirSync(dir).sort()).toEqual(files);
      for (const f of files) expect(readFileSync(join(dir, f), "utf8"), f).toBe(readFileSync(join(PUBLISH, f), "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
