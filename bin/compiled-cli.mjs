// The CLI compiled to one JavaScript file, built on first use and again whenever a source file it
// was built from changes; bin/baanmonitor.mjs imports it instead of loading the TypeScript through
// tsx.
//
// Why: through tsx every one of the CLI's ~300 modules is resolved and loaded by a loader thread,
// which cost 1.2 s wall and 1.7 s CPU before a command did anything (`analyse --out <missing>`);
// from one file the same command starts in 0.45 s and 0.5 s CPU. Every CLI command starts that
// much sooner, and the test suite spawns it about 60 times. (Node 20 has no type stripping of its
// own; a compile cache for ES modules came with Node 22.)
//
// - The bundle holds the project's own code only; packages (DuckDB, zod, highs, ...) stay in
//   node_modules and are imported from there.
// - `import.meta.url` of each module is replaced by the URL of its source file, so the files the
//   code reads next to itself (SQL, mappings, reference tables) are read from the source tree.
// - Fresh: the build records every input file with its size and modification time (esbuild's
//   metafile); a changed, removed or added import changes an input, so the next start rebuilds.
// - Concurrent starts: each build writes a file of its own name, and the record that names it is
//   replaced in one rename. Bundles other than the current one are removed when older than a day
//   (only files of this folder named cli-*.mjs, which only this module writes).
// - Anything unexpected (no esbuild, a read-only node_modules, a build error) returns null, and
//   the caller loads the TypeScript through tsx as before. BAANMONITOR_TSX=1 does so always.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = join(REPO, "cli", "index.ts");
export const CACHE = join(REPO, "node_modules", ".cache", "baanmonitor");
/** @param {string} cache */
const record = (cache) => join(cache, "cli.json");
const DAY_MS = 86_400_000;

/**
 * size and modification time of a file, or null when it is gone
 * @param {string} path
 */
function stamp(path) {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

/**
 * the current bundle's path when the record is there and none of its inputs changed
 * @param {string} cache
 * @returns {string | null}
 */
function current(cache) {
  if (!existsSync(record(cache))) return null;
  let bundle, inputs;
  try {
    ({ bundle, inputs } = JSON.parse(readFileSync(record(cache), "utf8")));
  } catch {
    return null; // an unreadable record is rebuilt, not a reason to fall back for good
  }
  if (typeof bundle !== "string" || typeof inputs !== "object" || inputs === null) return null;
  for (const [path, s] of Object.entries(inputs)) if (stamp(join(REPO, path)) !== s) return null;
  return existsSync(join(cache, bundle)) ? join(cache, bundle) : null;
}

/**
 * esbuild plugin: each module's import.meta.url is its source file's URL
 * @type {import("esbuild").Plugin}
 */
const sourceUrls = {
  name: "baanmonitor-source-urls",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8").replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
      loader: "ts",
    }));
  },
};

/**
 * @param {string} cache
 * @returns {Promise<string>}
 */
async function rebuild(cache) {
  const esbuild = await import("esbuild");
  mkdirSync(cache, { recursive: true });
  const name = `cli-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}.mjs`;
  const out = join(cache, name);
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    metafile: true,
    logLevel: "silent",
    absWorkingDir: REPO,
    plugins: [sourceUrls],
  });
  /** @type {Record<string, string | null>} */
  const inputs = {};
  for (const path of Object.keys(result.metafile.inputs)) inputs[path] = stamp(join(REPO, path));
  // an input that changed while it was being built is caught at the next start
  const tmp = `${record(cache)}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(tmp, JSON.stringify({ bundle: name, inputs }));
  renameSync(tmp, record(cache));
  for (const f of readdirSync(cache)) {
    if (!/^cli-.*\.mjs(\.map)?$/.test(f) || f.startsWith(name)) continue;
    const p = join(cache, f);
    if (Date.now() - statSync(p).mtimeMs > DAY_MS) rmSync(p, { force: true });
  }
  return out;
}

/**
 * the path of an up-to-date compiled CLI, building it when needed; null: use tsx
 * @param {string} [cache]
 * @returns {Promise<string | null>}
 */
export async function compiledCli(cache = CACHE) {
  if (process.env.BAANMONITOR_TSX === "1") return null;
  try {
    return current(cache) ?? (await rebuild(cache));
  } catch {
    return null;
  }
}
