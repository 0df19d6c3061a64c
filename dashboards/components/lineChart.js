// Lines over time or over a month index. Rows: {x, y, z}; y may be null (suppressed → gap).
import * as Plot from "@observablehq/plot";
import { getal } from "./format.js";

export function lineChart(rows, { x, y, z, groepen, kleuren, labels = {}, width = 760, height = 320, yLabel = "", xLabel, yFormat = (d) => getal(d), xTickFormat, xTip, xType, yDomain, rule, dash = {} } = {}) {
  const lab = (g) => labels[g] ?? g;
  const data = rows.map((r) => ({ ...r, [y]: r[y] == null ? NaN : r[y] }));
  return Plot.plot({
    width, height, marginLeft: 56, style: { fontSize: "13px" },
    x: { type: xType, label: xLabel ? `${xLabel} →` : null, labelAnchor: "right", tickFormat: xTickFormat },
    y: { grid: true, tickFormat: yFormat, label: yLabel ? `↑ ${yLabel}` : null, domain: yDomain, zero: !yDomain && rule === undefined },
    color: z ? { domain: groepen, range: kleuren, legend: true, tickFormat: lab } : undefined,
    marks: [
      rule != null ? Plot.ruleY([rule], { stroke: "#999", strokeDasharray: "3,3" }) : Plot.ruleY([0]),
      ...(z ? (groepen ?? []).map((g) => Plot.lineY(data.filter((d) => d[z] === g), { x, y, stroke: z, strokeWidth: dash[g] ? 1.5 : 2, strokeDasharray: dash[g] ?? null })) : [Plot.lineY(data, { x, y, stroke: "#0072B2", strokeWidth: 2 })]),
      Plot.tip(data.filter((d) => Number.isFinite(d[y])), Plot.pointerX({ x, y, stroke: z, channels: { ...(z ? { Groep: (d) => lab(d[z]) } : {}), Waarde: (d) => yFormat(d[y]) }, format: { y: false, stroke: false, x: xTip ?? xTickFormat ?? true } })),
    ],
  });
}
