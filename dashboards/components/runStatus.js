// The one banner mechanism of the site: a published set that must not be mistaken for an
// official release says so at the top of every page. Evaluated at build time
// (observablehq.config.ts reads <publish>/run.json). Two kinds of notice, one banner:
// - "synthetisch": the run read the generator's synthetic extracts (run.json invoer.synthetisch,
//   from the marker file in the extracts folder; pipeline/ingest/synthetic-marker.ts);
// - "niet-voor-publicatie": a run marked --niet-voor-publicatie, disclosure thresholds below the
//   publication floor, or a run.json that cannot tell (unreadable, or without invoer.synthetisch).
// Fail-safe: whatever cannot be established gives a banner, never silence.

/** Publication floor of the disclosure rules (mirror of DISCLOSURE_FLOOR in pipeline/config.ts; a test keeps them equal). */
export const PUBLICATIEGRENS = { minAantal: 10, minNoemer: 50, minAtRisk: 10, beschermingsmarge: 5 };

export const SYNTHETISCH_KOP = "Synthetische gegevens — geen UWV-statistiek";
/** source line of every chart on a synthetic run ("Bron: …") */
export const BRON_SYNTHETISCH = "synthetische gegevens (baanmonitor)";
export const BRON_UWV = "UWV";

/**
 * Where the figures come from: "uwv" only when run.json says the extracts had no synthetic
 * marker, "synthetisch" when they had, otherwise "onbekend".
 * @param {any} run parsed run.json, or null
 * @returns {"uwv" | "synthetisch" | "onbekend"}
 */
export function herkomst(run) {
  const s = run && typeof run === "object" ? run.invoer?.synthetisch : undefined;
  return s === false ? "uwv" : s === true ? "synthetisch" : "onbekend";
}

/**
 * The source line of a chart ("Bron: …"): the origin of the data, then where the report shows the figure.
 * @param {string | null | undefined} herkomstWaarde "uwv" | "synthetisch" | "onbekend"
 * @param {string} [rapport]
 */
export function bronTekst(herkomstWaarde, rapport) {
  const bron =
    herkomstWaarde === "uwv" ? BRON_UWV : herkomstWaarde === "synthetisch" ? BRON_SYNTHETISCH : "onbekend (zie de melding bovenaan)";
  return rapport ? `${bron}, ${rapport}` : bron;
}

/**
 * Reasons why this published set is not a release (empty: none).
 * @param {any} run parsed run.json, or null when it could not be read
 * @returns {string[]}
 */
export function nietVoorPublicatie(run) {
  if (!run || typeof run !== "object") return ["de herkomst van deze cijfers is onbekend (run.json ontbreekt of is onleesbaar)"];
  const redenen = [];
  if (run.publicatie?.voor_publicatie === false) redenen.push("de run is gedraaid met --niet-voor-publicatie");
  const d = run.parameters?.disclosure ?? {};
  const laag = Object.entries(PUBLICATIEGRENS).filter(([k, grens]) => !(typeof d[k] === "number" && d[k] >= grens));
  if (laag.length) redenen.push(`de geheimhoudingsdrempels liggen onder de publicatiegrens (${laag.map(([k]) => k).join(", ")})`);
  if (typeof run.invoer?.synthetisch !== "boolean")
    redenen.push("de run legt niet vast of de invoer synthetisch is (run.json zonder invoer.synthetisch: draai de pijplijn opnieuw)");
  return redenen;
}

/**
 * The notices of this published set, in the order they are shown.
 * @param {any} run
 * @returns {{soort: "synthetisch" | "niet-voor-publicatie", kop: string, tekst: string}[]}
 */
export function meldingen(run) {
  /** @type {{soort: "synthetisch" | "niet-voor-publicatie", kop: string, tekst: string}[]} */
  const m = [];
  if (herkomst(run) === "synthetisch")
    m.push({
      soort: "synthetisch",
      kop: `${SYNTHETISCH_KOP}.`,
      tekst: "Deze cijfers komen uit de gesimuleerde wereld van baanmonitor, niet uit registraties van UWV.",
    });
  const redenen = nietVoorPublicatie(run);
  if (redenen.length)
    m.push({
      soort: "niet-voor-publicatie",
      kop: "Niet voor publicatie.",
      tekst: `Deze cijfers mogen niet naar buiten: ${redenen.join("; ")}.`,
    });
  return m;
}

/** @param {unknown} s */
const esc = (s) =>
  String(s).replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[/** @type {"&" | "<" | ">" | '"'} */ (c)],
  ); // c: one of the pattern's characters

/**
 * HTML of the banner, or "" when the set may be published as UWV figures.
 * @param {any} run
 */
export function bannerHtml(run) {
  const m = meldingen(run);
  if (!m.length) return "";
  return (
    `<div class="bm-banner" role="alert" data-banner="${m.map((x) => x.soort).join(" ")}">` +
    m.map((x) => `<p><strong>${esc(x.kop)}</strong> ${esc(x.tekst)}</p>`).join("") +
    `</div>`
  );
}

/**
 * A `<meta>` for the page head telling the chart components where the figures come from
 * (figure.js reads it for the source line): "uwv", "synthetisch" or "onbekend".
 * @param {any} run
 */
export function herkomstMeta(run) {
  return `<meta name="bm-herkomst" content="${herkomst(run)}">`;
}

/**
 * A `<meta>` with the smallest number of persons a shown cell has (disclosure.minAantal of this
 * run), for the "niet getoond" reason of a chart whose cells are all hidden (nietGetoond.js).
 * @param {any} run
 */
export function drempelMeta(run) {
  const n = run?.parameters?.disclosure?.minAantal;
  return typeof n === "number" && Number.isFinite(n) ? `<meta name="bm-min-aantal" content="${n}">` : "";
}
