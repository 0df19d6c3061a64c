/**
 * The attacker check: an audit of the published table system by integer programming.
 *
 * Attacker model. The attacker knows
 * - every published number: exactly (a constant), or as an interval when it was published in a
 *   rounded form (`known`, e.g. a share rounded to 0.001);
 * - every declared relation between cells (margins, totals, a count = share x published
 *   denominator, a hidden cell repeated in another table), as linear equalities or inequalities;
 * - the a-priori bounds of every cell (counts are >= 0, a share is <= 1) and that counts are
 *   integers.
 * For every hidden cell the attacker then knows the interval [min, max] of the values that are
 * consistent with all of that; this module computes that interval exactly (as an integer program
 * where integers are involved) and reports the hidden cells whose interval is too narrow: a count
 * v must stay consistent with max(lower, v - margin) and v + margin, a magnitude (a sum or mean of
 * wages or hours) with v - p|v| and v + p|v| (the p% rule), both clamped to the a-priori bounds.
 *
 * Not covered: non-linear relations (a share whose denominator is hidden as well: count = share x
 * denominator with both unknown), knowledge from outside the publication (an attacker who knows
 * one of the persons), and differencing between runs over time. A caller can still express a
 * published share with a hidden denominator linearly, as lo x denominator <= count <= hi x
 * denominator.
 *
 * Why HiGHS: the question per cell is a small linear or mixed-integer program; HiGHS (the `highs`
 * package, HiGHS compiled to WebAssembly) is an exact, maintained LP/MIP solver that runs in-process
 * with no native add-on, so the pipeline stays a plain `npm ci`, and its persistent-model API
 * takes sparse arrays (no LP text to write and parse) and keeps the basis between solves.
 *
 * How: cells published exactly are substituted; the remaining variables are split into connected
 * components (union-find over the relations), each solved on its own. Per component the model is
 * loaded once into a reused HiGHS model and only the objective (min or max of one cell) changes
 * between solves, so each LP warm-starts from the previous basis. Solves are avoided where the
 * answer is already proven:
 * - a pool of feasible points (the true values, then every solution found) is compared with bounds
 *   implied by the relations one at a time: a pooled point at such a bound is optimal;
 * - integer components are solved as LPs first: an integral LP optimum (always so for tables with
 *   margins, whose matrices are totally unimodular) is the integer optimum; a fractional one is
 *   rounded to a bound that a pooled point may reach, or that a dive on the LP model reaches (an
 *   integral point found by fixing integer variables one at a time); only then a MIP is solved.
 *   The dive is ours because HiGHS offers no cheaper MIP: even solved at its root node a MIP
 *   costs ~30 ms here against well under 1 ms for an LP, and shares published with a rounding
 *   interval (count = share x denominator) make fractional LP optima common;
 * - a fractional LP optimum is tried once more with the "core" fixed: the integer cells that
 *   occur in a relation with a coefficient other than ±1 (the counts and denominators of shares
 *   published with a rounding interval) are held at their true values, and what remains are
 *   sums with coefficients ±1, whose LP optimum is as a rule integral, so an integral feasible
 *   point that reaches the LP bound proves it. (A share's count and denominator admit only
 *   scattered integer pairs, so a dive that rounds them one at a time mostly ends infeasible,
 *   and a MIP on a component of 2,000 cells costs about 0.4 s: a scale-0.1 world spent ten
 *   minutes in them.)
 * - an LP that is unbounded stays unbounded with integers;
 * - a component with one variable, or with one relation whose coefficients are ±1 (a hidden
 *   partition under its total, all integer or all continuous cells), is solved by interval
 *   arithmetic: there the bounds implied by the relation are the LP's, and integral.
 * Reported intervals are the exact min and max (up to the slack of 1e-9 x a relation's largest
 * term and HiGHS' tolerances, about 1e-6 for integrality), unless `upToRequired` is set: then a
 * side of a cell's interval is searched only until a feasible point reaches what the cell
 * requires (`requiredRange`), and is reported as that point's value (attainable, so the
 * verdict is the same as with the exact interval; a side that falls short is still exact).
 * The one exception is an integer program stopped at its node or time limit (MIP_OPTIONS): its
 * best solution found is reported, which is attainable, so the interval may be too narrow but
 * never too wide; such cells are listed in `limited`.
 */
import v8 from "node:v8";
import highsEntry, { type Highs, type Model } from "highs";

export interface AuditCell {
  /** e.g. "duur_per_jaar/aantallen#3.n" — opaque to this module */
  id: string;
  /** the true (unsuppressed) value */
  value: number;
  /** true: not published; the attacker must not be able to narrow it */
  hidden: boolean;
  /** what the attacker knows of a published cell that is not exact (a rounded share, say): [lo, hi]. Absent and hidden=false: the value is known exactly. */
  known?: [number, number];
  /** counts are integers */
  integer: boolean;
  /** a-priori bound every attacker knows (0 for counts); -Infinity for none */
  lower: number;
  /** absent = unbounded above */
  upper?: number;
  /** counts get the ±margin rule, magnitudes (sums/means of wages, hours) the p% rule */
  kind: "count" | "magnitude";
}

export interface AuditConstraint {
  /** [cell id, coefficient]; a cell may occur more than once (coefficients are added) */
  terms: Array<[string, number]>;
  op: "=" | "<=" | ">=";
  rhs: number;
  /** which declared relation this comes from (for messages) */
  label: string;
}

export interface AuditOptions {
  /** a hidden count v must stay consistent with max(lower, v - margin) and with v + margin */
  countMargin: number;
  /** a hidden magnitude v must stay consistent with v - p|v| and v + p|v| */
  pPercent: number;
  /**
   * Relative/absolute tolerance for relations built from floating data: a relation holds for the
   * true values when it is off by at most tolerance x max(1, |rhs|, |each term|); otherwise audit
   * throws. In the attacker's system a relation gets only the slack the true values need (their
   * residual) plus 1e-9 relative, so "=" becomes a range just wide enough. Also the slack when
   * comparing a magnitude's interval with what it needs.
   */
  tolerance?: number;
  /**
   * Search each side of a hidden cell's interval only until a feasible point reaches what the
   * cell requires (see the header); the failures are the same as without. Default false: exact.
   */
  upToRequired?: boolean;
}

