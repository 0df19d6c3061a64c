/**
 * Publication rules of the survival tables (docs/publish.md "Survival tables"), on top of the
 * general disclosure control in ./index.ts. A curve is published only at time points chosen
 * by `survivalTimePoints`: grid days and reading days, one set per kenmerk, each shown group
 * while it has at least minAtRisk at risk, coarsened so that nothing between two published
 * points is a small count (step rule) and cut so that the total minus the shown groups never
 * gives one group back (pair cut). Every value on those days is read from the stored curve
 * with `atTimes` (analyses/survival), as the reading points are.
 */
import { atTimes } from "../survival/index.ts";
import type { Cell, Row, Tables } from "../types.ts";
import { storedCurve } from "../lib/survival-analysis.ts";
import { num } from "../lib/sql.ts";
import {
  copyRows,
  finalize,
  hide,
  hideSharesOfSmallCounts,
  hideSmallCounts,
  hideWith,
  requireDenominator,
  secondarySuppression,
  type DisclosureRules,
} from "./index.ts";

/** The counts of one stored curve (its `schatting` rows, in time order) that the rules on time points need. */
export interface CurveCounts {
  time: number[];
  /** at risk at each time (time >= it) */
  nRisk: number[];
  /** events of interest, competing events and censored at each time */
  nEvent: number[];
  nCompeting: number[];
  nCensor: number[];
}

const count = (c: Cell | undefined) => {
  const v = num(c);
  return Number.isFinite(v) ? v : 0;
};

/** `CurveCounts` from the `schatting` rows of one (kenmerk, groep, methode) (any methode: the counts are the same). */
export function curveCounts(rows: readonly Row[]): CurveCounts {
  const sorted = [...rows].sort((a, b) => num(a.tijd) - num(b.tijd));
  const col = (c: string) => sorted.map((r) => count(r[c]));
  return {
    time: col("tijd"),
    nRisk: col("n_risico"),
    nEvent: col("n_gebeurtenis"),
    nCompeting: col("n_concurrerend"),
    nCensor: col("n_censuur"),
  };
}

/**
 * What a published point of a curve gives away: at risk (as `atTimes`: time ≥ t), events,
 * competing and censored up to and including t, and the same before t (those the number at risk
 * on t no longer counts).
 */
interface State {
  nRisk: number;
  events: number;
  competing: number;
  censored: number;
  eventsBefore: number;
  competingBefore: number;
  censoredBefore: number;
}

/** A curve as a function of time; several curves (a total, a group of hidden groups) are summed. */
class Counter {
  private readonly cum: { events: number[]; competing: number[]; censored: number[] };
  constructor(readonly c: CurveCounts) {
    const run = (xs: number[]) => {
      let s = 0;
      return xs.map((x) => (s += x));
    };
    this.cum = { events: run(c.nEvent), competing: run(c.nCompeting), censored: run(c.nCensor) };
  }

  /** The end, published as aantallen (n, gebeurtenissen): nobody at risk, everything happened. */
  end(): State {
    const total = (xs: number[]) => xs.at(-1) ?? 0;
    const events = total(this.cum.events),
      competing = total(this.cum.competing),
      censored = total(this.cum.censored);
    return { nRisk: 0, events, competing, censored, eventsBefore: events, competingBefore: competing, censoredBefore: censored };
  }

