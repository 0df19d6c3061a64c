/**
 * Randomised corruption (seeded, reproducible). Tiny valid extracts are generated once (canonical
 * and UWV dialect); every run corrupts a copy (delete / duplicate lines, truncate mid-line, swap
 * fields, flip bytes, insert garbage, a line or quoted field above the line limit, extreme
 * numbers, UTF-16, NUL bytes; now and then the file is replaced by a FIFO, a folder or a
 * symlink to a program or to nothing) and runs the real pipeline in-process. Each run must end
 * either with a UserError (previous output byte-identical, nothing left beside it) or with success
 * where per file gelezen = geladen + afgewezen and the database agrees. Never an internal error.
 *
 * Reproduce a failing run: BAANMONITOR_PROP_SEED=<seed printed in the test name> BAANMONITOR_PROP_RUNS=1
 * More runs: BAANMONITOR_PROP_RUNS=500.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMappingFile, type SourceMapping } from "../../pipeline/ingest/mapping.ts";
import { runAll } from "../../cli/commands/run.ts";
import { tierCount } from "../helpers/tier.ts";
import { corruptExtracts } from "./corrupt.ts";
import { BIN, ROOT, TODAY, copyDir, leftovers, query, tempDir } from "./helpers.ts";

// 8 runs in `npm test`, 48 in the slow tier (test/helpers/tier.ts); more: BAANMONITOR_PROP_RUNS=500
const RUNS = tierCount("BAANMONITOR_PROP_RUNS", 8, 48);
const BASE_SEED = Number(process.env.BAANMONITOR_PROP_SEED ?? 20261126);
const SCALE = "0.002";

interface Variant {
  name: string;
  extracts: string;
  mapping: SourceMapping | undefined;
  delim: string;
  /** a previous good output */
  good: string;
}
const variants: Variant[] = [];
const tally: Record<string, number> = { succes: 0, "succes met afwijzingen": 0, gebruikersfout: 0, "interne fout": 0 };
const messages = new Map<string, number>();

beforeAll(async () => {
  for (const [name, dialect, mappingFile, delim] of [
    ["canoniek", "canonical", undefined, ","],
    ["uwv", "uwv", join(ROOT, "data", "mappings", "uwv.json"), ";"],
  ] as const) {
    const dir = tempDir();
    const g = spawnSync(
      process.execPath,
      [BIN, "generate", "--scale", SCALE, "--seed", "3", "--out", join(dir, "gen"), "--dialect", dialect],
      { encoding: "utf8" },
    );
    expect(g.status, g.stderr).toBe(0);
    const mapping = mappingFile ? loadMappingFile(mappingFile) : undefined;
    const good = join(dir, "good");
    await runAll({ extracts: join(dir, "gen", "extracts"), out: good, mapping, skipAnalyses: true, progress: false, today: TODAY });
    variants.push({ name, extracts: join(dir, "gen", "extracts"), mapping, delim, good });
  }
});

afterAll(() => {
  const top = [...messages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(
    `property: ${RUNS} runs vanaf seed ${BASE_SEED}: ${JSON.stringify(tally)}\n  meest voorkomende foutmeldingen:\n` +
      top.map(([m, n]) => `  ${String(n).padStart(3)}× ${m}`).join("\n"),
  );
});

/**
 * Non-empty lines minus the header: what a file without quotes must account for. A lone CR is a
 * line break too (DuckDB's CSV reader splits there; the two halves are rejected).
 */
const dataLines = (buf: Buffer) => {
  const ls = buf.toString("latin1").split(/\r\n|\r|\n/);
  return Math.max(0, ls.filter((l) => l !== "").length - 1);
};

describe("randomly corrupted extracts", () => {
  const seeds = Array.from({ length: RUNS }, (_, i) => BASE_SEED + i);
  it.each(seeds)("seed %i", async (seed) => {
    const v = variants[seed % variants.length]!;

    const dir = tempDir();
    const extracts = copyDir(v.extracts, join(dir, "extracts"));
    const out = copyDir(v.good, join(dir, "out"));
    const before = readFileSync(join(out, "manifest.json"));
    const done = corruptExtracts(extracts, seed, v.delim);
    const ctx = `seed ${seed} (${v.name}): ${done.join("; ")} — herhaal met BAANMONITOR_PROP_SEED=${seed} BAANMONITOR_PROP_RUNS=1`;

    let result: Awaited<ReturnType<typeof runAll>> | undefined;
    let err: Error | undefined;
    try {
      result = await runAll({ extracts, out, mapping: v.mapping, skipAnalyses: true, progress: false, today: TODAY });
    } catch (e) {
      err = e as Error;
    }
    if (err) {
      if (err.name !== "UserError") tally["interne fout"]!++;
      expect(err.name, `${ctx}\ninterne fout: ${err.stack}`).toBe("UserError");
      const key = err.message
        .replace(/\/tmp\/[^\s:,)]+/g, "<pad>")
        .replace(/\d+/g, "N")
        .slice(0, 110);
      messages.set(key, (messages.get(key) ?? 0) + 1);
      expect(readFileSync(join(out, "manifest.json")).equals(before), `${ctx}: vorige uitvoer gewijzigd`).toBe(true);
      expect(leftovers(out), ctx).toEqual(["extracts"]);
      tally.gebruikersfout!++;
      return;
    }
    const m = result!.manifest;
    let rejected = 0;
    for (const f of m.invoer.bestanden) {
      expect(f.gelezen, `${ctx}: ${f.bestand}`).toBe(f.geladen + f.afgewezen);
      rejected += f.afgewezen;
      // without quotes every non-empty line is one record: none may disappear
      const buf = readFileSync(f.pad);
      if (!buf.includes(0x22)) expect(f.gelezen, `${ctx}: ${f.bestand} regels`).toBe(dataLines(buf));
    }
    // the database agrees with the manifest
    const rows = await query(
      out,
      ...["uitkeringen", "polis", "jobcoachportaal", "sonar"].map(
        (x) => `SELECT bron_bestand AS b, count(*)::INTEGER AS n FROM stg_${x} GROUP BY ALL`,
      ),
      `SELECT bestand AS b, count(DISTINCT regel)::INTEGER AS n FROM rejects GROUP BY ALL`,
    );
    const loaded = Object.fromEntries(
      rows
        .slice(0, 4)
        .flat()
        .map((x) => [x.b, x.n]),
    );
    const rej = Object.fromEntries(rows[4]!.map((x) => [x.b, x.n]));
    for (const f of m.invoer.bestanden) {
      expect(loaded[f.bestand] ?? 0, ctx).toBe(f.geladen);
      expect(rej[f.bestand] ?? 0, ctx).toBe(f.afgewezen);
    }
    expect(leftovers(out), ctx).toEqual(["extracts"]);
    tally[rejected ? "succes met afwijzingen" : "succes"]!++;
  });
});
