/**
 * Computing the published figures from the ground truth, following definitions D1–D7
 * (docs/marts.md) applied to the true job spells (no extraction noise): D2 window 2015–2019,
 * Wajong benefit running, death/pension within 3 months excluded; D4/D5 Kaplan–Meier with
 * censoring at the peildatum 2019-12-31, death and pension; D6 endings 2017–2019 censored at a
 * new job; D7 cohort of first jobcoach starts 2013–2017.
 *
 * Job ends follow D1 too: a job end registered in `datum_einde_ikv` is its date; an unregistered
 * end is "the last day of the last month with pay", i.e. the last day of the month of the true
 * end (`TruthBaan.einde`; the true day is `eindeWaar`). The report applied that convention to
 * its data, so the published figures carry it: it lengthens durations (classes near 3 and 12
 * months shift up) and turns a next job starting later in the month of the end into T = 0
 * (D4 ≤ 1 week). Comparing the pipeline with true end days would count that convention as a
 * pipeline error (docs/marts.md, "What the extracts can show").
 */
import { DEFAULTS } from "../pipeline/config.ts";
import { addMonths, monthOfDay, firstDayOfMonth, lastDayOfMonth, parseIsoDay, yearOfDay } from "../data/generator/calendar.ts";
import { cpi2015 } from "../data/generator/cpi.ts";
import { cumulativeAt, type Observation } from "./kaplan-meier.ts";
import type { TruthBaan, TruthPerson } from "./truth-data.ts";

const DAYS_PER_MONTH = 30.4375;
const POINTS = DEFAULTS.d4.leespunten; // 7, 30, 91, 182, 365, 730, 1095, 1461
const POINT_NAMES = ["1w", "1m", "3m", "6m", "1j", "2j", "3j", "4j"];

interface Ending {
  person: TruthPerson;
  baan: TruthBaan;
  end: number;
  year: number;
  /** D4 */
  next: Observation;
  /** D5 */
  nextPp: Observation;
  /** days to the next job regardless of the peildatum (follow-up to the data end) */
  nextUnCensored: number | null;
}

const benefitRunning = (p: TruthPerson, d: number) =>
  p.groep === "Wajong" && p.uitkeringStart <= d && (p.uitkeringEinde === null || d <= p.uitkeringEinde);

const covers = (start: number, end: number | null, d: number) => start <= d && (end === null || end >= d);

function nextJobDays(p: TruthPerson, baan: TruthBaan, e: number): number | null {
  let best: number | null = null;
  for (const b of p.banen) {
    if (b === baan || (b.einde !== null && b.einde <= e)) continue;
    const t = Math.max(0, b.start - e);
    if (best === null || t < best) best = t;
  }
  return best;
}

function nextPpDays(p: TruthPerson, e: number): number | null {
  let best: number | null = null;
  for (const pp of p.proefplaatsingen) {
    if (pp.einde !== null && pp.einde < e) continue;
    const t = Math.max(0, pp.start - e);
    if (best === null || t < best) best = t;
  }
  return best;
}

function censorDay(p: TruthPerson, peildatum: number): number {
  let c = peildatum;
  if (p.overlijden !== null) c = Math.min(c, p.overlijden);
  if (p.pensioen !== null) c = Math.min(c, p.pensioen);
  return c;
}

function observation(t: number | null, censorAfter: number): Observation {
  if (t !== null && t <= censorAfter) return { time: t, event: true };
  return { time: Math.max(0, censorAfter), event: false };
}

/** D2 on the true spells: the end (D1 convention) in the window, Wajong benefit running, no death/pension around it. */
export function isD2Ending(p: TruthPerson, b: TruthBaan): boolean {
  const e = b.einde;
  if (e === null || e < parseIsoDay(DEFAULTS.d2.vensterStart) || e > parseIsoDay(DEFAULTS.d2.vensterEinde) || !benefitRunning(p, e))
    return false;
  const m = DEFAULTS.d2.overlijdenPensioenMaanden;
  return !(
    (p.redenEinde === "overlijden" || p.redenEinde === "pensioen") &&
    p.uitkeringEinde !== null &&
    p.uitkeringEinde >= addMonths(e, -m) &&
    p.uitkeringEinde <= addMonths(e, m)
  );
}

