// Shared by the data loaders: read files of the published set. The site reads ONLY the
// published set (already through disclosure control).
// BAANMONITOR_PUBLISH = the publish folder; default <repo>/out/publish.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Published files that may be missing: the calibration comparison exists only for synthetic runs;
 * the control report only in sets written since disclosure control covers the whole publication.
 */
export const OPTIONEEL = new Set(["kalibratie", "controle"]);

/** stop the loader with a message (no stack trace): the build fails and names the file */
function stop(message) {
  process.stderr.write(message);
  process.exit(1);
}

/**
 * Parse <publish>/<id>.json. A missing file stops the loader with a message, except for an
 * optional file (OPTIONEEL): that gives an empty envelope with `ontbreekt: true`, and the page
 * says the part is not available.
 */
export function lees(id) {
  if (!/^[a-z0-9_]+$/.test(id)) stop(`baanmonitor-dashboard: ongeldige naam van een publicatiebestand: ${JSON.stringify(id)}\n`);
  const dir = process.env.BAANMONITOR_PUBLISH ? resolve(process.env.BAANMONITOR_PUBLISH) : join(repo, "out/publish");
  const file = join(dir, `${id}.json`);
  if (!existsSync(file) && OPTIONEEL.has(id)) {
    process.stderr.write(`baanmonitor-dashboard: ${file} ontbreekt (optioneel); pagina toont dat dit onderdeel niet beschikbaar is\n`);
    return { id, ontbreekt: true, tabellen: {} };
  }
  if (!existsSync(file)) {
    stop(
      `baanmonitor-dashboard: publicatiebestand ontbreekt: ${file}\n` +
        `  Zet BAANMONITOR_PUBLISH op de map <out>/publish van een pijplijnrun, of bouw met\n` +
        `  node scripts/build-site.mjs --from <out>\n`,
    );
  }
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    stop(`baanmonitor-dashboard: ${file} is geen geldige JSON: ${e.message}\n`);
  }
}

/** A loader's output: the value as JSON without indentation (smaller pages, same content). */
export function print(value) {
  process.stdout.write(JSON.stringify(value));
}
