/**
 * Shared machinery of the survival analyses (duur_tot_volgende_baan, duur_incl_proefplaatsing,
 * duur_per_jaar, reintegratie_uptake): one survival fit per group, one read-out.
 *
 * - counts: `competingCountsBy` (analyses/survival/duckdb.ts) aggregates the person rows to
 *   (kenmerk, groep, tijd) counts in one DuckDB scan; a missing group is `NULL_GROUP`;
 * - fit: Kaplan–Meier (competing events censored) or Aalen–Johansen per group, kept as the
 *   cumulative incidence of the event of interest (`incidenceCurve`), stored per distinct time
 *   as the `schatting` table;
 * - read-out: every value at a chosen day (the reading points here, the publication grid and
 *   its numbers at risk in analyses/disclosure/survival.ts) comes from the R-tested `atTimes`
 *   on that curve;
 * - variance (`survival.variantie`): `robuust` (default) replaces the curves' standard errors and
 *   CIs (and so the medians' CIs) by the person-level ones and the log-rank test by the
 *   cluster-robust score test, all kenmerken at once from one table of the rows and one of the
 *   pairs of rows of a person (analyses/survival/robust-rows.ts, robust-curves.ts,
 *   robust-score-tests.ts), which also give the counts; `greenwood` counts per kenmerk and keeps
 *   Greenwood, the plain Aalen–Johansen variance and the log-rank test.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  aalenJohansen,
  atTimes,
  competingCountsBy,
  curveKey,
  incidenceCurve,
  kaplanMeier,
  logRank,
  NULL_GROUP,
  robustCurveVariance,
  robustRows,
  robustScoreTests,
  withAjVariance,
  withKmVariance,
  type CurveVariance,
  type RobustCurves,
  type ScoreTest,
} from "../survival/index.ts";
import type { CompetingTimeCount, ConfType, IncidenceCurve, TimeCount } from "../survival/types.ts";
import type { Row, Tables } from "../types.ts";
import { ident, join, sql, type Sql } from "../../core/sql.ts";
import { num } from "./sql.ts";

export type Methode = "km" | "aj";

export interface SurvivalSpec {
  /** SQL relation with one row per person-ending (a table name or a parenthesised subquery) */
  bron: Sql;
  /** SQL condition on the relation (default TRUE) */
  waar?: Sql;
  /** SQL expression of the time in days */
  tijd: Sql;
  /** SQL expression of the status: 0 censored, 1 event of interest, 2 competing event (anything else is an error) */
  status: Sql;
  /** breakdown columns of the relation (names, quoted as identifiers); `totaal` is one group over everything */
  kenmerken: string[];
  /** `km`: competing events are censored (the report); `aj`: Aalen–Johansen, status 2 competing */
  methoden: Methode[];
  confType: ConfType;
  confLevel: number;
  leespunten: number[];
  /**
   * `robuust`: person-level variance of the curves (a person counts once however many endings
   * they had) and the cluster-robust score test; `greenwood`: every ending independent
   * (Greenwood / plain Aalen–Johansen variance, log-rank test). Config `survival.variantie`.
   */
  variantie: Variantie;
  /** SQL expression of the person (the cluster of the robust variance) */
  persoon: Sql;
}

export type Variantie = "robuust" | "greenwood";

/**
 * The name of the published test of group differences (`logrank` table, column `toets`):
 * robuust: the cluster-robust score test (Efron), as R `coxph(..., cluster = persoon)`'s
 * robust score test; greenwood: the log-rank test (R `survdiff`).
 */
export const TOETS: Record<Variantie, string> = { robuust: "robuuste scoretoets", greenwood: "logrank" };

/** Column expression for a kenmerk: its value as text (NULL becomes `NULL_GROUP` in the counts). */
function groepExpr(k: string): Sql {
  return k === "totaal" ? sql`'totaal'` : sql`CAST(${ident(k)} AS VARCHAR)`;
}

export interface GroupCounts {
  kenmerk: string;
  groep: string;
  /** per distinct time: nEvents [event of interest, competing event], nCensor */
  counts: CompetingTimeCount[];
}

