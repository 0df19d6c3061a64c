import { describe, expect, it } from "vitest";
import { aalenJohansen, atTimes, kaplanMeier, logRank, type TimeCount } from "../../analyses/survival/index.ts";
import { pchisqUpper, qnorm } from "../../analyses/survival/distributions.ts";

describe("distributions (values from R 4.2.2)", () => {
  it("qnorm", () => {
    expect(qnorm(0.975)).toBeCloseTo(1.9599639845400536, 14);
    expect(qnorm(0.95)).toBeCloseTo(1.6448536269514715, 14);
    expect(qnorm(0.025)).toBeCloseTo(-1.9599639845400536, 14);
  });
  it("pchisq upper tail, odd and even df, tiny p", () => {
    const cases: [number, number, number][] = [
      [3.84, 1, 5.0043521248705224e-2],
      [10, 2, 6.737946999085467e-3],
      [7.3, 3, 6.2926236459043175e-2],
      [100, 1, 1.5239706048321054e-23],
      [200, 5, 2.8406228986415315e-41],
      [25, 7, 7.5880025565825012e-4],
    ];
    for (const [x, df, p] of cases) expect(Math.abs(pchisqUpper(x, df) - p) / p).toBeLessThan(1e-12);
  });
});

describe("atTimes", () => {
  const km = kaplanMeier([
    { time: 1, nEvent: 1, nCensor: 0 },
    { time: 2, nEvent: 1, nCensor: 1 },
    { time: 3, nEvent: 1, nCensor: 0 },
    { time: 4, nEvent: 1, nCensor: 1 },
    { time: 6, nEvent: 0, nCensor: 1 },
  ]);
  it("reads the step function like summary(fit, times, extend = TRUE)", () => {
    const a = atTimes(km, [7, 0.5, 5, 3]);
    expect(a.time).toEqual([0.5, 3, 5, 7]);
    expect(a.nRisk).toEqual([7, 4, 1, 0]); // at the first time >= t; 0 after the last
    expect(a.nEvent).toEqual([0, 3, 1, 0]);
    expect(a.nCensor).toEqual([0, 1, 1, 1]);
    expect(a.surv[0]).toBe(1);
    expect(a.surv[2]).toBe(km.surv[3]);
  });
  it("extend: false drops times after the last observed time, as R's default", () => {
    expect(atTimes(km, [0, 6, 7], { extend: false }).time).toEqual([0, 6]);
  });
});

describe("scaling: linear in the number of distinct times", () => {
  const big = (m: number): TimeCount[] => Array.from({ length: m }, (_, i) => ({ time: m - i, nEvent: (i * 7) % 3, nCensor: 1 + (i % 2) }));
  it("kaplanMeier, logRank, aalenJohansen, atTimes on 200k distinct times", () => {
    const rows = big(200_000);
    const t0 = performance.now();
    const km = kaplanMeier(rows);
    atTimes(
      km,
      Array.from({ length: 1000 }, (_, i) => i * 200),
    );
    logRank(
      new Map([
        ["a", rows],
        ["b", big(150_000)],
        ["c", big(100_000)],
      ]),
    );
    aalenJohansen(rows.map((r) => ({ time: r.time, nEvents: [r.nEvent, r.nCensor % 2], nCensor: 1 })));
    const ms = performance.now() - t0;
    expect(km.time.length).toBe(200_000);
    // a quadratic loop would take minutes; 30 s leaves room for a busy CI machine
    expect(ms).toBeLessThan(30_000);
  });
});
