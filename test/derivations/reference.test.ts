import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../pipeline/config.ts";
import { renderSql } from "../../pipeline/sql-runner.ts";
import { readFileSync } from "node:fs";
import { REPO_ROOT, openDb, rows } from "../helpers/staging.ts";

describe("reference tables", () => {
  it("the inlined CPI and region tables equal data/reference/*.csv", async () => {
    const conn = await openDb();
    for (const f of ["00_int_ref_cpi.sql", "01_int_ref_regios.sql"]) {
      await conn.run(renderSql(readFileSync(join(REPO_ROOT, "pipeline", "sql", "intermediate", f), "utf8"), DEFAULTS, f).text);
    }
    const csv = (name: string) => join(REPO_ROOT, "data", "reference", name);
    expect(await rows(conn, `SELECT jaar, cpi_2015_100 FROM int_ref_cpi ORDER BY jaar`)).toEqual(
      await rows(conn, `SELECT jaar::INTEGER AS jaar, cpi_2015_100::DOUBLE AS cpi_2015_100 FROM read_csv('${csv("cpi.csv")}', header = true) ORDER BY jaar`),
    );
    expect(await rows(conn, `SELECT regio, naam FROM int_ref_regios ORDER BY regio`)).toEqual(
      await rows(conn, `SELECT regio::VARCHAR AS regio, naam::VARCHAR AS naam FROM read_csv('${csv("arbeidsmarktregios.csv")}', header = true) ORDER BY regio`),
    );
    conn.closeSync();
  });
});
