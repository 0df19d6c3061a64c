/**
 * Splits one CSV extract file into K files by the part of each record's persoon_id
 * (hash.ts), copying the bytes of every record as they are: same header, same dialect, same
 * line ends, same order, so a part's ingest reads each record exactly as the whole run would.
 * The header lines go to every part. A record whose persoon_id cannot be read (a blank line, a
 * record with too few fields) goes to part 1, where ingest rejects or skips it as it would in
 * the whole run: nothing is lost, and the merged reject counts are the whole run's.
 *
 * One streaming pass over the bytes: records end at a line feed outside quotes (a quoted field
 * may hold line breaks); only the persoon_id field is decoded. Consecutive records of one person
 * (the extracts are usually sorted by person) reuse the previous record's part.
 */
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { partOfBytes } from "./hash.ts";

export interface SplitSpec {
  /** delimiter and quote, one byte each (pipeline/ingest/mapping.ts; other dialects are refused before) */
  delimiter: number;
  quote: number;
  /** header lines copied to every part */
  headerLines: number;
  /** 0-based index of the persoon_id column */
  column: number;
  /** trim spaces around the value (the mapping's spatiesVerwijderen; as DuckDB's trim(), spaces only) */
  trim: boolean;
  /** decode the field to UTF-8 before hashing (single-byte encodings) */
  decoder?: TextDecoder;
  k: number;
}

export interface SplitResult {
  /** records (header lines included) written to each part, index 0 = part 1 */
  records: number[];
  /** records whose persoon_id could not be read (sent to part 1) */
  unreadable: number;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/** The persoon_id field of a record (bytes), unquoted; null when the record has too few fields or the value is empty. */
export function fieldOf(rec: Buffer, spec: Pick<SplitSpec, "delimiter" | "quote" | "column" | "trim">): Buffer | null {
  let end = rec.length;
  if (end > 0 && rec[end - 1] === LF) end--;
  if (end > 0 && rec[end - 1] === CR) end--;
  let field = 0;
  let i = 0;
  while (field < spec.column) {
    // skip one field
    if (i < end && rec[i] === spec.quote) {
      i++;
      for (;;) {
        if (i >= end) return null;
        if (rec[i] === spec.quote) {
          if (i + 1 < end && rec[i + 1] === spec.quote) i += 2;
          else {
            i++;
            break;
          }
        } else i++;
      }
      while (i < end && rec[i] !== spec.delimiter) i++;
    } else {
      const d = rec.indexOf(spec.delimiter, i);
      i = d < 0 || d >= end ? end : d;
    }
    if (i >= end) return null;
    i++; // the delimiter
    field++;
  }
  let v: Buffer;
  if (i < end && rec[i] === spec.quote) {
    const parts: Buffer[] = [];
    let s = i + 1;
    let j = s;
    for (;;) {
      if (j >= end) return null;
      if (rec[j] === spec.quote) {
        if (j + 1 < end && rec[j + 1] === spec.quote) {
          parts.push(rec.subarray(s, j + 1));
          j += 2;
          s = j;
        } else {
          parts.push(rec.subarray(s, j));
          break;
        }
      } else j++;
    }
    v = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  } else {
    const d = rec.indexOf(spec.delimiter, i);
    v = rec.subarray(i, d < 0 || d >= end ? end : d);
  }
  if (spec.trim) {
    let a = 0;
    let b = v.length;
    while (a < b && v[a] === SPACE) a++;
    while (b > a && v[b - 1] === SPACE) b--;
    v = v.subarray(a, b);
  }
  return v.length ? v : null;
}

/** Split `src` into `dests` (one path per part, in order). */
export async function splitFile(src: string, dests: string[], spec: SplitSpec): Promise<SplitResult> {
  const outs: WriteStream[] = dests.map((d) => createWriteStream(d));
  const records = dests.map(() => 0);
  let unreadable = 0;
  let header = spec.headerLines;
  let lastId: Buffer | null = null;
  let lastPart = 1;
  let inQuote = false;
  let carry: Buffer = Buffer.alloc(0);
  const partOfRecord = (rec: Buffer): number => {
    const f = fieldOf(rec, spec);
    if (f === null) {
      unreadable++;
      return 1;
    }
    if (lastId !== null && f.equals(lastId)) return lastPart;
    lastId = Buffer.from(f);
    lastPart = partOfBytes(spec.decoder ? Buffer.from(spec.decoder.decode(f), "utf8") : f, spec.k);
    return lastPart;
  };
  const write = async (batches: Buffer[][]) => {
    const waits: Promise<unknown>[] = [];
    for (const [p, b] of batches.entries()) {
      if (b.length && !outs[p]!.write(b.length === 1 ? b[0]! : Buffer.concat(b))) waits.push(once(outs[p]!, "drain"));
    }
    await Promise.all(waits);
  };
  try {
    for await (const chunk of createReadStream(src, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const batches: Buffer[][] = dests.map(() => []);
      let start = 0;
      // continue the quote state of the carried partial record from its start
      let i = 0;
      inQuote = false;
      const noQuote = buf.indexOf(spec.quote) < 0;
      while (i < buf.length) {
        let nl: number;
        if (noQuote && !inQuote) {
          nl = buf.indexOf(LF, i);
          if (nl < 0) break;
        } else {
          nl = -1;
          for (let j = i; j < buf.length; j++) {
            const c = buf[j];
            if (c === spec.quote) inQuote = !inQuote;
            else if (c === LF && !inQuote) {
              nl = j;
              break;
            }
          }
          if (nl < 0) break;
        }
        const rec = buf.subarray(start, nl + 1);
        if (header > 0) {
          header--;
          for (let p = 0; p < dests.length; p++) {
            batches[p]!.push(rec);
            records[p]!++;
          }
        } else {
          const p = partOfRecord(rec) - 1;
          batches[p]!.push(rec);
          records[p]!++;
        }
        start = nl + 1;
        i = start;
        inQuote = false;
      }
      carry = Buffer.from(buf.subarray(start));
      await write(batches);
    }
    if (carry.length) {
      // a last record without a line end
      const batches: Buffer[][] = dests.map(() => []);
      if (header > 0) {
        for (let p = 0; p < dests.length; p++) {
          batches[p]!.push(carry);
          records[p]!++;
        }
      } else {
        const p = partOfRecord(carry) - 1;
        batches[p]!.push(carry);
        records[p]!++;
      }
      await write(batches);
    }
  } finally {
    await Promise.all(outs.map((o) => new Promise<void>((res, rej) => o.end((e?: Error | null) => (e ? rej(e) : res())))));
  }
  return { records, unreadable };
}
