import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "../../core/sql.ts";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import {
  aalenJohansen,
  competingCounts,
  competingCountsBy,
  kaplanMeier,
  logRank,
  NULL_GROUP,
  survivalCounts,
} from "../../analyses/survival/index.ts";
import { compareNumbers, loadFixtures } from "./golden.ts";

interface Fx {
  name: string;
  n_causes?: number;
  data: { group: string[]; time: number[]; status: number[] };
  km?: {
    conf_type: string;
    conf_level: number;
    groups: Record<string, { surv: number[]; lower: number[]; time: number[]; n_risk: number[] }>;
  }[];
  aj?: { conf_type: string; groups: Record<string, { cum_inc: number[][]; std_err: number[][] }> }[];
  logrank?: { chisq: number };
}

let instance: DuckDBInstance;
let conn: DuckDBConnection;

async function load(table: string, d: Fx["data"]): Promise<void> {
  const values = d.group.map((g, i) => `('${g}', ${d.time[i]}, ${d.status[i]})`).join(",");
  await conn.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM (VALUES ${values}) v(groep, tijd, status)`);
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
});
afterAll(() => {
  conn?.closeSync();
});

describe("DuckDB aggregation helpers", () => {
  it("survivalCounts → kaplanMeier / logRank equals R", async () => {
    const fx = loadFixtures<Fx>("km-").find((f) => f.fx.name === "random-ties")!.fx;
    await load("km_rows", fx.data);
    const counts = await survivalCounts(conn, sql`SELECT groep, tijd, status FROM km_rows`);
    const r = fx.km!.find((v) => v.conf_type === "log" && v.conf_level === 0.95)!;
    expect([...counts.keys()]).toEqual(Object.keys(r.groups).sort());
    const problems: string[] = [];
    for (const [g, rows] of counts) {
      const t = kaplanMeier(rows);
      problems.push(
        ...compareNumbers(g, "duckdb.km.time", t.time, r.groups[g]!.time),
        ...compareNumbers(g, "duckdb.km.n.risk", t.nRisk, r.groups[g]!.n_risk),
        ...compareNumbers(g, "duckdb.km.surv", t.surv, r.groups[g]!.surv),
        ...compareNumbers(g, "duckdb.km.lower", t.lower, r.groups[g]!.lower),
      );
    }
    expect(problems).toEqual([]);
    const lr = logRank(counts);
    expect(Math.abs(lr.chisq! - fx.logrank!.chisq)).toBeLessThan(1e-9 * fx.logrank!.chisq);
  });

  it("competingCounts → aalenJohansen equals R", async () => {
    const fx = loadFixtures<Fx>("aj-").find((f) => f.fx.name === "random-competing-ties")!.fx;
    await load("aj_rows", fx.data);
    const counts = await competingCounts(conn, sql`SELECT groep, tijd, status FROM aj_rows`, fx.n_causes!);
    const r = fx.aj!.find((v) => v.conf_type === "log")!;
    const problems: string[] = [];
    for (const [g, rows] of counts) {
      const t = aalenJohansen(rows, { nCauses: fx.n_causes });
      for (let c = 0; c < fx.n_causes!; c++) {
        problems.push(
          ...compareNumbers(g, "duckdb.aj.cumInc", t.cumInc[c]!, r.groups[g]!.cum_inc[c]!),
          ...compareNumbers(g, "duckdb.aj.std.err", t.stdErr[c]!, r.groups[g]!.std_err[c]!),
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it("rejects a status outside 0/1 and a NULL time; a NULL groep gets its own key", async () => {
    await expect(survivalCounts(conn, sql`SELECT 'a' AS groep, 1 AS tijd, 2 AS status`)).rejects.toThrow(/status/);
    await expect(survivalCounts(conn, sql`SELECT 'a' AS groep, NULL::INTEGER AS tijd, 1 AS status`)).rejects.toThrow(/tijd/);
    const m = await survivalCounts(conn, sql`SELECT NULL::VARCHAR AS groep, 3 AS tijd, 1 AS status UNION ALL SELECT 'b', 3, 0`);
    expect(NULL_GROUP).toBe("onbekend");
    expect([...m.keys()].sort()).toEqual(["b", "onbekend"]);
  });

  it("competingCountsBy: several kenmerken in one scan equal one competingCounts per kenmerk", async () => {
    const fx = loadFixtures<Fx>("aj-").find((f) => f.fx.name === "random-competing-ties")!.fx;
    await load("aj_rows", fx.data);
    const by = await competingCountsBy(
      conn,
      sql`SELECT 'groep' AS kenmerk, groep, tijd, status FROM aj_rows
          UNION ALL SELECT 'totaal', 'totaal', tijd, status FROM aj_rows
          UNION ALL SELECT 'leeg', NULL, tijd, status FROM aj_rows WHERE tijd < 3`,
      fx.n_causes!,
    );
    expect([...by.keys()]).toEqual(["groep", "leeg", "totaal"]);
    expect(by.get("groep")).toEqual(await competingCounts(conn, sql`SELECT groep, tijd, status FROM aj_rows`, fx.n_causes!));
    expect(by.get("totaal")).toEqual(await competingCounts(conn, sql`SELECT 'totaal' AS groep, tijd, status FROM aj_rows`, fx.n_causes!));
    expect([...by.get("leeg")!.keys()]).toEqual([NULL_GROUP]);
    const n = by
      .get("leeg")!
      .get(NULL_GROUP)!
      .reduce((a, c) => a + c.nCensor + c.nEvents.reduce((x, y) => x + y, 0), 0);
    expect(n).toBe(fx.data.time.filter((t) => t < 3).length);
    expect(n).toBeGreaterThan(0);
    await expect(competingCountsBy(conn, sql`SELECT 'k' AS kenmerk, 'a' AS groep, 1 AS tijd, 3 AS status`, 2)).rejects.toThrow(/status/);
  });

  it("no rows: no groups (not an error)", async () => {
    const none = sql`SELECT 'k' AS kenmerk, 'a' AS groep, 1 AS tijd, 1 AS status WHERE false`;
    expect(await competingCountsBy(conn, none, 2)).toEqual(new Map());
    expect(await competingCounts(conn, sql`SELECT groep, tijd, status FROM (${none})`, 2)).toEqual(new Map());
    expect(await survivalCounts(conn, sql`SELECT groep, tijd, status FROM (${none})`)).toEqual(new Map());
  });

  it("accepts DATE differences and BIGINT times", async () => {
    const m = await survivalCounts(
      conn,
      sql`SELECT 'x' AS groep, (DATE '2020-01-10' - DATE '2020-01-01')::BIGINT AS tijd, 1 AS status UNION ALL SELECT 'x', 9, 0 UNION ALL SELECT 'x', 2, 1`,
    );
    expect(m.get("x")).toEqual([
      { time: 2, nEvent: 1, nCensor: 0 },
      { time: 9, nEvent: 1, nCensor: 1 },
    ]);
  });
});