export interface AuditFailure {
  id: string;
  value: number;
  /** the attacker's interval (with `upToRequired`, a side that reaches what is required is the value that showed it) */
  min: number;
  max: number;
  /** what the interval has to reach */
  needLow: number;
  needHigh: number;
  /** labels of the relations the cell occurs in (sorted) */
  labels: string[];
}

export interface AuditResult {
  hiddenCells: number;
  /** relations that still contain a variable after substituting the exactly published cells */
  constraints: number;
  /** connected components that contain a hidden cell (each audited on its own) */
  components: number;
  /** HiGHS runs (LP and MIP) */
  solves: number;
  /** of which MIP runs */
  mips: number;
  /** bounds of integer programs proven by a dive on the LP model, without a MIP */
  dives: number;
  /** bounds of integer programs proven by the LP with the core fixed, without a dive or MIP */
  coreFixed: number;
  ms: number;
  /** per hidden cell (in input order) the attacker's feasible interval: exact min and max, or with `upToRequired` at least what is required */
  intervals: Map<string, [number, number]>;
  /** hidden cells whose interval is too narrow, ordered by id */
  failures: AuditFailure[];
  /**
   * Hidden cells (ordered by id) with a bound from an integer program stopped at its limit
   * (MIP_OPTIONS): their interval is attainable but maybe not the widest, so they may fail where
   * the exact interval would pass, never the reverse. Empty for tables with margins.
   */
  limited: string[];
}

export const AUDIT_DEFAULTS: Required<AuditOptions> = { countMargin: 5, pPercent: 0.1, tolerance: 1e-6, upToRequired: false };

/** Relative slack every row gets on top of the true values' residual (floating-point noise). */
const ROW_NOISE = 1e-9;

/** A solution value within this distance of an integer counts as that integer (HiGHS' mip_feasibility_tolerance). */
const INTEGRALITY_TOL = 1e-6;

// ---------------------------------------------------------------------------------------------
// Loading HiGHS

type Loader = () => Promise<Highs>;
// The package's declarations describe its CommonJS face; under ESM the default export is the loader.
const highsModule = highsEntry as unknown as Loader | { default: Loader };
const loadHighs: Loader = typeof highsModule === "function" ? highsModule : highsModule.default;

let solver: Promise<Highs> | undefined;

/**
 * Compile WebAssembly with V8's baseline compiler (Liftoff) only. By default V8 recompiles hot
 * functions with its optimising compiler (TurboFan); for HiGHS' large functions that costs more
 * CPU than a whole audit gains from it: measured on the benchmark (scripts/bench-attacker.ts), an
 * audit in a fresh process took ~2.3 s CPU with tier-up against ~0.8 s without, while a third
 * audit in the same process is ~1.7x slower without. The pipeline runs one audit per process.
 * V8 flags are process-wide; this one only changes how WebAssembly compiled afterwards is
 * compiled (nothing else in the pipeline is WebAssembly). Set BAANMONITOR_WASM_TIERUP=1 to keep
 * V8's default, e.g. for a long-running process that audits many times.
 */
function preferBaselineWasm(): void {
  if (process.env.BAANMONITOR_WASM_TIERUP !== "1") v8.setFlagsFromString("--liftoff-only");
}

/**
 * The HiGHS instance shared by all audits in this process: loaded (asynchronously, ~150 ms) on
 * first use and reused, since solves are synchronous and never overlap.
 */
export function loadSolver(): Promise<Highs> {
  if (!solver) {
    preferBaselineWasm();
    const loading = loadHighs();
    solver = loading;
    loading.catch(() => discardSolver(loading));
  }
  return solver;
}

/** Forget a (broken) instance so that the next `loadSolver` instantiates the module afresh. */
function discardSolver(broken: Promise<Highs>): void {
  if (solver === broken) solver = undefined;
}

// ---------------------------------------------------------------------------------------------
// The attacker's system: variables (hidden and interval cells) and rows (relations with a variable)

interface Variable {
  cell: AuditCell;
  lo: number;
  hi: number;
  integer: boolean;
  /** rows this variable occurs in */
  rows: number[];
}

interface Row {
  label: string;
  cols: number[];
  coefs: number[];
  lo: number;
  hi: number;
}

interface System {
  vars: Variable[];
  rows: Row[];
}

const fmt = (x: number): string => String(Number(x.toPrecision(12)));

/** An integer or an infinite bound. */
function isWhole(x: number): boolean {
  return !Number.isFinite(x) || Number.isInteger(x);
}

function nearInteger(x: number, tol = 1e-9): boolean {
  return Math.abs(x - Math.round(x)) <= tol;
}

function checkCell(c: AuditCell, tol: number): void {
  const slack = tol * Math.max(1, Math.abs(c.value));
  const where = `attacker-check: cel "${c.id}"`;
  if (!Number.isFinite(c.value)) throw new Error(`${where} heeft geen eindige waarde (${c.value})`);
  if (c.integer && !nearInteger(c.value)) throw new Error(`${where} is een telling maar ${c.value} is geen geheel getal`);
  const upper = c.upper ?? Number.POSITIVE_INFINITY;
  if (c.value < c.lower - slack || c.value > upper + slack)
    throw new Error(`${where}: waarde ${c.value} ligt buiten de a-priori grenzen [${c.lower}, ${upper}]`);
  if (c.known && (c.value < c.known[0] - slack || c.value > c.known[1] + slack))
    throw new Error(`${where}: waarde ${c.value} ligt buiten het gepubliceerde interval [${c.known[0]}, ${c.known[1]}]`);
}

/** Bounds of a variable: a-priori bounds intersected with what was published, integral for counts. */
function variableBounds(c: AuditCell): [number, number] {
  let lo = Math.max(c.lower, c.known?.[0] ?? Number.NEGATIVE_INFINITY);
  let hi = Math.min(c.upper ?? Number.POSITIVE_INFINITY, c.known?.[1] ?? Number.POSITIVE_INFINITY);
  if (c.integer) {
    lo = Math.ceil(lo - 1e-9);
    hi = Math.floor(hi + 1e-9);
  }
  // the true value is feasible (checkCell); keep it inside despite the tolerance
  return [Math.min(lo, c.value), Math.max(hi, c.value)];
}

