/**
 * Protection of the whole publication (docs/publish.md): after every analysis has applied the
 * table-by-table rules, the published tables of all analyses are one system (./system.ts). Here
 * the declared relations are self-tested on the true values, secondary suppression runs over the
 * system, the attacker check (./attacker.ts) solves what an outside checker with every published
 * file could work out, and the report publish/controle.json is made. Nothing is written here: a
 * failed check throws DisclosureCheckError and the caller publishes nothing.
 */
import type { Row } from "../types.ts";
import { PublicationRefused } from "../../core/errors.ts";
import type { DisclosureRules } from "./rules.ts";
import { type AuditCell, type AuditConstraint, type AuditMemo, type AuditResult, audit } from "./attacker.ts";
import { hiddenReason, isHidden, P_RULE, type HideReason } from "./index.ts";
import {
  buildSystem,
  hiddenInFile,
  protectSystem,
  repairFailures,
  selfTest,
  sensitiveCells,
  SHARE_DECIMALS,
  type SystemInput,
  type TableSystem,
} from "./system.ts";

/** A hidden cell that the attacker check can narrow too far: the run publishes nothing (exit EXIT_REFUSED). */
export class DisclosureCheckError extends PublicationRefused {
  constructor(message: string, cells: string[]) {
    super(message, cells);
    this.name = "DisclosureCheckError";
  }
}

const NUMERIC = new Set(["count", "share", "mean", "median", "index", "curve-value", "bound", "statistic"]);

export interface TableReport {
  analyse: string;
  tabel: string;
  cellen: number;
  getoond: number;
  leeg: number;
  verborgen: Record<HideReason, number>;
}

