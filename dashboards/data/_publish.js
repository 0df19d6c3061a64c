// Shared by the data loaders: read one file of the published set and print it to stdout.
// The site reads ONLY the published set (already through disclosure control).
// BAANMONITOR_PUBLISH = the publish folder; default <repo>/out/publish.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export function emit(id) {
  const dir = process.env.BAANMONITOR_PUBLISH ? resolve(process.env.BAANMONITOR_PUBLISH) : join(repo, "out/publish");
  const file = join(dir, `${id}.json`);
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
