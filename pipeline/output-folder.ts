/**
 * Ownership of the output folder. baanmonitor marks every folder it creates (the output, its
 * temp folder, the old output during the swap) with a marker file `.baanmonitor` holding a
 * random run id, and only ever removes or replaces folders it can prove are its own:
 * - a folder with a well-formed marker that holds nothing but what baanmonitor writes
 *   (`foreignEntries`: a marker copied beside a user's files does not make them ours);
 * - an output of an earlier version (no marker): recognised by a `manifest.json` with the full
 *   run-manifest structure and nothing but the files a run writes;
 * - an empty folder.
 * Anything else is refused with a UserError; `--out` equal to, inside or a parent of
 * `--extracts` is refused too (compared after resolving symlinks).
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statfsSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { UserError } from "../core/errors.ts";
import { baanmonitorVersion } from "./manifest.ts";

export const OWNER_FILE = ".baanmonitor";

export interface OwnerMarker {
  baanmonitor: "uitvoermap";
  run_id: string;
  aangemaakt: string;
  versie: string;
  /** base name of the output folder the folder was made for */
  uitvoer: string;
}

const RUN_ID = /^[0-9a-f]{16}$/;

/** A fresh random run id (16 hex digits). */
export const newRunId = (): string => randomBytes(8).toString("hex");

/** Write the marker into `dir` (which must not have one yet). */
export function writeMarker(dir: string, runId: string, out: string): OwnerMarker {
  const m: OwnerMarker = {
    baanmonitor: "uitvoermap",
    run_id: runId,
    aangemaakt: new Date().toISOString(),
    versie: baanmonitorVersion(),
    uitvoer: basename(out),
  };
  const fd = openSync(join(dir, OWNER_FILE), "wx");
  try {
    writeSync(fd, JSON.stringify(m, null, 2) + "\n");
  } finally {
    closeSync(fd);
  }
  return m;
}

/** The marker of `dir` when present and well formed, else null. */
export function readMarker(dir: string): OwnerMarker | null {
  let raw: unknown;
  try {
    if (!lstatSync(join(dir, OWNER_FILE)).isFile()) return null;
    raw = JSON.parse(readFileSync(join(dir, OWNER_FILE), "utf8"));
  } catch {
    return null;
  }
  const m = raw as Partial<OwnerMarker> | null;
  if (!m || typeof m !== "object" || m.baanmonitor !== "uitvoermap" || typeof m.run_id !== "string" || !RUN_ID.test(m.run_id)) return null;
  if (typeof m.aangemaakt !== "string" || typeof m.versie !== "string" || typeof m.uitvoer !== "string") return null;
  return m as OwnerMarker;
}

/** What an earlier version's run leaves in its output folder (and nothing else). */
const LEGACY_ENTRIES = new Set([
  "manifest.json",
  "baanmonitor.duckdb",
  "baanmonitor.duckdb.wal",
  "marts",
  "analyses",
  "publish",
  "staging.sql",
]);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Does `manifest` have the full structure of a run manifest (pipeline/manifest.ts)? */
export function isRunManifest(manifest: unknown): boolean {
  const m = manifest;
  if (!isObj(m) || m.manifest_versie !== 1) return false;
  const { baanmonitor, software, invoer, uitvoer, run } = m;
  return (
    isObj(baanmonitor) &&
    typeof baanmonitor.versie === "string" &&
    isObj(software) &&
    typeof software.duckdb === "string" &&
    typeof software.node === "string" &&
    isObj(invoer) &&
    Array.isArray(invoer.bestanden) &&
    isObj(invoer.totaal) &&
    Array.isArray(m.kwaliteit) &&
    "koppeling" in m &&
    isObj(m.parameters) &&
    isObj(m.mapping) &&
    isObj(uitvoer) &&
    Array.isArray(uitvoer.marts) &&
    typeof uitvoer.analyses === "boolean" &&
    isObj(run) &&
    typeof run.start === "string" &&
    typeof run.einde === "string" &&
    Array.isArray(m.timings)
  );
}

