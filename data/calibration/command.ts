/**
 * `baanmonitor calibrate`: compare the synthetic world with the published figures, from the
 * ground truth (`--truth <dir>/truth`) or from a pipeline run (`--run <dir>`).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { UserError } from "../../core/errors.ts";
import { compareAll, formatTable, type CalibrationRow } from "./compare.ts";
import { PUBLISHED } from "./published.ts";
import { loadTruth } from "./truth-data.ts";
import { truthFigures } from "./truth-figures.ts";

export type { CalibrationRow } from "./compare.ts";

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

export async function calibrateCommand(opts: { truth?: string; run?: string }): Promise<void> {
  if (!opts.truth === !opts.run) throw new UserError("geef precies één van --truth <map> of --run <map>");
  const dir = (opts.truth ?? opts.run) as string;
  if (!existsSync(dir)) throw new UserError(`map ${dir} bestaat niet`);
  let rows: CalibrationRow[];
  if (opts.truth) rows = calibrateFromTruth(opts.truth);
  else {
    const runModule = new URL("../../analyses/calibrate-run.ts", import.meta.url);
    if (!existsSync(runModule)) throw new UserError("calibrate --run is niet beschikbaar: analyses/calibrate-run.ts ontbreekt");
    const mod = (await import(runModule.href)) as { calibrateFromRun: (dir: string) => Promise<CalibrationRow[]> | CalibrationRow[] };
    rows = await mod.calibrateFromRun(opts.run as string);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
}