export function truthFigures(persons: Map<string, TruthPerson>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const pct = (num: number, den: number) => (den > 0 ? (100 * num) / den : null);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const d2Start = parseIsoDay(DEFAULTS.d2.vensterStart);
  const d2End = parseIsoDay(DEFAULTS.d2.vensterEinde);
  const peil = parseIsoDay(DEFAULTS.d4.peildatum);
  const dataEnd = parseIsoDay("2020-12-31");

  // ---------------------------------------------------------------- D2 endings
  const endings: Ending[] = [];
  const endingsPerPerson = new Map<TruthPerson, number>();
  for (const p of persons.values()) {
    for (const b of p.banen) {
      if (!isD2Ending(p, b)) continue;
      const e = b.einde!;
      const cens = censorDay(p, peil) - e;
      const t = nextJobDays(p, b, e);
      const tp = nextPpDays(p, e);
      const t5 = t === null ? tp : tp === null ? t : Math.min(t, tp);
      endings.push({
        person: p,
        baan: b,
        end: e,
        year: yearOfDay(e),
        next: observation(t, cens),
        nextPp: observation(t5, cens),
        nextUnCensored: t,
      });
      endingsPerPerson.set(p, (endingsPerPerson.get(p) ?? 0) + 1);
    }
  }
  out.set("baaneindes_totaal", endings.length);

  // persons with a job in the window while on Wajong; working at year end
  const withJob: TruthPerson[] = [];
  const yearEnd = [2015, 2016, 2017, 2018, 2019].map((y) => ({ y, d: parseIsoDay(`${y}-12-31`), n: 0 }));
  for (const p of persons.values()) {
    if (p.groep !== "Wajong") continue;
    const lo = Math.max(d2Start, p.uitkeringStart);
    const hi = Math.min(d2End, p.uitkeringEinde ?? d2End);
    if (p.banen.some((b) => b.start <= hi && (b.einde === null || b.einde >= lo)) && lo <= hi) withJob.push(p);
    for (const ye of yearEnd) if (benefitRunning(p, ye.d) && p.banen.some((b) => covers(b.start, b.einde, ye.d))) ye.n++;
  }
  out.set("personen_met_baan", withJob.length);
  for (const ye of yearEnd) out.set(`werkend_eind_${ye.y}`, ye.n);

  for (const cat of ["extern", "intern", "geen"] as const)
    out.set(`jobcoach_${cat}`, pct(endings.filter((e) => e.baan.jobcoach === cat).length, endings.length));

  const dist = [0, 0, 0, 0, 0, 0];
  const perSex: Record<string, number[]> = { M: [], V: [] };
  for (const p of withJob) {
    const n = endingsPerPerson.get(p) ?? 0;
    dist[Math.min(n, 5)]!++;
    perSex[p.geslacht]!.push(n);
  }
  ["0", "1", "2", "3", "4", "5plus"].forEach((k, i) => out.set(`eindes_per_persoon_${k}`, pct(dist[i]!, withJob.length)));
  out.set("eindes_gemiddeld_man", mean(perSex.M!));
  out.set("eindes_gemiddeld_vrouw", mean(perSex.V!));

  // ---------------------------------------------------------------- durations
  const months = (e: Ending) => (e.end - e.baan.start + 1) / DAYS_PER_MONTH;
  out.set("duur_gemiddeld", mean(endings.map(months)));
  out.set("duur_gemiddeld_man", mean(endings.filter((e) => e.person.geslacht === "M").map(months)));
  out.set("duur_gemiddeld_vrouw", mean(endings.filter((e) => e.person.geslacht === "V").map(months)));
  const withCoach = mean(endings.filter((e) => e.baan.jobcoach !== "geen").map(months));
  const without = mean(endings.filter((e) => e.baan.jobcoach === "geen").map(months));
  out.set("duur_verschil_jobcoach", withCoach !== null && without !== null ? withCoach - without : null);
  const classes = [3, 6, 12, 24, 36, Infinity];
  const classCounts = classes.map(() => 0);
  for (const e of endings) classCounts[classes.findIndex((c) => months(e) < c)]!++;
  ["lt3m", "3_6m", "6_12m", "1_2j", "2_3j", "3jplus"].forEach((k, i) => out.set(`duur_klasse_${k}`, pct(classCounts[i]!, endings.length)));
  // by contract at the end over all endings, uitzend included (as the baanduur analysis groups
  // by contractsoort); uitzend is also a group of its own (soort_baan)
  out.set("duur_onbepaald", mean(endings.filter((e) => e.baan.contractEinde === "onbepaald").map(months)));
  out.set("duur_bepaald", mean(endings.filter((e) => e.baan.contractEinde === "bepaald").map(months)));
  out.set("duur_uitzend", mean(endings.filter((e) => e.baan.soort === "uitzend").map(months)));
  const noCoach = endings.filter((e) => e.baan.jobcoach === "geen");
  out.set("zonder_jobcoach_lt12u", pct(noCoach.filter((e) => e.baan.urenStart < 12).length, noCoach.length));

  // ---------------------------------------------------------------- D4 / D5
  for (const cat of ["geen", "extern", "intern"] as const) {
    const group = endings.filter((e) => e.baan.jobcoach === cat);
    const f = cumulativeAt(
      group.map((e) => e.next),
      POINTS,
    );
    POINT_NAMES.forEach((n, i) => out.set(`volgende_baan_${cat}_${n}`, group.length ? 100 * f[i]! : null));
    const f5 = cumulativeAt(
      group.map((e) => e.nextPp),
      POINTS,
    );
    if (cat === "extern") {
      [0, 3, 4, 5, 6, 7].forEach((i) => out.set(`incl_pp_extern_${POINT_NAMES[i]}`, group.length ? 100 * f5[i]! : null));
    } else out.set(`incl_pp_${cat}_6m`, group.length ? 100 * f5[3]! : null);
  }
  for (const year of [2015, 2018, 2019]) {
    const group = endings.filter((e) => e.year === year);
    const f = cumulativeAt(
      group.map((e) => e.nextPp),
      POINTS,
    );
    const set = (name: string, i: number) => out.set(name, group.length ? 100 * f[i]! : null);
    if (year !== 2018) {
      set(`trend_1w_${year}`, 0);
      set(`trend_6m_${year}`, 3);
      set(`trend_1j_${year}`, 4);
    }
    if (year !== 2019) set(`trend_2j_${year}`, 5);
  }
  const e2015 = endings.filter((e) => e.year === 2015);
  const noJob4y = e2015.filter((e) => e.nextUnCensored === null || e.nextUnCensored > 1461);
  out.set("geen_baan_4j_duurzaam_geen", pct(noJob4y.filter((e) => e.person.arbeidsvermogen === "duurzaam_geen").length, noJob4y.length));
  out.set("geen_baan_4j_duurzaam_geen_alle", pct(noJob4y.filter((e) => e.person.arbeidsvermogen === "duurzaam_geen").length, e2015.length));

  // ---------------------------------------------------------------- D6 re-integration
  const d6Start = parseIsoDay(DEFAULTS.d6.vensterStart);
  const d6End = parseIsoDay(DEFAULTS.d6.vensterEinde);
  interface Uptake {
    cat: string;
    obs: Observation;
    before: boolean;
    dienst: string | null;
    own: boolean | null;
  }
  const uptakes: Uptake[] = [];
  for (const e of endings) {
    if (e.end < d6Start || e.end > d6End) continue;
    const p = e.person;
    let time: number | null = null;
    let before = false;
    let chosen: TruthPerson["diensten"][number] | null = null;
    for (const s of p.diensten) {
      if (s.start < e.end && (s.einde === null || s.einde >= e.end)) {
        if (!before || (chosen && s.start < chosen.start)) {
          before = true;
          time = 0;
          chosen = s;
        }
      } else if (!before && s.start >= e.end && (time === null || s.start - e.end < time)) {
        time = s.start - e.end;
        chosen = s;
      }
    }
    const newJob = e.next.event ? e.next.time : null;
    const cens = censorDay(p, peil) - e.end;
    let obs: Observation;
    let counted = false;
    if (time !== null && (before || ((newJob === null || time <= newJob) && time <= cens))) {
      obs = { time, event: true };
      counted = true;
    } else obs = { time: Math.max(0, Math.min(newJob ?? Infinity, cens)), event: false };
    uptakes.push({
      cat: e.baan.jobcoach,
      obs,
      before: counted && before,
      dienst: counted ? chosen!.dienst : null,
      own: counted && e.baan.jobcoach === "extern" && e.baan.organisatie !== "" ? chosen!.aanbieder === e.baan.organisatie : null,
    });
  }
  const ext = uptakes.filter((u) => u.cat === "extern");
  out.set("reintegratie_extern_voor_einde", pct(ext.filter((u) => u.before).length, ext.length));
  const fe = cumulativeAt(
    ext.map((u) => u.obs),
    [7, 30, 91, 182, 1095],
  );
  ["1w", "1m", "3m", "6m", "3j"].forEach((n, i) => out.set(`reintegratie_extern_${n}`, ext.length ? 100 * fe[i]! : null));
  for (const cat of ["intern", "geen"]) {
    const g = uptakes.filter((u) => u.cat === cat);
    out.set(
      `reintegratie_${cat}_3m`,
      g.length
        ? 100 *
            cumulativeAt(
              g.map((u) => u.obs),
              [91],
            )[0]!
        : null,
    );
  }
  const beforeSvc = uptakes.filter((u) => u.dienst !== null && u.before);
  const afterSvc = uptakes.filter((u) => u.dienst !== null && !u.before);
  out.set("dienst_voor_einde_naar_werk", pct(beforeSvc.filter((u) => u.dienst === "naar_werk").length, beforeSvc.length));
  out.set("dienst_voor_einde_werkfit", pct(beforeSvc.filter((u) => u.dienst === "werkfit_maken").length, beforeSvc.length));
  out.set("dienst_voor_einde_vrije_ruimte", pct(beforeSvc.filter((u) => u.dienst === "vrije_ruimte").length, beforeSvc.length));
  out.set("dienst_na_einde_naar_werk", pct(afterSvc.filter((u) => u.dienst === "naar_werk").length, afterSvc.length));
  const ownAll = ext.filter((u) => u.own !== null);
  out.set("eigen_organisatie", pct(ownAll.filter((u) => u.own).length, ownAll.length));
  const ownBefore = ownAll.filter((u) => u.before);
  out.set("eigen_organisatie_voor_einde", pct(ownBefore.filter((u) => u.own).length, ownBefore.length));
  const ownWeek = ownAll.filter((u) => !u.before && u.obs.time <= 7);
  out.set("eigen_organisatie_1w", pct(ownWeek.filter((u) => u.own).length, ownWeek.length));

  // ---------------------------------------------------------------- D7 jobcoach cohort
  const cohortStart = parseIsoDay(DEFAULTS.d7.cohortStart);
  const cohortEnd = parseIsoDay(DEFAULTS.d7.cohortEinde);
  interface Member {
    p: TruthPerson;
    start: number;
    soort: string;
  }
  const cohort: Member[] = [];
  for (const p of persons.values()) {
    const granted = p.perioden.filter((x) => x.status === "toegekend").sort((a, b) => a.begin - b.begin);
    const [first] = granted;
    if (first && first.begin >= cohortStart && first.begin <= cohortEnd) cohort.push({ p, start: first.begin, soort: first.soort });
  }
  out.set("cohort_starters", cohort.length);
  out.set("cohort_intern", pct(cohort.filter((m) => m.soort === "intern").length, cohort.length));
  out.set("cohort_wajong", pct(cohort.filter((m) => m.p.groep === "Wajong").length, cohort.length));

  const stateAt = (m: Member, k: number): "proefplaatsing" | "werk_met_jobcoach" | "werk_zonder_jobcoach" | "geen_werk" => {
    const month = monthOfDay(m.start) + k;
    const F = firstDayOfMonth(month);
    const L = lastDayOfMonth(month);
    const overlaps = (s: number, e: number | null) => s <= L && (e === null || e >= F);
    if (m.p.proefplaatsingen.some((x) => overlaps(x.start, x.einde))) return "proefplaatsing";
    if (m.p.banen.some((b) => overlaps(b.start, b.einde))) {
      return m.p.perioden.some((x) => x.status === "toegekend" && overlaps(x.begin, x.einde))
        ? "werk_met_jobcoach"
        : "werk_zonder_jobcoach";
    }
    return "geen_werk";
  };
  const wajong = cohort.filter((m) => m.p.groep === "Wajong");
  const wga = cohort.filter((m) => m.p.groep === "WGA");
  const s0 = wajong.map((m) => stateAt(m, 0));
  out.set("cohort_maand0_proefplaatsing", pct(s0.filter((s) => s === "proefplaatsing").length, s0.length));
  out.set("cohort_maand0_werk_jobcoach", pct(s0.filter((s) => s === "werk_met_jobcoach").length, s0.length));
  for (const [name, group] of [
    ["wajong", wajong],
    ["wga", wga],
  ] as const) {
    const s36 = group.map((m) => stateAt(m, 36));
    const working = s36.filter((s) => s === "werk_met_jobcoach" || s === "werk_zonder_jobcoach");
    out.set(`cohort_36_werkend_${name}`, pct(working.length, s36.length));
    out.set(`cohort_36_zonder_jobcoach_${name}`, pct(working.filter((s) => s === "werk_zonder_jobcoach").length, working.length));

    // from the start of the first paid job: hours, real hourly wage, permanent contracts
    const hours0: number[] = [];
    const wage0: number[] = [];
    const wage36: number[] = [];
    const perm36: number[] = [];
    for (const m of group) {
      const first = m.p.banen.filter((b) => b.einde === null || b.einde >= m.start).sort((a, b) => a.start - b.start)[0];
      if (!first) continue;
      const s = Math.max(first.start, m.start);
      // D7 follows a person for months 0..36 after the jobcoach start: month 36 of the first job
      // lies inside that window only when the job started in month 0
      const followUpEnd = lastDayOfMonth(monthOfDay(m.start) + 36);
      for (const [k, hours, wage, perm] of [
        [0, hours0, wage0, null],
        [36, null, wage36, perm36],
      ] as const) {
        const d = addMonths(s, k);
        if (d > dataEnd || (perm && d > followUpEnd)) continue;
        const ikv = m.p.ikvs.find((x) => covers(x.start, x.einde, d));
        if (!ikv) continue;
        hours?.push(ikv.uren);
        wage.push((ikv.uurloon * Math.pow(1 + ikv.groei, (d - ikv.start) / 365.25) * 100) / cpi2015(yearOfDay(d)));
        perm?.push(ikv.contract === "onbepaald" ? 1 : 0);
      }
    }
    out.set(`uren_${name}`, mean(hours0));
    out.set(`uurloon_start_${name}`, mean(wage0));
    out.set(`uurloon_3j_${name}`, mean(wage36));
    out.set(`vast_contract_3j_${name}`, perm36.length ? 100 * mean(perm36)! : null);

    // job losses within 3 years of the start, and what follows
    const losses: number[] = [];
    for (const m of group) {
      const until = addMonths(m.start, 36);
      losses.push(m.p.banen.filter((b) => b.einde !== null && b.eindeOorzaak === "einde" && b.einde >= m.start && b.einde <= until).length);
    }
    out.set(`baanverlies_${name}`, mean(losses));
  }
  // what follows a loss, observed within the article's 36 months after the jobcoach start
  const after = { direct: 0, later: 0, none: 0, monthsLater: [] as number[] };
  for (const m of cohort) {
    const until = addMonths(m.start, 36);
    for (const b of m.p.banen) {
      if (b.einde === null || b.eindeOorzaak !== "einde" || b.einde < m.start || b.einde > until) continue;
      let t = nextJobDays(m.p, b, b.einde);
      if (t !== null && b.einde + t > until) t = null;
      if (t !== null && t <= 7) after.direct++;
      else if (t !== null) {
        after.later++;
        after.monthsLater.push(t / DAYS_PER_MONTH);
      } else after.none++;
    }
  }
  const nLoss = after.direct + after.later + after.none;
  out.set("na_verlies_direct", pct(after.direct, nLoss));
  out.set("na_verlies_later", pct(after.later, nLoss));
  out.set("na_verlies_geen", pct(after.none, nLoss));
  out.set("na_verlies_maanden_zonder_werk", mean(after.monthsLater));
  return out;
}
