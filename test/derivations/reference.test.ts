/**
 * Reference tables: one copy each, in data/reference/. The pipeline inlines them through the
 * `{{ referentie: … }}` placeholder (pipeline/sql-runner.ts) and the generator reads the CPI
 * from the same file (data/generator/cpi.ts).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../pipeline/config.ts";
import { renderSql } from "../../pipeline/sql-runner.ts";
import { readReference } from "../../data/reference/index.ts";
import { cpi2015 } from "../../data/generator/cpi.ts";
import { REPO_ROOT, openDb, rows } from "../helpers/staging.ts";

const sqlFile = (f: string) => join(REPO_ROOT, "pipeline", "sql", "intermediate", f);
const csv = (name: string) => join(REPO_ROOT, "data", "reference", name);

describe("reference tables", () => {
  it("int_ref_cpi and int_ref_regios hold exactly the rows of data/reference/*.csv, typed", async () => {
    const conn = await openDb();
    for (const f of ["00_int_ref_cpi.sql", "01_int_ref_regios.sql"]) {
      await conn.run(renderSql(readFileSync(sqlFile(f), "utf8"), DEFAULTS, f).text);
    }
    const types = await rows(
      conn,
      `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_name LIKE 'int_ref_%' ORDER BY ALL`,
    );
    expect(types.map((t) => `${t.table_name}.${t.column_name} ${t.data_type}`)).toEqual([
      "int_ref_cpi.cpi_2015_100 DOUBLE",
      "int_ref_cpi.jaar INTEGER",
      "int_ref_regios.naam VARCHAR",
      "int_ref_regios.regio VARCHAR",
    ]);
    const cpi = await rows(conn, `SELECT jaar, cpi_2015_100 FROM int_ref_cpi ORDER BY jaar`);
    expect(cpi).toEqual(
      await rows(
        conn,
        `SELECT jaar::INTEGER AS jaar, cpi_2015_100::DOUBLE AS cpi_2015_100 FROM read_csv('${csv("cpi.csv")}', header = true) ORDER BY jaar`,
      ),
    );
    expect(cpi).toContainEqual({ jaar: 2019, cpi_2015_100: 106.16 });
    const regios = await rows(conn, `SELECT regio, naam FROM int_ref_regios ORDER BY regio`);
    expect(regios).toEqual(
      await rows(
        conn,
        `SELECT regio::VARCHAR AS regio, naam::VARCHAR AS naam FROM read_csv('${csv("arbeidsmarktregios.csv")}', header = true) ORDER BY regio`,
      ),
    );
    expect(regios).toHaveLength(35);
    conn.closeSync();
  });

  it("the generator's CPI is the reference table, extrapolated outside its years", () => {
    const { columns, rows: lines } = readReference("cpi.csv");
    const [j, c] = [columns.indexOf("jaar"), columns.indexOf("cpi_2015_100")];
    expect(lines.length).toBeGreaterThan(5);
    for (const r of lines) expect(cpi2015(Number(r[j]))).toBe(Number(r[c]));
    expect(cpi2015(2011)).toBeCloseTo(95.99 / 1.02, 10);
    expect(cpi2015(2022)).toBeCloseTo(107.54 * 1.013 ** 2, 10);
  });

  it("a reference table is inlined as VARCHAR values with the CSV's column names; other names are refused", () => {
    const text = renderSql("SELECT * FROM {{ referentie: arbeidsmarktregios.csv }}", DEFAULTS).text;
    expect(text).toContain(`('AMR14', 'Zaanstreek/Waterland')`);
    expect(text).toMatch(/\) AS t\("regio", "naam"\)$/);
    expect(() => renderSql("SELECT * FROM {{ referentie: ../../etc/passwd.csv }}", DEFAULTS)).toThrow(/onbekende plaatshouder/);
    expect(() => readReference("geen.csv")).toThrow();
  });

  it("no other copy of a reference table lives in the code", () => {
    // values that only a copy of the tables would hold
    const marks = ["106.16", "99.36", "Zuid-Kennemerland", "Helmond-De Peel"];
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) {
          // build output and caches (dist, dashboards/.observablehq/cache) hold published data, not code
          if (!name.startsWith(".") && !["node_modules", "generated", "dist", "reference"].includes(name)) walk(p);
        } else if (/\.(ts|mjs|js|sql|json)$/.test(name) && !p.endsWith("reference.test.ts")) {
          const text = readFileSync(p, "utf8");
          for (const m of marks) if (text.includes(m)) hits.push(`${relative(REPO_ROOT, p)}: ${m}`);
        }
      }
    };
    for (const d of ["pipeline", "data", "analyses", "core", "cli", "dashboards", "scripts"]) walk(join(REPO_ROOT, d));
    expect(hits).toEqual([]);
  });
});
