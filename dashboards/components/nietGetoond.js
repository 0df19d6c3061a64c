// Hidden cells drawn explicitly. A chart whose cells are all hidden by disclosure control shows
// "niet getoond" with the reason instead of an empty frame; a 100% chart (stacked shares) shows
// its hidden part as its own grey segment with a legend item, instead of an unexplained gap.
import { NIET_GETOOND_KLEUR, NIET_GETOOND_LABEL } from "./colors.js";

export const NIET_GETOOND = "niet_getoond";
export { NIET_GETOOND_KLEUR, NIET_GETOOND_LABEL };

const ARCERING_ID = "bm-niet-getoond";
/** the fill of a hidden segment: hatched, so it never reads as a category's own colour (geen werk is grey too) */
export const NIET_GETOOND_VULLING = `url(#${ARCERING_ID})`;

/**
 * A Plot mark that defines the hatching of NIET_GETOOND_VULLING (diagonal lines in
 * NIET_GETOOND_KLEUR on white). Add it to the marks of a chart that may draw a hidden segment;
 * the legend's swatch refers to the same pattern.
 */
export function arcering() {
  const ns = "http://www.w3.org/2000/svg";
  const g = document.createElementNS(ns, "g");
  const defs = document.createElementNS(ns, "defs");
  const pattern = document.createElementNS(ns, "pattern");
  for (const [k, v] of Object.entries({
    id: ARCERING_ID,
    patternUnits: "userSpaceOnUse",
    width: "6",
    height: "6",
    patternTransform: "rotate(45)",
  }))
    pattern.setAttribute(k, v);
  const rect = document.createElementNS(ns, "rect");
  for (const [k, v] of Object.entries({ width: "6", height: "6", fill: "#ffffff" })) rect.setAttribute(k, v);
  const line = document.createElementNS(ns, "line");
  for (const [k, v] of Object.entries({ x1: "0", y1: "0", x2: "0", y2: "6", stroke: NIET_GETOOND_KLEUR, "stroke-width": "2.5" }))
    line.setAttribute(k, v);
  pattern.append(rect, line);
  defs.append(pattern);
  g.append(defs);
  return g;
}

/** the disclosure threshold of this build (meta bm-min-aantal in the page head, observablehq.config.ts) */
function minAantal() {
  const n = Number(globalThis.document?.querySelector('meta[name="bm-min-aantal"]')?.getAttribute("content"));
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** "te weinig personen (minder dan 10)" */
export function reden() {
  const n = minAantal();
  return n ? `te weinig personen (minder dan ${n})` : "te weinig personen";
}

/** The block shown instead of a chart whose cells are all hidden. */
export function nietGetoond() {
  const d = document.createElement("div");
  d.className = "bm-niet-getoond";
  d.setAttribute("data-niet-getoond", "");
  d.setAttribute("role", "note");
  const s = document.createElement("strong");
  s.textContent = "Niet getoond: ";
  d.append(
    s,
    `${reden()}. Alle cellen van deze figuur zijn verborgen, zodat niemand herkenbaar wordt. Kies een andere uitsplitsing of groep.`,
  );
  return d;
}

/**
 * Rows of a 100% chart plus, per x where cells are hidden, one row for the hidden part
 * (1 − the shares shown) in the series NIET_GETOOND.
 * @param {import("./format.js").Rij[]} rows
 * @param {{x: string, y: string, z: string}} kolommen
 */
export function metVerborgenDeel(rows, { x, y, z }) {
  /** @type {Map<unknown, {getoond: number, verborgen: boolean}>} */
  const per = new Map();
  for (const r of rows) {
    const p = per.get(r[x]) ?? { getoond: 0, verborgen: false };
    if (r[y] == null) p.verborgen = true;
    else p.getoond += r[y];
    per.set(r[x], p);
  }
  const extra = [...per].filter(([, p]) => p.verborgen).map(([xv, p]) => ({ [x]: xv, [z]: NIET_GETOOND, [y]: Math.max(0, 1 - p.getoond) }));
  return [...rows.filter((r) => r[y] != null), ...extra];
}
