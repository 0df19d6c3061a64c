// The title rules of the site (dashboards/components/bevindingen.js): a rise, fall or extreme is
// stated only when it is larger than its uncertainty; otherwise the title describes the level.
// And the reading order of groups (colors.js ordenGroepen).
import { describe, expect, it } from "vitest";
import {
  aandeelInterval,
  aandelenApart,
  betrouwbareRichting,
  duidelijkeTopmaand,
  groepenVan,
  intervallenApart,
  tellingenApart,
  uitersten,
  veranderingZin,
  vergelijkingZin,
} from "../../dashboards/components/bevindingen.js";
import { groepLabel, ordenGroepen } from "../../dashboards/components/colors.js";

const pct = (x: number | null | undefined) => (x == null ? "–" : `${Math.round(x * 100)}%`);

describe("titelregels", () => {
  it("intervallen: alleen een verschil als de 95%-intervallen elkaar niet overlappen", () => {
    expect(intervallenApart({ lower: 0.2, upper: 0.25 }, { lower: 0.26, upper: 0.3 })).toBe(true);
    expect(intervallenApart({ lower: 0.26, upper: 0.3 }, { lower: 0.2, upper: 0.25 })).toBe(true);
    expect(intervallenApart({ lower: 0.2, upper: 0.27 }, { lower: 0.26, upper: 0.3 })).toBe(false);
    // no interval published: never a difference
    expect(intervallenApart({ lower: null, upper: 0.2 }, { lower: 0.5, upper: 0.6 })).toBe(false);
    expect(intervallenApart(undefined, { lower: 0.5, upper: 0.6 })).toBe(false);
  });

  it("groepen naast elkaar: verborgen groepen vallen weg, en zonder getoonde groep staat er het teken van een verborgen cel", () => {
    const rij = (groep: string, cum_incidentie: number | null) => ({ kenmerk: "jobcoach", groep, methode: "km", dag: 91, cum_incidentie });
    const rows = [rij("extern", 0.5), rij("intern", null), rij("geen", 0.25)];
    expect(vergelijkingZin(rows, "jobcoach", 91)).toBe("externe jobcoach 50%, geen jobcoach 25%");
    expect(vergelijkingZin([rij("extern", null), rij("geen", null)], "jobcoach", 91)).toBe("–");
  });

  it("tellingen (Poisson): |a − b| > 1,96·√(a + b)", () => {
    // 106 → 102: 4 < 1.96·√208 ≈ 28.3
    expect(tellingenApart(106, 102)).toBe(false);
    expect(tellingenApart(1000, 1100)).toBe(true); // 100 > 1.96·√2100 ≈ 89.8
    expect(tellingenApart(1000, 1080)).toBe(false); // 80 < 89.0
    expect(tellingenApart(null, 10)).toBe(false);
    expect(tellingenApart(0, 0)).toBe(false);
  });

  it("aandelen met hun noemer (binomiaal)", () => {
    // 8% → 37% of 200 endings each: far beyond the uncertainty
    expect(aandelenApart(0.08, 200, 0.37, 200)).toBe(true);
    // 30% → 33% of 100 endings each: within it
    expect(aandelenApart(0.3, 100, 0.33, 100)).toBe(false);
    // the same 3 points over 10 000 endings each: beyond it
    expect(aandelenApart(0.3, 10000, 0.33, 10000)).toBe(true);
    expect(aandelenApart(0.3, null, 0.5, 100)).toBe(false);
    const i = aandeelInterval(0.3, 100)!;
    expect(i.lower).toBeCloseTo(0.2189, 3); // Wilson, as R prop.test without continuity correction
    expect(i.upper).toBeCloseTo(0.3958, 3);
  });

  it("een titel noemt stijging of daling alleen boven de onzekerheid, anders het niveau", () => {
    const fmt = (x: number | null | undefined) => `${x} dagen`;
    // "daalde van 106 naar 102 dagen": a 4-day move is not a fall
    expect(veranderingZin({ van: 106, naar: 102, apart: tellingenApart(106, 102), fmt, wanneerVan: "2017", wanneerNaar: "2018" })).toBe(
      "was 106 dagen (2017) en 102 dagen (2018): ongeveer gelijk",
    );
    expect(
      veranderingZin({
        van: 0.08,
        naar: 0.37,
        apart: aandelenApart(0.08, 500, 0.37, 500),
        fmt: pct,
        wanneerVan: "2015",
        wanneerNaar: "2019",
      }),
    ).toBe("steeg van 8% (2015) naar 37% (2019)");
    expect(betrouwbareRichting(0.4, 0.3, true)).toBe("daalde");
    expect(betrouwbareRichting(0.4, 0.3, false)).toBeNull();
  });

  it("uitersten: alleen genoemd als ze duidelijk uit elkaar liggen; ‘Onbekend’ nooit", () => {
    const ci = (groep: string, waarde: number, half: number) => ({ groep, waarde, lower: waarde - half, upper: waarde + half });
    // a flat series with wide intervals (35 regions without a real difference): no extreme
    const vlak = Array.from({ length: 35 }, (_, i) => ci(`AMR${i}`, 0.3 + (i % 7) * 0.01, 0.06));
    expect(uitersten(vlak, intervallenApart)).toBeNull();
    // a real spread
    const echt = [ci("laag", 0.2, 0.02), ci("midden", 0.3, 0.02), ci("hoog", 0.45, 0.02)];
    expect(uitersten(echt, intervallenApart)).toMatchObject({ laagste: { groep: "laag" }, hoogste: { groep: "hoog" } });
    // "onbekend" is the highest but is never named: the extremes come from the known groups
    const metOnbekend = [...echt, ci("onbekend", 0.9, 0.01)];
    expect(uitersten(metOnbekend, intervallenApart)!.hoogste.groep).toBe("hoog");
    expect(uitersten([ci("laag", 0.2, 0.02), ci("onbekend", 0.9, 0.01)], intervallenApart)).toBeNull();
  });

  it("drukste maand: alleen als die duidelijk boven de andere maanden ligt", () => {
    // "de meeste in maart" was the maximum of a flat series
    const vlak = [1610, 1598, 1642, 1605, 1590, 1622, 1601, 1615, 1608, 1599, 1611, 1620];
    expect(duidelijkeTopmaand(vlak)).toBeNull();
    // December clearly above the rest (the season of fixed-term contracts)
    const december = [1610, 1598, 1622, 1605, 1590, 1622, 1601, 1615, 1608, 1599, 1611, 1900];
    expect(duidelijkeTopmaand(december)).toBe(11);
  });
});

