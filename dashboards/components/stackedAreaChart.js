// Stacked shares over time (e.g. monthly states after a jobcoach start). Rows: {x, y (fraction), z}.
import * as Plot from "@observablehq/plot";
import { fontPx } from "./chartLayout.js";
import { pct } from "./format.js";
import { arcering, metVerborgenDeel, NIET_GETOOND, NIET_GETOOND_LABEL, NIET_GETOOND_VULLING, nietGetoond } from "./nietGetoond.js";

/**
 * @typedef {object} VlakOpties
 * @property {string} x column of the x value
 * @property {string} y column of the share (fraction; null: suppressed)
 * @property {string} z column of the situation (one layer each)
 * @property {string[]} [order] situations, bottom to top
 * @property {string[]} [kleuren]
 * @property {Record<string, string>} [labels] situation → label
 * @property {number} [width]
 * @property {number} [height]
 * @property {string} [xLabel]
 * @property {string} [yLabel]
 * @property {(d: any) => string} [xTickFormat]
 */
/**
 * @param {import("./format.js").Rij[]} rows
 * @param {VlakOpties} opties
 */
export function stackedAreaChart(
  rows,
  {
    x,
    y,
    z,
    order,
    kleuren,
    labels = {},
    width = 760,
    height = 340,
    xLabel,
    yLabel = "Aandeel (%)",
    xTickFormat,
  } = /** @type {VlakOpties} */ ({}),
) {
  /** @param {string} g */
  const lab = (g) => (g === NIET_GETOOND ? NIET_GETOOND_LABEL : (labels[g] ?? g));
  if (rows.length && rows.every((r) => r[y] == null)) return nietGetoond();
  // shares of a whole: hidden cells become one explicit "niet getoond" layer on top
  const data = metVerborgenDeel(rows, { x, y, z });
  const verborgen = data.some((r) => r[z] === NIET_GETOOND);
  if (verborgen && order) order = [...order, NIET_GETOOND];
  if (verborgen && kleuren) kleuren = [...kleuren, NIET_GETOOND_VULLING];
  // every situation at every x (a hidden or absent one as 0): a stacked step area whose series
  // skip an x draws its neighbours out of line there, with white gaps between them
  // in x order (a month whose cells are all hidden comes only with the hidden parts, at the end)
  const xs = [...new Set(data.map((r) => r[x]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const zs = [...new Set(data.map((r) => r[z]))];
  const have = new Map(data.map((r) => [`${r[x]}\u0000${r[z]}`, r]));
  const vlak = xs.flatMap((xv) => zs.map((zv) => have.get(`${xv}\u0000${zv}`) ?? { [x]: xv, [z]: zv, [y]: 0 }));
  return Plot.plot({
    width,
    height,
    marginLeft: 48,
    // room between the axis titles and the tick labels (Plot puts them on the tick row by default)
    marginTop: 30,
    marginBottom: xLabel ? 44 : undefined,
    style: { fontSize: `${fontPx(width)}px` },
    x: { label: xLabel ? `${xLabel} →` : null, labelAnchor: "right", labelOffset: 40, tickFormat: xTickFormat },
    y: { domain: [0, 1], grid: true, tickFormat: (d) => pct(d), label: `↑ ${yLabel}` },
    color: { domain: order, range: kleuren, legend: true, tickFormat: lab },
    marks: [
      ...(verborgen ? [arcering] : []),
      Plot.areaY(vlak, Plot.stackY({ order, x, y, fill: z, z, curve: "step-after" })),
      Plot.ruleY([0]),
      Plot.tip(
        data,
        Plot.pointerX(
          Plot.stackY({
            order,
            x,
            y,
            z,
            fill: z,
            channels: { Situatie: (d) => lab(d[z]), Aandeel: (d) => pct(d[y]) },
            format: { fill: false, x: true, y: false },
          }),
        ),
      ),
    ],
  });
}
