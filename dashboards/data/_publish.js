// Shared by the data loaders: read one file of the published set and print it to stdout.
// The site reads ONLY the published set (already through disclosure control).
// BAANMONITOR_PUBLISH = the publish folder; default <repo>/out/publish.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Print <publish>/<id>.json. A missing file is an error, except for optional files (the
 * calibration comparison exists only for synthetic runs): those print an empty envelope with
 * `ontbreekt: true`, and the page says the comparison is not available.
 */
/** parse <publish>/<id>.json (same checks as emit); for loaders that combine published files */
export function lees(id) {
  let out;
  const write = process.stdout.write;
  process.stdout.write = (chunk) => ((out = chunk), true);
  try {
    emit(id);
  } finally {
    process.stdout.write = write;
  }
  return JSON.parse(out);
}

export function emit(id, { optioneel = false } = {}) {
  const dir = process.env.BAANMONITOR_PUBLISH ? resolve(process.env.BAANMONITOR_PUBLISH) : join(repo, "out/publish");
  const file = join(dir, `${id}.json`);
  if (!existsSync(file) && optioneel) {
    process.stderr.write(`baanmonitor-dashboard: ${file} ontbreekt (optioneel); pagina toont dat dit onderdeel niet beschikbaar is\n`);
    process.stdout.write(JSON.stringify({ id, ontbreekt: true, tabellen: {} }));
    return;
  }
  if (!existsSync(file)) {
    process.stderr.write(
      `baanmonitor-dashboard: publicatiebestand ontbreekt: ${file}\n` +
        `  Zet BAANMONITOR_PUBLISH op de map <out>/publish van een pijplijnrun, of bouw met\n` +
        `  node scripts/build-site.mjs --from <out>\n`,
    );
    process.exit(1);
  }
  const text = readFileSync(file, "utf8");
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    process.stderr.write(`baanmonitor-dashboard: ${file} is geen geldige JSON: ${e.message}\n`);
    process.exit(1);
  }
  // re-serialised without indentation: smaller pages, same content
  process.stdout.write(JSON.stringify(doc));
}
