/**
 * Dates in the generator are whole days since 1970-01-01 (UTC) ("day numbers"); months are
 * `year * 12 + monthIndex` ("month numbers"). Pure integer arithmetic, no time zones.
 */

const MS_PER_DAY = 86_400_000;

export function dayOf(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export function parseIsoDay(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number);
  return dayOf(y, m, d);
}

export function monthNumber(year: number, month: number): number {
  return year * 12 + (month - 1);
}

/** Month number of a day number. */
export function monthOfDay(day: number): number {
  const d = new Date(day * MS_PER_DAY);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export function yearOfMonth(month: number): number {
  return Math.floor(month / 12);
}

export function yearOfDay(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

export function firstDayOfMonth(month: number): number {
  return dayOf(Math.floor(month / 12), (month % 12) + 1, 1);
}

export function lastDayOfMonth(month: number): number {
  return firstDayOfMonth(month + 1) - 1;
}

export function daysInMonth(month: number): number {
  return firstDayOfMonth(month + 1) - firstDayOfMonth(month);
}

/** Add whole months to a day number, clamping the day of month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * MS_PER_DAY);
  const target = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const dom = Math.min(d.getUTCDate(), daysInMonth(target));
  return firstDayOfMonth(target) + dom - 1;
}

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

export function ymd(day: number): Ymd {
  const d = new Date(day * MS_PER_DAY);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** ISO `YYYY-MM-DD`. Cached per day number: the generator formats the same dates millions of times. */
const isoCache = new Map<number, string>();
export function isoDate(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    const { y, m, d } = ymd(day);
    s = `${y}-${pad2(m)}-${pad2(d)}`;
    isoCache.set(day, s);
  }
  return s;
}