function indexCells(cells: AuditCell[], tol: number): { byId: Map<string, AuditCell>; varOf: Map<string, number>; vars: Variable[] } {
  const byId = new Map<string, AuditCell>();
  const varOf = new Map<string, number>();
  const vars: Variable[] = [];
  for (const c of cells) {
    if (byId.has(c.id)) throw new Error(`attacker-check: cel "${c.id}" komt twee keer voor`);
    checkCell(c, tol);
    byId.set(c.id, c);
    if (c.hidden || c.known) {
      const [lo, hi] = variableBounds(c);
      varOf.set(c.id, vars.length);
      vars.push({ cell: c, lo, hi, integer: c.integer, rows: [] });
    }
  }
  return { byId, varOf, vars };
}

/**
 * One relation: substitute the exactly published cells, check it against the true values, and
 * return it as a row over the variables (or undefined when none is left: a fact).
 */
function buildRow(
  k: AuditConstraint,
  byId: Map<string, AuditCell>,
  varOf: Map<string, number>,
  vars: Variable[],
  tol: number,
): Row | undefined {
  const coefOf = new Map<number, number>();
  let constant = 0;
  let activity = 0;
  let scale = Math.max(1, Math.abs(k.rhs));
  for (const [id, a] of k.terms) {
    const c = byId.get(id);
    if (!c) throw new Error(`attacker-check: relatie "${k.label}" noemt een onbekende cel "${id}"`);
    if (!Number.isFinite(a)) throw new Error(`attacker-check: relatie "${k.label}" heeft coëfficiënt ${a} voor "${id}"`);
    activity += a * c.value;
    scale = Math.max(scale, Math.abs(a * c.value));
    const j = varOf.get(id);
    if (j === undefined) constant += a * c.value;
    else coefOf.set(j, (coefOf.get(j) ?? 0) + a);
  }
  const slack = tol * scale;
  const off = activity - k.rhs;
  const holds = k.op === "=" ? Math.abs(off) <= slack : k.op === "<=" ? off <= slack : off >= -slack;
  if (!holds)
    throw new Error(
      `attacker-check: relatie "${k.label}" klopt niet voor de ware waarden (${fmt(activity)} ${k.op} ${fmt(k.rhs)}): de declaratie is fout`,
    );
  const entries = [...coefOf].filter(([, a]) => a !== 0).sort((x, y) => x[0] - y[0]);
  if (entries.length === 0) return undefined;
  const rhs = k.rhs - constant;
  // the attacker's slack: what the true values need (their rounding residual) plus float noise
  const violation = k.op === "=" ? Math.abs(off) : k.op === "<=" ? Math.max(0, off) : Math.max(0, -off);
  const margin = violation + ROW_NOISE * scale;
  let lo = k.op === "<=" ? Number.NEGATIVE_INFINITY : rhs - margin;
  let hi = k.op === ">=" ? Number.POSITIVE_INFINITY : rhs + margin;
  // integer variables with integer coefficients: the activity is an integer, so is its range
  if (entries.every(([j, a]) => vars[j]!.integer && Number.isInteger(a))) {
    lo = Math.ceil(lo - 1e-9);
    hi = Math.floor(hi + 1e-9);
  }
  return { label: k.label, cols: entries.map(([j]) => j), coefs: entries.map(([, a]) => a), lo, hi };
}

function buildSystem(cells: AuditCell[], constraints: AuditConstraint[], tol: number): System {
  const { byId, varOf, vars } = indexCells(cells, tol);
  const rows: Row[] = [];
  for (const k of constraints) {
    const row = buildRow(k, byId, varOf, vars, tol);
    if (!row) continue;
    for (const j of row.cols) vars[j]!.rows.push(rows.length);
    rows.push(row);
  }
  return { vars, rows };
}

// ---------------------------------------------------------------------------------------------
// Connected components (union-find)

interface Component {
  /** global variable indices, ascending */
  vars: number[];
  /** global row indices, ascending */
  rows: number[];
}

function find(parent: number[], i: number): number {
  let r = i;
  while (parent[r] !== r) r = parent[r]!;
  while (parent[i] !== r) {
    const next = parent[i]!;
    parent[i] = r;
    i = next;
  }
  return r;
}

/** Components that hold at least one hidden cell, ordered by their first variable. */
function components(sys: System): Component[] {
  const parent = sys.vars.map((_, i) => i);
  for (const row of sys.rows) {
    const first = find(parent, row.cols[0]!);
    for (const j of row.cols) {
      const r = find(parent, j);
      if (r !== first) parent[Math.max(r, first)] = Math.min(r, first);
    }
  }
  const byRoot = new Map<number, Component>();
  sys.vars.forEach((_, j) => {
    const root = find(parent, j);
    let comp = byRoot.get(root);
    if (!comp) byRoot.set(root, (comp = { vars: [], rows: [] }));
    comp.vars.push(j);
  });
  sys.rows.forEach((row, i) => byRoot.get(find(parent, row.cols[0]!))!.rows.push(i));
  return [...byRoot.values()].filter((comp) => comp.vars.some((j) => sys.vars[j]!.cell.hidden));
}

// ---------------------------------------------------------------------------------------------
// Solving one component

type Interval = [number, number];

/** A component with one variable: every row is a bound on it. */
function solveSingle(sys: System, comp: Component): Map<number, Interval> {
  const j = comp.vars[0]!;
  const v = sys.vars[j]!;
  let lo = v.lo;
  let hi = v.hi;
  for (const r of comp.rows) {
    const row = sys.rows[r]!;
    const a = row.coefs[0]!;
    const [rl, rh] = a > 0 ? [row.lo / a, row.hi / a] : [row.hi / a, row.lo / a];
    lo = Math.max(lo, rl);
    hi = Math.min(hi, rh);
  }
  if (v.integer) {
    lo = Math.ceil(lo - INTEGRALITY_TOL);
    hi = Math.floor(hi + INTEGRALITY_TOL);
  }
  return new Map([[j, [Math.min(lo, v.cell.value) + 0, Math.max(hi, v.cell.value) + 0]]]);
}

