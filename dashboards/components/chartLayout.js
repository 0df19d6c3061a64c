// Layout of a chart by the width it gets: font size, margins, how many ticks fit, tick labels
// that never overlap, and direct labels nudged apart. Pure functions (no DOM), shared by the
// chart components; test/unit/chart-layout.test.ts checks them.

/** below this width (px) a chart is laid out for a phone: category labels above bars, wrapped tick labels */
export const SMAL = 600;
/** rendered font size of chart text (px): never below 11, also on a phone (the svg is drawn at the width it gets, never scaled down) */
export const FONT_PX = 13;
export const FONT_PX_SMAL = 12;

/**
 * @param {number} width
 * @returns {boolean}
 */
export function isSmal(width) {
  return width < SMAL;
}

/**
 * the font size of a chart of this width (px)
 * @param {number} width
 */
export function fontPx(width) {
  return isSmal(width) ? FONT_PX_SMAL : FONT_PX;
}

/**
 * Estimated rendered width of a text in px: ~0.6 em per character, digits and narrow letters
 * included (a little generous, so that estimated labels never touch).
 * @param {string} text
 * @param {number} px font size
 */
export function tekstBreedte(text, px) {
  let em = 0;
  for (const ch of text) em += /[il.,:;'|!1 ]/.test(ch) ? 0.35 : /[mwMW%–—]/.test(ch) ? 0.9 : 0.62;
  return em * px;
}

/**
 * How many ticks fit along an axis of `lengte` px with `afstand` px per tick (at least 2).
 * @param {number} lengte
 * @param {number} [afstand]
 */
export function aantalTicks(lengte, afstand = 80) {
  return Math.max(2, Math.floor(lengte / afstand));
}

/**
 * Round tick values on [lo, hi] with the largest step of 1, 2 or 5 × 10^k that puts at least two
 * ticks inside (so at most five or six): for a narrow axis on a phone, which a tick count alone
 * can leave with a single tick (the hazard ratios around 1).
 * @param {number} lo
 * @param {number} hi
 * @returns {number[]}
 */
export function tweeOfMeerTicks(lo, hi) {
  if (!(hi > lo)) return [lo];
  const top = Math.ceil(Math.log10(hi - lo));
  for (let k = top; k > top - 4; k--) {
    for (const m of [5, 2, 1]) {
      const step = m * 10 ** k;
      const ticks = [];
      for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
      if (ticks.length >= 2) return ticks;
    }
  }
  return [lo, hi];
}

/**
 * Thin a list of ticks so that their labels do not overlap: take the ticks in the order given
 * (the most important first) and keep each one whose label stays at least `gap` px clear of every
 * label kept before it. Returns the kept ticks in increasing position.
 * @param {number[]} ticks in order of importance
 * @param {(t: number) => number} positie tick → px (the centre of its label)
 * @param {(t: number) => number} breedte tick → width of its label in px
 * @param {number} [gap]
 * @returns {number[]}
 */
export function dunTicks(ticks, positie, breedte, gap = 6) {
  /** @type {number[]} */
  const kept = [];
  const vrij = (/** @type {number} */ a, /** @type {number} */ b) =>
    Math.abs(positie(a) - positie(b)) >= (breedte(a) + breedte(b)) / 2 + gap;
  for (const t of ticks) if (!kept.includes(t) && kept.every((k) => vrij(k, t))) kept.push(t);
  return kept.sort((a, b) => positie(a) - positie(b));
}

/**
 * Every k-th tick, for the smallest k at which no two neighbouring labels overlap (regular
 * spacing: years, months, categories along a band axis). Starts with the first tick.
 * @template T
 * @param {T[]} ticks in increasing position
 * @param {(t: T) => number} positie tick → px (the centre of its label)
 * @param {(t: T) => number} breedte tick → width of its label in px
 * @param {number} [gap]
 * @returns {T[]}
 */
export function regelmatigeTicks(ticks, positie, breedte, gap = 6) {
  /** @param {T[]} kept */
  const past = (kept) =>
    kept.every((t, i) => {
      const vorige = kept[i - 1];
      return vorige === undefined || positie(t) - positie(vorige) >= (breedte(t) + breedte(vorige)) / 2 + gap;
    });
  for (let k = 1; k < ticks.length; k++) {
    const kept = ticks.filter((_, i) => i % k === 0);
    if (past(kept)) return kept;
  }
  return ticks.slice(0, 1);
}

/**
 * Labels of the categories along a band axis of `stap` px per category: each wrapped to the
 * room it gets, and when even then a label needs more than `maxRegels` lines or a word is wider
 * than the room, only every k-th category is labelled (k as small as possible; the room grows
 * with k). Returns k and the wrapped text per category (every category, also the unlabelled ones).
 * @param {string[]} labels
 * @param {number} stap px per category
 * @param {number} px font size
 * @param {number} [maxRegels]
 * @returns {{k: number, tekst: string[]}}
 */
export function categorieLabels(labels, stap, px, maxRegels = 3) {
  for (let k = 1; ; k++) {
    const ruimte = k * stap - 6;
    const tekst = labels.map((l) => ombreek(l, Math.max(1, Math.floor(ruimte / (0.62 * px)))));
    const past = tekst.every((t) => {
      const regels = t.split("\n");
      return regels.length <= maxRegels && regels.every((r) => tekstBreedte(r, px) <= ruimte);
    });
    if (past || k >= labels.length) return { k, tekst };
  }
}

/**
 * Nudge labels apart vertically (px, y down): each keeps its wanted position where it can, no two
 * are closer than their half heights plus `gap`, and all stay within [lo, hi]. The order of the
 * wanted positions is kept. Returns the positions in the input order.
 * @param {{y: number, h: number}[]} labels wanted centre y and height
 * @param {{lo?: number, hi?: number, gap?: number}} [grenzen]
 * @returns {number[]}
 */
export function spreidLabels(labels, { lo = -Infinity, hi = Infinity, gap = 2 } = {}) {
  const order = labels
    .map((l, i) => ({ h: l.h, i, y: Math.min(hi - l.h / 2, Math.max(lo + l.h / 2, l.y)) }))
    .sort((a, b) => a.y - b.y || a.i - b.i);
  /** the least distance between the centres of two neighbours */
  const min = (/** @type {{h: number}} */ a, /** @type {{h: number}} */ b) => (a.h + b.h) / 2 + gap;
  const omlaag = () => {
    for (const [k, l] of order.entries()) {
      const boven = order[k - 1];
      if (boven) l.y = Math.max(l.y, boven.y + min(boven, l));
    }
  };
  // push down where two are too close; then up from the bottom bound; then down again from the top
  omlaag();
  for (let k = order.length - 1; k >= 0; k--) {
    const l = /** @type {{h: number, i: number, y: number}} */ (order[k]);
    const onder = order[k + 1];
    l.y = Math.min(l.y, onder ? onder.y - min(l, onder) : hi - l.h / 2);
  }
  const eerste = order[0];
  if (eerste) eerste.y = Math.max(eerste.y, lo + eerste.h / 2);
  omlaag();
  /** @type {number[]} */
  const out = labels.map(() => 0);
  for (const l of order) out[l.i] = l.y;
  return out;
}

/**
 * Nudge labels apart that share horizontal room: labels whose spans [x, x + w] overlap (directly
 * or through others) form a column and are spread with spreidLabels; a label alone keeps its
 * wanted position. Returns the centre y per label, in the input order.
 * @param {{x: number, w: number, y: number, h: number}[]} labels
 * @param {{lo?: number, hi?: number, gap?: number}} [grenzen]
 * @returns {number[]}
 */
export function spreidLabelsXY(labels, grenzen = {}) {
  const order = labels.map((l, i) => ({ ...l, i })).sort((a, b) => a.x - b.x);
  /** @type {(typeof order)[]} */
  const kolommen = [];
  let rechts = -Infinity;
  for (const l of order) {
    const kolom = kolommen.at(-1);
    if (kolom && l.x <= rechts) kolom.push(l);
    else kolommen.push([l]);
    rechts = kolom && l.x <= rechts ? Math.max(rechts, l.x + l.w) : l.x + l.w;
  }
  /** @type {number[]} */
  const out = labels.map((l) => l.y);
  for (const kolom of kolommen) {
    const y = spreidLabels(kolom, grenzen);
    kolom.forEach((l, k) => {
      out[l.i] = y[k] ?? l.y;
    });
  }
  return out;
}

/**
 * Break a label into lines of at most `max` characters at spaces (a word longer than `max`
 * stays whole on its own line); lines joined with "\n", which Plot draws as separate lines.
 * @param {string} text
 * @param {number} max
 */
export function ombreek(text, max) {
  /** @type {string[]} */
  const lines = [];
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join("\n");
}

/**
 * The top of a y axis for shares: a rounded value at or above the highest value (0.05 steps
 * below 30%, 0.1 steps above), never above 1 (100%).
 * @param {number[]} waarden
 */
export function bovengrensAandeel(waarden) {
  const max = Math.max(0, ...waarden.filter(Number.isFinite));
  if (max <= 0) return 0.1;
  const stap = max < 0.3 ? 0.05 : 0.1;
  return Math.min(1, Math.round(Math.ceil(max / stap - 1e-9) * stap * 100) / 100);
}
