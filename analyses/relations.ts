/**
 * Relations between published cells (docs/publish.md "Relations"). An analysis declares, beside
 * its published tables (analyses/types.ts `publishes`), how their cells hang together — parts
 * adding up to a total, shares of a denominator, means over persons — within a table, across its
 * tables and across analyses. Disclosure control treats everything one run publishes as one
 * linked system over these relations (analyses/disclosure/system.ts): secondary suppression
 * follows them, a self-test checks each against the unsuppressed values (a wrong declaration is
 * an error, not trusted), and the attacker check solves them.
 *
 * Rows are addressed by their key columns (kind "key" or "curve-day" in the declaration). A
 * relation is declared on a table of its own analysis; a `RowRef` may point into another table or
 * analysis. A column named in a relation need not be published: the working rows of `publish`
 * keep every column of the result, and an unpublished column (a count behind published shares,
 * say) enters the system as a cell the attacker does not see.
 */

/** Key values that select or override rows: `{ jobcoach: "totaal" }`. */
export type Where = Readonly<Record<string, string | number>>;

/**
 * A row relative to a group of part rows: the same values in the key columns the target table
 * shares with the group, overridden by `where`. `analysis` and `table` default to the relation's
 * own; `column` to the relation's column.
 */
export interface RowRef {
  analysis?: string;
  table?: string;
  where?: Where;
  column?: string;
  /** target key column ← key column of the group, where the names differ (`{ groep: "jobcoach" }`) */
  rename?: Readonly<Record<string, string>>;
  /** target key columns whose value does not matter: the first matching row (a denominator repeated on every row of a group) */
  any?: readonly string[];
  /** groups for which the target row does not exist are left out (e.g. `totaal` has no row of its own there) */
  optional?: boolean;
}

/** The sum of the share's count over `over` within the row's group, whether or not a file publishes it. */
export interface SumOf {
  over: string | readonly string[];
}

/**
 * Σ parts = total. The parts are the rows of `table` that are not the total row itself, grouped
 * by every key column except `over`; each group's total is the row `total` resolves to, or
 * "none" when the table publishes no total and no other file does (the parts then need no
 * partner against it, but shares of the sum still tie them).
 */
export interface SumRelation {
  kind: "sum";
  table: string;
  column: string;
  over: string | readonly string[];
  total: RowRef;
  /** rows that take part (default: all rows but the total rows) */
  parts?: Where;
  /**
   * working columns (in no file) that group the parts besides the key columns, and that the
   * total's RowRef may use like key values: the months of a year (`jaar`) adding up to that
   * year's row in another analysis
   */
  by?: readonly string[];
  /**
   * a group whose parts are not all defined (months not yet followed) gives Σ defined parts ≤
   * total instead of an error: the undefined parts are counts ≥ 0 that no file shows
   */
  partial?: boolean;
}

/** share = count / denominator: a published share gives its count away when the denominator is known. */
export interface ShareRelation {
  kind: "share";
  table: string;
  share: string;
  /** the count column of the same row (published or not) */
  count: string;
  /** a column of the same row, another row's cell, or the sum of the count over some keys */
  denominator: string | RowRef | SumOf;
}

/**
 * mean = sum / count over the rows of `table`; with `over` and `total`, the sums of the parts
 * add up to the total's sum (total mean × persons − Σ shown mean × persons gives a hidden mean).
 */
export interface MeanRelation {
  kind: "mean";
  table: string;
  mean: string;
  count: string;
  over?: string | readonly string[];
  total?: RowRef;
  parts?: Where;
  /**
   * the sum behind the mean is a number of things (job endings per person: the sum is the
   * endings): a whole number, which the attacker check knows. A mean published at full precision
   * over hidden persons then gives them away (3353 endings / 2977 persons = 1.126301645952301 has
   * no other solution), so the check must see that the sum is an integer.
   */
  sumIsCount?: boolean;
  /**
   * the mean of a yes/no characteristic (the share with a permanent contract): its sum is a count
   * of persons (as `sumIsCount`) and at most the persons
   */
  fraction?: boolean;
}

/**
 * A rolling window's count = the sum of its months' counts. Each row of `table` covers the rows of
 * `parts` with the same values in the other key columns whose `over` lies from the row's `from`
 * up to and including its own `over` (a 12-month window ending in the row's month). Overlapping
 * windows difference to count(m) − count(m − 12): declared, the attacker check sees it.
 */
