/**
 * Consumer price index (2015 = 100), CBS StatLine 71905ned, as in the reference table
 * `reference/cpi.csv`. Used to turn real (2015) wages into nominal ones. Years outside the
 * table are extrapolated at 2% a year (before 2012) and 1.3% (after 2020).
 */
const CPI: Record<number, number> = {
  2012: 95.99,
  2013: 98.39,
  2014: 99.36,
  2015: 100.0,
  2016: 100.32,
  2017: 101.7,
  2018: 103.44,
  2019: 106.16,
  2020: 107.54,
};

export function cpi2015(year: number): number {
  if (CPI[year] !== undefined) return CPI[year];
  if (year < 2012) return CPI[2012] / Math.pow(1.02, 2012 - year);
  return CPI[2020] * Math.pow(1.013, year - 2020);
}
