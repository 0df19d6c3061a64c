import { afterAll, describe, expect, it } from "vitest";
import { logRank } from "../../analyses/survival/index.ts";
import { quadFormGinv } from "../../analyses/survival/logrank.ts";
import { agreementReport, compareNumbers, loadFixtures, rowsToCounts } from "./golden.ts";

interface LrFixture {
  name: string;
  data: { group: string[]; time: number[]; status: number[] };
  logrank?: {
    groups: string[];
    n: number[];
    observed: number[];
    expected: number[];
    variance: number[][];
    chisq: number;
    df: number;
    p: number;
  };
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
        ...compareNumbers(fx.name, "logrank.chisq", [t.chisq!], [r.chisq]),
        ...compareNumbers(fx.name, "logrank.p", [t.p!], [r.p]),
      ];
      expect(problems).toEqual([]);
    });
  }
  it("is symmetric in the group order", () => {
    const fx = fixtures.find((f) => f.fx.name === "veteran")!.fx;
    const byGroup = rowsToCounts(fx.data);
    const a = logRank(byGroup);
    const b = logRank(new Map([...byGroup.entries()].reverse()));
    expect(Math.abs(a.chisq! - b.chisq!)).toBeLessThan(1e-9 * a.chisq!);
  });
  afterAll(() => {
    if (process.env.SURVIVAL_AGREEMENT) console.log(`agreement with R (log-rank)\n${agreementReport()}`);
  });

  it("a singular variance matrix gives the test over its rank instead of an error (R's survdiff stops there)", () => {
    // every death time takes all at risk: V = 0, no test possible
    const all = logRank(
      new Map([
        ["a", [{ time: 5, nEvent: 1, nCensor: 0 }]],
        ["b", [{ time: 5, nEvent: 1, nCensor: 0 }]],
      ]),
    );
    expect(all).toMatchObject({ chisq: null, p: null, df: 0, reden: "variantie 0: geen toets mogelijk" });
    // three groups, two of which only ever die together with everyone at risk in them: rank 1
    const r = logRank(
      new Map([
        [
          "a",
          [
            { time: 1, nEvent: 1, nCensor: 0 },
            { time: 3, nEvent: 1, nCensor: 0 },
          ],
        ],
        [
          "b",
          [
            { time: 2, nEvent: 0, nCensor: 1 },
            { time: 3, nEvent: 1, nCensor: 0 },
          ],
        ],
        ["c", [{ time: 3, nEvent: 1, nCensor: 0 }]],
      ]),
    );
    expect(r.df).toBeLessThanOrEqual(2);
    expect(Number.isFinite(r.chisq!)).toBe(true);
  });
});

describe("generalised inverse (R cholesky2)", () => {
  it("equals the ordinary inverse's quadratic form on a full-rank matrix and drops a dependent dimension", () => {
    const a = [
      [4, 1, 0],
      [1, 3, 1],
      [0, 1, 2],
    ];
    const b = [1, -2, 0.5];
    // a⁻¹ b by Cramer-free elimination, for the reference
    const inv = (m: number[][]) => {
      const n = m.length;
      const x = m.map((r, i) => [...r, ...m.map((_, j) => (i === j ? 1 : 0))]);
      for (let c = 0; c < n; c++) {
        const p = x[c]![c]!;
        for (let k = 0; k < 2 * n; k++) x[c]![k]! /= p;
        for (let r = 0; r < n; r++)
          if (r !== c) {
            const f = x[r]![c]!;
            for (let k = 0; k < 2 * n; k++) x[r]![k]! -= f * x[c]![k]!;
          }
      }
      return x.map((r) => r.slice(n));
    };
    const ai = inv(a);
    const ref = b.reduce((s, bi, i) => s + bi * ai[i]!.reduce((t, v, j) => t + v * b[j]!, 0), 0);
    const g = quadFormGinv(a, b);
    expect(g.rank).toBe(3);
    expect(Math.abs(g.value - ref)).toBeLessThan(1e-12);
    // duplicate the first dimension: rank 3 of 4, same form when b is consistent
    const a4 = [
      [4, 4, 1, 0],
      [4, 4, 1, 0],
      [1, 1, 3, 1],
      [0, 0, 1, 2],
    ];
    const g4 = quadFormGinv(a4, [1, 0, -2, 0.5]);
    expect(g4.rank).toBe(3);
    expect(Math.abs(g4.value - ref)).toBeLessThan(1e-12);
  });
});
