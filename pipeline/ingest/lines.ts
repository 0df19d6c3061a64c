/**
 * Physical line numbers. DuckDB's CSV reader numbers lines as "records plus skipped blank lines"
 * (header = 1): a line break inside a quoted field does not count, a blank line does (but is
 * not a row). Researchers open the file at the line we name, so `bron_regel` and `rejects.regel`
 * must be the physical line (1-based) where the record starts.
 *
 * The common case costs nothing extra: the file is read once anyway for its SHA-256, and each
 * chunk is checked with native `Buffer.indexOf` for the only two things that can make record
 * numbers and lines differ: a quote character (a quoted field may hold a line break) and a blank
 * line (`\n\n`, `\r\n\r\n`, `\r\r`). Only when one is found is the file scanned again, byte by
 * byte, to collect
 *   - `blanks`: DuckDB line numbers of blank lines outside quotes (skipped like rejected lines),
 *   - `extra`:  change points (d, extra): from DuckDB line d on, physical line = d + extra
 *               (grows after every record with quoted line breaks).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export interface LineMap {
  /** DuckDB line numbers of blank lines (outside quotes), ascending */
  blanks: number[];
  /** change points [d, extra], ascending d: physical line = d + extra for DuckDB line >= d */
  extra: [number, number][];
}

const LF = 0x0a;
const CR = 0x0d;
const PATTERNS = [Buffer.from("\n\n"), Buffer.from("\r\r"), Buffer.from("\n\r\n")];

/** Does this buffer (at the start of a file or with the previous chunk's tail) contain a quote or a blank line? */
function suspicious(buf: Buffer, quote: number, atStart: boolean): boolean {
  if (buf.indexOf(quote) >= 0) return true;
  if (atStart && buf.length > 0 && (buf[0] === LF || buf[0] === CR)) return true;
  return PATTERNS.some((p) => buf.indexOf(p) >= 0);
}

/**
 * One pass: SHA-256 of `hashPath` (the original bytes) and, when `scanPath` is the same file,
 * the quick check above. Returns the hash and whether the file needs a line map.
 */
export async function hashAndCheck(hashPath: string, scanPath: string, quote: string): Promise<{ sha256: string; needsMap: boolean }> {
  const q = Buffer.from(quote, "utf8");
  const h = createHash("sha256");
  const same = hashPath === scanPath;
  let needsMap = q.length !== 1;
  let tail: Buffer = Buffer.alloc(0);
  let first = true;
  for await (const chunk of createReadStream(hashPath, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    h.update(chunk);
    if (same && !needsMap) {
      needsMap = suspicious(chunk, q[0], first) || (tail.length > 0 && suspicious(Buffer.concat([tail, chunk.subarray(0, 2)]), q[0], false));
      tail = chunk.subarray(Math.max(0, chunk.length - 2));
    }
    first = false;
  }
  if (!same && !needsMap) {
    for await (const chunk of createReadStream(scanPath, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
      needsMap = suspicious(chunk, q[0], first) || (tail.length > 0 && suspicious(Buffer.concat([tail, chunk.subarray(0, 2)]), q[0], false));
      if (needsMap) break;
      tail = chunk.subarray(Math.max(0, chunk.length - 2));
      first = false;
    }
  }
  return { sha256: h.digest("hex"), needsMap };
}

/**
 * The byte-by-byte scan (only for files that need it). Line ends: LF, CRLF, lone CR. Quotes
 * toggle the quoted state (an escaped `""` toggles twice). Returns null when the map is trivial.
 */
export async function scanLines(path: string, quote: string): Promise<LineMap | null> {
  const qb = Buffer.from(quote, "utf8")[0];
  const blanks: number[] = [];
  const extra: [number, number][] = [];
  let d = 1; // DuckDB line of the current line / record start
  let p = 1; // physical line of the current position
  let inQ = false;
  let empty = true; // nothing on the current line yet (outside quotes)
  let prevCr = false;
  let last = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (prevCr) {
        prevCr = false;
        if (b === LF) continue;
      }
      if (b === LF || b === CR) {
        if (b === CR) prevCr = true;
        p++;
        if (inQ) continue; // a line break inside a quoted field: same record
        if (empty) blanks.push(d);
        d++;
        empty = true;
        if (p - d !== last) {
          last = p - d;
          extra.push([d, last]);
        }
        continue;
      }
      empty = false;
      if (b === qb) inQ = !inQ;
    }
  }
  return blanks.length || extra.length ? { blanks, extra } : null;
}
