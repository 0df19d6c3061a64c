import { confLimits, zValue } from "./confint.ts";
import type { ConfType, KmOptions, KmTable, MedianCi, TimeCount } from "./types.ts";

function checkCount(v: number, what: string, time: number): void {
  if (!(Number.isFinite(v) && v >= 0)) throw new Error(`survival: ${what} op tijd ${time} moet een eindig getal >= 0 zijn, niet ${v}`);
}

/**
 * Sort by time and merge duplicate times; drop times without any subject. Times must be
 * finite numbers (no late entry: every subject is at risk from −∞ up to its time).
 */
export function normaliseCounts(counts: readonly TimeCount[]): TimeCount[] {
  for (const c of counts) {
    if (!Number.isFinite(c.time)) throw new Error(`survival: tijd moet een eindig getal zijn, niet ${c.time}`);
    checkCount(c.nEvent, "nEvent", c.time);
    checkCount(c.nCensor, "nCensor", c.time);
  }
  let sorted = true;
  for (let i = 1; i < counts.length; i++) {
    if (!(counts[i]!.time > counts[i - 1]!.time)) {
      sorted = false;
      break;
    }
  }
  const src = sorted ? counts : [...counts].sort((a, b) => a.time - b.time);
  const out: TimeCount[] = [];
  for (const c of src) {
    if (c.nEvent === 0 && c.nCensor === 0) continue;
    const last = out[out.length - 1];
    if (last && last.time === c.time) {
      last.nEvent += c.nEvent;
      last.nCensor += c.nCensor;
    } else out.push({ time: c.time, nEvent: c.nEvent, nCensor: c.nCensor });
  }
  return out;
}

/** Tolerance R's `survmean` uses to recognise a curve exactly at 0.5. */
const HALF_TOL = Math.sqrt(2.220446049250313e-16);

/**
 * R's median rule (`survmean`'s `minmin`): the first time the curve is <= 0.5; when the curve
 * is flat at exactly 0.5 there, the midpoint between that time and the first time it drops
 * below. NaN values (R NA) are skipped. Null where R gives NA.
 */
export function medianOf(y: ArrayLike<number>, x: ArrayLike<number>): number | null {
  let first = -1;
  for (let i = 0; i < y.length; i++) {
    if (!Number.isNaN(y[i]!) && y[i]! < 0.5 + HALF_TOL) {
      first = i;
      break;
    }
  }
  if (first < 0) return null;
  const y1 = y[first]!;
  if (Math.abs(y1 - 0.5) < HALF_TOL) {
    for (let i = first + 1; i < y.length; i++) {
      if (!Number.isNaN(y[i]!) && y[i]! < y1 && y[i]! < 0.5 + HALF_TOL) return (x[first]! + x[i]!) / 2;
    }
  }
  return x[first]!;
}

export function medianCi(time: ArrayLike<number>, surv: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): MedianCi {
  // the lower confidence curve crosses 0.5 first: it gives the lower limit of the median
  return { estimate: medianOf(surv, time), lower: medianOf(lower, time), upper: medianOf(upper, time) };
}

/**
 * Kaplan–Meier estimate with Greenwood variance, as R `survfit(Surv(time, status) ~ 1)`:
 * one row per distinct time, censorings at a time counted at risk at that time, CI on the
 * chosen scale (default log), median with CI as `print(survfit)`. O(distinct times).
 */
export function kaplanMeier(counts: readonly TimeCount[], opts: KmOptions = {}): KmTable {
  const confType: ConfType = opts.confType ?? "log";
  const confLevel = opts.confLevel ?? 0.95;
  const z = zValue(confLevel);
  const rows = normaliseCounts(counts);
  const m = rows.length;
  let n = 0;
  for (const r of rows) n += r.nEvent + r.nCensor;

  const time = new Array<number>(m);
  const nRisk = new Array<number>(m);
  const nEvent = new Array<number>(m);
  const nCensor = new Array<number>(m);
  const surv = new Array<number>(m);
  const cumInc = new Array<number>(m);
  const stdErr = new Array<number>(m);
  const stdErrLog = new Array<number>(m);
  const lower = new Array<number>(m);
  const upper = new Array<number>(m);

  let atRisk = n;
  let s = 1;
  let greenwood = 0;
  for (let i = 0; i < m; i++) {
    const { time: t, nEvent: d, nCensor: c } = rows[i]!;
    if (d > 0) {
      s *= (atRisk - d) / atRisk;
      greenwood += atRisk > d ? d / (atRisk * (atRisk - d)) : Infinity;
    }
    const se = Math.sqrt(greenwood);
    time[i] = t;
    nRisk[i] = atRisk;
    nEvent[i] = d;
    nCensor[i] = c;
    surv[i] = s;
    cumInc[i] = 1 - s;
    stdErrLog[i] = se;
    stdErr[i] = s * se;
    const [lo, up] = confLimits(s, se, confType, z);
    lower[i] = lo;
    upper[i] = up;
    atRisk -= d + c;
  }
  return {
    n,
    confType,
    confLevel,
    time,
    nRisk,
    nEvent,
    nCensor,
    surv,
    cumInc,
    stdErr,
    stdErrLog,
    lower,
    upper,
    median: medianCi(time, surv, lower, upper),
  };
}
