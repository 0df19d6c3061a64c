/**
 * Contrasts between the jobcoach categories in table 3.1 (D4, % in a next job at the reading
 * points): the differences extern − geen and intern − geen, and the order of the three groups,
 * derived from the per-group figures `volgende_baan_<groep>_<punt>` (calibration/published.ts).
 * Each group's figure alone may sit within its ±5 points while the groups' order is the wrong
 * way round; these figures check the differences themselves (±2 points) and the order.
 */
export const POINT_NAMES = ["1w", "1m", "3m", "6m", "1j", "2j", "3j", "4j"] as const;
export const GROUPS = ["geen", "extern", "intern"] as const;

/** Table 3.1 of the Wajong report: % in a next job at the reading points, per category. */
export const TABLE_3_1: Record<(typeof GROUPS)[number], number[]> = {
  geen: [29, 36, 48, 58, 68, 78, 82, 85],
  extern: [25, 30, 43, 54, 67, 78, 83, 85],
  intern: [27, 31, 41, 50, 63, 73, 78, 82],
};

/** Pairs of groups whose order the report shows clearly: a gap of at least this many points. */
export const ORDER_MIN_GAP = 2;

/** The ordered pairs [higher, lower] of the report at reading point i (gap ≥ ORDER_MIN_GAP). */
export function reportOrder(i: number): [string, string][] {
  const out: [string, string][] = [];
  for (const a of GROUPS) for (const b of GROUPS) if (TABLE_3_1[a][i]! - TABLE_3_1[b][i]! >= ORDER_MIN_GAP) out.push([a, b]);
  return out;
}

const get = (values: Map<string, number | null>, group: string, point: string) => values.get(`volgende_baan_${group}_${point}`) ?? null;

/**
 * Add the contrast figures to a map of figures (in place): `verschil_<extern|intern>_geen_<punt>`
 * in percentage points, and `volgorde_tabel31` = the number of reading points at which every
 * clearly ordered pair of the report is in the same order (the report: all 8).
 */
export function addContrasts(values: Map<string, number | null>): Map<string, number | null> {
  for (const g of ["extern", "intern"])
    for (const p of POINT_NAMES) {
      const a = get(values, g, p),
        b = get(values, "geen", p);
      // a contrast row whenever its figures are compared at all (null when either is hidden), so the
      // published calibration has the same rows as the full one
      if (values.has(`volgende_baan_${g}_${p}`) || values.has(`volgende_baan_geen_${p}`))
        values.set(`verschil_${g}_geen_${p}`, a === null || b === null ? null : a - b);
    }
  if (POINT_NAMES.some((p) => GROUPS.some((g) => values.has(`volgende_baan_${g}_${p}`)))) {
    let agree = 0;
    let missing = false;
    POINT_NAMES.forEach((p, i) => {
      const pairs = reportOrder(i);
      let ok = true;
      for (const [hi, lo] of pairs) {
        const h = get(values, hi, p),
          l = get(values, lo, p);
        if (h === null || l === null) missing = true;
        else if (!(h > l)) ok = false;
      }
      if (ok) agree++;
    });
    values.set("volgorde_tabel31", missing ? null : agree);
  }
  return values;
}
