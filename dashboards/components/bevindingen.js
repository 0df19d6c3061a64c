// Small helpers that turn published tables into the sentences of titles and captions.
import { JOBCOACH_LABEL, groepLabel } from "./colors.js";
import { getal, pct, pWaarde } from "./format.js";
/** @typedef {import("./format.js").Rij} Rij */

/**
 * value of a reading point (leespunten row) or null
 * @param {Rij[]} rows
 * @param {{kenmerk: string, groep: string | number, dag: number, methode?: string}} punt
 * @returns {number | null}
 */
export function leespunt(rows, { kenmerk, groep, dag, methode = "km" }) {
  const r = rows.find(
    (x) => x.kenmerk === kenmerk && String(x.groep) === String(groep) && x.dag === dag && (x.methode ?? "km") === methode,
  );
  return r?.cum_incidentie ?? null;
}
/**
 * groups of a kenmerk in the order they appear (jobcoach: extern, intern, geen)
 * @param {Rij[]} rows
 * @param {string} kenmerk
 * @returns {string[]}
 */
export function groepenVan(rows, kenmerk) {
  const gs = [...new Set(rows.filter((r) => r.kenmerk === kenmerk).map((r) => String(r.groep)))];
  if (kenmerk === "jobcoach") return ["extern", "intern", "geen"].filter((g) => gs.includes(g));
  return gs;
}
/**
 * "externe jobcoach 67%, geen jobcoach 68%" — suppressed groups are left out of the sentence
 * @param {Rij[]} rows
 * @param {string} kenmerk
 * @param {number} dag
 * @param {string} [methode]
 */
export function vergelijkingZin(rows, kenmerk, dag, methode = "km") {
  return groepenVan(rows, kenmerk)
    .map(/** @returns {[string, number | null]} */ (g) => [g, leespunt(rows, { kenmerk, groep: g, dag, methode })])
    .filter(([, v]) => v != null)
    .map(([g, v]) => `${kenmerk === "jobcoach" ? (JOBCOACH_LABEL[g] ?? g).toLowerCase() : groepLabel(kenmerk, g)} ${pct(v)}`)
    .join(", ");
}
/**
 * sum that is null when any part is suppressed (null) or there are no parts
 * @param {Iterable<number | null | undefined>} values
 * @returns {number | null}
 */
export function som(values) {
  const v = [...values];
  return v.length && v.every((x) => x != null) ? v.reduce((a, b) => a + b, 0) : null;
}
/**
 * a / b, null when either is missing or b is 0
 * @param {number | null | undefined} a
 * @param {number | null | undefined} b
 */
export function deel(a, b) {
  return a == null || b == null || b === 0 ? null : a / b;
}
/**
 * "steeg" / "daalde" / "bleef gelijk" for a change from a to b (tolerance in the same unit)
 * @param {number | null | undefined} a
 * @param {number | null | undefined} b
 */
export function richting(a, b, tolerantie = 0.005) {
  if (a == null || b == null) return "veranderde";
  return b - a > tolerantie ? "steeg" : a - b > tolerantie ? "daalde" : "bleef gelijk";
}
/**
 * overall value: the published `totaal` row, else weighted over the groups (weights: aantallen.n)
 * @param {{leespunten: Rij[], aantallen: Rij[]}} t
 * @param {string} kenmerk
 * @param {number} dag
 * @param {string} [methode]
 */
export function totaalOverGroepen(t, kenmerk, dag, methode = "km") {
  const tot = leespunt(t.leespunten, { kenmerk: "totaal", groep: "totaal", dag, methode });
  if (tot != null) return tot;
  let s = 0,
    n = 0;
  for (const a of t.aantallen.filter((x) => x.kenmerk === kenmerk)) {
    const v = leespunt(t.leespunten, { kenmerk, groep: a.groep, dag, methode });
    if (v == null || a.n == null) return null;
    s += v * a.n;
    n += a.n;
  }
  return n ? s / n : null;
}
/**
 * log-rank result in plain Dutch
 * @param {{chikwadraat?: number | null, df?: number | null, p?: number | null} | null | undefined} lr
 */
export function logrankZin(lr) {
  if (!lr || lr.chikwadraat == null) return "Voor deze indeling is geen log-ranktoets beschikbaar.";
  const sig = lr.p != null && lr.p < 0.05;
  return (
    `${sig ? "De curves verschillen statistisch significant" : "De curves verschillen niet statistisch significant"} (log-ranktoets: χ² = ${getal(lr.chikwadraat, 1)}, ${lr.df} ${lr.df === 1 ? "vrijheidsgraad" : "vrijheidsgraden"}, ${pWaarde(lr.p)}). ` +
    (sig
      ? "Dat betekent dat het verschil waarschijnlijk niet op toeval berust — niet dat het kenmerk het verschil veroorzaakt."
      : "Het verschil kan op toeval berusten.")
  );
}
