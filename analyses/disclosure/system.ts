/**
 * The published set as one linked table system (docs/publish.md "Relations"): every cell of
 * every published table that a declared relation (analyses/relations.ts) names, plus the cells
 * the relations imply but no file publishes (a count behind a share, the sum behind a mean, a
 * total no table shows), and the constraints between them:
 *
 * - linear: Σ coef·cell = 0 (parts and their total);
 * - product: result = factor / per × base (count = share × denominator, sum = mean × persons);
 * - at most: Σ coef·cell ≤ 0 (a count of a subset of what another counts; months of a year
 *   that are not all defined add up to at most the year's count).
 *
 * `buildSystem` compiles the declarations against the published tables, `selfTest` checks every
 * constraint on the true (unsuppressed) values, `protectSystem` is the secondary suppression over
 * the whole system, and `auditInput` states what an attacker knows for the integer-programming
 * check (./attacker.ts).
 */
import type { Cell, PublishedDeclaration, Row, Tables } from "../types.ts";
import type { CurveBoundRelation, Relation, RowRef, Where, WindowRelation } from "../relations.ts";
import type { DisclosureRules } from "./rules.ts";
import { hiddenReason, hide, isHidden, P_RULE, trueValue } from "./index.ts";
import { partnerScore } from "./partner-key.ts";

/** One analysis's contribution to the system: its published tables and declarations. */
export interface SystemInput {
  id: string;
  tabellen: Tables;
  publishes: PublishedDeclaration;
  relations: readonly Relation[];
}

export type CellKind = "count" | "share" | "mean" | "magnitude";

export interface SystemCell {
  /** `<analysis>/<table>#<row>.<column>`, or `<analysis>/<table>@<name>[<keys>]` for a cell of no row */
  id: string;
  value: number;
  kind: CellKind;
  /** published exactly or, for shares, rounded (see `rounding`) */
  published: boolean;
  /** in no file, but declared `known` to every reader (taken as published: a stronger attacker) */
  known?: boolean;
  /** a published cell that secondary suppression may hide */
  hideable: boolean;
  /** half-width of the published value's rounding (0: exact) */
  rounding: number;
  /** where it is published (absent: the cell is in no file) */
  at?: { analysis: string; table: string; row: Row; column: string };
  /** for the sum behind a mean: the mean's cell */
  meanOf?: number;
  /** a bound read from a curve on this day: hiding it hides the day in every curve of the analysis (`hideCurveDay`) */
  curveDay?: CurveDay;
}

/** A day of an analysis's curves that a curve bound reads (CurveBoundRelation). */
export interface CurveDay {
  analysis: string;
  day: number;
}

export interface LinearConstraint {
  type: "linear";
  /** [cell index, coefficient]; Σ coef·value = 0 */
  terms: [number, number][];
  label: string;
}

export interface ProductConstraint {
  type: "product";
  /** result = factor / per × base */
  result: number;
  factor: number;
  base: number;
  per: number;
  label: string;
}

/** Σ coef·cell ≤ 0 (AtMostRelation, a partial sum): no value follows from it, but it bounds the attacker's intervals. */
export interface AtMostConstraint {
  type: "atMost";
  terms: [number, number][];
  label: string;
}

export type Constraint = LinearConstraint | ProductConstraint | AtMostConstraint;

export interface TableSystem {
  cells: SystemCell[];
  constraints: Constraint[];
  /** figures hidden wherever their count is (ShownWithRelation): [count cell, figure cell] */
  shownWith: [number, number][];
  /** the curve tables: to hide a day in all of an analysis's curves */
  curveTables: { analysis: string; rows: Row[]; columns: string[] }[];
}

/** A declaration that does not fit the published tables or their true values: a programming error. */
export class RelationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RelationError";
  }
}

/** Published shares are rounded to this many decimals (one decimal of a percentage). */
export const SHARE_DECIMALS = 3;
const SHARE_ROUNDING = 0.5 * 10 ** -SHARE_DECIMALS;

const KEY_KINDS = new Set(["key", "curve-day"]);
const HIDEABLE_KINDS = new Set(["count", "share", "mean", "index", "median"]);

interface TableIndex {
  analysis: string;
  table: string;
  rows: Row[];
  keys: string[];
  kinds: Map<string, string>;
  byKey: Map<string, number>;
  /** a survival curve or its reading points: never hidden cell by cell */
  curve: boolean;
}

const keyString = (values: readonly Cell[]) => JSON.stringify(values);
const asList = (x: string | readonly string[] | undefined): readonly string[] => (x === undefined ? [] : typeof x === "string" ? [x] : x);

const matches = (row: Row, where: Where | undefined) => !where || Object.entries(where).every(([k, v]) => row[k] === v);

