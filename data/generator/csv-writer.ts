/**
 * Buffered, synchronous line writer: bounded memory, deterministic bytes. Encodes UTF-8 or
 * Windows-1252 (only the characters that Windows-1252 and Latin-1 share are allowed; anything
 * else is a programming error, not silently replaced).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { Encoding } from "./dialect.ts";

const FLUSH_CHARS = 1 << 20;

export class LineWriter {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  rows = 0;

  constructor(
    readonly path: string,
    private readonly encoding: Encoding,
  ) {
    this.fd = openSync(path, "w");
  }

  line(text: string): void {
    this.parts.push(text, "\n");
    this.size += text.length + 1;
    this.rows++;
    if (this.size >= FLUSH_CHARS) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    this.size = 0;
    writeSync(this.fd, encode(text, this.encoding));
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function encode(text: string, encoding: Encoding): Buffer {
  if (encoding === "utf-8") return Buffer.from(text, "utf8");
  // Windows-1252 equals Latin-1 outside 0x80–0x9F; the generator writes no characters there.
  if (/[^\x00-\x7f\xa0-\xff]/.test(text)) throw new Error("tekst bevat tekens die niet in Windows-1252/Latin-1 passen");
  return Buffer.from(text, "latin1");
}
