/**
 * The reference tables of data/reference/ (one copy each): read by the pipeline (the SQL
 * placeholder `{{ referentie: cpi.csv }}`, pipeline/sql-runner.ts) and by the synthetic-world
 * generator (data/generator/cpi.ts). Located from this module, not from the working directory.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";

export const REFERENCE_DIR = dirname(fileURLToPath(import.meta.url));

export interface ReferenceTable {
  /** column names from the header line */
  columns: string[];
  /** the data lines, every field as its text */
  rows: string[][];
}

/** A reference CSV (header line, comma-separated, RFC 4180 quoting) by file name. */
export function readReference(file: string): ReferenceTable {
  if (!/^[\w-]+\.csv$/.test(file)) throw new Error(`onbekende referentietabel: ${file}`);
  const [columns, ...rows] = parse(readFileSync(join(REFERENCE_DIR, file), "utf8"), { skip_empty_lines: true }) as string[][];
  if (!columns?.length) throw new Error(`referentietabel ${file} heeft geen kopregel`);
  for (const [i, r] of rows.entries()) {
    if (r.length !== columns.length)
      throw new Error(`referentietabel ${file}, regel ${i + 2}: ${r.length} velden, verwacht ${columns.length}`);
  }
  return { columns, rows };
}
