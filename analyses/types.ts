/**
 * The analysis module interface. One module per catalogue entry (docs/analyses.md); the
 * registry (analyses/registry.ts) lists them. See docs/analyses.md for how to add one.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Parameters } from "../pipeline/config.ts";
import type { DisclosureRules } from "./disclosure/rules.ts";
import type { Relation } from "./relations.ts";

export type { DisclosureRules };

/** A cell of a result or published table. Dates never appear: months are `YYYY-MM` strings. */
export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;
/** Named tables; every row of a table has the same columns in the same order. */
export type Tables = Record<string, Row[]>;

export interface RunContext {
  conn: DuckDBConnection;
  params: Parameters;
}

/** Full-precision, unsuppressed result of an analysis (written to analyses/<id>.parquet). */
export interface AnalysisResult {
  tabellen: Tables;
}

/** The published form of an analysis (publish/<id>.json), after disclosure control. */
export interface PublishedAnalysis {
  id: string;
  titel: string;
  rapport: string;
  definitie: string;
  parameters: unknown;
  tabellen: Tables;
}

export interface AnalysisModule<P = unknown> {
  /** stable id, also the file name of the outputs */
  id: string;
  /** Dutch title for the dashboard */
  titel: string;
  /** the report figure/table it reproduces */
  rapport: string;
  /** Dutch plain-language definition, shown as caption */
  definitie: string;
  /** the parameters this analysis uses: definition parameters from pipeline/config.ts plus its own defaults */
  parameters(params: Parameters): P;
  /** aggregate the marts (in DuckDB) into full-precision result tables */
  run(ctx: RunContext, p: P): Promise<AnalysisResult>;
  /**
   * The tables and columns `publish` returns: the contract with disclosure control and the
   * site. runOne refuses a published table that differs from it.
   */
  publishes: PublishedDeclaration;
  /**
   * How the published cells relate, within and across tables and analyses (analyses/relations.ts):
   * what disclosure control protects the whole publication over, and checks against the
   * unsuppressed values (a wrong declaration stops the run). A relation left out is a way in that
   * the attacker check cannot see: declare every sum, share and mean the tables contain.
   */
  relations: readonly Relation[];
  /** the published tables (docs/publish.md), every number through disclosure control */
  publish(result: AnalysisResult, disclosure: DisclosureRules, p: P): Tables;
}

/** Helper so a module file gets its parameter type inferred. */
export function defineAnalysis<P>(m: AnalysisModule<P>): AnalysisModule<P> {
  return m;
}

/*
 * The published-table declaration: what an analysis promises to publish, per table its
 * columns in order. Disclosure control and the site rely on it; the run checks every published
 * table against it (analyses/run-analyses.ts, checkPublished).
 */

/** What a published column holds. */
export type ColumnKind =
  /** a breakdown or identifying value (kenmerk, groep, jaar, maand, status, …) */
  | "key"
  /** display text for a key of the same row (regio_naam) */
  | "label"
  /** a number of persons, job endings or events; small counts are hidden */
  | "count"
  /** a fraction 0..1 of a denominator */
  | "share"
  /** an average over persons or events (a rate per period included) */
  | "mean"
  /** a median (not reached: null, not hidden) */
  | "median"
  /** an index number (base 100) */
  | "index"
  /** a day of the survival publication grid */
  | "curve-day"
  /** a point estimate on a survival curve (cumulative incidence) */
  | "curve-value"
  /** a confidence bound of the row's estimate */
  | "bound"
  /** a test statistic, its degrees of freedom or p-value */
  | "statistic";

export interface ColumnDeclaration {
  name: string;
  kind: ColumnKind;
  /** unit of a numeric column where it is not evident from the kind (dagen, maanden, …) */
  unit?: string;
}

export interface TableDeclaration {
  /** the columns in published order; every row also ends with `onderdrukt` (SUPPRESSED_COLUMN) */
  columns: readonly ColumnDeclaration[];
}

/** Published table name → its declaration. */
export type PublishedDeclaration = Record<string, TableDeclaration>;

/** The column disclosure control's `finalize` appends to every published row. */
export const SUPPRESSED_COLUMN = "onderdrukt";

/**
 * Declare one published table by its columns in order, e.g.
 * `table({ jaar: "key", aantal: "count", gemiddelde: { kind: "mean", unit: "maanden" } })`.
 */
export function table(columns: Record<string, ColumnKind | { kind: ColumnKind; unit: string }>): TableDeclaration {
  return {
    columns: Object.entries(columns).map(([name, c]) => {
      // integer-like keys would lose their place in the object's order
      if (/^\d+$/.test(name)) throw new Error(`kolomnaam "${name}" kan niet gedeclareerd worden`);
      if (name === SUPPRESSED_COLUMN) throw new Error(`kolom "${SUPPRESSED_COLUMN}" komt er vanzelf bij`);
      return typeof c === "string" ? { name, kind: c } : { name, kind: c.kind, unit: c.unit };
    }),
  };
}
