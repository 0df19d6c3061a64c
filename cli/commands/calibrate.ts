/**
 * `baanmonitor calibrate`: compare the synthetic world with the published figures, from the
 * ground truth (`--truth <dir>/truth`, calibration/from-truth.ts) or from a pipeline run
 * (`--run <dir>`, calibration/from-run.ts).
 */
import { existsSync } from "node:fs";
import { UserError } from "../../core/errors.ts";
import { formatTable, type CalibrationRow } from "../../calibration/compare.ts";
import { calibrateFromTruth } from "../../calibration/from-truth.ts";
import { calibrateFromRun } from "../../calibration/from-run.ts";

export async function calibrateCommand(opts: { truth?: string; run?: string }): Promise<void> {
  if (!opts.truth === !opts.run) throw new UserError("geef precies één van --truth <map> of --run <map>");
  const dir = (opts.truth ?? opts.run) as string;
  if (!existsSync(dir)) throw new UserError(`map ${dir} bestaat niet`);
  const rows: CalibrationRow[] = opts.truth ? calibrateFromTruth(opts.truth) : await calibrateFromRun(opts.run as string);
  process.stdout.write(`${formatTable(rows)}\n`);
}