async function loadCounts(conn: DuckDBConnection, s: SurvivalSpec): Promise<GroupCounts[]> {
  const src = sql`SELECT * FROM ${s.bron} WHERE (${s.waar ?? sql`TRUE`}) AND (${s.tijd}) IS NOT NULL AND (${s.status}) IS NOT NULL`;
  const parts = s.kenmerken.map(
    (k) =>
      sql`SELECT ${k} AS kenmerk, ${groepExpr(k)} AS groep, CAST(greatest(${s.tijd}, 0) AS DOUBLE) AS tijd, (${s.status}) AS status FROM src`,
  );
  const byKenmerk = await competingCountsBy(conn, sql`WITH src AS (${src}) ${join(parts, sql` UNION ALL `)}`, 2);
  const out: GroupCounts[] = [];
  for (const [kenmerk, groups] of byKenmerk) for (const [groep, counts] of groups) out.push({ kenmerk, groep, counts });
  // keep the spec's kenmerk order, groups sorted (numerically when numeric, e.g. jaar)
  const order = new Map(s.kenmerken.map((k, i) => [k, i]));
  return out.sort((a, b) => order.get(a.kenmerk)! - order.get(b.kenmerk)! || cmpGroep(a.groep, b.groep));
}

/** Fixed order of known category values (jobcoach: extern, intern, geen as in the report). */
const VOLGORDE = ["extern", "intern", "geen", "totaal", NULL_GROUP];

