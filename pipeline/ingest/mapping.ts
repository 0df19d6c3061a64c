/**
 * Source mappings (docs/source-mapping.md): how the four extracts arrive on disk and how
 * their columns and codes map onto the canonical contract (pipeline/contract.ts).
 */
import { z } from "zod";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../../core/errors.ts";
import { describeIssue, rejectPrototypeKeys, shapeKeysAt } from "../../core/validation.ts";
import { readJsonFile } from "../json-file.ts";
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

/** Free text for people (`toelichting`, `omschrijving`): ignored by the tool. */
const note = z.string().max(10_000).optional();
const noLineBreak = (s: string) => !/[\r\n\u0000]/.test(s);

/** The declared schema of one extract's mapping (docs/source-mapping.md); defaults are the canonical form. */
const ExtractMappingSchema = z.strictObject({
  bestand: z
    .string()
    .min(1)
    .max(255)
    .refine(noLineBreak, { error: "mag geen regeleinde of NUL-teken bevatten" })
    .refine((b) => !/(^|[\\/])\.\.([\\/]|$)/.test(b) && !/^([\\/]|[A-Za-z]:)/.test(b), { error: "mag niet buiten de extractenmap wijzen" }),
  formaat: z.enum(["csv", "parquet"]).default("csv"),
  scheidingsteken: z
    .string()
    .default(",")
    .refine((d) => d.length === 1 && !/[\r\n"\u0000]/.test(d), { error: "moet één teken zijn, geen aanhalingsteken of regeleinde" }),
  aanhalingsteken: z
    .string()
    .default('"')
    .refine((d) => d.length === 1 && noLineBreak(d), { error: "moet één teken zijn, geen regeleinde" }),
  codering: z
    .string()
    .default("utf-8")
    .refine((c) => Object.hasOwn(ENCODINGS, c.toLowerCase()), {
      error: `onbekende codering (verwacht: ${[...new Set(Object.keys(ENCODINGS))].join(", ")})`,
    })
    .transform((c) => ENCODINGS[c.toLowerCase()]!),
  koptekst: z.boolean().default(true),
  kolomvolgorde: z
    .array(z.string().min(1).max(200).refine(noLineBreak, { error: "mag geen regeleinde bevatten" }))
    .min(1)
    .optional(),
  spatiesVerwijderen: z.boolean().default(false),
  datumformaat: z
    .string()
    .default("%Y-%m-%d")
    .refine((f) => /%[dmYyjbB]/.test(f) && /^[%A-Za-z0-9 ./:_-]{2,40}$/.test(f), {
      error: "is geen strptime-datumformaat (bijv. %Y-%m-%d of %d-%m-%Y)",
    }),
  decimaalteken: z.enum([".", ","]).default("."),
  kolommen: z.record(z.string(), z.string().min(1).max(200).refine(noLineBreak, { error: "mag geen regeleinde bevatten" })),
  codes: z.record(z.string(), z.record(z.string(), z.string().max(200))).default({}),
  onbekendeCode: z.record(z.string(), z.string()).default({}),
  toelichting: note,
  omschrijving: note,
});

/** The declared schema of a source mapping. */
export const MappingSchema = z
  .strictObject({
    naam: z.string().min(1).max(100).default("naamloos"),
    extracts: z.strictObject(
      Object.fromEntries(EXTRACT_NAMES.map((n) => [n, ExtractMappingSchema])) as Record<ExtractName, typeof ExtractMappingSchema>,
    ),
    toelichting: note,
    omschrijving: note,
  })
  .superRefine((m, ctx) => {
    for (const name of EXTRACT_NAMES) {
      const e = m.extracts[name];
      const at = (...path: string[]) => ["extracts", name, ...path];
      const spec = EXTRACTS[name];
      const cols = spec.map((c) => c.name as string);
      const fail = (path: string[], message: string) => ctx.addIssue({ code: "custom", path: at(...path), message });
      if (e.aanhalingsteken === e.scheidingsteken) fail(["aanhalingsteken"], "is gelijk aan het scheidingsteken");
      if (e.formaat === "csv" && e.decimaalteken === e.scheidingsteken) fail(["decimaalteken"], "is gelijk aan het scheidingsteken");
      if (!e.koptekst && !e.kolomvolgorde && e.formaat === "csv") fail(["kolomvolgorde"], "is verplicht wanneer koptekst false is");
      for (const k of Object.keys(e.kolommen)) {
        if (!cols.includes(k)) fail(["kolommen", k], `onbekende contractkolom (verwacht: ${cols.join(", ")})`);
      }
      const missing = cols.filter((c) => !Object.hasOwn(e.kolommen, c));
      if (missing.length) fail(["kolommen"], `contractkolom(men) niet gemapt: ${missing.join(", ")}`);
      const seen = new Map<string, string>();
      for (const [k, v] of Object.entries(e.kolommen)) {
        const key = v.toLowerCase();
        if (seen.has(key)) fail(["kolommen", k], `bronkolom "${v}" is ook al gemapt op ${seen.get(key)}`);
        seen.set(key, k);
      }
      for (const [c, table] of Object.entries(e.codes)) {
        const cs = spec.find((x) => x.name === c);
        if (!cs) {
          fail(["codes", c], `onbekende contractkolom (verwacht: ${cols.join(", ")})`);
          continue;
        }
        for (const [from, to] of Object.entries(table)) {
          if (cs.values && to !== "" && !cs.values.includes(to))
            fail(["codes", c, from], `is geen toegestane waarde (${cs.values.join(", ")})`);
        }
      }
      for (const [c, v] of Object.entries(e.onbekendeCode)) {
        const cs = spec.find((x) => x.name === c);
        if (!cs) fail(["onbekendeCode", c], `onbekende contractkolom (verwacht: ${cols.join(", ")})`);
        else if (!cs.values) fail(["onbekendeCode", c], "kan alleen voor een codekolom (enum)");
        else if (!cs.values.includes(v)) fail(["onbekendeCode", c], `moet een toegestane waarde zijn (${cs.values.join(", ")})`);
      }
    }
  });

/** Read and validate a mapping file. */
export function loadMappingFile(path: string): SourceMapping {
  return validateMapping(readJsonFile(path, "mappingbestand"), path);
}

/** Validate a parsed mapping against MappingSchema; every problem names `where`, the key, the value and what is allowed. */
export function validateMapping(raw: unknown, where: string): SourceMapping {
  rejectPrototypeKeys(raw, where);
  const r = MappingSchema.safeParse(raw);
  if (!r.success) {
    throw new UserError(`${where}: ${describeIssue(r.error.issues[0]!, raw, "sleutel", (p) => shapeKeysAt(MappingSchema, p))}`);
  }
  const { naam, extracts } = r.data;
  const out = {} as Record<ExtractName, ExtractMapping>;
  for (const name of EXTRACT_NAMES) {
    const { toelichting: _t, omschrijving: _o, ...e } = extracts[name];
    out[name] = e;
  }
  return { naam, bron: where, extracts: out };
}

/** The mapping as recorded in the manifest (plain JSON, normalised). */
export function mappingForManifest(m: SourceMapping): object {
  return { naam: m.naam, bron: m.bron, extracts: m.extracts };
}
