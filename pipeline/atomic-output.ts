/**
 * Atomic replacement of the output folder, shared by `run` and `analyse`.
 *
 * A command takes the lock on `<out>` (pipeline/output-lock.ts), writes a complete new output
 * into `<out>.tmp-<pid>-<runid>` next to `<out>` (its `.baanmonitor` marker written first, its
 * `manifest.json` marking it complete), and swaps it in: `<out>` is renamed to
 * `<out>.old-<pid>-<runid of that output>`, the temp folder to `<out>`, and the old one removed.
 * A reader sees the old set or the new one, never a mix.
 *
 * Only folders baanmonitor can prove are its own are renamed or removed (pipeline/output-folder.ts):
 * a temp or old sibling must match the name pattern *and* carry a well-formed marker whose run id
 * is the one in its name, so a user's `res.old-2024` or a copy of an output is never touched.
 * A kill between the two renames leaves both complete folders; `recoverOutput` (run under the
 * lock at the start of the next command) puts the newest complete one back at `<out>`.
 */
import {
  existsSync,
  linkSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  lstatSync,
  unlinkSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { acquireOutputLock, type OutputLock } from "./output-lock.ts";
import {
  OWNER_FILE,
  checkOutputLocation,
  newRunId,
  outputState,
  readMarker,
  realPath,
  writeMarker,
  type OutputState,
} from "./output-folder.ts";

export const COMPLETE_MARKER = "manifest.json";

const SIBLING = /^(.*)\.(tmp|old)-(\d+)-([0-9a-f]{16})$/;

const alive = (pid: number): boolean => {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

interface Sibling {
  path: string;
  kind: "tmp" | "old";
  pid: number;
  runId: string;
}

/** The temp/old folders of `<out>` that are provably baanmonitor's (name and marker agree). */
function siblings(out: string): Sibling[] {
  const dir = dirname(out);
  const base = basename(out);
  const res: Sibling[] = [];
  if (!existsSync(dir)) return res;
  for (const f of readdirSync(dir)) {
    const m = SIBLING.exec(f);
    if (!m || m[1] !== base) continue;
    const path = join(dir, f);
    if (!lstatSync(path).isDirectory() || readMarker(path)?.run_id !== m[4]) continue;
    res.push({ path, kind: m[2] as "tmp" | "old", pid: Number(m[3]), runId: m[4]! });
  }
  return res;
}

/**
 * Empty temp folders of dead processes (killed between creating the folder and writing its
 * marker), and empty temp or old folders of dead processes (killed while removing one, after its
 * marker and before the folder itself, see `removeOwned`): removed with rmdir, which cannot
 * remove anything else. A kill between creating the marker file and writing it (one small write)
 * leaves a temp folder holding only an empty marker file; that file is removed first, and nothing
 * else ever is.
 */
function removeEmptyTemps(out: string): string[] {
  const done: string[] = [];
  const dir = dirname(out);
  if (!existsSync(dir)) return done;
  for (const f of readdirSync(dir)) {
    const m = SIBLING.exec(f);
    if (!m || m[1] !== basename(out) || alive(Number(m[3]))) continue;
    try {
      if (m[2] === "tmp") removeEmptyMarker(join(dir, f));
      rmdirSync(join(dir, f));
      done.push(`opgeruimd: ${f}`);
    } catch {
      /* not empty or not a folder: not ours to remove */
    }
  }
  return done;
}

/** Remove `<dir>/.baanmonitor` when it is the folder's only entry and an empty regular file. */
function removeEmptyMarker(dir: string): void {
  if (!lstatSync(dir).isDirectory()) return;
  const entries = readdirSync(dir);
  if (entries.length !== 1 || entries[0] !== OWNER_FILE) return;
  const st = lstatSync(join(dir, OWNER_FILE));
  if (st.isFile() && st.size === 0) unlinkSync(join(dir, OWNER_FILE));
}

const complete = (p: string) => existsSync(join(p, COMPLETE_MARKER));

/**
 * Remove `dir` only when its marker carries `runId`. The marker goes last: a kill part-way leaves
 * a folder that is still provably ours, or (after the marker) an empty one, and the next
 * recovery removes either. Removed first, the marker left the rest behind for good.
 */
function removeOwned(dir: string, runId: string): boolean {
  if (readMarker(dir)?.run_id !== runId) return false;
  for (const f of readdirSync(dir)) if (f !== OWNER_FILE) rmSync(join(dir, f), { recursive: true, force: true });
  unlinkSync(join(dir, OWNER_FILE));
  rmdirSync(dir);
  return true;
}

/**
 * Repair after a killed command and remove temp/old folders of dead processes (only those with
 * baanmonitor's marker). Call it holding the lock. Returns what was done (for the log).
 */
export function recoverOutput(outArg: string): string[] {
  const out = realPath(outArg);
  const done: string[] = [];
  const stale = siblings(out).filter((s) => !alive(s.pid));
  if (!existsSync(out)) {
    // killed between the two renames: prefer the newest complete new folder, else the old one
    const byAge = (a: Sibling, b: Sibling) => statSync(b.path).mtimeMs - statSync(a.path).mtimeMs;
    const back =
      stale.filter((s) => s.kind === "tmp" && complete(s.path)).sort(byAge)[0] ??
      stale.filter((s) => s.kind === "old" && complete(s.path)).sort(byAge)[0];
    if (back) {
      renameSync(back.path, out);
      done.push(`hersteld: ${basename(back.path)} -> ${basename(out)}`);
    }
  }
  for (const s of stale) {
    if (existsSync(s.path) && removeOwned(s.path, s.runId)) done.push(`opgeruimd: ${basename(s.path)}`);
  }
  done.push(...removeEmptyTemps(out));
  return done;
}

/** Create this command's marked temp folder next to `<out>`. */
export function createTempOutput(outArg: string, runId: string = newRunId()): string {
  const out = realPath(outArg);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}-${runId}`;
  mkdirSync(tmp);
  writeMarker(tmp, runId, out);
  return tmp;
}

/** Swap the complete, marked temp folder into `<out>`; the previous output must be ours (or empty). */
export function swapIntoPlace(tmp: string, outArg: string): void {
  const out = realPath(outArg);
  if (!complete(tmp)) throw new Error(`${tmp} is niet compleet (${COMPLETE_MARKER} ontbreekt)`);
  if (!readMarker(tmp)) throw new Error(`${tmp} heeft geen baanmonitor-markering`);
  let old: { path: string; runId: string } | null = null;
  const state = outputState(out); // throws for a folder that is not ours
  if (state === "leeg") rmdirSync(out);
  else if (state === "eigen" || state === "eerdere-versie") {
    // an earlier version's output gets a marker first, so its old folder is provably ours
    const marker = readMarker(out) ?? writeMarker(out, newRunId(), out);
    old = { path: `${out}.old-${process.pid}-${marker.run_id}`, runId: marker.run_id };
    renameSync(out, old.path);
  }
  try {
    renameSync(tmp, out);
  } catch (e) {
    if (old) renameSync(old.path, out);
    throw e;
  }
  if (old) removeOwned(old.path, old.runId);
}

/** Remove this command's temp folder after a failure (previous `<out>` untouched). */
export function discardTempOutput(tmp: string): void {
  const m = readMarker(tmp);
  if (m) removeOwned(tmp, m.run_id);
}

/**
 * The files of `from` as hard links in `to` (a copy where the file system has no hard links),
 * except the relative paths for which `skip` is true and baanmonitor's marker. Folders are
 * created. The new output shares the unchanged files' data with the old one; nothing writes
 * into a linked file (outputs are replaced by rename, or not linked at all).
 */
export function linkTree(from: string, to: string, skip: (rel: string) => boolean, rel = ""): void {
  for (const f of readdirSync(join(from, rel))) {
    const r = rel ? `${rel}/${f}` : f;
    if (r === ".baanmonitor" || skip(r)) continue;
    const src = join(from, r);
    const st = lstatSync(src);
    if (st.isDirectory()) {
      mkdirSync(join(to, r), { recursive: true });
      linkTree(from, to, skip, r);
    } else if (st.isFile()) {
      try {
        linkSync(src, join(to, r));
      } catch (e) {
        if (!["EXDEV", "EPERM", "ENOTSUP", "EMLINK"].includes((e as NodeJS.ErrnoException).code ?? "")) throw e;
        copyFileSync(src, join(to, r));
      }
    }
  }
}

/** A command's hold on `<out>`: the lock, the run id, the temp folder being written. */
export interface OutputTransaction {
  /** `<out>`, symlinks resolved */
  out: string;
  runId: string;
  tmp: string;
  lock: OutputLock;
  /** state of `<out>` after recovery */
  state: OutputState;
  /** what recovery did (for the log) */
  notes: string[];
}

export interface BeginOptions {
  /** "run" | "analyse": shown to a second command that finds the lock held */
  opdracht: string;
  /** refuse an `--out` that is, lies in or contains this folder */
  extracts?: string;
  /** further checks on `<out>` (after recovery, before the temp folder exists) */
  check?: (out: string, state: OutputState) => void;
}

/**
 * Start writing a new output: check where `<out>` is, take the lock, recover leftovers, check
 * that `<out>` may be replaced, create the marked temp folder. On failure nothing is left
 * behind (lock released).
 */
export function beginOutput(outArg: string, opts: BeginOptions): OutputTransaction {
  const out = realPath(outArg);
  checkOutputLocation(out, opts.extracts);
  outputState(out); // refuse a folder that is not ours before touching anything beside it
  mkdirSync(dirname(out), { recursive: true });
  const runId = newRunId();
  const lock = acquireOutputLock(out, opts.opdracht, runId);
  try {
    const notes = recoverOutput(out);
    const state = outputState(out);
    opts.check?.(out, state);
    const tmp = createTempOutput(out, runId);
    return { out, runId, tmp, lock, state, notes };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** Swap the complete temp folder in and release the lock. */
export function commitOutput(tx: OutputTransaction): void {
  if (!tx.lock.held()) throw new Error(`vergrendeling ${tx.lock.path} is niet meer van deze run (${tx.runId}); uitvoer niet vervangen`);
  swapIntoPlace(tx.tmp, tx.out);
  tx.lock.release();
}

/** Throw the temp folder away and release the lock (previous `<out>` untouched). */
export function abortOutput(tx: OutputTransaction): void {
  try {
    discardTempOutput(tx.tmp);
  } finally {
    tx.lock.release();
  }
}
