/**
 * Calibration from the ground truth (`baanmonitor calibrate --truth <dir>/truth`): the §6
 * figures computed from the generator's truth files, next to the published ones.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { compareAll, type CalibrationRow } from "./compare.ts";
import { PUBLISHED } from "./published.ts";
import { loadTruth } from "./truth-data.ts";
import { truthFigures } from "./truth-figures.ts";

/**
 * Figures from a truth folder. Counts are scaled to scale 1 with the scale recorded in the
 * generator.json next to the truth folder (published counts are national).
 */
export function calibrateFromTruth(truthDir: string): CalibrationRow[] {
  const values = truthFigures(loadTruth(truthDir));
  const manifest = join(dirname(resolve(truthDir)), "generator.json");
  const scale = existsSync(manifest) ? Number((JSON.parse(readFileSync(manifest, "utf8")) as { scale: number }).scale) : 1;
  for (const f of PUBLISHED) {
    const v = values.get(f.id);
    if (f.eenheid === "aantal" && v !== undefined && v !== null) values.set(f.id, v / scale);
  }
  return compareAll(values);
}
