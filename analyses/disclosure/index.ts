/**
 * Statistical disclosure control (docs/publish.md). Every number that goes to publish/ passes
 * through these functions; thresholds come from `params.disclosure` (pipeline/config.ts).
 *
 * Working rows are plain objects; a hidden cell is set to null and remembered, so that
 * `finalize` can mark the row `onderdrukt: true` (a null that is not a suppression — e.g. a
 * median that is not reached — does not mark the row).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Parameters } from "../../pipeline/config.ts";
import type { Cell, Row, Tables } from "../types.ts";
import type { DisclosureRules } from "./rules.ts";
import { query } from "../lib/sql.ts";
import { ident, join, sql } from "../../core/sql.ts";
import { partnerScore } from "./partner-key.ts";

export type { DisclosureRules };

export function rulesFrom(params: Parameters): DisclosureRules {
  const d = params.disclosure;
  return {
    minAantal: d.minAantal,
    minNoemer: d.minNoemer,
    minAtRisk: d.minAtRisk,
    curveGrid: [...d.curveGrid],
    beschermingsmarge: d.beschermingsmarge,
  };
}

/** Why a cell was hidden (publish/controle.json counts cells per reason). */
export type HideReason = "primair" | "secundair" | "systeem" | "stapregel" | "dominantie";

/** Per working row: its hidden cells with their true values and why. */
const hiddenCells = new WeakMap<Row, Map<string, { value: Cell; reason: HideReason }>>();
/** Per published row (from `finalize`): the working row it was made from (every result column). */
const sourceRows = new WeakMap<Row, Row>();

/** Hide one cell (set null, remember it, its true value and why). */
export function hide(row: Row, col: string, reason: HideReason = "primair"): void {
  let s = hiddenCells.get(row);
  if (!s) hiddenCells.set(row, (s = new Map()));
  if (!s.has(col)) s.set(col, { value: row[col] ?? null, reason });
  row[col] = null;
}

/** Why the cell was hidden, or null when it was not. */
export function hiddenReason(row: Row, col: string): HideReason | null {
  const own = hiddenCells.get(row)?.get(col);
  if (own) return own.reason;
  const src = sourceRows.get(row);
  return (src && hiddenCells.get(src)?.get(col)?.reason) ?? null;
}

/** Was the cell hidden (on this row, or on the working row a published row was made from)? */
export function isHidden(row: Row, col: string): boolean {
  if (hiddenCells.get(row)?.has(col)) return true;
  const src = sourceRows.get(row);
  return src !== undefined && (hiddenCells.get(src)?.has(col) ?? false);
}

/**
 * The true (unsuppressed) value of a cell of a working or published row, also of a column the
 * row does not publish (a count behind a share): what the relation self-test and the attacker
 * check compare with. Undefined when the row has no such column.
 */
export function trueValue(row: Row, col: string): Cell | undefined {
  const src = sourceRows.get(row) ?? row;
  const h = hiddenCells.get(src)?.get(col);
  return h ? h.value : src[col];
}

/** Copy rows so suppression never touches the full-precision result. */
export function copyRows(rows: Row[]): Row[] {
  return rows.map((r) => ({ ...r }));
}

/** Primary suppression: counts 1..minAantal-1 become null. 0 stays visible. */
export function hideSmallCounts(rows: Row[], cols: string[], rules: DisclosureRules): void {
  for (const r of rows)
    for (const c of cols) {
      const v = r[c];
      if (typeof v === "number" && v > 0 && v < rules.minAantal) hide(r, c);
    }
}

export interface Grouping {
  /** rows with the same key form one additive group (parts plus, optionally, their total) */
  key: (row: Row) => string;
  /** the total row(s) of the group; when there is none, pass `totalKnown` */
  isTotal?: (row: Row) => boolean;
  /** the group's total is published elsewhere (another table or a kerncijfer) */
  totalKnown?: boolean;
}

/**
 * Secondary suppression: where exactly one part of an additive group is hidden while the
 * group's total is visible (in the table or elsewhere), the hidden cell could be derived as
 * total − visible parts. Then another visible part is hidden as well: one with more than
 * `beschermingsmarge` where there is one, chosen by the run's key, not by its value
 * (./partner-key.ts). A hidden total whose parts are all shown is their sum: one part goes too.
 * Several groupings (rows and columns of a two-way table) are applied until nothing changes.
 *
 * With `rules`, also where several parts are hidden but their sum (total − visible parts) is a
 * small count, or leaves a part hidden by a primary rule less than `beschermingsmarge` of room
 * (what the other hidden parts have above 1, the least a hidden positive count reads as):
 * one more part, or, when no part is left, the group's total (which then needs a partner in its
 * own row). The attacker check asks the same of the whole publication; doing it here keeps a
 * table's pattern from depending on the check's repair.
 */