describe("volgorde en namen van groepen", () => {
  it("opleidingsniveau ordinaal (laag, midden, hoog), onbekend altijd achteraan", () => {
    expect(ordenGroepen("opleidingsniveau", ["hoog", "laag", "midden", "onbekend"])).toEqual(["laag", "midden", "hoog", "onbekend"]);
    expect(ordenGroepen("opleidingsniveau", ["onbekend", "hoog", "laag"])).toEqual(["laag", "hoog", "onbekend"]);
    expect(ordenGroepen("diagnosegroep", ["onbekend", "psychisch", "lichamelijk"])).toEqual(["psychisch", "lichamelijk", "onbekend"]);
    expect(ordenGroepen("jobcoach", ["geen", "extern", "intern"])).toEqual(["extern", "intern", "geen"]);
    expect(ordenGroepen("jaar", [2017, 2015, 2016])).toEqual(["2015", "2016", "2017"]);
  });

  it("groepenVan gebruikt die volgorde op gepubliceerde rijen", () => {
    const rows = ["hoog", "laag", "midden", "onbekend"].map((groep) => ({ kenmerk: "opleidingsniveau", groep }));
    expect(groepenVan(rows, "opleidingsniveau")).toEqual(["laag", "midden", "hoog", "onbekend"]);
  });

  it("regelingen krijgen Nederlandse namen in plaats van codes", () => {
    expect(["oWajong", "Wajong2010", "Wajong2015"].map((g) => groepLabel("regeling", g))).toEqual([
      "Oude Wajong (vóór 2010)",
      "Wajong 2010",
      "Wajong 2015",
    ]);
    expect(ordenGroepen("regeling", ["Wajong2015", "oWajong", "Wajong2010"])).toEqual(["oWajong", "Wajong2010", "Wajong2015"]);
  });
});
