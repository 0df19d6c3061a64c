/**
 * Confining DuckDB to the run's own folders. After `confine`, the instance reads and writes
 * only below the given folders (DuckDB `allowed_directories`) and the given files
 * (`allowed_paths`); everything else — read_text('/etc/…'), COPY to another folder, ATTACH,
 * INSTALL — fails with a Permission Error. External access cannot be switched back on, nor the
 * lists widened, while the instance runs (DuckDB refuses both, locked or not). `lockConfiguration`
 * then freezes every other setting too; the run locks after its last own `SET` (threads, in the
 * ingest and the marts export).
 *
 * Settings are per instance: every connection of it is confined.
 */
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "./errors.ts";
import { run, sql } from "./sql.ts";

export interface Access {
  /** folders (with everything below them) */
  directories: string[];
  /** single files */
  files: string[];
}

/**
 * Access to a folder: the folder as given and its real path (DuckDB checks the resolved path of
 * a file), plus the real targets of symlinks inside it (an extract may be a symlink to a file
 * elsewhere). A folder that does not exist yet is allowed as given.
 */
export function folderAccess(dir: string, depth = 3): Access {
  const abs = resolve(dir);
  const out: Access = { directories: [abs], files: [] };
  if (!existsSync(abs)) return out;
  const real = realpathSync(abs);
  if (real !== abs) out.directories.push(real);
  const walk = (d: string, level: number) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      try {
        const l = lstatSync(p);
        if (l.isSymbolicLink()) {
          const target = realpathSync(p);
          const s = statSync(target);
          if (s.isFile()) out.files.push(target);
          else if (s.isDirectory()) out.directories.push(target);
        } else if (l.isDirectory() && level < depth) walk(p, level + 1);
      } catch {
        /* a dangling link or an unreadable entry: nothing to allow */
      }
    }
  };
  walk(abs, 1);
  return out;
}

export function combine(...xs: Access[]): Access {
  const uniq = (a: string[]) => [...new Set(a)].sort();
  return { directories: uniq(xs.flatMap((x) => x.directories)), files: uniq(xs.flatMap((x) => x.files)) };
}

/** Allow only `access`, then switch external access off (for every connection of the instance). */
export async function confine(conn: DuckDBConnection, access: Access): Promise<void> {
  // a trailing separator, so /data/out does not also allow /data/out-other
  const dirs = access.directories.map((d) => (d.endsWith(sep) ? d : d + sep));
  await run(conn, sql`SET allowed_directories = ${dirs}`);
  if (access.files.length) await run(conn, sql`SET allowed_paths = ${access.files}`);
  await run(conn, sql`SET enable_external_access = false`);
}

/** Freeze every setting of the instance (after the last SET of our own). */
export async function lockConfiguration(conn: DuckDBConnection): Promise<void> {
  await run(conn, sql`SET lock_configuration = true`);
}

/**
 * DuckDB refused a file outside the confinement (e.g. a mapping whose `bestand` points outside
 * the extracts folder): a user error naming the file; null for anything else.
 */
export function confinementError(e: unknown): UserError | null {
  if (!(e instanceof Error)) return null;
  const m = /Permission Error: Cannot access (?:file|directory) "([^"]*)" - file system operations are disabled by configuration/.exec(
    e.message,
  );
  if (!m) return null;
  return new UserError(
    `bestand ${m[1]} ligt buiten de mappen van deze run (extractenmap, uitvoermap, --temp-dir); DuckDB mag het niet lezen of schrijven`,
  );
}
