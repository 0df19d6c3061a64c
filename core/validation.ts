/**
 * Validation of user-supplied JSON (config, source mapping) against declared zod schemas, with
 * one Dutch message per problem: where (file), which key, the value given and what is allowed.
 */
import { z } from "zod";
import { UserError } from "./errors.ts";
import { isIsoDate } from "./sql.ts";

/** A real calendar date `jjjj-mm-dd` between 1900 and 2100. */
export const isoDate = () =>
  z.string().refine((s) => isIsoDate(s) && s >= "1900-01-01" && s <= "2100-12-31", {
    error: "geen bestaande datum tussen 1900 en 2100 (verwacht jjjj-mm-dd)",
  });

/** A whole number in [min, max]. */
export const int = (min: number, max: number) => z.number().min(min).max(max).int(); // the range first: 1e308 is "at most 12", not "at most 2^53"

/** A non-empty list of whole numbers in [min, max], strictly increasing. */
export const increasingInts = (min: number, max: number, maxLength: number) =>
  z
    .array(int(min, max))
    .min(1)
    .max(maxLength)
    .refine((a) => a.every((v, i) => i === 0 || v > a[i - 1]!), { error: "moet oplopend zijn, zonder dubbele waarden" });

const TYPE: Record<string, string> = {
  number: "een getal",
  int: "een geheel getal",
  string: "een tekst",
  boolean: "true of false",
  array: "een lijst",
  object: "een object",
};

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, k as string)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** One issue as Dutch text: `<key>: <value> <problem>`. */
export function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  keyword: string,
  allowedKeys?: (path: PropertyKey[]) => string[],
): string {
  const path = issue.path as PropertyKey[];
  const key = path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join("");
  const value = valueAt(input, path);
  const isObj = value !== null && typeof value === "object" && !Array.isArray(value);
  const given = value === undefined ? "ontbreekt" : isObj ? "" : `= ${show(value)}`;
  const named0 = key ? `${keyword} "${key}"` : keyword;
  const named = given ? `${named0} ${given}` : named0;
  switch (issue.code) {
    case "unrecognized_keys": {
      const keys = issue.keys.map((k: string) => (key ? `${key}.${k}` : k));
      const allowed = allowedKeys?.(path) ?? [];
      return `onbekende ${keyword} ${keys.map((k) => `"${k}"`).join(", ")}${allowed.length ? ` (verwacht: ${allowed.join(", ")})` : ""}`;
    }
    case "invalid_type":
      if (value === undefined) return `${named0} ontbreekt`;
      return `${named}: moet ${TYPE[issue.expected] ?? issue.expected} zijn`;
    case "too_small":
      if (issue.origin === "array") return `${named}: moet minstens ${issue.minimum} element(en) hebben`;
      if (issue.origin === "string") return `${named}: mag niet leeg zijn`;
      return `${named}: moet ${issue.inclusive ? "≥" : ">"} ${issue.minimum} zijn`;
    case "too_big":
      if (issue.origin === "array") return `${named}: mag hoogstens ${issue.maximum} element(en) hebben`;
      if (issue.origin === "string") return `${named}: is te lang (hoogstens ${issue.maximum} tekens)`;
      return `${named}: moet ${issue.inclusive ? "≤" : "<"} ${issue.maximum} zijn`;
    case "invalid_value":
      return `${named}: moet een van ${issue.values.map((v) => show(v)).join(", ")} zijn`;
    default:
      return `${named}: ${issue.message}`;
  }
}

/** Shape keys of a (nested) strict object schema at a path, for "verwacht: …" lists. */
export function shapeKeysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  let s: unknown = schema;
  for (const k of path) {
    const shape = (s as { shape?: Record<string, unknown> }).shape;
    s = shape?.[k as string];
    while (s && typeof s === "object" && "unwrap" in s && typeof (s as { unwrap: unknown }).unwrap === "function") {
      s = (s as { unwrap: () => unknown }).unwrap();
    }
  }
  const shape = (s as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Keys that could reach an object's prototype are refused anywhere in user JSON. */
export function rejectPrototypeKeys(v: unknown, where: string, path = ""): void {
  if (Array.isArray(v)) v.forEach((x, i) => rejectPrototypeKeys(x, where, `${path}[${i}]`));
  else if (v !== null && typeof v === "object") {
    for (const k of Object.keys(v)) {
      const at = path ? `${path}.${k}` : k;
      if (PROTOTYPE_KEYS.has(k)) throw new UserError(`${where}: sleutel "${at}" is niet toegestaan`);
      rejectPrototypeKeys((v as Record<string, unknown>)[k], where, at);
    }
  }
}
