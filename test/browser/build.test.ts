// The build is reproducible: two builds of the same published set are byte-identical
// (no build date in the footer, no file mtimes in the pages). The first is the test run's shared
// build (test/setup/site-build.ts), the second is built here into a temp folder, so the
// other browser tests keep serving theirs. When BAANMONITOR_TEST_NOBUILD=1 kept an existing build
// (possibly of another published set), both are built here.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSite, FROM, sharedSite } from "./harness.ts";
import { tempDir } from "../helpers/temp.ts";

function digest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), createHash("sha256").update(readFileSync(p)).digest("hex"));
    }
  };
  walk(dir);
  return out;
}

describe("reproduceerbare build", () => {
  it("twee builds van dezelfde publicatieset zijn byte-identiek", async () => {
    const shared = await sharedSite();
    const a = shared.reused ? tempDir("bm-dist-a-") : shared.dir;
    const b = tempDir("bm-dist-b-");
    try {
      if (shared.reused) await buildSite(FROM, a);
      await buildSite(FROM, b);
      const da = digest(a),
        db = digest(b);
      expect(da.size).toBeGreaterThan(10);
      const verschil = [...new Set([...da.keys(), ...db.keys()])].filter((k) => da.get(k) !== db.get(k));
      expect(verschil).toEqual([]);
      expect(readFileSync(join(a, "index.html"), "utf8")).not.toMatch(/fonts\.googleapis|Built with Observable on/);
    } finally {
      if (shared.reused) rmSync(a, { recursive: true, force: true });
      rmSync(b, { recursive: true, force: true });
    }
  }, 300_000);
});
