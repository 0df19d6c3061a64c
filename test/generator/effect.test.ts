/**
 * The planted jobcoach effect and its truth estimands (data/generator/estimands.ts,
 * counterfactual.ts, marginal-cox.ts; TRUTH.md "The jobcoach effect"). An e2e file: it generates
 * four worlds beside the tier's shared one (the grouped Cox fit's golden test is a unit test,
 * marginal-cox.test.ts).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { isD2Ending } from "../../calibration/truth-figures.ts";
import { loadTruth } from "../../calibration/truth-data.ts";
import { generate } from "../../data/generator/generate.ts";
import { coxGrouped } from "../../data/generator/marginal-cox.ts";
import { DEFAULT_PARAMETERS, type GeneratorParameters } from "../../data/generator/parameters.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { readTable, type Generated, type Table } from "./helpers.ts";
import { tempDir } from "../helpers/temp.ts";
import { WORLD } from "../setup/shared-world.ts";

interface Effects {
  populatie: { baaneindes: number; per_jobcoach: Record<string, number> };
  follow_up_dagen: number;
  hazard_ratio_parameter: { grenzen_dagen: number[]; extern: number[]; intern: number[] };
  marginale_cox_hazard_ratio: { extern: number; intern: number };
  marginale_cox_hazard_ratio_peildatum: { peildatum: string; extern: number; intern: number };
  cumulatief_aandeel: Record<string, { dag: number; aandeel: number }[]>;
  verschil_met_geen: Record<string, { dag: number; verschil: number }[]>;
  rmst: Record<string, { tot_dag: number; dagen: number }[]>;
  rmst_verschil_met_geen: Record<string, { tot_dag: number; verschil: number }[]>;
}

/** the generator options of the e2e tier's shared world */
const SHARED = { scale: Number(WORLD.scale), seed: Number(WORLD.seed), dialect: "canonical" } as const;

const readEffects = (dir: string) => JSON.parse(readFileSync(join(dir, "truth", "effecten.json"), "utf8")) as Effects;
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

