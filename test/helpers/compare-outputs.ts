/**
 * Two run outputs compared as the partition proof needs it (test/e2e/partition.test.ts): marts
 * as sets of rows, analysis tables and published files value by value — counts (two integers)
 * exactly, other numbers to a relative tolerance. Each check names the first difference it finds.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { rowObjects, sql } from "../../core/sql.ts";
import { readTablesParquet } from "../../analyses/lib/output.ts";

export const RELATIVE_TOLERANCE = 1e-12;

/** The first place where `a` and `b` differ (a path such as `tabellen.curve[3].overleving`), or null. */
export function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (typeof a === "bigint" || typeof b === "bigint") return a === b ? null : `${path}: ${String(a)} ≠ ${String(b)}`;
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) && Number.isNaN(b)) return null;
    if (Number.isInteger(a) && Number.isInteger(b)) return a === b ? null : `${path}: ${a} ≠ ${b} (telling)`;
    const scale = Math.max(Math.abs(a), Math.abs(b));
    return Math.abs(a - b) <= RELATIVE_TOLERANCE * scale ? null : `${path}: ${a} ≠ ${b} (relatief ${Math.abs(a - b) / scale})`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} ≠ ${b.length} elementen`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join("\u0000") !== kb.join("\u0000")) return `${path}: sleutels ${ka.join(",")} ≠ ${kb.join(",")}`;
    for (const k of ka) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(a, b) || a === b ? null : `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}

const files = (dir: string, ext: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort();

/** Marts as sets of rows (with multiplicity): the first row in one and not the other, or null. */
export async function martDifference(conn: DuckDBConnection, a: string, b: string): Promise<string | null> {
  const fa = files(join(a, "marts"), ".parquet");
  const fb = files(join(b, "marts"), ".parquet");
  if (fa.join() !== fb.join()) return `marts: ${fa.join(",")} ≠ ${fb.join(",")}`;
  for (const f of fa) {
    const [pa, pb] = [join(a, "marts", f), join(b, "marts", f)];
    for (const [x, y, side] of [
      [pa, pb, "alleen links"],
      [pb, pa, "alleen rechts"],
    ] as const) {
      const extra = await rowObjects(conn, sql`SELECT * FROM (FROM read_parquet(${x}) EXCEPT ALL FROM read_parquet(${y})) LIMIT 1`);
      if (extra.length) return `marts/${f}: rij ${side}: ${JSON.stringify(extra[0], (_, v) => (typeof v === "bigint" ? String(v) : v))}`;
    }
  }
  return null;
}

/** Every table of every analyses/<id>.parquet, row by row and column by column. */
export async function analysisDifference(conn: DuckDBConnection, a: string, b: string): Promise<string | null> {
  const fa = files(join(a, "analyses"), ".parquet");
  const fb = files(join(b, "analyses"), ".parquet");
  if (fa.join() !== fb.join()) return `analyses: ${fa.join(",")} ≠ ${fb.join(",")}`;
  for (const f of fa) {
    const ta = await readTablesParquet(conn, join(a, "analyses", f));
    const tb = await readTablesParquet(conn, join(b, "analyses", f));
    const d = firstDifference(ta, tb, `analyses/${f}`);
    if (d) return d;
  }
  return null;
}

/** Every publish/*.json, value by value. */
export function publishDifference(a: string, b: string): string | null {
  const fa = files(join(a, "publish"), ".json");
  const fb = files(join(b, "publish"), ".json");
  if (fa.join() !== fb.join()) return `publish: ${fa.join(",")} ≠ ${fb.join(",")}`;
  for (const f of fa) {
    const read = (root: string) => JSON.parse(readFileSync(join(root, "publish", f), "utf8")) as unknown;
    const d = firstDifference(read(a), read(b), `publish/${f}`);
    if (d) return d;
  }
  return null;
}
