import { Command, CommanderError } from "commander";
import { EXIT_REFUSED, PublicationRefused, UserError } from "../core/errors.ts";

/**
 * The `baanmonitor` CLI. Each command lives in its own module under cli/commands/ and is imported
 * lazily, so a command's dependencies load only when it runs.
 */
export function buildProgram(): Command {
  const program = new Command("baanmonitor")
    .description("Wajong-baanmonitor: baaneindes, duur tot volgende baan, jobcoach en re-integratie")
    .showHelpAfterError()
    .exitOverride();

  program
    .command("generate")
    .description("simulate the synthetic UWV world and write the four extracts plus the ground truth")
    .option("--scale <x>", "population scale (1 = national Wajong population in scope)", "0.1")
    .option("--seed <n>", "random seed", "1")
    .option("--out <dir>", "output folder", "data/generated")
    .option("--dialect <d>", "canonical | uwv", "canonical")
    .action(async (opts) => (await import("./commands/generate.ts")).generateCommand(opts));

  program
    .command("calibrate")
    .description("compare synthetic figures with the published ones (from ground truth or a pipeline run)")
    .option("--truth <dir>", "ground-truth folder written by generate")
    .option("--run <dir>", "output folder of a pipeline run")
    .action(async (opts) => (await import("./commands/calibrate.ts")).calibrateCommand(opts));

  program
    .command("run")
    .description("ingest, validate and link the extracts; build marts, analyses and the published set")
    .requiredOption("--extracts <dir>", "folder with the four extracts")
    .requiredOption("--out <dir>", "output folder")
    .option("--config <file>", "JSON file with definition parameters and/or the source mapping")
    .option("--mapping <file>", "source-mapping file (default: canonical form)")
    .option("--memory-limit <size>", "DuckDB memory limit, e.g. 1GB")
    .option("--temp-dir <dir>", "DuckDB spill folder")
    .option("--skip-analyses", "stop after the marts")
    .option(
      "--niet-voor-publicatie",
      "allow disclosure thresholds below the publication floor; every published file and page is marked as not for release",
    )
    .action(async (opts) => (await import("./commands/run.ts")).runCommand(opts));

  program
    .command("analyse")
    .description("run analyses on the marts of an existing run and write the published set")
    .requiredOption("--out <dir>", "output folder of a pipeline run")
    .option("--only <ids>", "comma-separated analysis ids")
    .option("--config <file>", "JSON file with parameters")
    .option(
      "--niet-voor-publicatie",
      "allow disclosure thresholds below the publication floor; every published file and page is marked as not for release",
    )
    .action(async (opts) => (await import("./commands/analyse.ts")).analyseCommand(opts));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof PublicationRefused) {
      process.stderr.write(`baanmonitor: publicatie geweigerd: ${err.message}\n`);
      process.exitCode = EXIT_REFUSED;
      return;
    }
    if (err instanceof UserError) {
      process.stderr.write(`baanmonitor: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    const e = err as Error;
    process.stderr.write(`baanmonitor: interne fout: ${e?.message ?? String(err)}\n`);
    if (process.env.BAANMONITOR_DEBUG) process.stderr.write(`${e?.stack}\n`);
    process.exitCode = 1;
  }
}
