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
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UserError(`${path}: geen geldige JSON (${(e as Error).message.split("\n")[0]})`);
  }
  rejectPrototypeKeys(raw, path);
  return raw;
}
