// Estimates with their 95% interval: a dot per estimate and a line for its interval, one row per
// category (y), coloured per series (the unadjusted and the weighted reading side by side), with a
// reference line at 0 (no difference). Hidden estimates (null) are left out; a chart whose
// estimates are all hidden says "niet getoond".
import * as Plot from "@observablehq/plot";
import { aantalTicks, fontPx, tekstBreedte, tweeOfMeerTicks } from "./chartLayout.js";
import { nietGetoond } from "./nietGetoond.js";

/**
 * @param {import("./format.js").Rij[]} rows
 * @param {{
 *   y: string, schatting: string, lower: string, upper: string, reeks: string,
 *   reeksen: string[], kleuren: string[], labels: Record<string, string>,
 *   yOrder?: unknown[], yLabel?: (v: unknown) => string, xLabel: string, tickFormat: (v: number) => string,
 *   nul?: number | null, width?: number,
 * }} opts
 */
export function intervalChart(rows, opts) {
  const { y, schatting, lower, upper, reeks, reeksen, kleuren, labels, yOrder, yLabel, xLabel, tickFormat, nul = 0, width = 760 } = opts;
  const data = rows.filter((r) => r[schatting] != null);
  if (!data.length) return nietGetoond();
  // room for the longest category label (never more than 45% of the width)
  const px = fontPx(width);
  const cats = [...new Set(data.map((r) => r[y]))];
  const longest = Math.max(0, ...cats.map((c) => tekstBreedte(yLabel ? yLabel(c) : String(c), px)));
  const marginLeft = Math.round(Math.min(Math.max(60, longest + 16), 0.45 * width));
  // as many ticks as fit, but never fewer than two (a narrow range on a phone)
  const waarden = [...data.flatMap((r) => [r[lower] ?? r[schatting], r[upper] ?? r[schatting]]), ...(nul == null ? [] : [nul])].map(Number);
  const lo = Math.min(...waarden),
    hi = Math.max(...waarden);
  const pasTicks = aantalTicks(width - marginLeft - 20, 70);
  const twee = tweeOfMeerTicks(lo, hi);
  const ticks = twee.length >= pasTicks ? twee : pasTicks;
  return Plot.plot({
    width,
    marginLeft,
    marginRight: 20,
    marginBottom: 44,
    height: 74 + 34 * new Set(data.map((r) => r[y])).size,
    style: { fontSize: `${px}px` },
    x: { label: xLabel, labelOffset: 40, tickFormat, grid: true, ticks },
    // categories, also when they are numbers (days, horizons): a point scale, never a linear one
    y: { type: "point", label: null, domain: yOrder?.filter((v) => data.some((r) => r[y] === v)), tickFormat: yLabel, inset: 14 },
    color: { domain: reeksen, range: kleuren, legend: true, tickFormat: (s) => labels[s] ?? s },
    marks: [
      nul == null ? null : Plot.ruleX([nul], { stroke: "#333", strokeDasharray: "4,3" }),
      // one pair of marks per series, shifted a little so that intervals do not overlap
      ...reeksen.flatMap((s, i) => {
        const eigen = data.filter((r) => r[reeks] === s);
        const dy = (i - (reeksen.length - 1) / 2) * 8;
        return [
          Plot.ruleY(eigen, { y, x1: lower, x2: upper, stroke: reeks, strokeWidth: 2, dy }),
          Plot.dot(eigen, { y, x: schatting, fill: reeks, r: 4, dy, tip: true }),
        ];
      }),
    ],
  });
}
