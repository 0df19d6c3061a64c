/** Where `generate` may write (data/generator/output-folder.ts): never over a user's files. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.ts";
import { checkGeneratorOutput, GENERATOR_MANIFEST, GENERATOR_NAME } from "../../data/generator/output-folder.ts";

const fresh = () => mkdtempSync(join(tmpdir(), "bm-gen-out-"));
const put = (dir: string, rel: string, text = "x") => {
  mkdirSync(join(dir, rel, ".."), { recursive: true });
  writeFileSync(join(dir, rel), text);
};

describe("checkGeneratorOutput", () => {
  it("accepts a missing folder, an empty one, and an earlier generator output (with a run beside it)", () => {
    const d = fresh();
    expect(() => checkGeneratorOutput(join(d, "nieuw"))).not.toThrow();
    expect(() => checkGeneratorOutput(d)).not.toThrow();
    put(d, GENERATOR_MANIFEST, JSON.stringify({ generator: GENERATOR_NAME, scale: 1 }));
    put(d, "extracts/polis.csv");
    put(d, "out/manifest.json");
    expect(() => checkGeneratorOutput(d)).not.toThrow();
  });

  it("accepts what an interrupted generate left: its own file names, or their .tmp forms", () => {
    const d = fresh();
    put(d, "extracts/polis.csv.tmp");
    put(d, "extracts/uitkeringen.csv");
    put(d, "truth/banen.csv.tmp");
    put(d, `${GENERATOR_MANIFEST}.tmp`);
    expect(() => checkGeneratorOutput(d)).not.toThrow();
  });

  it("refuses a user's extracts, a foreign generator.json, a run output and a file", () => {
    const user = fresh();
    put(user, "extracts/polis.csv", "REAL,ROW");
    put(user, "extracts/notities.txt");
    expect(() => checkGeneratorOutput(user)).toThrow(UserError);
    const foreign = fresh();
    put(foreign, GENERATOR_MANIFEST, '{"mine":1}');
    expect(() => checkGeneratorOutput(foreign)).toThrow(/geen map van de generator/);
    const run = fresh();
    put(run, ".baanmonitor", "{}");
    put(run, "manifest.json", "{}");
    expect(() => checkGeneratorOutput(run)).toThrow(UserError);
    const file = join(fresh(), "f");
    writeFileSync(file, "x");
    expect(() => checkGeneratorOutput(file)).toThrow(/geen map/);
  });
});
