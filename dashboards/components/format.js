// Dutch (nl-NL) number, percentage, duration and date formatting — one home for the whole site.
// Missing or suppressed values (null/undefined/NaN) show as "–" (en dash).
export const LEEG = "–";
/** @typedef {Record<string, any>} Rij a row of a published table (docs/publish.md) */
/**
 * A column of a CSV download (see toCsv).
 * @typedef {{key: string, label?: string, value?: (r: Rij) => unknown, optional?: boolean, aantal?: boolean, eenheid?: string}} CsvKolom
 */
/**
 * @param {unknown} x
 * @returns {x is number}
 */
const isNum = (x) => typeof x === "number" && Number.isFinite(x);
/** @type {Map<string, Intl.NumberFormat>} */
const cache = new Map();
/**
 * @param {number} min
 * @param {number} max
 * @param {Intl.NumberFormatOptions["style"]} [style]
 */
function nf(min, max, style) {
  const key = `${min}|${max}|${style}`;
  if (!cache.has(key)) cache.set(key, new Intl.NumberFormat("nl-NL", { minimumFractionDigits: min, maximumFractionDigits: max, style }));
  return /** @type {Intl.NumberFormat} */ (cache.get(key));
}

/**
 * 1234.5 → "1.234,5" (digits = fraction digits, fixed)
 * @param {unknown} x
 * @param {number} [digits]
 */
export function getal(x, digits = 0) {
  return isNum(x) ? nf(digits, digits).format(x) : LEEG;
}
/**
 * fraction 0..1 → "12%"
 * @param {unknown} x
 * @param {number} [digits]
 */
export function pct(x, digits = 0) {
  return isNum(x) ? nf(digits, digits, "percent").format(x) : LEEG;
}
/**
 * fraction → "12" (percent number without sign, for axes)
 * @param {unknown} x
 * @param {number} [digits]
 */
export function pctGetal(x, digits = 0) {
  return isNum(x) ? nf(digits, digits).format(x * 100) : LEEG;
}
/**
 * months → "3 mnd"
 * @param {unknown} x
 * @param {number} [digits]
 */
export function maanden(x, digits = 0) {
  return isNum(x) ? `${getal(x, digits)} mnd` : LEEG;
}
/**
 * days → "12 dagen" / "1 dag"
 * @param {unknown} x
 */
export function dagen(x) {
  return isNum(x) ? `${getal(x)} ${Math.round(x) === 1 ? "dag" : "dagen"}` : LEEG;
}
/**
 * euro → "€ 9,25"
 * @param {unknown} x
 * @param {number} [digits]
 */
export function euro(x, digits = 2) {
  return isNum(x) ? `€ ${getal(x, digits)}` : LEEG;
}
/** @type {Record<number, string>} */
const LEESPUNT = {
  0: "direct",
  7: "1 week",
  30: "1 maand",
  91: "3 maanden",
  182: "6 maanden",
  365: "1 jaar",
  730: "2 jaar",
  1095: "3 jaar",
  1461: "4 jaar",
};
/**
 * reading point in days → "1 week", "3 maanden", "1 jaar"; other values in days
 * @param {unknown} d
 */
export function termijn(d) {
  if (!isNum(d)) return LEEG;
  if (LEESPUNT[d]) return LEESPUNT[d];
  if (d >= 365 && d % 365 < 3) return `${Math.round(d / 365)} jaar`;
  return dagen(d);
}
/**
 * day number → month tick: 0, 3 mnd, 1 jaar … (for survival axes)
 * @param {number} d
 */
export function dagAsLabel(d) {
  if (d === 0) return "0";
  const m = Math.round(d / 30.44);
  return m % 12 === 0 ? `${m / 12} jr` : `${m} mnd`;
}
const MAANDEN = [
  "januari",
  "februari",
  "maart",
  "april",
  "mei",
  "juni",
  "juli",
  "augustus",
  "september",
  "oktober",
  "november",
  "december",
];
const MND = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
/**
 * "2019-12-31" → "31 december 2019"
 * @param {string | null | undefined} iso
 */
export function datum(iso) {
  if (typeof iso !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(iso)) return iso ?? LEEG;
  const [y, m, d] = /** @type {[number, number, number]} */ (iso.slice(0, 10).split("-").map(Number)); // the pattern above guarantees three parts
  return `${d} ${MAANDEN[m - 1]} ${y}`;
}
/**
 * "2019-03" → "mrt 2019"
 * @param {string | null | undefined} ym
 */
