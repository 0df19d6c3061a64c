/**
 * Atomic replacement of a run's output folder. The run writes into `<out>.tmp-<pid>` next to
 * `<out>`; a folder is complete once its `manifest.json` exists (written last). The swap:
 * rename `<out>` to `<out>.old-<pid>`, rename the temp folder to `<out>`, remove the old one.
 * A kill between the two renames leaves both complete folders on disk; `recoverOutput` (run at
 * the start of the next run) puts the newest complete one back at `<out>` and removes leftovers.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export const COMPLETE_MARKER = "manifest.json";

const alive = (pid: number): boolean => {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

function siblings(out: string): { tmp: { path: string; pid: number }[]; old: { path: string; pid: number }[] } {
  const dir = dirname(out);
  const base = basename(out);
  const tmp: { path: string; pid: number }[] = [];
  const old: { path: string; pid: number }[] = [];
  if (!existsSync(dir)) return { tmp, old };
  for (const f of readdirSync(dir)) {
    const m = /^(.*)\.(tmp|old)-(\d+)$/.exec(f);
    if (!m || m[1] !== base) continue;
    (m[2] === "tmp" ? tmp : old).push({ path: join(dir, f), pid: Number(m[3]) });
  }
  return { tmp, old };
}

const complete = (p: string) => existsSync(join(p, COMPLETE_MARKER));

/**
 * Repair after a killed run and remove stale temp folders of dead processes. Returns what was
 * done (for the log).
 */
export function recoverOutput(outArg: string): string[] {
  const out = resolve(outArg);
  const done: string[] = [];
  const { tmp, old } = siblings(out);
  const stale = (x: { pid: number }) => !alive(x.pid);
  if (!existsSync(out)) {
    // killed between the two renames: prefer the new complete folder, else the old one
    const cand = tmp.filter(stale).filter((t) => complete(t.path)).sort((a, b) => statSync(b.path).mtimeMs - statSync(a.path).mtimeMs)[0];
    const back = cand ?? old.filter(stale).find((o) => complete(o.path));
    if (back) {
      renameSync(back.path, out);
      done.push(`hersteld: ${basename(back.path)} -> ${basename(out)}`);
    }
  }
  for (const x of [...tmp, ...old]) {
    if (existsSync(x.path) && stale(x)) {
      rmSync(x.path, { recursive: true, force: true });
      done.push(`opgeruimd: ${basename(x.path)}`);
    }
  }
  return done;
}

/** Create a fresh temp folder for this process next to `<out>`. */
export function createTempOutput(outArg: string): string {
  const out = resolve(outArg);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  return tmp;
}

/** Swap the complete temp folder into `<out>`. */
export function swapIntoPlace(tmp: string, outArg: string): void {
  const out = resolve(outArg);
  if (!complete(tmp)) throw new Error(`${tmp} is niet compleet (${COMPLETE_MARKER} ontbreekt)`);
  const old = `${out}.old-${process.pid}`;
  if (existsSync(out)) renameSync(out, old);
  renameSync(tmp, out);
  rmSync(old, { recursive: true, force: true });
}

/** Remove this run's temp folder after a failure (previous `<out>` untouched). */
export function discardTempOutput(tmp: string): void {
  rmSync(tmp, { recursive: true, force: true });
}
