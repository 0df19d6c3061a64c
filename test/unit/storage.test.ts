/**
 * pipeline/storage.ts: the storage settings of baanmonitor.duckdb take effect on what is written
 * to the file. The control shows the check can fail: without them, DuckDB stores the same
 * column with FSST.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { applyStorageSettings } from "../../pipeline/storage.ts";
import { tempDir } from "../helpers/temp.ts";

const dir = tempDir("bm-storage-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** the compressions DuckDB chose for a table of distinct ID-like strings written to a file */
async function stored(name: string, setup: "settings" | "none"): Promise<string[]> {
  const db = await DuckDBInstance.create(join(dir, `${name}.duckdb`));
  const c = await db.connect();
  try {
    if (setup === "settings") await applyStorageSettings(c);
    await c.run(`CREATE TABLE t AS SELECT 'K' || lpad(i::VARCHAR, 9, '0') AS ikv_id FROM range(200000) r(i)`);
    await c.run("CHECKPOINT");
    const r = await c.runAndReadAll(`SELECT DISTINCT compression FROM pragma_storage_info('t') WHERE segment_type = 'VARCHAR'`);
    return r.getRows().map((x) => String(x[0]));
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe("storage settings of the database file", () => {
  it("no FSST with the settings; FSST without them", async () => {
    expect(await stored("settings", "settings")).not.toContain("FSST");
    expect(await stored("none", "none")).toContain("FSST");
  });
});