export function maand(ym) {
  if (typeof ym !== "string" || !/^\d{4}-\d{2}/.test(ym)) return ym ?? LEEG;
  const [y, m] = /** @type {[number, number]} */ (ym.split("-").map(Number)); // the pattern above guarantees both parts
  return `${MND[m - 1]} ${y}`;
}
/**
 * p-value in words-friendly form
 * @param {unknown} p
 */
export function pWaarde(p) {
  if (!isNum(p)) return LEEG;
  return p < 0.001 ? "p < 0,001" : `p = ${getal(p, 3)}`;
}

/** marker for a cell hidden by disclosure control in CSV downloads (CBS convention: x = geheim) */
export const CSV_ONDERDRUKT = "x";
/** count columns of the published set (docs/publish.md): an empty cell there is always hidden */
const TELLINGEN = new Set([
  "aantal",
  "n",
  "personen",
  "eindes",
  "verliezen",
  "diensten",
  "eigen",
  "gebeurtenissen",
  "lopende_banen",
  "baaneindes",
  "actieve_jobcoachperiodes",
  "n_risico",
]);
export const CSV_TOELICHTING = "x = niet getoond: te weinig personen (onthullingsbeheersing)";

/** share columns of the published set: fractions 0..1, rounded to 3 decimals (docs/publish.md) */
const isAandeel = (/** @type {string} */ key) => /^(aandeel|cum_incidentie|lower|upper)(_|$)/.test(key);

/**
 * the CSV header of a column: its label with its unit, e.g. "Aandeel (fractie 0–1)"; a label that
 * already names a unit in brackets is kept
 * @param {CsvKolom} c
 */
function kopMetEenheid(c) {
  const label = c.label ?? c.key;
  const eenheid = c.eenheid ?? (isAandeel(c.key) ? "fractie 0–1" : undefined);
  return eenheid && !/\(.*\)/.test(label) ? `${label} (${eenheid})` : label;
}

/**
 * Dutch-friendly CSV (";" separator, decimal comma, UTF-8 BOM for Excel, ja/nee for booleans,
 * shares rounded as published, headers with units). columns: [{key, label, value?, optional?,
 * aantal?, eenheid?}] (`aantal` defaults to true for the count columns of
 * docs/publish.md). An empty cell (null) is written as:
 * - `x` when disclosure control hid it: a count column (`aantal: true`) is never undefined, so
 *   its empty cell is always hidden; another column's empty cell is hidden unless its row says
 *   `onderdrukt: false` (then the value is not defined, e.g. a median not reached);
 * - empty when the value is not defined, or the column is `optional`.
 * When any `x` is written, a last column "Opmerking" explains it on those rows.
 * @param {Rij[]} rows
 * @param {CsvKolom[]} columns
 * @returns {string}
 */
export function toCsv(rows, columns) {
  /** @param {unknown} v */
  const cell = (v) => {
    if (v == null || (typeof v === "number" && !Number.isFinite(v))) return "";
    const s = typeof v === "number" ? String(v).replace(".", ",") : typeof v === "boolean" ? (v ? "ja" : "nee") : String(v);
    return /[";\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  /**
   * a number as published: shares to 3 decimals (docs/publish.md), other numbers without
   * floating-point noise (a share computed in the page, 0.30000000000000004)
   * @param {CsvKolom} c
   * @param {unknown} v
   */
  const rond = (c, v) => {
    if (typeof v !== "number" || !Number.isFinite(v) || Number.isInteger(v)) return v;
    return isAandeel(c.key) ? Math.round(v * 1000) / 1000 : Number(v.toPrecision(10));
  };
  /** @param {unknown} v */
  const leeg = (v) => v == null || (typeof v === "number" && !Number.isFinite(v));
  let metX = false;
  const body = rows.map((r) => {
    let x = false;
    const cells = columns.map((c) => {
      const v = c.value ? c.value(r) : r[c.key];
      if (!leeg(v)) return cell(rond(c, v));
      if (!c.optional && ((c.aantal ?? TELLINGEN.has(c.key)) || r.onderdrukt !== false)) {
        x = true;
        return CSV_ONDERDRUKT;
      }
      return "";
    });
    metX ||= x;
    return { cells, x };
  });
  const head = [...columns.map((c) => cell(kopMetEenheid(c))), ...(metX ? ["Opmerking"] : [])].join(";");
  const lines = body.map(({ cells, x }) => [...cells, ...(metX ? [x ? cell(CSV_TOELICHTING) : ""] : [])].join(";"));
  return "\ufeff" + [head, ...lines].join("\r\n") + "\r\n";
}