/** Compile the declared relations of all analyses against their published tables. */
export function buildSystem(inputs: readonly SystemInput[]): TableSystem {
  const tables = new Map<string, TableIndex>();
  for (const a of inputs) {
    for (const [name, rows] of Object.entries(a.tabellen)) {
      const decl = a.publishes[name];
      if (!decl) continue;
      const kinds = new Map(decl.columns.map((c) => [c.name, c.kind as string]));
      // a curve (a table over days) is protected by the survival rules, a cell at a time would break it
      const curve = decl.columns.some((c) => c.kind === "curve-day");
      const keys = decl.columns.filter((c) => KEY_KINDS.has(c.kind)).map((c) => c.name);
      const byKey = new Map<string, number>();
      rows.forEach((r, i) => {
        const k = keyString(keys.map((c) => r[c] ?? null));
        if (!byKey.has(k)) byKey.set(k, i);
      });
      tables.set(`${a.id}/${name}`, { analysis: a.id, table: name, rows, keys, kinds, byKey, curve });
    }
  }
  const cells: SystemCell[] = [];
  const cellIndex = new Map<string, number>();
  const constraints: Constraint[] = [];
  /** sums behind means whose product constraint exists */
  const defined = new Set<number>();
  const shownWith: [number, number][] = [];

  const tableOf = (analysis: string, table: string, label: string): TableIndex => {
    const t = tables.get(`${analysis}/${table}`);
    if (!t) throw new RelationError(`${label}: tabel ${analysis}/${table} wordt niet gepubliceerd`);
    return t;
  };

  /** The cell of a row; `kind` for a column the table does not publish. */
  const rowCell = (t: TableIndex, i: number, column: string, kind: CellKind, label: string): number | null => {
    const id = `${t.analysis}/${t.table}#${i}.${column}`;
    const have = cellIndex.get(id);
    if (have !== undefined) return have;
    const row = t.rows[i]!;
    const v = trueValue(row, column);
    if (v === undefined) throw new RelationError(`${label}: kolom ${column} ontbreekt in ${t.analysis}/${t.table}`);
    if (v === null) return null; // not defined for this row (a share of nothing)
    if (typeof v !== "number") throw new RelationError(`${label}: ${id} is geen getal (${JSON.stringify(v)})`);
    const declared = t.kinds.get(column);
    const published = declared !== undefined && !isHidden(row, column) && row[column] !== null;
    const k: CellKind = declared === "count" || declared === "share" || declared === "mean" ? declared : kind;
    cells.push({
      id,
      value: v,
      kind: k,
      published,
      hideable: published && declared !== undefined && HIDEABLE_KINDS.has(declared) && !t.curve,
      rounding: published && k === "share" ? SHARE_ROUNDING : 0,
      at: { analysis: t.analysis, table: t.table, row, column },
    });
    cellIndex.set(id, cells.length - 1);
    return cells.length - 1;
  };

  const virtualCell = (id: string, value: number, kind: CellKind): number => {
    const have = cellIndex.get(id);
    if (have !== undefined) return have;
    cells.push({ id, value, kind, published: false, hideable: false, rounding: 0 });
    cellIndex.set(id, cells.length - 1);
    return cells.length - 1;
  };

  /** The row `ref` points to from a row (or group of rows) with these key values (null: optional and absent). */
  const resolve = (own: TableIndex, keys: Record<string, Cell>, ref: RowRef, label: string): [TableIndex, number] | null => {
    const t = tableOf(ref.analysis ?? own.analysis, ref.table ?? own.table, label);
    const any = new Set(ref.any ?? []);
    const values = t.keys.map((k) => {
      if (any.has(k)) return undefined;
      if (ref.where && k in ref.where) return ref.where[k]!;
      return keys[ref.rename?.[k] ?? k];
    });
    const missing = t.keys.filter((k, j) => values[j] === undefined && !any.has(k));
    if (missing.length) throw new RelationError(`${label}: rij in ${t.analysis}/${t.table} niet bepaald (${missing.join(", ")} onbekend)`);
    let i: number | undefined;
    if (any.size === 0) i = t.byKey.get(keyString(values as Cell[]));
    else i = t.rows.findIndex((r) => t.keys.every((k, j) => any.has(k) || r[k] === values[j]));
    if (i === undefined || i < 0) {
      if (ref.optional) return null;
      throw new RelationError(`${label}: geen rij ${keyString(values.map((v) => v ?? "*"))} in ${t.analysis}/${t.table}`);
    }
    return [t, i];
  };

  /** Rows of `t` grouped by every key column except `over`, and by the working columns `by` (only those passing `keep`). */
  const groups = (t: TableIndex, over: readonly string[], keep: (r: Row) => boolean, by: readonly string[] = []) => {
    const byGroup = new Map<string, { keys: Record<string, Cell>; rows: number[] }>();
    t.rows.forEach((r, i) => {
      if (!keep(r)) return;
      const keys: Record<string, Cell> = {};
      for (const k of t.keys) if (!over.includes(k)) keys[k] = r[k] ?? null;
      for (const k of by) keys[k] = trueValue(r, k) ?? null;
      const g = keyString(Object.values(keys));
      const e = byGroup.get(g);
      if (e) e.rows.push(i);
      else byGroup.set(g, { keys, rows: [i] });
    });
    return [...byGroup.values()];
  };

  /** The sum of `column` over `over` in the group of row `r` (a cell of its own, defined by a constraint). */
  const sumOf = (t: TableIndex, column: string, over: readonly string[], r: Row, label: string): number => {
    const rest = t.keys.filter((k) => !over.includes(k));
    const gk = keyString(rest.map((k) => r[k] ?? null));
    const id = `${t.analysis}/${t.table}@som(${column};${over.join(",")})${gk}`;
    const have = cellIndex.get(id);
    if (have !== undefined) return have;
    const parts: number[] = [];
    t.rows.forEach((x, i) => {
      if (rest.every((k) => x[k] === r[k])) {
        const c = rowCell(t, i, column, "count", label);
        if (c !== null) parts.push(c);
      }
    });
    const v = virtualCell(
      id,
      parts.reduce((s, p) => s + cells[p]!.value, 0),
      "count",
    );
    constraints.push({ type: "linear", terms: [...parts.map((p) => [p, 1] as [number, number]), [v, -1]], label });
    return v;
  };

  const isTotalRow = (t: TableIndex, total: RowRef, analysis: string, column: string, totalColumn: string) => {
    const same = (total.analysis ?? analysis) === t.analysis && (total.table ?? t.table) === t.table && totalColumn === column;
    return (r: Row) => same && total.where !== undefined && matches(r, total.where);
  };

  for (const a of inputs) {
    for (const [n, rel] of a.relations.entries()) {
      const label = `${a.id}: relatie ${n + 1} (${rel.kind} ${rel.table})`;
      const t = tableOf(a.id, rel.table, label);
      const over = rel.kind === "sum" || rel.kind === "mean" || rel.kind === "window" ? rel.over : undefined;
      for (const k of asList(over)) {
        if (!t.keys.includes(k)) throw new RelationError(`${label}: ${k} is geen sleutelkolom van ${rel.table}`);
      }
      if (rel.kind === "known") continue; // after all cells exist (below)
      if (rel.kind === "identity") {
        const at = rel.terms.map((x) => resolve(t, {}, x.ref, label));
        if (at.some((x) => x === null)) continue; // an optional row that is absent
        const cs = at.map((x, j) => {
          const column = rel.terms[j]!.ref.column;
          if (!column) throw new RelationError(`${label}: term ${j + 1} noemt geen kolom`);
          return rowCell(x![0], x![1], column, "count", label);
        });
        if (cs.every((c) => c === null)) continue;
        if (cs.some((c) => c === null)) throw new RelationError(`${label}: lege cel in de balans`);
        constraints.push({ type: "linear", terms: cs.map((c, j) => [c!, rel.terms[j]!.coef] as [number, number]), label });
        continue;
      }
      if (rel.kind === "shownWith") {
        t.rows.forEach((_, i) => {
          const count = rowCell(t, i, rel.count, "count", label);
          if (count === null) return;
          for (const f of rel.figures) {
            const figure = rowCell(t, i, f, "mean", label);
            if (figure !== null) shownWith.push([count, figure]);
          }
        });
        continue;
      }
      if (rel.kind === "atMost") {
        t.rows.forEach((r, i) => {
          if (!matches(r, rel.where)) return;
          const keys = Object.fromEntries(t.keys.map((k) => [k, r[k] ?? null]));
          const at = resolve(t, keys, rel.bound, label);
          if (!at) return;
          const cell = rowCell(t, i, rel.column, "count", label);
          const bound = rowCell(at[0], at[1], rel.bound.column ?? rel.column, "count", label);
          if (cell === null || bound === null || cell === bound) return; // not defined here, or the bound itself
          constraints.push({
            type: "atMost",
            terms: [
              [cell, 1],
              [bound, -1],
            ],
            label,
          });
        });
        continue;
      }
      if (rel.kind === "curveBound") {
        constraints.push(...curveBoundConstraints(t, rel, label, { tableOf, resolve, rowCell, virtualCell }, cells));
        continue;
      }
      if (rel.kind === "columns") {
        t.rows.forEach((r, i) => {
          if (!matches(r, rel.where)) return;
          const parts = rel.parts.map((c) => rowCell(t, i, c, "count", label));
          const total = rowCell(t, i, rel.total, "count", label);
          if (total === null && parts.every((p) => p === null)) return;
          if (total === null || parts.some((p) => p === null)) throw new RelationError(`${label}: leeg deel of totaal in rij ${i}`);
          constraints.push({ type: "linear", terms: [...parts.map((p) => [p!, 1] as [number, number]), [total, -1]], label });
        });
        continue;
      }
      if (rel.kind === "window") {
        constraints.push(...windowConstraints(t, tableOf(a.id, rel.parts.table, label), rel, label, rowCell));
      } else if (rel.kind === "sum") {
        const totalCol = rel.total.column ?? rel.column;
        const isTotal = isTotalRow(t, rel.total, a.id, rel.column, totalCol);
        const keep = (r: Row) => (rel.parts ? matches(r, rel.parts) : true) && !isTotal(r);
        for (const g of groups(t, asList(rel.over), keep, rel.by)) {
          const at = resolve(t, g.keys, rel.total, label);
          if (!at) continue;
          const [tt, ti] = at;
          const total = rowCell(tt, ti, totalCol, "count", label);
          const parts = g.rows.map((i) => rowCell(t, i, rel.column, "count", label));
          if (total === null && parts.every((p) => p === null)) continue; // not defined for this group (a month not yet followed)
          if (rel.partial && total !== null && parts.some((p) => p === null)) {
            const defined = parts.filter((p): p is number => p !== null);
            if (defined.length)
              constraints.push({ type: "atMost", terms: [...defined.map((p) => [p, 1] as [number, number]), [total, -1]], label });
            continue;
          }
          if (total === null || parts.some((p) => p === null)) throw new RelationError(`${label}: leeg deel of totaal`);
          if (parts.length === 1 && parts[0] === total) continue;
          constraints.push({ type: "linear", terms: [...parts.map((p) => [p!, 1] as [number, number]), [total, -1]], label });
        }
      } else if (rel.kind === "share") {
        const per = t.kinds.get(rel.share) === "index" ? 100 : 1;
        t.rows.forEach((r, i) => {
          const s = rowCell(t, i, rel.share, "share", label);
          if (s === null) return;
          const c = rowCell(t, i, rel.count, "count", label);
          if (c === null) throw new RelationError(`${label}: aandeel zonder aantal in rij ${i}`);
          let d: number | null;
          const den = rel.denominator;
          if (typeof den === "string") d = rowCell(t, i, den, "count", label);
          else if ("over" in den) d = sumOf(t, rel.count, asList(den.over), r, label);
          else {
            const keys = Object.fromEntries(t.keys.map((k) => [k, r[k] ?? null]));
            const at = resolve(t, keys, den, label);
            if (!at) return;
            d = rowCell(at[0], at[1], den.column ?? rel.count, "count", label);
          }
          if (d === null) throw new RelationError(`${label}: aandeel zonder noemer in rij ${i}`);
          constraints.push({ type: "product", result: c, factor: s, base: d, per, label });
        });
      } else {
        // mean: sum = mean × count per row, and the sums partition like the counts
        const sumCell = (i: number): number | null => {
          const m = rowCell(t, i, rel.mean, "mean", label);
          const c = rowCell(t, i, rel.count, "count", label);
          if (m === null || c === null) return null;
          // a sum of things (endings) is a count: an integer ≥ 0 to the attacker, a margin of ± beschermingsmarge
          const s = virtualCell(
            `${a.id}/${rel.table}#${i}.som(${rel.mean})`,
            cells[m]!.value * cells[c]!.value,
            rel.sumIsCount ? "count" : "magnitude",
          );
          cells[s]!.meanOf = m;
          if (!defined.has(s)) {
            defined.add(s);
            constraints.push({ type: "product", result: s, factor: m, base: c, per: 1, label });
            if (rel.fraction)
              constraints.push({
                type: "atMost",
                terms: [
                  [s, 1],
                  [c, -1],
                ],
                label,
              });
          }
          return s;
        };
        // the rows the relation is about (a partition's totals come with their parts below)
        t.rows.forEach((r, i) => {
          if (!rel.parts || matches(r, rel.parts)) sumCell(i);
        });
        if (rel.over !== undefined && rel.total) {
          const total = rel.total;
          if ((total.analysis ?? a.id) !== a.id || (total.table ?? rel.table) !== rel.table) {
            throw new RelationError(`${label}: het totaal van een gemiddelde moet in dezelfde tabel staan`);
          }
          const isTotal = (r: Row) => total.where !== undefined && matches(r, total.where);
          for (const g of groups(t, asList(rel.over), (r) => (rel.parts ? matches(r, rel.parts) : true) && !isTotal(r))) {
            const at = resolve(t, g.keys, total, label);
            if (!at) continue;
            const st = sumCell(at[1]);
            const parts = g.rows.map(sumCell);
            if (st === null || parts.some((p) => p === null)) continue; // a part without persons adds nothing
            constraints.push({ type: "linear", terms: [...parts.map((p) => [p!, 1] as [number, number]), [st, -1]], label });
          }
        }
      }
    }
  }
  // columns a reader knows without a file publishing them: published to the attacker, never hidden
  const knownColumns = new Set(
    inputs.flatMap((a) => a.relations.flatMap((rel) => (rel.kind === "known" ? [`${a.id}/${rel.table}.${rel.column}`] : []))),
  );
  for (const c of cells)
    if (c.at && knownColumns.has(`${c.at.analysis}/${c.at.table}.${c.at.column}`)) {
      c.published = true;
      c.known = true;
    }
  const curveTables = [...tables.values()]
    .filter((t) => t.curve)
    .map((t) => ({
      analysis: t.analysis,
      rows: t.rows,
      columns: [...t.kinds].filter(([, k]) => k === "curve-value" || k === "bound" || k === "count").map(([c]) => c),
    }));
  return { cells, constraints, shownWith, curveTables };
}

