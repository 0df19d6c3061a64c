/**
 * The staging SQL uses cheaper forms of some casting rules; these tests pin them to the plain
 * rule they replace, and check that the record numbers (rowid order of the staging table) are
 * the file order also when DuckDB reads a file in parallel.
 */
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { EXTRACT_NAMES } from "../../pipeline/contract.ts";
import { insertInFileOrder } from "../../pipeline/ingest/index.ts";
import { CANONICAL_MAPPING_FILE, loadMappingFile } from "../../pipeline/ingest/mapping.ts";
import { prepareFile } from "../../pipeline/ingest/read.ts";
import { ident, join as joinSql, literal, readAll, rowObjects, run, sql, type Sql } from "../../core/sql.ts";
import { bronBestandType, dateSql, inList, stagingCreateSql } from "../../pipeline/ingest/staging.ts";
import { runAll } from "../../cli/commands/run.ts";
import { CANONICAL, query, tempDir } from "./helpers.ts";

/** Deterministic strings around the date shapes: lengths 8–12, digits, separators, spaces, non-ASCII. */
function dateLikeStrings(): (string | null)[] {
  const fixed = [
    null,
    "",
    "2020-01-05",
    "2020-1-05",
    "2020-01-5",
    "2020-01-5 ",
    " 2020-01-05",
    "2020-01-05 ",
    "2020/01/05",
    "2020-02-30",
    "2020-13-01",
    "0000-01-01",
    "+2020-01-05",
    "2020-01-0é",
    "é020-01-05",
    "2020–01–05",
    "05-01-2020",
    "5-01-2020",
    "05-1-2020",
    "05-01-2020 ",
    "31-12-1999",
    "30-02-2020",
    "05/01/2020",
    "é5-01-2020",
    "05-01-202é",
    "infinity",
    "epoch",
    "2020-01-05 (BC)",
    "20200105",
    "2020-0105",
    "2020-01-05T00",
    "  -01-2020",
  ];
  const alphabet = ["0", "1", "2", "9", "-", "-", "-", "/", " ", ".", "é", "+", "a"];
  let seed = 20261126;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n; // the low bits of this generator repeat quickly
  };
  const out: (string | null)[] = [...fixed];
  for (let i = 0; i < 4000; i++) {
    const base = rnd(2) ? "2020-01-05" : "05-01-2020";
    const chars = [...base];
    for (let k = rnd(4); k > 0; k--) {
      const op = rnd(3);
      const pos = rnd(chars.length + 1);
      if (op === 0) chars.splice(pos, 0, alphabet[rnd(alphabet.length)]!);
      else if (op === 1) chars.splice(pos, 1);
      else chars[Math.min(pos, chars.length - 1)] = alphabet[rnd(alphabet.length)]!;
    }
    out.push(chars.join(""));
  }
  return out;
}

/** The rules as first written (length + substr), the reference for the LIKE forms. */
const referenceDate = (v: Sql, fmt: string): Sql => {
  const at = (pos: number) => sql`substr(${v}, ${pos}, 1) = '-'`;
  return fmt === "%Y-%m-%d"
    ? sql`CASE WHEN length(${v}) = 10 AND ${at(5)} AND ${at(8)} THEN TRY_CAST(${v} AS DATE) END`
    : sql`CASE WHEN length(${v}) = 10 AND ${at(3)} AND ${at(6)} THEN TRY_CAST(substr(${v}, 7, 4) || '-' || substr(${v}, 4, 2) || '-' || substr(${v}, 1, 2) AS DATE) END`;
};

