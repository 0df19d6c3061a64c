import { describe, expect, it } from "vitest";
import { DEFAULTS, DISCLOSURE_FLOOR } from "../../pipeline/config.ts";
import {
  BRON_SYNTHETISCH,
  bannerHtml,
  bronTekst,
  drempelMeta,
  herkomst,
  herkomstMeta,
  meldingen,
  nietVoorPublicatie,
  PUBLICATIEGRENS,
  SYNTHETISCH_KOP,
} from "../../dashboards/components/runStatus.js";

describe("site banner for a set that is not a release", () => {
  const run = (extra: object = {}) => ({
    parameters: structuredClone(DEFAULTS),
    publicatie: { voor_publicatie: true },
    invoer: { synthetisch: false },
    ...extra,
  });

  it("the site's copy of the publication floor equals the pipeline's", () => {
    expect(PUBLICATIEGRENS).toEqual(DISCLOSURE_FLOOR);
  });

  it("no banner for a publishable run on real extracts (also for run.json without the publicatie flag)", () => {
    expect(bannerHtml(run())).toBe("");
    const old = run();
    delete (old as { publicatie?: unknown }).publicatie;
    expect(bannerHtml(old)).toBe("");
    expect(herkomst(run())).toBe("uwv");
    expect(bronTekst("uwv", "figuur 3.1")).toBe("UWV, figuur 3.1");
  });

  it("synthetic extracts: the banner says so, and every source line names the synthetic data", () => {
    const syn = run({ invoer: { synthetisch: true } });
    expect(meldingen(syn).map((m) => m.soort)).toEqual(["synthetisch"]);
    expect(bannerHtml(syn)).toContain(SYNTHETISCH_KOP);
    expect(bannerHtml(syn)).toContain('data-banner="synthetisch"');
    expect(herkomstMeta(syn)).toBe('<meta name="bm-herkomst" content="synthetisch">');
    expect(bronTekst("synthetisch", "figuur 3.1")).toBe(`${BRON_SYNTHETISCH}, figuur 3.1`);
    expect(BRON_SYNTHETISCH).toBe("synthetische gegevens (baanmonitor)");
    // one banner for both notices
    const beide = run({ invoer: { synthetisch: true }, publicatie: { voor_publicatie: false } });
    expect(bannerHtml(beide)).toContain('data-banner="synthetisch niet-voor-publicatie"');
    expect(bannerHtml(beide).match(/class="bm-banner"/g)).toHaveLength(1);
  });

  it("fail-safe: a run.json that does not say whether its input was synthetic gets a banner, and no UWV source", () => {
    const onbekend = run();
    delete (onbekend as { invoer?: unknown }).invoer;
    expect(nietVoorPublicatie(onbekend)).toEqual([expect.stringMatching(/niet vast of de invoer synthetisch is/)]);
    expect(herkomst(onbekend)).toBe("onbekend");
    expect(herkomst(null)).toBe("onbekend");
    expect(bronTekst("onbekend")).not.toMatch(/UWV/);
  });

  it("the threshold meta names the run's minAantal", () => {
    expect(drempelMeta(run())).toBe(`<meta name="bm-min-aantal" content="${DEFAULTS.disclosure.minAantal}">`);
    expect(drempelMeta(null)).toBe("");
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
