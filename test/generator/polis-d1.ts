/**
 * A minimal, independent reading of the polis for the tests: latest declaration per ikv and
 * pay period, months with pay per ikv, and definition D1 (registered end, else 3 months without
 * pay, else running; merge per person and employer with gap ≤ 31 days).
 */
import { dayNumber, monthKey, type Table } from "./helpers.ts";

export interface IkvObserved {
  persoon: string;
  ikv: string;
  werkgever: string;
  start: string;
  registeredEnd: string;
  payMonths: Set<number>;
  monthsSeen: Set<number>;
}

export function latestDeclarations(polis: Table): string[][] {
  const c = polis.col;
  const [ikvI, tvI, aanI] = [c("ikv_id"), c("tijdvak_aanvang"), c("aanleverdatum")];
  const latest = new Map<string, string[]>();
  for (const row of polis.rows) {
    const key = `${row[ikvI]}|${row[tvI]}`;
    const prev = latest.get(key);
    if (!prev || prev[aanI]! < row[aanI]!) latest.set(key, row);
  }
  return [...latest.values()];
}

export function observeIkvs(polis: Table): Map<string, IkvObserved> {
  const c = polis.col;
  const out = new Map<string, IkvObserved>();
  for (const row of latestDeclarations(polis)) {
    const id = row[c("ikv_id")]!;
    let o = out.get(id);
    if (!o) {
      o = {
        persoon: row[c("persoon_id")]!,
        ikv: id,
        werkgever: row[c("werkgever_id")]!,
        start: row[c("datum_aanvang_ikv")]!,
        registeredEnd: "",
        payMonths: new Set(),
        monthsSeen: new Set(),
      };
      out.set(id, o);
    }
    if (row[c("datum_einde_ikv")] !== "") o.registeredEnd = row[c("datum_einde_ikv")]!;
    const m = monthKey(row[c("tijdvak_einde")]!);
    o.monthsSeen.add(m);
    if (Number(row[c("loon_sv")]) > 0) o.payMonths.add(m);
  }
  return out;
}

const lastDayOfMonthIso = (m: number) => new Date(Date.UTC(Math.floor(m / 12), (m % 12) + 1, 0)).toISOString().slice(0, 10);

export interface D1Baan {
  persoon: string;
  werkgever: string;
  start: string;
  end: string | null;
  ikvs: string[];
}

/** D1 with the default parameters (pipeline/config.ts); `dataEndMonth` is the last observed month. */
export function d1Banen(ikvs: Map<string, IkvObserved>, dataEndMonth: number, gapMonths = 3, mergeDays = 31): D1Baan[] {
  const ends = [...ikvs.values()].map((o) => {
    let end: string | null = null;
    if (o.registeredEnd) end = o.registeredEnd;
    else {
      const last = Math.max(...o.payMonths);
      if (dataEndMonth - last >= gapMonths) end = lastDayOfMonthIso(last);
    }
    return { o, end };
  });
  ends.sort((a, b) => (a.o.persoon + a.o.werkgever + a.o.start < b.o.persoon + b.o.werkgever + b.o.start ? -1 : 1));
  const banen: D1Baan[] = [];
  for (const { o, end } of ends) {
    const prev = banen[banen.length - 1];
    if (
      prev &&
      prev.persoon === o.persoon &&
      prev.werkgever === o.werkgever &&
      (prev.end === null || dayNumber(o.start) - dayNumber(prev.end) <= mergeDays)
    ) {
      prev.end = end;
      prev.ikvs.push(o.ikv);
    } else banen.push({ persoon: o.persoon, werkgever: o.werkgever, start: o.start, end, ikvs: [o.ikv] });
  }
  return banen;
}

/** Longest run of months without pay between the first and last month with pay. */
export function longestGapInside(payMonths: Set<number>): number {
  const months = [...payMonths].sort((a, b) => a - b);
  let longest = 0;
  for (let i = 1; i < months.length; i++) longest = Math.max(longest, months[i]! - months[i - 1]! - 1);
  return longest;
}
