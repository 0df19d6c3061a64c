// Publication-safety scan: look through a built site (or any folder) for identifiers that must
// never be published — person, employer and organisation ids (docs/publish.md).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export interface Hit {
  file: string;
  match: string;
  context: string;
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

/**
 * Scan all text files under `dir` for the given literal ids (exact, as whole tokens) and regex
 * patterns. Returns every hit with a little context. Binary files are skipped.
 */
export function scanForIds(dir: string, { ids = [], patterns = [] }: { ids?: Iterable<string>; patterns?: RegExp[] }): Hit[] {
  const idSet = new Set([...ids].filter((s) => s.length >= 4));
  const hits: Hit[] = [];
  for (const file of walk(dir)) {
    const buf = readFileSync(file);
    if (buf.includes(0)) continue;
    const text = buf.toString("utf8");
    const add = (index: number, match: string) =>
      hits.push({ file: relative(dir, file), match, context: text.slice(Math.max(0, index - 40), index + match.length + 40) });
    for (const re of patterns) {
      const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g");
      for (const m of text.matchAll(g)) add(m.index ?? 0, m[0]);
    }
    if (idSet.size) {
      // tokens of id-like characters; check each against the set (fast for large id lists)
      for (const m of text.matchAll(/[A-Za-z0-9_-]{4,}/g)) if (idSet.has(m[0])) add(m.index ?? 0, m[0]);
    }
  }
  return hits;
}
