#!/usr/bin/env node
// Compare two run folders file by file: marts/*.parquet, analyses/*.parquet, publish/*.json
// must be byte-identical (the refactoring check of the architecture work).
//   node scripts/compare-runs.mjs <out-a> <out-b>
// Exit 0 when identical, 1 with the list of differing or missing files otherwise.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error("gebruik: node scripts/compare-runs.mjs <out-a> <out-b>");
  process.exit(2);
}
const files = (root) =>
  ["marts", "analyses", "publish"].flatMap((d) =>
    existsSync(join(root, d))
      ? readdirSync(join(root, d))
          .filter((f) => /\.(parquet|json)$/.test(f))
          .map((f) => `${d}/${f}`)
      : [],
  );
const all = [...new Set([...files(a), ...files(b)])].sort();
const diff = [];
for (const f of all) {
  const pa = join(a, f),
    pb = join(b, f);
  if (!existsSync(pa) || !existsSync(pb)) diff.push(`${f}: alleen in ${existsSync(pa) ? a : b}`);
  else if (!readFileSync(pa).equals(readFileSync(pb))) diff.push(`${f}: verschilt`);
}
console.log(`${all.length - diff.length} van ${all.length} bestanden gelijk`);
for (const d of diff) console.log(`  ${d}`);
process.exit(diff.length ? 1 : 0);
