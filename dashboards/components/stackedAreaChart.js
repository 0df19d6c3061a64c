// Stacked shares over time (e.g. monthly states after a jobcoach start). Rows: {x, y (fraction), z}.
import * as Plot from "@observablehq/plot";
import { pct } from "./format.js";

export function stackedAreaChart(rows, { x, y, z, order, kleuren, labels = {}, width = 760, height = 340, xLabel, yLabel = "Aandeel (%)", xTickFormat } = {}) {
  const lab = (g) => labels[g] ?? g;
  const data = rows.filter((r) => r[y] != null);
  return Plot.plot({
    width, height, marginLeft: 48, style: { fontSize: "13px" },
    x: { label: xLabel ? `${xLabel} →` : null, labelAnchor: "right", tickFormat: xTickFormat },
    y: { domain: [0, 1], grid: true, tickFormat: (d) => pct(d), label: `↑ ${yLabel}` },
    color: { domain: order, range: kleuren, legend: true, tickFormat: lab },
    marks: [
      Plot.areaY(data, Plot.stackY({ order, x, y, fill: z, z, curve: "step-after" })),
      Plot.ruleY([0]),
      Plot.tip(data, Plot.pointerX(Plot.stackY({ order, x, y, z, fill: z, channels: { Situatie: (d) => lab(d[z]), Aandeel: (d) => pct(d[y]) }, format: { fill: false, x: true, y: false } }))),
    ],
  });
}
