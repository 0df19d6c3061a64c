import { afterAll, describe, expect, it } from "vitest";
import { atTimes, incidenceCurve, kaplanMeier, type ConfType } from "../../analyses/survival/index.ts";
import { agreementReport, compareNumbers, loadFixtures, nullable, rowsToCounts } from "./golden.ts";

interface RKm {
  n: number;
  time: number[];
  n_risk: number[];
  n_event: number[];
  n_censor: number[];
  surv: number[];
  std_err: number[];
  lower: number[];
  upper: number[];
  median: { estimate: number; lower: number; upper: number };
  quantile50: { estimate: number; lower: number; upper: number };
  at: {
    time: number[];
    n_risk: number[];
    n_event: number[];
    n_censor: number[];
    surv: number[];
    std_err: number[];
    lower: number[];
    upper: number[];
  };
}
interface KmFixture {
  name: string;
  data: { group: string[]; time: number[]; status: number[] };
  times: number[];
  km: { conf_type: ConfType; conf_level: number; groups: Record<string, RKm> }[];
}

const fixtures = loadFixtures<KmFixture>("km-");

describe("kaplanMeier vs R survfit (golden)", () => {
  it("has fixtures", () => expect(fixtures.length).toBeGreaterThanOrEqual(10));
  for (const { file, fx } of fixtures) {
    it(file, () => {
      const counts = rowsToCounts(fx.data);
      const problems: string[] = [];
      for (const variant of fx.km) {
        for (const [g, r] of Object.entries(variant.groups)) {
          const where = `${fx.name} ${variant.conf_type} ${variant.conf_level} ${g}`;
          const t = kaplanMeier(counts.get(g)!, { confType: variant.conf_type, confLevel: variant.conf_level });
          expect(t.n, where).toBe(r.n);
          problems.push(
            ...compareNumbers(where, "km.time", t.time, r.time),
            ...compareNumbers(where, "km.n.risk", t.nRisk, r.n_risk),
            ...compareNumbers(where, "km.n.event", t.nEvent, r.n_event),
            ...compareNumbers(where, "km.n.censor", t.nCensor, r.n_censor),
            ...compareNumbers(where, "km.surv", t.surv, r.surv),
            ...compareNumbers(
              where,
              "km.cumInc",
              t.cumInc,
              r.surv.map((s) => 1 - s),
            ),
            ...compareNumbers(where, "km.std.err(log)", t.stdErrLog, r.std_err),
            ...compareNumbers(
              where,
              "km.std.err(surv)",
              t.stdErr,
              r.surv.map((s, i) => s * r.std_err[i]!),
            ),
            ...compareNumbers(where, `km.lower.${variant.conf_type}`, t.lower, r.lower),
            ...compareNumbers(where, `km.upper.${variant.conf_type}`, t.upper, r.upper),
          );
          const med = [nullable(t.median.estimate), nullable(t.median.lower), nullable(t.median.upper)];
          problems.push(
            ...compareNumbers(where, `median(print).${variant.conf_type}`, med, [r.median.estimate, r.median.lower, r.median.upper]),
            ...compareNumbers(where, `median(quantile).${variant.conf_type}`, med, [
              r.quantile50.estimate,
              r.quantile50.lower,
              r.quantile50.upper,
            ]),
          );
          const a = atTimes(t, fx.times);
          problems.push(
            ...compareNumbers(where, "at.time", a.time, r.at.time),
            ...compareNumbers(where, "at.n.risk", a.nRisk, r.at.n_risk),
            ...compareNumbers(where, "at.n.event", a.nEvent, r.at.n_event),
            ...compareNumbers(where, "at.n.censor", a.nCensor, r.at.n_censor),
            ...compareNumbers(where, "at.surv", a.surv, r.at.surv),
            ...compareNumbers(where, "at.std.err", a.stdErr, r.at.std_err),
            ...compareNumbers(where, `at.lower.${variant.conf_type}`, a.lower, r.at.lower),
            ...compareNumbers(where, `at.upper.${variant.conf_type}`, a.upper, r.at.upper),
          );
          // the same read-out of the curve as a cumulative incidence (what the survival tables store)
          const c = atTimes(incidenceCurve(t), fx.times);
          problems.push(
            ...compareNumbers(where, "inc.at.time", c.time, r.at.time),
            ...compareNumbers(where, "inc.at.n.risk", c.nRisk, r.at.n_risk),
            ...compareNumbers(where, "inc.at.n.event", c.nEvent, r.at.n_event),
            ...compareNumbers(where, "inc.at.n.censor", c.nCensor, r.at.n_censor),
            ...compareNumbers(
              where,
              "inc.at.cumInc",
              c.cumInc,
              r.at.surv.map((s) => 1 - s),
            ),
            ...compareNumbers(where, "inc.at.std.err", c.stdErr, r.at.std_err),
            ...compareNumbers(
              where,
              `inc.at.lower.${variant.conf_type}`,
              c.lower,
              r.at.upper.map((u) => 1 - u),
            ),
            ...compareNumbers(
              where,
              `inc.at.upper.${variant.conf_type}`,
              c.upper,
              r.at.lower.map((l) => 1 - l),
            ),
          );
        }
      }
      expect(problems.slice(0, 20)).toEqual([]);
    });
  }
  afterAll(() => {
    if (process.env.SURVIVAL_AGREEMENT) console.log(`agreement with R (Kaplan–Meier)\n${agreementReport()}`);
  });
});

describe("kaplanMeier input handling", () => {
  it("normalises unsorted and duplicated counts", () => {
    const a = kaplanMeier([
      { time: 5, nEvent: 1, nCensor: 0 },
      { time: 2, nEvent: 1, nCensor: 1 },
      { time: 5, nEvent: 0, nCensor: 2 },
      { time: 3, nEvent: 0, nCensor: 0 },
    ]);
    expect(a.time).toEqual([2, 5]);
    expect(a.nRisk).toEqual([5, 3]);
    expect(a.nCensor).toEqual([1, 2]);
  });
  it("rejects negative or non-finite counts", () => {
    expect(() => kaplanMeier([{ time: 1, nEvent: -1, nCensor: 0 }])).toThrow(/nEvent/);
    expect(() => kaplanMeier([{ time: NaN, nEvent: 1, nCensor: 0 }])).toThrow(/tijd/);
  });
  it("empty input gives an empty table", () => {
    const t = kaplanMeier([]);
    expect(t.time).toEqual([]);
    expect(t.median).toEqual({ estimate: null, lower: null, upper: null });
  });
});
