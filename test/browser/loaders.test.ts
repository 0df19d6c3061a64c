// The data loaders read only the published set and fail clearly when a file is missing. One
// parameterised loader (dashboards/data/[id].json.js) serves every published file; every data
// file a page asks for is a published analysis, run.json, kalibratie.json or a combining loader.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ANALYSES } from "../../analyses/registry.ts";
import { REPO } from "./harness.ts";
import { tempDir } from "../helpers/temp.ts";

/** run a loader as Framework does: a parameterised one gets its parameter as --name=value */
const run = (loader: string, publish: string, args: string[] = []) =>
  spawnSync(process.execPath, [join(REPO, "dashboards/data", loader), ...args], {
    encoding: "utf8",
    env: { ...process.env, BAANMONITOR_PUBLISH: publish },
  });
const perId = (id: string, publish: string) => run("[id].json.js", publish, [`--id=${id}`]);
/** published files that are not analyses of the catalogue */
const OTHER_PUBLISHED = ["run", "kalibratie", "controle"];

describe("data loaders", () => {
  it("geven het publicatiebestand door (zonder inspringing)", () => {
    const dir = tempDir("bm-pub-");
    try {
      writeFileSync(join(dir, "baanduur.json"), JSON.stringify({ id: "baanduur", tabellen: { klassen: [] } }, null, 2));
      const r = perId("baanduur", dir);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ id: "baanduur", tabellen: { klassen: [] } });
      expect(r.stdout).not.toContain("\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("falen met een duidelijke melding als een bestand ontbreekt", () => {
    const dir = tempDir("bm-pub-");
    try {
      const r = perId("duur_tot_volgende_baan", dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("publicatiebestand ontbreekt");
      expect(r.stderr).toContain("duur_tot_volgende_baan.json");
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("kalibratie is optioneel: een lege envelop met ontbreekt: true", () => {
    const dir = tempDir("bm-pub-");
    try {
      const r = perId("kalibratie", dir);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ id: "kalibratie", ontbreekt: true, tabellen: {} });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("weigeren een naam die geen publicatiebestand kan zijn, en ongeldige JSON", () => {
    const dir = tempDir("bm-pub-");
    try {
      writeFileSync(join(dir, "run.json"), "{");
      for (const id of ["../run", ""]) {
        const r = perId(id, dir);
        expect(r.status, id).toBe(1);
        expect(r.stderr).toContain("ongeldige naam");
      }
      const r = perId("run", dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("run.json is geen geldige JSON");
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("combinerende loaders lezen de publicatieset (regio-namen uit de maandmonitor)", () => {
    const dir = tempDir("bm-pub-");
    try {
      const reeks = [
        { regio: "NL", regio_naam: "Nederland" },
        { regio: "AM01", regio_naam: "Groningen" },
      ];
      writeFileSync(join(dir, "maandmonitor.json"), JSON.stringify({ id: "maandmonitor", tabellen: { reeks } }));
      const r = run("regio-namen.json.js", dir);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ NL: "Nederland", AM01: "Groningen" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("elk databestand van een pagina is een gepubliceerde analyse, run, controle, kalibratie of een eigen loader", () => {
    const published = new Set([...ANALYSES.map((m) => m.id), ...OTHER_PUBLISHED]);
    const pages = readdirSync(join(REPO, "dashboards")).filter((f) => f.endsWith(".md"));
    const asked = new Set<string>();
    for (const page of pages) {
      for (const [, name] of readFileSync(join(REPO, "dashboards", page), "utf8").matchAll(/FileAttachment\("data\/([^"]+)\.json"\)/g))
        asked.add(name!);
    }
    expect(asked.size).toBeGreaterThan(10);
    const unknown = [...asked].filter((n) => !published.has(n) && !existsSync(join(REPO, "dashboards/data", `${n}.json.js`)));
    expect(unknown).toEqual([]);
    // every analysis of the catalogue is shown somewhere (directly or through a combining loader)
    const shown = new Set([...asked].filter((n) => published.has(n)));
    expect(ANALYSES.map((m) => m.id).filter((id) => !shown.has(id))).toEqual([]);
  });

  it("build-site weigert een map zonder publicatieset", () => {
    const dir = tempDir("bm-out-");
    try {
      const r = spawnSync(process.execPath, [join(REPO, "scripts/build-site.mjs"), "--from", dir], { encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("geen publicatieset gevonden");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
