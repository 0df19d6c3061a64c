/**
 * Which part a person belongs to: the first 4 bytes of the MD5 of the persoon_id (its UTF-8
 * bytes, as staged), read as an unsigned big-endian integer, modulo K; parts are numbered 1..K.
 * MD5 is fixed by RFC 1321, so the rule is the same in every engine and every version: in DuckDB
 * and Trino `('0x' || substr(md5(persoon_id), 1, 8))` as an integer, in Spark
 * `conv(substr(md5(persoon_id), 1, 8), 16, 10)`, each `% K + 1`. (DuckDB's own `hash()` is not
 * guaranteed stable across versions, Spark's `hash()` is Murmur3 with a seed: neither is used.)
 */
import { createHash } from "node:crypto";
import { sql, type Sql } from "../../core/sql.ts";

/** The rule in words, recorded in the partition manifest. */
export const PART_RULE = "deel = (eerste 4 bytes van md5(persoon_id), als geheel getal zonder teken) mod K + 1";

/** Part (1..k) of a persoon_id given as its UTF-8 bytes. */
export function partOfBytes(id: Uint8Array, k: number): number {
  return (createHash("md5").update(id).digest().readUInt32BE(0) % k) + 1;
}

/** Part (1..k) of a persoon_id. */
export const partOf = (id: string, k: number): number => partOfBytes(Buffer.from(id, "utf8"), k);

/** The same rule in DuckDB SQL, for a VARCHAR column expression. */
export const partSql = (column: Sql, k: number): Sql => sql`(('0x' || md5(${column})[1:8])::UBIGINT % ${k} + 1)`;
