/**
 * The CLI as a separate process, as a user meets it: --version, a usage error as one Dutch line
 * with an example, `serve` refusing a folder without a built site, and a crafted config value
 * refused with exit 2 before anything is written. (Each spawn starts Node and tsx: e2e tier.)
 */
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
const cli = (args: string[]) => {
  try {
    return {
      status: 0,
      stdout: execFileSync(process.execPath, [join(ROOT, "bin/baanmonitor.mjs"), ...args], { encoding: "utf8", stdio: "pipe" }),
      stderr: "",
    };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { status: x.status, stdout: String(x.stdout), stderr: String(x.stderr) };
  }
};

describe("baanmonitor as a process", () => {
  it("--version prints the package version; a missing --out is one line with an example", () => {
    expect(cli(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const r = cli(["run", "--extracts", "x"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^baanmonitor run: --out ontbreekt; bijvoorbeeld: baanmonitor run --extracts \S+ --out \S+\n$/);
  });

  it("serve refuses a folder without a built site, in one line", () => {
    const r = cli(["serve", "--dir", join(tmpdir(), "bestaat-niet-bm")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/geen dashboard gevonden .*npm start/);
  });

  it("a crafted peildatum through the CLI is a user error (exit 2) and writes nothing", () => {
    const d = tempDir("bm-config-");
    const cfg = join(d, "c.json");
    const target = join(d, "pwned.csv");
    writeFileSync(cfg, JSON.stringify({ parameters: { d4: { peildatum: `2019-12-31'; COPY (SELECT 1) TO '${target}'; --` } } }));
    const r = cli(["analyse", "--out", join(d, "out"), "--config", cfg]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`parameter "d4.peildatum"`);
    expect(existsSync(target)).toBe(false);
  });
});
