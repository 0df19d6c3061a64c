/** The grouped Cox fit of the truth estimands (data/generator/marginal-cox.ts) against R coxph. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { coxGrouped } from "../../data/generator/marginal-cox.ts";

describe("grouped Cox fit (Efron ties) against R coxph", () => {
  it("matches coxph on a fixture with a heavy tie at 0 and censoring at the horizon", () => {
    const g = JSON.parse(readFileSync(join(import.meta.dirname, "..", "fixtures", "generator", "cox-efron.json"), "utf8")) as {
      arm: number[];
      time: number[];
      status: number[];
      coef: number[];
    };
    const maxT = Math.max(...g.time);
    const events = [0, 1, 2].map(() => new Float64Array(maxT + 1));
    const censored = [0, 1, 2].map(() => new Float64Array(maxT + 1));
    g.arm.forEach((a, i) => (g.status[i] ? events : censored)[a]![g.time[i]!]!++);
    const beta = coxGrouped(events, censored);
    // R fitted to convergence (eps 1e-14): agreement to 1e-9 relative
    for (let k = 0; k < 2; k++) expect(Math.abs(beta[k]! / g.coef[k]! - 1)).toBeLessThan(1e-9);
  });
});
