// Small helpers that turn published tables into the sentences of titles and captions.
import { JOBCOACH_LABEL, groepLabel, ordenGroepen } from "./colors.js";
import { getal, pct, termijn } from "./format.js";
/** @typedef {import("./format.js").Rij} Rij */

/**
 * value of a reading point (leespunten row) or null
 * @param {Rij[]} rows
 * @param {{kenmerk: string, groep: string | number, dag: number, methode?: string}} punt
 * @returns {number | null}
 */
export function leespunt(rows, punt) {
  return leespuntRij(rows, punt)?.cum_incidentie ?? null;
}
/**
 * the reading point's row (cum_incidentie with its 95% interval lower, upper) or undefined
 * @param {Rij[]} rows
 * @param {{kenmerk: string, groep: string | number, dag: number, methode?: string}} punt
 * @returns {Rij | undefined}
 */
export function leespuntRij(rows, { kenmerk, groep, dag, methode = "km" }) {
  return rows.find((x) => x.kenmerk === kenmerk && String(x.groep) === String(groep) && x.dag === dag && (x.methode ?? "km") === methode);
}
/**
 * groups of a kenmerk in reading order (colors.js ordenGroepen: jobcoach extern, intern, geen;
 * education laag, midden, hoog; "onbekend" last; otherwise as they appear)
 * @param {Rij[]} rows
 * @param {string} kenmerk
 * @returns {string[]}
 */
export function groepenVan(rows, kenmerk) {
  return ordenGroepen(
    kenmerk,
    rows.filter((r) => r.kenmerk === kenmerk).map((r) => String(r.groep)),
  );
}
/**
 * "externe jobcoach 67%, geen jobcoach 68%" — the levels side by side (no claim of a difference);
 * suppressed groups are left out of the sentence, and with none shown it is the site's mark of a
 * hidden cell, "–" (a title never ends in "bij" or ":")
 * @param {Rij[]} rows
 * @param {string} kenmerk
 * @param {number} dag
 * @param {string} [methode]
 * @param {(g: string) => string} [naam] label of a group (default: colors.js groepLabel)
 */