interface Compile {
  tableOf: (analysis: string, table: string, label: string) => TableIndex;
  resolve: (own: TableIndex, keys: Record<string, Cell>, ref: RowRef, label: string) => [TableIndex, number] | null;
  rowCell: (t: TableIndex, i: number, column: string, kind: CellKind, label: string) => number | null;
  virtualCell: (id: string, value: number, kind: CellKind) => number;
}

/**
 * The counts of `t` up to a day, bounded by the curve of their events (CurveBoundRelation). With
 * L the rows' distinct last days and L' the next one: Σ counts with lastDay ≤ L ≤ ⌊F(d) × n⌋ for
 * every shown point d in [L, L') of every method and curve table, a cell every reader knows that
 * the repair may take away by hiding day d in every curve of the analysis (a later day bounds
 * the counts up to L' and so those up to L as well); and Σ counts with lastDay ≤ L ≤
 * n − n_risico(d) for every day d in (L, L'] of each curve table (shown or hidden: a hidden
 * number at risk is a cell of the system too).
 */
function curveBoundConstraints(t: TableIndex, rel: CurveBoundRelation, label: string, c: Compile, cells: SystemCell[]): AtMostConstraint[] {
  const ctx: CurveBoundContext = { t, rel, label, c, cells };
  // with `by`, each group of rows against its own curve (the curve's rows and n with the same key values)
  const groups = new Map<string, { keys: Record<string, Cell>; rows: number[] }>();
  t.rows.forEach((r, i) => {
    if (!matches(r, rel.parts)) return;
    const keys = Object.fromEntries((rel.by ?? []).map((k) => [k, r[k] ?? null]));
    const g = keyString(Object.values(keys));
    const e = groups.get(g);
    if (e) e.rows.push(i);
    else groups.set(g, { keys, rows: [i] });
  });
  return [...groups.values()].flatMap((g) => curveBoundGroup(ctx, g.keys, g.rows));
}

