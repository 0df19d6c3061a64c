/**
 * The layers of the source tree and the direction of its imports (test/unit/layers.test.ts).
 *
 * Data flows extracts → pipeline → marts → analyses → published set → site, and the imports
 * follow it: a module imports only from its own layer and the layers below it.
 *
 *   core         core/                 errors, SQL building, DuckDB confinement, validation
 *   contract     pipeline/contract.ts  the four extracts' canonical form (generator and ingest share it)
 *   generator    data/generator/       the synthetic world, upstream of the extracts
 *   pipeline     pipeline/             ingest, SQL layers, marts, run + manifest
 *   analyses     analyses/             survival engine, catalogue, disclosure control, published set
 *   calibration  calibration/          reads a run (and the generator's truth), downstream of the analyses
 *   cli          cli/, bin/            the composition root: the commands put the layers together
 *   site         dashboards/           the Observable Framework site; imports only itself
 *   free         scripts/, test/, the tool configs: may import anything
 *
 * The generator and the pipeline are siblings: neither imports the other. A dynamic `import(…)`
 * of a project module (or a module loaded by URL, `new URL("….ts", import.meta.url)`) hides an
 * edge from static tools: it is allowed only inside cli/, for the lazy loading of cli/'s own
 * command modules (and in COMPILED_CLI_LOADER, for the compiled CLI). The imports are read with
 * the tokenizer of test/helpers/sql-scan.ts, so comments and strings do not count.
 */
import { posix } from "node:path";
import { tokenize } from "./sql-scan.ts";

export type Layer = "core" | "contract" | "generator" | "pipeline" | "analyses" | "calibration" | "cli" | "site" | "free";

/** What each layer may import (its own layer included). `free` may import anything. */
export const ALLOWED: Record<Exclude<Layer, "free">, readonly Layer[]> = {
  core: ["core"],
  contract: ["core", "contract"],
  generator: ["core", "contract", "generator"],
  pipeline: ["core", "contract", "pipeline"],
  analyses: ["core", "contract", "pipeline", "analyses"],
  calibration: ["core", "contract", "generator", "pipeline", "analyses", "calibration"],
  cli: ["core", "contract", "generator", "pipeline", "analyses", "calibration", "cli"],
  site: ["site"],
};

/** The layer of a module (path relative to the repository root, with `/`); null: not classified. */
export function layerOf(path: string): Layer | null {
  // the extract contract and the reference tables (CPI, regions) are shared by generator and pipeline
  if (path === "pipeline/contract.ts" || path.startsWith("data/reference/")) return "contract";
  const rules: [string, Layer][] = [
    ["core/", "core"],
    ["data/generator/", "generator"],
    ["pipeline/", "pipeline"],
    ["analyses/", "analyses"],
    ["calibration/", "calibration"],
    ["cli/", "cli"],
    ["bin/", "cli"],
    ["dashboards/", "site"],
    ["scripts/", "free"],
    ["test/", "free"],
  ];
  for (const [prefix, layer] of rules) if (path.startsWith(prefix)) return layer;
  if (!path.includes("/") && /\.config\.(ts|js|mjs)$/.test(path)) return "free";
  return null;
}

export interface ImportEdge {
  /** the module named, relative to the repository root; null for a package or a computed name */
  target: string | null;
  /** the text as written */
  spec: string;
  kind: "static" | "dynamic" | "url";
  line: number;
}

const MODULE_FILE = /\.(ts|mts|js|mjs)$/;

/**
 * The imports of a module: `import … from "x"`, `import "x"`, `export … from "x"` (static),
 * `import(x)` (dynamic; a computed argument has target null) and `new URL("x.ts", import.meta.url)`
 * (a module loaded by URL).
 */
export function importsOf(path: string, src: string): ImportEdge[] {
  const tokens = tokenize(src);
  const edges: ImportEdge[] = [];
  const resolveSpec = (spec: string): string | null =>
    spec.startsWith("./") || spec.startsWith("../") ? posix.normalize(posix.join(posix.dirname(path), spec)) : null;
  const literal = (i: number) => {
    const t = tokens[i];
    if (!t) return null;
    if (t.kind === "string") return t.text;
    // a template without substitutions is as literal as a string
    if (t.kind === "template" && (t.quasis?.length ?? 1) <= 1 && !t.tag) return t.text;
    return null;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "name") continue;
    if (t.text === "from" && tokens[i + 1]?.kind === "string") {
      const spec = tokens[i + 1]!.text;
      edges.push({ target: resolveSpec(spec), spec, kind: "static", line: t.line });
    } else if (t.text === "import" && tokens[i + 1]?.kind === "string" && tokens[i - 1]?.text !== ".") {
      const spec = tokens[i + 1]!.text;
      edges.push({ target: resolveSpec(spec), spec, kind: "static", line: t.line });
    } else if (t.text === "import" && tokens[i + 1]?.text === "(" && tokens[i - 1]?.text !== ".") {
      const spec = literal(i + 2);
      const computed = spec === null || tokens[i + 3]?.text !== ")";
      edges.push({ target: computed ? null : resolveSpec(spec), spec: computed ? "(berekend)" : spec, kind: "dynamic", line: t.line });
    } else if (t.text === "URL" && tokens[i - 1]?.text === "new" && tokens[i + 1]?.text === "(") {
      const spec = literal(i + 2);
      const base = tokens
        .slice(i + 3, i + 9)
        .map((x) => x.text)
        .join("");
      if (spec !== null && MODULE_FILE.test(spec) && base === ",import.meta.url") {
        edges.push({ target: resolveSpec(spec), spec, kind: "url", line: t.line });
      }
    }
  }
  return edges;
}

/**
 * The one module that may import by a computed name: the CLI's entry point imports the CLI
 * compiled to one file (bin/compiled-cli.mjs), whose file name changes with each build. That
 * file is cli/index.ts and what it imports, so its edges are the sources' edges, checked here.
 */
export const COMPILED_CLI_LOADER = "bin/baanmonitor.mjs";

/** The imports of a module against the layers, one message per finding (empty: none). */
export function layerViolations(path: string, src: string): string[] {
  const from = layerOf(path);
  if (from === null) return [`${path}: module in geen laag ingedeeld`];
  if (from === "free") return [];
  const out: string[] = [];
  for (const e of importsOf(path, src)) {
    const at = `${path}:${e.line}`;
    if (e.kind !== "static") {
      if (e.target === null && e.spec === "(berekend)") {
        if (path === COMPILED_CLI_LOADER) continue;
        out.push(`${at}: dynamische import met een berekende naam (niet statisch na te gaan)`);
        continue;
      }
      if (e.target === null) continue; // a package
      const to = layerOf(e.target);
      if (from !== "cli" || to !== "cli") {
        out.push(
          `${at}: ${e.kind === "url" ? "module via URL geladen" : "dynamische import"} van ${e.target} (alleen cli/ laadt zijn eigen commando's lui)`,
        );
        continue;
      }
    }
    if (e.target === null) continue; // a package or node: built-in
    const to = layerOf(e.target);
    if (to === null) out.push(`${at}: importeert ${e.target}, dat in geen laag is ingedeeld`);
    else if (!ALLOWED[from].includes(to)) out.push(`${at}: ${from} importeert ${to} (${e.target}), tegen de richting in`);
  }
  return out;
}
