/**
 * Publication rules of the survival tables (docs/publish.md "Survival tables"), on top of the
 * general disclosure control in ./index.ts. The curve is published on the fixed grid only,
 * each shown group while it has at least minAtRisk at risk; every value on the grid is read
 * from the stored curve with `atTimes` (analyses/survival), as the reading points are.
 */
import { atTimes } from "../survival/index.ts";
import type { Row, Tables } from "../types.ts";
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

/**
 * The grid points on which a survival curve may be published: the fixed grid, cut off at the
 * first point where any of the given groups has fewer than minAtRisk at risk (and never
 * beyond). Survival tables call it per group, so each shown curve stops where it runs thin.
 */
export function publishableGrid(grid: number[], nRiskAt: (t: number) => number[], rules: DisclosureRules): number[] {
  const out: number[] = [];
  for (const t of [...grid].sort((a, b) => a - b)) {
    const risks = nRiskAt(t);
    if (risks.length === 0 || risks.some((n) => !(n >= rules.minAtRisk))) break;
    out.push(t);
  }
  return out;
}

const key = (...parts: unknown[]) => parts.map(String).join("\u0000");

/** Published survival tables (docs/publish.md "Survival tables") from the result of `runSurvival`. */
export function publishSurvival(t: Tables, rules: DisclosureRules): Tables {
  // the stored curve of each (kenmerk, groep, methode), rows in time order
  const { schatting, aantallen: aantallenIn, leespunten, logrank } = t;
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
  const curve: Row[] = [];
  // Each shown group is published on the grid only while it has >= minAtRisk at risk; a group
  // with little follow-up (endings of the last year, say) stops earlier than the others.
  const cut = new Map<string, number>(); // last publishable grid day per kenmerk+groep+methode
  for (const k of kenmerken) {
    const groepen = aantallenIn.filter((r) => r.kenmerk === k).map((r) => String(r.groep));
    for (const m of methoden) {
      for (const g of groepen) {
        const read = atTimes(storedCurve(series.get(key(k, g, m)) ?? []), rules.curveGrid);
        const at = new Map(read.time.map((d, i) => [d, i]));
        const grid = publishableGrid(rules.curveGrid, (d) => [read.nRisk[at.get(d)!]!], rules);
        cut.set(key(k, g, m), grid.length ? grid[grid.length - 1]! : -1);
        if ((n.get(key(k, g)) ?? 0) < rules.minNoemer) continue; // group too small to show
        for (const d of grid) {
          const i = at.get(d)!;
          curve.push({
            kenmerk: k,
            groep: g,
            methode: m,
            dag: d,
            cum_incidentie: read.cumInc[i]!,
            lower: read.lower[i]!,
            upper: read.upper[i]!,
            n_risico: read.nRisk[i]!,
          });
        }
      }
    }
  }
  const lees = copyRows(leespunten);
  for (const r of lees) {
    const c = cut.get(key(r.kenmerk, r.groep, r.methode)) ?? -1;
    if (num(r.dag) > c || (n.get(key(r.kenmerk, r.groep)) ?? 0) < rules.minNoemer) {
      for (const col of ["cum_incidentie", "lower", "upper", "n_risico"]) hide(r, col);
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

  const lr = copyRows(logrank);
  return {
    curve: finalize(curve, ["kenmerk", "groep", "methode", "dag", "cum_incidentie", "lower", "upper", "n_risico"]),
    leespunten: finalize(lees, ["kenmerk", "groep", "methode", "dag", "cum_incidentie", "lower", "upper", "n_risico"]),
    aantallen: finalize(aantallen, ["kenmerk", "groep", "n", "gebeurtenissen"]),
    mediaan: finalize(med, ["kenmerk", "groep", "mediaan", "lower", "upper"]),
    logrank: finalize(lr, ["kenmerk", "chikwadraat", "df", "p"]),
  };
}
