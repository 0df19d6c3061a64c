/**
 * Output dialects of the generator. `canonical` is the contract of pipeline/contract.ts as-is;
 * `uwv` is derived from the source-mapping file data/mappings/uwv.json (one home: the ingest
 * reads the same file to map the export back onto the contract).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UserError } from "../../core/errors.ts";
import { EXTRACTS, EXTRACT_NAMES, canonicalFile, type ColumnSpec, type ExtractName } from "../../pipeline/contract.ts";

export type DialectName = "canonical" | "uwv";
export const DIALECTS: readonly DialectName[] = ["canonical", "uwv"];

export const UWV_MAPPING_PATH = fileURLToPath(new URL("../mappings/uwv.json", import.meta.url));

export type Encoding = "utf-8" | "windows-1252";

export interface ExtractDialect {
  file: string;
  delimiter: string;
  encoding: Encoding;
  header: string[];
  /** Turn one row of canonical values (ISO dates, "." decimals, contract codes) into a line. */
  formatRow(values: readonly string[]): string;
}

export type Dialect = Record<ExtractName, ExtractDialect>;

interface MappingExtract {
  bestand: string;
  formaat: string;
  scheidingsteken: string;
  codering: string;
  datumformaat: string;
  decimaalteken: string;
  kolommen: Record<string, string>;
  codes?: Record<string, Record<string, string>>;
}

export interface SourceMapping {
  naam: string;
  extracts: Record<ExtractName, MappingExtract>;
}

export function loadUwvMapping(path = UWV_MAPPING_PATH): SourceMapping {
  return JSON.parse(readFileSync(path, "utf8")) as SourceMapping;
}

export function buildDialect(name: string): Dialect {
  if (name === "canonical") return canonicalDialect();
  if (name === "uwv") return mappingDialect(loadUwvMapping());
  throw new UserError(`onbekend dialect "${name}" (verwacht: ${DIALECTS.join(", ")})`);
}

function canonicalDialect(): Dialect {
  const out = {} as Dialect;
  for (const name of EXTRACT_NAMES) {
    out[name] = {
      file: canonicalFile(name),
      delimiter: ",",
      encoding: "utf-8",
      header: EXTRACTS[name].map((c) => c.name),
      formatRow: (values) => values.join(","),
    };
  }
  return out;
}

/** A date formatter from a strptime pattern (%d, %m, %Y and literal characters). */
export function isoToPattern(pattern: string): (iso: string) => string {
  if (pattern === "%Y-%m-%d") return (iso) => iso;
  if (pattern === "%d-%m-%Y") return (iso) => (iso === "" ? "" : `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`);
  const parts = pattern.split(/(%[dmY])/).filter((s) => s !== "");
  for (const part of parts)
    if (part.startsWith("%") && !["%d", "%m", "%Y"].includes(part))
      throw new UserError(`datumformaat ${pattern}: ${part} wordt niet ondersteund`);
  return (iso) => {
    if (iso === "") return "";
    const y = iso.slice(0, 4);
    const m = iso.slice(5, 7);
    const d = iso.slice(8, 10);
    return parts.map((p) => (p === "%Y" ? y : p === "%m" ? m : p === "%d" ? d : p)).join("");
  };
}

function mappingDialect(mapping: SourceMapping): Dialect {
  const out = {} as Dialect;
  for (const name of EXTRACT_NAMES) {
    const m = mapping.extracts[name];
    if (!m) throw new UserError(`mapping ${mapping.naam}: extract "${name}" ontbreekt`);
    if (m.formaat !== "csv") throw new UserError(`mapping ${mapping.naam}: de generator schrijft alleen csv (${name})`);
    const encoding = m.codering === "windows-1252" ? "windows-1252" : m.codering === "utf-8" ? "utf-8" : null;
    if (!encoding) throw new UserError(`mapping ${mapping.naam}: codering ${m.codering} wordt door de generator niet geschreven`);
    const specs: readonly ColumnSpec[] = EXTRACTS[name];
    const header = specs.map((c) => {
      const source = m.kolommen[c.name];
      if (!source) throw new UserError(`mapping ${mapping.naam}: kolom ${name}.${c.name} is niet gemapt`);
      return source;
    });
    const date = isoToPattern(m.datumformaat);
    const converters = specs.map((c): ((v: string) => string) | null => {
      const codes = m.codes?.[c.name];
      if (codes) {
        const inverse = new Map<string, string>();
        for (const [source, value] of Object.entries(codes)) inverse.set(value, source);
        for (const value of c.values ?? []) {
          if (!inverse.has(value)) throw new UserError(`mapping ${mapping.naam}: geen code voor ${name}.${c.name} = ${value}`);
        }
        return (v) => (v === "" ? "" : (inverse.get(v) as string));
      }
      if (c.type === "date") return date;
      if (c.type === "decimal" && m.decimaalteken !== ".") return (v) => v.replace(".", m.decimaalteken);
      return null;
    });
    const delimiter = m.scheidingsteken;
    out[name] = {
      file: m.bestand,
      delimiter,
      encoding,
      header,
      formatRow: (values) => {
        let line = "";
        for (let i = 0; i < values.length; i++) {
          const conv = converters[i];
          if (i > 0) line += delimiter;
          line += conv ? conv(values[i]!) : values[i];
        }
        return line;
      },
    };
  }
  return out;
}
