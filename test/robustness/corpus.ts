/**
 * The bad-input corpus (test/fixtures/bad-input/<case>/, see docs/robustness.md): loading a
 * case into an extracts folder and the shape of its expected.json.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BASIS, CORPUS, copyDir } from "./helpers.ts";

export interface Reject {
  bestand: string;
  regel: number | null;
  kolom: string | null;
  reden: string;
}

export interface Expected {
  /** what the case is about (free text) */
  omschrijving: string;
  /** basis files to delete before the case files are copied in */
  verwijder?: string[];
  /** hard error: substring(s) the message must contain (file name, line, column, what is wrong) */
  fout?: string | string[];
  /** success: exactly these rejected fields, in the order bestand, regel, kolom */
  afgewezen?: Reject[];
  /** success: loaded rows per file (every file of the run) */
  geladen?: Record<string, number>;
  /** success: the non-zero soft checks, "controle.extract" -> count (summed), exactly */
  kwaliteit?: Record<string, number>;
  /** success: extra queries on <out>/baanmonitor.duckdb with their exact result */
  controles?: { sql: string; rijen: Record<string, unknown>[] }[];
  /**
   * a known, reported bug: the case states the correct outcome, the harness expects it to fail
   * for now (vitest it.fails) so the suite turns red the moment the bug is fixed: then delete
   * this key
   */
  bekende_fout?: string;
  /** also run this case through the spawned CLI (exit code, stderr, no stack trace) */
  cli?: boolean;
}

/** Files of a case folder that are not extract files. */
const META = new Set(["expected.json", "mapping.json", "README.md"]);

export const caseNames = (): string[] =>
  readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith("_"))
    .map((d) => d.name)
    .sort();

export const readExpected = (name: string): Expected => JSON.parse(readFileSync(join(CORPUS, name, "expected.json"), "utf8"));

export const caseMapping = (name: string): string | undefined => {
  const p = join(CORPUS, name, "mapping.json");
  return existsSync(p) ? p : undefined;
};

/** Build the extracts folder of a case in `dest`: _basis, minus `verwijder`, plus the case's files (byte for byte). */
export function buildExtracts(name: string, dest: string): string {
  const exp = readExpected(name);
  copyDir(BASIS, dest);
  for (const f of exp.verwijder ?? []) rmSync(join(dest, f));
  for (const f of readdirSync(join(CORPUS, name))) {
    if (!META.has(f)) copyFileSync(join(CORPUS, name, f), join(dest, f));
  }
  return dest;
}
