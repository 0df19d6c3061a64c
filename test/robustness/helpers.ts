/** Shared helpers for the robustness suite (corpus, property, fault tests). */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { tempDir as tempFolder } from "../helpers/temp.ts";

export const ROOT = resolve(import.meta.dirname, "..", "..");
export const BIN = join(ROOT, "bin", "baanmonitor.mjs");
export const CORPUS = join(ROOT, "test", "fixtures", "bad-input");
export const BASIS = join(CORPUS, "_basis");
/** Fixed run date so the "in de toekomst" check does not depend on the day the suite runs. */
export const TODAY = "2026-01-01";

export const tempDir = (prefix = "bm-robust-") => tempFolder(prefix);

/** Run queries on an output database (read-only): the ingest suite's helper. */
export { query } from "../ingest/helpers.ts";

/** Read every parquet file in a folder tree (proves the files are complete and readable). */
export async function readParquetRows(dir: string): Promise<Record<string, number>> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const out: Record<string, number> = {};
  try {
    for (const f of listFiles(dir).filter((f) => f.endsWith(".parquet"))) {
      const p = join(dir, f).replace(/'/g, "''");
      out[f] = Number((await c.runAndReadAll(`SELECT count(*) FROM read_parquet('${p}')`)).getRows()[0]![0]);
    }
  } finally {
    c.closeSync();
    db.closeSync();
  }
  return out;
}

/** All files under `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  const res: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else res.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return res;
}

export const sha256 = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");

/** sha256 per file of a folder tree, for the files selected by `keep`. */
export function hashTree(dir: string, keep: (rel: string) => boolean = () => true): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir)
      .filter(keep)
      .map((f) => [f, sha256(join(dir, f))]),
  );
}

/** A fresh copy of a folder. */
export function copyDir(src: string, dest: string): string {
  cpSync(src, dest, { recursive: true });
  return dest;
}

/** Siblings of `<out>` other than `<out>` itself (temp/old folders left behind). */
export const leftovers = (out: string) => readdirSync(resolve(out, "..")).filter((f) => f !== resolve(out).split("/").pop());

/** Stack-trace lines ("    at f (file:1:2)") in a text. */
export const stackLines = (s: string) => s.split("\n").filter((l) => /^\s+at\s/.test(l));

/** A moment in the life of a `run` or `analyse`, seen from outside in its temp output folder. */
export interface KillMoment {
  /** what the moment is (for the log) */
  naam: string;
  /** true once the moment is reached; `tmp` is the command's folder `<out>.tmp-<pid>-<runid>` */
  bereikt: (tmp: string) => boolean;
}

/**
 * Spawn the CLI and SIGKILL it the moment `moment` is reached, polled every millisecond in its
 * temp folder next to `out`. A temp folder that disappears after it was seen means the command
 * is swapping it in (or gave up): the kill follows at once. Resolves when the process has ended,
 * with whether the kill ended it.
 */
export function killAt(args: string[], out: string, moment: KillMoment): Promise<{ killed: boolean }> {
  const p = spawn(process.execPath, [BIN, ...args], { stdio: "ignore", env: { ...process.env, BAANMONITOR_DEBUG: "" } });
  const dir = dirname(resolve(out));
  const prefix = `${basename(resolve(out))}.tmp-${p.pid}-`;
  let tmp: string | undefined;
  let sent = false;
  const poll = setInterval(() => {
    if (sent) return;
    try {
      tmp ??= readdirSync(dir).find((f) => f.startsWith(prefix));
      if (tmp === undefined) return;
      const path = join(dir, tmp);
      if (!existsSync(path) || moment.bereikt(path)) sent = p.kill("SIGKILL");
    } catch {
      /* the folder changed while we looked: look again */
    }
  }, 1);
  return new Promise((done) =>
    p.on("exit", (_code, signal) => {
      clearInterval(poll);
      done({ killed: signal === "SIGKILL" });
    }),
  );
}
