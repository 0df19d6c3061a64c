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
}

export type Relation = SumRelation | ShareRelation | MeanRelation;

/** Σ parts of `column` over `over` = the `total` row (see SumRelation). */
export function sum(table: string, column: string, over: string | readonly string[], total: RowRef, parts?: Where): SumRelation {
  return { kind: "sum", table, column, over, total, ...(parts ? { parts } : {}) };
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
  opts?: { sumIsCount?: boolean },
): MeanRelation {
  return { kind: "mean", table, mean: meanCol, count, ...(partition ?? {}), ...(opts?.sumIsCount ? { sumIsCount: true } : {}) };
}
