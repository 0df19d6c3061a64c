import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXTRACTS, EXTRACT_NAMES } from "../../pipeline/contract.ts";
import { loadUwvMapping } from "../../data/generator/dialect.ts";
import { generateSmall, readTable, type Generated } from "./helpers.ts";

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const sub of ["extracts", "truth"]) for (const f of readdirSync(join(dir, sub)).sort()) out[`${sub}/${f}`] = sha(join(dir, sub, f));
  out["generator.json"] = sha(join(dir, "generator.json"));
  return out;
}

describe("generator determinism", () => {
  const runs: Generated[] = [];
  afterAll(() => runs.forEach((r) => r.cleanup()));

  for (const dialect of ["canonical", "uwv"] as const) {
    it(`same scale + seed + dialect gives byte-identical files (${dialect})`, () => {
      const a = generateSmall(0.005, 7, dialect);
      const b = generateSmall(0.005, 7, dialect);
      runs.push(a, b);
      const ha = hashes(a.dir);
      // 4 extracts + the synthetic marker (extracts/synthetisch.json); 6 truth files + the
      // counterfactual times and the truth estimands; generator.json
      expect(Object.keys(ha)).toHaveLength(4 + 1 + 8 + 1);
      expect(Object.keys(ha)).toContain("extracts/synthetisch.json");
      expect(hashes(b.dir)).toEqual(ha);
    });
  }

  it("another seed gives another world", () => {
    const a = generateSmall(0.005, 7, "canonical");
    const b = generateSmall(0.005, 8, "canonical");
    runs.push(a, b);
    expect(sha(join(a.dir, "extracts", "polis.csv"))).not.toEqual(sha(join(b.dir, "extracts", "polis.csv")));
  });

  it("both dialects carry identical content (uwv mapped back equals canonical)", () => {
    const c = generateSmall(0.005, 11, "canonical");
    const u = generateSmall(0.005, 11, "uwv");
    runs.push(c, u);
    const mapping = loadUwvMapping();
    for (const name of EXTRACT_NAMES) {
      const m = mapping.extracts[name];
      const canon = readTable(join(c.dir, "extracts", `${name}.csv`));
      const uwv = readTable(join(u.dir, "extracts", m.bestand), m.scheidingsteken, "windows-1252");
      expect(uwv.rows.length).toBe(canon.rows.length);
      const specs = EXTRACTS[name];
      const back = uwv.rows.map((row) =>
        specs.map((spec) => {
          const v = row[uwv.col(m.kolommen[spec.name]!)]!;
          const codes = m.codes?.[spec.name];
          if (codes) return v === "" && !(v in codes) ? "" : codes[v];
          if (spec.type === "date") return v === "" ? "" : `${v.slice(6, 10)}-${v.slice(3, 5)}-${v.slice(0, 2)}`;
          if (spec.type === "decimal") return v.replace(",", ".");
          return v;
        }),
      );
      expect(back).toEqual(canon.rows);
      // truth is dialect independent
      for (const t of ["banen", "personen", "diensten"]) {
        expect(sha(join(u.dir, "truth", `${t}.csv`))).toEqual(sha(join(c.dir, "truth", `${t}.csv`)));
      }
    }
  });
});