/** What `curveBoundGroup` reads: the relation, its table, and the system being built. */
interface CurveBoundContext {
  t: TableIndex;
  rel: CurveBoundRelation;
  label: string;
  c: Compile;
  cells: SystemCell[];
}

/** The constraints of one group of rows (all rows without `by`) under its curve. */
function curveBoundGroup(ctx: CurveBoundContext, keys: Record<string, Cell>, rows: readonly number[]): AtMostConstraint[] {
  const { t, rel, label, c, cells } = ctx;
  const at = c.resolve(t, keys, rel.n, label);
  if (!at) return [];
  const n = c.rowCell(at[0], at[1], rel.n.column ?? "n", "count", label);
  if (n === null) return [];
  const where: Where = { ...rel.curve.where, ...(keys as Where) };
  const group = rel.by?.length ? keyString(Object.values(keys)) : "";
  const byDay = new Map<number, number[]>();
  rows.forEach((i) => {
    const r = t.rows[i]!;
    const last = trueValue(r, rel.lastDay);
    if (last === undefined) throw new RelationError(`${label}: werkkolom ${rel.lastDay} ontbreekt in ${t.analysis}/${t.table}`);
    if (last === null) return;
    if (typeof last !== "number") throw new RelationError(`${label}: ${rel.lastDay} is geen dag (${JSON.stringify(last)})`);
    const cell = c.rowCell(t, i, rel.column, "count", label);
    if (cell === null) return;
    const list = byDay.get(last);
    if (list) list.push(cell);
    else byDay.set(last, [cell]);
  });
  const lastDays = [...byDay.keys()].sort((a, b) => a - b);
  const curves = rel.curve.tables.map((name) => c.tableOf(rel.curve.analysis, name, label));
  const out: AtMostConstraint[] = [];
  lastDays.forEach((l, j) => {
    const next = lastDays[j + 1] ?? Infinity;
    const parts: [number, number][] = lastDays.slice(0, j + 1).flatMap((x) => byDay.get(x)!.map((p) => [p, 1] as [number, number]));
    for (const ct of curves) {
      ct.rows.forEach((r, i) => {
        const d = r.dag;
        if (!matches(r, where) || typeof d !== "number") return;
        // ⌊F(d) × n⌋ on a shown point in [l, next): F × n is the events exactly when nobody left
        // early, so the floor, with room for rounding
        const f = r.cum_incidentie;
        if (d >= l && d < next && typeof f === "number" && !isHidden(r, "cum_incidentie") && cells[n]!.published) {
          const v = c.virtualCell(
            `${t.analysis}/${t.table}@kromme(${rel.column}${group};t/m ${l};${ct.table} ${r.methode} dag ${d})`,
            Math.floor(f * cells[n]!.value + 1e-6),
            "count",
          );
          Object.assign(cells[v]!, { published: true, known: true, hideable: true, curveDay: { analysis: ct.analysis, day: d } });
          out.push({
            type: "atMost",
            terms: [...parts, [v, -1]],
            label: `${label} (t/m dag ${l}: ⌊F × n⌋ van ${ct.table} ${r.methode} dag ${d})`,
          });
        }
        // n − n_risico(d) on a day in (l, next]: everyone whose time came before d has left
        if (d > l && d <= next) {
          const risk = c.rowCell(ct, i, "n_risico", "count", label);
          if (risk !== null)
            out.push({ type: "atMost", terms: [...parts, [risk, 1], [n, -1]], label: `${label} (vóór dag ${d}: n − n_risico)` });
        }
      });
    }
  });
  return out;
}

