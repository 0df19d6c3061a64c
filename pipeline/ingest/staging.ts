/**
 * Step 2 of the ingest: the casting rules. The one home for how a source string becomes a
 * typed contract value (code mapping, empty -> NULL, dates with the mapping's format, decimals
 * with its separator, allowed codes) and for why a row is rejected. Generated from the
 * contract (pipeline/contract.ts) and the source mapping; the SQL run is written to
 * `<out>/staging.sql` for inspection.
 */
import { EXTRACTS, type ColumnSpec, type ExtractName } from "../contract.ts";
import type { ExtractMapping } from "./mapping.ts";
import { ident, q, rawWithLines, type RawFile } from "./read.ts";

export const REDEN = {
  leeg: "leeg verplicht veld",
  datum: (fmt: string) => `ongeldige datum (verwacht formaat ${fmt})`,
  getal: (sep: string) => `ongeldig getal (decimaalteken "${sep}")`,
  geheel: "ongeldig geheel getal",
  code: (values: readonly string[]) => `onbekende code (toegestaan: ${values.join(", ")})`,
};

interface ColumnSql {
  name: string;
  /** normalised source text: trimmed, code-mapped, NULL when empty */
  norm: string;
  /** typed value (NULL when empty or invalid) */
  typed: string;
  /** reject reason (NULL when fine); may refer to the norm and typed columns by name */
  reason: string;
}

const n = (c: string) => ident(`n_${c}`);
const t = (c: string) => ident(`t_${c}`);

/**
 * Date parsing. The two common formats get a fast path (a plain DATE cast of an ISO string,
 * guarded on its shape, is 2-3x faster than strptime); others use try_strptime.
 */
export function dateSql(v: string, fmt: string): string {
  const at = (pos: number) => `substr(${v}, ${pos}, 1) = '-'`;
  if (fmt === "%Y-%m-%d") return `CASE WHEN length(${v}) = 10 AND ${at(5)} AND ${at(8)} THEN TRY_CAST(${v} AS DATE) END`;
  if (fmt === "%d-%m-%Y") {
    return `CASE WHEN length(${v}) = 10 AND ${at(3)} AND ${at(6)} THEN TRY_CAST(substr(${v}, 7, 4) || '-' || substr(${v}, 4, 2) || '-' || substr(${v}, 1, 2) AS DATE) END`;
  }
  return `CAST(try_strptime(${v}, ${q(fmt)}) AS DATE)`;
}

