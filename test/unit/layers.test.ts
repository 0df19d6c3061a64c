/**
 * The direction of the imports: every module of the tree is classified by layer and no module
 * imports a layer above it, nor loads a project module dynamically outside cli/. The layers and
 * the rules are in test/helpers/layers.ts.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/staging.ts";
import { importsOf, layerOf, layerViolations } from "../helpers/layers.ts";

// dist-test: the browser tier's site build (test/browser/site-build.ts)
const SKIP = new Set(["node_modules", "dist", "dist-test", "generated", "fixtures"]);

/** Every TypeScript/JavaScript module of the project (not dependencies, build output or test fixtures). */
function modules(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith(".") || SKIP.has(name)) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(relative(REPO_ROOT, p).split(sep).join("/"));
    }
  };
  walk(REPO_ROOT);
  return out.sort();
}

describe("the direction of the imports in the source tree", () => {
  const files = modules();
  const source = (f: string) => readFileSync(join(REPO_ROOT, f), "utf8");

  it("classifies every module by layer", () => {
    expect(files.filter((f) => layerOf(f) === null)).toEqual([]);
    // the walk covers the layers (guards against scanning an empty or wrong tree)
    for (const f of [
      "core/errors.ts",
      "pipeline/contract.ts",
      "data/generator/generate.ts",
      "pipeline/run.ts",
      "analyses/run-analyses.ts",
      "calibration/from-run.ts",
      "cli/commands/run.ts",
      "dashboards/components/format.js",
    ]) {
      expect(files).toContain(f);
    }
  });

  it("finds no import against the direction and no dynamic import of a project module outside cli/", () => {
    const problems = files.flatMap((f) => layerViolations(f, source(f)));
    expect(problems).toEqual([]);
  });

  it("reads the edges the tree is known to have (the scan sees imports at all)", () => {
    const targets = (f: string) => importsOf(f, source(f)).map((e) => `${e.kind} ${e.target}`);
    expect(targets("cli/commands/run.ts")).toEqual(expect.arrayContaining(["static pipeline/run.ts", "static analyses/run-analyses.ts"]));
    expect(targets("cli/index.ts")).toEqual(expect.arrayContaining(["dynamic cli/commands/run.ts", "static core/errors.ts"]));
    expect(targets("data/generator/generate.ts")).toContain("static pipeline/contract.ts");
  });
});

describe("the layer check", () => {
  const check = (path: string, src: string) => layerViolations(path, src);

  it("fails on a planted import against the direction, naming file, line and layers", () => {
    // the pipeline importing the analyses, statically and dynamically
    expect(
      check("pipeline/run.ts", 'import { x } from "./config.ts";\nimport { runAnalyses } from "../analyses/run-analyses.ts";'),
    ).toEqual(["pipeline/run.ts:2: pipeline importeert analyses (analyses/run-analyses.ts), tegen de richting in"]);
    expect(check("pipeline/run.ts", 'const { runAnalyses } = await import("../analyses/run-analyses.ts");')).toHaveLength(1);
    // a lower layer taking the user error from the CLI
    expect(check("core/confine.ts", 'import { UserError } from "../cli/errors.ts";')).toEqual([
      "core/confine.ts:1: core importeert cli (cli/errors.ts), tegen de richting in",
    ]);
    // type-only imports and re-exports count too
    expect(check("analyses/lib/x.ts", 'import type { CalibrationRow } from "../../calibration/compare.ts";')).toHaveLength(1);
    expect(check("analyses/x.ts", 'export { compareAll } from "../calibration/compare.ts";')).toHaveLength(1);
    expect(check("analyses/x.ts", 'export * from "../cli/commands/run.ts";')).toHaveLength(1);
    // siblings: the generator and the pipeline do not import each other
    expect(check("data/generator/x.ts", 'import { DEFAULTS } from "../../pipeline/config.ts";')).toHaveLength(1);
    expect(check("pipeline/ingest/x.ts", 'import { generate } from "../../data/generator/generate.ts";')).toHaveLength(1);
    // the contract sits below both; core below everything
    expect(check("core/x.ts", 'import { EXTRACTS } from "../pipeline/contract.ts";')).toHaveLength(1);
    // production code importing test helpers or scripts
    expect(check("pipeline/x.ts", 'import { h } from "../test/helpers/staging.ts";')).toHaveLength(1);
    // the site imports only itself
    expect(check("dashboards/components/x.js", 'import { PUBLISHED } from "../../calibration/published.ts";')).toHaveLength(1);
  });

  it("fails on a module loaded by URL, on a computed dynamic import and on dynamic loading of another layer from cli/", () => {
    // the old calibrate command (data/calibration/ is no layer any more)
    const url = 'const m = new URL("../../analyses/calibrate-run.ts", import.meta.url);\nawait import(m.href);';
    expect(check("data/calibration/command.ts", url)).toEqual(["data/calibration/command.ts: module in geen laag ingedeeld"]);
    expect(check("calibration/command.ts", url.replace("../../", "../"))).toEqual([
      "calibration/command.ts:1: module via URL geladen van analyses/calibrate-run.ts (alleen cli/ laadt zijn eigen commando's lui)",
      "calibration/command.ts:2: dynamische import met een berekende naam (niet statisch na te gaan)",
    ]);
    expect(check("analyses/x.ts", "const m = await import(`./catalogue/${id}.ts`);")).toHaveLength(1);
    expect(check("cli/commands/run.ts", 'const { runPipeline } = await import("../../pipeline/run.ts");')).toHaveLength(1);
    // only the entry point imports by a computed name (the compiled CLI)
    expect(check("bin/other.mjs", "await import(pathToFileURL(compiled).href);")).toHaveLength(1);
    expect(check("bin/baanmonitor.mjs", "await import(pathToFileURL(compiled).href);")).toEqual([]);
  });

  it("passes what the direction allows", () => {
    expect(check("analyses/x.ts", 'import { DEFAULTS } from "../pipeline/config.ts";\nimport { sql } from "../core/sql.ts";')).toEqual([]);
    expect(
      check("calibration/x.ts", 'import { cpi2015 } from "../data/generator/cpi.ts";\nimport { query } from "../analyses/lib/sql.ts";'),
    ).toEqual([]);
    expect(check("data/generator/x.ts", 'import { EXTRACTS } from "../../pipeline/contract.ts";')).toEqual([]);
    // cli/ loads its own command modules lazily; packages and data files by URL are no project modules
    expect(check("cli/index.ts", 'const m = await import("./commands/run.ts");\nimport { Command } from "commander";')).toEqual([]);
    expect(
      check(
        "pipeline/x.ts",
        'const f = new URL("../data/mappings/canonical.json", import.meta.url);\nconst d = await import("@duckdb/node-api");',
      ),
    ).toEqual([]);
    // words in comments and strings are no imports
    expect(check("core/x.ts", '// see import("../cli/index.ts")\nconst s = "import { a } from \\"../cli/x.ts\\"";')).toEqual([]);
    // scripts and tests may import anything
    expect(check("scripts/bench-ingest.ts", 'import { runAll } from "../cli/commands/run.ts";')).toEqual([]);
  });
});
