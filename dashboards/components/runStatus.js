// The one banner mechanism of the site: a run whose published set must not be mistaken for a
// release says so at the top of every page. Evaluated at build time (observablehq.config.ts
// reads <publish>/run.json). Fail-safe: an unreadable run.json, a run marked
// --niet-voor-publicatie, or disclosure thresholds below the publication floor all give a banner.
// (Issue-independent: a synthetic-data marking can add its own reason here.)

/** Publication floor of the disclosure rules (mirror of DISCLOSURE_FLOOR in pipeline/config.ts; a test keeps them equal). */
export const PUBLICATIEGRENS = { minAantal: 10, minNoemer: 50, minAtRisk: 10, beschermingsmarge: 5 };

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
  return redenen;
}

/** @param {unknown} s */
const esc = (s) =>
  String(s).replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[/** @type {"&" | "<" | ">" | '"'} */ (c)],
  ); // c: one of the pattern's characters

/**
 * HTML of the banner, or "" when the set may be published.
 * @param {any} run
 */
export function bannerHtml(run) {
  const redenen = nietVoorPublicatie(run);
  if (!redenen.length) return "";
  return (
    `<div class="bm-banner" role="alert" data-banner="niet-voor-publicatie"><strong>Niet voor publicatie.</strong> ` +
    `Deze cijfers mogen niet naar buiten: ${esc(redenen.join("; "))}.</div>`
  );
}
