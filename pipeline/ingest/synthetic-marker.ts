/**
 * Are these extracts synthetic? True when the extracts folder holds the generator's marker file
 * (pipeline/contract.ts, SYNTHETIC_MARKER_FILE). Read from the extracts folder only, never guessed
 * from neighbouring files (generator.json, truth/): the marker travels with the extracts. Its
 * presence decides, not its content, so a damaged marker still marks the run.
 */
import { existsSync, lstatSync } from "node:fs";
import { join } from "node:path";
import { SYNTHETIC_MARKER_FILE } from "../contract.ts";

export function extractsAreSynthetic(extractsDir: string): boolean {
  const p = join(extractsDir, SYNTHETIC_MARKER_FILE);
  // a dangling symlink is present too
  if (existsSync(p)) return true;
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
