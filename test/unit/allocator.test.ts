/**
 * DuckDB's allocator settings of a run (bin/allocator-env.mjs, duckdbResources in
 * pipeline/run.ts): which command gets which, and that this DuckDB build still honours them. The
 * jemalloc option travels in an environment variable DuckDB does not document; if an upgrade
 * drops it, the child process below no longer reports the option and this test says so.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { ALLOCATOR_CONF, allocatorEnv } from "../../bin/allocator-env.mjs";
import { BLOCK_ALLOCATOR_MEMORY, duckdbResources } from "../../pipeline/run.ts";

describe("the allocator's decay (bin/allocator-env.mjs)", () => {
  it("is set for a command without a memory limit, and only then", () => {
    expect(allocatorEnv(["run", "--extracts", "x", "--out", "y"], {})).toBe(ALLOCATOR_CONF);
    expect(allocatorEnv(["run", "--out", "y", "--memory-limit", "4GB"], {})).toBeNull();
    expect(allocatorEnv(["analyse", "--out", "y", "--memory-limit=2GB"], {})).toBeNull();
  });

  it("keeps what the user set, and DuckDB's default on request", () => {
    expect(allocatorEnv(["run"], { DUCKDB_JE_MALLOC_CONF: "dirty_decay_ms:0" })).toBeNull();
    expect(allocatorEnv(["run"], { BAANMONITOR_ALLOCATOR_DEFAULTS: "1" })).toBeNull();
  });

  it("reaches DuckDB's allocator when set before DuckDB loads", () => {
    const script = `const { DuckDBInstance } = await import("@duckdb/node-api");
const db = await DuckDBInstance.create(":memory:");
db.closeSync();`;
    const opt = (conf: string) => {
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        env: { ...process.env, DUCKDB_JE_MALLOC_CONF: `${conf},stats_print:true` },
        encoding: "utf8",
      });
      expect(r.status).toBe(0);
      return /opt\.dirty_decay_ms: (-?\d+)/.exec(r.stderr + r.stdout)?.[1];
    };
    expect(opt(ALLOCATOR_CONF)).toBe(/dirty_decay_ms:(-?\d+)/.exec(ALLOCATOR_CONF)?.[1]);
    // the control: another value is read as that value
    expect(opt("dirty_decay_ms:1234")).toBe("1234");
  });
});

describe("DuckDB's block allocator (duckdbResources)", () => {
  it("keeps blocks for reuse without a memory limit, not with one", () => {
    expect(duckdbResources({}, "/tmp/uit").memory).toEqual({ block_allocator_memory: BLOCK_ALLOCATOR_MEMORY });
    expect(duckdbResources({ memoryLimit: "4GB" }, "/tmp/uit").memory).toEqual({
      memory_limit: "4GB",
      allocator_background_threads: "true",
    });
  });

  it("is a setting DuckDB takes when the instance is created", async () => {
    const db = await DuckDBInstance.create(":memory:", duckdbResources({}, "/tmp/uit").memory);
    const c = await db.connect();
    try {
      const set = (await c.runAndReadAll("SELECT current_setting('block_allocator_memory')")).getRows()[0]![0];
      const none = await DuckDBInstance.create(":memory:");
      const c0 = await none.connect();
      const dflt = (await c0.runAndReadAll("SELECT current_setting('block_allocator_memory')")).getRows()[0]![0];
      c0.closeSync();
      none.closeSync();
      expect(dflt).toBe("0 bytes");
      expect(set).not.toBe(dflt);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
