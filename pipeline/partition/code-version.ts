/**
 * A fingerprint of the code that derives the marts: SHA-256 over the path and content of every
 * source file of pipeline/ (ingest, SQL layers, runner) and of the reference tables in
 * data/reference/. The package version alone does not change with each commit; parts derived by
 * different code must not be merged, nor merged by other code than derived them.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const FOLDERS = ["pipeline", join("data", "reference")];

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : /\.(ts|sql|csv|json)$/.test(name) ? [p] : [];
    });
}

let cached: string | undefined;

export function codeFingerprint(): string {
  if (cached) return cached;
  const h = createHash("sha256");
  for (const f of FOLDERS.flatMap((d) => files(join(ROOT, d)))) {
    h.update(relative(ROOT, f).split("\\").join("/"));
    h.update("\u0000");
    h.update(readFileSync(f));
    h.update("\u0000");
  }
  cached = h.digest("hex").slice(0, 16);
  return cached;
}
