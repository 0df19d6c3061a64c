import type { DuckDBConnection } from "@duckdb/node-api";
import type { Parameters } from "../pipeline/config.ts";

/** What the pipeline hands the analyses after the marts are built. */
export interface AnalysisContext {
  /** connection to <out>/baanmonitor.duckdb (marts in schema main) */
  conn: DuckDBConnection;
  /** the run's output folder being written (a temp folder until the run succeeds) */
  outDir: string;
  params: Parameters;
  /** run only these analysis ids (default: all) */
  only?: string[];
}

export interface AnalysisTiming {
  id: string;
  ms: number;
}

/**
 * Runs the analysis catalogue on the marts: writes <outDir>/analyses/<id>.parquet and, through
 * disclosure control, <outDir>/publish/. (Being built; the analyses part replaces this body.)
 */
export async function runAnalyses(ctx: AnalysisContext): Promise<AnalysisTiming[]> {
  void ctx;
  throw new Error("analyses not built yet");
}
