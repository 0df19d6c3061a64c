import { readReference } from "../reference/index.ts";

/**
 * Consumer price index (2015 = 100), CBS StatLine 71905ned: the reference table
 * data/reference/cpi.csv (the one copy; the pipeline reads it too). Used to turn real (2015)
 * wages into nominal ones. Years outside the table are extrapolated at 2% a year (before the
 * first year) and 1.3% (after the last).
 */
const CPI: Record<number, number> = (() => {
  const { columns, rows } = readReference("cpi.csv");
  const jaar = columns.indexOf("jaar");
  const cpi = columns.indexOf("cpi_2015_100");
  return Object.fromEntries(rows.map((r) => [Number(r[jaar]), Number(r[cpi])]));
})();
const YEARS = Object.keys(CPI).map(Number);
const FIRST = Math.min(...YEARS);
const LAST = Math.max(...YEARS);

export function cpi2015(year: number): number {
  const c = CPI[year];
  if (c !== undefined) return c;
  if (year < FIRST) {
    const first = CPI[FIRST]!;
    return first / Math.pow(1.02, FIRST - year);
  }
  return CPI[LAST]! * Math.pow(1.013, year - LAST);
}