  /** The state at t; at −Infinity the virtual start: everyone at risk, nothing happened yet. */
  at(t: number): State {
    const { time } = this.c;
    let lo = 0,
      hi = time.length; // first index with time > t
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (time[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    const last = lo - 1; // last time <= t
    // at risk at t: at the first time >= t, 0 after the last (atTimes, R summary.survfit)
    const next = last >= 0 && time[last] === t ? last : last + 1;
    const cum = (xs: number[], i: number) => (i >= 0 ? xs[i]! : 0);
    return {
      nRisk: next < time.length ? this.c.nRisk[next]! : 0,
      events: cum(this.cum.events, last),
      competing: cum(this.cum.competing, last),
      censored: cum(this.cum.censored, last),
      eventsBefore: cum(this.cum.events, next - 1),
      competingBefore: cum(this.cum.competing, next - 1),
      censoredBefore: cum(this.cum.censored, next - 1),
    };
  }
}

/** The summed state of curves at t (`Infinity`: their end). */
function sumAt(curves: readonly Counter[], t: number): State {
  const s: State = { nRisk: 0, events: 0, competing: 0, censored: 0, eventsBefore: 0, competingBefore: 0, censoredBefore: 0 };
  for (const c of curves) {
    const x = t === Infinity ? c.end() : c.at(t);
    for (const k of Object.keys(s) as (keyof State)[]) s[k] += x[k];
  }
  return s;
}

/**
 * Does the stretch from state a to the later state b pass the step rule: the drop at risk and
 * the increments of the events, and of the competing events and censored (separately when
 * `split`, an Aalen–Johansen curve shows them apart; together otherwise, as Kaplan–Meier
 * censors a competing event), each 0 or at least minAantal.
 */
function stepPasses(a: State, b: State, split: boolean, minAantal: number): boolean {
  // the drop at risk counts the exits of [a, b), the curve the events of (a, b]: where no event
  // falls on a or b, the drop minus the events is the censored of [a, b); so the counts of both
  // half-open stretches are held to the rule
  const inc = [a.nRisk - b.nRisk, b.events - a.events, b.eventsBefore - a.eventsBefore];
  const competingBefore = b.competingBefore - a.competingBefore,
    censoredBefore = b.censoredBefore - a.censoredBefore;
  if (split) inc.push(b.competing - a.competing, b.censored - a.censored, competingBefore, censoredBefore);
  else inc.push(b.competing + b.censored - a.competing - a.censored, competingBefore + censoredBefore);
  return inc.every((x) => x === 0 || Math.abs(x) >= minAantal);
}

/**
 * Does the stretch from day t to the end pass the step rule? The end is published too, as
 * aantallen (n and gebeurtenissen; events of interest only, so the competing events and the
 * censored together).
 */
function endPasses(curves: readonly Counter[], t: number, minAantal: number): boolean {
  return stepPasses(sumAt(curves, t), sumAt(curves, Infinity), false, minAantal);
}

/**
 * Does the number at risk stay clear of the last published day `last` on the later days the
 * curve has a (hidden) row on? It never rises, so the last published number bounds every later
 * one from above: a later small count (1..minAantal−1) must lie at least beschermingsmarge below
 * it, or a reader holds it within less than ± beschermingsmarge (11 shown, then a hidden 8 lies
 * in [1, 11]).
 */
function tailPasses(curves: readonly Counter[], last: number, rowDays: readonly number[], rules: DisclosureRules): boolean {
  const top = sumAt(curves, last).nRisk;
  return rowDays.every((d) => {
    if (d <= last) return true;
    const v = sumAt(curves, d).nRisk;
    return !(v > 0 && v < rules.minAantal) || top - v >= rules.beschermingsmarge;
  });
}

/** One group of a kenmerk, for `survivalTimePoints`. */
export interface SurvivalGroup {
  groep: string;
  /** endings (aantallen.n): a group with fewer than minNoemer is not shown */
  n: number;
  counts: CurveCounts;
}

/** The time points of the curves of one kenmerk (see `survivalTimePoints`). */
export interface SurvivalTimePoints {
  /** the kenmerk's common time points, ascending: grid days and the reading days kept */
  dagen: number[];
  /** per group the days its curves are published on: a prefix of `dagen` (empty when never shown) */
  groepen: Map<string, number[]>;
  /** the days of the total of the groups (the `totaal` curve, in this file or another); `dagen` is a subset */
  totaal: number[];
}

const sortedDays = (xs: Iterable<number>) => [...new Set(xs)].sort((a, b) => a - b);

/**
 * The last day of the grid before a curve first has fewer than minAtRisk at risk (and never
 * beyond the grid); −Infinity when not shown (fewer than minNoemer endings).
 */
function naturalLast(curves: readonly Counter[], n: number, grid: readonly number[], rules: DisclosureRules): number {
  if (!(n >= rules.minNoemer)) return -Infinity;
  let last = -Infinity;
  for (const t of grid) {
    if (!(sumAt(curves, t).nRisk >= rules.minAtRisk)) break;
    last = t;
  }
  return last;
}

/**
 * Do the hidden groups' numbers at risk on a day protect each other? Their sum is known (total −
 * shown), so there must be at least two, together ≥ minAtRisk, and beside each small one (a
 * count the attacker check protects) the others must add up to at least the protection margin,
 * or it could be bounded within less than ± beschermingsmarge (a hidden 7 beside a hidden 4
 * lies in [0, 11]).
 */
function pairProtects(nRisk: readonly number[], rules: DisclosureRules): boolean {
  const total = nRisk.reduce((a, b) => a + b, 0);
  const small = (v: number) => v > 0 && v < rules.minAantal;
  return nRisk.length >= 2 && total >= rules.minAtRisk && nRisk.every((v) => !small(v) || total - v >= rules.beschermingsmarge);
}

/**
 * Can day t follow day `prev` (−Infinity: the virtual start), the groups running up to
 * `last`? First the pair cut: the groups hidden on t (beyond their last day) must be none, or
 * protect each other (`pairProtects`), since total − shown gives their sum; otherwise the shown group with the fewest at risk on t is cut from t on, until
 * they are. Then the step rule: from `prev` to t every group shown on t passes `stepPasses`,
 * and so do the hidden groups taken together (total − shown gives their counts too). Returns
 * the groups' last days with t kept, or null when t fails.
 */
function tryDay(
  t: number,
  prev: number,
  last: readonly number[],
  groups: readonly Counter[][],
  split: boolean,
  rules: DisclosureRules,
  apart?: Apart,
  /** the days kept before t (apart: each group's difference is compared with its own on them) */
  before: readonly number[] = [],
) {
  const cut = [...last];
  const shownAt = (i: number) => t <= cut[i]!;
  const pairCut = () => {
    for (;;) {
      const hidden = groups.filter((_, i) => !shownAt(i));
      if (
        hidden.length === 0 ||
        pairProtects(
          hidden.map((g) => sumAt(g, t).nRisk),
          rules,
        )
      )
        break;
      let pick = -1;
      groups.forEach((g, i) => {
        if (shownAt(i) && (pick < 0 || sumAt(g, t).nRisk < sumAt(groups[pick]!, t).nRisk)) pick = i;
      });
      if (pick < 0) break;
      cut[pick] = prev; // from t on: no day lies between prev and t
    }
  };
  pairCut();
  if (apart) {
    // another file shows these endings with a later event: a shown group whose difference with it
    // (or that difference's change since a kept day it was shown on) is a small count is cut from
    // t on, like the pair cut; the groups hidden on t together must not give a small count either
    const ok = (x: number) => x === 0 || Math.abs(x) >= rules.minAantal;
    for (;;) {
      const bad = groups.findIndex(
        (_, i) => shownAt(i) && !(ok(apart.at(i, t)) && before.every((s) => !(s <= cut[i]!) || ok(apart.at(i, t) - apart.at(i, s)))),
      );
      if (bad < 0) break;
      cut[bad] = prev;
      pairCut();
    }
    // the groups hidden on t together: at t, and since each kept day (on which each of them was
    // shown, or hidden with others of them: groups only ever become hidden, so their sum there
    // follows from that day's numbers too)
    const h = groups.map((_, i) => !shownAt(i));
    const hiddenSum = (d: number) => groups.reduce((a, _, i) => a + (h[i] ? apart.at(i, d) : 0), 0);
    if (!ok(hiddenSum(t))) return null;
    if (h.some(Boolean) && before.some((s) => !ok(hiddenSum(t) - hiddenSum(s)))) return null;
  }
  const shown = groups.filter((_, i) => shownAt(i));
  if (shown.length === 0) return null;
  const hidden = groups.filter((_, i) => !shownAt(i)).flat();
  const passes = (curves: readonly Counter[]) => stepPasses(sumAt(curves, prev), sumAt(curves, t), split, rules.minAantal);
  return shown.every(passes) && (hidden.length === 0 || (passes(hidden) && endPasses(hidden, t, rules.minAantal))) ? cut : null;
}

/**
 * Choose the days of a set of groups that partition a known total, walking the candidate days
 * in order from the virtual start, each group running up to its day in `last` (updated in
 * place with the cuts made). A day is kept when `tryDay` accepts it after the last day kept;
 * a grid day that fails is dropped, so its stretch merges into the next one. A reading day
 * that fails may instead take the place of the grid days kept since the last reading day
 * kept (latest first, with the cuts made for them undone), if from one of them it passes:
 * the reading days are the values of the report's table. Keeping a day or cutting a group
 * never changes what is shown on the days kept before it, so both rules hold on every day kept.
 */
function chooseDays(
  candidates: readonly number[],
  reading: ReadonlySet<number>,
  groups: readonly Counter[][],
  last: number[],
  split: boolean,
  rules: DisclosureRules,
  apart?: Apart,
): number[] {
  // the days kept, each with the groups' last days as they were when it was kept
  const kept: { day: number; last: readonly number[] }[] = [{ day: -Infinity, last: [...last] }];
  for (const t of candidates) {
    for (let j = kept.length - 1; j >= 0; j--) {
      const from = kept[j]!;
      const before = kept.slice(1, j + 1).map((k) => k.day);
      const cut = tryDay(t, from.day, from.last, groups, split, rules, apart, before);
      if (cut) {
        kept.splice(j + 1, kept.length, { day: t, last: cut });
        break;
      }
      if (!reading.has(t) || reading.has(from.day)) break;
    }
  }
  last.splice(0, last.length, ...kept.at(-1)!.last);
  return kept.slice(1).map((k) => k.day);
}

/**
 * The time points on which the curves of one kenmerk are published (docs/publish.md
 * "Survival tables"). The groups partition the kenmerk's total (runSurvival: a missing value
 * is the group `onbekend`), which is published as the `totaal` curve, here or in another file
 * with the same population and event; so it is treated as known.
 *
 * 1. The total gets its days first: the candidates (the grid and the reading days) up to its
 *    last grid day with at least minAtRisk at risk, coarsened by the step rule. Computed from
 *    the total's counts alone, so every file and kenmerk gets the same days for it.
 * 2. The kenmerk's groups share one set of days, taken from the total's days (a day of a group
 *    that is not a day of the total would give the total there, as the sum of the groups): each
 *    group runs up to its last grid day with minAtRisk at risk (not at all with fewer than
 *    minNoemer endings); then, day by day, the pair cut and the step rule (`chooseDays`).
 *
 * `split`: an Aalen–Johansen curve of these groups is published too, so competing events and
 * censored are told apart. Pure; an audit can recompute the published days with it.
 */
export function survivalTimePoints(
  groups: readonly SurvivalGroup[],
  leesdagen: readonly number[],
  rules: DisclosureRules,
  opts: {
    split: boolean;
    /**
     * per group (in `groups` order): its endings whose event here comes before their event in
     * another file that shows them (`Between`); the days and cuts then keep the difference of
     * the two files' numbers at risk from being a small count (docs/publish.md)
     */
    between?: readonly (readonly Between[])[];
    /** the same for the total only, where the other file shows the total but not these groups */
    betweenTotal?: readonly Between[];
  },
): SurvivalTimePoints {
  const grid = sortedDays(rules.curveGrid);
  const candidates = sortedDays([...grid, ...leesdagen]);
  const curves = groups.map((g) => [new Counter(g.counts)]);
  const total = curves.flat();
  const n = groups.reduce((a, g) => a + g.n, 0);
  const reading = new Set(leesdagen);
  // each group's stretch from its last day to the end must pass too, and its number at risk on
  // that day must stay clear of the later days it has a row on (the kenmerk's days and the
  // reading days: `tailPasses`): otherwise cut it one day earlier and choose again (its last day
  // only ever moves back, so this ends)
  const apart = opts.between ? apartOf(opts.between) : undefined;
  const settle = (days: readonly number[], groups: Counter[][], cuts: number[], apart?: Apart) => {
    for (;;) {
      const last = [...cuts];
      const kept = chooseDays(days, reading, groups, last, opts.split, rules, apart);
      let again = false;
      const rowDays = sortedDays([...kept, ...leesdagen]);
      groups.forEach((g, i) => {
        const own = kept.filter((d) => d <= last[i]!);
        if (own.length > 0 && !(endPasses(g, own.at(-1)!, rules.minAantal) && tailPasses(g, own.at(-1)!, rowDays, rules))) {
          cuts[i] = own.at(-2) ?? -Infinity;
          again = true;
        }
      });
      if (!again) return { kept, last };
    }
  };
  // the total's difference with the other file is the sum of the groups'
  const totalApart = opts.between ? apartOf([opts.between.flat()]) : opts.betweenTotal ? apartOf([opts.betweenTotal]) : undefined;
  const totaal = settle(candidates, [total], [naturalLast(total, n, grid, rules)], totalApart).kept;
  const { kept: dagen, last } = settle(
    totaal,
    curves,
    groups.map((g, i) => naturalLast(curves[i]!, g.n, grid, rules)),
    apart,
  );
  return {
    dagen,
    groepen: new Map(groups.map((g, i) => [g.groep, dagen.filter((d) => d <= last[i]!)])),
    totaal,
  };
}

const key = (...parts: unknown[]) => parts.map(String).join("\u0000");
const CURVE_VALUES = ["cum_incidentie", "lower", "upper", "n_risico"];

/** Endings of one group whose event here (`van`) comes before the other file's (`tot`), `aantal` of each. */
export interface Between {
  van: number;
  tot: number;
  aantal: number;
}

/** On day d, the other file's number at risk minus this one's: the endings with van < d <= tot. */
const betweenAt = (xs: readonly Between[], d: number) => xs.reduce((a, x) => a + (x.van < d && d <= x.tot ? x.aantal : 0), 0);

/** Per group (index) and day, the difference with the other file's number at risk (memoised). */
interface Apart {
  at: (i: number, d: number) => number;
}

function apartOf(between: readonly (readonly Between[])[]): Apart {
  const memo = new Map<string, number>();
  return {
    at: (i, d) => {
      const k = `${i}:${d}`;
      let v = memo.get(k);
      if (v === undefined) memo.set(k, (v = betweenAt(between[i] ?? [], d)));
      return v;
    },
  };
}

/** The `naast` rows of one kenmerk per group (analyses/catalogue/survival-common.ts, betweenEvents). */
function betweenOf(rows: readonly Row[], kenmerk: string): Map<string, Between[]> {
  const out = new Map<string, Between[]>();
  for (const r of rows) {
    if (r.kenmerk !== kenmerk) continue;
    const g = String(r.groep);
    const l = out.get(g) ?? [];
    l.push({ van: num(r.van), tot: num(r.tot), aantal: num(r.aantal) });
    out.set(g, l);
  }
  return out;
}

/**
 * Published survival tables (docs/publish.md "Survival tables") from the result of `runSurvival`;
 * with a `naast` table (another file shows the same endings with a later event) the days and
 * cuts also keep the difference with that file's numbers at risk from being a small count.
 */
export function publishSurvival(t: Tables, rules: DisclosureRules): Tables {
  // the stored curve of each (kenmerk, groep, methode), rows in time order
  const { schatting, aantallen: aantallenIn, leespunten, logrank, naast } = t;
  if (!schatting || !aantallenIn || !leespunten || !logrank) {
    throw new Error("publishSurvival: de tabellen schatting, aantallen, leespunten en logrank zijn vereist");
  }
  const series = new Map<string, Row[]>();
  for (const r of schatting) {
    const k = key(r.kenmerk, r.groep, r.methode);
    const l = series.get(k);
    if (l) l.push(r);
    else series.set(k, [r]);
  }
  const n = new Map(aantallenIn.map((r) => [key(r.kenmerk, r.groep), num(r.n)]));
  const kenmerken = [...new Set(aantallenIn.map((r) => String(r.kenmerk)))];
  const methoden = [...new Set(schatting.map((r) => String(r.methode)))];
  // km and aj curves of a group share their numbers at risk and events: one set of days for both,
  // with competing events and censored told apart when an aj curve is published
  const split = methoden.includes("aj");
  const leesdagen = leespunten.map((r) => num(r.dag));
  const onGrid = new Set(rules.curveGrid);
  const curve: Row[] = [];
  const days = new Map<string, Set<number>>(); // published days per kenmerk+groep
  for (const k of kenmerken) {
    const groepen = aantallenIn.filter((r) => r.kenmerk === k).map((r) => String(r.groep));
    // the other file shows this kenmerk's groups, or (duur_per_jaar's years) only their total
    const between = naast ? betweenOf(naast, k) : undefined;
    const betweenTotal = naast && !between?.size ? [...betweenOf(naast, "totaal").values()].flat() : undefined;
    const points = survivalTimePoints(
      groepen.map((g) => ({
        groep: g,
        n: n.get(key(k, g)) ?? 0,
        counts: curveCounts(methoden.map((m) => series.get(key(k, g, m))).find((rows) => rows?.length) ?? []),
      })),
      leesdagen,
      rules,
      { split, ...(between?.size ? { between: groepen.map((g) => between.get(g) ?? []) } : betweenTotal ? { betweenTotal } : {}) },
    );

    for (const [g, d] of points.groepen) days.set(key(k, g), new Set(d));
    // every group has a row on every grid day of its kenmerk, hidden beyond its own last day (or
    // throughout, for a group too small to draw): the rows are what the attacker check reasons
    // over (the groups' numbers at risk add up to the total's); the site draws the shown ones
    const kenmerkGrid = points.dagen.filter((d) => onGrid.has(d));
    for (const m of methoden) {
      for (const g of groepen) {
        const own = new Set(points.groepen.get(g) ?? []);
        const read = atTimes(storedCurve(series.get(key(k, g, m)) ?? []), kenmerkGrid);
        read.time.forEach((d, i) => {
          const r: Row = {
            kenmerk: k,
            groep: g,
            methode: m,
            dag: d,
            cum_incidentie: read.cumInc[i]!,
            lower: read.lower[i]!,
            upper: read.upper[i]!,
            n_risico: read.nRisk[i]!,
          };
          if (!own.has(d)) for (const col of CURVE_VALUES) hide(r, col, "stapregel");
          curve.push(r);
        });
      }
    }
  }
  const lees = copyRows(leespunten);
  for (const r of lees) {
    if (!days.get(key(r.kenmerk, r.groep))?.has(num(r.dag))) {
      for (const col of CURVE_VALUES) hide(r, col, "stapregel");
    }
  }
  hideSmallCounts(lees, ["n_risico"], rules);

  const aantallen = copyRows(aantallenIn);
  hideSmallCounts(aantallen, ["n", "gebeurtenissen"], rules);
  for (const col of ["n", "gebeurtenissen"]) {
    // groups of a kenmerk add up to the total of all endings (published as kenmerk jobcoach/totaal)
    secondarySuppression(aantallen, col, [{ key: (r) => String(r.kenmerk), totalKnown: true }]);
  }
  hideWith(aantallen, "n", ["gebeurtenissen"]);
  // n − gebeurtenissen (those without the event) must not be a small count either
  hideSharesOfSmallCounts(
    aantallen,
    ["gebeurtenissen"],
    (r) => r.gebeurtenissen,
    (r) => r.n,
    rules,
  );

  const med = copyRows(t.mediaan ?? []);
  requireDenominator(med, ["mediaan", "lower", "upper"], (r) => n.get(key(r.kenmerk, r.groep)) ?? 0, rules);
  // a median or bound is an event day: only where at least minAtRisk are at risk, as a curve (an
  // outside check on 2026-12-03 found a lower bound on an event day with 6 at risk, intern in
  // reintegratie_uptake at scale 0.1)
  for (const r of med) {
    const rows = methoden.map((m) => series.get(key(r.kenmerk, r.groep, m))).find((x) => x?.length) ?? [];
    const counter = new Counter(curveCounts(rows));
    for (const col of ["mediaan", "lower", "upper"]) {
      const d = r[col];
      if (typeof d === "number" && !(counter.at(d).nRisk >= rules.minAtRisk)) hide(r, col, "stapregel");
    }
  }

  const lr = copyRows(logrank);
  return {
    curve: finalize(curve, ["kenmerk", "groep", "methode", "dag", "cum_incidentie", "lower", "upper", "n_risico"]),
    leespunten: finalize(lees, ["kenmerk", "groep", "methode", "dag", "cum_incidentie", "lower", "upper", "n_risico"]),
    aantallen: finalize(aantallen, ["kenmerk", "groep", "n", "gebeurtenissen"]),
    mediaan: finalize(med, ["kenmerk", "groep", "mediaan", "lower", "upper"]),
    logrank: finalize(lr, ["kenmerk", "toets", "chikwadraat", "df", "p"]),
  };
}
