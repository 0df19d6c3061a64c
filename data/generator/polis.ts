/**
 * Rendering one ikv as polis rows: one row per pay period (calendar month, or 4-weekly at some
 * employers) inside the extract window, with pro-rated pay in the first and last period,
 * zero-pay gaps of 1–2 months, a registered end on the last period when known, and
 * corrections (an earlier declaration replaced by a later one).
 */
import { firstDayOfMonth, isoDate, lastDayOfMonth, monthOfDay, dayOf } from "./calendar.ts";
import type { Ikv, Job } from "./history.ts";
import type { GeneratorParameters } from "./parameters.ts";
import type { Rng } from "./random.ts";

/** 4-weekly pay periods are counted from this Monday. */
const FOUR_WEEK_ANCHOR = dayOf(2000, 1, 3);

export interface PolisWindow {
  start: number;
  end: number;
}

export interface PolisStats {
  rows: number;
  corrections: number;
  zeroPayRows: number;
  zeroPayMonthsOmitted: number;
  gapMonths: number;
  fourWeeklyRows: number;
}

export function newPolisStats(): PolisStats {
  return { rows: 0, corrections: 0, zeroPayRows: 0, zeroPayMonthsOmitted: 0, gapMonths: 0, fourWeeklyRows: 0 };
}

/** Calendar months (month numbers) inside the ikv that carry no pay (gaps of 1–2 months). */
export function chooseGapMonths(rng: Rng, firstMonth: number, lastMonth: number, rate: number): Set<number> {
  const gaps = new Set<number>();
  for (let m = firstMonth + 2; m <= lastMonth - 1; m++) {
    if (!rng.chance(rate)) continue;
    const len = rng.chance(0.6) ? 1 : 2;
    if (m + len - 1 > lastMonth - 1) continue;
    for (let k = 0; k < len; k++) gaps.add(m + k);
    m += len; // at least one paid month after a gap
  }
  return gaps;
}

export function renderIkv(
  rng: Rng,
  personId: string,
  job: Job,
  ikv: Ikv,
  p: GeneratorParameters,
  window: PolisWindow,
  stats: PolisStats,
  emit: (values: string[]) => void,
): void {
  const end = ikv.end;
  if (ikv.start > window.end || (end !== null && end < window.start)) return;
  const lastDay = end === null ? window.end : Math.min(end, window.end);
  const gaps = chooseGapMonths(rng, monthOfDay(ikv.start), monthOfDay(lastDay), p.messiness.zeroPayGap);
  stats.gapMonths += gaps.size;
  const fourWeekly = ikv.employer.fourWeekly;
  const common = {
    ikvStart: isoDate(ikv.start),
    endIso: end !== null && ikv.registeredEnd && end <= window.end ? isoDate(end) : "",
  };

  const periods: [number, number][] = [];
  if (fourWeekly) {
    let k = Math.floor((Math.max(ikv.start, window.start - 27) - FOUR_WEEK_ANCHOR) / 28);
    for (;;) {
      const a = FOUR_WEEK_ANCHOR + 28 * k;
      let b = a + 27;
      k++;
      if (a > lastDay) break;
      if (b < ikv.start) continue;
      if (end !== null && end <= b) b = end; // final period closes at the end of employment
      if (b < window.start) continue;
      if (b > window.end) break;
      periods.push([a, b]);
    }
  } else {
    for (let m = Math.max(monthOfDay(ikv.start), monthOfDay(window.start)); m <= monthOfDay(lastDay); m++) {
      periods.push([firstDayOfMonth(m), lastDayOfMonth(m)]);
    }
  }

  const last = periods.length - 1;
  periods.forEach(([a, b], i) => {
    const from = Math.max(a, ikv.start);
    const to = end === null ? b : Math.min(b, end);
    const worked = to - from + 1;
    if (worked <= 0) return;
    const zero = gaps.has(monthOfDay(b));
    if (zero && rng.chance(0.5)) {
      stats.zeroPayMonthsOmitted++;
      return;
    }
    let hours = 0;
    let loon = 0;
    if (!zero) {
      hours = ((ikv.hoursPerWeek * worked) / 7) * rng.uniform(0.95, 1.05);
      const wage = ikv.wageStart * Math.pow(1 + ikv.wageGrowth, (b - ikv.start) / 365.25);
      loon = Math.max(0.01, hours * wage);
    } else stats.zeroPayRows++;
    const registered = i === last && common.endIso !== "" ? common.endIso : "";
    const row = [
      personId,
      ikv.id,
      ikv.employer.id,
      common.ikvStart,
      registered,
      isoDate(a),
      isoDate(b),
      loon.toFixed(2),
      hours.toFixed(2),
      ikv.contract,
      job.soort,
      ikv.employer.sector,
      ikv.employer.size,
      "",
    ];
    const delivered = b + rng.int(3, 35);
    if (fourWeekly) stats.fourWeeklyRows++;
    ikv.polisRows++;
    if (rng.chance(p.messiness.correction)) {
      // an earlier declaration with other values, replaced by the (true) later one
      const wrong = row.slice();
      const kind = rng.next();
      if (kind < 0.3) {
        wrong[7] = zero ? (hours * ikv.wageStart + 100).toFixed(2) : "0.00";
      } else if (kind < 0.7) {
        wrong[7] = (Math.max(0.01, loon * rng.uniform(0.5, 1.5)) + (zero ? 50 : 0)).toFixed(2);
      } else {
        wrong[8] = (hours * rng.uniform(0.6, 1.4)).toFixed(2);
      }
      wrong[13] = isoDate(delivered);
      row[13] = isoDate(delivered + rng.int(15, 200));
      stats.corrections++;
      stats.rows += 2;
      if (rng.chance(0.5)) {
        emit(wrong);
        emit(row);
      } else {
        emit(row);
        emit(wrong);
      }
      return;
    }
    row[13] = isoDate(delivered);
    stats.rows++;
    emit(row);
  });
}