/**
 * A window's cell minus the cells of its parts (WindowRelation), one linear constraint per window
 * row whose cell is defined. The parts are found by the window's other key values.
 */
function windowConstraints(
  t: TableIndex,
  p: TableIndex,
  rel: WindowRelation,
  label: string,
  rowCell: (t: TableIndex, i: number, column: string, kind: CellKind, label: string) => number | null,
): LinearConstraint[] {
  if (!t.keys.includes(rel.from)) throw new RelationError(`${label}: ${rel.from} is geen sleutelkolom van ${rel.table}`);
  if (!p.keys.includes(rel.over)) throw new RelationError(`${label}: ${rel.over} is geen sleutelkolom van ${rel.parts.table}`);
  const rest = p.keys.filter((k) => k !== rel.over);
  const missing = rest.filter((k) => !t.keys.includes(k));
  if (missing.length) throw new RelationError(`${label}: ${missing.join(", ")} ontbreekt als sleutel in ${rel.table}`);
  const byGroup = new Map<string, number[]>();
  p.rows.forEach((r, i) => {
    const g = keyString(rest.map((k) => r[k] ?? null));
    const list = byGroup.get(g);
    if (list) list.push(i);
    else byGroup.set(g, [i]);
  });
  const partColumn = rel.parts.column ?? rel.column;
  const out: LinearConstraint[] = [];
  t.rows.forEach((r, i) => {
    if (!matches(r, rel.where)) return;
    const total = rowCell(t, i, rel.column, "count", label);
    if (total === null) return;
    const from = r[rel.from],
      to = r[rel.over];
    if (from === null || from === undefined || to === null || to === undefined)
      throw new RelationError(`${label}: venster zonder begin of einde in rij ${i}`);
    const inside = (byGroup.get(keyString(rest.map((k) => r[k] ?? null))) ?? []).filter((j) => {
      const x = p.rows[j]![rel.over];
      return x !== null && x !== undefined && x >= from && x <= to;
    });
    const parts = inside.map((j) => rowCell(p, j, partColumn, "count", label));
    if (parts.some((c) => c === null)) throw new RelationError(`${label}: leeg deel van het venster in rij ${i}`);
    out.push({ type: "linear", terms: [...parts.map((c) => [c!, 1] as [number, number]), [total, -1]], label });
  });
  return out;
}

/**
 * Every constraint on the true values: a declared relation that does not hold is a wrong
 * declaration (RelationError naming it), never trusted.
 */
export function selfTest(sys: TableSystem): void {
  for (const c of sys.constraints) {
    if (c.type !== "product") {
      let s = 0,
        scale = 1;
      for (const [i, k] of c.terms) {
        s += k * sys.cells[i]!.value;
        scale += Math.abs(k * sys.cells[i]!.value);
      }
      if (c.type === "linear" ? Math.abs(s) > 1e-9 * scale : s > 1e-9 * scale) {
        const terms = c.terms.map(([i, k]) => `${k > 0 ? "+" : "−"}${sys.cells[i]!.id}=${sys.cells[i]!.value}`).join(" ");
        throw new RelationError(`${c.label} klopt niet op de onafgeronde waarden: ${terms} ${c.type === "linear" ? "≠ 0" : "> 0"}`);
      }
    } else {
      const r = sys.cells[c.result]!.value,
        f = sys.cells[c.factor]!.value,
        b = sys.cells[c.base]!.value;
      if (Math.abs(r - (f / c.per) * b) > 1e-9 * (1 + Math.abs(r))) {
        throw new RelationError(
          `${c.label} klopt niet op de onafgeronde waarden: ${sys.cells[c.result]!.id}=${r} ≠ ${sys.cells[c.factor]!.id}=${f} × ${sys.cells[c.base]!.id}=${b}`,
        );
      }
    }
  }
}