describe("casting rules", async () => {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const values = dateLikeStrings();
  await run(c, sql`CREATE TABLE s AS SELECT unnest(${values}::VARCHAR[]) AS v`);

  for (const fmt of ["%Y-%m-%d", "%d-%m-%Y"]) {
    it(`dates ${fmt}: the LIKE shape check gives the same dates as length + substr`, async () => {
      const rows = (
        await readAll(
          c,
          sql`SELECT count(*) AS n, count(*) FILTER (WHERE new IS DISTINCT FROM ref) AS diff, count(new) AS valid
           FROM (SELECT ${dateSql(ident("v"), fmt)} AS new, ${referenceDate(ident("v"), fmt)} AS ref FROM s)`,
        )
      ).getRowObjectsJson();
      expect(rows[0]!.n).toBe(String(values.length));
      expect(rows[0]!.diff).toBe("0");
      expect(Number(rows[0]!.valid)).toBeGreaterThan(100); // the sample holds valid dates too
    });
  }

  it("bron_bestand's ENUM sorts and compares as the file names do as text", async () => {
    const names = ["polis_b.csv", "POLIS_A.csv", "d'r.csv", "é.csv", "polis a.csv", "z/polis.csv", "polis_b.csv"];
    const t = bronBestandType(names);
    const r = await rowObjects<{ e: string; v: string }>(
      c,
      sql`SELECT n::${t}::VARCHAR AS e, n AS v FROM (SELECT unnest(${names}::VARCHAR[]) AS n) ORDER BY n::${t}, n`,
    );
    expect(r.map((x) => x.e)).toEqual(r.map((x) => x.v));
    const byText = (await rowObjects<{ n: string }>(c, sql`SELECT DISTINCT unnest(${names}::VARCHAR[]) AS n ORDER BY n`)).map((x) => x.n);
    expect(r.map((x) => x.v).filter((v, i, a) => a.indexOf(v) === i)).toEqual(byText);
    // a name that is no file of the extract is no value of the type
    await expect(run(c, sql`SELECT ${"andere.csv"}::${t}`)).rejects.toThrow(/andere\.csv/);
  });

  it("codes: list_contains gives the same answer as IN", async () => {
    const allowed = ["laag", "midden", "hoog", "onbekend", "A", "1-9", "250+"];
    const x = ident("x");
    const inPlain = sql`x IN (${joinSql(allowed.map((a) => literal(a)))})`;
    const rows = (
      await readAll(
        c,
        sql`SELECT count(*) FILTER (WHERE (${inList(x, allowed)}) IS DISTINCT FROM (${inPlain})
                                   AND coalesce(${inList(x, allowed)}, false) <> coalesce(${inPlain}, false)) AS diff
         FROM (SELECT unnest([NULL, '', 'laag', 'Laag', 'laag ', ' hoog', 'A', 'a', '1-9', '250+', '250', 'onbekend', 'x']) AS x)`,
      )
    ).getRowObjectsJson();
    expect(rows[0]!.diff).toBe("0");
  });

  it("codes stored as an ENUM: TRY_CAST gives the same values as list_contains and a cast", async () => {
    const allowed = ["1-9", "10-49", "50-249", "250+", "é", "a'b"];
    const t = sql`ENUM(${joinSql(allowed.map((a) => literal(a)))})`;
    const probe = [null, "", "1-9", "1-9 ", " 1-9", "10-49", "10–49", "250+", "250", "É", "é", "a'b", "A'B", "x"];
    const rows = await rowObjects<{ viaTry: string | null; viaList: string | null }>(
      c,
      sql`SELECT TRY_CAST(x AS ${t})::VARCHAR AS "viaTry", CAST(CASE WHEN ${inList(ident("x"), allowed)} THEN x END AS ${t})::VARCHAR AS "viaList"
          FROM (SELECT unnest(${probe}::VARCHAR[]) AS x)`,
    );
    expect(rows.map((r) => r.viaTry)).toEqual(rows.map((r) => r.viaList));
    expect(rows.filter((r) => r.viaTry !== null).length).toBe(5);
  });

  it("pass 1 is planned as an order-preserving insert for the shipped mappings", async () => {
    // with one thread DuckDB never plans a batch insert: use two, as a scale-1 run does
    const two = await DuckDBInstance.create(":memory:", { threads: "2" });
    const d = await two.connect();
    for (const file of [CANONICAL_MAPPING_FILE, CANONICAL_MAPPING_FILE.replace("canonical.json", "uwv.json")]) {
      const mapping = loadMappingFile(file);
      const dir = tempDir();
      for (const x of EXTRACT_NAMES) {
        const m = mapping.extracts[x];
        // a header-only file with the mapped column names: EXPLAIN only plans the statement
        const path = join(dir, m.bestand);
        writeFileSync(path, Object.values(m.kolommen).join(m.scheidingsteken) + "\n", "latin1");
        const f = await prepareFile(d, { extract: x, path, extractsDir: dir, n: 0, m, workDir: dir });
        const plan = (await readAll(d, sql`EXPLAIN ${stagingCreateSql(x, f, m, false, [f.bestand])}`))
          .getRows()
          .map((r) => String(r[1]))
          .join("\n");
        expect(plan, `${file} ${x}`).toMatch(/BATCH_CREATE_TABLE_AS/);
        await f.sha256;
      }
    }
    d.closeSync();
    two.closeSync();
  });
});

