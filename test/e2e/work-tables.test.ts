/**
 * Work tables (pipeline/sql-runner.ts): the run keeps big intermediate tables in memory and
 * leaves a view with the same SQL in baanmonitor.duckdb. The view must give exactly the rows the
 * table had, and every object the layers create must be queryable in the database file.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { ingestStaging, openDb, rows } from "../helpers/staging.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { layerFiles, models, runDerivationLayers, runLayer } from "../../pipeline/sql-runner.ts";
import { runAll } from "../../cli/commands/run.ts";
import { tempDir } from "../helpers/temp.ts";

const created = (layer: "intermediate" | "marts") =>
  layerFiles(layer).flatMap((f) =>
    [...readFileSync(f, "utf8").matchAll(/CREATE OR REPLACE (?:TEMP )?(?:TABLE|VIEW) (\w+)/g)].map((m) => m[1]),
  );

describe("work tables", () => {
  let dir: string;
  let extracts: string;
  let asTables: DuckDBConnection;
  let asRun: DuckDBConnection;
  let second: DuckDBConnection;

  beforeAll(async () => {
    // the e2e tier's shared world (scale 0.01, seed 3; test/setup/shared-world.ts), read only;
    // this file writes into a folder of its own
    dir = tempDir("baanmonitor-work-");
    extracts = join(inject("world"), "extracts");
    // reference: every layer as plain tables (no work-table handling)
    asTables = await openDb();
    await ingestStaging(asTables, extracts);
    for (const l of ["intermediate", "marts"] as const) await runLayer(asTables, l, DEFAULTS);
    // as the run does it: models that do not read each other side by side on two connections
    const instance = await DuckDBInstance.create(":memory:");
    asRun = await instance.connect();
    second = await instance.connect();
    await ingestStaging(asRun, extracts);
    await runDerivationLayers(asRun, DEFAULTS, { more: [second] });
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("at least one work table exists and it is a view afterwards", async () => {
    const views = await rows(asRun, `SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary ORDER BY 1`);
    expect(views.map((v) => v.view_name)).toContain("int_ikv_maanden");
    // the in-memory copies are gone with their database; both connections search main alone again
    expect(await rows(asRun, `SELECT count(*) AS n FROM duckdb_databases() WHERE database_name = 'werk'`)).toEqual([{ n: 0 }]);
    for (const c of [asRun, second]) expect(await rows(c, `SELECT current_setting('search_path') AS p`)).toEqual([{ p: "" }]);
  });

  it("run again in the same database with another parameter, the work tables are computed anew (not read from the earlier views)", async () => {
    // d1.maandenZonderLoon shapes int_ikv_perioden, a work table, and through it the table int_banen
    const params = { ...DEFAULTS, d1: { ...DEFAULTS.d1, maandenZonderLoon: 1 } };
    const fresh = await openDb();
    try {
      await ingestStaging(fresh, extracts);
      await runDerivationLayers(fresh, params);
      const count = async (c: DuckDBConnection) =>
        (await rows(c, `SELECT (SELECT count(*) FROM int_ikv_perioden) AS perioden, (SELECT count(*) FROM int_banen) AS banen`))[0];
      const before = await count(asRun);
      await runDerivationLayers(asRun, params, { more: [second] });
      // the parameter changes the periods, and the rerun gives what a fresh database gives
      expect(await count(fresh)).not.toEqual(before);
      expect(await count(asRun)).toEqual(await count(fresh));
      await runDerivationLayers(asRun, DEFAULTS, { more: [second] });
      expect(await count(asRun)).toEqual(before);
    } finally {
      fresh.closeSync();
    }
  }, 120_000);

  it("every layer object has the same rows as a view as it had as a table", async () => {
    const names = [...created("intermediate"), ...created("marts")];
    expect(names.length).toBeGreaterThan(20);
    mkdirSync(join(dir, "ref"));
    for (const name of names) {
      await asTables.run(`COPY (SELECT * FROM ${name}) TO '${join(dir, "ref", `${name}.parquet`)}' (FORMAT parquet)`);
      await asRun.run(`CREATE OR REPLACE TEMP TABLE ref AS SELECT * FROM read_parquet('${join(dir, "ref", `${name}.parquet`)}')`);
      const [d] = await rows(
        asRun,
        `SELECT (SELECT count(*) FROM (SELECT * FROM ref EXCEPT ALL SELECT * FROM ${name})) +
                (SELECT count(*) FROM (SELECT * FROM ${name} EXCEPT ALL SELECT * FROM ref)) AS verschil, (SELECT count(*) FROM ref) AS n`,
      );
      expect({ name, verschil: d!.verschil }).toEqual({ name, verschil: 0 });
      await asRun.run(`DROP TABLE ref`);
    }
  }, 120_000);

  it("the database file of a run answers queries on every layer object", async () => {
    const out = join(dir, "out");
    await runAll({ extracts, out, skipAnalyses: true, today: "2026-01-01" });
    const db = await DuckDBInstance.create(join(out, "baanmonitor.duckdb"), { access_mode: "READ_ONLY" });
    const c = await db.connect();
    try {
      // every object answers, with the row count the plain-table reference has
      for (const name of [...created("intermediate"), ...created("marts")]) {
        const n = Number((await c.runAndReadAll(`SELECT count(*) FROM ${name}`)).getRows()[0]![0]);
        const [ref] = await rows(asTables, `SELECT count(*) AS n FROM ${name}`);
        expect({ name, n }).toEqual({ name, n: Number(ref!.n) });
      }
      const maanden = Number((await c.runAndReadAll(`SELECT count(*) FROM int_ikv_maanden`)).getRows()[0]![0]);
      expect(maanden).toBeGreaterThan(1000);
      // the storage settings (pipeline/storage.ts) hold for what the run wrote: no FSST segments
      const compression = async (table: string) =>
        (await c.runAndReadAll(`SELECT DISTINCT compression FROM pragma_storage_info('${table}') ORDER BY 1`))
          .getRows()
          .map((r) => String(r[0]));
      for (const t of ["stg_polis", "banen", "personen"]) {
        expect(await compression(t)).toContain("Dictionary");
        expect({ t, fsst: (await compression(t)).includes("FSST") }).toEqual({ t, fsst: false });
      }
      // the identifier columns a model declares (`-- ongecomprimeerd:`) are stored uncompressed
      const declared = models().filter((m) => m.uncompressed.length);
      expect(declared.map((m) => m.name)).toEqual(expect.arrayContaining(["int_banen", "banen", "baaneindes"]));
      for (const m of declared) {
        const stored = (
          await c.runAndReadAll(
            `SELECT column_name, string_agg(DISTINCT compression, ',') FROM pragma_storage_info('${m.name}')
             WHERE segment_type = 'VARCHAR' GROUP BY 1`,
          )
        ).getRows();
        for (const col of m.uncompressed) {
          expect({ model: m.name, col, compression: String(stored.find((r) => r[0] === col)?.[1]) }).toEqual({
            model: m.name,
            col,
            compression: "Uncompressed",
          });
        }
      }
    } finally {
      c.closeSync();
      db.closeSync();
    }
  }, 120_000);
});