export interface ControlReport {
  regels: {
    min_aantal: number;
    min_noemer: number;
    min_at_risk: number;
    beschermingsmarge: number;
    p_procent: number;
    aandelen_decimalen: number;
  };
  relaties: { gedeclareerd: number; beperkingen: number; cellen: number };
  secundair_systeem: { verborgen: number; rondes: number };
  aanvalscontrole: { verborgen_cellen: number; componenten: number; oplossingen: number; rondes: number; geslaagd: boolean };
  tabellen: TableReport[];
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
const round2 = (v: number) => round(v, 2);

/**
 * What the suppression pattern tells of a hidden count in a file: the rules hide a count 1..minAantal−1
 * and pick positive partners, and a 0 is shown, so a reader takes a hidden count as ≥ 1. The check
 * grants the attacker that for every hidden file count that is ≥ 1 in truth (a hidden 0, from a
 * rule that hides a whole row, keeps 0: a stronger attacker than the rules allow, never a weaker
 * one). The same holds for a count behind a hidden share: the share is hidden because of it. A
 * count no file shows otherwise (in a column the table does not publish, a total of no table)
 * stays ≥ 0.
 */
function patternLower(sys: TableSystem, i: number): number {
  const c = sys.cells[i]!;
  return c.kind === "count" && c.value >= 1 && hiddenInFile(sys, i) ? 1 : 0;
}

/** What the attacker knows: every published number (shares as their rounding interval) and every declared relation. */
export function auditInput(sys: TableSystem, rules: DisclosureRules): { cells: AuditCell[]; constraints: AuditConstraint[] } {
  const sensitive = sensitiveCells(sys, rules);
  const cells: AuditCell[] = [];
  const used = new Set<number>();
  const constraints: AuditConstraint[] = [];
  /** hidden denominators of shown shares and means */
  const atLeastNoemer = new Set<number>();
  for (const c of sys.constraints) {
    if (c.type === "linear") {
      for (const [i] of c.terms) used.add(i);
      constraints.push({ terms: c.terms.map(([i, k]) => [sys.cells[i]!.id, k]), op: "=", rhs: 0, label: c.label });
      continue;
    }
    if (c.type === "atMost") {
      for (const [i] of c.terms) used.add(i);
      constraints.push({ terms: c.terms.map(([i, k]) => [sys.cells[i]!.id, k]), op: "<=", rhs: 0, label: c.label });
      continue;
    }
    const f = sys.cells[c.factor]!;
    if (f.kind === "share" && c.per === 1 && !sys.cells[c.base]!.known) {
      // a share is at most 1: its count is at most its denominator, shown or not (a hidden 7 of
      // a shown 10 lies in [1, 10]). Not over a denominator declared `known`: that declaration
      // already overstates what a reader knows (a window's endings are exact only where all its
      // months are shown), and with the bound every count of a small window would be refused.
      used.add(c.result);
      used.add(c.base);
      constraints.push({
        terms: [
          [sys.cells[c.result]!.id, 1],
          [sys.cells[c.base]!.id, -1],
        ],
        op: "<=",
        rhs: 0,
        label: c.label,
      });
    }
    // a share or mean is shown only where its denominator is at least minNoemer (the table rules'
    // requireDenominator): a shown one tells that of a hidden denominator. Taken where it holds
    // (everywhere a rule requires it; where a table shows one without, a stronger attacker)
    const base = sys.cells[c.base]!;
    if (f.published && !base.published && base.kind === "count" && base.value >= rules.minNoemer) atLeastNoemer.add(c.base);
    if (!f.published) continue; // a hidden share or mean says nothing more that is linear
    // the attacker sees the rounded value; the true factor lies within its rounding interval
    const shown = f.rounding > 0 ? round(f.value, SHARE_DECIMALS) : f.value;
    const lo = (shown - f.rounding) / c.per,
      hi = (shown + f.rounding) / c.per;
    const r = sys.cells[c.result]!.id,
      b = sys.cells[c.base]!.id;
    used.add(c.result);
    used.add(c.base);
    if (lo === hi)
      constraints.push({
        terms: [
          [r, 1],
          [b, -lo],
        ],
        op: "=",
        rhs: 0,
        label: c.label,
      });
    else {
      constraints.push({
        terms: [
          [r, 1],
          [b, -lo],
        ],
        op: ">=",
        rhs: 0,
        label: c.label,
      });
      constraints.push({
        terms: [
          [r, 1],
          [b, -hi],
        ],
        op: "<=",
        rhs: 0,
        label: c.label,
      });
    }
  }
  // a-priori bounds: no count or sum exceeds ten times the largest of its kind (a loose bound the
  // solver needs for the cells nobody is asked about; it narrows no sensitive cell)
  const ceiling = { count: 1000, magnitude: 1000 };
  for (const i of used) {
    const c = sys.cells[i]!;
    if (c.kind === "count" || c.kind === "magnitude") ceiling[c.kind] = Math.max(ceiling[c.kind], 10 * Math.abs(c.value));
  }
  for (const i of used) {
    const c = sys.cells[i]!;
    if (c.kind === "share" || c.kind === "mean") continue; // factors, not unknowns
    const kind = c.kind === "count" ? "count" : "magnitude";
    const lower = atLeastNoemer.has(i) ? rules.minNoemer : patternLower(sys, i);
    const base = { id: c.id, value: c.value, integer: kind === "count", lower, kind } as const;
    if (c.published) cells.push({ ...base, hidden: false });
    else if (sensitive[i]) cells.push({ ...base, hidden: true });
    else cells.push({ ...base, hidden: false, known: [lower, ceiling[kind]] });
  }
  return { cells, constraints };
}

/** Integer slack when comparing an interval's end with what it must reach. */
const FLOOR_TOL = 1e-6;

/**
 * The least value of each cell in `ids` that the suppression pattern alone tells: the linear
 * relations with every cell unknown, a hidden file count at least 1 (`patternLower`), and no
 * published value used (products with a published share left out). A hidden total of five hidden
 * positive parts is at least 5 whatever is published: no choice of partners can take that back.
 */
async function patternFloors(sys: TableSystem, ids: ReadonlySet<string>): Promise<Map<string, number>> {
  const cells = new Map<string, AuditCell>();
  const constraints: AuditConstraint[] = [];
  for (const c of sys.constraints) {
    if (c.type === "product") continue;
    const terms = c.terms.map(([i]) => sys.cells[i]!);
    if (terms.some((t) => t.kind !== "count" && t.kind !== "magnitude")) continue;
    constraints.push({
      terms: c.terms.map(([i, k]) => [sys.cells[i]!.id, k]),
      op: c.type === "linear" ? "=" : "<=",
      rhs: 0,
      label: c.label,
    });
    for (const [j] of c.terms) {
      const t = sys.cells[j]!;
      if (cells.has(t.id)) continue;
      const lower = patternLower(sys, j);
      const base = { id: t.id, value: t.value, integer: t.kind === "count", lower, kind: t.kind as "count" | "magnitude" };
      cells.set(t.id, ids.has(t.id) ? { ...base, hidden: true } : { ...base, hidden: false, known: [lower, Number.POSITIVE_INFINITY] });
    }
  }
  const res = await audit([...cells.values()], constraints, { countMargin: 0, pPercent: 0 });
  const floors = new Map<string, number>();
  sys.cells.forEach((c, i) => {
    if (ids.has(c.id)) floors.set(c.id, res.intervals.get(c.id)?.[0] ?? patternLower(sys, i));
  });
  return floors;
}

/**
 * Drops the failures that are only a lower end above what is required, where that end is the
 * pattern's own floor (`patternFloors`): what the rules tell by hiding, not what the published
 * values add. The upper end is never excused.
 */
async function excusePatternFloors(sys: TableSystem, result: AuditResult): Promise<AuditResult> {
  const lowOnly = result.failures.filter((f) => f.max >= f.needHigh - FLOOR_TOL && f.min > f.needLow + FLOOR_TOL);
  if (lowOnly.length === 0) return result;
  const floors = await patternFloors(sys, new Set(lowOnly.map((f) => f.id)));
  const excused = new Set(lowOnly.filter((f) => f.min <= floors.get(f.id)! + FLOOR_TOL).map((f) => f.id));
  return { ...result, failures: result.failures.filter((f) => !excused.has(f.id)) };
}

/** Protect the published tables of all analyses as one system, in place; returns the report for controle.json. */
export async function protectPublication(inputs: SystemInput[], rules: DisclosureRules): Promise<ControlReport> {
  const sys = buildSystem(inputs);
  selfTest(sys);
  const prot = protectSystem(sys, rules);
  if (prot.unresolved.length > 0) {
    throw new DisclosureCheckError(
      `openbaarmakingscontrole: ${prot.unresolved.length} verborgen cel(len) zijn exact terug te rekenen en geen gepubliceerde cel kan dat verhinderen: ${prot.unresolved.slice(0, 5).join(", ")}`,
      prot.unresolved,
    );
  }
  // the attacker check; where it narrows a cell too far, one more partner is hidden and the
  // check runs again (secondary suppression above leaves few such cells)
  let result!: AuditResult;
  let repaired = 0;
  /** HiGHS runs over all rounds */
  let solves = 0;
  let rounds = 0;
  // a round after a repair re-solves only the components the new partners changed
  const memo: AuditMemo = new Map();
  for (;;) {
    rounds++;
    const { cells, constraints } = auditInput(sys, rules);
    // each side of a hidden cell's interval is searched until it reaches what the cell requires:
    // the same failures as the exact intervals, found without the integer programs that exact
    // bounds of large components need (patternFloors below asks for exact lower ends)
    result = await audit(cells, constraints, { countMargin: rules.beschermingsmarge, pPercent: P_RULE, upToRequired: true }, memo);
    solves += result.solves;
    result = await excusePatternFloors(sys, result);
    if (result.failures.length === 0) break;
    // every round hides at least one more published cell, so the rounds end: with nothing left
    // to hide around a failing cell the publication is refused (no fixed number of rounds: a
    // world whose relations need many rounds is protected, not refused)
    const more = repairFailures(
      sys,
      result.failures.map((f) => f.id),
    );
    if (more === 0) {
      const named = result.failures
        .slice(0, 5)
        .map((f) => `${f.id} (af te leiden tot [${round2(f.min)}, ${round2(f.max)}], via ${f.labels.join("; ")})`)
        .join(", ");
      throw new DisclosureCheckError(
        `openbaarmakingscontrole: ${result.failures.length} verborgen cel(len) zijn uit de gepubliceerde bestanden terug te rekenen: ${named}`,
        result.failures.map((f) => f.id),
      );
    }
    // a repair partner may itself be pinned by another relation (a region's month in a table
    // whose rows and columns both have published totals): the system phase gives it a partner
    // of its own, as it does for the first partners
    const again = protectSystem(sys, rules);
    repaired += more + again.hidden;
  }
  roundShares(inputs);
  return {
    regels: {
      min_aantal: rules.minAantal,
      min_noemer: rules.minNoemer,
      min_at_risk: rules.minAtRisk,
      beschermingsmarge: rules.beschermingsmarge,
      p_procent: P_RULE * 100,
      aandelen_decimalen: SHARE_DECIMALS,
    },
    relaties: {
      gedeclareerd: inputs.reduce((n, a) => n + a.relations.length, 0),
      beperkingen: sys.constraints.length,
      cellen: sys.cells.length,
    },
    secundair_systeem: { verborgen: prot.hidden + repaired, rondes: prot.rounds },
    aanvalscontrole: {
      verborgen_cellen: result.hiddenCells,
      componenten: result.components,
      oplossingen: solves,
      rondes: rounds,
      geslaagd: true,
    },
    tabellen: tableReports(inputs),
  };
}

/** Published shares to SHARE_DECIMALS decimals (rounding alone protects nothing: the attacker check takes it as an interval). */
function roundShares(inputs: SystemInput[]): void {
  for (const a of inputs) {
    for (const [name, rows] of Object.entries(a.tabellen)) {
      const cols = (a.publishes[name]?.columns ?? []).filter((c) => c.kind === "share").map((c) => c.name);
      for (const r of rows) for (const c of cols) if (typeof r[c] === "number") r[c] = round(r[c] as number, SHARE_DECIMALS);
    }
  }
}

/** Per published table: numeric cells shown, empty (not a suppression) and hidden by reason. Counts only, no values. */
function tableReports(inputs: SystemInput[]): TableReport[] {
  const out: TableReport[] = [];
  for (const a of inputs) {
    for (const [name, rows] of Object.entries(a.tabellen)) {
      const cols = (a.publishes[name]?.columns ?? []).filter((c) => NUMERIC.has(c.kind)).map((c) => c.name);
      const rep: TableReport = {
        analyse: a.id,
        tabel: name,
        cellen: 0,
        getoond: 0,
        leeg: 0,
        verborgen: { primair: 0, secundair: 0, systeem: 0, stapregel: 0, dominantie: 0 },
      };
      for (const r of rows as Row[]) {
        for (const c of cols) {
          rep.cellen++;
          if (isHidden(r, c)) rep.verborgen[hiddenReason(r, c) ?? "primair"]++;
          else if (r[c] === null) rep.leeg++;
          else rep.getoond++;
        }
      }
      out.push(rep);
    }
  }
  return out;
}
