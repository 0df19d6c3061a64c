// The pure layout helpers of the charts (dashboards/components/chartLayout.js): tick choice by
// width, label de-collision, wrapping, the y-axis top of a share.
import { describe, expect, it } from "vitest";
import {
  bovengrensAandeel,
  categorieLabels,
  dunTicks,
  fontPx,
  ombreek,
  regelmatigeTicks,
  spreidLabels,
  spreidLabelsXY,
  tekstBreedte,
  tweeOfMeerTicks,
} from "../../dashboards/components/chartLayout.js";
import { TIJD_TICKS } from "../../dashboards/components/survivalChart.js";

describe("dunTicks: the most important ticks that fit", () => {
  // a square-root time axis of `w` px, as in survivalChart.js
  const asVan = (w: number) => (d: number) => Math.sqrt(d / 1461) * w;
  const breedte = () => 30;

  it("keeps every tick on a wide axis, in increasing order", () => {
    expect(dunTicks(TIJD_TICKS, asVan(900), breedte, 8)).toEqual([0, 7, 30, 91, 182, 365, 730, 1095, 1461]);
  });

  it("drops the crowded ones on a phone, keeping 0, 3 mnd, 1 jr and the end", () => {
    const kept = dunTicks(TIJD_TICKS, asVan(260), breedte, 8);
    expect(kept).toEqual(expect.arrayContaining([0, 91, 365, 1461]));
    expect(kept).not.toContain(7);
    const pos = kept.map(asVan(260));
    for (let i = 1; i < pos.length; i++) expect(pos[i]! - pos[i - 1]!).toBeGreaterThanOrEqual(30 + 8);
  });
});

describe("regelmatigeTicks: every k-th tick for the smallest k that fits", () => {
  const jaren = Array.from({ length: 10 }, (_, i) => 2015 + i);
  it("keeps all when there is room", () => {
    expect(
      regelmatigeTicks(
        jaren,
        (j) => (j - 2015) * 90,
        () => 30,
      ),
    ).toEqual(jaren);
  });
  it("keeps every other year when two labels would touch", () => {
    expect(
      regelmatigeTicks(
        jaren,
        (j) => (j - 2015) * 30,
        () => 30,
      ),
    ).toEqual([2015, 2017, 2019, 2021, 2023]);
  });
  it("every third when every other still touches", () => {
    expect(
      regelmatigeTicks(
        jaren,
        (j) => (j - 2015) * 15,
        () => 30,
      ),
    ).toEqual([2015, 2018, 2021, 2024]);
  });
});

describe("spreidLabels: direct labels nudged apart", () => {
  it("leaves labels that do not touch where they are", () => {
    expect(
      spreidLabels(
        [
          { y: 10, h: 14 },
          { y: 50, h: 14 },
        ],
        { gap: 2 },
      ),
    ).toEqual([10, 50]);
  });
  it("moves two labels at the same spot apart, keeping their order and centre", () => {
    const [a, b] = spreidLabels(
      [
        { y: 100, h: 14 },
        { y: 101, h: 14 },
      ],
      { gap: 2 },
    ) as [number, number];
    expect(b - a).toBeGreaterThanOrEqual(16);
    expect(a).toBeLessThan(b);
    expect(a).toBeGreaterThanOrEqual(100 - 16);
  });
  it("keeps the input order of the result and stays within the bounds", () => {
    const labels = [
      { y: 5, h: 28 },
      { y: 4, h: 14 },
      { y: 6, h: 14 },
    ];
    const y = spreidLabels(labels, { lo: 0, hi: 200, gap: 2 });
    const boxes = labels.map((l, i) => [y[i]! - l.h / 2, y[i]! + l.h / 2] as const);
    for (const [top, bottom] of boxes) {
      expect(top).toBeGreaterThanOrEqual(0);
      expect(bottom).toBeLessThanOrEqual(200);
    }
    // no two overlap
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        expect(Math.min(a[1], b[1]) - Math.max(a[0], b[0])).toBeLessThanOrEqual(-2 + 1e-9);
      }
    // the label wanted highest stays on top
    expect(y[1]).toBeLessThan(y[0]!);
  });
  it("pushes a label up from the bottom bound", () => {
    const y = spreidLabels(
      [
        { y: 195, h: 14 },
        { y: 199, h: 14 },
      ],
      { lo: 0, hi: 200, gap: 2 },
    );
    expect(y[1]).toBe(193);
    expect(y[0]).toBe(177);
  });
});