export interface WindowRelation {
  kind: "window";
  table: string;
  column: string;
  /** key column of both tables the window runs over (e.g. maand; ordered as text or number) */
  over: string;
  /** key column of `table` with the window's first value (e.g. vanaf_maand) */
  from: string;
  /** the table of the parts (same analysis) and its column (default: `column`) */
  parts: { table: string; column?: string };
  /** window rows that take part (default: all) */
  where?: Where;
}

/**
 * A column no file publishes that a reader knows all the same, exactly: it follows from published
 * cells through a relation the declaration leaves out (a window's endings are the sum of its
 * months' published endings). The attacker check takes its value as published: for the relations
 * it is in, a stronger attacker than the real one. Leaving the relation that gives it out is what
 * keeps the check small; declare it where it could narrow a cell (a hidden month of the window).
 */
export interface KnownRelation {
  kind: "known";
  table: string;
  column: string;
}

/**
 * Columns of one row adding up to another column of that row (a cumulative count is the one
 * before it plus what came since: within 30 days = before the end + the days 1..30). Rows where
 * every named cell is undefined are skipped.
 */
export interface ColumnsRelation {
  kind: "columns";
  table: string;
  parts: readonly string[];
  total: string;
  /** rows that take part (default: all) */
  where?: Where;
}

/**
 * A count of a subset of what another cell counts: each row's cell is at most the cell `bound`
 * resolves to (the services running at the end that started within a month of it are among the
 * endings with a service running at the end that another analysis counts). Holds by definition,
 * never by chance: the self-test refuses a row where it does not hold. The attacker check uses it as an
 * upper bound on a hidden cell, or a lower bound on a hidden bound.
 */
export interface AtMostRelation {
  kind: "atMost";
  table: string;
  column: string;
  bound: RowRef;
  /** rows that take part (default: all); a row whose bound is itself is left out */
  where?: Where;
}

/**
 * A fixed balance between single cells, in any tables: Σ coef × cell = 0. Each term names its
 * cell in full (every key column in `where`; `analysis` and `table` default to the relation's
 * own). For what the other kinds cannot say, e.g. one analysis's events minus those running at
 * the end = another's services after the end (its total minus its row for running at the end).
 * When a term is `optional` and its row absent, the balance is left out.
 */
export interface IdentityRelation {
  kind: "identity";
  table: string;
  terms: readonly { ref: RowRef; coef: number }[];
}

/**
 * Figures of a row (an index, a mean) that the table rules show only where `count` is at least
 * minNoemer. Shown beside a hidden count, a figure would tell that the count is at least
 * minNoemer (with a published total, that the other parts are at most the total − minNoemer), so
 * the figures are hidden wherever the count is hidden, by any phase (an outside check of a
 * scale-0.1 set, 2026-12-03: a hidden 5 of intern's persons in `jobcoach_indices` lay in [1, 6]
 * because extern's index was shown beside its hidden persons under a shown total of 56).
 */
export interface ShownWithRelation {
  kind: "shownWith";
  table: string;
  figures: readonly string[];
  count: string;
}

/**
 * A cumulative-incidence curve bounds the counts of its events by the day they fall on. Kaplan–Meier
 * and Aalen–Johansen put at least the observed events below a day (censoring only moves mass to
 * later days), so the events up to a published day d number at most ⌊F(d) × n⌋; and the number at
 * risk on d is n less everyone whose time came before d, so the events before d are at most
 * n − n_risico(d). A table that counts the same events by period (reintegratie_type's mix by
 * tijdvak) then has its periods up to d bounded by a shown curve point. `lastDay` is a working
 * column of `table`: the last day a row's events can fall on (null: no bound, e.g. `>12m` or a
 * total). The curve's rows are those of `curve.tables` in `curve.analysis` matching
 * `curve.where` (every method: each gives a bound), its n the cell `n` resolves to. An outside
 * check of a scale-0.1 set (2026-12-03) held a hidden 6 of the mix in [1, 11] with it.
 */