export function vergelijkingZin(rows, kenmerk, dag, methode = "km", naam) {
  return (
    groepenVan(rows, kenmerk)
      .map(/** @returns {[string, number | null]} */ (g) => [g, leespunt(rows, { kenmerk, groep: g, dag, methode })])
      .filter(([, v]) => v != null)
      .map(
        ([g, v]) =>
          `${kenmerk === "jobcoach" ? (JOBCOACH_LABEL[g] ?? g).toLowerCase() : naam ? naam(g) : groepLabel(kenmerk, g)} ${pct(v)}`,
      )
      .join(", ") || "–"
  );
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
 * a difference in shares as signed percentage points, e.g. "+1,2"
 * @param {number} x
 */
export const punten = (x) => `${x > 0 ? "+" : ""}${getal(x * 100, 1)}`;

/**
 * a published difference with its 95% interval: "+1,2 punten (95%-BI 0,4 tot 2,0)"
 * @param {Rij | null | undefined} r row with verschil, lower, upper (fractions)
 */
export const puntenBi = (r) =>
  r?.verschil == null ? "niet getoond" : `${punten(r.verschil)} punten (95%-BI ${punten(r.lower)} tot ${punten(r.upper)})`;

/**
 * The differences extern − geen and intern − geen at a reading point, as published by
 * `vergelijking` (unadjusted; 95% intervals that allow for several endings per person), as a
 * sentence for managers. Empty when nothing is published at that point.
 * @param {Rij[]} verschillen the `verschillen` table of vergelijking.json
 * @param {number} [dag]
 */
export function verschilZin(verschillen, dag = 365) {
  const rows = verschillen.filter((r) => r.methode === "ongecorrigeerd" && r.dag === dag && r.verschil != null);
  if (!rows.length) return "";
  const naam = (/** @type {Rij} */ r) => (String(r.vergelijking).startsWith("extern") ? "extern" : "intern");
  return (
    `Verschil met geen jobcoach na ${termijn(dag)}: ${rows.map((r) => `${naam(r)} ${puntenBi(r)}`).join("; ")}. ` +
    "Deze intervallen houden er rekening mee dat één persoon meerdere banen kan verliezen; het verschil gewogen naar kenmerken staat op de pagina Vergelijking jobcoach."
  );
}

/** For a breakdown without person-level intervals: what the published intervals assume. */
export const ONAFHANKELIJK_ZIN =
  "De 95%-intervallen gaan uit van onafhankelijke baaneindes. Omdat een deel van de mensen meer dan één baan verliest, zijn ze iets te smal (in de synthetische gegevens ongeveer een tiende); tel een klein verschil daarom niet als zeker.";

// ---------------------------------------------------------------------------------------------
// Reliable titles. A title states a rise, a fall or an extreme only when it is larger than its
// uncertainty; otherwise it describes the level ("ongeveer gelijk", "schommelt rond"). The rules
// (stated on the method page, "Wat de titels zeggen"):
// - estimates with a published 95% interval (lower, upper): clearly different when the two
//   intervals do not overlap (conservative: two estimates whose intervals just overlap can still
//   differ at the 5% level);
// - counts (Poisson): |a − b| > 1,96 · √(a + b);
// - shares with a known denominator (binomial, normal approximation):
//   |p₁ − p₂| > 1,96 · √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂);
// - "Onbekend" is never named as an extreme.
// ---------------------------------------------------------------------------------------------
/** z of a two-sided 95% interval */
export const Z95 = 1.96;
/** @param {unknown} x @returns {x is number} */
const isGetal = (x) => typeof x === "number" && Number.isFinite(x);

/**
 * two estimates with 95% intervals: clearly different when the intervals do not overlap
 * @param {{lower?: number | null, upper?: number | null} | null | undefined} a
 * @param {{lower?: number | null, upper?: number | null} | null | undefined} b
 */
export function intervallenApart(a, b) {
  if (!a || !b || !isGetal(a.lower) || !isGetal(a.upper) || !isGetal(b.lower) || !isGetal(b.upper)) return false;
  return a.upper < b.lower || b.upper < a.lower;
}
/**
 * two counts (Poisson): clearly different when |a − b| > 1,96 · √(a + b)
 * @param {number | null | undefined} a
 * @param {number | null | undefined} b
 */
export function tellingenApart(a, b) {
  if (!isGetal(a) || !isGetal(b) || a + b <= 0) return false;
  return Math.abs(a - b) > Z95 * Math.sqrt(a + b);
}
/**
 * two shares with their denominators (binomial, normal approximation)
 * @param {number | null | undefined} p1
 * @param {number | null | undefined} n1
 * @param {number | null | undefined} p2
 * @param {number | null | undefined} n2
 */
export function aandelenApart(p1, n1, p2, n2) {
  if (!isGetal(p1) || !isGetal(p2) || !isGetal(n1) || !isGetal(n2) || n1 <= 0 || n2 <= 0) return false;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return se > 0 ? Math.abs(p1 - p2) > Z95 * se : p1 !== p2;
}
/**
 * approximate 95% interval of a share with denominator n (Wilson), for regions without a
 * published interval
 * @param {number | null | undefined} p
 * @param {number | null | undefined} n
 * @returns {{lower: number, upper: number} | null}
 */
export function aandeelInterval(p, n) {
  if (!isGetal(p) || !isGetal(n) || n <= 0) return null;
  const z2 = Z95 * Z95;
  const midden = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { lower: Math.max(0, midden - half), upper: Math.min(1, midden + half) };
}
/**
 * "steeg" / "daalde" when the change is larger than its uncertainty, else null (then describe the level)
 * @param {number | null | undefined} a
 * @param {number | null | undefined} b
 * @param {boolean} apart the outcome of one of the rules above for a and b
 * @returns {"steeg" | "daalde" | null}
 */
export function betrouwbareRichting(a, b, apart) {
  if (!apart || !isGetal(a) || !isGetal(b) || a === b) return null;
  return b > a ? "steeg" : "daalde";
}
/**
 * A sentence on a change from a to b: "steeg van 8% (2015) naar 37% (2019)" when the change is
 * larger than its uncertainty, else "was 8% (2015) en 9% (2019): ongeveer gelijk".
 * @param {{van: number | null | undefined, naar: number | null | undefined, apart: boolean, fmt: (x: number | null | undefined) => string, wanneerVan: string, wanneerNaar: string}} o
 */
export function veranderingZin({ van, naar, apart, fmt, wanneerVan, wanneerNaar }) {
  const r = betrouwbareRichting(van, naar, apart);
  return r
    ? `${r} van ${fmt(van)} (${wanneerVan}) naar ${fmt(naar)} (${wanneerNaar})`
    : `was ${fmt(van)} (${wanneerVan}) en ${fmt(naar)} (${wanneerNaar}): ongeveer gelijk`;
}
/** groups never named as an extreme in a title */
const GEEN_UITERSTE = new Set(["onbekend", "totaal"]);
/**
 * The lowest and highest of a set of estimates, named only when they are clearly apart (the
 * `apart` rule on the two); "onbekend" and "totaal" are never an extreme. Returns null when
 * there are fewer than two groups or the extremes are not clearly apart (then describe the level).
 * @template {{groep: string | number, waarde: number | null | undefined}} T
 * @param {T[]} items
 * @param {(a: T, b: T) => boolean} apart
 * @returns {{laagste: T, hoogste: T} | null}
 */
export function uitersten(items, apart) {
  const kandidaten = items.filter((x) => isGetal(x.waarde) && !GEEN_UITERSTE.has(String(x.groep).toLowerCase()));
  if (kandidaten.length < 2) return null;
  const s = [...kandidaten].sort((a, b) => /** @type {number} */ (a.waarde) - /** @type {number} */ (b.waarde));
  const laagste = /** @type {T} */ (s[0]),
    hoogste = /** @type {T} */ (s.at(-1));
  return apart(laagste, hoogste) ? { laagste, hoogste } : null;
}
/**
 * The calendar month with the most of a count, named only when its total over the years is
 * clearly above the mean of the other months (Poisson: |a − m| > 1,96 · √(a + m/(k−1)), m the
 * mean of the k−1 other months' totals). Returns the month index 0..11 or null.
 * @param {number[]} totalen count per calendar month (summed over the years, complete months only)
 */
export function duidelijkeTopmaand(totalen) {
  if (totalen.length < 2 || !totalen.every(isGetal)) return null;
  const top = Math.max(...totalen);
  const i = totalen.indexOf(top);
  const rest = totalen.filter((_, j) => j !== i);
  const m = rest.reduce((s, x) => s + x, 0) / rest.length;
  return top - m > Z95 * Math.sqrt(top + m / rest.length) ? i : null;
}
/**
 * two means without a published spread, with the numbers behind them: clearly different when
 * |m₁ − m₂| > 1,96 · √(s₁²/n₁ + s₂²/n₂), where the spread s is taken as `spreiding(m)`:
 * for counts per person (Poisson) s² = m, for durations (roughly exponential) s = m. A rough
 * rule, stated on the method page; with thousands of endings per group it rarely decides.
 * @param {number | null | undefined} m1
 * @param {number | null | undefined} n1
 * @param {number | null | undefined} m2
 * @param {number | null | undefined} n2
 * @param {"telling" | "duur"} soort
 */
export function gemiddeldenApart(m1, n1, m2, n2, soort) {
  if (!isGetal(m1) || !isGetal(m2) || !isGetal(n1) || !isGetal(n2) || n1 <= 0 || n2 <= 0) return false;
  const variantie = (/** @type {number} */ m) => (soort === "telling" ? Math.abs(m) : m * m);
  return Math.abs(m1 - m2) > Z95 * Math.sqrt(variantie(m1) / n1 + variantie(m2) / n2);
}
