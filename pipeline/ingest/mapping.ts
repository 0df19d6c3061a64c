/**
 * Source mappings (docs/source-mapping.md): how the four extracts arrive on disk and how
 * their columns and codes map onto the canonical contract (pipeline/contract.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../../cli/errors.ts";
import { EXTRACTS, EXTRACT_NAMES, type ExtractName } from "../contract.ts";

export type Encoding = "utf-8" | "windows-1252" | "latin-1" | "utf-16le" | "utf-16be";
export type FileFormat = "csv" | "parquet";

export interface ExtractMapping {
  /** file name or glob (`*`, `?`), relative to the extracts folder */
  bestand: string;
  formaat: FileFormat;
  scheidingsteken: string;
  aanhalingsteken: string;
  codering: Encoding;
  /** the file has a header line; when false, `kolomvolgorde` names the columns in file order */
  koptekst: boolean;
  kolomvolgorde?: string[];
  /** strip spaces around every value before parsing (costs time; off by default) */
  spatiesVerwijderen: boolean;
  /** DuckDB strptime format of date columns */
  datumformaat: string;
  decimaalteken: "." | ",";
  /** contract column -> source column */
  kolommen: Record<string, string>;
  /** contract column -> (source code -> contract value) */
  codes: Record<string, Record<string, string>>;
  /**
   * contract column -> contract value used for codes that are not allowed (soft: counted in
   * `kwaliteit` instead of rejecting the row)
   */
  onbekendeCode: Record<string, string>;
}