function columnSql(c: ColumnSpec, m: ExtractMapping): ColumnSql {
  const src = m.spatiesVerwijderen ? `trim(${ident(c.name)})` : ident(c.name);
  const codes = m.codes[c.name];
  let norm = `nullif(${src}, '')`;
  if (codes && Object.keys(codes).length) {
    const whens = Object.entries(codes)
      .map(([from, to]) => `WHEN ${q(from)} THEN ${q(to)}`)
      .join(" ");
    norm = `nullif(CASE coalesce(${src}, '') ${whens} ELSE coalesce(${src}, '') END, '')`;
  }
  const v = n(c.name);
  let typed: string;
  let invalid: string | null;
  switch (c.type) {
    case "date":
      typed = dateSql(v, m.datumformaat);
      invalid = q(REDEN.datum(m.datumformaat));
      break;
    case "decimal": {
      const num =
        m.decimaalteken === ","
          ? `CASE WHEN contains(${v}, '.') THEN NULL ELSE TRY_CAST(replace(${v}, ',', '.') AS DOUBLE) END`
          : `CASE WHEN contains(${v}, ',') THEN NULL ELSE TRY_CAST(${v} AS DOUBLE) END`;
      typed = `CASE WHEN isfinite(${num}) THEN ${num} END`;
      invalid = q(REDEN.getal(m.decimaalteken));
      break;
    }
    case "int":
      typed = `CASE WHEN regexp_full_match(${v}, '[+-]?[0-9]+') THEN TRY_CAST(${v} AS INTEGER) END`;
      invalid = q(REDEN.geheel);
      break;
    case "enum": {
      const list = c.values!.map(q).join(", ");
      const fallback = m.onbekendeCode[c.name];
      typed = fallback
        ? `CASE WHEN ${v} IN (${list}) THEN ${v} WHEN ${v} IS NOT NULL THEN ${q(fallback)} END`
        : `CASE WHEN ${v} IN (${list}) THEN ${v} END`;
      invalid = q(REDEN.code(c.values!));
      break;
    }
    default:
      typed = v;
      invalid = null;
  }
  const reason = [
    c.required ? `WHEN ${v} IS NULL THEN ${q(REDEN.leeg)}` : "",
    invalid ? `WHEN ${v} IS NOT NULL AND ${t(c.name)} IS NULL THEN ${invalid}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return { name: c.name, norm, typed, reason: reason ? `CASE ${reason} END` : "NULL" };
}

/** The three nested SELECTs: raw (with lines) -> normalised -> typed + reasons. */
function parsedQuery(extract: ExtractName, files: RawFile[], m: ExtractMapping): string {
  const cols = EXTRACTS[extract].map((c) => columnSql(c, m));
  const raw = files.map(rawWithLines).join("\nUNION ALL\n");
  const normSel = cols.map((c) => `${c.norm} AS ${n(c.name)}, ${ident(c.name)} AS ${ident(`w_${c.name}`)}`).join(",\n    ");
  const typedSel = cols.map((c) => `${c.typed} AS ${t(c.name)}`).join(",\n    ");
  const reasonSel = cols.map((c) => `${c.reason} AS ${ident(`r_${c.name}`)}`).join(",\n    ");
  return `SELECT *, ${reasonSel}
  FROM (SELECT *, ${typedSel}
    FROM (SELECT bron_bestand, bron_regel, ${normSel}
      FROM (${raw})))`;
}

export interface StagingSql {
  /** creates the view prs_<extract> and the table stg_<extract> */
  create: string;
  /** appends the value rejects to `rejects` (only needed when rows were rejected) */
  rejects: string;
  drop: string;
}

/** SQL that creates `stg_<extract>` and (separately) appends its value rejects to `rejects`. */
export function stagingSql(extract: ExtractName, files: RawFile[], m: ExtractMapping): StagingSql {
  const specs = EXTRACTS[extract];
  const ok = specs.map((c) => `${ident(`r_${c.name}`)} IS NULL`).join(" AND ");
  const out = specs.map((c) => `CAST(${t(c.name)} AS ${c.sql}) AS ${ident(c.name)}`).join(",\n  ");
  const parsed = parsedQuery(extract, files, m);
  const structs = specs
    .map(
      (c, i) =>
        `{'pos': ${i}, 'kolom': ${q(c.name)}, 'waarde': ${ident(`w_${c.name}`)}, 'reden': ${ident(`r_${c.name}`)}}`,
    )
    .join(",\n      ");
  return {
    create: `-- staging for ${extract} (generated from pipeline/contract.ts and the source mapping)
CREATE OR REPLACE TEMP VIEW prs_${extract} AS
${parsed};

CREATE OR REPLACE TABLE stg_${extract} AS
SELECT
  ${out},
  bron_bestand,
  bron_regel
FROM prs_${extract}
WHERE ${ok};
`,
    rejects: `INSERT INTO rejects
SELECT bron_bestand, bron_regel, f.kolom, f.waarde, f.reden
FROM (
  SELECT bron_bestand, bron_regel, unnest(list_filter([
      ${structs}
    ], x -> x.reden IS NOT NULL)) AS f
  FROM prs_${extract}
  WHERE NOT (${ok})
)
ORDER BY bron_bestand, bron_regel, f.pos;
`,
    drop: `DROP VIEW prs_${extract};\n`,
  };
}

/** Count of soft-replaced unknown codes per column (mapping `onbekendeCode`). */
export function unknownCodeSql(extract: ExtractName, files: RawFile[], m: ExtractMapping): string | null {
  const specs = EXTRACTS[extract].filter((c) => m.onbekendeCode[c.name]);
  if (!specs.length) return null;
  const cols = EXTRACTS[extract].map((c) => columnSql(c, m));
  const parts = specs.map((c) => {
    const cs = cols.find((x) => x.name === c.name)!;
    return `count(*) FILTER (WHERE ${cs.norm} IS NOT NULL AND ${cs.norm} NOT IN (${c.values!.map(q).join(", ")})) AS ${ident(c.name)}`;
  });
  const raw = files.map((f) => `SELECT * FROM ${f.table}`).join(" UNION ALL ");
  return `SELECT ${parts.join(", ")} FROM (${raw})`;
}