function generateWith(parameters: GeneratorParameters, counterfactuals = true): Generated {
  const dir = tempDir("bm-gen-effect-");
  generate({ scale: 0.01, seed: 5, out: dir, dialect: "canonical", progress: false, parameters, counterfactuals });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe("truth estimands of the jobcoach effect", () => {
  const runs: Generated[] = [];
  afterAll(() => runs.forEach((r) => r.cleanup()));

  it("the estimand parameters follow the pipeline's D2 / D4 defaults", () => {
    const e = DEFAULT_PARAMETERS.estimands;
    expect(e.windowStart).toBe(DEFAULTS.d2.vensterStart);
    expect(e.windowEnd).toBe(DEFAULTS.d2.vensterEinde);
    expect(e.deathPensionMonths).toBe(DEFAULTS.d2.overlijdenPensioenMaanden);
    expect(e.readingPoints).toEqual(DEFAULTS.d4.leespunten);
    expect(e.horizonDays).toBeGreaterThanOrEqual(1461);
    expect(e.peildatum).toBe(DEFAULTS.d4.peildatum);
  });

  it("are written for exactly the D2 endings and are consistent: differences of shares, monotone shares, RMST", () => {
    const g = { dir: inject("world") }; // the e2e tier's shared world, scale 0.01 seed 3 (test/setup/shared-world.ts), read only
    const fx = readEffects(g.dir);
    const cf = readTable(join(g.dir, "truth", "tegenfeitelijk.csv"));
    // the population: D2 on the true spells, as the truth-side calibration (and the pipeline) take it
    const d2 = new Set<string>();
    const realised: Record<string, number> = { geen: 0, extern: 0, intern: 0 };
    for (const p of loadTruth(join(g.dir, "truth")).values())
      for (const b of p.banen)
        if (isD2Ending(p, b)) {
          d2.add(`${p.id}-${b.nr}`);
          realised[b.jobcoach]!++;
        }
    expect(d2.size).toBeGreaterThan(500);
    expect(new Set(cf.rows.map((r) => `${r[cf.col("persoon_id")]}-${r[cf.col("baan_nr")]}`))).toEqual(d2);
    expect(fx.populatie.baaneindes).toBe(d2.size);
    expect(fx.populatie.per_jobcoach).toEqual(realised);
    // every reading point of D4, and 182 / 365
    const days = fx.cumulatief_aandeel.geen!.map((x) => x.dag);
    for (const d of [...DEFAULTS.d4.leespunten, 182, 365]) expect(days).toContain(d);
    for (const arm of ["geen", "extern", "intern"]) {
      const s = fx.cumulatief_aandeel[arm]!;
      for (let i = 1; i < s.length; i++) expect(s[i]!.aandeel).toBeGreaterThanOrEqual(s[i - 1]!.aandeel);
      expect(s[0]!.aandeel).toBeGreaterThan(0);
      expect(s[s.length - 1]!.aandeel).toBeLessThan(1);
      // the shares are those of the per-ending file
      const col = cf.col(`dagen_${arm}`);
      for (const { dag, aandeel } of s) {
        const n = cf.rows.filter((r) => r[col] !== "" && Number(r[col]) <= dag).length;
        expect(aandeel).toBeCloseTo(n / cf.rows.length, 12);
      }
      const rm = fx.rmst[arm]!;
      for (const { tot_dag, dagen } of rm) {
        const mean = cf.rows.reduce((a, r) => a + (r[col] === "" ? tot_dag : Math.min(Number(r[col]), tot_dag)), 0) / cf.rows.length;
        expect(dagen).toBeCloseTo(mean, 9);
      }
    }
    for (const arm of ["extern", "intern"]) {
      fx.verschil_met_geen[arm]!.forEach(({ dag, verschil }, i) => {
        expect(dag).toBe(days[i]);
        expect(verschil).toBeCloseTo(fx.cumulatief_aandeel[arm]![i]!.aandeel - fx.cumulatief_aandeel.geen![i]!.aandeel, 12);
      });
      fx.rmst_verschil_met_geen[arm]!.forEach(({ verschil }, i) =>
        expect(verschil).toBeCloseTo(fx.rmst[arm]![i]!.dagen - fx.rmst.geen![i]!.dagen, 9),
      );
    }
    expect(fx.hazard_ratio_parameter.extern).toEqual(DEFAULT_PARAMETERS.effect.hazardRatio.extern);
    expect(fx.hazard_ratio_parameter.intern).toEqual(DEFAULT_PARAMETERS.effect.hazardRatio.intern);
    expect(fx.marginale_cox_hazard_ratio.extern).toBeGreaterThan(0);
    // the ratio under the data's follow-up: each counterfactual time censored at the peildatum too
    const horizon = fx.follow_up_dagen;
    const peil = Date.parse(fx.marginale_cox_hazard_ratio_peildatum.peildatum);
    const grouped = ["geen", "extern", "intern"].map((arm) => {
      const events = new Float64Array(horizon + 1);
      const censored = new Float64Array(horizon + 1);
      for (const r of cf.rows) {
        const c = Math.min(horizon, Math.max(0, Math.round((peil - Date.parse(r[cf.col("einddatum_d1")]!)) / 86_400_000)));
        const t = r[cf.col(`dagen_${arm}`)] === "" ? null : Number(r[cf.col(`dagen_${arm}`)]);
        if (t !== null && t <= c) events[t]!++;
        else censored[c]!++;
      }
      return { events, censored };
    });
    const [ext, int] = coxGrouped(
      grouped.map((g) => g.events),
      grouped.map((g) => g.censored),
    ).map(Math.exp);
    expect(fx.marginale_cox_hazard_ratio_peildatum.extern).toBeCloseTo(ext!, 12);
    expect(fx.marginale_cox_hazard_ratio_peildatum.intern).toBeCloseTo(int!, 12);
    // the planted ratio grows after half a year (1.1 -> 1.75), and the peildatum cuts the later
    // follow-up: the early, smaller ratio weighs more
    expect(fx.marginale_cox_hazard_ratio_peildatum.extern).toBeLessThan(fx.marginale_cox_hazard_ratio.extern);
  });

  it("with every hazard ratio 1 the three arms are identical (common random numbers), the Cox ratios 1", () => {
    const hr = DEFAULT_PARAMETERS.effect.hazardRatio;
    const p: GeneratorParameters = {
      ...DEFAULT_PARAMETERS,
      effect: { ...DEFAULT_PARAMETERS.effect, hazardRatio: { extern: hr.extern.map(() => 1), intern: hr.intern.map(() => 1) } },
    };
    const g = generateWith(p);
    runs.push(g);
    const fx = readEffects(g.dir);
    expect(fx.populatie.baaneindes).toBeGreaterThan(200);
    expect(fx.cumulatief_aandeel.extern).toEqual(fx.cumulatief_aandeel.geen);
    expect(fx.cumulatief_aandeel.intern).toEqual(fx.cumulatief_aandeel.geen);
    for (const d of [...fx.verschil_met_geen.extern!, ...fx.verschil_met_geen.intern!]) expect(d.verschil).toBe(0);
    expect(fx.marginale_cox_hazard_ratio.extern).toBeCloseTo(1, 9);
    expect(fx.marginale_cox_hazard_ratio.intern).toBeCloseTo(1, 9);
    expect(fx.marginale_cox_hazard_ratio_peildatum.extern).toBeCloseTo(1, 9);
    expect(fx.marginale_cox_hazard_ratio_peildatum.intern).toBeCloseTo(1, 9);
    const cf = readTable(join(g.dir, "truth", "tegenfeitelijk.csv"));
    for (const r of cf.rows) {
      expect(r[cf.col("dagen_extern")]).toBe(r[cf.col("dagen_geen")]);
      expect(r[cf.col("dagen_intern")]).toBe(r[cf.col("dagen_geen")]);
    }
  });

  it("the default effect separates the arms; a hazard ratio below 1 throughout lowers the shares", () => {
    const p: GeneratorParameters = {
      ...DEFAULT_PARAMETERS,
      effect: { breaksDays: [], hazardRatio: { extern: [0.5], intern: [1] } },
    };
    const g = generateWith(p);
    runs.push(g);
    const fx = readEffects(g.dir);
    fx.verschil_met_geen.extern!.forEach(({ verschil }) => expect(verschil).toBeLessThan(0));
    fx.verschil_met_geen.intern!.forEach(({ verschil }) => expect(verschil).toBe(0));
    expect(fx.marginale_cox_hazard_ratio.extern).toBeLessThan(0.9);
    expect(fx.rmst_verschil_met_geen.extern![0]!.verschil).toBeGreaterThan(0);
  });

  it("counterfactual draws do not change the realised world: the same files with or without them", () => {
    // the e2e tier's shared world (scale 0.01, seed 3, default parameters, read only) against the same world without the draws
    const a = { dir: inject("world") };
    const b = { dir: tempDir("bm-gen-nocf-") };
    generate({ ...SHARED, out: b.dir, dialect: "canonical", progress: false, counterfactuals: false });
    for (const sub of ["extracts", "truth"])
      for (const f of readdirSync(join(b.dir, sub))) expect(sha(join(a.dir, sub, f)), `${sub}/${f}`).toBe(sha(join(b.dir, sub, f)));
    expect(readdirSync(join(a.dir, "truth")).sort()).toEqual(
      [...readdirSync(join(b.dir, "truth")), "effecten.json", "tegenfeitelijk.csv"].sort(),
    );
  });

  it("expected outcomes (a diagnostic) change no other file, have one row per ending, and average the counterfactual outcomes", () => {
    // the e2e tier's shared world (scale 0.01, seed 3, read only) against the same world with expected outcomes
    const a = { dir: inject("world") };
    const x = { dir: tempDir("bm-gen-expected-") };
    generate({ ...SHARED, out: x.dir, dialect: "canonical", progress: false, expectedDraws: 20 });
    for (const sub of ["extracts", "truth"])
      for (const f of readdirSync(join(a.dir, sub))) expect(sha(join(x.dir, sub, f)), `${sub}/${f}`).toBe(sha(join(a.dir, sub, f)));
    expect(readdirSync(join(x.dir, "truth")).sort()).toEqual([...readdirSync(join(a.dir, "truth")), "tegenfeitelijk_verwacht.csv"].sort());
    const records = (t: Table) => t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i]!])) as Record<string, string>);
    const cf = records(readTable(join(a.dir, "truth", "tegenfeitelijk.csv")));
    const ex = records(readTable(join(x.dir, "truth", "tegenfeitelijk_verwacht.csv")));
    expect(ex.map((r) => [r.persoon_id, r.baan_nr, r.einddatum_d1, r.jobcoach])).toEqual(
      cf.map((r) => [r.persoon_id, r.baan_nr, r.einddatum_d1, r.jobcoach]),
    );
    for (const arm of ["geen", "extern", "intern"]) {
      const e182 = ex.map((r) => Number(r[`aandeel_182_${arm}`]));
      const e365 = ex.map((r) => Number(r[`aandeel_365_${arm}`]));
      const d365 = ex.map((r) => Number(r[`dagen_365_${arm}`]));
      e182.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(e365[i]!);
        expect(e365[i]!).toBeLessThanOrEqual(1);
        expect(d365[i]!).toBeGreaterThanOrEqual(0);
        expect(d365[i]!).toBeLessThanOrEqual(365);
      });
      // the mean expected share equals the mean of the single counterfactual outcomes up to their noise
      const single = cf.map((r) => (r[`dagen_${arm}`] !== "" && Number(r[`dagen_${arm}`]) <= 182 ? 1 : 0));
      const mean = (v: number[]) => v.reduce((s, y) => s + y, 0) / v.length;
      const se = Math.sqrt((mean(single) * (1 - mean(single))) / single.length);
      expect(Math.abs(mean(e182) - mean(single)), arm).toBeLessThan(4 * se);
    }
    // the expected outcome varies less than the single draws do: it is an average
    const variance = (v: number[]) => {
      const m = v.reduce((s, y) => s + y, 0) / v.length;
      return v.reduce((s, y) => s + (y - m) ** 2, 0) / v.length;
    };
    expect(variance(ex.map((r) => Number(r.aandeel_182_geen)))).toBeLessThan(
      0.5 * variance(cf.map((r) => (r.dagen_geen !== "" && Number(r.dagen_geen) <= 182 ? 1 : 0))),
    );
  });
});
