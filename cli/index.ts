import { Command, CommanderError, Help } from "commander";
import { EXIT_REFUSED, PublicationRefused, UserError } from "../core/errors.ts";
import { baanmonitorVersion } from "../pipeline/manifest.ts";

/** Commander's help headings, in Dutch. */
const KOPPEN: Record<string, string> = {
  "Usage:": "Gebruik:",
  "Options:": "Opties:",
  "Commands:": "Opdrachten:",
  "Arguments:": "Argumenten:",
  "Global Options:": "Algemene opties:",
};

/** An example call per command, named in the one-line message of a usage error. */
const VOORBEELD: Record<string, string> = {
  generate: "baanmonitor generate --scale 0.1 --seed 1 --out data/generated/demo",
  run: "baanmonitor run --extracts data/generated/demo/extracts --out data/generated/demo/out",
  analyse: "baanmonitor analyse --out data/generated/demo/out",
  calibrate: "baanmonitor calibrate --run data/generated/demo/out",
  serve: "baanmonitor serve --port 8080 --dir dist",
  partition: "baanmonitor partition --extracts data/generated/demo/extracts --k 3 --out data/generated/demo/delen",
  merge: "baanmonitor merge --parts delen/uit-1 delen/uit-2 delen/uit-3 --out data/generated/demo/samengevoegd",
};

/**
 * Commander's error message (English, e.g. "error: required option '--out <dir>' not specified")
 * as one Dutch line: what is wrong, and an example call of the command.
 */
export function usageError(message: string, command?: string): string {
  const m = message.replace(/^error:\s*/, "").trim();
  const flag = (s: string) => s.split(/[ ,]/)[0];
  let wat: string;
  let r: RegExpMatchArray | null;
  if ((r = m.match(/^required option '(.+?)' not specified/))) wat = `${flag(r[1]!)} ontbreekt`;
  else if ((r = m.match(/^option '(.+?)' argument missing/))) wat = `${flag(r[1]!)} heeft een waarde nodig`;
  else if ((r = m.match(/^unknown option '(.+?)'(?:\s*\(Did you mean (.+?)\?\))?/)))
    wat = `onbekende optie ${r[1]}${r[2] ? ` (bedoelt u ${r[2]}?)` : ""}`;
  else if ((r = m.match(/^unknown command '(.+?)'(?:\s*\(Did you mean (.+?)\?\))?/)))
    wat = `onbekende opdracht ${r[1]}${r[2] ? ` (bedoelt u ${r[2]}?)` : ""}; de opdrachten: ${Object.keys(VOORBEELD).join(", ")}`;
  else if ((r = m.match(/^too many arguments/))) wat = "te veel argumenten (alle invoer gaat via opties, zoals --out <map>)";
  else wat = m;
  const voorbeeld = command && VOORBEELD[command] ? `; bijvoorbeeld: ${VOORBEELD[command]}` : "; zie baanmonitor --help";
  return `baanmonitor${command ? ` ${command}` : ""}: ${wat}${voorbeeld}`;
}

/** Dutch help headings and option texts, and usage errors as one line (usageError) instead of the whole help. */
function dutch(cmd: Command, name?: string): Command {
  return cmd
    .configureHelp({
      styleTitle: (s: string) => new Help().styleTitle(KOPPEN[s] ?? s),
      commandUsage: (c: Command) => new Help().commandUsage(c).replace("[options]", "[opties]").replace("[command]", "[opdracht]"),
      subcommandTerm: (c: Command) => new Help().subcommandTerm(c).replace("[options]", "[opties]"),
    })
    .helpOption("-h, --help", "toon deze hulp")
    .configureOutput({ outputError: (str, write) => write(`${usageError(str.trim(), name)}\n`) });
}

/**
 * The `baanmonitor` CLI. Each command lives in its own module under cli/commands/ and is imported
 * lazily, so a command's dependencies load only when it runs.
 */