/** An earlier version's output: a full run manifest and only the files a run writes. */
export function isLegacyOutput(dir: string): boolean {
  let entries: string[];
  try {
    entries = readdirSync(dir);
    if (!entries.includes("manifest.json")) return false;
    if (!isRunManifest(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")))) return false;
  } catch {
    return false;
  }
  return entries.every((e) => LEGACY_ENTRIES.has(e));
}

/** Subfolders of an output that hold only the tool's result files, and those files' extensions. */
const RESULT_FOLDERS: Record<string, RegExp> = { marts: /\.parquet$/, analyses: /\.(parquet|json)$/, publish: /\.json$/ };
/** A part folder of `partition` (`deel-1` …) holds only its `extracts` folder. */
const PART_FOLDER = /^deel-\d+$/;

/**
 * The entries of a marked output that baanmonitor did not write (relative paths): anything but
 * the files and folders a run, analyse, merge or partition writes, and in marts/, analyses/ and
 * publish/ anything but their result files. Replacing the folder would delete them.
 */
export function foreignEntries(dir: string): string[] {
  const foreign: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = lstatSync(p);
    if (e === OWNER_FILE || (st.isFile() && LEGACY_ENTRIES.has(e) && !(e in RESULT_FOLDERS))) continue;
    if (st.isDirectory() && e in RESULT_FOLDERS) {
      for (const f of readdirSync(p)) if (!(RESULT_FOLDERS[e]!.test(f) && lstatSync(join(p, f)).isFile())) foreign.push(`${e}/${f}`);
      continue;
    }
    if (st.isDirectory() && PART_FOLDER.test(e)) {
      for (const f of readdirSync(p)) if (!(f === "extracts" && lstatSync(join(p, f)).isDirectory())) foreign.push(`${e}/${f}`);
      continue;
    }
    foreign.push(e);
  }
  return foreign;
}

export type OutputState = "ontbreekt" | "leeg" | "eigen" | "eerdere-versie";

/**
 * What `<out>` is; a UserError for anything baanmonitor may not replace (a file, a folder with
 * other contents, a broken marker).
 */
export function outputState(out: string): OutputState {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "ontbreekt";
    throw e;
  }
  if (!st.isDirectory()) throw new UserError(`--out ${out} bestaat al en is geen map; kies een (nieuwe) map voor --out`);
  const entries = readdirSync(out);
  if (entries.length === 0) return "leeg";
  const marker = readMarker(out);
  if (marker) {
    // a copied output is still a whole output; a marker copied beside a user's files is not (foreignEntries)
    const foreign = foreignEntries(out);
    if (foreign.length) {
      throw new UserError(
        `uitvoermap ${out} bevat ${foreign.length === 1 ? "een bestand" : `${foreign.length} bestanden of mappen`} die baanmonitor niet schreef (${foreign
          .slice(0, 5)
          .join(
            ", ",
          )}${foreign.length > 5 ? ", …" : ""}); baanmonitor vervangt de map als geheel en verwijdert ze niet: verplaats ze of kies een andere --out`,
      );
    }
    return "eigen";
  }
  if (entries.includes(OWNER_FILE)) {
    throw new UserError(
      `uitvoermap ${out}: ${OWNER_FILE} is beschadigd; baanmonitor vervangt deze map niet (verwijder de map zelf of kies een andere --out)`,
    );
  }
  if (isLegacyOutput(out)) return "eerdere-versie";
  const waarom = entries.includes("manifest.json")
    ? "manifest.json is geen run-manifest van baanmonitor of de map bevat andere bestanden"
    : `geen ${OWNER_FILE}-markering`;
  throw new UserError(
    `--out ${out} bestaat al, is niet leeg en is geen uitvoermap van baanmonitor (${waarom}); baanmonitor verwijdert hier niets: kies een lege of nieuwe map voor --out`,
  );
}

/**
 * The real path of `p` (symlinks resolved), also when `p` itself does not exist yet: the nearest
 * existing ancestor is resolved and the rest appended.
 */
export function realPath(p: string): string {
  let head = resolve(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...tail);
    } catch {
      const up = dirname(head);
      if (up === head) return resolve(p);
      tail.unshift(basename(head));
      head = up;
    }
  }
}

const inside = (child: string, parent: string) => {
  const r = relative(parent, child);
  return r !== "" && r !== ".." && !r.startsWith(`..${sep}`) && !isAbsolute(r);
};

/** Refuse an `--out` that is, lies in, or contains the `--extracts` folder (after realpath). */
export function checkOutputLocation(out: string, extracts?: string): void {
  if (!extracts) return;
  const o = realPath(out);
  const x = realPath(extracts);
  if (o === x) throw new UserError(`--out ${out} is dezelfde map als --extracts ${extracts}; kies een aparte uitvoermap`);
  if (inside(o, x)) throw new UserError(`--out ${out} ligt in de map van --extracts ${extracts}; kies een uitvoermap buiten de extracten`);
  if (inside(x, o))
    throw new UserError(`--out ${out} bevat de map van --extracts ${extracts}; kies een uitvoermap die de extracten niet bevat`);
}

/**
 * Check the DuckDB spill folder before DuckDB starts: it must be (or become) a writable folder
 * with free space, outside the output folder. Returns its absolute path. Problems are UserErrors naming `--temp-dir`.
 */
export function checkTempDir(dir: string, out?: string): string {
  const p = resolve(dir);
  const fail = (what: string, e?: unknown) =>
    new UserError(`--temp-dir ${p} ${what}${e ? ` (${(e as Error).message.split("\n")[0]})` : ""}; kies een andere --temp-dir`);
  // the output folder is replaced as a whole: the spill folder must not live in it
  if (out && (realPath(p) === realPath(out) || inside(realPath(p), realPath(out)))) throw fail(`ligt in --out ${out}`);
  if (existsSync(p) && !statSync(p).isDirectory()) throw fail("is geen map");
  try {
    mkdirSync(p, { recursive: true });
  } catch (e) {
    throw fail("bestaat niet en kan niet worden aangemaakt", e);
  }
  try {
    const fs = statfsSync(p);
    if (fs.bavail === 0) throw fail("heeft geen vrije ruimte");
  } catch (e) {
    if (e instanceof UserError) throw e;
    /* statfs unsupported: the probe below still checks writing */
  }
  const probe = join(p, `.baanmonitor-probe-${process.pid}-${newRunId()}`);
  try {
    const fd = openSync(probe, "wx");
    try {
      writeSync(fd, "x".repeat(4096));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(code === "ENOSPC" ? "heeft geen vrije ruimte" : "is niet beschrijfbaar", e);
  } finally {
    rmSync(probe, { force: true });
  }
  return p;
}
