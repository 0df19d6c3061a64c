/**
 * One publication at a time: an exclusive lock for `run` and `analyse` on one `--out`, kept in
 * `<out>.lock` beside the output folder so it survives the folder swap.
 *
 * The lock file holds pid, host, process start time (Linux), start of the command and the run
 * id. It appears atomically with its full content (written to a private file, then hard-linked
 * to the lock name, which fails when the lock exists). A lock whose process is gone (or whose
 * pid now belongs to another process: the start time differs) is taken over at once; a lock of
 * another host is never judged stale.
 *
 * Why not a package: `proper-lockfile`, the maintained choice, detects staleness by mtime only,
 * so it needs a refresh timer (a long synchronous stretch marks the lock compromised) and takes
 * over a killed run's lock only after the stale period; the pid check here is immediate and
 * exact for the one-host case this tool runs in.
 */
import { linkSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { hostname } from "node:os";
import { UserError } from "../core/errors.ts";

export interface LockInfo {
  pid: number;
  host: string;
  /** process start time in clock ticks since boot (Linux /proc), null elsewhere */
  proces_start: string | null;
  sinds: string;
  run_id: string;
  opdracht: string;
}

/** Start time of a process (field 22 of /proc/<pid>/stat), null when not available. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Is the holder of the lock still running? (A lock of another host counts as alive.) */
export function holderAlive(info: LockInfo): boolean {
  if (info.host !== hostname()) return true;
  if (!pidAlive(info.pid)) return false;
  const now = processStart(info.pid);
  return !(info.proces_start && now && now !== info.proces_start);
}

function readLock(path: string): LockInfo | "ontbreekt" | "onleesbaar" {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "ontbreekt";
    throw e;
  }
  try {
    const j = JSON.parse(text) as LockInfo;
    if (Number.isInteger(j.pid) && typeof j.host === "string" && typeof j.run_id === "string" && typeof j.sinds === "string") return j;
  } catch {
    /* fall through */
  }
  return "onleesbaar";
}

export class OutputLock {
  constructor(
    readonly path: string,
    readonly info: LockInfo,
  ) {}

  /** Is the lock file still ours? */
  held(): boolean {
    const now = readLock(this.path);
    return typeof now === "object" && now.run_id === this.info.run_id;
  }

  /** Remove the lock file if it is still ours. */
  release(): void {
    if (this.held()) unlinkSync(this.path);
  }
}

export const lockPath = (out: string) => `${out}.lock`;

/**
 * Private lock files (`<out>.lock.<runid>`, `<out>.lock.vervallen-<runid>`) left by a process
 * killed while taking the lock: removed when empty or when their process is gone.
 */
function removeDeadLockFiles(out: string): void {
  const dir = dirname(out);
  const prefix = `${basename(lockPath(out))}.`;
  const own = /^(vervallen-)?[0-9a-f]{16}$/;
  for (const f of readdirSync(dir)) {
    if (!f.startsWith(prefix) || !own.test(f.slice(prefix.length))) continue;
    const p = join(dir, f);
    try {
      const info = readLock(p);
      if ((info === "onleesbaar" && statSync(p).size === 0) || (typeof info === "object" && !holderAlive(info))) unlinkSync(p);
    } catch {
      /* gone meanwhile */
    }
  }
}

const busy = (out: string, path: string, h: LockInfo) =>
  new UserError(
    `uitvoermap ${out} is in gebruik door baanmonitor ${h.opdracht} (pid ${h.pid}${h.host !== hostname() ? ` op ${h.host}` : ""}, sinds ${h.sinds}); ` +
      `wacht tot die klaar is of kies een andere --out (draait er geen baanmonitor meer, verwijder dan ${path})`,
  );

/** Take the lock on `<out>` for `opdracht` ("run", "analyse") or throw a UserError saying who holds it. */
export function acquireOutputLock(out: string, opdracht: string, runId: string): OutputLock {
  const path = lockPath(out);
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    proces_start: processStart(process.pid),
    sinds: new Date().toISOString(),
    run_id: runId,
    opdracht,
  };
  const own = `${path}.${runId}`;
  for (let attempt = 0; attempt < 5; attempt++) {
    writeFileSync(own, JSON.stringify(info, null, 2) + "\n", { flag: "wx" });
    let linked = false;
    try {
      linkSync(own, path);
      linked = true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOENT: our private file was taken for a dead one's in the instant it was still empty
      if (code === "ENOENT") continue;
      if (code !== "EEXIST") throw e;
    } finally {
      try {
        unlinkSync(own);
      } catch {
        /* already gone */
      }
    }
    if (linked) {
      removeDeadLockFiles(out);
      return new OutputLock(path, info);
    }
    const held = readLock(path);
    if (held === "ontbreekt") continue; // released meanwhile: try again
    if (held === "onleesbaar") {
      throw new UserError(
        `uitvoermap ${out}: vergrendeling ${path} is onleesbaar; draait er geen baanmonitor op deze map, verwijder het bestand dan`,
      );
    }
    if (holderAlive(held)) throw busy(out, path, held);
    // stale: move it aside under a name of our own, and check we moved the stale one
    const aside = `${path}.vervallen-${runId}`;
    try {
      renameSync(path, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue; // someone else took it over
      throw e;
    }
    const moved = readLock(aside);
    if (typeof moved === "object" && moved.run_id !== held.run_id) {
      // another process took the stale lock over between our read and rename: give it back
      try {
        linkSync(aside, path);
      } finally {
        unlinkSync(aside);
      }
      throw busy(out, path, moved);
    }
    unlinkSync(aside);
  }
  throw new UserError(`uitvoermap ${out}: vergrendeling ${path} kon niet worden verkregen; probeer het opnieuw`);
}
