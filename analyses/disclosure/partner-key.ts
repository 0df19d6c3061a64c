/**
 * Which partner a secondary suppression hides: a keyed choice, not the smallest cell.
 *
 * The rules are public (this repository), so a reader can replay them on every table that fits
 * the published numbers and keep those that give exactly the published pattern. With the
 * smallest visible part as partner, that replay excludes values: an outside check (2026-12-03)
 * found six hidden small counts of `jobcoach_paden` narrowed below their margin that way (a
 * hidden 2 read as [1, 3]: "had it been the small one, the smaller neighbour would have been
 * its partner"). Here the candidates are ranked by a hash of a secret key and the cell's
 * position (its id: analysis, table, row number in key order, column), so the choice depends on
 * no value and cannot be replayed without the key. What is left of the values in the choice is
 * coarse and public: a partner is positive, and where one can, it has more than
 * `beschermingsmarge` (a partner of 1 or 2 leaves a small cell no room).
 *
 * The key is derived from the data (`partnerKeyFrom`: the persons in the `personen` mart), so it
 * is the same on every rerun of the same extracts (outputs stay byte-identical, also after a
 * partitioned run's merge) and unknown to anyone without those extracts. Not published.
 */
import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import { query } from "../lib/sql.ts";
import { sql } from "../../core/sql.ts";

let key = "";
let marge = 5;

/** Set the key (and the margin a partner should exceed) for the partner choices of this run. */
export function setPartnerChoice(opts: { key: string; marge: number }): void {
  key = opts.key;
  marge = opts.marge;
}

/** Back to the defaults (no key, margin 5): after a run, so that nothing else inherits its key. */
export function resetPartnerChoice(): void {
  setPartnerChoice({ key: "", marge: 5 });
}

/** Run `fn` with these partner choices, and reset them afterwards (also when it throws). */
export async function withPartnerChoice<T>(opts: { key: string; marge: number }, fn: () => Promise<T>): Promise<T> {
  setPartnerChoice(opts);
  try {
    return await fn();
  } finally {
    resetPartnerChoice();
  }
}

/** The key of a run: the persons of the `personen` mart, order-free ("" when the mart is absent). */
export async function partnerKeyFrom(conn: DuckDBConnection): Promise<string> {
  const have = await query(conn, sql`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'personen'`);
  if (Number(have[0]?.n ?? 0) === 0) return "";
  const rows = await query(conn, sql`SELECT coalesce(bit_xor(hash(persoon_id)), 0)::VARCHAR AS k, count(*)::VARCHAR AS n FROM personen`);
  return `${rows[0]!.k}/${rows[0]!.n}`;
}

/** A cell's place in the keyed order (a 48-bit number from the cell's id; lower is chosen first). */
export function partnerRank(id: string): number {
  return createHash("sha256").update(key).update("\u0000").update(id).digest().readUIntBE(0, 6);
}

/**
 * The preference class of a candidate with this value (lower first): more than the margin,
 * then other positive values, then 0 (a hidden 0 widens nothing).
 */
export function partnerClass(value: number): number {
  const v = Math.abs(value);
  return v > marge ? 0 : v > 0 ? 1 : 2;
}

/** Sort key of a candidate: its class, then its keyed rank. */
export function partnerScore(value: number, id: string): number {
  return partnerClass(value) * 2 ** 48 + partnerRank(id);
}
