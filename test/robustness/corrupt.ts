/**
 * Seeded corruption of extract files for the property tests (test/robustness/property.test.ts).
 * Also a command to rebuild the corrupted extracts of one seed for inspection:
 *   npx tsx test/robustness/corrupt.ts <extracts-folder> <seed> [delimiter]   (corrupts in place)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rng } from "../helpers/random.ts";
import { SYNTHETIC_MARKER_FILE } from "../../pipeline/contract.ts";

type Op =
  | "verwijder-regel"
  | "dubbele-regel"
  | "afkappen"
  | "velden-wisselen"
  | "byte-omdraaien"
  | "rommel-invoegen"
  | "lange-regel"
  | "extreem-getal"
  | "utf-16"
  | "nul-bytes";
const OPS: Op[] = [
  "verwijder-regel",
  "dubbele-regel",
  "afkappen",
  "velden-wisselen",
  "byte-omdraaien",
  "rommel-invoegen",
  "lange-regel",
  "extreem-getal",
  "utf-16",
  "nul-bytes",
];
/** Replace the file itself by something that is not a regular file (rarer than the byte operations). */
type FileOp = "fifo" | "map" | "symlink-programma" | "symlink-weg";
const FILE_OPS: FileOp[] = ["fifo", "map", "symlink-programma", "symlink-weg"];

/** Numbers no real extract holds, and spellings that are valid but unusual. */
const EXTREME = [
  "1e12",
  "-1e12",
  "1e308",
  "-1e308",
  "1e400",
  "-0",
  "1e5",
  "0.000001",
  "99999999999999999999",
  "2147483648",
  "-2147483649",
  "NaN",
  "Infinity",
  "1e-400",
  "9".repeat(400),
];

/** The line limit of the ingest (pipeline/ingest/lines.ts MAX_LINE_BYTES), for lines just above it. */
const MAX_LINE = 1 << 20;

