import { describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.ts";
import { parseGenerateOptions } from "../../cli/commands/generate.ts";
import { compareAll, compareFigure } from "../../calibration/compare.ts";
import { POINT_NAMES, TABLE_3_1, addContrasts } from "../../calibration/contrasts.ts";
import { calibrateFromTruth } from "../../calibration/from-truth.ts";
import { PUBLISHED } from "../../calibration/published.ts";
import { loadTruth } from "../../calibration/truth-data.ts";
import { lastDayOfMonth, monthOfDay } from "../../data/generator/calendar.ts";
import { join } from "node:path";
import { generateSmall } from "./helpers.ts";

describe("generate options", () => {
  const ok = { scale: "0.1", seed: "1", out: "x", dialect: "canonical" };
  it("accepts valid options", () => {
    expect(parseGenerateOptions(ok)).toEqual({ scale: 0.1, seed: 1, out: "x", dialect: "canonical" });
    expect(parseGenerateOptions({ ...ok, dialect: "uwv" }).dialect).toBe("uwv");
  });
  it.each([
    [{ scale: "0" }, /--scale/],
    [{ scale: "abc" }, /--scale/],
    [{ seed: "-1" }, /--seed/],
    [{ seed: "1.5" }, /--seed/],
    [{ dialect: "excel" }, /--dialect/],
  ])("rejects %o with a UserError", (bad, message) => {
    expect(() => parseGenerateOptions({ ...ok, ...bad })).toThrow(UserError);
    expect(() => parseGenerateOptions({ ...ok, ...bad })).toThrow(message);
  });
});

describe("calibration", () => {
  it("compares percentages in points and counts relatively, with bounds", () => {
    const pct = PUBLISHED.find((f) => f.id === "jobcoach_extern")!;
    expect(compareFigure(pct, 22.9)).toMatchObject({ verschil: expect.closeTo(4.9, 6), binnen_marge: true });
    expect(compareFigure(pct, 23.5).binnen_marge).toBe(false);
    const count = PUBLISHED.find((f) => f.id === "baaneindes_totaal")!;
    expect(compareFigure(count, 124_000).binnen_marge).toBe(true);
    expect(compareFigure(count, 125_000).binnen_marge).toBe(false);
    const upper = PUBLISHED.find((f) => f.id === "dienst_na_einde_naar_werk")!;
    expect(compareFigure(upper, 49).binnen_marge).toBe(true);
    expect(compareFigure(upper, 51).binnen_marge).toBe(false);
    expect(compareFigure(count, null)).toMatchObject({ synthetisch: null, binnen_marge: null });
  });

  it("table 3.1 contrasts: differences with geen within 2 points, the order of the groups exactly", () => {
    const d = PUBLISHED.find((f) => f.id === "verschil_extern_geen_1w")!;
    expect(d.waarde).toBe(-4);
    expect(compareFigure(d, -5.9).binnen_marge).toBe(true);
    expect(compareFigure(d, -6.1).binnen_marge).toBe(false);
    const order = PUBLISHED.find((f) => f.id === "volgorde_tabel31")!;
    expect(compareFigure(order, 8).binnen_marge).toBe(true);
    expect(compareFigure(order, 7).binnen_marge).toBe(false);
    // the report's own table reproduces its contrasts and its order
    const report = new Map<string, number | null>();
    for (const [g, v] of Object.entries(TABLE_3_1)) POINT_NAMES.forEach((p, i) => report.set(`volgende_baan_${g}_${p}`, v[i]!));
    const rows = compareAll(report);
    expect(rows.filter((r) => r.figuur.startsWith("verschil_")).map((r) => r.verschil)).toEqual(new Array(16).fill(0));
    expect(rows.find((r) => r.figuur === "volgorde_tabel31")).toMatchObject({ synthetisch: 8, binnen_marge: true });
    // extern ahead of geen at 1 week (each within ±5 points of the report): the order fails there
    const swapped = addContrasts(new Map([...report, ["volgende_baan_geen_1w", 27], ["volgende_baan_extern_1w", 28]]));
    expect(swapped.get("volgorde_tabel31")).toBe(7);
    expect(swapped.get("verschil_extern_geen_1w")).toBe(1);
    expect(addContrasts(new Map([...report, ["volgende_baan_intern_3m", null]])).get("volgorde_tabel31")).toBeNull();
  });

  it("every published figure is computed from a generated truth, counts scaled to scale 1", () => {
    const g = generateSmall(0.02, 2, "canonical");
    try {
      const rows = calibrateFromTruth(join(g.dir, "truth"));
      expect(rows.map((r) => r.figuur)).toEqual(PUBLISHED.map((f) => f.id));
      for (const r of rows) expect(r.synthetisch, r.figuur).not.toBeNull();
      const endings = rows.find((r) => r.figuur === "baaneindes_totaal")!;
      expect(endings.synthetisch!).toBeGreaterThan(50_000);
      expect(endings.synthetisch!).toBeLessThan(200_000);
      // the truth side follows D1's end convention: registered end, else the last day of the end month
      let registered = 0,
        unregistered = 0;
      for (const p of loadTruth(join(g.dir, "truth")).values()) {
        for (const b of p.banen) {
          if (b.eindeWaar === null) expect(b.einde).toBeNull();
          else if (b.eindeGeregistreerd) {
            registered++;
            expect(b.einde).toBe(b.eindeWaar);
          } else {
            unregistered++;
            expect(b.einde).toBe(lastDayOfMonth(monthOfDay(b.eindeWaar)));
          }
        }
      }
      expect(registered).toBeGreaterThan(0);
      expect(unregistered).toBeGreaterThan(0);
    } finally {
      g.cleanup();
    }
  });
});