describe("spreidLabelsXY: only labels that share horizontal room are nudged", () => {
  it("leaves a label at another x where it is, spreads the two at the same end", () => {
    const y = spreidLabelsXY(
      [
        { x: 100, w: 30, y: 50, h: 14 }, // a curve that ends early
        { x: 300, w: 30, y: 50, h: 14 },
        { x: 300, w: 30, y: 52, h: 14 },
      ],
      { gap: 2 },
    );
    expect(y[0]).toBe(50);
    expect(y[2]! - y[1]!).toBeGreaterThanOrEqual(16);
  });
  it("labels overlapping through a third form one column", () => {
    const y = spreidLabelsXY(
      [
        { x: 0, w: 50, y: 10, h: 14 },
        { x: 40, w: 50, y: 11, h: 14 },
        { x: 80, w: 50, y: 12, h: 14 },
      ],
      { gap: 2 },
    );
    expect(y[1]! - y[0]!).toBeGreaterThanOrEqual(16);
    expect(y[2]! - y[1]!).toBeGreaterThanOrEqual(16);
  });
});

describe("ombreek and categorieLabels: labels that fit their room", () => {
  it("breaks at spaces; a long word stays whole", () => {
    expect(ombreek("Start van de dienst", 10)).toBe("Start van\nde dienst");
    expect(ombreek("Participatie-interventie x", 8)).toBe("Participatie-interventie\nx");
  });
  it("wraps within the room of a category, or labels every k-th", () => {
    const wijd = categorieLabels(["Vóór het einde", "< 1 week"], 200, 12);
    expect(wijd).toEqual({ k: 1, tekst: ["Vóór het einde", "< 1 week"] });
    const jaren = categorieLabels(["2015", "2016", "2017", "2018"], 20, 12);
    expect(jaren.k).toBe(2);
    const smal = categorieLabels(["1 week – 1 maand", "3–6 maanden"], 70, 12);
    expect(smal.k).toBe(1);
    for (const t of smal.tekst) for (const r of t.split("\n")) expect(tekstBreedte(r, 12)).toBeLessThanOrEqual(70 - 6);
  });
});

describe("bovengrensAandeel and fontPx", () => {
  it("rounds the top of a share axis up, in 5-point steps below 30%, 10-point steps above, at most 100%", () => {
    expect(bovengrensAandeel([0.1, 0.23])).toBe(0.25);
    expect(bovengrensAandeel([0.55])).toBe(0.6);
    expect(bovengrensAandeel([0.6])).toBe(0.6);
    expect(bovengrensAandeel([0.87, Number.NaN])).toBe(0.9);
    expect(bovengrensAandeel([0.97])).toBe(1);
    expect(bovengrensAandeel([])).toBe(0.1);
  });
  it("chart text is never below 11 px", () => {
    expect(fontPx(350)).toBeGreaterThanOrEqual(11);
    expect(fontPx(960)).toBeGreaterThanOrEqual(fontPx(350));
  });
});

describe("tweeOfMeerTicks: at least two round ticks on a narrow axis", () => {
  it("hazard ratios around 1 get two or more ticks, not only 1,00", () => {
    expect(tweeOfMeerTicks(0.96, 1.04)).toEqual([0.96, 0.98, 1, 1.02, 1.04]);
    expect(tweeOfMeerTicks(0.97, 1.08)).toEqual([1, 1.05]);
    expect(tweeOfMeerTicks(0.9, 1.12)).toEqual([0.9, 1, 1.1]);
  });

  it("takes the largest round step: few ticks on a wide range", () => {
    expect(tweeOfMeerTicks(-3.2, 12.5)).toEqual([0, 10]);
    expect(tweeOfMeerTicks(0, 1)).toEqual([0, 1]);
    expect(tweeOfMeerTicks(2, 2)).toEqual([2]);
  });
});
