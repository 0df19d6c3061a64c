/**
 * Over a real small run: generator → pipeline (with analyses) → publish/, then `analyse` and
 * `calibrate --run` on the result.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ANALYSES } from "../../analyses/registry.ts";
import { analyse } from "../../cli/commands/analyse.ts";
import { calibrateFromRun } from "../../calibration/from-run.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { tempDir } from "../helpers/temp.ts";

/** The count columns of each published table, from the analyses' own declarations. */
const countColumns = (id: string, table: string): Set<string> => {
  const m = ANALYSES.find((x) => x.id === id);
  const cols = m?.publishes[table]?.columns ?? [];
  return new Set(cols.filter((c) => c.kind === "count").map((c) => c.name));
};

describe("analyses over a real small pipeline run", () => {
  let dir: string;
  let out: string;
  beforeAll(() => {
    dir = tempDir("baanmonitor-analyses-");
    const bin = join(process.cwd(), "bin", "baanmonitor.mjs");
    // the e2e tier's shared world (scale 0.01, seed 3; test/setup/shared-world.ts)
    out = join(dir, "out");
    execFileSync(process.execPath, [bin, "run", "--extracts", join(inject("world"), "extracts"), "--out", out], { stdio: "pipe" });
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const readPublish = () =>
    Object.fromEntries(
      readdirSync(join(out, "publish"))
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => [f, readFileSync(join(out, "publish", f))]),
    );

  it("writes one parquet and one published JSON per analysis, with the envelope of docs/publish.md", () => {
    for (const m of ANALYSES) {
      expect(existsSync(join(out, "analyses", `${m.id}.parquet`))).toBe(true);
      const j = JSON.parse(readFileSync(join(out, "publish", `${m.id}.json`), "utf8"));
      expect(Object.keys(j)).toEqual(["id", "titel", "rapport", "definitie", "parameters", "tabellen"]);
      expect(j.id).toBe(m.id);
      for (const [name, rows] of Object.entries(j.tabellen as Record<string, Record<string, unknown>[]>)) {
        expect(Array.isArray(rows), `${m.id}.${name}`).toBe(true);
        const keys = rows.length ? JSON.stringify(Object.keys(rows[0]!)) : "";
        for (const r of rows) {
          expect(JSON.stringify(Object.keys(r))).toBe(keys);
          expect(typeof r.onderdrukt).toBe("boolean");
        }
      }
    }
  });

  it("published counts are 0 or ≥ minAantal, curves only on the grid with enough at risk, no dates or id-like values", () => {
    const grid = new Set(DEFAULTS.disclosure.curveGrid);
    let checked = 0;
    for (const [file, buf] of Object.entries(readPublish())) {
      if (file === "run.json" || file === "kalibratie.json" || file === "controle.json") continue;
      const j = JSON.parse(buf.toString("utf8"));
      for (const [name, rows] of Object.entries(j.tabellen as Record<string, Record<string, unknown>[]>)) {
        const counts = countColumns(j.id, name);
        for (const r of rows) {
          for (const [c, v] of Object.entries(r)) {
            if (counts.has(c) && typeof v === "number") checked++;
            if (counts.has(c) && typeof v === "number")
              expect(v === 0 || v >= DEFAULTS.disclosure.minAantal, `${file} ${name} ${c}=${v}`).toBe(true);
            if (typeof v === "string") {
              expect(v).not.toMatch(/^\d{4}-\d{2}-\d{2}/);
              expect(v).not.toMatch(/^[PWOTDI]\d{5,}/); // generator id formats
            }
          }
          if (name === "curve" && r.n_risico !== null) {
            expect(grid.has(r.dag as number)).toBe(true);
            expect(r.n_risico as number).toBeGreaterThanOrEqual(DEFAULTS.disclosure.minAtRisk);
          }
        }
      }
    }
    // the declarations name the count columns; the check must have seen many of them
    expect(checked).toBeGreaterThan(1000);
  });

  it("the weighted curves of vergelijking show exactly the days of the unweighted jobcoach curves (the survival rules on the unweighted counts)", () => {
    const v = JSON.parse(readFileSync(join(out, "publish", "vergelijking.json"), "utf8"));
    const d = JSON.parse(readFileSync(join(out, "publish", "duur_tot_volgende_baan.json"), "utf8"));
    type R = { groep: string; dag: number; kenmerk?: string; methode?: string; cum_incidentie: number | null };
    const daysOf = (rows: R[]) => {
      const m: Record<string, number[]> = {};
      for (const r of rows) if (r.cum_incidentie !== null) (m[r.groep] ??= []).push(r.dag);
      return m;
    };
    const weighted = daysOf(v.tabellen.curven as R[]);
    const plain = daysOf((d.tabellen.curve as R[]).filter((r) => r.kenmerk === "jobcoach" && (r.methode ?? "km") === "km"));
    expect(Object.keys(weighted).length).toBeGreaterThan(0);
    for (const [g, days] of Object.entries(weighted)) expect(days, g).toEqual(plain[g]);
  });

  it("vergelijking's differences and restricted means stand only on days both groups' curves are shown (else they give a hidden point back)", () => {
    const v = JSON.parse(readFileSync(join(out, "publish", "vergelijking.json"), "utf8"));
    const d = JSON.parse(readFileSync(join(out, "publish", "duur_tot_volgende_baan.json"), "utf8"));
    type L = { kenmerk: string; groep: string; methode: string; dag: number; cum_incidentie: number | null };
    const shown = new Set(
      (d.tabellen.leespunten as L[])
        .filter((r) => r.kenmerk === "jobcoach" && r.methode === "km" && r.cum_incidentie !== null)
        .map((r) => `${r.groep}@${r.dag}`),
    );
    type V = {
      methode: string;
      vergelijking?: string;
      groep?: string;
      dag?: number;
      horizon?: number;
      verschil?: number | null;
      dagen_zonder_werk?: number | null;
    };
    const rows: V[] = [...v.tabellen.verschillen, ...v.tabellen.beperkt_gemiddelde, ...v.tabellen.beperkt_gemiddelde_verschillen];
    let checked = 0;
    for (const r of rows) {
      if (r.methode === "gestandaardiseerd" || (r.verschil ?? r.dagen_zonder_werk ?? null) === null) continue;
      const groepen = r.vergelijking ? r.vergelijking.split(" - ") : [r.groep!];
      for (const g of groepen) expect(shown.has(`${g}@${r.dag ?? r.horizon}`), `${r.methode} ${g} ${r.dag ?? r.horizon}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("analyse reruns are byte-identical (published JSON and parquet) and write run.json from the manifest", async () => {
    const before = readPublish();
    const parquetBefore = readFileSync(join(out, "analyses", "duur_tot_volgende_baan.parquet"));
    await analyse({ out, quiet: true });
    const after = readPublish();
    for (const [f, buf] of Object.entries(before)) expect(after[f]?.equals(buf), f).toBe(true);
    expect(readFileSync(join(out, "analyses", "duur_tot_volgende_baan.parquet")).equals(parquetBefore)).toBe(true);
    const run = JSON.parse(readFileSync(join(out, "publish", "run.json"), "utf8"));
    expect(run.parameters.disclosure.minAantal).toBe(DEFAULTS.disclosure.minAantal);
    expect(JSON.stringify(run)).not.toContain(dir);
    // --only reruns just that analysis
    const t = await analyse({ out, only: "baanduur,maandmonitor", quiet: true });
    // the whole set is protected again: the control phase is timed with them
    expect(t.map((x) => x.id)).toEqual(["baanduur", "maandmonitor", "openbaarmakingscontrole"]);
    await expect(analyse({ out, only: "bestaat_niet", quiet: true })).rejects.toThrow(/onbekende analyse/);
  });

  it("calibrate --run compares every §6 figure and writes publish/kalibratie.json", async () => {
    const rows = await calibrateFromRun(out);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.synthetisch !== null).length).toBeGreaterThan(90);
    const k = JSON.parse(readFileSync(join(out, "publish", "kalibratie.json"), "utf8"));
    expect(k.tabellen.vergelijking.length).toBe(rows.length);
    expect(Object.keys(k.tabellen.vergelijking[0])).toEqual([
      "figuur",
      "bron",
      "gepubliceerd",
      "synthetisch",
      "eenheid",
      "verschil",
      "binnen_marge",
      "onderdrukt",
    ]);
    // counts are scaled to scale 1
    const totaal = rows.find((r) => r.figuur === "baaneindes_totaal")!;
    expect(totaal.synthetisch as number).toBeGreaterThan(10_000);
    // the two shares read from the database: published to 0.1 point (at full precision they gave their counts back)
    const uitDb = (k.tabellen.vergelijking as { figuur: string; synthetisch: number | null }[]).filter((r) =>
      r.figuur.startsWith("geen_baan_4j_duurzaam_geen"),
    );
    expect(uitDb.length).toBe(2);
    for (const r of uitDb) if (r.synthetisch !== null) expect(Math.round(r.synthetisch * 10) / 10).toBe(r.synthetisch);
  });
});
