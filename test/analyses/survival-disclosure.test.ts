/**
 * The publication rules of the survival tables (docs/publish.md "Survival tables"), checked on
 * the published output of small hand-made survival results: what an outside checker holding
 * every published file could work out must never be a count 1..minAantal−1.
 */
import { describe, expect, it } from "vitest";
import { fitSurvival, type GroupCounts, type Methode } from "../../analyses/lib/survival-analysis.ts";
import { publishSurvival, survivalTimePoints, curveCounts } from "../../analyses/disclosure/survival.ts";
import type { DisclosureRules } from "../../analyses/disclosure/index.ts";
import type { CompetingTimeCount } from "../../analyses/survival/index.ts";
import type { Row, Tables } from "../../analyses/types.ts";

const rules: DisclosureRules = { minAantal: 10, minNoemer: 50, minAtRisk: 10, curveGrid: [0, 7, 30, 91, 182, 365], beschermingsmarge: 5 };

/** Endings of one group: [day, status (0 censored, 1 event, 2 competing), how many]. */
type Ending = [number, 0 | 1 | 2, number];
/** `count` endings with status `status`, one every `step` days from `from`. */
const every = (from: number, step: number, count: number, status: 0 | 1 | 2 = 1): Ending[] =>
  Array.from({ length: count }, (_, i) => [from + i * step, status, 1] as Ending);

