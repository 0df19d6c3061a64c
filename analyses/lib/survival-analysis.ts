/**
 * Shared machinery of the survival analyses (duur_tot_volgende_baan, duur_incl_proefplaatsing,
 * duur_per_jaar, reintegratie_uptake): aggregate person rows to (kenmerk, groep, tijd) counts
 * in DuckDB, run the survival engine per group, and publish on the fixed grid.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { aalenJohansen, kaplanMeier, logRank } from "../survival/index.ts";
import type { CompetingTimeCount, ConfType, TimeCount } from "../survival/types.ts";
import type { Row, Tables } from "../types.ts";
import {
  copyRows,
  finalize,
  hide,
  hideSharesOfSmallCounts,
  hideSmallCounts,
  hideWith,
  publishableGrid,
  requireDenominator,
  secondarySuppression,
  type DisclosureRules,
} from "../disclosure/index.ts";
import { ident, join, sql, type Sql } from "../../core/sql.ts";
import { num, query } from "./sql.ts";

export type Methode = "km" | "aj";

export interface SurvivalSpec {
  /** SQL relation with one row per person-ending (a table name or a parenthesised subquery) */
  bron: Sql;
  /** SQL condition on the relation (default TRUE) */
  waar?: Sql;
  /** SQL expression of the time in days */
  tijd: Sql;
  /** SQL expression of the status: 0 censored, 1 event of interest, 2 competing event */
  status: Sql;
  /** breakdown columns of the relation (names, quoted as identifiers); `totaal` is one group over everything */
  kenmerken: string[];
  /** `km`: competing events are censored (the report); `aj`: Aalen–Johansen, status 2 competing */
  methoden: Methode[];
  confType: ConfType;
  confLevel: number;
  leespunten: number[];
}

/** Column expression for a kenmerk: its value as text, missing as `onbekend`. */
function groepExpr(k: string): Sql {
  return k === "totaal" ? sql`'totaal'` : sql`coalesce(CAST(${ident(k)} AS VARCHAR), 'onbekend')`;
}

interface GroupCounts {
  kenmerk: string;
  groep: string;
  rows: { tijd: number; e1: number; e2: number; c: number }[];
}

async function loadCounts(conn: DuckDBConnection, s: SurvivalSpec): Promise<GroupCounts[]> {
  const src = sql`SELECT * FROM ${s.bron} WHERE (${s.waar ?? sql`TRUE`}) AND (${s.tijd}) IS NOT NULL AND (${s.status}) IS NOT NULL`;
  const parts = s.kenmerken.map(
    (k) => sql`SELECT ${k} AS kenmerk, ${groepExpr(k)} AS groep, CAST(greatest(${s.tijd}, 0) AS DOUBLE) AS tijd,
      count(*) FILTER (WHERE (${s.status}) = 1) AS e1,
      count(*) FILTER (WHERE (${s.status}) = 2) AS e2,
      count(*) FILTER (WHERE (${s.status}) NOT IN (1, 2)) AS c
    FROM src GROUP BY ALL`,
  );
  const rows = await query(conn, sql`WITH src AS (${src}) ${join(parts, sql` UNION ALL `)} ORDER BY kenmerk, groep, tijd`);
  const out: GroupCounts[] = [];
  let cur: GroupCounts | undefined;
  for (const r of rows) {
    const kenmerk = String(r.kenmerk), groep = String(r.groep);
    if (!cur || cur.kenmerk !== kenmerk || cur.groep !== groep) out.push((cur = { kenmerk, groep, rows: [] }));
    cur.rows.push({ tijd: num(r.tijd), e1: num(r.e1), e2: num(r.e2), c: num(r.c) });
  }
  // keep the spec's kenmerk order, groups sorted (numerically when numeric, e.g. jaar)
  const order = new Map(s.kenmerken.map((k, i) => [k, i]));
  return out.sort((a, b) => order.get(a.kenmerk)! - order.get(b.kenmerk)! || cmpGroep(a.groep, b.groep));
}

/** Fixed order of known category values (jobcoach: extern, intern, geen as in the report). */
const VOLGORDE = ["extern", "intern", "geen", "totaal", "onbekend"];

