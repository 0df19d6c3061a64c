/**
 * Which `--out` folders `generate` may write into. It writes `extracts/`, `truth/` and
 * `generator.json`, replacing files of those names, so it writes only where that destroys
 * nothing of the user's: a missing or empty folder; a folder an earlier `generate` wrote (its
 * `generator.json` says so; the run output `npm start` keeps beside it stays untouched); or what
 * an interrupted `generate` left (only `extracts/` and `truth/` holding files of the names it
 * writes, or their `.tmp` forms). Anything else is refused with a UserError: generate never
 * overwrites a user's extracts.
 */
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../../core/errors.ts";
import { EXTRACT_NAMES, SYNTHETIC_MARKER_FILE } from "../../pipeline/contract.ts";
import { buildDialect, DIALECTS } from "./dialect.ts";
import { TRUTH_NAMES } from "./records.ts";

export const GENERATOR_MANIFEST = "generator.json";
/** the `generator` field of generator.json */
export const GENERATOR_NAME = "baanmonitor synthetic UWV world";

/** The files the generator writes into `extracts/` and `truth/`, for every dialect. */
function generatorFiles(): { extracts: Set<string>; truth: Set<string> } {
  const extracts = new Set<string>([SYNTHETIC_MARKER_FILE]);
  for (const d of DIALECTS) for (const x of EXTRACT_NAMES) extracts.add(buildDialect(d)[x].file);
  const truth = new Set<string>([
    ...TRUTH_NAMES.map((n) => `${n}.csv`),
    "tegenfeitelijk.csv",
    "tegenfeitelijk_verwacht.csv",
    "effecten.json",
  ]);
  return { extracts, truth };
}

const isGeneratorManifest = (path: string): boolean => {
  try {
    const m = JSON.parse(readFileSync(path, "utf8")) as { generator?: unknown };
    return lstatSync(path).isFile() && m?.generator === GENERATOR_NAME;
  } catch {
    return false;
  }
};

/** Refuse an `--out` for `generate` that holds anything but an earlier or interrupted generator output. */
export function checkGeneratorOutput(out: string): void {
  let entries: string[];
  try {
    if (!lstatSync(out).isDirectory()) throw new UserError(`--out ${out} bestaat al en is geen map; kies een (nieuwe) map voor --out`);
    entries = readdirSync(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  if (entries.length === 0 || isGeneratorManifest(join(out, GENERATOR_MANIFEST))) return;
  const files = generatorFiles();
  const own = (dir: "extracts" | "truth") => {
    try {
      const p = join(out, dir);
      return (
        lstatSync(p).isDirectory() && readdirSync(p).every((f) => files[dir].has(f.replace(/\.tmp$/, "")) && lstatSync(join(p, f)).isFile())
      );
    } catch {
      return false;
    }
  };
  const interrupted = entries.every((e) => (e === "extracts" || e === "truth" ? own(e) : e === `${GENERATOR_MANIFEST}.tmp`));
  if (interrupted) return;
  throw new UserError(
    `--out ${out} bestaat al, is niet leeg en is geen map van de generator (geen geldige ${GENERATOR_MANIFEST}); ` +
      "generate overschrijft hier niets: kies een lege of nieuwe map voor --out",
  );
}
