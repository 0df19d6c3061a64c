// Bars: simple, grouped (fx per category, fill per group) or stacked 100% (stack: true).
// Values may be null (suppressed): those bars are left out and marked "–" in the table.
import * as Plot from "@observablehq/plot";
import { getal } from "./format.js";
import { metVerborgenDeel, NIET_GETOOND, NIET_GETOOND_KLEUR, NIET_GETOOND_LABEL, nietGetoond } from "./nietGetoond.js";

/**
 * @typedef {object} BarOpties
 * @property {string} x column of the category
 * @property {string} y column of the value (null: suppressed)
 * @property {string} [fill] column of the group (grouped or stacked bars)
 * @property {(string | number)[]} [groepen]
 * @property {string[]} [kleuren]
 * @property {Record<string, string>} [labels] group → label
 * @property {Record<string, string>} [xLabels] category → label
 * @property {(string | number)[]} [xOrder]
 * @property {boolean} [stack]
 * @property {boolean} [geheel] stacked shares of a whole (100%): hidden cells become a "niet getoond" segment
 * @property {number} [width]
 * @property {number} [height]
 * @property {string} [yLabel]
 * @property {(d: any) => string} [yFormat]
 * @property {string} [xLabel]
 * @property {boolean} [horizontal]
 * @property {number} [marginLeft]
 * @property {string} [kleur]
 * @property {number | null} [referentie]
 * @property {string} [referentieLabel]
 */
/**
 * @param {import("./format.js").Rij[]} rows
 * @param {BarOpties} opties
 */
export function barChart(
  rows,
  {
    x,
    y,
    fill,
    groepen,
    kleuren,
    labels = {},
    xLabels = {},
    xOrder,
    stack = false,
    geheel = false,
    width = 760,
    height = 320,
    yLabel = "",
    yFormat = (d) => getal(d),
    xLabel,
    horizontal = false,
    marginLeft,
    kleur,
    referentie,
    referentieLabel,
  } = /** @type {BarOpties} */ ({}),
) {
  /** @param {string | number} g */
  const lab = (g) => (g === NIET_GETOOND ? NIET_GETOOND_LABEL : (labels[g] ?? g));
  /** @param {string | number} v */
  const xl = (v) => xLabels[v] ?? v;
  // every cell hidden: say so instead of drawing an empty frame
  if (rows.length && rows.every((r) => r[y] == null)) return nietGetoond();
  let data = rows.filter((r) => r[y] != null);
  if (stack && geheel && fill) {
    data = metVerborgenDeel(rows, { x, y, z: fill });
    if (data.some((r) => r[fill] === NIET_GETOOND)) {
      groepen = [...(groepen ?? []), NIET_GETOOND];
      kleuren = [...(kleuren ?? []), NIET_GETOOND_KLEUR];
    }
  }
  const color = fill ? { domain: groepen, range: kleuren, legend: true, tickFormat: lab } : undefined;
  /** @type {Record<string, (d: import("./format.js").Rij) => unknown>} */
  const tipChannels = { ...(fill ? { Groep: (d) => lab(d[fill]) } : {}), Categorie: (d) => xl(d[x]), Waarde: (d) => yFormat(d[y]) };
  if (horizontal) {
    return Plot.plot({
      width,
      height: height + 24,
      marginLeft: marginLeft ?? 180,
      marginRight: 72,
      marginBottom: 44,
      style: { fontSize: "13px" },
      y: { type: "band", domain: xOrder, label: null, tickFormat: xl },
      // with negative bars, room on the left for their value labels
      x: {
        grid: true,
        tickFormat: yFormat,
        label: yLabel ? `${yLabel} →` : null,
        labelOffset: 38,
        ...(data.some((d) => d[y] < 0)
          ? { domain: [Math.min(...data.map((d) => d[y])) * 1.15, Math.max(0, ...data.map((d) => d[y])) * 1.05], nice: true }
          : {}),
      },
      color,
      marks: [
        // optional reference value (e.g. Nederland): a dashed line under the bars, its label at the top
        ...(referentie != null
          ? [
              Plot.ruleX([referentie], { stroke: "#333", strokeDasharray: "4,3" }),
              Plot.text([referentie], {
                x: (d) => d,
                frameAnchor: "top",
                dy: -12,
                text: () => referentieLabel ?? yFormat(referentie),
                fill: "#333",
              }),
            ]
          : []),
        Plot.barX(data, { y: x, x: y, fill: fill ?? kleur ?? "#0072B2", sort: xOrder ? undefined : { y: "-x" } }),
        // value labels beside the bar end: right of a positive bar, left of a negative one
        Plot.text(
          data.filter((d) => d[y] >= 0),
          { y: x, x: y, text: (d) => yFormat(d[y]), dx: 4, textAnchor: "start", fill: "currentColor" },
        ),
        Plot.text(
          data.filter((d) => d[y] < 0),
          { y: x, x: y, text: (d) => yFormat(d[y]), dx: -4, textAnchor: "end", fill: "currentColor" },
        ),
        Plot.ruleX([0]),
      ],
    });
  }
  if (stack || !fill) {
    return Plot.plot({
      width,
      height,
      marginLeft: 56,
      marginBottom: xLabel ? 50 : 30,
      style: { fontSize: "13px" },
      x: { type: "band", domain: xOrder, label: xLabel ?? null, labelAnchor: "center", labelOffset: 44, tickFormat: xl },
      y: { grid: true, tickFormat: yFormat, label: yLabel ? `↑ ${yLabel}` : null },
      color,
      marks: [
        Plot.barY(data, {
          x,
          y,
          fill: fill ?? "#0072B2",
          order: groepen,
          tip: { channels: tipChannels, format: { x: false, y: false, fill: false } },
        }),
        Plot.ruleY([0]),
      ],
    });
  }
  return Plot.plot({
    width,
    height,
    marginLeft: 56,
    marginBottom: xLabel ? 50 : 30,
    style: { fontSize: "13px" },
    fx: { type: "band", domain: xOrder, label: xLabel ?? null, labelAnchor: "center", labelOffset: 44, tickFormat: xl, axis: "bottom" },
    x: { type: "band", domain: groepen, axis: null },
    y: { grid: true, tickFormat: yFormat, label: yLabel ? `↑ ${yLabel}` : null },
    color,
    marks: [
      Plot.barY(data, { fx: x, x: fill, y, fill, tip: { channels: tipChannels, format: { x: false, y: false, fill: false, fx: false } } }),
      Plot.ruleY([0]),
    ],
  });
}