export function cmpGroep(a: string, b: string): number {
  const ia = VOLGORDE.indexOf(a),
    ib = VOLGORDE.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? -1 : ia) - (ib < 0 ? -1 : ib) || (a < b ? -1 : a > b ? 1 : 0);
  const na = Number(a),
    nb = Number(b);
  if (a !== "" && b !== "" && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Kaplan–Meier counts: competing events censored (the report's definition). */
const kmCounts = (counts: CompetingTimeCount[]): TimeCount[] =>
  counts.map((c) => ({ time: c.time, nEvent: c.nEvents[0]!, nCensor: c.nCensor + c.nEvents[1]! }));

/**
 * The stored curve of one (kenmerk, groep, methode): its `schatting` rows (sorted by tijd) as
 * the incidence curve they were written from, for `atTimes`.
 */
export function storedCurve(rows: readonly Row[]): IncidenceCurve {
  const col = (c: string) => rows.map((r) => num(r[c]));
  return {
    time: col("tijd"),
    nRisk: col("n_risico"),
    nEvent: col("n_gebeurtenis"),
    nCensor: col("n_censuur"),
    cumInc: col("cum_incidentie"),
    stdErr: col("std_err"),
    lower: col("lower"),
    upper: col("upper"),
  };
}

function curveVariance(variance: ReadonlyMap<string, CurveVariance>, g: GroupCounts, methode: Methode): CurveVariance {
  const v = variance.get(curveKey(g.kenmerk, g.groep, methode));
  if (!v) throw new Error(`survival: geen robuuste variantie voor ${g.kenmerk} = ${g.groep} (${methode})`);
  return v;
}

/** The variance at each of a fit's times (every time of the fit is a time of the group). */
function alignedTo(times: readonly number[], v: CurveVariance): number[] {
  const at = new Map(v.time.map((t, i) => [t, v.variance[i]!]));
  return times.map((t) => {
    const x = at.get(t);
    if (x === undefined) throw new Error(`survival: geen robuuste variantie op tijd ${t}`);
    return x;
  });
}

/**
 * Full-precision survival result tables:
 * - `schatting`: kenmerk, groep, methode, tijd, n_risico, n_gebeurtenis, n_concurrerend, n_censuur,
 *   cum_incidentie, std_err, lower, upper — at every distinct time;
 * - `leespunten`: kenmerk, groep, methode, dag, cum_incidentie, lower, upper, n_risico;
 * - `aantallen`: kenmerk, groep, n, gebeurtenissen;
 * - `mediaan` (KM): kenmerk, groep, mediaan, lower, upper;
 * - `logrank`: kenmerk, toets, chikwadraat, df, p (KM: competing events censored): the test of
 *   group differences, `toets` says which (TOETS).
 */
export async function runSurvival(conn: DuckDBConnection, s: SurvivalSpec): Promise<Tables> {
  if (s.variantie === "greenwood") return fitSurvival(await loadCounts(conn, s), s);
  if (s.variantie !== "robuust") throw new Error(`survival: onbekende variantie ${String(s.variantie)}`);
  const rows = await robustRows(conn, { ...s, waar: s.waar ?? sql`TRUE` });
  let robust: RobustCurves;
  let tests: ScoreTest[];
  try {
    robust = await robustCurveVariance(conn, rows, s.methoden);
    tests = await robustScoreTests(conn, rows, robust.counts);
  } finally {
    await rows.drop();
  }
  const groups: GroupCounts[] = [];
  const order = new Map(s.kenmerken.map((k, i) => [k, i]));
  for (const [key, counts] of robust.counts) {
    const [kenmerk, groep] = key.split("\u0000") as [string, string];
    groups.push({ kenmerk, groep, counts });
  }
  groups.sort((a, b) => order.get(a.kenmerk)! - order.get(b.kenmerk)! || cmpGroep(a.groep, b.groep));
  const tables = fitSurvival(groups, s, robust.variance);
  return { ...tables, logrank: tests.map((t) => ({ kenmerk: t.kenmerk, toets: TOETS.robuust, chikwadraat: t.chisq, df: t.df, p: t.p })) };
}

/**
 * The tables of `runSurvival` from counts already aggregated per (kenmerk, groep, tijd), in the
 * order given (runSurvival: the spec's kenmerk order, groups by `cmpGroep`). Pure; tests build
 * small tables with it from hand-made event lists. With `variance` (the robust curves) the
 * `logrank` table stays empty: runSurvival fills it with the cluster-robust score tests.
 */
export function fitSurvival(
  groups: readonly GroupCounts[],
  s: Pick<SurvivalSpec, "kenmerken" | "methoden" | "confType" | "confLevel" | "leespunten">,
  variance?: ReadonlyMap<string, CurveVariance>,
): Tables {
  const schatting: Row[] = [],
    leespunten: Row[] = [],
    aantallen: Row[] = [],
    mediaan: Row[] = [],
    logrank: Row[] = [];
  const opts = { confType: s.confType, confLevel: s.confLevel };
  for (const g of groups) {
    const n = g.counts.reduce((a, c) => a + c.nEvents[0]! + c.nEvents[1]! + c.nCensor, 0);
    aantallen.push({ kenmerk: g.kenmerk, groep: g.groep, n, gebeurtenissen: g.counts.reduce((a, c) => a + c.nEvents[0]!, 0) });
    const byTime = new Map(g.counts.map((c) => [c.time, c]));
    for (const methode of s.methoden) {
      let curve: IncidenceCurve;
      const v = variance && curveVariance(variance, g, methode);
      if (methode === "km") {
        const km = kaplanMeier(kmCounts(g.counts), opts);
        if (v) withKmVariance(km, alignedTo(km.time, v));
        curve = incidenceCurve(km);
        mediaan.push({ kenmerk: g.kenmerk, groep: g.groep, mediaan: km.median.estimate, lower: km.median.lower, upper: km.median.upper });
      } else {
        const aj = aalenJohansen(g.counts, opts);
        if (v) withAjVariance(aj, 0, alignedTo(aj.time, v));
        curve = incidenceCurve(aj, 0);
      }
      curve.time.forEach((t, i) => {
        const c = byTime.get(t);
        schatting.push({
          kenmerk: g.kenmerk,
          groep: g.groep,
          methode,
          tijd: t,
          n_risico: curve.nRisk[i]!,
          n_gebeurtenis: c?.nEvents[0] ?? 0,
          n_concurrerend: c?.nEvents[1] ?? 0,
          n_censuur: c?.nCensor ?? 0,
          cum_incidentie: curve.cumInc[i]!,
          std_err: curve.stdErr[i]!,
          lower: curve.lower[i]!,
          upper: curve.upper[i]!,
        });
      });
      const at = atTimes(curve, s.leespunten);
      const index = new Map(at.time.map((d, i) => [d, i]));
      for (const d of s.leespunten) {
        const i = index.get(d)!;
        leespunten.push({
          kenmerk: g.kenmerk,
          groep: g.groep,
          methode,
          dag: d,
          cum_incidentie: at.cumInc[i]!,
          lower: at.lower[i]!,
          upper: at.upper[i]!,
          n_risico: at.nRisk[i]!,
        });
      }
    }
  }
  // with the robust variance runSurvival publishes the cluster-robust score tests instead
  if (!variance)
    for (const k of s.kenmerken) {
      const gs = groups.filter((g) => g.kenmerk === k);
      if (gs.length < 2) {
        logrank.push({ kenmerk: k, toets: TOETS.greenwood, chikwadraat: null, df: null, p: null });
        continue;
      }
      const lr = logRank(new Map<string, TimeCount[]>(gs.map((g) => [g.groep, kmCounts(g.counts)])));
      logrank.push({ kenmerk: k, toets: TOETS.greenwood, chikwadraat: lr.chisq, df: lr.df, p: lr.p });
    }
  return { schatting, leespunten, aantallen, mediaan, logrank };
}
