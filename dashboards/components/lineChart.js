// Lines over time or over a month index. Rows: {x, y, z}; y may be null (suppressed → gap).
import * as Plot from "@observablehq/plot";
import { getal } from "./format.js";

export function lineChart(rows, opts = {}) {
  const yFormatIsDefault = opts.yFormat == null;
  return lineChartImpl(rows, { ...opts, yFormat: opts.yFormat ?? ((d) => getal(d, 1)) }, yFormatIsDefault);
}

function lineChartImpl(rows, { x, y, z, groepen, kleuren, labels = {}, width = 760, height = 320, yLabel = "", xLabel, yFormat, yTickFormat, xTickFormat, xTicks, xTip, xType, yDomain, rule, dash = {} } = {}, yFormatIsDefault = false) {
  const lab = (g) => labels[g] ?? g;
  const data = rows.map((r) => ({ ...r, [y]: r[y] == null ? NaN : r[y] }));
  // tick labels with enough decimals for the spread of the data (e.g. an index between 99,5 and 101)
  const ys = data.map((d) => d[y]).filter(Number.isFinite);
  const span = ys.length ? Math.max(...ys, rule ?? -Infinity) - Math.min(...ys, rule ?? Infinity) : 1;
  const digits = span > 0 ? Math.max(0, Math.min(3, -Math.floor(Math.log10(span / 8)))) : 0;
  const yTick = yTickFormat ?? (yFormatIsDefault ? (d) => getal(d, digits) : yFormat);
  return Plot.plot({
    width, height, marginLeft: 56, style: { fontSize: "13px" },
    x: { type: xType, ticks: xTicks ?? (xType === "utc" ? "year" : undefined), label: xLabel ? `${xLabel} →` : null, labelAnchor: "right", tickFormat: xTickFormat },
    y: { grid: true, tickFormat: yTick, label: yLabel ? `↑ ${yLabel}` : null, domain: yDomain, zero: !yDomain && rule === undefined },
    color: z ? { domain: groepen, range: kleuren, legend: true, tickFormat: lab } : undefined,
    marks: [
      rule != null ? Plot.ruleY([rule], { stroke: "#999", strokeDasharray: "3,3" }) : Plot.ruleY([0]),
      ...(z ? (groepen ?? []).map((g) => Plot.lineY(data.filter((d) => d[z] === g), { x, y, stroke: z, strokeWidth: dash[g] ? 1.5 : 2, strokeDasharray: dash[g] ?? null })) : [Plot.lineY(data, { x, y, stroke: "#0072B2", strokeWidth: 2 })]),
      Plot.tip(data.filter((d) => Number.isFinite(d[y])), Plot.pointerX({ x, y, stroke: z, channels: { ...(z ? { Groep: (d) => lab(d[z]) } : {}), Waarde: (d) => yFormat(d[y]) }, format: { y: false, stroke: false, x: xTip ?? xTickFormat ?? true } })),
    ],
  });
}
