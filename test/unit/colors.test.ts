// Every colour of the site's palette (dashboards/components/colors.js) is a mark on the white
// page: WCAG 2.1 requires 3:1 contrast for graphical objects (SC 1.4.11). The contrast ratio is
// computed here from WCAG's relative-luminance formula.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as kleuren from "../../dashboards/components/colors.js";

/** WCAG 2.1 relative luminance of an sRGB colour "#rrggbb" */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

/** every "#rrggbb" value exported by colors.js (in arrays and maps), with its name */
function paletteColours(): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, v] of Object.entries(kleuren)) {
    if (name === "ACHTERGROND") continue;
    if (typeof v === "string" && /^#[0-9a-f]{6}$/i.test(v)) out.push([name, v]);
    else if (v && typeof v === "object")
      for (const [k, c] of Object.entries(v)) if (typeof c === "string" && /^#[0-9a-f]{6}$/i.test(c)) out.push([`${name}.${k}`, c]);
  }
  return out;
}

describe("kleurenpalet", () => {
  it("the contrast formula gives WCAG's known values", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 10);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    expect(contrast("#E69F00", "#ffffff")).toBeCloseTo(2.25, 2); // Okabe–Ito orange: too light
  });

  it("every palette colour has at least 3:1 contrast against the page background", () => {
    const colours = paletteColours();
    expect(colours.length).toBeGreaterThanOrEqual(25);
    const low = colours
      .filter(([, c]) => contrast(c, kleuren.ACHTERGROND) < 3)
      .map(([n, c]) => `${n} ${c} ${contrast(c, kleuren.ACHTERGROND).toFixed(2)}:1`);
    expect(low).toEqual([]);
  });

  it("groups keep distinct colours: the jobcoach groups and the categorical palette have no duplicates", () => {
    expect(new Set(Object.values(kleuren.JOBCOACH_KLEUR)).size).toBe(Object.keys(kleuren.JOBCOACH_KLEUR).length);
    expect(new Set(kleuren.OKABE_ITO).size).toBe(kleuren.OKABE_ITO.length);
    expect(new Set(Object.values(kleuren.STATUS_KLEUR)).size).toBe(4);
  });

  it("the pages and chart components draw only with colours that pass too (no light literal elsewhere)", () => {
    const root = join(import.meta.dirname, "../../dashboards");
    const files = [
      ...readdirSync(root).filter((f) => f.endsWith(".md")),
      ...readdirSync(join(root, "components")).map((f) => `components/${f}`),
    ];
    const low: string[] = [];
    for (const f of files)
      for (const m of readFileSync(join(root, f), "utf8").matchAll(/"(#[0-9a-fA-F]{6})"/g))
        if (m[1]!.toLowerCase() !== kleuren.ACHTERGROND && contrast(m[1]!, kleuren.ACHTERGROND) < 3) low.push(`${f}: ${m[1]}`);
    expect(low).toEqual([]);
  });
});
