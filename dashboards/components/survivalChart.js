// Cumulative-incidence curves (1 − KM, or Aalen–Johansen) drawn as survminer / ggsurvfit would:
// the published points joined by straight lines with a 95% CI band, a line style per group as
// well as its colour (readable in grayscale), the group's name at the end of its line, a y axis
// fitted to the data, and the numbers at risk in a table under the chart (KMunicate's first row).
// Rows: the published `curve` table.
//
// The time axis is a square-root scale. The published grid is weekly up to 3 months and monthly
// after, and about half of all restarts fall in the first three months: on a linear 4-year axis
// that part gets 6% of the width, on a square-root axis 25% (1 year: 50%), while the whole
// follow-up stays in one continuous curve (a separate first-year panel would show the first
// months twice and split the comparison across two frames). dashboards/methode.md says so too.
import * as Plot from "@observablehq/plot";
import { bovengrensAandeel, dunTicks, fontPx, isSmal, ombreek, spreidLabelsXY, tekstBreedte } from "./chartLayout.js";
import { el, tabelScroller } from "./figure.js";
import { getal, LEEG, pct, termijn } from "./format.js";
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

/** candidate ticks of the time axis (days), most important first, and their labels; dunTicks keeps those that fit */
export const TIJD_TICKS = [0, 1461, 365, 91, 30, 182, 730, 7, 1095];
/** @type {Record<number, string>} */
const TIJD_LABEL = { 0: "0", 7: "1 wk", 30: "1 mnd", 91: "3 mnd", 182: "6 mnd", 365: "1 jr", 730: "2 jr", 1095: "3 jr", 1461: "4 jr" };
/** line style per group, in the order of the groups (solid, dashed, dotted, dash-dot, …): SVG stroke-dasharray */
export const LIJNSTIJLEN = ["none", "7,4", "1.5,3", "9,3,1.5,3", "4,2", "12,4"];

/** note under every survival chart: what the points, lines and band are */
export const CURVE_NOOT =
  "Punten: gepubliceerde meetmomenten, lijnen verbinden ze; de band is het 95%-betrouwbaarheidsinterval. De tijdas is een wortelschaal: de eerste maanden krijgen meer ruimte.";
/** KMunicate's risk table also counts cumulative events and censored; the published set has only the number at risk */
export const RISICO_NIET_GEPUBLICEERD =
  "Het cumulatieve aantal gebeurtenissen en gecensureerden (zoals in een volledige risicotabel) wordt niet gepubliceerd.";

/**
 * A short sample of a group's line (colour and dash) for the risk table and other keys.
 * @param {string} kleur
 * @param {string} stijl stroke-dasharray ("none": solid)
 */
export function lijnStaal(kleur, stijl) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "bm-lijnstaal");
  svg.setAttribute("width", "26");
  svg.setAttribute("height", "10");
  svg.setAttribute("aria-hidden", "true");
  const line = document.createElementNS(ns, "line");
  for (const [k, v] of Object.entries({
    x1: "1",
    x2: "25",
    y1: "5",
    y2: "5",
    stroke: kleur,
    "stroke-width": "2.5",
    "stroke-dasharray": stijl,
  })) {
    line.setAttribute(k, v);
  }
  svg.append(line);
  return svg;
}