/**
 * Bounds implied by the rows one at a time (a few rounds of activity-based bound propagation),
 * per local variable. Valid for every feasible point; used only to recognise that a pooled
 * feasible point is already optimal, never as an answer of its own.
 */
function impliedBounds(vars: Variable[], rows: LocalRow[], rounds = 3): { lo: number[]; hi: number[] } {
  const lo = vars.map((v) => v.lo);
  const hi = vars.map((v) => v.hi);
  for (let round = 0; round < rounds; round++) {
    let changed = false;
    for (const row of rows) {
      const act = activityBounds(row, lo, hi);
      for (let i = 0; i < row.cols.length; i++) {
        const k = row.cols[i]!;
        const a = row.coefs[i]!;
        const [low, high] = a > 0 ? [a * lo[k]!, a * hi[k]!] : [a * hi[k]!, a * lo[k]!];
        // a x_k lies in [row.lo - (activity of the others at most), row.hi - (... at least)]
        const termLo = row.lo - rest(act.max, act.maxInf, high, 1);
        const termHi = row.hi - rest(act.min, act.minInf, low, -1);
        let xl = (a > 0 ? termLo : termHi) / a;
        let xh = (a > 0 ? termHi : termLo) / a;
        if (vars[k]!.integer) {
          xl = Math.ceil(xl - INTEGRALITY_TOL);
          xh = Math.floor(xh + INTEGRALITY_TOL);
        }
        if (xl > lo[k]! + 1e-9 * Math.max(1, Math.abs(xl))) {
          lo[k] = xl;
          changed = true;
        }
        if (xh < hi[k]! - 1e-9 * Math.max(1, Math.abs(xh))) {
          hi[k] = xh;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return { lo, hi };
}

/** Smallest and largest activity of a row over the bounds; infinite terms are counted apart. */
function activityBounds(row: LocalRow, lo: number[], hi: number[]): { min: number; minInf: number; max: number; maxInf: number } {
  let min = 0;
  let max = 0;
  let minInf = 0;
  let maxInf = 0;
  for (let i = 0; i < row.cols.length; i++) {
    const k = row.cols[i]!;
    const a = row.coefs[i]!;
    const low = a > 0 ? a * lo[k]! : a * hi[k]!;
    const high = a > 0 ? a * hi[k]! : a * lo[k]!;
    if (Number.isFinite(low)) min += low;
    else minInf++;
    if (Number.isFinite(high)) max += high;
    else maxInf++;
  }
  return { min, minInf, max, maxInf };
}

/**
 * A row's activity bound (`total` of the finite terms, `infinite` terms at `side` x infinity)
 * without one of its terms.
 */
function rest(total: number, infinite: number, term: number, side: -1 | 1): number {
  const others = Number.isFinite(term) ? infinite : infinite - 1;
  if (others > 0) return side * Number.POSITIVE_INFINITY;
  return Number.isFinite(term) ? total - term : total;
}

/** A row in the component's local column numbering. */
interface LocalRow {
  cols: number[];
  coefs: number[];
  lo: number;
  hi: number;
}

function localRows(sys: System, comp: Component): LocalRow[] {
  const local = new Map(comp.vars.map((j, k) => [j, k]));
  return comp.rows.map((r) => {
    const row = sys.rows[r]!;
    return { cols: row.cols.map((j) => local.get(j)!), coefs: row.coefs, lo: row.lo, hi: row.hi };
  });
}

/** mip_rel_gap 0: a bound must be the optimum, not within 0.01% of it. */
const SOLVER_OPTIONS = { output_flag: false, mip_rel_gap: 0 };
/**
 * Limits for one MIP: branch-and-bound can fail to close a tiny gap on unbounded general integers
 * (seen on random systems: a continuous cell minimised over a narrow equality range ran for
 * minutes and gigabytes). The node limit is deterministic; the time limit (seconds per run) is a
 * last guard. A MIP stopped by a limit gives its best solution, which is attainable: the cell is
 * listed in `limited` and its interval is an inner bound (conservative: it can only add failures).
 */
const MIP_OPTIONS = { mip_max_nodes: 2000, time_limit: 2 };
/**
 * LPs use the primal simplex: after only the objective changed, the previous optimal basis is
 * still primal feasible, so primal simplex continues from it (about 1.5x faster here than the
 * default dual simplex, which first has to repair dual feasibility).
 */
const LP_OPTIONS = { simplex_strategy: 4 };

/** A bound as HiGHS takes it: ±Infinity becomes HiGHS' own infinity. */
function clipInfinite(highs: Highs, x: number): number {
  return Math.max(-highs.infinity, Math.min(highs.infinity, x));
}

/** The component as HiGHS model data (CSR), with a zero objective. */
function modelData(highs: Highs, vars: Variable[], rows: LocalRow[], integer: boolean) {
  const starts = new Int32Array(rows.length + 1);
  rows.forEach((row, i) => (starts[i + 1] = starts[i]! + row.cols.length));
  const clip = (x: number): number => clipInfinite(highs, x);
  const { variableType } = highs.constants;
  return {
    numCols: vars.length,
    numRows: rows.length,
    colCost: new Float64Array(vars.length),
    colLower: vars.map((v) => clip(v.lo)),
    colUpper: vars.map((v) => clip(v.hi)),
    rowLower: rows.map((row) => clip(row.lo)),
    rowUpper: rows.map((row) => clip(row.hi)),
    matrix: {
      format: "csr" as const,
      numRows: rows.length,
      numCols: vars.length,
      starts,
      indices: rows.flatMap((row) => row.cols),
      values: rows.flatMap((row) => row.coefs),
    },
    integrality: integer ? vars.map((v) => (v.integer ? variableType.integer : variableType.continuous)) : undefined,
  };
}

type ModelKind = "lp" | "core" | "mip";

interface Counter {
  solves: number;
  /** MIP runs */
  mips: number;
  /** bounds of integer programs proven by a dive on the LP model (no MIP) */
  dives: number;
  /** bounds of integer programs proven by the LP with the core fixed */
  coreFixed: number;
  /** variables (global index) with a bound from a MIP stopped at a limit */
  limited: Set<number>;
}

/** HiGHS' primal_solution_status for a feasible solution. */
const FEASIBLE = 2;

/**
 * The HiGHS models of one audit: one for LPs, one for LPs with the component's core fixed at its
 * true values, and one for MIPs, created once and loaded with each component in turn
 * (`passModel` is far cheaper than creating and freeing a HiGHS instance).
 */
class Workspace {
  private models: { [kind in ModelKind]?: Model } = {};
  /** which component each model holds, and which column has cost 1 */
  private holds: { [kind in ModelKind]?: Component } = {};
  private costCol: Record<ModelKind, number> = { lp: -1, core: -1, mip: -1 };

  constructor(readonly highs: Highs) {}

  /** The model of this kind, loaded with the component (for `core`, with the local variables `core` fixed at their true values). */
  model(kind: ModelKind, comp: Component, vars: Variable[], rows: LocalRow[], core: readonly number[] = []): Model {
    let m = this.models[kind];
    if (!m) {
      m = this.models[kind] = this.highs.createModel();
      m.options.set({ ...SOLVER_OPTIONS, ...(kind === "mip" ? MIP_OPTIONS : LP_OPTIONS) });
    }
    if (this.holds[kind] !== comp) {
      const data = modelData(this.highs, vars, rows, kind === "mip");
      if (kind === "core") for (const j of core) data.colLower[j] = data.colUpper[j] = vars[j]!.cell.value;
      m.passModel(data);
      this.holds[kind] = comp;
      this.costCol[kind] = -1;
    }
    return m;
  }

  /** Make x_k the objective (all other costs 0). */
  objective(kind: ModelKind, m: Model, k: number): void {
    const previous = this.costCol[kind];
    if (previous === k) return;
    if (previous >= 0) m.changeColCost(previous, 0);
    m.changeColCost(k, 1);
    this.costCol[kind] = k;
  }

  /** Put a variable's own bounds back after a dive changed them. */
  restoreBounds(m: Model, j: number, v: Variable): void {
    m.changeColBounds(j, clipInfinite(this.highs, v.lo), clipInfinite(this.highs, v.hi));
  }

  dispose(): void {
    for (const m of Object.values(this.models)) {
      try {
        m?.dispose();
      } catch {
        // a broken instance cannot free its memory; it is discarded as a whole
      }
    }
    this.models = {};
    this.holds = {};
  }
}

/**
 * Min and max of each hidden variable of a component with several variables. `obsMin`/`obsMax`
 * hold, per variable, the extremes over feasible points found so far (the pool), starting with
 * the true values.
 */
class ComponentSolver {
  private readonly vars: Variable[];
  private readonly rows: LocalRow[];
  private readonly anyInteger: boolean;
  private readonly isInteger: Uint8Array;
  private readonly obsMin: number[];
  private readonly obsMax: number[];
  /** the feasible points found, and per variable the point that holds its extreme (-1: the true values) */
  private readonly points: Float64Array[] = [];
  private readonly atMin: number[];
  private readonly atMax: number[];
  private readonly implied: { lo: number[]; hi: number[] };
  /** one relation with coefficients ±1 over integer (or over continuous) cells: the implied bounds are the exact ones */
  private readonly impliedExact: boolean;
  /** the integer variables in a relation with a coefficient other than ±1 (empty when that is none or all) */
  private readonly core: number[];

  constructor(
    private readonly ws: Workspace,
    private readonly sys: System,
    private readonly comp: Component,
    private readonly counter: Counter,
    /** with `upToRequired`: the options that say what a cell requires */
    private readonly required?: Required<AuditOptions>,
  ) {
    this.vars = comp.vars.map((j) => sys.vars[j]!);
    this.rows = localRows(sys, comp);
    this.anyInteger = this.vars.some((v) => v.integer);
    this.isInteger = Uint8Array.from(this.vars, (v) => (v.integer ? 1 : 0));
    this.obsMin = this.vars.map((v) => v.cell.value);
    this.obsMax = this.vars.map((v) => v.cell.value);
    this.atMin = this.vars.map(() => -1);
    this.atMax = this.vars.map(() => -1);
    this.implied = impliedBounds(this.vars, this.rows);
    const core = new Set<number>();
    for (const r of this.rows) if (r.coefs.some((a) => a !== 1 && a !== -1)) for (const c of r.cols) if (this.vars[c]!.integer) core.add(c);
    this.core = core.size < this.vars.length ? [...core].sort((a, b) => a - b) : [];
    // one row a.x in [lo, hi] with a = ±1 and a box per variable: the LP optimum of x_k puts every
    // other variable at a bound (an integer one for integer cells), so it is integral and equals
    // the bound implied by the row (e.g. 35 regions hidden under a published month total)
    const integers = this.vars.filter((v) => v.integer).length;
    this.impliedExact =
      this.rows.length === 1 &&
      this.rows[0]!.coefs.every((a) => a === 1 || a === -1) &&
      (integers === 0 || (integers === this.vars.length && this.vars.every((v) => isWhole(v.lo) && isWhole(v.hi))));
  }

  solve(): Map<number, Interval> {
    const out = new Map<number, Interval>();
    this.vars.forEach((v, k) => {
      if (!v.cell.hidden) return;
      const min = this.bound(k, -1);
      const max = this.bound(k, 1);
      // + 0 turns a -0 from the solver into 0
      out.set(this.comp.vars[k]!, [Math.min(min, v.cell.value) + 0, Math.max(max, v.cell.value) + 0]);
    });
    return out;
  }

  /**
   * The exact minimum (dir -1) or maximum (dir 1) of local variable k; with `upToRequired`, the
   * first value found that reaches what the cell requires, when there is one.
   */
  private bound(k: number, dir: -1 | 1): number {
    const v = this.vars[k]!;
    const limit = dir < 0 ? this.implied.lo[k]! : this.implied.hi[k]!;
    if (this.impliedExact) return limit;
    // a feasible point reaches a bound that holds for every feasible point already
    if (Number.isFinite(limit) && dir * (this.seen(k, dir) - limit) >= -1e-9 * Math.max(1, Math.abs(limit))) return this.seen(k, dir);
    const need = this.need(k, dir);
    const enough = (): boolean => need !== undefined && dir * (this.seen(k, dir) - need) >= 0;
    if (enough()) return this.seen(k, dir);
    const lp = this.optimise("lp", k, dir);
    if (!lp) return dir * Number.POSITIVE_INFINITY; // unbounded in the LP relaxation, hence also with integers
    if (this.integral(lp)) {
      this.record(lp);
      return v.integer ? Math.round(lp[k]!) : lp[k]!;
    }
    // the LP bound, rounded for an integer variable, is a valid bound; a feasible point reaching it is optimal
    const lpBound = !v.integer ? lp[k]! : dir < 0 ? Math.ceil(lp[k]! - INTEGRALITY_TOL) : Math.floor(lp[k]! + INTEGRALITY_TOL);
    const reaches = (x: number): boolean =>
      v.integer ? dir * (x - lpBound) >= 0 : dir * (x - lpBound) >= -1e-9 * Math.max(1, Math.abs(lpBound));
    if (v.integer && reaches(this.seen(k, dir))) return this.seen(k, dir);
    const cored = this.withCoreFixed(k, dir);
    if (cored !== undefined && reaches(cored)) {
      this.counter.coreFixed++;
      return v.integer ? lpBound : cored;
    }
    if (enough()) return this.seen(k, dir);
    // an integral point at what the cell requires, short of the LP bound, is enough
    if (need !== undefined && dir * (lpBound - need) > 0) {
      const point = this.dive(k, need, true);
      if (point) {
        this.record(point);
        return need;
      }
    }
    if (v.integer) {
      const point = this.dive(k, lpBound, true);
      if (point) {
        this.record(point);
        return lpBound;
      }
    } else {
      const point = this.dive(k, lpBound, false);
      if (point) {
        this.record(point);
        return point[k]!;
      }
    }
    const mip = this.optimise("mip", k, dir);
    if (!mip) throw new Error(this.message("het geheeltallige probleem is onbegrensd terwijl de LP-relaxatie begrensd is"));
    this.record(mip);
    return v.integer ? Math.round(mip[k]!) : mip[k]!;
  }

  /** With `upToRequired`: the value side dir of variable k has to reach (whole for an integer variable). */
  private need(k: number, dir: -1 | 1): number | undefined {
    if (!this.required) return undefined;
    const v = this.vars[k]!;
    const [low, high] = requiredRange(v.cell, this.required);
    if (!v.integer) return dir < 0 ? low : high;
    return dir < 0 ? Math.floor(low + INTEGRALITY_TOL) : Math.ceil(high - INTEGRALITY_TOL);
  }

  /**
   * Optimise x_k with the core fixed at its true values (a feasible point, so the LP is
   * feasible): when the optimum is integral it is a feasible point of the integer program, which
   * is recorded and x_k's value returned. Undefined when x_k is in the core, there is no core, or
   * the optimum is fractional.
   */
  private withCoreFixed(k: number, dir: -1 | 1): number | undefined {
    if (this.core.length === 0 || this.core.includes(k)) return undefined;
    const m = this.ws.model("core", this.comp, this.vars, this.rows, this.core);
    const { objectiveSense, modelStatus } = this.ws.highs.constants;
    this.ws.objective("core", m, k);
    m.changeObjectiveSense(dir < 0 ? objectiveSense.minimize : objectiveSense.maximize);
    this.counter.solves++;
    if (m.run().modelStatus !== modelStatus.optimal) return undefined;
    const x = m.getSolution().colValue;
    if (!this.integral(x)) return undefined;
    this.record(x);
    return this.vars[k]!.integer ? Math.round(x[k]!) : x[k]!;
  }

  /**
   * A dive on the LP model for an integral feasible point at the LP bound `target` of x_k, which
   * is then the integer optimum without a MIP (a MIP costs ~30 ms even when solved at its root,
   * an LP well under 1 ms). With `fix` (x_k integer, target its rounded LP bound) x_k is fixed at
   * the target; otherwise (x_k continuous) x_k stays the objective and the point must still reach
   * the target. Then the most fractional integer variable is fixed at its nearest integer, one at
   * a time; when that makes the LP infeasible the other neighbouring integer is tried once.
   * Undefined when the dive fails (the caller then solves the MIP, which decides); the model's
   * bounds are restored either way.
   */
  private dive(k: number, target: number, fix: boolean): Float64Array | undefined {
    const m = this.ws.model("lp", this.comp, this.vars, this.rows);
    const { modelStatus } = this.ws.highs.constants;
    const fixed = fix ? [k] : [];
    if (fix) m.changeColBounds(k, target, target);
    const solved = (): boolean => {
      this.counter.solves++;
      return m.run().modelStatus === modelStatus.optimal;
    };
    try {
      /** the variable fixed last and its other neighbouring integer */
      let other: [number, number] | undefined;
      for (;;) {
        if (!solved()) {
          if (!other) return undefined;
          m.changeColBounds(other[0], other[1], other[1]);
          other = undefined;
          if (!solved()) return undefined;
        }
        const x = m.getSolution().colValue;
        let next = -1;
        let most = INTEGRALITY_TOL;
        for (let i = 0; i < this.vars.length; i++) {
          if (!this.vars[i]!.integer) continue;
          const off = Math.abs(x[i]! - Math.round(x[i]!));
          if (off > most) {
            next = i;
            most = off;
          }
        }
        if (next < 0) {
          const reached = fix || Math.abs(x[k]! - target) <= 1e-9 * Math.max(1, Math.abs(target));
          if (reached) this.counter.dives++;
          return reached ? x : undefined;
        }
        const r = Math.round(x[next]!);
        m.changeColBounds(next, r, r);
        fixed.push(next);
        other = [next, x[next]! < r ? r - 1 : r + 1];
      }
    } finally {
      for (const j of fixed) this.ws.restoreBounds(m, j, this.vars[j]!);
    }
  }

  private seen(k: number, dir: -1 | 1): number {
    return dir < 0 ? this.obsMin[k]! : this.obsMax[k]!;
  }

  /** Whether a solution is integral in the integer variables (always so without them). */
  private integral(x: Float64Array): boolean {
    return !this.anyInteger || this.vars.every((v, i) => !v.integer || nearInteger(x[i]!, INTEGRALITY_TOL));
  }

  /** Add a feasible point to the pool. */
  private record(x: Float64Array): void {
    const at = this.points.length;
    const y = new Float64Array(x.length);
    let kept = false;
    for (let i = 0; i < y.length; i++) {
      const xi = (y[i] = this.isInteger[i] ? Math.round(x[i]!) : x[i]!);
      if (xi < this.obsMin[i]!) {
        this.obsMin[i] = Math.max(xi, this.vars[i]!.lo);
        this.atMin[i] = at;
        kept = true;
      }
      if (xi > this.obsMax[i]!) {
        this.obsMax[i] = Math.min(xi, this.vars[i]!.hi);
        this.atMax[i] = at;
        kept = true;
      }
    }
    if (kept) this.points.push(y);
  }

  /**
   * Points of an earlier audit of the same system (a repair round before this one) that are
   * feasible here join the pool. A repair only hides more cells, so a point of the components
   * this one grew from, with the true value of every cell it did not hold, mostly still is; each
   * is checked against this component's bounds and relations (within HiGHS' tolerances, as its
   * own solutions are) before it is used.
   */
  seed(earlier: ReadonlyArray<{ ids: readonly string[]; points: readonly Float64Array[] }>): void {
    const local = new Map(this.vars.map((v, k) => [v.cell.id, k]));
    const truth = Float64Array.from(this.vars, (v) => v.cell.value);
    for (const { ids, points } of earlier) {
      const to = Int32Array.from(ids, (id) => local.get(id) ?? -1);
      if (!to.some((k) => k >= 0)) continue;
      for (const p of points) {
        const x = truth.slice();
        for (let i = 0; i < to.length; i++) if (to[i]! >= 0) x[to[i]!] = p[i]!;
        if (this.extends(x) && this.feasible(x)) this.record(x);
      }
    }
  }

  /** Whether x lies beyond the pool's extremes in some variable. */
  private extends(x: Float64Array): boolean {
    for (let i = 0; i < x.length; i++) if (x[i]! < this.obsMin[i]! || x[i]! > this.obsMax[i]!) return true;
    return false;
  }

  private feasible(x: Float64Array): boolean {
    for (let i = 0; i < this.vars.length; i++) {
      const v = this.vars[i]!;
      if (x[i]! < v.lo - INTEGRALITY_TOL || x[i]! > v.hi + INTEGRALITY_TOL || (v.integer && !Number.isInteger(x[i]!))) return false;
    }
    for (const r of this.rows) {
      let act = 0;
      let scale = 0;
      for (let i = 0; i < r.cols.length; i++) {
        act += r.coefs[i]! * x[r.cols[i]!]!;
        scale += Math.abs(r.coefs[i]!);
      }
      // HiGHS' primal feasibility tolerance, plus what rounding its integer values may add
      const tol = 1e-7 + INTEGRALITY_TOL * scale;
      if (act < r.lo - tol || act > r.hi + tol) return false;
    }
    return true;
  }

  /** The points that hold a variable's extreme, for the next audit's `seed`. */
  witnesses(): Float64Array[] {
    const used = new Set([...this.atMin, ...this.atMax].filter((i) => i >= 0));
    return [...used].sort((a, b) => a - b).map((i) => this.points[i]!);
  }

  /**
   * Optimise x_k in direction dir: the optimal point, or undefined when unbounded. A MIP that
   * stops at a limit gives its best point and marks the variable as limited.
   */
  private optimise(kind: "lp" | "mip", k: number, dir: -1 | 1): Float64Array | undefined {
    const m = this.ws.model(kind, this.comp, this.vars, this.rows);
    const { objectiveSense, modelStatus } = this.ws.highs.constants;
    this.ws.objective(kind, m, k);
    m.changeObjectiveSense(dir < 0 ? objectiveSense.minimize : objectiveSense.maximize);
    if (kind === "mip") {
      m.zeroAllClocks(); // time_limit counts from here
      m.setSolution({ colValue: this.vars.map((v) => v.cell.value) }); // an incumbent from the start
    }
    this.counter.solves++;
    if (kind === "mip") this.counter.mips++;
    let status = m.run().modelStatus;
    if (status === modelStatus.unboundedOrInfeasible) {
      // presolve could not tell; the simplex on the full model can
      m.options.set("presolve", "off");
      this.counter.solves++;
      status = m.run().modelStatus;
      m.options.set("presolve", "choose");
    }
    if (status === modelStatus.unbounded) return undefined;
    if (status === modelStatus.optimal) return m.getSolution().colValue;
    const stopped = status === modelStatus.solutionLimit || status === modelStatus.timeLimit || status === modelStatus.iterationLimit;
    if (kind === "mip" && stopped && m.info.get("primal_solution_status") === FEASIBLE) {
      this.counter.limited.add(this.comp.vars[k]!);
      return m.getSolution().colValue;
    }
    throw new Error(this.message(`HiGHS eindigt met status ${status} (${kind}) terwijl de ware waarden een oplossing zijn`));
  }

  private message(what: string): string {
    const labels = [...new Set(this.comp.rows.map((r) => this.sys.rows[r]!.label))].slice(0, 5);
    return `attacker-check: ${what}; relaties ${labels.map((l) => `"${l}"`).join(", ")}`;
  }
}

/**
 * Solve all components. On a failure inside HiGHS (a WebAssembly trap such as "memory access out
 * of bounds" or an abort leaves the instance unusable), the module is loaded afresh and the
 * component tried once more.
 */
async function solveAll(
  sys: System,
  comps: Component[],
  counter: Counter,
  required: Required<AuditOptions> | undefined,
  memo?: AuditMemo,
): Promise<Map<number, Interval>> {
  const found = new Map<number, Interval>();
  let instance = loadSolver();
  let ws = new Workspace(await instance);
  try {
    for (const comp of comps) {
      if (comp.vars.length === 1) {
        for (const [j, interval] of solveSingle(sys, comp)) found.set(j, interval);
        continue;
      }
      const key = memo && componentKey(sys, comp);
      const known = key === undefined ? undefined : memo?.get(key);
      if (known) {
        known.intervals.forEach((interval, k) => interval && found.set(comp.vars[k]!, interval));
        for (const k of known.limited) counter.limited.add(comp.vars[k]!);
        continue;
      }
      const limitedBefore = new Set(counter.limited);
      // the points of earlier rounds' components that share a cell with this one: this
      // component grew from them (hiding only merges components), so they are not seen again
      const ids = comp.vars.map((j) => sys.vars[j]!.cell.id);
      const mine = new Set(ids);
      const earlier = memo ? [...memo.values()].filter((e) => e.points.length > 0 && e.ids.some((id) => mine.has(id))) : [];
      let solver!: ComponentSolver;
      const run = (): Map<number, Interval> => {
        solver = new ComponentSolver(ws, sys, comp, counter, required);
        solver.seed(earlier);
        return solver.solve();
      };
      let intervals: Map<number, Interval>;
      try {
        intervals = run();
      } catch {
        ws.dispose();
        discardSolver(instance);
        instance = loadSolver();
        ws = new Workspace(await instance);
        intervals = run();
      }
      for (const [j, interval] of intervals) found.set(j, interval);
      if (key !== undefined) {
        for (const e of earlier) e.points = [];
        memo!.set(key, {
          intervals: comp.vars.map((j) => intervals.get(j)),
          limited: comp.vars.flatMap((j, k) => (counter.limited.has(j) && !limitedBefore.has(j) ? [k] : [])),
          ids,
          points: solver.witnesses(),
        });
      }
    }
  } finally {
    ws.dispose();
  }
  return found;
}

/**
 * Intervals of components already audited, by the component's content. A repair round
 * (publication.ts) audits the system again after hiding a few more cells; every component those
 * cells are not in is unchanged, and an unchanged component has the same intervals. A changed one
 * is solved again, its pool seeded with the feasible points of the components it grew from. Pass
 * one memo to the audits of one system's rounds, all with the same options.
 */
export type AuditMemo = Map<
  string,
  {
    intervals: Array<Interval | undefined>;
    limited: number[];
    /** the component's cells, and the feasible points that held a cell's extreme (values in that order): they seed the pool of a later round */
    ids: readonly string[];
    points: Float64Array[];
  }
>;

/** Everything a component's intervals depend on: its variables (cell, value, kind, bounds) and its rows in local numbering. */
function componentKey(sys: System, comp: Component): string {
  const vars = comp.vars.map((j) => {
    const v = sys.vars[j]!;
    return [v.cell.id, v.cell.value, v.cell.hidden, v.cell.kind, v.integer, v.lo, v.hi];
  });
  const rows = localRows(sys, comp).map((r) => [r.cols, r.coefs, r.lo, r.hi]);
  // infinite bounds as text (JSON would write both as null)
  return JSON.stringify([vars, rows], (_, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x));
}

// ---------------------------------------------------------------------------------------------
// Judging the intervals

/** What the interval of a hidden cell has to reach, clamped to the a-priori bounds. */
export function requiredRange(cell: AuditCell, options: AuditOptions): Interval {
  const v = cell.value;
  const width = cell.kind === "count" ? options.countMargin : options.pPercent * Math.abs(v);
  return [Math.max(cell.lower, v - width), Math.min(cell.upper ?? Number.POSITIVE_INFINITY, v + width)];
}

function judge(v: Variable, [min, max]: Interval, options: Required<AuditOptions>, sys: System): AuditFailure | undefined {
  const [needLow, needHigh] = requiredRange(v.cell, options);
  const slack = v.cell.integer ? INTEGRALITY_TOL : options.tolerance * Math.max(1, Math.abs(v.cell.value));
  if (min <= needLow + slack && max >= needHigh - slack) return undefined;
  const labels = [...new Set(v.rows.map((r) => sys.rows[r]!.label))].sort(byCodeUnit);
  return { id: v.cell.id, value: v.cell.value, min, max, needLow, needHigh, labels };
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------

function auditOptions(options: Partial<AuditOptions> | undefined): Required<AuditOptions> {
  const { upToRequired, ...numbers } = options ?? {};
  const opts = { ...AUDIT_DEFAULTS, upToRequired: upToRequired ?? AUDIT_DEFAULTS.upToRequired };
  for (const [key, value] of Object.entries(numbers) as Array<[Exclude<keyof AuditOptions, "upToRequired">, number | undefined]>) {
    if (value === undefined) continue;
    if (!(Number.isFinite(value) && value >= 0))
      throw new Error(`attacker-check: optie ${key} moet een eindig getal >= 0 zijn, niet ${value}`);
    opts[key] = value;
  }
  return opts;
}

/**
 * For every hidden cell, the smallest and largest value consistent with everything published
 * (see the header), and the hidden cells that are not protected well enough.
 * Throws when the true values violate a relation (the declaration is wrong) or a cell's bounds.
 */
export async function audit(
  cells: AuditCell[],
  constraints: AuditConstraint[],
  options?: Partial<AuditOptions>,
  memo?: AuditMemo,
): Promise<AuditResult> {
  const t0 = performance.now();
  const opts = auditOptions(options);
  const sys = buildSystem(cells, constraints, opts.tolerance);
  const comps = components(sys);
  const counter: Counter = { solves: 0, mips: 0, dives: 0, coreFixed: 0, limited: new Set() };
  const found = await solveAll(sys, comps, counter, opts.upToRequired ? opts : undefined, memo);

  const intervals = new Map<string, Interval>();
  const failures: AuditFailure[] = [];
  for (const [j, v] of sys.vars.entries()) {
    if (!v.cell.hidden) continue;
    const interval = found.get(j) ?? [v.lo, v.hi];
    intervals.set(v.cell.id, interval);
    const failure = judge(v, interval, opts, sys);
    if (failure) failures.push(failure);
  }
  failures.sort((a, b) => byCodeUnit(a.id, b.id));
  return {
    hiddenCells: intervals.size,
    constraints: sys.rows.length,
    components: comps.length,
    solves: counter.solves,
    mips: counter.mips,
    dives: counter.dives,
    coreFixed: counter.coreFixed,
    ms: performance.now() - t0,
    intervals,
    failures,
    limited: [...counter.limited].map((j) => sys.vars[j]!.cell.id).sort(byCodeUnit),
  };
}
