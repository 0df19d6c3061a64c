// Cumulative-incidence curves (1 − KM, or Aalen–Johansen) with a 95% CI band, a step line per
// group, and the numbers at risk in a table under the chart. Rows: the published `curve` table.
import * as Plot from "@observablehq/plot";
import { el } from "./figure.js";
import { dagAsLabel, getal, LEEG, pct, termijn } from "./format.js";
import { nietGetoond } from "./nietGetoond.js";
/** @typedef {import("./format.js").Rij} Rij */

export const RISICO_DAGEN = [0, 91, 182, 365, 730, 1095, 1461];

/**
 * Table and CSV columns of a published `curve` table (docs/publish.md): the page's group column
 * (label and format of its kenmerk), then the day, the estimate (labelled `aandeel`) with its
 * 95% interval, and the number at risk.
 * @param {import("./figure.js").Kolom} groep
 * @param {{aandeel?: string}} [opties]
 * @returns {import("./figure.js").Kolom[]}
 */
export function curveColumns(groep, { aandeel = "Aandeel weer aan het werk" } = {}) {
  return [
    groep,
    { key: "dag", label: "Dagen na einde", format: (d) => getal(d) },
    { key: "cum_incidentie", label: aandeel, format: (v) => pct(v, 1) },
    { key: "lower", label: "95%-interval onder", format: (v) => pct(v, 1) },
    { key: "upper", label: "95%-interval boven", format: (v) => pct(v, 1) },
    { key: "n_risico", label: "Nog in risico", format: (v) => getal(v) },
  ];
}

/**
 * @typedef {object} CurveOpties
 * @property {(string | number)[]} groepen
 * @property {string[]} kleuren
 * @property {Record<string, string>} [labels] group → label
 * @property {number} [width]
 * @property {number} [height]
 * @property {number} [maxDag]
 * @property {string} [yLabel]
 * @property {number[]} [risicoDagen]
 * @property {string} [risicoLabel]
 */
/**
 * @param {Rij[]} rows
 * @param {CurveOpties} opties
 */
export function survivalChart(
  rows,
  {
    groepen,
    kleuren,
    labels = {},
    width = 760,
    height = 380,
    maxDag = 1461,
    yLabel = "Cumulatief aandeel (%)",
    risicoDagen = RISICO_DAGEN,
    risicoLabel = "Aantal nog zonder werk en in observatie (‘at risk’)",
  } = /** @type {CurveOpties} */ ({}),
) {
  /** @param {string | number} g */
  const lab = (g) => labels[g] ?? g;
  const shown = rows.filter((r) => r.dag <= maxDag && r.cum_incidentie != null);
  // every cell hidden: say so instead of drawing an empty frame
  if (rows.length && !rows.some((r) => r.cum_incidentie != null)) return nietGetoond();
  const band = shown.filter((r) => r.lower != null && r.upper != null);
  const ticks = [0, 91, 182, 365, 730, 1095, 1461].filter((d) => d <= maxDag);
  const plot = Plot.plot({
    width,
    height,
    marginLeft: 48,
    marginRight: 16,
    marginBottom: 40,
    style: { fontSize: "13px" },
    x: { domain: [0, maxDag], ticks, tickFormat: dagAsLabel, label: "Tijd na baaneinde →", labelAnchor: "right" },
    y: { domain: [0, 1], grid: true, tickFormat: (d) => pct(d), label: `↑ ${yLabel}` },
    color: { domain: groepen, range: kleuren, legend: true, tickFormat: lab },
    marks: [
      Plot.areaY(band, { x: "dag", y1: "lower", y2: "upper", fill: "groep", z: "groep", fillOpacity: 0.16, curve: "step-after" }),
      Plot.lineY(shown, { x: "dag", y: "cum_incidentie", stroke: "groep", z: "groep", strokeWidth: 2, curve: "step-after" }),
      Plot.ruleY([0]),
      Plot.tip(
        shown,
        Plot.pointerX({
          x: "dag",
          y: "cum_incidentie",
          stroke: "groep",
          channels: {
            Groep: (d) => lab(d.groep),
            Na: (d) => termijn(d.dag),
            Aandeel: (d) => pct(d.cum_incidentie),
            "95%-interval": (d) => `${pct(d.lower)} – ${pct(d.upper)}`,
            "Nog in risico": (d) => getal(d.n_risico),
          },
          format: { x: false, y: false, stroke: false },
        }),
      ),
    ],
  });
  // numbers at risk: value at each reading day (grid days), "–" beyond the published part
  const atRisk = el(
    "table",
    { class: "bm-tabel bm-risico" },
    el("caption", {}, risicoLabel),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { scope: "col", class: "links" }, "Na"),
        risicoDagen.filter((d) => d <= maxDag).map((d) => el("th", { scope: "col" }, d === 0 ? "start" : termijn(d))),
      ),
    ),
    el(
      "tbody",
      {},
      groepen.map((g, i) =>
        el(
          "tr",
          {},
          el("th", { scope: "row", class: "links" }, el("span", { class: "bm-swatch", style: `background:${kleuren[i]}` }), lab(g)),
          risicoDagen
            .filter((d) => d <= maxDag)
            .map((d) => {
              const r = shown.find((x) => x.groep === g && x.dag === d);
              return el("td", {}, r ? getal(r.n_risico) : LEEG);
            }),
        ),
      ),
    ),
  );
  const streep = atRisk.querySelectorAll("td").length > 0 && [...atRisk.querySelectorAll("td")].some((td) => td.textContent === LEEG);
  return el(
    "div",
    { class: "bm-survival" },
    plot,
    el(
      "div",
      { class: "bm-tabel-wrap" },
      atRisk,
      streep
        ? el("p", { class: "bm-voetnoot" }, "– niet getoond: de curve stopt waar een groep te weinig personen in observatie heeft")
        : null,
    ),
  );
}
