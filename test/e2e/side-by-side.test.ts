/**
 * The derivation layers side by side (pipeline/sql-runner.ts, runDerivationLayers): on two
 * connections, a model waits for the side job that writes a table it reads (the run stages the
 * extracts other than polis that way, pipeline/run.ts), and a failing side job fails the layers
 * with its own error and starts no model after it.
 */
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { ingestStaging, rows } from "../helpers/staging.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { runDerivationLayers, type SideJob } from "../../pipeline/sql-runner.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function twoConnections(): Promise<{ a: DuckDBConnection; b: DuckDBConnection; close: () => void }> {
  const db = await DuckDBInstance.create(":memory:", { threads: "2" });
  const a = await db.connect();
  const b = await db.connect();
  return {
    a,
    b,
    close: () => {
      a.closeSync();
      b.closeSync();
      db.closeSync();
    },
  };
}

describe("derivation layers side by side", () => {
  it("a model that reads what a side job writes waits for it; the others do not", async () => {
    const { a, b, close } = await twoConnections();
    try {
      // the e2e tier's shared world (scale 0.01, seed 3; test/setup/shared-world.ts), read only
      await ingestStaging(a, join(inject("world"), "extracts"));
      const [sonar] = await rows(a, `SELECT count(*) AS n FROM stg_sonar`);
      await a.run(`ALTER TABLE stg_sonar RENAME TO stg_sonar_later`);
      const log: string[] = [];
      // the job ends only once int_ikv (which does not read stg_sonar) has started beside it
      let ikvStarted: () => void = () => {};
      const ikv = new Promise<void>((r) => (ikvStarted = r));
      const job: SideJob = {
        writes: ["stg_sonar"],
        perform: async (c) => {
          const waited = await Promise.race([ikv.then(() => true), sleep(60_000).then(() => false)]);
          log.push(waited ? "int_ikv begon" : "int_ikv begon niet binnen 60 s");
          await c.run(`ALTER TABLE stg_sonar_later RENAME TO stg_sonar`);
          log.push("stg_sonar");
        },
      };
      const onFile = (f: string) => {
        log.push(f);
        if (f === "intermediate/11_int_ikv.sql") ikvStarted();
      };
      await runDerivationLayers(a, DEFAULTS, { more: [b], jobs: [job], onFile });
      expect(log).toContain("int_ikv begon");
      // diensten (marts/50) reads stg_sonar: started after the job; int_ikv (11) does not: before
      expect(log.indexOf("marts/50_diensten.sql")).toBeGreaterThan(log.indexOf("stg_sonar"));
      expect(log.indexOf("intermediate/11_int_ikv.sql")).toBeLessThan(log.indexOf("stg_sonar"));
      expect(log.indexOf("intermediate/11_int_ikv.sql")).toBeGreaterThanOrEqual(0);
      const [diensten] = await rows(a, `SELECT count(*) AS n FROM diensten`);
      expect(Number(diensten!.n)).toBeGreaterThan(0);
      expect(Number(diensten!.n)).toBeLessThanOrEqual(Number(sonar!.n));
    } finally {
      close();
    }
  }, 120_000);

  it("a side job that fails fails the layers with its error, after the models running have ended", async () => {
    const { a, b, close } = await twoConnections();
    try {
      await ingestStaging(a, join(inject("world"), "extracts"));
      // the job fails while int_ikv_maanden runs on the other connection
      const log: string[] = [];
      let maandenStarted: () => void = () => {};
      const maanden = new Promise<void>((r) => (maandenStarted = r));
      const job: SideJob = {
        writes: ["stg_sonar"],
        perform: async () => {
          await Promise.race([maanden, sleep(60_000)]);
          log.push("job faalt");
          throw new Error("sonar.csv, regel 7: kapot");
        },
      };
      const onFile = (f: string) => {
        log.push(f);
        if (f === "intermediate/12_int_ikv_maanden.sql") maandenStarted();
      };
      const err = await runDerivationLayers(a, DEFAULTS, { more: [b], jobs: [job], onFile }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((err as Error).message).toBe("sonar.csv, regel 7: kapot");
      // no model started after the failure (int_banen, a table, was not written); the work
      // database is detached again
      expect(log.at(-1)).toBe("job faalt");
      expect(await rows(a, `SELECT table_name FROM duckdb_tables() WHERE table_name = 'int_banen'`)).toEqual([]);
      expect(await rows(a, `SELECT count(*) AS n FROM duckdb_databases() WHERE database_name = 'werk'`)).toEqual([{ n: 0 }]);
      // no mart that reads stg_sonar was written
      expect(await rows(a, `SELECT table_name FROM duckdb_tables() WHERE table_name = 'diensten'`)).toEqual([]);
    } finally {
      close();
    }
  }, 120_000);
});
