import type {
  AalenJohansenAtTimes,
  AalenJohansenTable,
  AtTimesOptions,
  IncidenceAtTimes,
  IncidenceCurve,
  KmAtTimes,
  KmTable,
} from "./types.ts";

/** Index of the last element <= t in a sorted array, or −1. */
function lastAtOrBefore(xs: readonly number[], t: number): number {
  let lo = 0;
  let hi = xs.length; // first index with xs[i] > t
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

interface Plan {
  times: number[];
  /** row of the estimate (last observed time <= t), −1 before the first */
  row: number[];
  nRisk: number[];
  /** rows (from, to] whose events/censorings fall in the interval ending at this time */
  from: number[];
}

function plan(time: readonly number[], nRiskRows: readonly number[], requested: readonly number[], extend: boolean): Plan {
  for (const t of requested) if (!Number.isFinite(t)) throw new Error(`atTimes: tijd moet een eindig getal zijn, niet ${t}`);
  const last = time.length ? time[time.length - 1]! : -Infinity;
  const times = [...requested].sort((a, b) => a - b).filter((t) => extend || t <= last);
  const row: number[] = [];
  const nRisk: number[] = [];
  const from: number[] = [];
  let prevRow = -1;
  for (const t of times) {
    const r = lastAtOrBefore(time, t);
    row.push(r);
    from.push(prevRow);
    prevRow = r;
    // at risk at t: at the first observed time >= t (R summary.survfit); 0 after the last
    const next = r >= 0 && time[r] === t ? r : r + 1;
    nRisk.push(next < time.length ? nRiskRows[next]! : 0);
  }
  return { times, row, nRisk, from };
}

function sumRange(xs: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let i = from + 1; i <= to; i++) s += xs[i]!;
  return s;
}

function isAj(table: KmTable | AalenJohansenTable | IncidenceCurve): table is AalenJohansenTable {
  return Array.isArray((table as AalenJohansenTable).cumInc[0]);
}

function isKm(table: KmTable | IncidenceCurve): table is KmTable {
  return "surv" in table;
}

/** The curve of the event of interest: 1 − S of a Kaplan–Meier fit, or cause `cause` (0-based) of an Aalen–Johansen fit. */
export function incidenceCurve(fit: KmTable): IncidenceCurve;
export function incidenceCurve(fit: AalenJohansenTable, cause: number): IncidenceCurve;
export function incidenceCurve(fit: KmTable | AalenJohansenTable, cause = 0): IncidenceCurve {
  if (isAj(fit)) {
    if (!(Number.isInteger(cause) && cause >= 0 && cause < fit.cumInc.length)) {
      throw new Error(`incidenceCurve: oorzaak ${cause} bestaat niet (0..${fit.cumInc.length - 1})`);
    }
    return {
      time: fit.time,
      nRisk: fit.nRisk,
      nEvent: fit.nEvent[cause]!,
      nCensor: fit.nCensor,
      cumInc: fit.cumInc[cause]!,
      stdErr: fit.stdErr[cause]!,
      lower: fit.lower[cause]!,
      upper: fit.upper[cause]!,
    };
  }
  return {
    time: fit.time,
    nRisk: fit.nRisk,
    nEvent: fit.nEvent,
    nCensor: fit.nCensor,
    cumInc: fit.cumInc,
    stdErr: fit.stdErr,
    lower: fit.upper.map((u) => 1 - u),
    upper: fit.lower.map((l) => 1 - l),
  };
}

/**
 * Read a fitted step function at chosen times, as R `summary(fit, times = …, extend = TRUE)`:
 * times are sorted ascending (duplicates kept); the estimate, its standard error and CI are
 * those of the last observed time <= t (before the first: surv 1, se 0, CI [1, 1] for a KM
 * curve and [0, 0] for a cumulative incidence, as R); n.risk is that at the first observed
 * time >= t and 0 after the last; n.event / n.censor count the interval (previous time, t].
 * An `IncidenceCurve` is read as a cumulative incidence (0 before the first time).
 */
export function atTimes(table: KmTable, times: readonly number[], opts?: AtTimesOptions): KmAtTimes;
export function atTimes(table: AalenJohansenTable, times: readonly number[], opts?: AtTimesOptions): AalenJohansenAtTimes;
export function atTimes(table: IncidenceCurve, times: readonly number[], opts?: AtTimesOptions): IncidenceAtTimes;
export function atTimes(
  table: KmTable | AalenJohansenTable | IncidenceCurve,
  times: readonly number[],
  opts: AtTimesOptions = {},
): KmAtTimes | AalenJohansenAtTimes | IncidenceAtTimes {
  const p = plan(table.time, table.nRisk, times, opts.extend ?? true);
  const pick = (xs: readonly number[], before: number) => p.row.map((r) => (r < 0 ? before : xs[r]!));
  const nCensor = p.row.map((r, i) => sumRange(table.nCensor, p.from[i]!, r));
  if (isAj(table)) {
    return {
      time: p.times,
      nRisk: p.nRisk,
      nEvent: table.nEvent.map((ev) => p.row.map((r, i) => sumRange(ev, p.from[i]!, r))),
      nCensor,
      surv: pick(table.surv, 1),
      cumInc: table.cumInc.map((x) => pick(x, 0)),
      stdErr: table.stdErr.map((x) => pick(x, 0)),
      lower: table.lower.map((x) => pick(x, 0)),
      upper: table.upper.map((x) => pick(x, 0)),
    };
  }
  const nEvent = p.row.map((r, i) => sumRange(table.nEvent, p.from[i]!, r));
  if (!isKm(table)) {
    return {
      time: p.times,
      nRisk: p.nRisk,
      nEvent,
      nCensor,
      cumInc: pick(table.cumInc, 0),
      stdErr: pick(table.stdErr, 0),
      lower: pick(table.lower, 0),
      upper: pick(table.upper, 0),
    };
  }
  return {
    time: p.times,
    nRisk: p.nRisk,
    nEvent,
    nCensor,
    surv: pick(table.surv, 1),
    cumInc: pick(table.cumInc, 0),
    stdErr: pick(table.stdErr, 0),
    lower: pick(table.lower, 1),
    upper: pick(table.upper, 1),
  };
}
