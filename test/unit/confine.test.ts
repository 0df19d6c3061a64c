/**
 * DuckDB confinement (core/confine.ts): after setup, the run's and `analyse`'s DuckDB can read
 * and write only the run's own folders; read_text of a system file, COPY or ATTACH elsewhere fail.
 */
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { rowObjects, sql } from "../../core/sql.ts";
import { copyFixture, CANONICAL } from "../ingest/helpers.ts";
import { tempDir } from "../helpers/temp.ts";

/** Every probe made through a confined connection of the code under test: [when, what, error or "ok"]. */
const probes: [string, string, string][] = [];
let elsewhere: string;

async function probe(conn: DuckDBConnection, when: string): Promise<void> {
  const attempts: [string, ReturnType<typeof sql>][] = [
    ["read_text /etc/hostname", sql`SELECT content FROM read_text('/etc/hostname')`],
    ["read_csv /etc/passwd", sql`SELECT * FROM read_csv('/etc/passwd', header = false)`],
    ["COPY elsewhere", sql`COPY (SELECT 42 AS x) TO ${join(elsewhere, "buit.csv")}`],
    ["ATTACH elsewhere", sql`ATTACH ${join(elsewhere, "evil.duckdb")} AS evil`],
    ["enable external access", sql`SET enable_external_access = true`],
  ];
  for (const [what, q] of attempts) {
    probes.push([
      when,
      what,
      await rowObjects(conn, q).then(
        () => "ok",
        (e: Error) => e.message.split("\n")[0]!,
      ),
    ]);
  }
}

vi.mock("../../core/confine.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../core/confine.ts")>();
  return {
    ...real,
    confine: async (conn: DuckDBConnection, access: Parameters<typeof real.confine>[1]) => {
      await real.confine(conn, access);
      await probe(conn, "na confine");
    },
    lockConfiguration: async (conn: DuckDBConnection) => {
      await real.lockConfiguration(conn);
      await probe(conn, "na lock");
    },
  };
});

const { combine, confine, confinementError, folderAccess, lockConfiguration } = await import("../../core/confine.ts");
const { runAll } = await import("../../cli/commands/run.ts");
const { analyse } = await import("../../cli/commands/analyse.ts");

let dir: string;
beforeAll(() => {
  dir = tempDir("baanmonitor-confine-");
  elsewhere = join(dir, "elders");
  mkdirSync(elsewhere);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectAllRefused(when: string): void {
  const mine = probes.filter((p) => p[0] === when);
  expect(mine.length).toBeGreaterThanOrEqual(5);
  for (const [, what, result] of mine) {
    expect(result, what).not.toBe("ok");
    expect(result, what).toMatch(/Permission Error|Cannot (enable|change)/);
  }
  expect(existsSync(join(elsewhere, "buit.csv"))).toBe(false);
  expect(existsSync(join(elsewhere, "evil.duckdb"))).toBe(false);
}

describe("DuckDB confinement", () => {
  it("confine: the allowed folder, a symlinked file and a second connection work; the rest is refused; the lock freezes settings", async () => {
    const ok = join(dir, "ok");
    const outside = join(dir, "buiten");
    mkdirSync(ok);
    mkdirSync(outside);
    writeFileSync(join(outside, "echt.csv"), "a,b\n1,2\n");
    symlinkSync(join(outside, "echt.csv"), join(ok, "link.csv"));
    writeFileSync(join(outside, "los.csv"), "a,b\n3,4\n");
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    probes.length = 0;
    await confine(c, folderAccess(ok));
    expectAllRefused("na confine");
    expect(await rowObjects(c, sql`SELECT count(*)::INTEGER AS n FROM read_csv(${join(ok, "link.csv")})`)).toEqual([{ n: 1 }]);
    await rowObjects(c, sql`COPY (SELECT 1 AS x) TO ${join(ok, "x.parquet")} (FORMAT parquet)`);
    expect(existsSync(join(ok, "x.parquet"))).toBe(true);
    // a sibling whose name starts with the allowed folder's name is not inside it
    mkdirSync(`${ok}-ander`);
    await expect(rowObjects(c, sql`COPY (SELECT 1 AS x) TO ${join(`${ok}-ander`, "y.csv")}`)).rejects.toThrow(/Permission Error/);
    await expect(rowObjects(c, sql`SELECT * FROM read_csv(${join(outside, "los.csv")})`)).rejects.toThrow(/Permission Error/);
    const c2 = await db.connect();
    await expect(rowObjects(c2, sql`SELECT content FROM read_text('/etc/hostname')`)).rejects.toThrow(/Permission Error/);
    await rowObjects(c, sql`SET threads = 1`);
    await lockConfiguration(c);
    await expect(rowObjects(c, sql`SET threads = 2`)).rejects.toThrow(/locked/);
    c2.closeSync();
    c.closeSync();
    db.closeSync();
  });

  it("a refused file is a user error naming it", () => {
    const e = confinementError(
      new Error('Permission Error: Cannot access file "/x/y.csv" - file system operations are disabled by configuration'),
    );
    expect(e?.message).toMatch(/^bestand \/x\/y\.csv ligt buiten de mappen van deze run/);
    expect(confinementError(new Error("Conversion Error: x"))).toBeNull();
    expect(combine({ directories: ["/b", "/a"], files: [] }, { directories: ["/a"], files: ["/f"] })).toEqual({
      directories: ["/a", "/b"],
      files: ["/f"],
    });
  });

  it("run: confined from the start and locked after the marts export; it still completes, with an extract symlinked from elsewhere", async () => {
    const extracts = copyFixture(CANONICAL);
    // one extract lives outside the extracts folder, reached through a symlink
    renameSync(join(extracts, "sonar.csv"), join(dir, "sonar-elders.csv"));
    symlinkSync(join(dir, "sonar-elders.csv"), join(extracts, "sonar.csv"));
    probes.length = 0;
    const out = join(dir, "run");
    const { manifest } = await runAll({ extracts, out, progress: false });
    expectAllRefused("na confine");
    expectAllRefused("na lock");
    expect(manifest.invoer.bestanden.find((f) => f.bestand.includes("sonar"))!.geladen).toBeGreaterThan(0);
    expect(existsSync(join(out, "publish", "maandmonitor.json"))).toBe(true);

    probes.length = 0;
    await analyse({ out, only: "maandmonitor", quiet: true });
    expectAllRefused("na confine");
    expectAllRefused("na lock");
  }, 120_000);
});
