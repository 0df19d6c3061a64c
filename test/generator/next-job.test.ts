/**
 * Rules of finding a next job that keep the jobcoach category of a job independent of the
 * person's history (data/generator/next-job.ts; TRUTH.md "Assignment and confounding").
 */
import { describe, expect, it } from "vitest";
import { drawFindSpell, hireProbability, proefplaatsingProbability } from "../../data/generator/next-job.ts";
import { DEFAULT_PARAMETERS as p, type GeneratorParameters } from "../../data/generator/parameters.ts";

/** probability that a find becomes a job (directly, or through a proefplaatsing that ends in a hire) */
const jobPerFind = (q: GeneratorParameters, coach: "extern" | "intern" | null, hasWorked: boolean, direct: boolean) =>
  1 - proefplaatsingProbability(q, coach, hasWorked, direct) * (1 - hireProbability(q, coach, hasWorked, direct));

describe("hireProbability", () => {
  it("a find yields a job as often at a first job as later, for every jobcoach decision and route", () => {
    for (const coach of ["extern", "intern", null] as const) {
      for (const direct of [false, true]) {
        expect(jobPerFind(p, coach, false, direct)).toBeCloseTo(jobPerFind(p, coach, true, direct), 12);
        expect(hireProbability(p, coach, true, direct)).toBe(p.proefplaatsing.hired);
      }
    }
    // the default first-job shares differ from the later ones, so the rule does change the hiring
    expect(hireProbability(p, "extern", false)).toBeGreaterThan(p.proefplaatsing.hired);
  });

  it("stays a probability when a first job has a smaller proefplaatsing share than later", () => {
    const q = structuredClone(p);
    q.proefplaatsing.shareFirstJob.geen = 0.01;
    q.proefplaatsing.share.geen = 0.5;
    expect(hireProbability(q, null, false)).toBe(0);
    q.proefplaatsing.shareFirstJob.geen = 0;
    expect(hireProbability(q, null, false)).toBe(q.proefplaatsing.hired);
  });
});

describe("drawFindSpell", () => {
  it("has median 1 and the log-sd of the spell share of the latent finding hazard", () => {
    expect(drawFindSpell(p, 0)).toBe(1);
    expect(Math.log(drawFindSpell(p, 1))).toBeCloseTo(p.work.findSigma * Math.sqrt(p.work.findSpellShare), 12);
  });
});
