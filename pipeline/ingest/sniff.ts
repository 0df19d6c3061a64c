/**
 * Checks on an extract file before anything reads it as CSV, so that a wrong file gives a
 * message the user can act on instead of garbage, a hang or a crash:
 *   - `checkRegularFile`: a FIFO, socket, device or folder in place of an extract is refused
 *     from its stat alone (opening a FIFO for reading would block the run); a dangling symlink
 *     is named as such.
 *   - `sniffCsv`: the first bytes of a regular file: UTF-16 (BOM or NUL-byte pattern), a
 *     compressed or binary file (magic numbers, NUL bytes or control characters in the first
 *     line). Messages name the file and what it is, never its bytes.
 *   - `shown`: file text (column names) made safe to print in a message.
 */
import { closeSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from "node:fs";
import { relative, isAbsolute } from "node:path";
import { UserError } from "../../core/errors.ts";
import type { Encoding } from "./mapping.ts";

/** What a non-regular file is, in Dutch. */
function kind(st: Stats): string {
  if (st.isFIFO()) return "een FIFO (named pipe)";
  if (st.isSocket()) return "een socket";
  if (st.isDirectory()) return "een map";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "een apparaat";
  return "geen bestand";
}

/** Refuse anything but a regular file (after following symlinks), from stat alone. */
export function checkRegularFile(path: string, bestand: string): void {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    const link = (() => {
      try {
        return lstatSync(path).isSymbolicLink();
      } catch {
        return false;
      }
    })();
    throw new UserError(link ? `${bestand}: symlink naar een bestand dat niet bestaat` : `bestand ontbreekt: ${path}`);
  }
  if (!st.isFile()) {
    throw new UserError(`${bestand}: geen gewoon bestand maar ${kind(st)}; verwacht een CSV- of Parquet-bestand`);
  }
}

/** Is the file (symlinks resolved) inside the extracts folder? Content outside it is never quoted. */
export function insideFolder(path: string, folder: string): boolean {
  try {
    const rel = relative(realpathSync(folder), realpathSync(path));
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  } catch {
    return false;
  }
}

const SNIFF_BYTES = 64 << 10;

function head(path: string, n = SNIFF_BYTES): Buffer {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** UTF-16 from its BOM, or from NUL bytes in every other position (ASCII text in UTF-16). */
export function utf16Of(buf: Buffer): { endian: "le" | "be"; bom: boolean } | null {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { endian: "le", bom: true };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { endian: "be", bom: true };
  const n = Math.min(buf.length, 4096) & ~1;
  if (n < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) even++;
    if (buf[i + 1] === 0) odd++;
  }
  const half = n / 2;
  if (odd > 0.4 * half && even < 0.05 * half) return { endian: "le", bom: false };
  if (even > 0.4 * half && odd < 0.05 * half) return { endian: "be", bom: false };
  return null;
}

const MAGIC: [number[], string][] = [
  [[0x1f, 0x8b], "een gzip-bestand (gecomprimeerd); pak het eerst uit"],
  [[0x50, 0x4b, 0x03, 0x04], "een zip-archief (of Excel-bestand); pak het uit of sla het op als CSV"],
  [[0x42, 0x5a, 0x68], "een bzip2-bestand (gecomprimeerd); pak het eerst uit"],
  [[0x28, 0xb5, 0x2f, 0xfd], "een zstd-bestand (gecomprimeerd); pak het eerst uit"],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], "een xz-bestand (gecomprimeerd); pak het eerst uit"],
  [[0x7f, 0x45, 0x4c, 0x46], "een programma (ELF), geen CSV"],
  [[0x25, 0x50, 0x44, 0x46], "een PDF, geen CSV"],
  [[0x50, 0x41, 0x52, 0x31], 'een Parquet-bestand; zet "formaat": "parquet" in de mapping'],
  [[0xd0, 0xcf, 0x11, 0xe0], "een oud Office-bestand (.xls/.doc); sla het op als CSV"],
];

/**
 * Check the start of a CSV extract against its mapped encoding. Throws a UserError naming the
 * file and what it is; never quotes the bytes.
 */
export function sniffCsv(path: string, bestand: string, codering: Encoding): void {
  const buf = head(path);
  const u16 = utf16Of(buf);
  const wanted = codering === "utf-16le" ? "le" : codering === "utf-16be" ? "be" : null;
  if (u16) {
    if (u16.endian === wanted) return;
    const what = `UTF-16 (${u16.endian === "le" ? "little-endian" : "big-endian"}, ${u16.bom ? "met" : "zonder"} BOM)`;
    throw new UserError(`${bestand}: het bestand is ${what}; zet "codering": "utf-16${u16.endian}" in de mapping of sla het op als UTF-8`);
  }
  if (wanted) {
    throw new UserError(
      `${bestand}: de mapping zegt "codering": "${codering}", maar het bestand is geen UTF-16; pas de codering in de mapping aan`,
    );
  }
  for (const [magic, what] of MAGIC) {
    if (buf.length >= magic.length && magic.every((b, i) => buf[i] === b)) throw new UserError(`${bestand}: geen CSV-bestand maar ${what}`);
  }
  // the first line (the header, or the first record) must be text: no NUL or control bytes
  let end = buf.indexOf(0x0a);
  if (end < 0) end = buf.length;
  const first = buf.subarray(0, end);
  let control = 0;
  for (const b of first) if (b < 0x20 && b !== 0x09 && b !== 0x0d) control++;
  let nul = 0;
  for (const b of buf) if (b === 0) nul++;
  if (control > 0 || nul > 0.01 * buf.length) {
    throw new UserError(`${bestand}: geen tekstbestand (binaire inhoud${control ? " in de eerste regel" : ""}); verwacht een CSV-bestand`);
  }
}

/** Text from a file made safe for a message: control characters as `?`, long names cut, at most `max` names. */
export function shown(names: string[], max = 30): string {
  const clean = names.slice(0, max).map((s) => {
    const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]/g, "?");
    return t.length > 60 ? `${t.slice(0, 60)}…` : t;
  });
  return clean.join(", ") + (names.length > max ? `, … (${names.length} kolommen)` : "");
}
