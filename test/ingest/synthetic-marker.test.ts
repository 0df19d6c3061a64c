/**
 * Synthetic marking, from the extracts folder to the pages: the generator's marker file in the
 * extracts folder (data/generator/marker.ts) is recorded by the ingest in the manifest
 * (invoer.synthetisch), reaches publish/run.json, and gives the site its banner and source line
 * (dashboards/components/runStatus.js, read by observablehq.config.ts at build time).
 * Extracts without the marker give no banner.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runAll } from "../../cli/commands/run.ts";
import { writePublicManifest } from "../../analyses/run-analyses.ts";
import { writeSyntheticMarker } from "../../data/generator/marker.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { SYNTHETIC_MARKER_FILE } from "../../pipeline/contract.ts";
import { extractsAreSynthetic } from "../../pipeline/ingest/synthetic-marker.ts";
import { bannerHtml, herkomst } from "../../dashboards/components/runStatus.js";
import { CANONICAL, copyFixture, tempDir } from "./helpers.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");

/** staging-only run, then publish/run.json as the publishing phase writes it */
async function runJson(extracts: string) {
  const out = join(tempDir(), "out");
  const { manifest } = await runAll({ extracts, out, stopAfter: "staging", progress: false });
  expect(writePublicManifest(out, structuredClone(DEFAULTS))).toBe(true);
  return { manifest, run: JSON.parse(readFileSync(join(out, "publish", "run.json"), "utf8")) };
}

/** the header and head of the site as observablehq.config.ts builds them from a published set */
function siteConfig(publish: string): { header: string; head: string } {
  const code = `const c = (await import(${JSON.stringify(join(ROOT, "observablehq.config.ts"))})).default; console.log(JSON.stringify({ header: c.header, head: c.head }));`;
  const outText = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: ROOT,
    env: { ...process.env, BAANMONITOR_PUBLISH: publish },
    encoding: "utf8",
  });
  return JSON.parse(outText);
}

describe("synthetische gegevens gemarkeerd", () => {
  it("extracts without the marker: synthetisch false, no banner, source UWV", async () => {
    const extracts = copyFixture(CANONICAL);
    expect(extractsAreSynthetic(extracts)).toBe(false);
    const { manifest, run } = await runJson(extracts);
    expect(manifest.invoer.synthetisch).toBe(false);
    expect(run.invoer.synthetisch).toBe(false);
    expect(bannerHtml(run)).toBe("");
    expect(herkomst(run)).toBe("uwv");
    const dir = tempDir();
    writeFileSync(join(dir, "run.json"), JSON.stringify(run));
    const site = siteConfig(dir);
    expect(site.header).not.toContain("bm-banner");
    expect(site.head).toContain('<meta name="bm-herkomst" content="uwv">');
  });

  it("the generator's marker: synthetisch true in manifest and run.json, banner and synthetic source on the site", async () => {
    const extracts = copyFixture(CANONICAL);
    writeSyntheticMarker(extracts, { scale: 0.01, seed: 3, dialect: "canonical" });
    expect(JSON.parse(readFileSync(join(extracts, SYNTHETIC_MARKER_FILE), "utf8")).synthetisch).toBe(true);
    const { manifest, run } = await runJson(extracts);
    expect(manifest.invoer.synthetisch).toBe(true);
    expect(run.invoer.synthetisch).toBe(true);
    const dir = tempDir();
    writeFileSync(join(dir, "run.json"), JSON.stringify(run));
    const site = siteConfig(dir);
    expect(site.header).toContain("Synthetische gegevens — geen UWV-statistiek");
    expect(site.head).toContain('<meta name="bm-herkomst" content="synthetisch">');
  });

  it("fail-safe: a damaged marker still marks the folder", () => {
    const extracts = copyFixture(CANONICAL);
    writeFileSync(join(extracts, SYNTHETIC_MARKER_FILE), "{niet leesbaar");
    expect(extractsAreSynthetic(extracts)).toBe(true);
  });
});