/**
 * Cells that must not be derivable: every count hidden by a primary rule (a small count, or the
 * count behind a share or mean that may not be shown), every small count (1 to minAantal − 1)
 * that no file publishes, and the sum behind every hidden mean (a count when the mean is of
 * things, `sumIsCount`). A count hidden only to protect
 * another (secondary suppression) is not itself confidential: it matters only in so far as it
 * keeps a sensitive cell from being worked out, which these cells' intervals show.
 */
export function sensitiveCells(sys: TableSystem, rules: DisclosureRules): boolean[] {
  return sys.cells.map((c) => {
    if (c.published) return false;
    if (c.meanOf !== undefined && wasHidden(sys.cells[c.meanOf]!)) return true;
    if (c.kind !== "count") return false;
    return (c.at !== undefined && hiddenReason(c.at.row, c.at.column) === "primair") || (c.value > 0 && c.value < rules.minAantal);
  });
}

const wasHidden = (c: SystemCell) => c.at !== undefined && isHidden(c.at.row, c.at.column);

/**
 * Cell i is hidden in a published file: itself, or the share that would give it (a count behind a
 * hidden share is what the hiding protects, and what the hiding tells of it).
 */
export function hiddenInFile(sys: TableSystem, i: number): boolean {
  return wasHidden(sys.cells[i]!) || productsOf(sys, i).some((x) => wasHidden(sys.cells[x.factor]!));
}

/**
 * What follows exactly from the published cells through the constraints (counts to the unit,
 * sums to the cent): `by[i]` is the constraint that gave cell i (-1: published or unknown).
 */
export function propagate(sys: TableSystem): { known: Uint8Array; by: Int32Array } {
  const n = sys.cells.length;
  const known = new Uint8Array(n);
  const by = new Int32Array(n).fill(-1);
  sys.cells.forEach((c, i) => {
    if (c.published && c.kind !== "share") known[i] = 1;
  });
  const users: number[][] = Array.from({ length: n }, () => []);
  sys.constraints.forEach((c, k) => {
    if (c.type === "atMost") return; // pins no value
    const ids = c.type === "linear" ? c.terms.map(([i]) => i) : [c.result, c.base];
    for (const i of ids) users[i]!.push(k);
  });
  const queue: number[] = sys.constraints.map((_c, k) => k);
  const queued = new Uint8Array(sys.constraints.length).fill(1);
  const learn = (i: number, k: number) => {
    known[i] = 1;
    by[i] = k;
    for (const u of users[i]!) {
      if (!queued[u]) {
        queued[u] = 1;
        queue.push(u);
      }
    }
  };
  while (queue.length) {
    const k = queue.pop()!;
    queued[k] = 0;
    const c = sys.constraints[k]!;
    if (c.type === "linear") {
      let unknown = -1,
        count = 0;
      for (const [i] of c.terms) {
        if (!known[i]) {
          unknown = i;
          if (++count > 1) break;
        }
      }
      if (count === 1) learn(unknown, k);
      continue;
    }
    if (c.type === "atMost") continue;
    const f = sys.cells[c.factor]!;
    if (!f.published) continue;
    const r = sys.cells[c.result]!,
      b = sys.cells[c.base]!;
    if (known[c.base] && !known[c.result]) {
      const width = (2 * f.rounding * Math.abs(b.value)) / c.per;
      if (r.kind !== "count" || width < 1) learn(c.result, k);
    } else if (known[c.result] && !known[c.base] && f.value > f.rounding) {
      const lo = (r.value * c.per) / (f.value + f.rounding),
        hi = (r.value * c.per) / (f.value - f.rounding);
      if (b.kind !== "count" || hi - lo < 1) learn(c.base, k);
    }
  }
  return { known, by };
}

const productIndex = {
  result: new WeakMap<TableSystem, Map<number, ProductConstraint[]>>(),
  base: new WeakMap<TableSystem, Map<number, ProductConstraint[]>>(),
};
/** The product constraints whose `field` is cell i (indexed once per system and field). */
function productsWith(sys: TableSystem, field: "result" | "base", i: number): ProductConstraint[] {
  let idx = productIndex[field].get(sys);
  if (!idx) {
    idx = new Map();
    for (const x of sys.constraints) if (x.type === "product") idx.set(x[field], [...(idx.get(x[field]) ?? []), x]);
    productIndex[field].set(sys, idx);
  }
  return idx.get(i) ?? [];
}
/** The product constraints whose result (a count or a sum) is cell i. */
const productsOf = (sys: TableSystem, i: number) => productsWith(sys, "result", i);
/** The product constraints whose base (a denominator, persons) is cell i. */
const productsOnBase = (sys: TableSystem, i: number) => productsWith(sys, "base", i);

const canHide = (sys: TableSystem, i: number) => sys.cells[i]!.hideable && sys.cells[i]!.published;

/**
 * The published cell to hide so that cell i is no longer known: itself; the mean behind a sum;
 * or, for a cell no file publishes, the published factor (share, mean) it was derived through.
 */
const hideTarget = (sys: TableSystem, i: number, by: Int32Array): number => {
  const c = sys.cells[i]!;
  if (canHide(sys, i)) return i;
  if (c.meanOf !== undefined && canHide(sys, c.meanOf)) return c.meanOf;
  const k = by[i]!;
  const d = k >= 0 ? sys.constraints[k]! : undefined;
  if (d?.type === "product" && canHide(sys, d.factor)) return d.factor;
  if (k >= 0) return -1;
  // not known exactly, but narrowed through a published share (its rounding interval)
  for (const x of productsOf(sys, i)) if (canHide(sys, x.factor)) return x.factor;
  return -1;
};