describe("record numbers follow the file order when DuckDB reads the file in parallel", async () => {
  // ~17 MB: DuckDB splits the file among threads (a plan that does not keep insertion order
  // interleaves their rows)
  const n = 150_000;
  const extracts = join(tempDir(), "extracts");
  cpSync(CANONICAL, extracts, { recursive: true });
  const lines = [
    "persoon_id,ikv_id,werkgever_id,datum_aanvang_ikv,datum_einde_ikv,tijdvak_aanvang,tijdvak_einde,loon_sv,uren,contractsoort,soort_baan,sector,grootteklasse,aanleverdatum",
  ];
  const sectors = "ABCDEFGHIJKLMNOPQRS";
  for (let i = 0; i < n; i++) {
    const p = `P00${(i % 4) + 1}`.slice(0, 4);
    lines.push(
      `${p},IKV${i},WG${i % 97},2016-01-01,,2016-01-01,2016-01-31,${(i % 5000) / 4},${i % 160},bepaald,regulier,${sectors[i % 19]},10-49,2016-02-05`,
    );
  }
  writeFileSync(join(extracts, "polis.csv"), lines.join("\n") + "\n");
  const out = join(tempDir(), "out");
  await runAll({ extracts, out, stopAfter: "staging", progress: false, today: "2026-01-01", threads: 2 });

  it("bron_regel of every row is its line in the file", async () => {
    const [r] = await query(
      out,
      `SELECT count(*) AS n, count(*) FILTER (WHERE ikv_id <> 'IKV' || (bron_regel - 2)) AS wrong FROM stg_polis`,
    );
    expect(r![0]).toEqual({ n: String(n), wrong: "0" });
  });

  it("a statement whose plan does not keep the order runs single-threaded, in file order", async () => {
    const db = await DuckDBInstance.create(":memory:", { threads: "2" });
    const c = await db.connect();
    // an IN list of six constants is planned as a hash join: no batch insert
    const create = sql`CREATE TABLE t AS SELECT ikv_id, sector IN ('A', 'B', 'C', 'D', 'E', 'F') AS x
      FROM read_csv(${join(extracts, "polis.csv")}, header = true, all_varchar = true)`;
    const plan = (await readAll(c, sql`EXPLAIN ${create}`))
      .getRows()
      .map((r) => String(r[1]))
      .join("\n");
    expect(plan).not.toMatch(/BATCH_CREATE_TABLE_AS/);
    await insertInFileOrder(c, create);
    const r = await rowObjects(
      c,
      sql`SELECT count(*) FILTER (WHERE ikv_id <> 'IKV' || rowid)::INTEGER AS wrong, current_setting('threads') AS threads FROM t`,
    );
    expect(r[0]).toEqual({ wrong: 0, threads: 2n });
    c.closeSync();
    db.closeSync();
  });
});
