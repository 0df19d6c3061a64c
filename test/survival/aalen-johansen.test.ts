import { afterAll, describe, expect, it } from "vitest";
import { aalenJohansen, atTimes, incidenceCurve, kaplanMeier, type ConfType } from "../../analyses/survival/index.ts";
import { agreementReport, compareNumbers, loadFixtures, rowsToCompeting } from "./golden.ts";

type Cols = number[][]; // per cause
interface RAj {
  n: number;
  time: number[];
  n_risk: number[];
  n_event: Cols;
  n_censor: number[];
  surv: number[];
  cum_inc: Cols;
  std_err: Cols;
  lower: Cols;
  upper: Cols;
  at: {
    time: number[];
    n_risk: number[];
    n_event: Cols;
    n_censor: number[];
    surv: number[];
    cum_inc: Cols;
    std_err: Cols;
    lower: Cols;
    upper: Cols;
  };
}
interface AjFixture {
  name: string;
  n_causes: number;
  data: { group: string[]; time: number[]; status: number[] };
  times: number[];
  aj: { conf_type: ConfType; conf_level: number; groups: Record<string, RAj> }[];
}

const fixtures = loadFixtures<AjFixture>("aj-");

describe("aalenJohansen vs R survfit with a factor status (golden)", () => {
  it("has fixtures", () => expect(fixtures.length).toBeGreaterThanOrEqual(5));
  for (const { file, fx } of fixtures) {
    it(file, () => {
      const k = fx.n_causes;
      const counts = rowsToCompeting(fx.data, k);
      const problems: string[] = [];
      for (const variant of fx.aj) {
        for (const [g, r] of Object.entries(variant.groups)) {
          const where = `${fx.name} ${variant.conf_type} ${g}`;
          const t = aalenJohansen(counts.get(g)!, { confType: variant.conf_type, confLevel: variant.conf_level, nCauses: k });
          expect(t.n, where).toBe(r.n);
          problems.push(
            ...compareNumbers(where, "aj.time", t.time, r.time),
            ...compareNumbers(where, "aj.n.risk", t.nRisk, r.n_risk),
            ...compareNumbers(where, "aj.n.censor", t.nCensor, r.n_censor),
            ...compareNumbers(where, "aj.surv", t.surv, r.surv),
          );
          for (let c = 0; c < k; c++) {
            const w = `${where} cause ${c + 1}`;
            problems.push(
              ...compareNumbers(w, "aj.n.event", t.nEvent[c]!, r.n_event[c]!),
              ...compareNumbers(w, "aj.cumInc", t.cumInc[c]!, r.cum_inc[c]!),
              ...compareNumbers(w, "aj.std.err", t.stdErr[c]!, r.std_err[c]!),
              ...compareNumbers(w, `aj.lower.${variant.conf_type}`, t.lower[c]!, r.lower[c]!),
              ...compareNumbers(w, `aj.upper.${variant.conf_type}`, t.upper[c]!, r.upper[c]!),
            );
          }
          const a = atTimes(t, fx.times);
          problems.push(
            ...compareNumbers(where, "aj.at.time", a.time, r.at.time),
            ...compareNumbers(where, "aj.at.n.risk", a.nRisk, r.at.n_risk),
            ...compareNumbers(where, "aj.at.n.censor", a.nCensor, r.at.n_censor),
            ...compareNumbers(where, "aj.at.surv", a.surv, r.at.surv),
          );
          for (let c = 0; c < k; c++) {
            const w = `${where} cause ${c + 1}`;
            problems.push(
              ...compareNumbers(w, "aj.at.n.event", a.nEvent[c]!, r.at.n_event[c]!),
              ...compareNumbers(w, "aj.at.cumInc", a.cumInc[c]!, r.at.cum_inc[c]!),
              ...compareNumbers(w, "aj.at.std.err", a.stdErr[c]!, r.at.std_err[c]!),
              ...compareNumbers(w, `aj.at.lower.${variant.conf_type}`, a.lower[c]!, r.at.lower[c]!),
              ...compareNumbers(w, `aj.at.upper.${variant.conf_type}`, a.upper[c]!, r.at.upper[c]!),
            );
            const ci = atTimes(incidenceCurve(t, c), fx.times);
            problems.push(
              ...compareNumbers(w, "inc.at.time", ci.time, r.at.time),
              ...compareNumbers(w, "inc.at.n.risk", ci.nRisk, r.at.n_risk),
              ...compareNumbers(w, "inc.at.n.event", ci.nEvent, r.at.n_event[c]!),
              ...compareNumbers(w, "inc.at.n.censor", ci.nCensor, r.at.n_censor),
              ...compareNumbers(w, "inc.at.cumInc", ci.cumInc, r.at.cum_inc[c]!),
              ...compareNumbers(w, "inc.at.std.err", ci.stdErr, r.at.std_err[c]!),
              ...compareNumbers(w, `inc.at.lower.${variant.conf_type}`, ci.lower, r.at.lower[c]!),
              ...compareNumbers(w, `inc.at.upper.${variant.conf_type}`, ci.upper, r.at.upper[c]!),
            );
          }
        }
      }
      expect(problems.slice(0, 20)).toEqual([]);
    });
  }

  it("with one cause the estimate is 1 − Kaplan–Meier", () => {
    const counts = [
      { time: 3, nEvents: [2], nCensor: 1 },
      { time: 1, nEvents: [1], nCensor: 0 },
      { time: 7, nEvents: [1], nCensor: 2 },
      { time: 3, nEvents: [1], nCensor: 0 },
    ];
    const aj = aalenJohansen(counts);
    const km = kaplanMeier(counts.map((c) => ({ time: c.time, nEvent: c.nEvents[0]!, nCensor: c.nCensor })));
    aj.cumInc[0]!.forEach((f, i) => expect(f).toBeCloseTo(km.cumInc[i]!, 14));
  });
  afterAll(() => {
    if (process.env.SURVIVAL_AGREEMENT) console.log(`agreement with R (Aalen–Johansen)\n${agreementReport()}`);
  });
});