export interface CurveBoundRelation {
  kind: "curveBound";
  table: string;
  column: string;
  lastDay: string;
  curve: { analysis: string; tables: readonly string[]; where: Where };
  /** the cell of the curve's n (absent: the relation is left out) */
  n: RowRef;
  /** rows of `table` that take part (default: all) */
  parts?: Where;
  /**
   * key columns of `table` that name the curve of each row (`kenmerk`, `groep`): each group of
   * rows is bounded by the curve rows with the same values (besides `curve.where`), and `n`
   * resolves from the group's values (uptake's count running at the end, per group, under that
   * group's own curve)
   */
  by?: readonly string[];
}

export type Relation =
  | CurveBoundRelation
  | ShownWithRelation
  | SumRelation
  | ShareRelation
  | MeanRelation
  | WindowRelation
  | KnownRelation
  | ColumnsRelation
  | AtMostRelation
  | IdentityRelation;

/** Σ parts of `column` over `over` = the `total` row (see SumRelation). */
export function sum(
  table: string,
  column: string,
  over: string | readonly string[],
  total: RowRef,
  parts?: Where,
  opts?: { by?: readonly string[]; partial?: boolean },
): SumRelation {
  return {
    kind: "sum",
    table,
    column,
    over,
    total,
    ...(parts ? { parts } : {}),
    ...(opts?.by ? { by: opts.by } : {}),
    ...(opts?.partial ? { partial: true } : {}),
  };
}

/** `share` = `count` / `denominator` (see ShareRelation). */
export function share(table: string, shareCol: string, count: string, denominator: string | RowRef | SumOf): ShareRelation {
  return { kind: "share", table, share: shareCol, count, denominator };
}

/** `mean` = sum / `count`, optionally partitioned over `over` with a `total` row (see MeanRelation). */
export function mean(
  table: string,
  meanCol: string,
  count: string,
  partition?: { over: string | readonly string[]; total: RowRef; parts?: Where },
  opts?: { sumIsCount?: boolean; fraction?: boolean },
): MeanRelation {
  return {
    kind: "mean",
    table,
    mean: meanCol,
    count,
    ...(partition ?? {}),
    ...(opts?.sumIsCount || opts?.fraction ? { sumIsCount: true } : {}),
    ...(opts?.fraction ? { fraction: true } : {}),
  };
}

/** `column` of each row of `table` = Σ `parts` over `over` from the row's `from` to its `over` (see WindowRelation). */
export function rollingSum(
  table: string,
  column: string,
  over: string,
  from: string,
  parts: { table: string; column?: string },
  where?: Where,
): WindowRelation {
  return { kind: "window", table, column, over, from, parts, ...(where ? { where } : {}) };
}

/** `column` of `table` is known to every reader, though no file publishes it (see KnownRelation). */
export function known(table: string, column: string): KnownRelation {
  return { kind: "known", table, column };
}

/** In each row of `table`: Σ `parts` = `total` (see ColumnsRelation). */
export function columnsSum(table: string, parts: readonly string[], total: string, where?: Where): ColumnsRelation {
  return { kind: "columns", table, parts, total, ...(where ? { where } : {}) };
}

/** In each row of `table`: the `figures` are hidden wherever `count` is (see ShownWithRelation). */
export function shownWith(table: string, figures: readonly string[], count: string): ShownWithRelation {
  return { kind: "shownWith", table, figures, count };
}

/** In each row of `table` (matching `where`): `column` ≤ the cell `bound` resolves to (see AtMostRelation). */
export function atMost(table: string, column: string, bound: RowRef, where?: Where): AtMostRelation {
  return { kind: "atMost", table, column, bound, ...(where ? { where } : {}) };
}

/** Σ coef × cell = 0 over cells named in full (see IdentityRelation). */
export function identity(table: string, terms: readonly { ref: RowRef; coef: number }[]): IdentityRelation {
  return { kind: "identity", table, terms };
}

/** The events `column` of `table` counts up to each row's `lastDay` are bounded by a curve of them (see CurveBoundRelation). */
export function curveBound(
  table: string,
  column: string,
  lastDay: string,
  curve: { analysis: string; tables?: readonly string[]; where: Where },
  n: RowRef,
  opts?: { parts?: Where; by?: readonly string[] },
): CurveBoundRelation {
  return {
    kind: "curveBound",
    table,
    column,
    lastDay,
    curve: { analysis: curve.analysis, tables: curve.tables ?? ["curve", "leespunten"], where: curve.where },
    n,
    ...(opts?.parts ? { parts: opts.parts } : {}),
    ...(opts?.by ? { by: opts.by } : {}),
  };
}
