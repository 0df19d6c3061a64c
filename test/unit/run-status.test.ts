import { describe, expect, it } from "vitest";
import { DEFAULTS, DISCLOSURE_FLOOR } from "../../pipeline/config.ts";
import { bannerHtml, nietVoorPublicatie, PUBLICATIEGRENS } from "../../dashboards/components/runStatus.js";

describe("site banner for a set that is not a release", () => {
  const run = (extra: object = {}) => ({ parameters: structuredClone(DEFAULTS), publicatie: { voor_publicatie: true }, ...extra });

  it("the site's copy of the publication floor equals the pipeline's", () => {
    expect(PUBLICATIEGRENS).toEqual(DISCLOSURE_FLOOR);
  });

  it("no banner for a publishable run (also for run.json of earlier versions without the flag)", () => {
    expect(bannerHtml(run())).toBe("");
    const old = run();
    delete (old as { publicatie?: unknown }).publicatie;
    expect(bannerHtml(old)).toBe("");
  });

  it("a banner for --niet-voor-publicatie, lowered thresholds, or an unreadable run.json", () => {
    expect(nietVoorPublicatie(run({ publicatie: { voor_publicatie: false } }))).toEqual(["de run is gedraaid met --niet-voor-publicatie"]);
    const low = run();
    low.parameters.disclosure.minAantal = 0;
    expect(nietVoorPublicatie(low)[0]).toMatch(/onder de publicatiegrens \(minAantal\)/);
    const none = run();
    delete (none.parameters as { disclosure?: unknown }).disclosure;
    expect(nietVoorPublicatie(none)[0]).toMatch(/minAantal, minNoemer, minAtRisk/);
    expect(bannerHtml(null)).toContain("Niet voor publicatie");
    expect(bannerHtml(run({ publicatie: { voor_publicatie: false } }))).toContain('data-banner="niet-voor-publicatie"');
  });
});