function aggregate(endings: Ending[]): CompetingTimeCount[] {
  const byTime = new Map<number, CompetingTimeCount>();
  for (const [time, status, count] of endings) {
    let c = byTime.get(time);
    if (!c) byTime.set(time, (c = { time, nEvents: [0, 0], nCensor: 0 }));
    if (status === 0) c.nCensor += count;
    else c.nEvents[status - 1]! += count;
  }
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

/**
 * The full-precision survival tables of kenmerk `kenmerk` with these groups, plus the kenmerk
 * `totaal` over all of them (the groups partition it), as runSurvival would store them.
 */
function survivalResult(kenmerk: string, groups: Record<string, Ending[]>, methoden: Methode[], leespunten: number[]): Tables {
  const all = Object.values(groups).flat();
  const counts: GroupCounts[] = [
    { kenmerk: "totaal", groep: "totaal", counts: aggregate(all) },
    ...Object.entries(groups).map(([groep, e]) => ({ kenmerk, groep, counts: aggregate(e) })),
  ];
  return fitSurvival(counts, { kenmerken: ["totaal", kenmerk], methoden, confType: "log", confLevel: 0.95, leespunten });
}

interface Point {
  dag: number;
  n_risico: number;
  cum_incidentie: number;
}

/** The published points of each curve (kenmerk/groep/methode): curve rows and shown reading points. */
function published(pub: Tables): Map<string, Point[]> {
  const out = new Map<string, Map<number, Point>>();
  for (const r of [...pub.curve!, ...pub.leespunten!]) {
    if (r.n_risico === null || r.cum_incidentie === null) continue;
    const k = `${r.kenmerk}/${r.groep}/${r.methode}`;
    if (!out.has(k)) out.set(k, new Map());
    out.get(k)!.set(r.dag as number, { dag: r.dag as number, n_risico: r.n_risico as number, cum_incidentie: r.cum_incidentie as number });
  }
  return new Map([...out].map(([k, m]) => [k, [...m.values()].sort((a, b) => a.dag - b.dag)]));
}

/** Cumulative events, competing events and censored up to and including day t, from the private rows. */
function cumulative(schatting: Row[], kenmerk: string, groep: string, methode: string, t: number) {
  let ev = 0,
    comp = 0,
    cens = 0;
  for (const r of schatting) {
    if (r.kenmerk !== kenmerk || r.groep !== groep || r.methode !== methode || (r.tijd as number) > t) continue;
    ev += r.n_gebeurtenis as number;
    comp += r.n_concurrerend as number;
    cens += r.n_censuur as number;
  }
  return { ev, comp, cens };
}

const small = (x: number) => x !== 0 && Math.abs(x) < rules.minAantal;

/**
 * Every drop in n_risico and every increment of events, competing events and censored between
 * published points, from the start (aantallen.n at risk) to the end (aantallen: n and
 * gebeurtenissen; the competing events and censored together).
 */
function stepViolations(res: Tables, pub: Tables): string[] {
  const aantallen = new Map(res.aantallen!.map((r) => [`${r.kenmerk}/${r.groep}`, r]));
  const bad: string[] = [];
  for (const [k, points] of published(pub)) {
    const [kenmerk, groep, methode] = k.split("/") as [string, string, string];
    const a = aantallen.get(`${kenmerk}/${groep}`)!;
    let prev = { dag: -Infinity, n_risico: a.n as number, ev: 0, comp: 0, cens: 0 };
    for (const p of points) {
      const c = cumulative(res.schatting!, kenmerk, groep, methode, p.dag);
      const inc = { drop: prev.n_risico - p.n_risico, ev: c.ev - prev.ev, comp: c.comp - prev.comp, cens: c.cens - prev.cens };
      for (const [what, x] of Object.entries(inc)) if (small(x)) bad.push(`${k} ${prev.dag}→${p.dag}: ${what} ${x}`);
      prev = { dag: p.dag, n_risico: p.n_risico, ...c };
    }
    const end = {
      ev: (a.gebeurtenissen as number) - prev.ev,
      rest: (a.n as number) - (a.gebeurtenissen as number) - prev.comp - prev.cens,
    };
    for (const [what, x] of Object.entries(end)) if (small(x)) bad.push(`${k} ${prev.dag}→end: ${what} ${x}`);
  }
  return bad;
}

/** Days at which the totaal curve and some but not all groups of `kenmerk` are published, with what the hidden ones sum to. */
function hiddenRemainders(pub: Tables, kenmerk: string, methode: string) {
  const pts = published(pub);
  const groepen = pub.aantallen!.filter((r) => r.kenmerk === kenmerk).map((r) => String(r.groep));
  const totaal = new Map((pts.get(`totaal/totaal/${methode}`) ?? []).map((p) => [p.dag, p.n_risico]));
  const out: { dag: number; hidden: string[]; sum: number }[] = [];
  for (const [dag, tot] of totaal) {
    const at = groepen.map((g) => pts.get(`${kenmerk}/${g}/${methode}`)?.find((p) => p.dag === dag));
    const hidden = groepen.filter((_, i) => !at[i]);
    if (hidden.length === 0 || hidden.length === groepen.length) continue;
    out.push({ dag, hidden, sum: tot - at.reduce((a, p) => a + (p?.n_risico ?? 0), 0) });
  }
  return out;
}

/**
 * The groups hidden on a day taken together (totaal − the shown groups): between consecutive
 * days of the kenmerk, the drop at risk, events and censored of the groups hidden on the later
 * one, and what they have left from that day to the end (aantallen).
 */
function hiddenStepViolations(res: Tables, pub: Tables, kenmerk: string, methode: string): string[] {
  const pts = published(pub);
  const groepen = res.aantallen!.filter((r) => r.kenmerk === kenmerk).map((r) => String(r.groep));
  const n = new Map(res.aantallen!.map((r) => [`${r.kenmerk}/${r.groep}`, r.n as number]));
  const days = [...new Set(groepen.flatMap((g) => (pts.get(`${kenmerk}/${g}/${methode}`) ?? []).map((p) => p.dag)))].sort((a, b) => a - b);
  const atRisk = (g: string, t: number) => {
    const rows = res.schatting!.filter((r) => r.kenmerk === kenmerk && r.groep === g && r.methode === methode);
    return t === -Infinity ? n.get(`${kenmerk}/${g}`)! : ((rows.find((r) => (r.tijd as number) >= t)?.n_risico as number | undefined) ?? 0);
  };
  const bad: string[] = [];
  let prev = -Infinity;
  for (const d of days) {
    const hidden = groepen.filter((g) => !pts.get(`${kenmerk}/${g}/${methode}`)?.some((p) => p.dag === d));
    const sum = (f: (g: string) => number) => hidden.reduce((a, g) => a + f(g), 0);
    const c = (t: number) => (g: string) =>
      t === -Infinity ? { ev: 0, comp: 0, cens: 0 } : cumulative(res.schatting!, kenmerk, g, methode, t);
    const inc = {
      drop: sum((g) => atRisk(g, prev)) - sum((g) => atRisk(g, d)),
      ev: sum((g) => c(d)(g).ev) - sum((g) => c(prev)(g).ev),
      cens: sum((g) => c(d)(g).cens + c(d)(g).comp) - sum((g) => c(prev)(g).cens + c(prev)(g).comp),
    };
    for (const [what, x] of Object.entries(inc)) if (small(x)) bad.push(`{${hidden}} ${prev}→${d}: ${what} ${x}`);
    // and from d to the end (aantallen)
    const a = (g: string) => res.aantallen!.find((r) => r.kenmerk === kenmerk && r.groep === g)!;
    const end = {
      ev: sum((g) => (a(g).gebeurtenissen as number) - c(d)(g).ev),
      rest: sum((g) => (a(g).n as number) - (a(g).gebeurtenissen as number) - c(d)(g).comp - c(d)(g).cens),
    };
    for (const [what, x] of Object.entries(end)) if (hidden.length && small(x)) bad.push(`{${hidden}} ${d}→end: ${what} ${x}`);
    prev = d;
  }
  return bad;
}

/**
 * Hidden rows past a curve's last published day whose true number at risk, a small count, lies
 * within beschermingsmarge of the last one shown: n_risico never rises, so that bounds it.
 */
function tailViolations(res: Tables, pub: Tables): string[] {
  const pts = published(pub);
  const bad: string[] = [];
  for (const r of [...pub.curve!, ...pub.leespunten!]) {
    if (r.n_risico !== null) continue;
    const k = `${r.kenmerk}/${r.groep}/${r.methode}`;
    const last = pts
      .get(k)
      ?.filter((p) => p.dag < (r.dag as number))
      .at(-1);
    if (!last) continue;
    const rows = res.schatting!.filter((x) => `${x.kenmerk}/${x.groep}/${x.methode}` === k);
    const v = (rows.find((x) => (x.tijd as number) >= (r.dag as number))?.n_risico as number | undefined) ?? 0;
    if (small(v) && last.n_risico - v < rules.beschermingsmarge)
      bad.push(`${k} day ${r.dag}: ${v} below ${last.n_risico} on day ${last.dag}`);
  }
  return bad;
}

/*
 * The jobcoach scenario. geen: 300 endings, 30 with a job on day 0, then one a day; intern: 120,
 * 3 on day 0, then one every other day; extern: 60, 10 on day 0, one every third day up to
 * day 90, 13 censored on day 150, so that on day 182 it has 7 at risk: its curve stops there
 * while the others and the totaal go on.
 */
const jobcoach = {
  extern: [[0, 1, 10], ...every(3, 3, 30), [150, 0, 13], [500, 0, 7]] as Ending[],
  intern: [[0, 1, 3], ...every(2, 2, 80), [300, 0, 37]] as Ending[],
  geen: [[0, 1, 30], ...every(1, 1, 200), [400, 0, 70]] as Ending[],
};
const leespunten = [7, 30, 45, 91, 182, 365];

describe("survival tables: published curves give no small count back", () => {
  const res = survivalResult("jobcoach", jobcoach, ["km"], leespunten);
  const pub = publishSurvival(res, rules);
  const pts = published(pub);

  it("a stopped group: totaal − the other groups never gives its number at risk", () => {
    // before: on day 182 totaal − geen − intern = 7, extern's number at risk
    const rem = hiddenRemainders(pub, "jobcoach", "km");
    expect(rem.length).toBeGreaterThan(0); // extern does stop (and takes a partner with it)
    for (const r of rem) {
      expect(r.hidden.length, `day ${r.dag}`).toBeGreaterThanOrEqual(2);
      expect(r.sum, `day ${r.dag}`).toBeGreaterThanOrEqual(rules.minAtRisk);
    }
    for (const p of pts.get("jobcoach/extern/km")!) expect(p.dag).toBeLessThan(182);
  });

  it("a group too small to show is not totaal − the shown groups either", () => {
    const res2 = survivalResult("jobcoach", { ...jobcoach, onbekend: every(10, 10, 30) }, ["km"], leespunten);
    const pub2 = publishSurvival(res2, rules);
    expect(published(pub2).has("jobcoach/onbekend/km")).toBe(false);
    expect(published(pub2).has("jobcoach/geen/km")).toBe(true);
    for (const r of hiddenRemainders(pub2, "jobcoach", "km")) {
      expect(r.hidden.length, `day ${r.dag}`).toBeGreaterThanOrEqual(2);
      expect(r.sum, `day ${r.dag}`).toBeGreaterThanOrEqual(rules.minAtRisk);
    }
  });

  it("the hidden groups together change by 0 or ≥ minAantal between published days too", () => {
    for (const extra of [{}, { onbekend: every(10, 10, 30) }] as Record<string, Ending[]>[]) {
      const r = survivalResult("jobcoach", { ...jobcoach, ...extra }, ["km"], leespunten);
      expect(hiddenStepViolations(r, publishSurvival(r, rules), "jobcoach", "km")).toEqual([]);
    }
    // onbekend (20, not shown) has 3 events on day 50; intern, hidden with it from day 0 (the
    // smallest shown group), none before day 250: totaal − geen − extern would give the 3
    const r = survivalResult(
      "jobcoach",
      {
        geen: Array.from({ length: 20 }, (_, i) => [10 * i, 1, 10] as Ending),
        intern: [
          [250, 1, 50],
          [300, 0, 50],
        ],
        extern: [...Array.from({ length: 10 }, (_, i) => [20 * i, 1, 10] as Ending), [500, 0, 20]],
        onbekend: [
          [50, 1, 3],
          [400, 0, 17],
        ],
      },
      ["km"],
      [30, 91, 182],
    );
    const p = publishSurvival(r, rules);
    expect(hiddenStepViolations(r, p, "jobcoach", "km")).toEqual([]);
    expect(
      published(p)
        .get("jobcoach/geen/km")!
        .map((x) => x.dag),
    ).toEqual([0, 7, 30]);
    expect(published(p).has("jobcoach/intern/km")).toBe(false);
  });

  it("between published points every drop at risk, event and censoring increment is 0 or ≥ minAantal", () => {
    // before: geen loses 7 between day 0 and day 7, extern 5 events between day 30 and 45, …
    expect(stepViolations(res, pub)).toEqual([]);
    expect(pts.get("jobcoach/geen/km")!.length).toBeGreaterThan(2);
    expect(pts.get("totaal/totaal/km")!.length).toBeGreaterThan(2);
  });

  it("the censored of [d1, d2) count too: n_risico on a day counts who is still at risk on it", () => {
    // between grid days 7 and 30: 3 censored on day 15, 10 events on day 20 and 10 censored on
    // day 30 itself. (7, 30] holds 13 censored, but the drop at risk, 13, counts [7, 30), of which
    // the curve's 10 events leave the 3 censored of day 15: day 30 is dropped
    const groups = { a: [[0, 1, 20], [15, 0, 3], [20, 1, 10], [30, 0, 10], ...every(50, 1, 30), [400, 0, 40]] as Ending[] };
    const r = survivalResult("k", groups, ["km"], []);
    const days = published(publishSurvival(r, rules))
      .get("k/a/km")!
      .map((x) => x.dag);
    expect(days).toContain(7);
    expect(days).not.toContain(30);
    expect(days).toContain(91);
  });

  it("a median or its bound on a day with fewer than minAtRisk at risk is hidden: it is one person's event day", () => {
    // 20 new jobs on day 10, 35 censored on day 20; of the 5 left, one a hundred days apart: the
    // median is day 200, where 4 are at risk
    const groups = { a: [[10, 1, 20], [20, 0, 35], ...every(100, 100, 5)] as Ending[] };
    const r = survivalResult("k", groups, ["km"], []);
    const raw = r.mediaan!.find((x) => x.kenmerk === "k" && x.groep === "a")!;
    expect(raw.mediaan).toBe(200);
    const med = publishSurvival(r, rules).mediaan!.find((x) => x.kenmerk === "k" && x.groep === "a")!;
    expect(med).toMatchObject({ mediaan: null, onderdrukt: true });
  });

  it("from a curve's last published day to the end (aantallen) nothing small is left either", () => {
    // extern with 2 new jobs after day 91, its last day with ≥ 10 at risk: it stops on day 30
    const ext = { ...jobcoach, extern: [[0, 1, 10], ...every(3, 3, 33), [150, 0, 10], [500, 0, 7]] as Ending[] };
    const r = survivalResult("jobcoach", ext, ["km"], leespunten);
    const p = publishSurvival(r, rules);
    expect(stepViolations(r, p)).toEqual([]);
    expect(published(p).get("jobcoach/extern/km")!.at(-1)!.dag).toBe(30);
  });

  it("past a curve's last published day a small number at risk lies at least beschermingsmarge below the last one shown", () => {
    expect(tailViolations(res, pub)).toEqual([]);
    // a: 89 new jobs on days 1..89, then 3 censored on day 120 and 8 on day 400: 11 at risk on
    // day 91 (its last day with ≥ minAtRisk), 8 on reading day 182, which would lie in [1, 11]
    const groups = {
      a: [...every(1, 1, 89), [120, 0, 3], [400, 0, 8]] as Ending[],
      b: [...every(1, 1, 150), [500, 0, 50]] as Ending[],
      c: [...every(2, 2, 100), [500, 0, 60]] as Ending[],
    };
    const r = survivalResult("k", groups, ["km"], [182]);
    expect(r.schatting!.find((x) => x.groep === "a" && (x.tijd as number) >= 182)!.n_risico).toBe(8);
    const p = publishSurvival(r, rules);
    expect(tailViolations(r, p)).toEqual([]);
    expect(stepViolations(r, p)).toEqual([]);
    const a = published(p).get("k/a/km")!;
    expect(a.at(-1)).toMatchObject({ dag: 30, n_risico: 71 }); // not day 91 with its 11
    expect(
      published(p)
        .get("k/c/km")!
        .some((x) => x.dag === 91),
    ).toBe(true); // another goes on (b, hidden with a, by the pair cut)
  });

  it("3 events on day 0: no published point from which the 3 follow", () => {
    const intern = pts.get("jobcoach/intern/km")!;
    expect(intern.length).toBeGreaterThan(0);
    expect(intern.some((p) => p.dag === 0)).toBe(false);
    // up to the first published day nobody was censored: cum_incidentie × n = events so far
    const first = intern[0]!;
    expect(Math.round(first.cum_incidentie * 120)).toBeGreaterThanOrEqual(rules.minAantal);
    // the totaal has 43 events on day 0: its day 0 stays
    expect(pts.get("totaal/totaal/km")![0]!.dag).toBe(0);
  });

  it("a reading point that fails is hidden, its row kept", () => {
    // day 45: intern has 7 events since reading day 30 (extern 5): hidden for every group of jobcoach
    const lp = pub.leespunten!.filter((r) => r.kenmerk === "jobcoach");
    expect(lp.length).toBe(3 * leespunten.length);
    for (const r of lp.filter((r) => r.dag === 45)) {
      expect(r).toMatchObject({ cum_incidentie: null, lower: null, upper: null, n_risico: null, onderdrukt: true });
    }
    // … while geen is shown before and after it
    const geen = lp.filter((r) => r.groep === "geen");
    expect(geen.find((r) => r.dag === 91)!.onderdrukt).toBe(false);
    expect(pub.curve!.some((r) => r.groep === "geen" && r.dag === 30)).toBe(true);
  });

  it("a reading point that fails after a grid day takes that grid day's place when it can", () => {
    // without reading day 30, day 45 passes from the virtual start: grid day 30 gives way to it
    const pub2 = publishSurvival(survivalResult("jobcoach", jobcoach, ["km"], [45]), rules);
    const p2 = published(pub2);
    expect(p2.get("jobcoach/geen/km")!.map((p) => p.dag)).toEqual([45, 91, 182]);
    expect(pub.curve!.some((r) => r.kenmerk === "jobcoach" && r.dag === 30)).toBe(true); // with reading day 30
  });

  it("one set of days for all groups of a kenmerk: a day failing for one group is dropped for all", () => {
    // geen alone would pass on day 45 (15 events and 15 fewer at risk since day 30), intern fails
    const c = (g: string, t: number) => cumulative(res.schatting!, "jobcoach", g, "km", t);
    expect(c("geen", 45).ev - c("geen", 30).ev).toBe(15);
    expect(c("intern", 45).ev - c("intern", 30).ev).toBe(7);
    const days = (g: string) => (pts.get(`jobcoach/${g}/km`) ?? []).map((p) => p.dag);
    expect(days("geen")).not.toContain(45);
    const all = [...new Set(["extern", "intern", "geen"].flatMap(days))].sort((a, b) => a - b);
    for (const g of ["extern", "intern", "geen"]) {
      const d = days(g);
      expect(d, g).toEqual(all.slice(0, d.length)); // a prefix of the common days: only the cut differs
    }
    // and they are days of the totaal curve
    const totaal = days("geen").length ? pts.get("totaal/totaal/km")!.map((p) => p.dag) : [];
    for (const d of all) expect(totaal).toContain(d);
  });
});

describe("survival tables with a competing event (km and aj)", () => {
  // 90 + 70 endings; the service starts (1), a new job first (2), or censored (0). 2018 has 3
  // competing events and 10 censored between days 30 and 91: 13 together, but 3 on their own
  const groups = {
    "2018": [[0, 1, 12], ...every(1, 1, 40), ...every(40, 5, 3, 2), [45, 0, 10], ...every(100, 2, 15, 2), [400, 0, 10]] as Ending[],
    "2019": [[0, 1, 15], ...every(2, 2, 30), ...every(10, 1, 15, 2), [200, 0, 10]] as Ending[],
  };
  const res = survivalResult("jaar", groups, ["km", "aj"], [30, 91, 182]);
  const pub = publishSurvival(res, rules);

  it("events, competing events and censored each change by 0 or ≥ minAantal between published points", () => {
    expect(stepViolations(res, pub)).toEqual([]);
    expect(published(pub).get("jaar/2018/aj")!.length).toBeGreaterThan(1);
  });

  it("km and aj curves of a group are published on the same days", () => {
    const pts = published(pub);
    for (const g of ["totaal/totaal", "jaar/2018", "jaar/2019"]) {
      expect(
        pts.get(`${g}/km`)!.map((p) => p.dag),
        g,
      ).toEqual(pts.get(`${g}/aj`)!.map((p) => p.dag));
    }
  });
});

describe("survivalTimePoints", () => {
  it("the total of a kenmerk gets the same days as the totaal kenmerk, in any file", () => {
    // duur_per_jaar has no totaal, duur_incl_proefplaatsing has: the same population and event
    const res = survivalResult("jobcoach", jobcoach, ["km"], leespunten);
    const groups = (k: string) =>
      res
        .aantallen!.filter((r) => r.kenmerk === k)
        .map((r) => ({
          groep: String(r.groep),
          n: r.n as number,
          counts: curveCounts(res.schatting!.filter((s) => s.kenmerk === k && s.groep === r.groep && s.methode === "km")),
        }));
    const totaal = survivalTimePoints(groups("totaal"), leespunten, rules, { split: false });
    const jc = survivalTimePoints(groups("jobcoach"), leespunten, rules, { split: false });
    expect(jc.totaal).toEqual(totaal.dagen);
    expect(totaal.groepen.get("totaal")).toEqual(totaal.dagen);
    for (const d of jc.dagen) expect(totaal.dagen).toContain(d);
    for (const days of jc.groepen.values()) expect(days).toEqual(jc.dagen.slice(0, days.length));
  });
});

describe("two files of the same endings with nested events (duur_incl_proefplaatsing beside duur_tot_volgende_baan)", () => {
  // per ending: its job (time, status) and its earlier proefplaatsing day, if any
  type Pair = { job: [number, 0 | 1]; pp?: number };
  const endings: Record<string, Pair[]> = {
    extern: [
      ...Array.from({ length: 150 }, (_, i): Pair => ({ job: [1 + 2 * i, 1], ...(i >= 100 && i < 130 ? { pp: 2 } : {}) })),
      ...Array.from({ length: 50 }, (): Pair => ({ job: [400, 0] })),
    ],
    // six endings of intern start a proefplaatsing on day 3 and find a job between day 70 and 80
    intern: [
      ...Array.from({ length: 40 }, (_, i): Pair => ({ job: [10 + 2 * i, 1], ...(i >= 30 && i < 36 ? { pp: 3 } : {}) })),
      ...Array.from({ length: 20 }, (): Pair => ({ job: [400, 0] })),
    ],
  };
  const asEndings = (withPp: boolean) =>
    Object.fromEntries(
      Object.entries(endings).map(([g, es]) => [
        g,
        es.map((e): Ending => (withPp && e.pp !== undefined && e.pp < e.job[0] ? [e.pp, 1, 1] : [e.job[0], e.job[1], 1])),
      ]),
    );
  const naast: Row[] = Object.entries(endings).flatMap(([g, es]) =>
    ["totaal", "jobcoach"].flatMap((k) =>
      es
        .filter((e) => e.pp !== undefined && e.pp < e.job[0])
        .map((e) => ({ kenmerk: k, groep: k === "totaal" ? "totaal" : g, van: e.pp!, tot: e.job[0], aantal: 1 })),
    ),
  );
  const grid = [0, 7, 14, 21, 28, 30, 42, 56, 63, 70, 77, 91, 182, 365];
  const r2 = { ...rules, curveGrid: grid };

  /** Differences of the two files' numbers at risk on days both publish that are small counts (per group and between days). */
  function smallDifferences(plain: Tables, pp: Tables): string[] {
    const risk = (t: Tables) => {
      const m = new Map<string, number>();
      for (const r of [...t.curve!, ...t.leespunten!])
        if (r.n_risico !== null) m.set(`${r.kenmerk}/${r.groep}/${r.dag}`, r.n_risico as number);
      return m;
    };
    const a = risk(plain),
      b = risk(pp);
    const byGroup = new Map<string, [number, number][]>();
    for (const [k, v] of b) {
      if (!a.has(k)) continue;
      const [kenmerk, groep, dag] = k.split("/");
      const g = `${kenmerk}/${groep}`;
      byGroup.set(g, [...(byGroup.get(g) ?? []), [Number(dag), a.get(k)! - v]]);
    }
    const out: string[] = [];
    for (const [g, xs] of byGroup) {
      xs.forEach(([d, e], i) => {
        if (small(e)) out.push(`${g} dag ${d}: ${e}`);
        for (const [d0, e0] of xs.slice(0, i)) if (small(e - e0)) out.push(`${g} dag ${d0}→${d}: ${e - e0}`);
      });
    }
    // the groups hidden on one of two days (in either file), together: their sum on a day is the
    // total minus the shown others, where every group hidden that day is among them
    const groepen = plain.aantallen!.filter((r) => r.kenmerk === "jobcoach").map((r) => String(r.groep));
    const days = [...new Set([...b.keys()].filter((k) => k.startsWith("totaal/")).map((k) => Number(k.split("/")[2])))].filter((d) =>
      a.has(`totaal/totaal/${d}`),
    );
    const hiddenIn = (m: Map<string, number>, d: number) => groepen.filter((g) => !m.has(`jobcoach/${g}/${d}`));
    const sumOver = (m: Map<string, number>, d: number, set: string[]) =>
      hiddenIn(m, d).every((g) => set.includes(g))
        ? m.get(`totaal/totaal/${d}`)! - groepen.filter((g) => !set.includes(g)).reduce((x, g) => x + m.get(`jobcoach/${g}/${d}`)!, 0)
        : null;
    for (const d of days) {
      for (const d0 of days.filter((x) => x < d)) {
        const set = [...new Set([...hiddenIn(a, d), ...hiddenIn(b, d), ...hiddenIn(a, d0), ...hiddenIn(b, d0)])];
        if (!set.length) continue;
        const at = (x: number) => {
          const p = sumOver(a, x, set),
            q = sumOver(b, x, set);
          return p === null || q === null ? null : p - q;
        };
        const e = at(d),
          e0 = at(d0);
        if (e !== null && small(e)) out.push(`verborgen ${set.join("+")} dag ${d}: ${e}`);
        if (e !== null && e0 !== null && small(e - e0)) out.push(`verborgen ${set.join("+")} dag ${d0}→${d}: ${e - e0}`);
      }
    }
    return out;
  }

  it("the difference of the numbers at risk is never a small count, on a day or between two days", () => {
    const plain = publishSurvival(survivalResult("jobcoach", asEndings(false), ["km"], [7, 30, 91]), r2);
    const ppResult = survivalResult("jobcoach", asEndings(true), ["km"], [7, 30, 91]);
    // without the other file's times the intern curve gives the six away (6 on the days up to 70),
    // and so does the total between days
    const before = smallDifferences(plain, publishSurvival(ppResult, r2));
    expect(before).toContain("jobcoach/intern dag 30: 6");
    expect(before).toContain("totaal/totaal dag 70→91: -6");
    const pp = publishSurvival({ ...ppResult, naast }, r2);
    expect(smallDifferences(plain, pp)).toEqual([]);
    // the curves are still there, on fewer days
    const shown = (g: string) => pp.curve!.filter((r) => r.groep === g && r.n_risico !== null).length;
    expect(shown("extern")).toBeGreaterThanOrEqual(2);
    expect(shown("totaal")).toBeGreaterThanOrEqual(2);
  });
});
