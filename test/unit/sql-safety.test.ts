/**
 * SQL safety over the source tree: SQL is built only with core/sql.ts's `sql` tag (values become
 * literals, names go through ident(), dates through date()), executed only through core/sql.ts,
 * and `trusted` text comes only from pipeline/sql-runner.ts. The rules and the tokenizer are in
 * test/helpers/sql-scan.ts.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/staging.ts";
import { scanSource, tokenize, type Finding } from "../helpers/sql-scan.ts";

/** The folders whose TypeScript builds or runs SQL. */
const SCANNED = ["core", "cli", "pipeline", "analyses", "calibration", "data", "scripts"];

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== "node_modules" && name !== "generated") walk(p);
      } else if (name.endsWith(".ts")) out.push(relative(REPO_ROOT, p).split(sep).join("/"));
    }
  };
  for (const d of SCANNED) walk(join(REPO_ROOT, d));
  return out.sort();
}

const show = (path: string, f: Finding[]) => f.map((x) => `${path}:${x.line} (${x.rule}) ${x.message}`);

describe("SQL safety scan of the source tree", () => {
  it("finds no SQL outside the sql tag, no direct DuckDB execution, no trusted outside sql-runner", () => {
    const files = sourceFiles();
    // the scan covers the code that runs SQL (guards against scanning an empty or wrong tree)
    for (const f of [
      "core/sql.ts",
      "pipeline/sql-runner.ts",
      "pipeline/run.ts",
      "analyses/catalogue/maandmonitor.ts",
      "calibration/from-run.ts",
      "scripts/bench-km.ts",
    ]) {
      expect(files).toContain(f);
    }
    const problems: string[] = [];
    for (const f of files) {
      problems.push(...show(f, scanSource(f, readFileSync(join(REPO_ROOT, f), "utf8"))));
    }
    expect(problems).toEqual([]);
  });
});

describe("the scanner", () => {
  const rules = (src: string, path = "analyses/x.ts") => scanSource(path, src).map((f) => `${f.rule}@${f.line}`);

  it("(a) fails on an untagged template with interpolation that looks like SQL, naming the line", () => {
    expect(rules("const x = 1;\nconst q = `SELECT * FROM t WHERE d = DATE '${p.peildatum}'`;")).toEqual(["a@2"]);
    expect(rules("await query(conn, `COPY t TO ${path}`);")).toEqual(["a@1"]);
    expect(rules("const r = `... read_csv(${f}) ...`;")).toEqual(["a@1"]);
    expect(rules("const t = String.raw`DROP TABLE ${name}`;")).toEqual(["a@1"]);
    // an untagged SQL template nested in a tagged one is still found
    expect(rules("const q = sql`SELECT ${ident(`x`)} FROM ${`${schema}.t WHERE a IN (SELECT 1)`}`;")).toEqual(["a@1"]);
    // after a regex holding a quote and a backtick, and a comment holding a backtick
    expect(rules("const r = s.replace(/['`]/g, '');\n// a ` in a comment\nconst q = `UPDATE t SET a = ${v}`;")).toEqual(["a@3"]);
  });

  it("(a2) fails on SQL glued with +", () => {
    expect(rules(`await c.run("CREATE TABLE " + x + " AS SELECT 1");`, "core/sql.ts")).toEqual([]);
    expect(rules(`const q = "SELECT count(*) FROM read_csv('" + file + "')";`)).toEqual(["a2@1"]);
    expect(rules(`let q = "x";\nq += " WHERE a = 1";`)).toEqual(["a2@2"]);
  });

  it("(b) fails on a direct call of a connection's SQL methods outside core/sql.ts", () => {
    expect(rules("await conn.run(q);")).toEqual(["b@1"]);
    expect(rules("const r = await c.runAndReadAll(text);\nawait c?.prepare(text);")).toEqual(["b@1", "b@2"]);
    expect(rules("for (const s of x) await db.connect().then((c) => c.stream(s));")).toEqual(["b@1"]);
    expect(rules("const r = await c.run(sql`SELECT 1`);")).toEqual(["b@1"]);
    // calls that cannot pass SQL text, and the one allowed place
    expect(rules("await m.run({ conn, params }, p);\nnew Sim(rng).run();")).toEqual([]);
    expect(rules("return conn.run(checked(q));", "core/sql.ts")).toEqual([]);
  });

  it("(c) fails on trusted outside pipeline/sql-runner.ts", () => {
    expect(rules(`import { sql, trusted } from "../core/sql.ts";\nconst q = trusted(text);`)).toEqual(["c@1", "c@2"]);
    expect(rules(`import { trusted as t } from "../core/sql.ts";`)).toEqual(["c@1"]);
    expect(rules(`const q = trusted(text);`, "pipeline/sql-runner.ts")).toEqual([]);
  });

  it("passes good code: tagged SQL, messages, SQL in comments and plain strings", () => {
    const good = [
      "const q = sql`SELECT * FROM ${ident(t)} WHERE d <= ${date(p.peildatum)} AND n IN (${join(xs.map((x) => sql`${x}`))})`;",
      "throw new UserError(`parameter ${path} moet een datum zijn, niet ${v}`);",
      "// const q = `SELECT * FROM ${t}`;\n/* await conn.run(`DROP TABLE ${t}`); */",
      "const s = 'SELECT 1'; const lbl = `${a}-${b}`; const n = `e${i + 1}`;",
      "const o = { a: `${x}` }; const y = a / b / c; const z = `${ {k: 1}.k } from here`;",
      // a non-null assertion before a division is not the start of a regex
      "const r = a[0]! / b[i]!; const f = g()! / 2; const q = sql`SELECT ${r} FROM ${ident(t)}`; const ok = !/x/.test(s);",
    ];
    for (const src of good) expect(rules(src)).toEqual([]);
  });

  it("tokenizes strings, comments, regexes and nested templates", () => {
    const t = tokenize("const a = `x${`y${'}'}`}z`; // `\nconst b = /`/.test(c) ? '`' : \"'\";");
    expect(t.filter((k) => k.kind === "template").map((k) => k.quasis)).toEqual([
      ["x", "z"],
      ["y", ""],
    ]);
    expect(t.filter((k) => k.kind === "regex").map((k) => k.text)).toEqual(["/`/"]);
    expect(t.filter((k) => k.kind === "string").map((k) => k.text)).toEqual(["}", "`", "'"]);
    expect(() => tokenize("const a = `open ${x")).toThrow(/tokenizer/);
  });
});
