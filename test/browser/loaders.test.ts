// The data loaders read only the published set and fail clearly when a file is missing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./harness.ts";

const run = (loader: string, publish: string) =>
  spawnSync(process.execPath, [join(REPO, "dashboards/data", loader)], { encoding: "utf8", env: { ...process.env, BAANMONITOR_PUBLISH: publish } });

describe("data loaders", () => {
  it("geven het publicatiebestand door (zonder inspringing)", () => {
    const dir = mkdtempSync(join(tmpdir(), "bm-pub-"));
    try {
      writeFileSync(join(dir, "baanduur.json"), JSON.stringify({ id: "baanduur", tabellen: { klassen: [] } }, null, 2));
      const r = run("baanduur.json.js", dir);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ id: "baanduur", tabellen: { klassen: [] } });
      expect(r.stdout).not.toContain("\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("falen met een duidelijke melding als een bestand ontbreekt", () => {
    const dir = mkdtempSync(join(tmpdir(), "bm-pub-"));
    try {
      const r = run("duur_tot_volgende_baan.json.js", dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("publicatiebestand ontbreekt");
      expect(r.stderr).toContain("duur_tot_volgende_baan.json");
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("kalibratie is optioneel: een lege envelop met ontbreekt: true", () => {
    const dir = mkdtempSync(join(tmpdir(), "bm-pub-"));
    try {
      const r = run("kalibratie.json.js", dir);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ id: "kalibratie", ontbreekt: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("build-site weigert een map zonder publicatieset", () => {
    const dir = mkdtempSync(join(tmpdir(), "bm-out-"));
    try {
      const r = spawnSync(process.execPath, [join(REPO, "scripts/build-site.mjs"), "--from", dir], { encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("geen publicatieset gevonden");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