export function cmpGroep(a: string, b: string): number {
  const ia = VOLGORDE.indexOf(a), ib = VOLGORDE.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? -1 : ia) - (ib < 0 ? -1 : ib) || (a < b ? -1 : a > b ? 1 : 0);
  const na = Number(a), nb = Number(b);
  if (a !== "" && b !== "" && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Value of a right-continuous step function at t: the last row with time ≤ t. */
function stepIndex(times: number[], t: number): number {
  let lo = 0, hi = times.length - 1, idx = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) {
      idx = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return idx;
}

/**
 * Full-precision survival result tables:
 * - `schatting`: kenmerk, groep, methode, tijd, n_risico, n_gebeurtenis, n_concurrerend, n_censuur,
 *   cum_incidentie, std_err, lower, upper — at every distinct time;
 * - `leespunten`: kenmerk, groep, methode, dag, cum_incidentie, lower, upper, n_risico;
 * - `aantallen`: kenmerk, groep, n, gebeurtenissen;
 * - `mediaan` (KM): kenmerk, groep, mediaan, lower, upper;
 * - `logrank`: kenmerk, chikwadraat, df, p (KM: competing events censored).
 */
export async function runSurvival(conn: DuckDBConnection, s: SurvivalSpec): Promise<Tables> {
  const groups = await loadCounts(conn, s);
  const schatting: Row[] = [], leespunten: Row[] = [], aantallen: Row[] = [], mediaan: Row[] = [], logrank: Row[] = [];
  const opts = { confType: s.confType, confLevel: s.confLevel };
  for (const g of groups) {
    const n = g.rows.reduce((a, r) => a + r.e1 + r.e2 + r.c, 0);
    aantallen.push({ kenmerk: g.kenmerk, groep: g.groep, n, gebeurtenissen: g.rows.reduce((a, r) => a + r.e1, 0) });
    const times = g.rows.map((r) => r.tijd);
    // at risk at t: all with time ≥ t
    const atRiskFrom: number[] = new Array(g.rows.length);
    for (let i = g.rows.length - 1, acc = 0; i >= 0; i--) {
      acc += g.rows[i].e1 + g.rows[i].e2 + g.rows[i].c;
      atRiskFrom[i] = acc;
    }
    const nRiskAt = (t: number): number => {
      const i = stepIndex(times, t - 1e-9); // last time < t
      return i + 1 < atRiskFrom.length ? atRiskFrom[i + 1] : 0;
    };
    for (const methode of s.methoden) {
      let tTime: number[], cum: number[], se: number[], lo: number[], hi: number[], nr: number[];
      if (methode === "km") {
        const counts: TimeCount[] = g.rows.map((r) => ({ time: r.tijd, nEvent: r.e1, nCensor: r.c + r.e2 }));
        const km = kaplanMeier(counts, opts);
        tTime = km.time; cum = km.cumInc; se = km.stdErr; nr = km.nRisk;
        lo = km.upper.map((u) => 1 - u);
        hi = km.lower.map((l) => 1 - l);
        mediaan.push({ kenmerk: g.kenmerk, groep: g.groep, mediaan: km.median.estimate, lower: km.median.lower, upper: km.median.upper });
      } else {
        const counts: CompetingTimeCount[] = g.rows.map((r) => ({ time: r.tijd, nEvents: [r.e1, r.e2], nCensor: r.c }));
        const aj = aalenJohansen(counts, opts);
        tTime = aj.time; cum = aj.cumInc[0]; se = aj.stdErr[0]; nr = aj.nRisk;
        lo = aj.lower[0]; hi = aj.upper[0];
      }
      const byTime = new Map(g.rows.map((r) => [r.tijd, r]));
      tTime.forEach((t, i) => {
        const c = byTime.get(t);
        schatting.push({
          kenmerk: g.kenmerk, groep: g.groep, methode, tijd: t, n_risico: nr[i],
          n_gebeurtenis: c?.e1 ?? 0, n_concurrerend: c?.e2 ?? 0, n_censuur: c?.c ?? 0,
          cum_incidentie: cum[i], std_err: se[i], lower: lo[i], upper: hi[i],
        });
      });
      for (const d of s.leespunten) {
        const i = stepIndex(tTime, d);
        leespunten.push({
          kenmerk: g.kenmerk, groep: g.groep, methode, dag: d,
          cum_incidentie: i < 0 ? 0 : cum[i], lower: i < 0 ? 0 : lo[i], upper: i < 0 ? 0 : hi[i],
          n_risico: nRiskAt(d),
        });
      }
    }
  }
  for (const k of s.kenmerken) {
    const gs = groups.filter((g) => g.kenmerk === k);
    if (gs.length < 2) {
      logrank.push({ kenmerk: k, chikwadraat: null, df: null, p: null });
      continue;
    }
    const map = new Map<string, TimeCount[]>(
      gs.map((g) => [g.groep, g.rows.map((r) => ({ time: r.tijd, nEvent: r.e1, nCensor: r.c + r.e2 }))]),
    );
    const lr = logRank(map);
    logrank.push({ kenmerk: k, chikwadraat: lr.chisq, df: lr.df, p: lr.p });
  }
  return { schatting, leespunten, aantallen, mediaan, logrank };
}

/** Published survival tables (docs/publish.md "Survival tables"). */
export function publishSurvival(t: Tables, rules: DisclosureRules): Tables {
  const schatting = t.schatting;
  // index rows per (kenmerk, groep, methode)
  const series = new Map<string, Row[]>();
  for (const r of schatting) {
    const k = `${r.kenmerk}\u0000${r.groep}\u0000${r.methode}`;
    const l = series.get(k);
    if (l) l.push(r);
    else series.set(k, [r]);
  }
  const n = new Map(t.aantallen.map((r) => [`${r.kenmerk}\u0000${r.groep}`, num(r.n)]));
  const atRisk = (rows: Row[], d: number): number => {
    for (const r of rows) if (num(r.tijd) >= d) return num(r.n_risico);
    return 0;
  };
  const kenmerken = [...new Set(t.aantallen.map((r) => String(r.kenmerk)))];
  const methoden = [...new Set(schatting.map((r) => String(r.methode)))];
  const curve: Row[] = [];
  // Each shown group is published on the grid only while it has >= minAtRisk at risk; a group
  // with little follow-up (endings of the last year, say) stops earlier than the others.
  const cut = new Map<string, number>(); // last publishable grid day per kenmerk+groep+methode
  for (const k of kenmerken) {
    const groepen = t.aantallen.filter((r) => r.kenmerk === k).map((r) => String(r.groep));
    for (const m of methoden) {
      for (const g of groepen) {
        const rs = series.get(`${k}\u0000${g}\u0000${m}`) ?? [];
        const grid = publishableGrid(rules.curveGrid, (d) => [atRisk(rs, d)], rules);
        cut.set(`${k}\u0000${g}\u0000${m}`, grid.length ? grid[grid.length - 1] : -1);
        if ((n.get(`${k}\u0000${g}`) ?? 0) < rules.minNoemer) continue; // group too small to show
        for (const d of grid) {
          let last: Row | undefined;
          for (const r of rs) {
            if (num(r.tijd) <= d) last = r;
            else break;
          }
          curve.push({
            kenmerk: k, groep: g, methode: m, dag: d,
            cum_incidentie: last ? num(last.cum_incidentie) : 0,
            lower: last ? num(last.lower) : 0,
            upper: last ? num(last.upper) : 0,
            n_risico: atRisk(rs, d),
          });
        }
      }
    }
  }
  const lees = copyRows(t.leespunten);
  for (const r of lees) {
    const c = cut.get(`${r.kenmerk}\u0000${r.groep}\u0000${r.methode}`) ?? -1;
    if (num(r.dag) > c || (n.get(`${r.kenmerk}\u0000${r.groep}`) ?? 0) < rules.minNoemer) {
      for (const col of ["cum_incidentie", "lower", "upper", "n_risico"]) hide(r, col);
    }
  }
  hideSmallCounts(lees, ["n_risico"], rules);

  const aantallen = copyRows(t.aantallen);
  hideSmallCounts(aantallen, ["n", "gebeurtenissen"], rules);
  for (const col of ["n", "gebeurtenissen"]) {
    // groups of a kenmerk add up to the total of all endings (published as kenmerk jobcoach/totaal)
    secondarySuppression(aantallen, col, [{ key: (r) => String(r.kenmerk), totalKnown: true }]);
  }
  hideWith(aantallen, "n", ["gebeurtenissen"]);
  // n − gebeurtenissen (those without the event) must not be a small count either
  hideSharesOfSmallCounts(aantallen, ["gebeurtenissen"], (r) => r.gebeurtenissen, (r) => r.n, rules);

  const med = copyRows(t.mediaan ?? []);
  requireDenominator(med, ["mediaan", "lower", "upper"], (r) => n.get(`${r.kenmerk}\u0000${r.groep}`) ?? 0, rules);

  const lr = copyRows(t.logrank);
  return {
    curve: finalize(curve, ["kenmerk", "groep", "methode", "dag", "cum_incidentie", "lower", "upper", "n_risico"]),
    leespunten: finalize(lees, ["kenmerk", "groep", "methode", "dag", "cum_incidentie", "lower", "upper", "n_risico"]),
    aantallen: finalize(aantallen, ["kenmerk", "groep", "n", "gebeurtenissen"]),
    mediaan: finalize(med, ["kenmerk", "groep", "mediaan", "lower", "upper"]),
    logrank: finalize(lr, ["kenmerk", "chikwadraat", "df", "p"]),
  };
}
