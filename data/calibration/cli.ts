/**
 * Direct entry for calibration runs during development: `npx tsx data/calibration/cli.ts --truth <dir>`.
 * (The CLI command `baanmonitor calibrate` does the same.)
 */
import { calibrateCommand } from "./command.ts";

const args = process.argv.slice(2);
const opts: { truth?: string; run?: string } = {};
for (let i = 0; i < args.length; i += 2) {
  if (args[i] === "--truth") opts.truth = args[i + 1];
  else if (args[i] === "--run") opts.run = args[i + 1];
}
await calibrateCommand(opts);