/** Added to a candidate's score on the other side of a relation (a total before its parts): above every `partnerScore`. */
const OTHER_SIDE = 4 * 2 ** 48;
/** The score of a curve's day as a partner (plus the day): after every cell on either side. */
const CURVE_DAY = 2 * OTHER_SIDE;

/** The cell to hide so that constraint k no longer gives cell `derived` away, or -1. */
function partner(sys: TableSystem, k: number, derived: number, known: Uint8Array, by: Int32Array): number {
  const c = sys.constraints[k]!;
  if (c.type === "product") {
    if (canHide(sys, c.factor)) return c.factor;
    return hideTarget(sys, derived === c.result ? c.base : c.result, by);
  }
  const terms = termsOf(c);
  const sign = Math.sign(terms.find(([i]) => i === derived)?.[1] ?? 1);
  let best = -1,
    bestScore = Infinity;
  for (const [j, coef] of terms) {
    if (j === derived || !known[j]) continue;
    const t = hideTarget(sys, j, by);
    if (t < 0) continue;
    // prefer another part (same side) over the total, then the keyed choice (./partner-key.ts)
    const score = (Math.sign(coef) === sign ? 0 : OTHER_SIDE) + partnerScore(sys.cells[j]!.value, sys.cells[t]!.id);
    if (score < bestScore) {
      bestScore = score;
      best = t;
    }
  }
  return best;
}

/** A mean number of things over persons (`sumIsCount`): over hidden persons it is a fraction of two whole numbers. */
const meanOfThings = (sys: TableSystem, x: ProductConstraint) =>
  sys.cells[x.result]!.kind === "count" && sys.cells[x.factor]!.kind === "mean";

/**
 * Hide a published cell of the system (in its published row), and what would give it back: the
 * shares of it (share × denominator), and the means over it whose sum is a count (a mean of
 * things over hidden persons is a fraction of two whole numbers, which a mean at full precision
 * gives away: `sumIsCount`).
 */
function hideCell(sys: TableSystem, i: number): void {
  const c = sys.cells[i]!;
  if (c.curveDay !== undefined) return hideCurveDay(sys, c.curveDay);
  c.published = false;
  c.hideable = false;
  c.rounding = 0;
  if (c.at) {
    hide(c.at.row, c.at.column, "systeem");
    c.at.row.onderdrukt = true;
  }
  for (const x of productsOf(sys, i)) if (canHide(sys, x.factor)) hideCell(sys, x.factor);
  for (const x of productsOnBase(sys, i)) if (meanOfThings(sys, x) && canHide(sys, x.factor)) hideCell(sys, x.factor);
  for (const [count, figure] of sys.shownWith) if (count === i && sys.cells[figure]!.published) hideCell(sys, figure);
}

/**
 * Hide a day in every curve of an analysis (its curve and reading-point tables): every value on
 * it, and every bound read from it. Taking a day out of all of an analysis's curves keeps the
 * survival rules (./survival.ts): the stretches on either side merge, and a sum of steps that are
 * each 0 or at least minAantal is so too; a group's last day moves back, to a larger number at risk.
 */
function hideCurveDay(sys: TableSystem, cd: CurveDay): void {
  const rows = new Set<Row>();
  for (const t of sys.curveTables) {
    if (t.analysis !== cd.analysis) continue;
    for (const r of t.rows) {
      if (r.dag !== cd.day) continue;
      rows.add(r);
      for (const col of t.columns) if (!isHidden(r, col) && r[col] !== null) hide(r, col, "systeem");
      r.onderdrukt = true;
    }
  }
  for (const c of sys.cells) {
    const sameDay = c.curveDay?.analysis === cd.analysis && c.curveDay.day === cd.day;
    if (sameDay || (c.at && rows.has(c.at.row))) {
      c.published = false;
      c.known = false;
      c.hideable = false;
      c.rounding = 0;
    }
  }
}

export interface ProtectionResult {
  /** cells hidden by this phase */
  hidden: number;
  rounds: number;
  /** sensitive cells still derivable (no hideable partner): the attacker check will name them */
  unresolved: string[];
}

/**
 * Secondary suppression over the whole system: while a sensitive cell follows exactly from the
 * published ones (through any chain of relations), hide a partner in the relation that gives it
 * away (another part before the total, by the run's key: ./partner-key.ts; for a share, the share itself); and
 * where the hidden parts of a relation add up to a known small count (1 to minAantal − 1), hide
 * one more. Repeats until nothing changes.
 */
