/**
 * Dates in the generator are whole days since 1970-01-01 (UTC) ("day numbers"); months are
 * `year * 12 + monthIndex` ("month numbers"). Pure integer arithmetic, no time zones.
 */

const MS_PER_DAY = 86_400_000;

/** Lookup tables for 1900..2149: first day number of every month, and month of every day. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2149;
const FIRST_MONTH = FIRST_YEAR * 12;
const MONTH_FIRST_DAY = new Int32Array((LAST_YEAR - FIRST_YEAR + 1) * 12 + 1);
for (let i = 0; i < MONTH_FIRST_DAY.length; i++) {
  const m = FIRST_MONTH + i;
  MONTH_FIRST_DAY[i] = Math.round(Date.UTC(Math.floor(m / 12), m % 12, 1) / MS_PER_DAY);
}
const FIRST_DAY = MONTH_FIRST_DAY[0]!;
const DAY_MONTH = new Int32Array(MONTH_FIRST_DAY[MONTH_FIRST_DAY.length - 1]! - FIRST_DAY);
for (let i = 0; i < MONTH_FIRST_DAY.length - 1; i++) {
  DAY_MONTH.fill(FIRST_MONTH + i, MONTH_FIRST_DAY[i]! - FIRST_DAY, MONTH_FIRST_DAY[i + 1]! - FIRST_DAY);
}

function checkMonth(month: number): number {
  const i = month - FIRST_MONTH;
  if (i < 0 || i >= MONTH_FIRST_DAY.length - 1) throw new RangeError(`maand buiten ${FIRST_YEAR}..${LAST_YEAR}: ${month}`);
  return i;
}

export function dayOf(year: number, month: number, day: number): number {
  return MONTH_FIRST_DAY[checkMonth(year * 12 + month - 1)]! + day - 1;
}

export function parseIsoDay(iso: string): number {
  return dayOf(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

export function monthNumber(year: number, month: number): number {
  return year * 12 + (month - 1);
}

/** Month number of a day number. */
export function monthOfDay(day: number): number {
  const i = day - FIRST_DAY;
  if (i < 0 || i >= DAY_MONTH.length) throw new RangeError(`dag buiten ${FIRST_YEAR}..${LAST_YEAR}: ${day}`);
  return DAY_MONTH[i]!;
}

export function yearOfMonth(month: number): number {
  return Math.floor(month / 12);
}

export function yearOfDay(day: number): number {
  return Math.floor(monthOfDay(day) / 12);
}

export function firstDayOfMonth(month: number): number {
  return MONTH_FIRST_DAY[checkMonth(month)]!;
}

export function lastDayOfMonth(month: number): number {
  return MONTH_FIRST_DAY[checkMonth(month) + 1]! - 1;
}

export function daysInMonth(month: number): number {
  const i = checkMonth(month);
  return MONTH_FIRST_DAY[i + 1]! - MONTH_FIRST_DAY[i]!;
}

/** Add whole months to a day number, clamping the day of month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: number, months: number): number {
  const m = monthOfDay(day);
  const dom = day - firstDayOfMonth(m) + 1;
  const target = m + months;
  return firstDayOfMonth(target) + Math.min(dom, daysInMonth(target)) - 1;
}

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

export function ymd(day: number): Ymd {
  const m = monthOfDay(day);
  return { y: Math.floor(m / 12), m: (m % 12) + 1, d: day - firstDayOfMonth(m) + 1 };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** ISO `YYYY-MM-DD`. Cached per day number: the generator formats the same dates millions of times. */
const isoCache: (string | undefined)[] = [];
export function isoDate(day: number): string {
  const i = day - FIRST_DAY;
  let s = isoCache[i];
  if (s === undefined) {
    const { y, m, d } = ymd(day);
    s = `${y}-${pad2(m)}-${pad2(d)}`;
    isoCache[i] = s;
  }
  return s;
}
