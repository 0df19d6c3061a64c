import { afterAll, describe, expect, it } from "vitest";
import { logRank } from "../../analyses/survival/index.ts";
import { agreementReport, compareNumbers, loadFixtures, rowsToCounts } from "./golden.ts";

interface LrFixture {
  name: string;
  data: { group: string[]; time: number[]; status: number[] };
  logrank?: { groups: string[]; n: number[]; observed: number[]; expected: number[]; variance: number[][]; chisq: number; df: number; p: number };
}

const fixtures = loadFixtures<LrFixture>("km-").filter(({ fx }) => fx.logrank);

describe("logRank vs R survdiff (golden)", () => {
  it("has fixtures", () => expect(fixtures.length).toBeGreaterThanOrEqual(8));
  for (const { file, fx } of fixtures) {
    it(file, () => {
      const r = fx.logrank!;
      const byGroup = rowsToCounts(fx.data);
      const ordered = new Map(r.groups.map((g) => [g, byGroup.get(g)!]));
      const t = logRank(ordered);
      expect(t.groups).toEqual(r.groups);
      expect(t.df).toBe(r.df);
      const problems = [
        ...compareNumbers(fx.name, "logrank.n", t.n, r.n),
        ...compareNumbers(fx.name, "logrank.observed", t.observed, r.observed),
        ...compareNumbers(fx.name, "logrank.expected", t.expected, r.expected),
        ...compareNumbers(fx.name, "logrank.variance", t.variance.flat(), r.variance.flat()),
        ...compareNumbers(fx.name, "logrank.chisq", [t.chisq], [r.chisq]),
        ...compareNumbers(fx.name, "logrank.p", [t.p], [r.p]),
      ];
      expect(problems).toEqual([]);
    });
  }
  it("is symmetric in the group order", () => {
    const fx = fixtures.find((f) => f.fx.name === "veteran")!.fx;
    const byGroup = rowsToCounts(fx.data);
    const a = logRank(byGroup);
    const b = logRank(new Map([...byGroup.entries()].reverse()));
    expect(Math.abs(a.chisq - b.chisq)).toBeLessThan(1e-9 * a.chisq);
  });
  afterAll(() => {
    if (process.env.SURVIVAL_AGREEMENT) console.log(`agreement with R (log-rank)\n${agreementReport()}`);
  });
});