/** Apply one corruption to a file's bytes; returns the new bytes and a description. */
export function corrupt(buf: Buffer, op: Op, r: () => number, delim: string): { buf: Buffer; what: string } {
  const int = (n: number) => Math.floor(r() * n);
  // line boundaries (byte offsets of line starts)
  const starts = [0];
  for (let i = 0; i < buf.length; i++) if (buf[i] === 0x0a && i + 1 < buf.length) starts.push(i + 1);
  const line = (k: number) => [starts[k]!, k + 1 < starts.length ? starts[k + 1]! : buf.length] as const;
  // mostly data lines; the header (line 0) now and then
  const pick = () => (r() < 0.05 ? 0 : 1 + int(Math.max(1, starts.length - 1)));
  switch (op) {
    case "verwijder-regel": {
      const k = Math.min(pick(), starts.length - 1);
      const [a, b] = line(k);
      return { buf: Buffer.concat([buf.subarray(0, a), buf.subarray(b)]), what: `${op} ${k + 1}` };
    }
    case "dubbele-regel": {
      const k = Math.min(pick(), starts.length - 1);
      const [a, b] = line(k);
      let l = buf.subarray(a, b);
      if (l[l.length - 1] !== 0x0a) l = Buffer.concat([l, Buffer.from("\n")]);
      return {
        buf: Buffer.concat([
          buf.subarray(0, b),
          buf.subarray(b - 1, b)[0] === 0x0a ? l : Buffer.concat([Buffer.from("\n"), l]),
          buf.subarray(b),
        ]),
        what: `${op} ${k + 1}`,
      };
    }
    case "afkappen": {
      const at = int(buf.length + 1);
      return { buf: buf.subarray(0, at), what: `${op} op byte ${at}` };
    }
    case "velden-wisselen": {
      const k = Math.min(pick(), starts.length - 1);
      const [a, b] = line(k);
      const text = buf.subarray(a, b).toString("latin1");
      const eol = /\r?\n$/.exec(text)?.[0] ?? "";
      const f = text.slice(0, text.length - eol.length).split(delim);
      const i = int(f.length);
      const j = int(f.length);
      [f[i], f[j]] = [f[j]!, f[i]!];
      return {
        buf: Buffer.concat([buf.subarray(0, a), Buffer.from(f.join(delim) + eol, "latin1"), buf.subarray(b)]),
        what: `${op} regel ${k + 1} veld ${i + 1}<->${j + 1}`,
      };
    }
    case "byte-omdraaien": {
      if (!buf.length) return { buf, what: `${op} (leeg)` };
      const at = int(buf.length);
      const out = Buffer.from(buf);
      out[at]! ^= 1 + int(255);
      return { buf: out, what: `${op} byte ${at}` };
    }
    case "rommel-invoegen": {
      const at = int(buf.length + 1);
      const alphabet = [delim, '"', "\n", "\r\n", "\x00", "\xff", "é", "€", "x", "9", "-", ",", ";", "\t", " "];
      let g = "";
      for (let n = 1 + int(12); n > 0; n--) g += alphabet[int(alphabet.length)];
      const bytes = r() < 0.5 ? Buffer.from(g, "utf8") : Buffer.from(Array.from({ length: 1 + int(8) }, () => int(256)));
      return { buf: Buffer.concat([buf.subarray(0, at), bytes, buf.subarray(at)]), what: `${op} ${bytes.length} bytes op ${at}` };
    }
    case "lange-regel": {
      // a line (or a quoted field, perhaps with line breaks) just above the ingest's line limit
      const k = Math.min(1 + int(Math.max(1, starts.length - 1)), starts.length);
      const at = k < starts.length ? starts[k]! : buf.length;
      const n = MAX_LINE + 1 + int(MAX_LINE);
      const kind = int(3);
      const body = "x".repeat(n);
      const text =
        kind === 0
          ? `${body}${delim}${body.slice(0, 10)}`
          : kind === 1
            ? `"${body}"${delim}a`
            : `"${body.slice(0, n >> 1)}\n${body.slice(0, n >> 1)}"${delim}a`;
      const eol = buf.includes("\r\n") ? "\r\n" : "\n";
      const pre = at > 0 && buf[at - 1] !== 0x0a ? eol : "";
      return {
        buf: Buffer.concat([buf.subarray(0, at), Buffer.from(pre + text + eol), buf.subarray(at)]),
        what: `${op} (${["regel", "veld", "veld met regeleinde"][kind]}, ${n} bytes) voor regel ${k + 1}`,
      };
    }
    case "extreem-getal": {
      const k = Math.min(1 + int(Math.max(1, starts.length - 1)), starts.length - 1);
      const [a, b] = line(k);
      const text = buf.subarray(a, b).toString("latin1");
      const eol = /\r?\n$/.exec(text)?.[0] ?? "";
      const f = text.slice(0, text.length - eol.length).split(delim);
      const i = int(f.length);
      const v = EXTREME[int(EXTREME.length)]!;
      f[i] = v;
      return {
        buf: Buffer.concat([buf.subarray(0, a), Buffer.from(f.join(delim) + eol, "latin1"), buf.subarray(b)]),
        what: `${op} regel ${k + 1} veld ${i + 1} = ${v.slice(0, 20)}`,
      };
    }
    case "utf-16": {
      const bom = r() < 0.5;
      const le = Buffer.from((bom ? "\ufeff" : "") + buf.toString("latin1"), "utf16le");
      if (r() < 0.5) return { buf: le, what: `${op} LE${bom ? " met BOM" : ""}` };
      const be = Buffer.from(le);
      for (let i = 0; i + 1 < be.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
      return { buf: be, what: `${op} BE${bom ? " met BOM" : ""}` };
    }
    case "nul-bytes": {
      const at = int(buf.length + 1);
      const n = 1 + int(r() < 0.5 ? 4 : 4096);
      return { buf: Buffer.concat([buf.subarray(0, at), Buffer.alloc(n), buf.subarray(at)]), what: `${op} ${n} op ${at}` };
    }
  }
}

/** Replace `path` by a FIFO, a folder or a symlink (to a program, or to nothing). */
export function replaceFile(path: string, op: FileOp): string {
  rmSync(path);
  if (op === "fifo") execFileSync("mkfifo", [path]);
  else if (op === "map") mkdirSync(path);
  else if (op === "symlink-programma") symlinkSync("/bin/ls", path);
  else symlinkSync(`${path}.weg`, path);
  return op;
}

/** Corrupt 1-3 random files of an extracts folder in place; returns what was done. */
export function corruptExtracts(extracts: string, seed: number, delim: string): string[] {
  const r = rng(seed);
  // the extracts themselves, not the generator's synthetic-data marker (its presence alone counts)
  const files = readdirSync(extracts)
    .filter((f) => f !== SYNTHETIC_MARKER_FILE)
    .sort();
  const done: string[] = [];
  const replaced = new Set<string>();
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const f = files[Math.floor(r() * files.length)]!;
    if (replaced.has(f)) continue;
    if (r() < 0.04) {
      done.push(`${f}: ${replaceFile(join(extracts, f), FILE_OPS[Math.floor(r() * FILE_OPS.length)]!)}`);
      replaced.add(f);
      continue;
    }
    const op = OPS[Math.floor(r() * OPS.length)]!;
    const res = corrupt(readFileSync(join(extracts, f)), op, r, delim);
    writeFileSync(join(extracts, f), res.buf);
    done.push(`${f}: ${res.what}`);
  }
  return done;
}

if (process.argv[1]?.endsWith("corrupt.ts")) {
  const [dir, seed, delim] = process.argv.slice(2);
  if (dir === undefined) throw new Error("usage: corrupt.ts <extracts dir> [seed] [delimiter]");
  console.log(corruptExtracts(dir, Number(seed), delim ?? ",").join("\n"));
}
