// A publication figure: title that states the finding, the chart, a caption with the definition,
// a table alternative in <details>, and a CSV download of exactly the rows shown.
import { LEEG, toCsv } from "./format.js";
import { bronTekst } from "./runStatus.js";
/** @typedef {import("./format.js").Rij} Rij */
/** @typedef {Node | string | number | null | undefined} Inhoud content of an element: a node, or text */
/**
 * A column of a table (and of its CSV download).
 * @typedef {{key: string, label: string, format?: (v: any, r: Rij) => string, value?: (r: Rij) => unknown, align?: "left" | "right", optional?: boolean, csvLabel?: string, csvValue?: (r: Rij) => unknown, aantal?: boolean, eenheid?: string}} Kolom
 */

export const VOETNOOT_ONDERDRUKT = "– niet getoond: te weinig personen";

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | null | undefined>} [attrs]
 * @param {...(Inhoud | Inhoud[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
export { el };

/**
 * The scroll container of a table: on a narrow screen a wide table scrolls sideways inside it
 * (never the page), with a visible cue: "schuif →" above it and a shadow at the cut edge
 * (style.css), until the reader has scrolled to the end.
 * @param {...(Inhoud | Inhoud[])} children
 */
export function tabelScroller(...children) {
  const hint = el("p", { class: "bm-schuif", "aria-hidden": "true", hidden: "" }, "schuif → voor de andere kolommen");
  const wrap = el("div", { class: "bm-tabel-wrap" }, hint, ...children);
  const check = () => {
    const meer = wrap.scrollWidth > wrap.clientWidth + 1;
    hint.hidden = !meer || wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1;
    wrap.toggleAttribute("data-schuift", meer);
    // keyboard users can scroll it too
    if (meer) wrap.setAttribute("tabindex", "0");
    else wrap.removeAttribute("tabindex");
  };
  if (typeof ResizeObserver !== "undefined") new ResizeObserver(check).observe(wrap);
  wrap.addEventListener("scroll", check, { passive: true });
  return wrap;
}

/** where this page's figures come from: the bm-herkomst meta of the page head (observablehq.config.ts) */
function herkomstVanPagina() {
  return document.querySelector('meta[name="bm-herkomst"]')?.getAttribute("content") ?? "onbekend";
}

/**
 * Table of rows with formatted columns. columns: [{key, label, format?, value?, align?}]
 * A null cell shows "–"; when any shown cell is null, the suppression footnote is added.
 * @param {Rij[]} rows
 * @param {Kolom[]} columns
 * @param {{caption?: Inhoud}} [opties]
 */
export function tabel(rows, columns, { caption } = {}) {
  let onderdrukt = false;
  const thead = el(
    "thead",
    {},
    el(
      "tr",
      {},
      columns.map((c, i) =>
        el("th", { scope: "col", class: c.align === "left" || (i === 0 && c.align !== "right") ? "links" : null }, c.label),
      ),
    ),
  );
  const tbody = el(
    "tbody",
    {},
    rows.map((r) =>
      el(
        "tr",
        {},
        columns.map((c, i) => {
          const v = c.value ? c.value(r) : r[c.key];
          if (v == null && !c.optional) onderdrukt = true;
          const text = v == null ? LEEG : c.format ? c.format(v, r) : String(v);
          return el(
            i === 0 ? "th" : "td",
            { scope: i === 0 ? "row" : null, class: c.align === "left" || (i === 0 && c.align !== "right") ? "links" : null },
            text,
          );
        }),
      ),
    ),
  );
  const t = el("table", { class: "bm-tabel" }, caption ? el("caption", {}, caption) : null, thead, tbody);
  const wrap = tabelScroller(t);
  if (onderdrukt) wrap.append(el("p", { class: "bm-voetnoot" }, VOETNOOT_ONDERDRUKT));
  return wrap;
}

/**
 * Button that downloads rows as a Dutch CSV (";", decimal comma), built client-side from the shown rows.
 * @param {Rij[]} rows
 * @param {Kolom[]} columns
 * @param {string} bestand
 */
export function downloadKnop(rows, columns, bestand) {
  const b = el("button", { type: "button", class: "bm-download", "data-bestand": `${bestand}.csv` }, "Download CSV");
  b.addEventListener("click", () => {
    const csv = toCsv(
      rows,
      columns.map((c) => ({
        key: c.key,
        label: c.csvLabel ?? c.label,
        value: c.csvValue ?? c.value,
        optional: c.optional,
        aantal: c.aantal,
        eenheid: c.eenheid,
      })),
    );
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const a = el("a", { href: url, download: `${bestand}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  return b;
}

/**
 * figuur({id, titel, chart, bijschrift, rows, columns, bestand, rapport, extra})
 * titel: the finding in words (computed by the page from the data). The source line ("Bron: …")
 * names where the data come from (UWV, or synthetic: the page head's bm-herkomst meta, written at
 * build time from run.json; runStatus.js) and `rapport`, where the report shows this figure.
 * @param {{id?: string, titel: Inhoud, ondertitel?: Inhoud, chart: Element | null | undefined, bijschrift: Inhoud, rows: Rij[], columns: Kolom[], bestand: string, rapport?: string, extra?: Inhoud, tabelOpen?: boolean}} figuur
 */
export function figuur({ id, titel, ondertitel, chart, bijschrift, rows, columns, bestand, rapport, extra, tabelOpen = false }) {
  if (!rows.length) {
    // an empty table in the published set (e.g. a run on a tiny extract): say so, draw nothing
    return el(
      "figure",
      { class: "bm-figuur bm-figuur--leeg", "data-figuur": id ?? bestand, "data-leeg": "1" },
      el("h3", { class: "bm-figuur__titel" }, "Geen gegevens in deze publicatieset"),
      el("p", { class: "bm-voetnoot" }, "Voor deze figuur bevat de publicatieset van deze run geen (publiceerbare) rijen."),
      el("figcaption", { class: "bm-figuur__bijschrift" }, bijschrift),
    );
  }
  // screen readers: the chart's svg carries the finding as its label
  const svg = chart?.querySelector?.("svg[class^='plot']") ?? (chart?.tagName === "svg" ? chart : null);
  if (svg && typeof titel === "string") {
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", titel);
  }
  const hasNull = rows.some((r) => columns.some((c) => !c.optional && (c.value ? c.value(r) : r[c.key]) == null));
  const details = el("details", { class: "bm-details" }, el("summary", {}, "Tabel bij deze figuur"), tabel(rows, columns));
  if (tabelOpen) details.open = true;
  return el(
    "figure",
    { class: "bm-figuur", "data-figuur": id ?? bestand },
    el("h3", { class: "bm-figuur__titel" }, titel),
    ondertitel ? el("p", { class: "bm-figuur__ondertitel" }, ondertitel) : null,
    el("div", { class: "bm-figuur__grafiek" }, chart),
    extra ?? null,
    el(
      "figcaption",
      { class: "bm-figuur__bijschrift" },
      bijschrift,
      el("span", { class: "bm-bron" }, ` Bron: ${bronTekst(herkomstVanPagina(), rapport)}.`),
      hasNull ? el("span", { class: "bm-voetnoot" }, ` ${VOETNOOT_ONDERDRUKT}.`) : null,
    ),
    el("div", { class: "bm-figuur__acties" }, details, downloadKnop(rows, columns, bestand)),
  );
}

/**
 * a headline figure card: big number, label, comparison line, link
 * @param {{waarde: Inhoud, label: Inhoud, vergelijking?: Inhoud, href: string, linkTekst?: string}} kaart
 */
export function kerncijfer({ waarde, label, vergelijking, href, linkTekst = "Meer" }) {
  return el(
    "a",
    { class: "bm-kaart", href },
    el("div", { class: "bm-kaart__waarde" }, waarde),
    el("div", { class: "bm-kaart__label" }, label),
    vergelijking ? el("div", { class: "bm-kaart__vergelijking" }, vergelijking) : null,
    el("div", { class: "bm-kaart__link" }, `${linkTekst} →`),
  );
}

/**
 * a compact comparison line: coloured swatch + label + value per group
 * @param {{kleur: string, label: string, waarde: string}[]} items
 */
export function vergelijkRegel(items) {
  return el(
    "div",
    { class: "bm-vergelijk" },
    items.map(({ kleur, label, waarde }) =>
      el("span", {}, el("span", { class: "bm-swatch", style: `background:${kleur}` }), `${label} ${waarde}`),
    ),
  );
}
