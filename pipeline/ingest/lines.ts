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
import { createReadStream, createWriteStream } from "node:fs";
import { fileChunks } from "../../core/file-chunks.ts";

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
 * the quick check above. Returns the hash, whether the file needs a line map, and whether the
 * text read (`scanPath`) holds a NUL byte anywhere (memchr per chunk: the fields that hold one are
 * rejected after staging, `nulRejectsSql`).
 */
export async function hashAndCheck(
  hashPath: string,
  scanPath: string,
  quote: string,
): Promise<{ sha256: string; needsMap: boolean; nul: boolean }> {
  const q = Buffer.from(quote, "utf8");
  const h = createHash("sha256");
  const same = hashPath === scanPath;
  let needsMap = q.length !== 1;
  let tail: Buffer = Buffer.alloc(0);
  let first = true;
  let nul = false;
  for await (const chunk of fileChunks(hashPath)) {
    h.update(chunk);
    if (same && !nul) nul = chunk.indexOf(0) >= 0;
    if (same && !needsMap) {
      needsMap =
        suspicious(chunk, q[0]!, first) || (tail.length > 0 && suspicious(Buffer.concat([tail, chunk.subarray(0, 2)]), q[0]!, false));
      tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 2))); // the chunk's buffer is reused
    }
    first = false;
  }
  if (!same) {
    // a transcoded copy: its own pass (the original's bytes, UTF-16 say, hold NULs of their own)
    first = true;
    for await (const chunk of fileChunks(scanPath)) {
      if (!nul) nul = chunk.indexOf(0) >= 0;
      if (!needsMap) {
        needsMap =
          suspicious(chunk, q[0]!, first) || (tail.length > 0 && suspicious(Buffer.concat([tail, chunk.subarray(0, 2)]), q[0]!, false));
        tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 2))); // the chunk's buffer is reused
      }
      if (needsMap && nul) break;
      first = false;
    }
  }
  return { sha256: h.digest("hex"), needsMap, nul };
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
  for await (const chunk of fileChunks(path)) {
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

/**
 * Lines longer than DuckDB's CSV reader handles reliably. A line of hundreds of MB is dropped by
 * the reader without a reject, and a quoted field of tens of MB is rejected with a wrong reason,
 * so such records never reach DuckDB: the ingest cuts them out beforehand (`cutLongRecords`)
 * and rejects them itself, with their physical line.
 */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * Cheap check: is there a physical line (between LFs) longer than `limit` bytes? Jumps through
 * each chunk with `lastIndexOf`, about size / limit native calls: no per-byte work.
 */
export async function hasLongLine(path: string, limit: number): Promise<boolean> {
  let run = 0; // bytes of the current line before this chunk
  for await (const chunk of fileChunks(path)) {
    let start = -run; // start of the current line, relative to this chunk (negative: in an earlier chunk)
    for (;;) {
      const deadline = start + limit; // the line's LF must come at or before this index
      if (deadline >= chunk.length) {
        run = chunk.length - start;
        break;
      }
      const lf = chunk.lastIndexOf(LF, deadline);
      if (lf < Math.max(0, start)) return true;
      start = lf + 1;
    }
  }
  return run > limit;
}

export interface LongRecord {
  /** physical line (1-based) where the record starts */
  regel: number;
  /** its length in bytes, line ends inside quotes included */
  bytes: number;
  /** its first bytes as text, control characters replaced */
  begin: string;
}

/**
 * Copy `src` to `dest` with every record (quoted line breaks included) longer than `limit` bytes
 * replaced by its line breaks only, written as the file's first line end: DuckDB then sees blank
 * lines there, which the line map numbers like every blank line, so all later line numbers stay
 * physical. Returns the cut records. Line ends and quotes as in `scanLines`.
 */
export async function cutLongRecords(src: string, dest: string, limit: number, quote: string): Promise<LongRecord[]> {
  const out = createWriteStream(dest);
  const qb = Buffer.from(quote, "utf8")[0];
  const found: LongRecord[] = [];
  const LF_BUF = Buffer.from("\n");
  let eol: Buffer | null = null; // the file's first line end
  let parts: Buffer[] = []; // output of the current chunk
  let line = 1; // physical line of the current position
  let recLine = 1; // physical line where the current record starts
  let recBytes = 0;
  let breaks = 0; // line breaks inside the current record (quoted)
  let pending: Buffer[] = []; // the current record's bytes while it is short enough
  let begin: number[] = [];
  let dropping = false;
  let inQ = false;
  let prevCr = false; // the previous byte was a CR
  let crEnded = false; // ... and it ended a record (its LF may follow in the next chunk)
  const finish = (end: Buffer | null) => {
    if (dropping) {
      found.push({ regel: recLine, bytes: recBytes, begin: Buffer.from(begin).toString("utf8") });
      for (let i = 0; i < breaks; i++) parts.push(eol ?? LF_BUF);
    } else parts.push(...pending);
    if (end) parts.push(end);
    pending = [];
    begin = [];
    recBytes = 0;
    breaks = 0;
    dropping = false;
    recLine = line;
  };
  for await (const chunk of createReadStream(src, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    let from = 0; // first byte of the current record in this chunk not yet in `pending`
    const keep = (to: number) => {
      if (!dropping && to > from) pending.push(chunk.subarray(from, to));
      from = to;
    };
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (prevCr) {
        prevCr = false;
        if (b === LF) {
          if (crEnded) {
            // the LF of a record-ending CRLF split over two chunks
            parts.push(LF_BUF);
            from = i + 1;
          } else recBytes++; // the LF of a quoted CRLF
          crEnded = false;
          continue;
        }
        crEnded = false;
      }
      if ((b === LF || b === CR) && !inQ) {
        keep(i);
        const crlf = b === CR && i + 1 < chunk.length && chunk[i + 1] === LF;
        const end = crlf ? chunk.subarray(i, i + 2) : chunk.subarray(i, i + 1);
        eol ??= b === CR && i + 1 === chunk.length ? Buffer.from("\r\n") : end;
        line++;
        finish(end);
        if (crlf) i++;
        else if (b === CR) {
          prevCr = true;
          crEnded = true;
        }
        from = i + 1;
        continue;
      }
      if (b === LF || b === CR) {
        prevCr = b === CR;
        line++;
        breaks++;
      }
      if (recBytes < 60) begin.push(b);
      recBytes++;
      if (recBytes > limit && !dropping) {
        keep(i);
        pending = [];
        dropping = true;
      }
      if (b === qb) inQ = !inQ;
    }
    keep(chunk.length);
    if (parts.length && !out.write(Buffer.concat(parts))) await new Promise<void>((r) => out.once("drain", () => r()));
    parts = [];
  }
  if (recBytes > 0 || pending.length) finish(null);
  await new Promise<void>((resolve, reject) => out.end(Buffer.concat(parts), (e?: Error | null) => (e ? reject(e) : resolve())));
  for (const r of found) r.begin = r.begin.replace(/[\u0000-\u001f\u007f\ufffd]/g, "?") + "…";
  return found;
}