export function secondarySuppression(
  rows: Row[],
  col: string,
  groupings: Grouping[],
  opts: {
    /** what to compare when picking the partner (default: the cell itself; a share's count when the groups' denominators differ) */
    value?: (row: Row) => number;
    rules?: DisclosureRules;
  } = {},
): void {
  const value = opts.value ?? ((row: Row) => trueValue(row, col) as number);
  const position = new Map(rows.map((r, i) => [r, i]));
  const weak = (hiddenParts: Row[]): boolean => {
    const rules = opts.rules;
    if (!rules || hiddenParts.length < 2) return false;
    const total = hiddenParts.reduce((sum, r) => sum + value(r), 0);
    if (total > 0 && total < rules.minAantal) return true;
    // a hidden positive part reads as ≥ 1: the room above a part is what the others have above 1
    const room = hiddenParts.reduce((sum, r) => sum + Math.max(0, value(r) - 1), 0);
    return hiddenParts.some((r) => hiddenReason(r, col) === "primair" && room - Math.max(0, value(r) - 1) < rules.beschermingsmarge);
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const g of groupings) {
      const groups = new Map<string, Row[]>();
      for (const r of rows) {
        const k = g.key(r);
        const list = groups.get(k);
        if (list) list.push(r);
        else groups.set(k, [r]);
      }
      for (const members of groups.values()) {
        const totals = g.isTotal ? members.filter((r) => g.isTotal!(r)) : [];
        const parts = g.isTotal ? members.filter((r) => !g.isTotal!(r)) : members;
        const totalVisible = totals.length > 0 ? totals.some((t) => !isHidden(t, col)) : !!g.totalKnown;
        const hiddenParts = parts.filter((r) => isHidden(r, col));
        const visible = parts.filter((r) => !isHidden(r, col) && typeof r[col] === "number");
        if (!totalVisible) {
          // a hidden total whose parts are all shown is their sum: one part goes too (a total
          // hidden as a partner in its own row, say)
          if (totals.length > 0 && hiddenParts.length === 0 && visible.length > 0 && visible.some((r) => value(r) > 0)) {
            hide(keyedPick(visible, g, col, value, position), col, "secundair");
            changed = true;
          }
          continue;
        }
        if (hiddenParts.length !== 1 && !weak(hiddenParts)) continue;
        const pos = visible.filter((r) => value(r) > 0);
        if (pos.length === 0 && (hiddenParts.length > 1 || visible.length === 0)) {
          // only hidden parts (and zeros, which widen nothing) beside the total: hide the total (a
          // total published elsewhere cannot be hidden from here; its own table must protect it)
          for (const t of totals) {
            if (!isHidden(t, col)) {
              hide(t, col, "secundair");
              changed = true;
            }
          }
          continue;
        }
        hide(keyedPick(visible, g, col, value, position), col, "secundair");
        changed = true;
      }
    }
  }
}

/** The partner among `visible` (./partner-key.ts): a positive part with room first, then by the run's key, by no value. */
function keyedPick(visible: Row[], g: Grouping, col: string, value: (row: Row) => number, position: Map<Row, number>): Row {
  const score = (r: Row) => partnerScore(value(r), `${g.key(r)}|${col}#${position.get(r)}`);
  let pick = visible[0]!;
  for (const r of visible) if (score(r) < score(pick)) pick = r;
  return pick;
}

/** Shares and means: hidden unless the denominator (persons) is at least minNoemer. */
export function requireDenominator(rows: Row[], cols: string[], denom: (row: Row) => Cell | undefined, rules: DisclosureRules): void {
  for (const r of rows) {
    const d = denom(r);
    if (typeof d !== "number" || d < rules.minNoemer) for (const c of cols) hide(r, c);
  }
}

/**
 * A share numerator/denominator with a visible denominator reveals the numerator, and its
 * complement (denominator − numerator). Hide the share when either is 1..minAantal-1.
 */
export function hideSharesOfSmallCounts(
  rows: Row[],
  cols: string[],
  numer: (row: Row) => Cell | undefined,
  denom: (row: Row) => Cell | undefined,
  rules: DisclosureRules,
): void {
  const small = (x: number) => x > 0 && x < rules.minAantal;
  for (const r of rows) {
    const a = numer(r),
      b = denom(r);
    if (typeof a !== "number" || typeof b !== "number") continue;
    if (small(a) || small(b - a)) for (const c of cols) hide(r, c);
  }
}

/** The dominance rule for magnitudes (ACRO's defaults): the largest N contributions may not exceed K of the sum. */
export const DOMINANCE = { n: 2, k: 0.9 } as const;
/** The p% rule: the sum minus the two largest contributions must be at least P of the largest. */
export const P_RULE = 0.1;

/**
 * Magnitude tables (means and sums of wages and hours, contributions ≥ 0): hide `cols` of a row
 * whose sum is dominated — the largest two contributions more than 90% of it (n,k = 2, 90%) — or
 * whose sum minus the two largest is less than 10% of the largest (p% rule: the second largest
 * contributor would learn the largest within 10%).
 */