export interface SourceMapping {
  naam: string;
  /** where the mapping came from (file path or "<config>:mapping") */
  bron: string;
  extracts: Record<ExtractName, ExtractMapping>;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CANONICAL_MAPPING_FILE = join(ROOT, "data", "mappings", "canonical.json");

const EXTRACT_KEYS = [
  "bestand",
  "formaat",
  "scheidingsteken",
  "aanhalingsteken",
  "codering",
  "koptekst",
  "kolomvolgorde",
  "datumformaat",
  "decimaalteken",
  "spatiesVerwijderen",
  "kolommen",
  "codes",
  "onbekendeCode",
  "toelichting",
  "omschrijving",
] as const;
/** `toelichting` / `omschrijving`: free text for people, ignored */
const TOP_KEYS = ["naam", "extracts", "toelichting", "omschrijving"] as const;
const ENCODINGS: Record<string, Encoding> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "windows-1252": "windows-1252",
  cp1252: "windows-1252",
  "latin-1": "latin-1",
  latin1: "latin-1",
  "iso-8859-1": "latin-1",
  "utf-16le": "utf-16le",
  utf16le: "utf-16le",
  "utf-16be": "utf-16be",
  utf16be: "utf-16be",
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Read and validate a mapping file. */
export function loadMappingFile(path: string): SourceMapping {
  if (!existsSync(path)) throw new UserError(`mappingbestand niet gevonden: ${path}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UserError(`${path}: geen geldige JSON (${(e as Error).message})`);
  }
  return validateMapping(raw, path);
}

/** Validate a parsed mapping; every problem names `where` and the offending key. */
export function validateMapping(raw: unknown, where: string): SourceMapping {
  const fail = (key: string, msg: string): never => {
    throw new UserError(`${where}: ${key}: ${msg}`);
  };
  if (!isObject(raw)) throw new UserError(`${where}: de mapping moet een JSON-object zijn`);
  for (const k of Object.keys(raw)) {
    if (!(TOP_KEYS as readonly string[]).includes(k)) fail(k, `onbekende sleutel (verwacht: ${TOP_KEYS.join(", ")})`);
  }
  const naam = raw.naam ?? "naamloos";
  if (typeof naam !== "string") fail("naam", "moet een tekst zijn");
  if (!isObject(raw.extracts)) fail("extracts", "ontbreekt of is geen object");
  const exs = raw.extracts as Record<string, unknown>;
  for (const k of Object.keys(exs)) {
    if (!(EXTRACT_NAMES as string[]).includes(k)) fail(`extracts.${k}`, `onbekend extract (verwacht: ${EXTRACT_NAMES.join(", ")})`);
  }
  const extracts = {} as Record<ExtractName, ExtractMapping>;
  for (const name of EXTRACT_NAMES) {
    const p = `extracts.${name}`;
    const e = exs[name];
    if (e === undefined) fail(p, "ontbreekt");
    if (!isObject(e)) fail(p, "moet een object zijn");
    const m = e as Record<string, unknown>;
    for (const k of Object.keys(m)) {
      if (!(EXTRACT_KEYS as readonly string[]).includes(k)) fail(`${p}.${k}`, `onbekende sleutel (verwacht: ${EXTRACT_KEYS.join(", ")})`);
    }
    const str = (k: string, def?: string): string => {
      const v = m[k] ?? def;
      if (typeof v !== "string" || v === "") fail(`${p}.${k}`, def === undefined ? "ontbreekt of is geen tekst" : "moet een niet-lege tekst zijn");
      return v as string;
    };
    const bestand = str("bestand");
    if (/(^|[\\/])\.\.([\\/]|$)/.test(bestand)) fail(`${p}.bestand`, "mag niet buiten de extractenmap wijzen");
    const formaat = str("formaat", "csv");
    if (formaat !== "csv" && formaat !== "parquet") fail(`${p}.formaat`, `"${formaat}" wordt niet ondersteund (csv, parquet)`);
    const scheidingsteken = str("scheidingsteken", ",");
    if (scheidingsteken.length !== 1 || /[\r\n"]/.test(scheidingsteken)) {
      fail(`${p}.scheidingsteken`, `ongeldig scheidingsteken ${JSON.stringify(scheidingsteken)} (één teken, geen aanhalingsteken of regeleinde)`);
    }
    const aanhalingsteken = str("aanhalingsteken", '"');
    if (aanhalingsteken.length !== 1 || aanhalingsteken === scheidingsteken || /[\r\n]/.test(aanhalingsteken)) {
      fail(`${p}.aanhalingsteken`, `ongeldig aanhalingsteken ${JSON.stringify(aanhalingsteken)}`);
    }
    const coderingRaw = str("codering", "utf-8");
    const codering = ENCODINGS[coderingRaw.toLowerCase()];
    if (!codering) fail(`${p}.codering`, `onbekende codering "${coderingRaw}" (verwacht: utf-8, windows-1252, latin-1)`);
    const koptekst = m.koptekst ?? true;
    if (typeof koptekst !== "boolean") fail(`${p}.koptekst`, "moet true of false zijn");
    let kolomvolgorde: string[] | undefined;
    if (m.kolomvolgorde !== undefined) {
      if (!Array.isArray(m.kolomvolgorde) || m.kolomvolgorde.some((x) => typeof x !== "string" || x === "")) {
        fail(`${p}.kolomvolgorde`, "moet een lijst kolomnamen zijn");
      }
      kolomvolgorde = m.kolomvolgorde as string[];
    }
    if (!koptekst && !kolomvolgorde && formaat === "csv") fail(`${p}.kolomvolgorde`, "is verplicht wanneer koptekst false is");
    const spatiesVerwijderen = m.spatiesVerwijderen ?? false;
    if (typeof spatiesVerwijderen !== "boolean") fail(`${p}.spatiesVerwijderen`, "moet true of false zijn");
    const datumformaat = str("datumformaat", "%Y-%m-%d");
    if (!/%[dmYyjbB]/.test(datumformaat)) fail(`${p}.datumformaat`, `"${datumformaat}" is geen strptime-formaat (bijv. %Y-%m-%d of %d-%m-%Y)`);
    const decimaalteken = str("decimaalteken", ".");
    if (decimaalteken !== "." && decimaalteken !== ",") fail(`${p}.decimaalteken`, `moet "." of "," zijn, niet ${JSON.stringify(decimaalteken)}`);
    if (formaat === "csv" && decimaalteken === scheidingsteken) fail(`${p}.decimaalteken`, "is gelijk aan het scheidingsteken");

    const spec = EXTRACTS[name];
    const cols = spec.map((c) => c.name as string);
    if (!isObject(m.kolommen)) fail(`${p}.kolommen`, "ontbreekt of is geen object");
    const kolommen = m.kolommen as Record<string, unknown>;
    for (const [k, v] of Object.entries(kolommen)) {
      if (!cols.includes(k)) fail(`${p}.kolommen.${k}`, `onbekende contractkolom (verwacht: ${cols.join(", ")})`);
      if (typeof v !== "string" || v === "") fail(`${p}.kolommen.${k}`, "moet een bronkolomnaam zijn");
    }
    const missing = cols.filter((c) => !(c in kolommen));
    if (missing.length) fail(`${p}.kolommen`, `contractkolom(men) niet gemapt: ${missing.join(", ")}`);
    const seen = new Map<string, string>();
    for (const [k, v] of Object.entries(kolommen as Record<string, string>)) {
      const key = v.toLowerCase();
      if (seen.has(key)) fail(`${p}.kolommen.${k}`, `bronkolom "${v}" is ook al gemapt op ${seen.get(key)}`);
      seen.set(key, k);
    }
    const codeMap = (key: string): Record<string, Record<string, string>> => {
      const v = m[key] ?? {};
      if (!isObject(v)) fail(`${p}.${key}`, "moet een object zijn");
      const out: Record<string, Record<string, string>> = {};
      for (const [c, table] of Object.entries(v as Record<string, unknown>)) {
        const cs = spec.find((x) => x.name === c);
        if (!cs) fail(`${p}.${key}.${c}`, `onbekende contractkolom (verwacht: ${cols.join(", ")})`);
        if (!isObject(table)) fail(`${p}.${key}.${c}`, "moet een object zijn (broncode -> contractwaarde)");
        out[c] = {};
        for (const [from, to] of Object.entries(table as Record<string, unknown>)) {
          if (typeof to !== "string") fail(`${p}.${key}.${c}.${from}`, "moet een tekst zijn");
          if (cs!.values && to !== "" && !cs!.values.includes(to as string)) {
            fail(`${p}.${key}.${c}.${from}`, `"${to}" is geen toegestane waarde (${cs!.values.join(", ")})`);
          }
          out[c][from] = to as string;
        }
      }
      return out;
    };
    const codes = codeMap("codes");
    const onbekendRaw = m.onbekendeCode ?? {};
    if (!isObject(onbekendRaw)) fail(`${p}.onbekendeCode`, "moet een object zijn");
    const onbekendeCode: Record<string, string> = {};
    for (const [c, v] of Object.entries(onbekendRaw as Record<string, unknown>)) {
      const cs = spec.find((x) => x.name === c);
      if (!cs) fail(`${p}.onbekendeCode.${c}`, `onbekende contractkolom (verwacht: ${cols.join(", ")})`);
      if (!cs!.values) fail(`${p}.onbekendeCode.${c}`, "kan alleen voor een codekolom (enum)");
      if (typeof v !== "string" || !cs!.values!.includes(v)) fail(`${p}.onbekendeCode.${c}`, `moet een toegestane waarde zijn (${cs!.values!.join(", ")})`);
      onbekendeCode[c] = v as string;
    }
    extracts[name] = {
      bestand,
      formaat: formaat as FileFormat,
      scheidingsteken,
      aanhalingsteken,
      codering: codering!,
      koptekst: koptekst as boolean,
      kolomvolgorde,
      spatiesVerwijderen: spatiesVerwijderen as boolean,
      datumformaat,
      decimaalteken: decimaalteken as "." | ",",
      kolommen: kolommen as Record<string, string>,
      codes,
      onbekendeCode,
    };
  }
  return { naam: naam as string, bron: where, extracts };
}

/** The mapping as recorded in the manifest (plain JSON, normalised). */
export function mappingForManifest(m: SourceMapping): object {
  return { naam: m.naam, bron: m.bron, extracts: m.extracts };
}
