/** Reading a JSON file the user names (config, mapping): bounded, regular files only, errors as UserError. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { UserError } from "../core/errors.ts";
import { rejectPrototypeKeys } from "../core/validation.ts";

/** Largest config file read (a config is a few kB; this keeps a wrong path from filling memory). */
const MAX_BYTES = 4 << 20;

/** Read and validate a JSON file given by the user; `what` names it in messages. */
export function readJsonFile(path: string, what: string): unknown {
  if (!existsSync(path)) throw new UserError(`${what} niet gevonden: ${path}`);
  const st = statSync(path);
  if (!st.isFile()) throw new UserError(`${what} ${path} is geen gewoon bestand`);
  if (st.size > MAX_BYTES) throw new UserError(`${what} ${path} is te groot (${st.size} bytes; hoogstens ${MAX_BYTES})`);
  const text = readFileSync(path, "utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const { line, column, reason } = jsonError(text, (e as Error).message);
    throw new UserError(`${path}, regel ${line}, kolom ${column}: geen geldige JSON (${reason})`);
  }
  rejectPrototypeKeys(raw, path);
  return raw;
}

/**
 * Where JSON.parse failed, and why, without the file's content (V8's messages quote the start of
 * the text: a wrong --config path must not print a secret). V8 gives the position for most
 * errors; for an unexpected token it does not, and the position is found as the shortest prefix
 * of the text that is no longer the start of some JSON value (binary search over prefixes).
 */
export function jsonError(text: string, message: string): { line: number; column: number; reason: string } {
  let pos = Number(/at position (\d+)/.exec(message)?.[1] ?? Number.NaN);
  if (Number.isNaN(pos)) {
    const broken = (k: number) => {
      try {
        JSON.parse(text.slice(0, k));
        return false;
      } catch (e) {
        return !/^Unexpected end of JSON input/.test((e as Error).message);
      }
    };
    let lo = 0,
      hi = text.length;
    if (broken(hi)) {
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (broken(mid)) hi = mid;
        else lo = mid;
      }
      pos = hi - 1;
    } else pos = text.length;
  }
  const before = text.slice(0, pos).split(/\r\n|\r|\n/);
  // V8 quotes the text after the token (`Unexpected token 'S', "SECRET…" is not valid JSON`): cut it off
  const reason = message
    .replace(/, "[\s\S]*$/, "")
    .split("\n")[0]!
    .replace(/ (in|after) JSON at position \d+.*$/, "")
    .replace(/^Unexpected end of JSON input$/, "het bestand houdt halverwege op");
  return { line: before.length, column: before[before.length - 1]!.length + 1, reason };
}
