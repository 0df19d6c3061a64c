import { cpSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { EXTRACTS } from "../../pipeline/contract.ts";
import { tempDir as tempFolder } from "../helpers/temp.ts";

export const FIXTURES = resolve(import.meta.dirname, "..", "fixtures", "ingest");
export const CANONICAL = join(FIXTURES, "canonical");
export const UWV = join(FIXTURES, "uwv");

export const tempDir = (prefix = "bm-ingest-") => tempFolder(prefix);

/** A writable copy of a fixture folder. */
export function copyFixture(src: string): string {
  const d = join(tempDir(), "extracts");
  cpSync(src, d, { recursive: true });
  return d;
}

/** Run queries on an output database (read-only) and return rows as JSON objects. */
export async function query(out: string, ...sql: string[]): Promise<Record<string, unknown>[][]> {
  const db = await DuckDBInstance.create(join(out, "baanmonitor.duckdb"), { access_mode: "READ_ONLY" });
  const c = await db.connect();
  try {
    const res: Record<string, unknown>[][] = [];
    for (const s of sql) res.push((await c.runAndReadAll(s)).getRowObjectsJson() as Record<string, unknown>[]);
    return res;
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

export const readJson = (p: string) => JSON.parse(readFileSync(p, "utf8"));

/** Expect a promise to reject with a UserError whose message equals `msg`. */
export async function userError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if ((e as Error).name !== "UserError") throw e;
    return (e as Error).message;
  }
  throw new Error("expected a UserError");
}

/** Staging contents without the provenance columns, in a fixed order. */
export const contents = (x: string) => {
  const spec = (EXTRACTS as Record<string, readonly { name: string }[]>)[x];
  if (!spec) throw new Error(`contents: unknown extract ${x}`);
  const cols = spec.map((c) => c.name).join(", ");
  return `SELECT ${cols} FROM stg_${x} ORDER BY ALL`;
};
