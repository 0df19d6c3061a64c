import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { EXTRACTS } from "../../pipeline/contract.ts";
import { CANONICAL_MAPPING_FILE, validateMapping } from "../../pipeline/ingest/mapping.ts";
import { runAll } from "../../cli/commands/run.ts";
import { CANONICAL, contents, query, tempDir } from "./helpers.ts";

describe("Parquet input", async () => {
  // the canonical fixture as typed Parquet (DuckDB's own type detection: DATE, DOUBLE, BIGINT)
  const ex = tempDir();
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  for (const x of Object.keys(EXTRACTS)) {
    await c.run(`COPY (SELECT * FROM read_csv('${join(CANONICAL, `${x}.csv`)}')) TO '${join(ex, `${x}.parquet`)}' (FORMAT parquet)`);
  }
  c.closeSync();
  db.closeSync();
  const m = JSON.parse(readFileSync(CANONICAL_MAPPING_FILE, "utf8"));
  for (const x of Object.keys(EXTRACTS)) Object.assign(m.extracts[x], { bestand: `${x}.parquet`, formaat: "parquet" });
  const outP = join(tempDir(), "out");
  const outC = join(tempDir(), "out");
  await runAll({ extracts: ex, out: outP, mapping: validateMapping(m, "parquet-mapping"), stopAfter: "staging", progress: false });
  await runAll({ extracts: CANONICAL, out: outC, stopAfter: "staging", progress: false });

  it("gives the same staging tables as the CSV", async () => {
    const names = Object.keys(EXTRACTS);
    const p = await query(outP, ...names.map(contents), `SELECT bron_bestand, bron_regel::INTEGER AS r FROM stg_polis ORDER BY r LIMIT 1`);
    const cc = await query(outC, ...names.map(contents));
    for (let i = 0; i < names.length; i++) expect(p[i]).toEqual(cc[i]);
    expect(p[names.length]).toEqual([{ bron_bestand: "polis.parquet", r: 1 }]);
  });
});
