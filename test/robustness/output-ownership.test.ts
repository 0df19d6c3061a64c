/**
 * Ownership of the output folder: baanmonitor removes or replaces only what it can prove it
 * made (marker, or an earlier version's complete output), never the extracts, a delivery folder
 * or a user's backup beside `<out>`; `--temp-dir` problems are user errors before DuckDB starts.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OWNER_FILE, isRunManifest, readMarker } from "../../pipeline/output-folder.ts";
import { runAll } from "../../cli/commands/run.ts";
import { userError } from "../ingest/helpers.ts";
import { BASIS, BIN, ROOT, hashTree, leftovers, listFiles, stackLines, tempDir } from "./helpers.ts";

const cli = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 300_000, env: { ...process.env, BAANMONITOR_DEBUG: "" } });
const stagingRun = (out: string, extracts = BASIS) => runAll({ extracts, out, stopAfter: "staging", progress: false });

/** A folder tree with its contents, to prove nothing in it changed. */
const snapshot = (d: string) => hashTree(d);

describe("--out that is not baanmonitor's", () => {
  it("a delivery folder with the extracts and a manifest.json of its own: exit 2, nothing deleted", () => {
    const d = tempDir();
    const levering = join(d, "levering");
    cpSync(BASIS, levering, { recursive: true });
    writeFileSync(join(levering, "manifest.json"), JSON.stringify({ levering: "2024-06", bestanden: 4 }));
    const before = snapshot(levering);
    const r = cli(["run", "--extracts", BASIS, "--out", levering, "--skip-analyses"]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--out ${levering} bestaat al, is niet leeg en is geen uitvoermap van baanmonitor`);
    expect(stackLines(r.stderr)).toEqual([]);
    expect(snapshot(levering)).toEqual(before);
    expect(listFiles(d).filter((f) => !f.startsWith("levering/"))).toEqual([]);
  });

  it("a project folder without manifest: refused, untouched", async () => {
    const d = join(tempDir(), "project");
    mkdirSync(d);
    writeFileSync(join(d, "notities.txt"), "mijn werk");
    expect(await userError(stagingRun(d))).toMatch(/geen \.baanmonitor-markering.*baanmonitor verwijdert hier niets/);
    expect(listFiles(d)).toEqual(["notities.txt"]);
  });

  it("a file as --out: refused", async () => {
    const f = join(tempDir(), "bestand");
    writeFileSync(f, "x");
    expect(await userError(stagingRun(f))).toContain("bestaat al en is geen map");
    expect(readFileSync(f, "utf8")).toBe("x");
  });

  it("a folder with a damaged marker: refused, untouched", async () => {
    const out = join(tempDir(), "out");
    await stagingRun(out);
    writeFileSync(join(out, OWNER_FILE), "{kapot");
    const before = snapshot(out);
    expect(await userError(stagingRun(out))).toContain(`${OWNER_FILE} is beschadigd`);
    expect(snapshot(out)).toEqual(before);
  });

  it("--out equal to, inside, or a parent of --extracts (also through a symlink): refused, extracts intact", async () => {
    const d = tempDir();
    const x = join(d, "data", "extracts");
    cpSync(BASIS, x, { recursive: true });
    symlinkSync(x, join(d, "link"));
    const before = snapshot(d);
    expect(await userError(stagingRun(x, x))).toContain("is dezelfde map als --extracts");
    expect(await userError(stagingRun(join(d, "link"), x))).toContain("is dezelfde map als --extracts");
    expect(await userError(stagingRun(join(x, "out"), x))).toContain("ligt in de map van --extracts");
    expect(await userError(stagingRun(join(d, "link", "out"), x))).toContain("ligt in de map van --extracts");
    expect(await userError(stagingRun(join(d, "data"), x))).toContain("bevat de map van --extracts");
    expect(await userError(stagingRun(d, join(d, "link")))).toContain("bevat de map van --extracts");
    expect(snapshot(d)).toEqual(before);
  });
});

describe("what baanmonitor may replace", () => {
  it("an empty folder becomes the output", async () => {
    const out = join(tempDir(), "out");
    mkdirSync(out);
    await stagingRun(out);
    expect(readMarker(out)).not.toBeNull();
    expect(leftovers(out)).toEqual([]);
  });

  it("an earlier version's output (full manifest, no marker) is recognised and replaced; with a foreign file added it is refused", async () => {
    const out = join(tempDir(), "out");
    await stagingRun(out);
    rmSync(join(out, OWNER_FILE));
    expect(isRunManifest(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")))).toBe(true);
    await stagingRun(out);
    expect(readMarker(out)).not.toBeNull();
    expect(leftovers(out)).toEqual([]);
    // an earlier version's output with something else in it is not provably ours
    rmSync(join(out, OWNER_FILE));
    writeFileSync(join(out, "uitkeringen.csv"), "bsn\n1\n");
    expect(await userError(stagingRun(out))).toContain(
      "manifest.json is geen run-manifest van baanmonitor of de map bevat andere bestanden",
    );
    expect(readFileSync(join(out, "uitkeringen.csv"), "utf8")).toBe("bsn\n1\n");
  });

  it("a manifest.json with only part of the run-manifest structure is not recognised", () => {
    const full = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(isRunManifest(full)).toBe(false);
    expect(isRunManifest({ manifest_versie: 1, parameters: {}, uitvoer: { marts: [] } })).toBe(false);
  });

  it("user folders named like leftovers (res.old-2024, res.tmp-7, a copied output) survive runs", async () => {
    const d = tempDir();
    const out = join(d, "res");
    await stagingRun(out);
    mkdirSync(join(d, "res.tmp-7"));
    writeFileSync(join(d, "res.tmp-7", "x.txt"), "x");
    // a backup copy of a real output, marker included, under an old-looking name
    cpSync(out, join(d, "res.old-2024"), { recursive: true });
    // a copy under the exact leftover pattern, but its marker carries another run id than its name
    cpSync(out, join(d, `res.old-${2 ** 22 + 1}-0123456789abcdef`), { recursive: true });
    const before = snapshot(d);
    const keep = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([f]) => !f.startsWith("res/")));
    await stagingRun(out);
    expect(keep(snapshot(d))).toEqual(keep(before));
    // also when <out> is missing: none of them is mistaken for a half-swapped output
    rmSync(out, { recursive: true });
    await stagingRun(out);
    expect(keep(snapshot(d))).toEqual(keep(before));
  });
});

describe("--temp-dir problems: exit 2 naming the option and the path, before DuckDB starts", () => {
  const expectTempDirError = (tempDirArg: string, what: string, d: string) => {
    const out = join(d, "out");
    const r = cli(["run", "--extracts", BASIS, "--out", out, "--skip-analyses", "--temp-dir", tempDirArg]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--temp-dir ${tempDirArg} ${what}`);
    expect(stackLines(r.stderr)).toEqual([]);
    expect(listFiles(out)).toEqual([]);
    expect(leftovers(out).filter((f) => f.startsWith("out"))).toEqual([]);
  };

  it("not creatable (below a regular file)", () => {
    const d = tempDir();
    writeFileSync(join(d, "bestand"), "x");
    expectTempDirError(join(d, "bestand", "spill"), "bestaat niet en kan niet worden aangemaakt", d);
  });

  it("inside --out (the output folder is replaced as a whole)", () => {
    const d = tempDir();
    expectTempDirError(join(d, "out", "spill"), `ligt in --out ${join(d, "out")}`, d);
  });

  it("a file", () => {
    const d = tempDir();
    writeFileSync(join(d, "spill"), "x");
    expectTempDirError(join(d, "spill"), "is geen map", d);
  });

  const mountable = (() => {
    if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
    const m = join(tempDir(), "probe");
    mkdirSync(m);
    const ok = spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", m]).status === 0;
    if (ok) spawnSync("umount", [m]);
    return ok;
  })();
  const withTmpfs = (opts: string, f: (dir: string) => void) => {
    const m = join(tempDir(), "mnt");
    mkdirSync(m);
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", opts, "tmpfs", m]).status).toBe(0);
    try {
      f(m);
    } finally {
      spawnSync("umount", [m]);
      rmSync(m, { recursive: true, force: true });
    }
  };

  it.skipIf(!mountable)("read-only (needs root and mount)", () => {
    withTmpfs("ro,size=1m", (m) => expectTempDirError(m, "is niet beschrijfbaar", tempDir()));
    withTmpfs("ro,size=1m", (m) => expectTempDirError(join(m, "spill"), "bestaat niet en kan niet worden aangemaakt", tempDir()));
  });

  it.skipIf(!mountable)("no space left (needs root and mount)", () => {
    withTmpfs("size=64k", (m) => {
      spawnSync("dd", ["if=/dev/zero", `of=${join(m, "vol")}`, "bs=4k", "count=1000"]);
      expectTempDirError(m, "heeft geen vrije ruimte", tempDir());
    });
  });
});