export function hideDominated(
  rows: Row[],
  cols: string[],
  parts: (row: Row) => { som: Cell | undefined; grootste: Cell | undefined; tweede: Cell | undefined },
): void {
  for (const r of rows) {
    const { som, grootste, tweede } = parts(r);
    if (typeof som !== "number" || typeof grootste !== "number" || som <= 0) continue;
    const second = typeof tweede === "number" ? tweede : 0;
    const dominated = grootste + second > DOMINANCE.k * som || som - grootste - second < P_RULE * grootste;
    if (dominated) for (const c of cols) if (!isHidden(r, c)) hide(r, c, "dominantie");
  }
}

/** Cells derived from a count (its share, say) are hidden when the count is. */
export function hideWith(rows: Row[], source: string, targets: string[]): void {
  for (const r of rows) if (isHidden(r, source)) for (const t of targets) hide(r, t);
}

/**
 * Final form of a published table: only the whitelisted columns, in that order, plus
 * `onderdrukt` (true when a cell of the row was hidden). Numbers that are not finite become null.
 */
export function finalize(rows: Row[], columns: string[]): Row[] {
  for (const c of columns) if (FORBIDDEN_COLUMN.test(c)) throw new DisclosureError(`kolom "${c}" mag niet gepubliceerd worden`);
  return rows.map((r) => {
    const o: Row = {};
    for (const c of columns) {
      const v = r[c] ?? null;
      o[c] = typeof v === "number" && !Number.isFinite(v) ? null : v;
    }
    o.onderdrukt = columns.some((c) => isHidden(r, c));
    sourceRows.set(o, r);
    return o;
  });
}

export class DisclosureError extends Error {
  constructor(message: string) {
    super(`openbaarmakingscontrole: ${message}`);
    this.name = "DisclosureError";
  }
}

/** Column names that would carry ids or individual dates. */
export const FORBIDDEN_COLUMN = /(^|_)id$|datum|^ikv|geboorte(datum)?$/i;
const DATE_VALUE = /^\d{4}-\d{2}-\d{2}/;

/** Id columns of the marts whose values must never appear in publish/. */
const ID_COLUMNS: [string, string][] = [
  ["personen", "persoon_id"],
  ["banen", "baan_id"],
  ["banen", "werkgever_id"],
  ["banen", "eerste_ikv_id"],
  ["banen", "laatste_ikv_id"],
  ["banen", "jobcoach_organisatie_id"],
  ["jobcoach_perioden", "toekenning_id"],
  ["jobcoach_perioden", "organisatie_id"],
  ["jobcoach_perioden", "werkgever_id"],
  ["diensten", "dienst_id"],
  ["diensten", "aanbieder_id"],
  ["diensten", "werkgever_id"],
];

/**
 * Final scan over everything about to be published, all analyses at once: no forbidden column
 * names, no value that looks like an individual date, and no string value that is an id in the
 * marts. Throws a DisclosureError naming the analysis (`label`), table and value. The id check is
 * one query over the marts' id columns for the strings of the whole set (once per run, not once
 * per analysis: it reads every id of the marts).
 */
export async function scanPublished(conn: DuckDBConnection | null, sets: readonly { label: string; tabellen: Tables }[]): Promise<void> {
  /** every string value, with the first analysis that publishes it */
  const strings = new Map<string, string>();
  for (const { label, tabellen } of sets) {
    for (const [name, rows] of Object.entries(tabellen)) {
      for (const r of rows) {
        for (const [c, v] of Object.entries(r)) {
          if (FORBIDDEN_COLUMN.test(c)) throw new DisclosureError(`${label}.${name}: verboden kolom "${c}"`);
          if (typeof v === "string") {
            if (DATE_VALUE.test(v)) throw new DisclosureError(`${label}.${name}: datumwaarde "${v}" in kolom ${c}`);
            if (!strings.has(v)) strings.set(v, label);
          } else if (v !== null && typeof v !== "number" && typeof v !== "boolean") {
            throw new DisclosureError(`${label}.${name}: waarde van onverwacht type in kolom ${c}`);
          }
        }
      }
    }
  }
  if (!conn || strings.size === 0) return;
  const existing = await query(conn, sql`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'`);
  const have = new Set(existing.map((r) => `${r.table_name}.${r.column_name}`));
  const checks = ID_COLUMNS.filter(([t, c]) => have.has(`${t}.${c}`));
  if (checks.length === 0) return;
  const values = join([...strings.keys()].sort().map((s) => sql`(${s})`));
  const union = join(
    checks.map(([t, c]) => sql`SELECT ${ident(c)}::VARCHAR AS v FROM ${ident(t)} WHERE ${ident(c)} IS NOT NULL`),
    sql` UNION ALL `,
  );
  const hits = await query(conn, sql`SELECT p.v FROM (VALUES ${values}) p(v) SEMI JOIN (${union}) ids ON ids.v = p.v ORDER BY 1 LIMIT 5`);
  if (hits.length > 0) {
    const label = strings.get(String(hits[0]!.v))!;
    throw new DisclosureError(`${label}: waarde(n) die een id uit de marts zijn: ${hits.map((h) => h.v).join(", ")}`);
  }
}