export function protectSystem(sys: TableSystem, rules: DisclosureRules): ProtectionResult {
  let hidden = 0,
    rounds = 0;
  let unresolved: string[] = [];
  // a figure shown only with its count, whose count a table rule hid, is hidden with it (as in hideCell)
  for (const [count, figure] of sys.shownWith) {
    if (!sys.cells[count]!.published && sys.cells[figure]!.published) {
      hideCell(sys, figure);
      hidden++;
    }
  }
  // a mean of things over persons a table rule hid is hidden with them (as in hideCell)
  for (const c of sys.constraints) {
    if (c.type !== "product" || sys.cells[c.base]!.published) continue;
    if (meanOfThings(sys, c) && canHide(sys, c.factor)) {
      hideCell(sys, c.factor);
      hidden++;
    }
  }
  for (;;) {
    rounds++;
    const sensitive = sensitiveCells(sys, rules);
    const { known, by } = propagate(sys);
    const toHide = new Set<number>();
    unresolved = [];
    sys.cells.forEach((c, i) => {
      if (!known[i] || by[i]! < 0) return;
      // a partner hidden to protect another that can itself be worked out protects nothing
      // (a cell pinned by its column in a two-way table): it needs a partner of its own
      const partnerCell =
        !sensitive[i] &&
        (c.kind === "count" || c.kind === "magnitude") &&
        (hiddenInFile(sys, i) || (c.meanOf !== undefined && wasHidden(sys.cells[c.meanOf]!)));
      if (!sensitive[i] && !partnerCell) return;
      const p = partner(sys, by[i]!, i, known, by);
      if (p >= 0) toHide.add(p);
      else if (sensitive[i]) unresolved.push(c.id);
    });
    // hidden parts whose sum is known (total − shown parts) must not give one of them away: the
    // sum may not be a small count, and beside each sensitive part the others must add up to the
    // protection margin (for a sum behind a mean, to p% of it), or its interval is too narrow
    for (const [k, c] of sys.constraints.entries()) {
      if (c.type !== "linear") continue;
      const open = c.terms.filter(([i]) => !known[i]);
      if (open.length < 2 || open.some(([, q]) => Math.sign(q) !== Math.sign(open[0]![1]))) continue;
      const total = open.reduce((s, [i]) => s + Math.abs(sys.cells[i]!.value), 0);
      const counts = open.every(([i]) => sys.cells[i]!.kind === "count");
      const weak = open.find(([i]) => {
        if (!sensitive[i]) return false;
        const v = Math.abs(sys.cells[i]!.value);
        const need = sys.cells[i]!.kind === "count" ? rules.beschermingsmarge : P_RULE * v;
        return total - v < need;
      });
      if ((counts && total > 0 && total < rules.minAantal) || weak) {
        const p = partner(sys, k, (weak ?? open[0]!)[0], known, by);
        if (p >= 0) toHide.add(p);
      }
    }
    if (toHide.size === 0) break;
    for (const i of toHide) hideCell(sys, i);
    hidden += toHide.size;
  }
  return { hidden, rounds, unresolved };
}

/** The cells of constraint c with their coefficients (a product's factor with 0). */
const termsOf = (c: TableSystem["constraints"][number]): [number, number][] =>
  c.type !== "product"
    ? c.terms
    : [
        [c.result, 1],
        [c.base, -1],
        [c.factor, 0],
      ];

const constraintIndex = new WeakMap<TableSystem, number[][]>();
/** The constraints cell i occurs in (indexed once per system). */
function constraintsOf(sys: TableSystem, i: number): number[] {
  let idx = constraintIndex.get(sys);
  if (!idx) {
    idx = Array.from({ length: sys.cells.length }, () => []);
    sys.constraints.forEach((c, k) => {
      for (const [j] of termsOf(c)) idx![j]!.push(k);
    });
    constraintIndex.set(sys, idx);
  }
  return idx[i] ?? [];
}

/**
 * The published cell to hide so that the attacker can no longer narrow cell i: the nearest one in
 * the web of relations around it. First the relations cell i is in (another part before a total,
 * chosen by the run's key); when every cell there is already hidden, the relations of those hidden
 * cells, and so on outward: the bound that pins cell i comes through them (a class whose row,
 * column and totals are all hidden is still narrowed through the next row's published cells).
 */
function nearestPartner(sys: TableSystem, i: number, by: Int32Array, taken: Set<number>): number {
  const seenCell = new Uint8Array(sys.cells.length);
  const seenConstraint = new Uint8Array(sys.constraints.length);
  seenCell[i] = 1;
  let frontier = [i];
  for (let distance = 0; frontier.length > 0; distance++) {
    let best = -1,
      bestScore = Infinity;
    const next: number[] = [];
    for (const from of frontier) {
      for (const k of constraintsOf(sys, from)) {
        if (seenConstraint[k]) continue;
        seenConstraint[k] = 1;
        const c = sys.constraints[k]!;
        const terms = termsOf(c);
        const own = terms.find(([j]) => j === from)![1];
        for (const [j, coef] of terms) {
          if (j === from) continue;
          if (!sys.cells[j]!.published && !seenCell[j]) {
            seenCell[j] = 1;
            next.push(j);
          }
          const t = c.type === "product" && j === c.factor ? (canHide(sys, j) ? j : -1) : hideTarget(sys, j, by);
          if (t < 0 || taken.has(t)) continue;
          // a hidden 0 widens nothing: the attacker check grants the attacker that it is 0
          // (publication.ts, patternLower), so a total or a cell further out is the partner
          if (sys.cells[t]!.kind === "count" && sys.cells[t]!.value === 0) continue;
          // a curve's day only when no cell will do, and then the earliest: the tightest bound on the
          // fewest events (days are public, so the choice tells nothing of a value)
          const day = sys.cells[t]!.curveDay;
          const score =
            day !== undefined
              ? CURVE_DAY + day.day
              : (distance === 0 && Math.sign(coef) !== Math.sign(own) ? OTHER_SIDE : 0) +
                partnerScore(sys.cells[j]!.value, sys.cells[t]!.id);
          if (score < bestScore) {
            bestScore = score;
            best = t;
          }
        }
      }
    }
    if (best >= 0) return best;
    frontier = next;
  }
  return -1;
}

/**
 * After the attacker check: for each cell it could narrow too far, hide the nearest published
 * cell in the web of relations around it (see `nearestPartner`). Returns how many cells were
 * hidden (0: nothing left to hide).
 */
export function repairFailures(sys: TableSystem, failing: readonly string[]): number {
  const index = new Map(sys.cells.map((c, i) => [c.id, i]));
  const { by } = propagate(sys);
  const toHide = new Set<number>();
  for (const id of failing) {
    const i = index.get(id);
    if (i === undefined) continue;
    const best = nearestPartner(sys, i, by, toHide);
    if (best >= 0) toHide.add(best);
  }
  for (const t of toHide) hideCell(sys, t);
  return toHide.size;
}
