/**
 * The analysis module interface. One module per catalogue entry (domain brief §5); the
 * registry (analyses/registry.ts) lists them. See docs/analyses.md for how to add one.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Parameters } from "../pipeline/config.ts";
import type { DisclosureRules } from "./disclosure/rules.ts";

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
  /** the published tables (docs/publish.md), every number through disclosure control */
  publish(result: AnalysisResult, disclosure: DisclosureRules, p: P): Tables;
}

/** Helper so a module file gets its parameter type inferred. */
export function defineAnalysis<P>(m: AnalysisModule<P>): AnalysisModule<P> {
  return m;
}
