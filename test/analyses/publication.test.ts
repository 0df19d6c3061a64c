/**
 * Publication policy over a real small run: publish/run.json goes through disclosure control,
 * the thresholds have a floor, and `--niet-voor-publicatie` marks every published file.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runAll } from "../../cli/commands/run.ts";
import { protectRunSummary } from "../../analyses/disclosure/run-summary.ts";
import { rulesFrom } from "../../analyses/disclosure/index.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { bannerHtml, meldingen, nietVoorPublicatie } from "../../dashboards/components/runStatus.js";
import { tempDir } from "../helpers/temp.ts";

const bin = join(process.cwd(), "bin", "baanmonitor.mjs");
const cli = (args: string[]) => {
  try {
    return { status: 0, stderr: String(execFileSync(process.execPath, [bin, ...args], { stdio: "pipe" })) };
  } catch (e) {
    return { status: (e as { status: number }).status, stderr: String((e as { stderr: Buffer }).stderr) };
  }
};

/** Every number in run.json under a count-like key, with its path. */
function counts(v: unknown, path = ""): [string, number][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => counts(x, `${path}[${i}]`));
  if (v && typeof v === "object") {
    return Object.entries(v).flatMap(([k, x]) =>
      typeof x === "number" && /^(aantal|gelezen|geladen|afgewezen|afgewezen_structuur)$/.test(k)
        ? [[`${path}.${k}`, x] as [string, number]]
        : counts(x, `${path}.${k}`),
    );
  }
  return [];
}

describe("publication policy over a real small run", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("bm-publicatie-");
    // the e2e tier's small world (scale 0.002, seed 5; test/setup/shared-world.ts), copied: sonar.csv changes
    cpSync(join(inject("smallWorld"), "extracts"), join(dir, "extracts"), { recursive: true });
    // three rows with an unknown service code: 3 rejects, a count that must not be published
    const sonar = join(dir, "extracts", "sonar.csv");
    const [header, first] = readFileSync(sonar, "utf8").split("\n");
    const cols = header!.split(",");
    for (let i = 0; i < 3; i++) {
      const f = first!.split(",");
      f[cols.indexOf("dienst_id")] = `DX${i}`;
      f[cols.indexOf("dienst")] = "onbekende_dienst";
      appendFileSync(sonar, f.join(",") + "\n");
    }
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("run.json publishes no count 1–9 and nothing that gives one back", async () => {
    const out = join(dir, "out");
    await runAll({ extracts: join(dir, "extracts"), out, progress: false });
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    const sonar = manifest.invoer.bestanden.find((f: { extract: string }) => f.extract === "sonar");
    expect(sonar.afgewezen).toBe(3); // the private manifest keeps the truth
    const run = JSON.parse(readFileSync(join(out, "publish", "run.json"), "utf8"));
    for (const [path, v] of counts(run)) expect(v === 0 || v >= 10, `${path} = ${v}`).toBe(true);
    const pub = run.invoer.bestanden.find((f: { extract: string }) => f.extract === "sonar");
    expect(pub).toMatchObject({ afgewezen: null, geladen: null, onderdrukt: true });
    expect(pub.gelezen).toBe(sonar.gelezen);
    expect(run.invoer.totaal).toMatchObject({ geladen: null, afgewezen: null });
    expect(run.publicatie).toEqual({ voor_publicatie: true });
    // a publishable set; the generator's extracts carry the synthetic marker, so the only notice says that
    expect(nietVoorPublicatie(run)).toEqual([]);
    expect(run.invoer.synthetisch).toBe(true);
    expect(meldingen(run).map((m) => m.soort)).toEqual(["synthetisch"]);
  });

  it("thresholds below the floor: refused without the flag, marked on every file with it", () => {
    const cfg = join(dir, "laag.json");
    writeFileSync(cfg, JSON.stringify({ parameters: { disclosure: { minAantal: 0, minNoemer: 0, minAtRisk: 0 } } }));
    const out = join(dir, "out-laag");
    const refused = cli(["run", "--extracts", join(dir, "extracts"), "--out", out, "--config", cfg]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`parameter "disclosure.minAantal" = 0: lager dan de publicatiegrens 10`);
    expect(cli(["run", "--extracts", join(dir, "extracts"), "--out", out, "--config", cfg, "--niet-voor-publicatie"]).status).toBe(0);
    const files = readdirSync(join(out, "publish")).filter((f) => f.endsWith(".json") && f !== "run.json");
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(JSON.parse(readFileSync(join(out, "publish", f), "utf8")).publicatie, f).toMatch(/^niet voor publicatie/);
    const run = JSON.parse(readFileSync(join(out, "publish", "run.json"), "utf8"));
    expect(run.publicatie.voor_publicatie).toBe(false);
    expect(bannerHtml(run)).toContain("Niet voor publicatie");
    // analyse on that run, without the flag, refuses the manifest's low thresholds
    const again = cli(["analyse", "--out", out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("--niet-voor-publicatie");
  });
});

describe("run.json control on hand-made linkage counts", () => {
  it("a small linkage cell gets a partner, its share goes with it, headline shares are hidden together", () => {
    const details = [
      { niveau: "perioden", soort: "extern", koppeling: "werkgever", aantal: 500, aandeel: 500 / 620 },
      { niveau: "perioden", soort: "extern", koppeling: "inlener", aantal: 40, aandeel: 40 / 620 },
      { niveau: "perioden", soort: "intern", koppeling: "inlener", aantal: 7, aandeel: 7 / 620 },
      { niveau: "perioden", soort: "intern", koppeling: "werkgever", aantal: 73, aandeel: 73 / 620 },
    ];
    const pub = { koppeling: { jobcoach_werkgever: 573 / 620, jobcoach_inlener: 47 / 620, jobcoach_niet_gekoppeld: 0, details } };
    const out = protectRunSummary(pub, rulesFrom(DEFAULTS)) as {
      koppeling: { details: Record<string, unknown>[]; jobcoach_werkgever: unknown };
    };
    const shown = out.koppeling.details;
    expect(shown[2]).toMatchObject({ aantal: null, aandeel: null, onderdrukt: true });
    // one other cell as its partner (chosen by the run's key), its share with it
    const partners = [0, 1, 3].filter((i) => shown[i]!.aantal === null);
    expect(partners).toHaveLength(1);
    expect(shown[partners[0]!]).toMatchObject({ aandeel: null, onderdrukt: true });
    for (const i of [0, 1, 3].filter((i) => i !== partners[0])) expect(shown[i]!.aantal).toBe(details[i]!.aantal);
    // shares rounded to 0.1 percentage point
    if (shown[0]!.aandeel !== null) expect(shown[0]!.aandeel).toBe(0.806);
    expect(out.koppeling.jobcoach_werkgever).toBeNull();
    expect(details[2]!.aantal).toBe(7); // the input is not changed
  });
});
