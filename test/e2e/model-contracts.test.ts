/**
 * Model contracts (pipeline/sql-runner.ts): every model of pipeline/sql/{intermediate,marts}
 * declares its grain and not-null columns in its SQL header. The run checks the tables it writes;
 * this test checks every declared contract on every model of a small world, the views and work
 * tables included, and that a broken contract is caught and named.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { REPO_ROOT, ingestStaging, openDb, rows } from "../helpers/staging.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import {
  CHECKS_TABLE,
  ContractError,
  checkModel,
  layerFiles,
  models,
  parseModel,
  planModels,
  renderSql,
  runDerivationLayers,
} from "../../pipeline/sql-runner.ts";
import { martInOrderByAll } from "../../pipeline/export-marts.ts";

const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

describe("model contracts", () => {
  let conn: DuckDBConnection;

  beforeAll(async () => {
    // the e2e tier's shared world (scale 0.01, seed 3; test/setup/shared-world.ts), read only
    conn = await openDb();
    await ingestStaging(conn, join(inject("world"), "extracts"));
    await runDerivationLayers(conn, DEFAULTS);
  }, 300_000);

  it("a model waits for every earlier model it reads (the tables in its statement, as DuckDB's parser finds them)", async () => {
    const steps = planModels(["intermediate", "marts"]);
    const names = new Set(steps.map((s) => s.model.name));
    let read = 0;
    for (const step of steps) {
      const m = /CREATE OR REPLACE (?:TABLE|VIEW) \w+ AS\b/.exec(step.text)!;
      const body = renderSql(step.text.slice(m.index + m[0].length), DEFAULTS, step.name).text.replace(/;\s*$/, "");
      const [tree] = await rows(conn, `SELECT json_serialize_sql(${sqlString(body)}) AS t`);
      expect(JSON.parse(String(tree!.t)).error).toBe(false);
      const tables = [...String(tree!.t).matchAll(/"table_name":"(\w+)"/g)].map((x) => x[1]!.toLowerCase()).filter((t) => names.has(t));
      const needs = step.needs.map((i) => steps[i]!.model.name);
      expect({ model: step.model.name, missing: tables.filter((t) => !needs.includes(t)) }).toEqual({
        model: step.model.name,
        missing: [],
      });
      read += tables.length;
    }
    // the check reads something: most models read other models
    expect(read).toBeGreaterThan(30);
    // int_banen waits for the ikv-months and the baan's ikv periods
    const banen = steps.find((s) => s.model.name === "int_banen")!;
    expect(banen.needs.map((i) => steps[i]!.model.name)).toEqual(["int_ikv_maanden", "int_baan_ikv"]);
  });

  it("every SQL file holds one model named after the file, with a declared grain", () => {
    const files = [...layerFiles("intermediate"), ...layerFiles("marts")];
    const all = models();
    expect(all.map((m) => m.file)).toEqual(files.map((f) => f.slice(join(REPO_ROOT, "pipeline", "sql").length + 1)));
    for (const f of files) {
      const creates = readFileSync(f, "utf8").match(/CREATE OR REPLACE (TABLE|VIEW)/gi) ?? [];
      expect({ f, n: creates.length }).toEqual({ f, n: 1 });
    }
    expect(all.length).toBeGreaterThan(20);
    // the file numbering keeps two-digit prefixes
    for (const f of files) expect(f).toMatch(/\/\d{2}_[a-z_]+\.sql$/);
    // at least one contract of each kind is checked only here (views, work tables)
    expect(new Set(all.map((m) => m.kind))).toEqual(new Set(["table", "view", "werktabel"]));
  });

  it("every declared contract holds on every model, views and work tables included", async () => {
    let checked = 0;
    for (const m of models()) {
      const checks = await checkModel(conn, m);
      checked += checks.length;
      expect(checks.length).toBe((m.grain ? 1 : 0) + m.notNull.length);
      for (const c of checks) expect(c).toEqual({ ...c, aantal_fout: 0 });
      // a contract about an empty model proves nothing
      const { n } = (await rows(conn, `SELECT count(*) AS n FROM ${m.name}`))[0]!;
      expect({ model: m.name, leeg: Number(n) === 0 }).toEqual({ model: m.name, leeg: false });
    }
    expect(checked).toBeGreaterThan(150);
  }, 120_000);

  it("the run recorded a check of every table it wrote, none failed, the views not among them", async () => {
    const recorded = await rows(conn, `SELECT model, controle, kolommen, aantal_fout FROM ${CHECKS_TABLE} ORDER BY ALL`);
    const tables = models().filter((m) => m.kind === "table");
    const expected = tables.flatMap((m) => [
      ...(m.grain ? [{ model: m.name, controle: "grain", kolommen: m.grain.length ? m.grain.join(", ") : "one row", aantal_fout: 0 }] : []),
      ...m.notNull.map((c) => ({ model: m.name, controle: "not_null", kolommen: c, aantal_fout: 0 })),
    ]);
    const key = (r: Record<string, unknown>) => `${r.model}|${r.controle}|${r.kolommen}`;
    expect(recorded.map(key).sort()).toEqual(expected.map(key).sort());
    expect(recorded.every((r) => r.aantal_fout === 0)).toBe(true);
    expect(recorded.some((r) => r.model === "int_ikv_maanden" || r.model === "int_polis")).toBe(false);
  });

  it("a planted duplicate breaks the grain and is named", async () => {
    const banen = models().find((m) => m.name === "banen")!;
    await conn.run(`CREATE TEMP TABLE banen_orig AS SELECT * FROM banen`);
    try {
      await conn.run(`INSERT INTO banen SELECT * FROM banen ORDER BY baan_id LIMIT 2`);
      const checks = await checkModel(conn, banen);
      expect(checks.filter((c) => c.aantal_fout > 0)).toEqual([{ model: "banen", controle: "grain", kolommen: "baan_id", aantal_fout: 2 }]);
      // the same on a view: a duplicate in int_polis (through its staging)
      const polis = models().find((m) => m.name === "int_polis")!;
      expect(polis.kind).toBe("view");
      await conn.run(
        `INSERT INTO stg_polis SELECT * REPLACE (bron_regel + 10000000 AS bron_regel) FROM stg_polis ORDER BY bron_regel LIMIT 1`,
      );
      expect((await checkModel(conn, polis)).filter((c) => c.aantal_fout > 0)).toEqual([
        { model: "int_polis", controle: "grain", kolommen: "ikv_id, tijdvak_aanvang", aantal_fout: 1 },
      ]);
    } finally {
      await conn.run(`DELETE FROM stg_polis WHERE bron_regel >= 10000000`);
      await conn.run(`CREATE OR REPLACE TABLE banen AS SELECT * FROM banen_orig`);
      await conn.run(`DROP TABLE banen_orig`);
    }
  });

  it("a broken contract fails the run as an internal error naming model and check", async () => {
    // on two connections, as the run: the other one may still be running a model when int_banen fails
    const db = await DuckDBInstance.create(":memory:", { threads: "2" });
    const c = await db.connect();
    const other = await db.connect();
    try {
      await ingestStaging(c, join(inject("world"), "extracts"));
      // a NULL the staging never lets through (werkgever_id is required) reaches int_banen
      await c.run(`UPDATE stg_polis SET werkgever_id = NULL
                   WHERE ikv_id = (SELECT ikv_id FROM stg_polis WHERE loon_sv > 0 GROUP BY ikv_id ORDER BY count(*) DESC, ikv_id LIMIT 1)`);
      const err = await runDerivationLayers(c, DEFAULTS, { more: [other] }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ContractError);
      expect((err as Error).message).toMatch(
        /^interne fout: model int_banen houdt zich niet aan zijn contract \(pipeline\/sql\/intermediate\/16_int_banen\.sql\): not_null \(werkgever_id\): \d+ rijen met NULL$/,
      );
      // recorded before the run stopped
      const failed = await rows(c, `SELECT model, controle, kolommen FROM ${CHECKS_TABLE} WHERE aantal_fout > 0`);
      expect(failed).toEqual([{ model: "int_banen", controle: "not_null", kolommen: "werkgever_id" }]);
      // no model after int_banen was written; the connections are left as they were
      expect(await rows(c, `SELECT count(*) AS n FROM ${CHECKS_TABLE} WHERE model IN ('banen', 'maandstatus')`)).toEqual([{ n: 0 }]);
      expect(await rows(c, `SELECT count(*) AS n FROM duckdb_databases() WHERE database_name = 'werk'`)).toEqual([{ n: 0 }]);
      for (const x of [c, other]) expect(await rows(x, `SELECT current_setting('search_path') AS p`)).toEqual([{ p: "" }]);
    } finally {
      c.closeSync();
      other.closeSync();
      db.closeSync();
    }
  }, 120_000);

  it("a header that breaks the rules is refused", () => {
    const p = join(REPO_ROOT, "pipeline", "sql", "marts", "99_x.sql");
    expect(() =>
      parseModel(p, "-- grain: a\n-- not_null: a\nCREATE OR REPLACE TABLE x AS SELECT 1 AS a;\nCREATE OR REPLACE TABLE y AS SELECT 1;"),
    ).toThrow(/één model per bestand/);
    expect(() => parseModel(p, "-- grain: a\n-- not_null: a\nCREATE OR REPLACE TABLE y AS SELECT 1 AS a;")).toThrow(/het model heet y/);
    expect(() => parseModel(p, "-- not_null: a\nCREATE OR REPLACE TABLE x AS SELECT 1 AS a;")).toThrow(/mist "-- grain/);
    expect(() => parseModel(p, "-- grain: a, b\n-- not_null: a\nCREATE OR REPLACE TABLE x AS SELECT 1 AS a;")).toThrow(/graankolom b/);
    expect(() => parseModel(p, "-- grain: none\nCREATE OR REPLACE TABLE x AS SELECT 1 AS a;")).toThrow(/zonder reden/);
    expect(() => parseModel(p, "-- grain: one row\n-- ongecomprimeerd: a\nCREATE OR REPLACE VIEW x AS SELECT 'a' AS a;")).toThrow(
      /"ongecomprimeerd:" geldt alleen voor een tabel/,
    );
    expect(() => parseModel(p, "-- grain: one row\n-- ongecomprimeerd: a b\nCREATE OR REPLACE TABLE x AS SELECT 'a' AS a;")).toThrow(
      /ongecomprimeerd: "a b" is geen kolomnaam/,
    );
    expect(parseModel(p, "-- grain: one row\nCREATE OR REPLACE VIEW x AS SELECT 1 AS a;")).toMatchObject({
      name: "x",
      kind: "view",
      grain: [],
      notNull: [],
      order: null,
    });
  });

  it("a mart fixes its row order: ORDER BY ALL, or columns holding its grain", () => {
    const p = join(REPO_ROOT, "pipeline", "sql", "marts", "99_x.sql");
    const mart = (grain: string, tail: string) =>
      parseModel(p, `-- grain: ${grain}\n-- not_null: a, b\nCREATE OR REPLACE TABLE x AS SELECT 1 AS a, 2 AS b FROM t\n${tail}`);
    expect(() => mart("a", ";")).toThrow(/een mart eindigt met zijn volgorde/);
    // a window's ORDER BY is not the statement's
    expect(() => mart("a", "QUALIFY row_number() OVER (ORDER BY a) = 1;")).toThrow(/een mart eindigt met zijn volgorde/);
    expect(() => mart("a, b", "ORDER BY t.a;")).toThrow(/order by a\) legt de rijen niet vast/);
    expect(() => mart("none (dubbele sleutels)", "ORDER BY a, b;")).toThrow(/legt de rijen niet vast/);
    expect(() => mart("a", "ORDER BY a DESC;")).toThrow(/alleen kolommen of ALL, niet "a DESC"/);
    expect(() => mart("a", "ORDER BY a LIMIT 5;")).toThrow(/alleen kolommen of ALL/);
    expect(mart("a", "ORDER BY t.a, b;").order).toEqual(["a", "b"]);
    expect(mart("none (dubbele sleutels)", "ORDER BY ALL;\n").order).toBe("ALL");
    expect(mart("one row", ";").order).toBe(null);
    // other layers need no order
    const i = join(REPO_ROOT, "pipeline", "sql", "intermediate", "99_x.sql");
    expect(parseModel(i, "-- grain: a\n-- not_null: a\nCREATE OR REPLACE TABLE x AS SELECT 1 AS a;").order).toBe(null);
    // every mart of the project declares one
    for (const m of models().filter((m) => m.file.startsWith("marts/")))
      expect({ m: m.name, order: m.order }).not.toEqual({ m: m.name, order: null });
  });

  it("a mart whose order is not its leading columns is refused before its Parquet file is written", async () => {
    expect(await martInOrderByAll(conn, "banen")).toBe(true);
    expect(await martInOrderByAll(conn, "diensten")).toBe(true);
    await conn.run(`CREATE TEMP TABLE banen_orig AS SELECT * FROM banen`);
    try {
      // banen ends with ORDER BY b.baan_id: right only while baan_id is its first column
      await conn.run(`CREATE OR REPLACE TABLE banen AS SELECT persoon_id, * EXCLUDE (persoon_id) FROM banen_orig ORDER BY baan_id`);
      await expect(martInOrderByAll(conn, "banen")).rejects.toThrow(
        /marts\/20_banen\.sql: de rijen staan op baan_id, niet op de eerste kolommen \(persoon_id\)/,
      );
    } finally {
      await conn.run(`CREATE OR REPLACE TABLE banen AS SELECT * FROM banen_orig ORDER BY baan_id`);
      await conn.run(`DROP TABLE banen_orig`);
    }
  });
});
