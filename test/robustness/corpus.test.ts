/**
 * Data-driven: every case under test/fixtures/bad-input/ runs through the real pipeline
 * (in-process, --skip-analyses) and must end exactly as its expected.json says: a UserError whose
 * message names the problem (and the previous output untouched), or a successful run with
 * exactly the listed rejects, loaded counts and soft-check counts.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadMappingFile } from "../../pipeline/ingest/mapping.ts";
import { runAll } from "../../cli/commands/run.ts";
import { main } from "../../cli/index.ts";
import { buildExtracts, caseMapping, caseNames, readExpected } from "./corpus.ts";
import { BASIS, BIN, TODAY, copyDir, leftovers, query, readParquetRows, stackLines, tempDir } from "./helpers.ts";

const cases = caseNames();
const asList = (s: string | string[]) => (Array.isArray(s) ? s : [s]);

/** A previous good output, copied into every case's <out> first. */
let previous: string;
beforeAll(async () => {
  previous = join(tempDir(), "out");
  await runAll({ extracts: BASIS, out: previous, skipAnalyses: true, progress: false, today: TODAY });
});

describe("bad-input corpus", () => {
  it("has at least 30 cases", () => expect(cases.length).toBeGreaterThanOrEqual(30));

  const runCase = async (name: string) => {
    const exp = readExpected(name);
    const dir = tempDir();
    const extracts = buildExtracts(name, join(dir, "extracts"));
    const out = copyDir(previous, join(dir, "out"));
    const before = readFileSync(join(out, "manifest.json"), "utf8");
    const mappingFile = caseMapping(name);
    const run = async () =>
      runAll({
        extracts,
        out,
        // loading the mapping is part of the run (a bad mapping is a case too)
        mapping: mappingFile ? loadMappingFile(mappingFile) : undefined,
        skipAnalyses: true,
        progress: false,
        today: TODAY,
      });

    if (exp.fout !== undefined) {
      let err: unknown;
      try {
        await run();
      } catch (e) {
        err = e;
      }
      expect(err, "the run should have failed").toBeInstanceOf(Error);
      const e = err as Error;
      expect(e.name, `not a UserError: ${e.message}`).toBe("UserError");
      for (const s of asList(exp.fout)) expect(e.message).toContain(s.replace("<extracts>", extracts));
      // the previous output is untouched and nothing is left next to it
      expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe(before);
      expect(leftovers(out)).toEqual(["extracts"]);
      return;
    }

    const { manifest } = await run();
    const [rejects, kwaliteit] = await query(
      out,
      `SELECT bestand, regel::INTEGER AS regel, kolom, reden FROM rejects ORDER BY bestand, regel, kolom NULLS FIRST`,
      `SELECT controle || '.' || extract AS k, sum(aantal)::INTEGER AS n FROM kwaliteit GROUP BY ALL HAVING n > 0 ORDER BY k`,
    );
    expect(rejects).toEqual(exp.afgewezen ?? []);
    const loaded = Object.fromEntries(manifest.invoer.bestanden.map((f) => [f.bestand, f.geladen]));
    expect(loaded).toEqual(exp.geladen);
    for (const f of manifest.invoer.bestanden) expect(f.gelezen, f.bestand).toBe(f.geladen + f.afgewezen);
    expect(Object.fromEntries(kwaliteit!.map((r) => [r.k, r.n]))).toEqual(exp.kwaliteit ?? {});
    for (const c of exp.controles ?? []) {
      const [rows] = await query(out, c.sql);
      expect(rows, c.sql).toEqual(c.rijen);
    }
    // the marts are there and readable
    const marts = await readParquetRows(join(out, "marts"));
    expect(Object.keys(marts).length).toBe(manifest.uitvoer.marts.length);
    expect(leftovers(out)).toEqual(["extracts"]);
  };
  for (const name of cases) {
    const known = readExpected(name).bekende_fout;
    if (known) it.fails(`${name} (bekende fout: ${known})`, () => runCase(name));
    else it(name, () => runCase(name));
  }
});

/**
 * The CLI's entry point (cli/index.ts main) in this process: exit code and what it writes, as
 * the spawned CLI would have them.
 */
async function mainInProcess(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const saved = { exitCode: process.exitCode, debug: process.env.BAANMONITOR_DEBUG, out: process.stdout.write, err: process.stderr.write };
  const r = { status: null as number | null, stdout: "", stderr: "" };
  const capture = (k: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array) => {
      r[k] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      return true;
    }) as typeof process.stdout.write;
  process.exitCode = undefined;
  process.env.BAANMONITOR_DEBUG = "";
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  try {
    await main([process.execPath, BIN, ...args]);
    r.status = Number(process.exitCode ?? 0);
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exitCode = saved.exitCode;
    if (saved.debug === undefined) delete process.env.BAANMONITOR_DEBUG;
    else process.env.BAANMONITOR_DEBUG = saved.debug;
  }
  return r;
}

/**
 * Cases run by a spawned CLI, one per way a run fails: the --mapping file refused before the
 * pipeline starts, and an extract refused with DuckDB open. The other CLI cases go through the
 * same entry point (main) in this process: the exit code, message and absence of a stack trace
 * come from main's error handling, the same for every case. BAANMONITOR_CLI_SPAWN_ALL=1 spawns
 * every CLI case (as before).
 */
const SPAWNED = new Set(["mapping-typfout-sleutel", "windows-1252-zonder-mapping"]);
const SPAWN_ALL = process.env.BAANMONITOR_CLI_SPAWN_ALL === "1";

describe("bad-input corpus through the CLI", () => {
  const cliCases = cases.filter((c) => readExpected(c).cli && !readExpected(c).bekende_fout);
  it("has CLI cases", () => expect(cliCases.length).toBeGreaterThanOrEqual(2));
  it("the spawned ones are CLI cases", () => expect(cliCases).toEqual(expect.arrayContaining([...SPAWNED])));

  it.each(cliCases)("%s: non-zero exit, message on stderr, no stack trace", async (name) => {
    const exp = readExpected(name);
    const dir = tempDir();
    const extracts = buildExtracts(name, join(dir, "extracts"));
    const mappingFile = caseMapping(name);
    const args = ["run", "--extracts", extracts, "--out", join(dir, "out"), "--skip-analyses"];
    if (mappingFile) args.push("--mapping", mappingFile);
    const r =
      SPAWN_ALL || SPAWNED.has(name)
        ? spawnSync(process.execPath, [BIN, ...args], {
            encoding: "utf8",
            timeout: 120_000,
            env: { ...process.env, BAANMONITOR_DEBUG: "" },
          })
        : await mainInProcess(args);
    expect(r.status, r.stderr).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stderr).not.toContain("interne fout");
    for (const s of asList(exp.fout!)) expect(r.stderr).toContain(s.replace("<extracts>", extracts));
    expect(stackLines(r.stderr)).toEqual([]);
    expect(stackLines(r.stdout)).toEqual([]);
  });
});
