// Lines over time or over a month index. Rows: {x, y, z}; y may be null (suppressed → gap).
import * as Plot from "@observablehq/plot";
import { fontPx, regelmatigeTicks, tekstBreedte } from "./chartLayout.js";
import { getal } from "./format.js";
import { nietGetoond } from "./nietGetoond.js";

/**
 * @typedef {object} LijnOpties
 * @property {string} x column of the x value
 * @property {string} y column of the value (null: suppressed → gap)
 * @property {string} [z] column of the group (one line per group)
 * @property {(string | number)[]} [groepen]
 * @property {string[]} [kleuren]
 * @property {Record<string, string>} [labels] group → label
 * @property {number} [width]
 * @property {number} [height]
 * @property {string} [yLabel]
 * @property {string} [xLabel]
 * @property {(d: any) => string} [yFormat] value in the tip (default: one decimal)
 * @property {(d: any) => string} [yTickFormat]
 * @property {(d: any) => string} [xTickFormat]
 * @property {import("@observablehq/plot").ScaleOptions["ticks"]} [xTicks]
 * @property {import("@observablehq/plot").TipFormat} [xTip]
 * @property {import("@observablehq/plot").ScaleOptions["type"]} [xType]
 * @property {import("@observablehq/plot").ScaleOptions["domain"]} [yDomain]
 * @property {number} [rule] a dashed reference line (instead of the zero line)
 * @property {Record<string, string>} [dash] group → stroke-dasharray
 * @property {boolean | (string | number)[]} [punten] a dot on every value (of these groups): for
 *   series with points far apart, where a value without a neighbour would draw no line
 */
/**
 * @param {import("./format.js").Rij[]} rows
 * @param {LijnOpties} opts
 */
export function lineChart(rows, opts = /** @type {LijnOpties} */ ({})) {
  const yFormatIsDefault = opts.yFormat == null;
  return lineChartImpl(rows, { ...opts, yFormat: opts.yFormat ?? ((d) => getal(d, 1)) }, yFormatIsDefault);
}

/**
 * @param {import("./format.js").Rij[]} rows
 * @param {LijnOpties & {yFormat: (d: any) => string}} opts
 * @param {boolean} [yFormatIsDefault]
 */
function lineChartImpl(
  rows,
  {
    x,
    y,
    z,
    groepen,
    kleuren,
    labels = {},
    width = 760,
    height = 320,
    yLabel = "",
    xLabel,
    yFormat,
    yTickFormat,
    xTickFormat,
    xTicks,
    xTip,
    xType,
    yDomain,
    rule,
    dash = {},
    punten = false,
  } = /** @type {LijnOpties & {yFormat: (d: any) => string}} */ ({}),
  yFormatIsDefault = false,
) {
  /** @param {string | number} g */
  const lab = (g) => labels[g] ?? g;
  // every cell hidden: say so instead of drawing an empty frame
  if (rows.length && rows.every((r) => r[y] == null)) return nietGetoond();
  const data = rows.map((r) => ({ ...r, [y]: r[y] == null ? NaN : r[y] }));
  // tick labels with enough decimals for the spread of the data (e.g. an index between 99,5 and 101)
  const ys = data.map((d) => d[y]).filter(Number.isFinite);
  const span = ys.length ? Math.max(...ys, rule ?? -Infinity) - Math.min(...ys, rule ?? Infinity) : 1;
  const digits = span > 0 ? Math.max(0, Math.min(3, -Math.floor(Math.log10(span / 8)))) : 0;
  const yTick = yTickFormat ?? (yFormatIsDefault ? (d) => getal(d, digits) : yFormat);
  const px = fontPx(width);
  const plotW = width - 56 - 20;
  return Plot.plot({
    width,
    height,
    marginLeft: 56,
    marginRight: 20,
    // room between the axis titles and the tick labels (Plot puts them on the tick row by default)
    marginTop: yLabel ? 30 : undefined,
    marginBottom: xLabel ? 44 : undefined,
    style: { fontSize: `${px}px` },
    x: {
      type: xType,
      ticks:
        tijdTicks(
          data.map((d) => d[x]),
          { xType, xTicks, xTickFormat, plotW, px },
        ) ??
        xTicks ??
        Math.max(2, Math.floor(plotW / 70)),
      label: xLabel ? `${xLabel} →` : null,
      labelAnchor: "right",
      labelOffset: 40,
      tickFormat: xTickFormat,
    },
    y: { grid: true, tickFormat: yTick, label: yLabel ? `↑ ${yLabel}` : null, domain: yDomain, zero: !yDomain && rule === undefined },
    color: z ? { domain: groepen, range: kleuren, legend: true, tickFormat: lab } : undefined,
    marks: [
      rule != null ? Plot.ruleY([rule], { stroke: "#999", strokeDasharray: "3,3" }) : Plot.ruleY([0]),
      ...(z
        ? (groepen ?? []).map((g) =>
            Plot.lineY(
              data.filter((d) => d[z] === g),
              // Plot's types omit null for strokeDasharray; at runtime null (no entry in dash) means a solid line
              {
                x,
                y,
                stroke: z,
                strokeWidth: dash[g] ? 1.5 : 2,
                strokeDasharray: /** @type {string} */ (/** @type {unknown} */ (dash[g] ?? null)),
              },
            ),
          )
        : [Plot.lineY(data, { x, y, stroke: "#0072B2", strokeWidth: 2 })]),
      ...(punten
        ? [
            Plot.dotY(
              data.filter((d) => Number.isFinite(d[y]) && (punten === true || !z || punten.includes(d[z]))),
              { x, y, r: 3, fill: z ?? "#0072B2" },
            ),
          ]
        : []),
      Plot.tip(
        data.filter((d) => Number.isFinite(d[y])),
        Plot.pointerX({
          x,
          y,
          stroke: z,
          channels: { ...(z ? { Groep: (d) => lab(d[z]) } : {}), Waarde: (d) => yFormat(d[y]) },
          format: { y: false, stroke: false, x: xTip ?? xTickFormat ?? true },
        }),
      ),
    ],
  });
}

/**
 * Ticks of a time axis that fit: the interval asked for (default a year), every k-th of them
 * when their labels would overlap at this width. Only for a utc axis with a tick format (the
 * label widths are estimated from it); otherwise undefined (Plot's own ticks).
 * @param {unknown[]} xs
 * @param {{xType?: string | null, xTicks?: unknown, xTickFormat?: (d: any) => string, plotW: number, px: number}} opts
 * @returns {Date[] | undefined}
 */
function tijdTicks(xs, { xType, xTicks, xTickFormat, plotW, px }) {
  if (xType !== "utc" || !xTickFormat || (xTicks != null && typeof xTicks !== "string")) return undefined;
  const t = xs.map((v) => +(/** @type {any} */ (v))).filter(Number.isFinite);
  if (!t.length) return undefined;
  const [lo, hi] = [Math.min(...t), Math.max(...t)];
  const interval = Plot.utcInterval(/** @type {any} */ (xTicks ?? "year"));
  const kandidaten = interval.range(interval.ceil(new Date(lo)), new Date(hi + 1));
  const pos = (/** @type {Date} */ d) => ((+d - lo) / Math.max(1, hi - lo)) * plotW;
  return regelmatigeTicks(kandidaten, pos, (d) => tekstBreedte(xTickFormat(d), px), 8);
}