export function buildProgram(): Command {
  const program = dutch(
    new Command("baanmonitor")
      .description("Wajong-baanmonitor: baaneindes, duur tot volgende baan, jobcoach en re-integratie")
      .version(baanmonitorVersion(), "-V, --version", "toon het versienummer")
      .helpCommand("help [opdracht]", "toon de hulp bij een opdracht")
      .exitOverride(),
  );

  dutch(program.command("generate"), "generate")
    .description("simuleer de synthetische UWV-wereld: schrijft de vier extracten (gemarkeerd als synthetisch) en de ware waarden")
    .option("--scale <x>", "schaal van de populatie (1 = de landelijke Wajong-populatie)", "0.1")
    .option("--seed <n>", "startgetal van de toevalsgenerator", "1")
    .option("--out <dir>", "uitvoermap", "data/generated")
    .option("--dialect <d>", "canonical | uwv", "canonical")
    .action(async (opts) => (await import("./commands/generate.ts")).generateCommand(opts));

  dutch(program.command("calibrate"), "calibrate")
    .description("vergelijk de synthetische cijfers met de gepubliceerde (uit de ware waarden of uit een run)")
    .option("--truth <dir>", "map met ware waarden (geschreven door generate)")
    .option("--run <dir>", "uitvoermap van een pijplijnrun")
    .action(async (opts) => (await import("./commands/calibrate.ts")).calibrateCommand(opts));

  dutch(program.command("run"), "run")
    .description("lees, controleer en koppel de extracten; maak marts, analyses en de publicatieset")
    .requiredOption("--extracts <dir>", "map met de vier extracten")
    .requiredOption("--out <dir>", "uitvoermap")
    .option("--config <file>", "JSON-bestand met parameters van de definities en/of de bronkoppeling")
    .option("--mapping <file>", "bronkoppelingsbestand (standaard: de canonieke vorm)")
    .option("--memory-limit <size>", "geheugengrens van DuckDB, bijv. 1GB")
    .option("--temp-dir <dir>", "map voor DuckDB's tijdelijke bestanden")
    .option("--skip-analyses", "stop na de marts")
    .option(
      "--niet-voor-publicatie",
      "sta geheimhoudingsdrempels onder de publicatiegrens toe; elk gepubliceerd bestand en elke pagina zegt dan dat de set niet naar buiten mag",
    )
    .action(async (opts) => (await import("./commands/run.ts")).runCommand(opts));

  dutch(program.command("analyse"), "analyse")
    .description("draai de analyses opnieuw op de marts van een bestaande run en schrijf de publicatieset")
    .requiredOption("--out <dir>", "uitvoermap van een pijplijnrun")
    .option("--only <ids>", "analyses, gescheiden door komma's")
    .option("--config <file>", "JSON-bestand met parameters van de analyses (parameters van de pijplijn vragen om run)")
    .option("--memory-limit <size>", "geheugengrens van DuckDB, bijv. 1GB")
    .option("--temp-dir <dir>", "map voor DuckDB's tijdelijke bestanden")
    .option(
      "--niet-voor-publicatie",
      "sta geheimhoudingsdrempels onder de publicatiegrens toe; elk gepubliceerd bestand en elke pagina zegt dan dat de set niet naar buiten mag",
    )
    .action(async (opts) => (await import("./commands/analyse.ts")).analyseCommand(opts));

  dutch(program.command("partition"), "partition")
    .description("verdeel de extracten per persoon over K delen, elk voor een eigen run --skip-analyses (hier of op een andere machine)")
    .requiredOption("--extracts <dir>", "map met de vier extracten")
    .requiredOption("--k <n>", "aantal delen (2 tot en met 256)")
    .requiredOption("--out <dir>", "uitvoermap; de delen komen in <dir>/deel-1/extracts … <dir>/deel-K/extracts")
    .option("--config <file>", "JSON-bestand met de bronkoppeling (en parameters) waarmee de extracten worden gelezen")
    .option("--mapping <file>", "bronkoppelingsbestand (standaard: de canonieke vorm)")
    .action(async (opts) => (await import("./commands/partition.ts")).partitionCommand(opts));

  dutch(program.command("merge"), "merge")
    .description(
      "voeg de runs van de delen van één partitie samen: marts, analyses, geheimhouding (één keer, na het samenvoegen) en publicatieset",
    )
    .requiredOption("--parts <dirs...>", "uitvoermappen van de runs op de delen (alle K)")
    .requiredOption("--out <dir>", "uitvoermap van de samengevoegde run")
    .option(
      "--niet-voor-publicatie",
      "sta geheimhoudingsdrempels onder de publicatiegrens toe; elk gepubliceerd bestand en elke pagina zegt dan dat de set niet naar buiten mag",
    )
    .action(async (opts) => (await import("./commands/merge.ts")).mergeCommand(opts));

  dutch(program.command("serve"), "serve")
    .description("toon het gebouwde dashboard op http://127.0.0.1:<poort>/ (een gewone statische webserver)")
    .option("--port <n>", "poort", "8080")
    .option("--dir <dir>", "map met het gebouwde dashboard", "dist")
    .action(async (opts) => (await import("./commands/serve.ts")).serveCommand(opts));

  // an empty value (`--out ""`) would mean the current folder or every analysis: refused
  program.hook("preAction", (_program, command) => {
    for (const [key, value] of Object.entries(command.opts())) {
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => typeof v === "string" && v.trim() === "")) {
        const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        throw new UserError(`${flag} is leeg; geef een waarde op (zie baanmonitor ${command.name()} --help)`);
      }
    }
  });

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
