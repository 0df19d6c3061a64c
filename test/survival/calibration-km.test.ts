import { describe, expect, it } from "vitest";
import { cumulativeAt } from "../../calibration/kaplan-meier.ts";
import { atTimes, kaplanMeier } from "../../analyses/survival/index.ts";
import { compareNumbers, loadFixtures, rowsToCounts } from "./golden.ts";

interface KmFixture {
  name: string;
  data: { group: string[]; time: number[]; status: number[] };
  times: number[];
  km: { groups: Record<string, { at: { time: number[]; surv: number[] } }> }[];
}

/**
 * The calibration's own Kaplan–Meier (data/calibration/kaplan-meier.ts) is an independent
 * implementation on purpose; here it must give R's point estimate, and the engine's, on every
 * golden fixture.
 */
describe("calibration Kaplan–Meier (independent check) vs R and the engine", () => {
  const fixtures = loadFixtures<KmFixture>("km-");
  it("has fixtures", () => expect(fixtures.length).toBeGreaterThanOrEqual(10));
  for (const { file, fx } of fixtures) {
    it(file, () => {
      const counts = rowsToCounts(fx.data);
      const problems: string[] = [];
      for (const [g, r] of Object.entries(fx.km[0]!.groups)) {
        const obs = fx.data.group.flatMap((x, i) => (x === g ? [{ time: fx.data.time[i]!, event: fx.data.status[i] === 1 }] : []));
        const points = [...fx.times].sort((a, b) => a - b);
        const ours = cumulativeAt(obs, points);
        expect(r.at.time).toEqual(points);
        problems.push(
          ...compareNumbers(
            `${fx.name} ${g}`,
            "calibration.cumInc vs R",
            ours,
            r.at.surv.map((s) => 1 - s),
          ),
          ...compareNumbers(`${fx.name} ${g}`, "calibration.cumInc vs engine", ours, atTimes(kaplanMeier(counts.get(g)!), points).cumInc),
        );
      }
      expect(problems.slice(0, 20)).toEqual([]);
    });
  }
});
