// Bars: simple, grouped (fx per category, fill per group) or stacked 100% (stack: true).
// Values may be null (suppressed): those bars are left out and marked "–" in the table.
// Laid out for the width they get (chartLayout.js): on a phone a horizontal bar chart puts each
// category's name above its bar instead of in a wide left margin, and category labels under
// vertical bars wrap, or show every k-th, so that they never overlap.
import * as Plot from "@observablehq/plot";
import { categorieLabels, fontPx, isSmal, ombreek } from "./chartLayout.js";
import { getal } from "./format.js";
import { arcering, metVerborgenDeel, NIET_GETOOND, NIET_GETOOND_LABEL, NIET_GETOOND_VULLING, nietGetoond } from "./nietGetoond.js";

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
      kleuren = [...(kleuren ?? []), NIET_GETOOND_VULLING];
    }
  }
  const color = fill ? { domain: groepen, range: kleuren, legend: true, tickFormat: lab } : undefined;
  // the hatching of a hidden segment, where there is one
  const defs = groepen?.includes(NIET_GETOOND) ? [arcering] : [];
  const px = fontPx(width);
  const style = { fontSize: `${px}px` };
  /** @type {Record<string, (d: import("./format.js").Rij) => unknown>} */
  const tipChannels = { ...(fill ? { Groep: (d) => lab(d[fill]) } : {}), Categorie: (d) => xl(d[x]), Waarde: (d) => yFormat(d[y]) };
  if (horizontal) {
    const smal = isSmal(width);
    // on a phone: the category's name on its own line above the bar, the bars the full width
    const stap = 36;
    const categorieen = xOrder ?? [...new Set(data.map((d) => d[x]))];
    const marginRight = smal ? 56 : 72;
    // on a phone a little room on the left for the first tick label of the value axis
    const ml = smal ? 20 : Math.min(marginLeft ?? 180, Math.round(width * 0.45));
    const maxTekens = Math.max(8, Math.floor((ml - 12) / (0.62 * px)));
    return Plot.plot({
      width,
      height: smal ? 24 + 44 + stap * categorieen.length : height + 24,
      marginLeft: ml,
      marginRight,
      marginTop: smal ? 24 : undefined,
      marginBottom: 44,
      style,
      y: smal
        ? { type: "band", domain: xOrder, padding: 0, axis: null }
        : { type: "band", domain: xOrder, label: null, tickFormat: (v) => ombreek(String(xl(v)), maxTekens) },
      // with negative bars, room on the left for their value labels
      x: {
        grid: true,
        tickFormat: yFormat,
        ticks: Math.max(2, Math.floor((width - ml - marginRight) / 90)),
        label: yLabel ? `${yLabel} →` : null,
        labelOffset: 38,
        ...(data.some((d) => d[y] < 0)
          ? { domain: [Math.min(...data.map((d) => d[y])) * 1.15, Math.max(0, ...data.map((d) => d[y])) * 1.05], nice: true }
          : {}),
      },
      color,
      marks: [
        ...defs,
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
        Plot.barX(data, {
          y: x,
          x: y,
          fill: fill ?? kleur ?? "#0072B2",
          sort: xOrder ? undefined : { y: "-x" },
          ...(smal ? { insetTop: 16, insetBottom: 3 } : {}),
        }),
        // on a phone: the category names above the bars (clipped at the width, the table has them whole)
        ...(smal
          ? [
              Plot.text(categorieen, {
                y: (d) => d,
                text: (d) => String(xl(d)),
                frameAnchor: "left",
                textAnchor: "start",
                dy: -stap / 2 + 8,
                lineWidth: (width - ml - marginRight) / px,
                textOverflow: "ellipsis",
                fill: "currentColor",
              }),
            ]
          : []),
        // value labels beside the bar end: right of a positive bar, left of a negative one
        Plot.text(
          data.filter((d) => d[y] >= 0),
          { y: x, x: y, text: (d) => yFormat(d[y]), dx: 4, dy: smal ? 6.5 : 0, textAnchor: "start", fill: "currentColor" },
        ),
        Plot.text(
          data.filter((d) => d[y] < 0),
          { y: x, x: y, text: (d) => yFormat(d[y]), dx: -4, dy: smal ? 6.5 : 0, textAnchor: "end", fill: "currentColor" },
        ),
        Plot.ruleX([0]),
      ],
    });
  }
  // category labels under the bars: wrapped to the room of a category, every k-th when they do not fit (chartLayout.js)
  const categorieen = xOrder ?? [...new Set(data.map((d) => d[x]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const plotW = width - 56 - 20;
  const { k, tekst } = categorieLabels(
    categorieen.map((v) => String(xl(v))),
    plotW / Math.max(1, categorieen.length),
    px,
  );
  const catLabel = new Map(categorieen.map((v, i) => [v, tekst[i] ?? String(v)]));
  const regels = Math.max(1, ...categorieen.filter((_, i) => i % k === 0).map((v) => (catLabel.get(v) ?? "").split("\n").length));
  const labelH = regels * px * 1.2;
  // the axis title wraps too when it is wider than the chart
  const titel = xLabel ? ombreek(xLabel, Math.floor(plotW / (0.62 * px))) : null;
  const titelH = titel ? titel.split("\n").length * px * 1.2 : 0;
  const xAs = {
    type: /** @type {const} */ ("band"),
    domain: xOrder,
    ticks: k > 1 ? categorieen.filter((_, i) => i % k === 0) : undefined,
    label: titel,
    labelAnchor: /** @type {const} */ ("center"),
    labelOffset: 18 + labelH + titelH / 2,
    tickFormat: (/** @type {string | number} */ v) => catLabel.get(v) ?? String(xl(v)),
  };
  const marginBottom = Math.round(22 + labelH + titelH);
  if (stack || !fill) {
    return Plot.plot({
      width,
      height,
      marginLeft: 56,
      marginRight: 20,
      marginTop: yLabel ? 30 : undefined,
      marginBottom,
      style,
      x: xAs,
      y: { grid: true, tickFormat: yFormat, label: yLabel ? `↑ ${yLabel}` : null },
      color,
      marks: [
        ...defs,
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
    marginRight: 20,
    marginTop: yLabel ? 30 : undefined,
    marginBottom,
    style,
    fx: { ...xAs, axis: "bottom" },
    x: { type: "band", domain: groepen, axis: null },
    y: { grid: true, tickFormat: yFormat, label: yLabel ? `↑ ${yLabel}` : null },
    color,
    marks: [
      ...defs,
      Plot.barY(data, { fx: x, x: fill, y, fill, tip: { channels: tipChannels, format: { x: false, y: false, fill: false, fx: false } } }),
      Plot.ruleY([0]),
    ],
  });
}
