/**
 * `baanmonitor calibrate`: compare the synthetic world with the published figures, from the
 * ground truth (`--truth <dir>/truth`, calibration/from-truth.ts) or from a pipeline run
 * (`--run <dir>`, calibration/from-run.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
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
  // the site's method page counts from the published table (publish/kalibratie.json): say that figure
  // too, so the two never read as two different results
  const pub = opts.run ? join(opts.run, "publish", "kalibratie.json") : null;
  if (pub && existsSync(pub)) {
    const vergelijking = (JSON.parse(readFileSync(pub, "utf8")) as { tabellen?: { vergelijking?: { binnen_marge: boolean | null }[] } })
      .tabellen?.vergelijking;
    if (vergelijking) {
      const beoordeeld = vergelijking.filter((r) => r.binnen_marge !== null);
      process.stdout.write(
        `gepubliceerd (publish/kalibratie.json, de methodepagina): binnen marge: ${beoordeeld.filter((r) => r.binnen_marge).length} van ${beoordeeld.length}` +
          ` — cijfers die op een verborgen cel rusten, tellen daar niet mee\n`,
      );
    }
  }
}