/**
 * @typedef {object} CurveOpties
 * @property {(string | number)[]} groepen
 * @property {string[]} kleuren
 * @property {string[]} [stijlen] stroke-dasharray per group (default: LIJNSTIJLEN in the order of the groups)
 * @property {Record<string, string>} [labels] group → label
 * @property {number} [width]
 * @property {number} [height]
 * @property {number} [maxDag]
 * @property {string} [yLabel]
 * @property {number[]} [risicoDagen]
 * @property {string} [risicoLabel]
 * @property {boolean} [risicotabel] the numbers at risk under the chart (default true; false for
 *   curves without published counts, such as weighted curves)
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
    stijlen = groepen.map((_, i) => /** @type {string} */ (LIJNSTIJLEN[i % LIJNSTIJLEN.length])),
    labels = {},
    width = 760,
    height = 380,
    maxDag = 1461,
    yLabel = "Cumulatief aandeel (%)",
    risicoDagen = RISICO_DAGEN,
    risicoLabel = "Aantal nog zonder werk en in observatie (‘at risk’)",
    risicotabel = true,
  } = /** @type {CurveOpties} */ ({}),
) {
  /** @param {string | number} g */
  const lab = (g) => labels[g] ?? String(g);
  // every cell hidden: say so instead of drawing an empty frame
  if (rows.length && !rows.some((r) => r.cum_incidentie != null)) return nietGetoond();
  const shown = rows.filter((r) => r.dag <= maxDag && r.cum_incidentie != null);
  const band = shown.filter((r) => r.lower != null && r.upper != null);
  const smal = isSmal(width);
  const px = fontPx(width);
  if (smal) height = Math.min(height, 320);

  // y: 0 to a rounded value above the highest upper bound (re-integration curves end near 25%)
  const top = bovengrensAandeel(shown.map((r) => r.upper ?? r.cum_incidentie));

  // direct labels at the line ends, wrapped on a phone; the right margin holds the longest line
  const eind = groepen
    .map((g, i) => {
      const eigen = shown.filter((r) => r.groep === g);
      const last = eigen.reduce((a, r) => (a == null || r.dag > a.dag ? r : a), /** @type {Rij | null} */ (null));
      return last && { g, i, last, tekst: ombreek(lab(g), smal ? 11 : 22) };
    })
    .filter((e) => e != null);
  const labelBreedte = Math.max(0, ...eind.map((e) => Math.max(...e.tekst.split("\n").map((l) => tekstBreedte(l, px)))));
  // room for the widest y tick ("100%") and its tick mark
  const marginLeft = Math.max(44, Math.ceil(tekstBreedte(pct(top), px)) + 14);
  const marginTop = 30;
  const marginBottom = 46;
  const marginRight = Math.min(Math.ceil(labelBreedte) + 12, Math.round(width * 0.4));
  const plotW = width - marginLeft - marginRight;
  const plotH = height - marginTop - marginBottom;
  const yPx = (/** @type {number} */ v) => marginTop + (1 - v / top) * plotH;
  const yVan = (/** @type {number} */ p) => top * (1 - (p - marginTop) / plotH);
  const lineH = px * 1.2;
  const xPx = (/** @type {number} */ d) => marginLeft + Math.sqrt(d / maxDag) * plotW;
  // labels that share horizontal room are nudged apart (curves ending at different days keep theirs)
  const spreid = spreidLabelsXY(
    eind.map((e) => {
      const regels = e.tekst.split("\n");
      return {
        x: xPx(e.last.dag) + 6,
        w: Math.max(...regels.map((r) => tekstBreedte(r, px))),
        y: yPx(e.last.cum_incidentie),
        h: regels.length * lineH,
      };
    }),
    { lo: 0, hi: height - marginBottom, gap: 2 },
  );
  const eindLabels = eind.map((e, k) => ({ ...e.last, labelY: yVan(spreid[k] ?? 0), tekst: e.tekst, kleur: kleuren[e.i] }));

  // time ticks that fit at this width (square-root positions, estimated label widths)
  const kandidaten = TIJD_TICKS.filter((d) => d <= maxDag);
  const ticks = dunTicks(kandidaten, xPx, (d) => tekstBreedte(TIJD_LABEL[d] ?? "", px), 8);

  const plot = Plot.plot({
    width,
    height,
    marginLeft,
    marginRight,
    marginTop,
    marginBottom,
    style: { fontSize: `${px}px` },
    x: {
      type: "sqrt",
      domain: [0, maxDag],
      ticks,
      tickFormat: (d) => TIJD_LABEL[d] ?? termijn(d),
      label: "Tijd na baaneinde →",
      labelAnchor: "right",
      labelOffset: 42,
    },
    y: {
      domain: [0, top],
      grid: true,
      ticks: Math.max(3, Math.min(10, Math.round(plotH / 40))),
      tickFormat: (d) => pct(d),
      label: `↑ ${yLabel}`,
    },
    color: { domain: groepen, range: kleuren },
    marks: [
      Plot.areaY(band, { x: "dag", y1: "lower", y2: "upper", fill: "groep", z: "groep", fillOpacity: 0.14, curve: "linear" }),
      ...groepen.map((g, i) =>
        Plot.lineY(
          shown.filter((r) => r.groep === g),
          {
            x: "dag",
            y: "cum_incidentie",
            stroke: "groep",
            strokeWidth: 2,
            curve: "linear",
            // Plot's types omit "none"; it is plain SVG (a solid line)
            strokeDasharray: stijlen[i] ?? "none",
          },
        ),
      ),
      Plot.dot(shown, { x: "dag", y: "cum_incidentie", fill: "groep", r: smal ? 1.6 : 2 }),
      Plot.ruleY([0]),
      Plot.text(eindLabels, {
        x: "dag",
        y: "labelY",
        text: "tekst",
        fill: "kleur",
        dx: 6,
        textAnchor: "start",
        lineAnchor: "middle",
        fontWeight: 600,
        stroke: "white",
        strokeWidth: 3,
        paintOrder: "stroke",
      }),
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
  const dagen = risicoDagen.filter((d) => d <= maxDag);
  const atRisk = el(
    "table",
    { class: "bm-tabel bm-risico" },
    el("caption", {}, "Nog in risico (aantal)"),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { scope: "col", class: "links" }, "Na"),
        dagen.map((d) => el("th", { scope: "col" }, d === 0 ? "start" : termijn(d))),
      ),
    ),
    el(
      "tbody",
      {},
      groepen.map((g, i) =>
        el(
          "tr",
          {},
          el("th", { scope: "row", class: "links" }, lijnStaal(kleuren[i] ?? "#000", stijlen[i] ?? "none"), lab(g)),
          dagen.map((d) => {
            const r = shown.find((x) => x.groep === g && x.dag === d);
            return el("td", {}, r ? getal(r.n_risico) : LEEG);
          }),
        ),
      ),
    ),
  );
  const streep = [...atRisk.querySelectorAll("td")].some((td) => td.textContent === LEEG);
  if (!risicotabel) return el("div", { class: "bm-survival" }, plot, el("p", { class: "bm-voetnoot bm-curve-noot" }, CURVE_NOOT));
  return el(
    "div",
    { class: "bm-survival" },
    plot,
    el("p", { class: "bm-voetnoot bm-curve-noot" }, CURVE_NOOT),
    // what the risk table counts, above it and outside its scroll box, so that it wraps on a phone
    el("p", { class: "bm-voetnoot bm-risico-uitleg" }, `${risicoLabel}. ${RISICO_NIET_GEPUBLICEERD}`),
    tabelScroller(
      atRisk,
      streep
        ? el("p", { class: "bm-voetnoot" }, "– niet getoond: de curve stopt waar een groep te weinig personen in observatie heeft")
        : null,
    ),
  );
}
