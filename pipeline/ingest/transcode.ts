/**
 * Streaming transcoding of single-byte encodings and UTF-16 to UTF-8 (DuckDB reads only UTF-8 offline).
 * Works on byte chunks, not rows. Node's TextDecoder("windows-1252") decodes as ISO-8859-1
 * (0x80 -> U+0080 instead of €), so the 0x80–0x9F range is remapped here explicitly.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Encoding } from "./mapping.ts";

/** Windows-1252 code points for bytes 0x80..0x9F (undefined bytes keep their C1 code point, as WHATWG does). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f, 0x90, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];
const CP1252_CHARS = CP1252_HIGH.map((c) => String.fromCharCode(c));

/** Decode one chunk of single-byte text (chunk boundaries never split a character). */
export function decodeSingleByte(chunk: Buffer, encoding: "windows-1252" | "latin-1"): string {
  const s = chunk.toString("latin1");
  if (encoding === "latin-1") return s;
  return s.replace(/[\x80-\x9f]/g, (ch) => CP1252_CHARS[ch.charCodeAt(0) - 0x80]!);
}

/**
 * Transcode `src` (windows-1252, latin-1, UTF-16 LE/BE) to UTF-8 at `dest`. Returns bytes read.
 * UTF-16: a BOM is dropped; a character split between chunks is kept whole (streaming decoder);
 * an unpaired surrogate becomes U+FFFD.
 */
export async function transcodeToUtf8(src: string, dest: string, encoding: Exclude<Encoding, "utf-8">): Promise<number> {
  let bytes = 0;
  const u16 = encoding === "utf-16le" || encoding === "utf-16be" ? new TextDecoder(encoding) : null;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      const text = u16 ? u16.decode(chunk, { stream: true }) : decodeSingleByte(chunk, encoding as "windows-1252" | "latin-1");
      cb(null, Buffer.from(text, "utf8"));
    },
    flush(cb) {
      cb(null, u16 ? Buffer.from(u16.decode(), "utf8") : null);
    },
  });
  await pipeline(createReadStream(src, { highWaterMark: 4 << 20 }), t, createWriteStream(dest));
  return bytes;
}
