/**
 * Step 1 of the ingest: describe how DuckDB reads each source file (read_csv / read_parquet,
 * all VARCHAR, renamed to contract columns). No table is materialised here: staging reads the
 * files directly in one pass and numbers the records by their position in the staging table. Structurally bad CSV lines land in
 * DuckDB's reject tables during that pass and are collected afterwards (`collectStructural`).
 */
import { createHash } from "node:crypto";
import { existsSync, lstatSync, openSync, readSync, closeSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../../core/errors.ts";
import { fileChunks } from "../../core/file-chunks.ts";
import { ident, join as joinSql, readAll, run, sql, type Sql } from "../../core/sql.ts";
import { EXTRACTS, type ExtractName } from "../contract.ts";
import type { ExtractMapping } from "./mapping.ts";
import { transcodeToUtf8 } from "./transcode.ts";
import { cutLongRecords, hasLongLine, hashAndCheck, MAX_LINE_BYTES, scanLines, type LineMap, type LongRecord } from "./lines.ts";
import { checkRegularFile, insideFolder, shown, sniffCsv } from "./sniff.ts";

export interface SourceFile {
  extract: ExtractName;
  /** path relative to the extracts folder, as written in bron_bestand and rejects */
  bestand: string;
  path: string;
  size: number;
  sha256: Promise<string>;
  /** whether a text field may hold a NUL byte (CSV: one was seen in the file; Parquet: always checked) */
  nul: Promise<boolean>;
  /**
   * SELECT giving bron_bestand and the contract columns (VARCHAR), in file order. Deliberately
   * unnumbered: `row_number() OVER ()` would serialise the whole read (see staging.ts)
   */
  select: Sql;
  /** the file DuckDB reads (the original, or a transcoded copy in the work folder) */
  readPath: string;
  /** number of header lines before the first record */
  headerLines: number;
  /** DuckDB reject tables of this file's scans (CSV only) */
  rejectTable: string | null;
  rejectScanTable: string | null;
  /** source columns present but not mapped */
  ongebruikteKolommen: string[];
  /** filled by collectStructural: rejected line numbers, sorted */
  structural: number;
  /** table (bestand, t, i) for line-number reconstruction after structural rejects and blank lines, or null */
  shiftTable: string | null;
  /** CSV: blank lines and quoted line breaks (null: DuckDB's line numbers are physical lines) */
  lineMap: Promise<LineMap | null>;
  /** table (bestand, d, extra): physical line = DuckDB line d + extra, or null */
  lineMapTable: string | null;
  /** name stem for this file's helper tables and work files */
  key: string;
  /** records longer than the line limit, cut out before DuckDB reads the file (rejected by collectStructural) */
  tooLong: LongRecord[];
  /** the line limit in bytes */
  maxLineBytes: number;
  /** CSV: the header's column names, the delimiter and the quote character (for messages) */
  csv?: { columns: string[]; delim: string; quote: string };
}

/** Files of an extract: `bestand` is a name or a glob (`*`, `?`) relative to the extracts folder. */
export function resolveFiles(extractsDir: string, extract: ExtractName, m: ExtractMapping): string[] {
  if (!existsSync(extractsDir)) throw new UserError(`extractenmap niet gevonden: ${extractsDir}`);
  if (!statSync(extractsDir).isDirectory()) throw new UserError(`--extracts ${extractsDir} is geen map; geef de map met de extracten`);
  if (!/[*?]/.test(m.bestand)) {
    const p = join(extractsDir, m.bestand);
    if (!existsSync(p) && !isSymlink(p)) {
      throw new UserError(`bestand ontbreekt: ${p} (extract ${extract}; verwacht volgens de mapping: "${m.bestand}")`);
    }
    checkRegularFile(p, m.bestand);
    return [p];
  }
  const dir = join(extractsDir, dirname(m.bestand));
  const pat = new RegExp(
    "^" +
      basename(m.bestand)
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".") +
      "$",
  );
  const found = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => pat.test(f))
        .sort()
    : [];
  if (!found.length) {
    throw new UserError(`bestand ontbreekt: geen bestand in ${extractsDir} past bij "${m.bestand}" (extract ${extract})`);
  }
  const paths = found.map((f) => join(dir, f));
  for (const p of paths) checkRegularFile(p, relative(extractsDir, p).split("\\").join("/"));
  return paths;
}

const isSymlink = (p: string) => {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};

export async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of fileChunks(path)) h.update(chunk);
  return h.digest("hex");
}

/** The first line of a (UTF-8) CSV file, split with the mapping's delimiter and quote. */
export function readHeader(path: string, delim: string, quote: string): string[] {
  const fd = openSync(path, "r");
  const buf = Buffer.alloc(1 << 20);
  let n: number;
  try {
    n = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  let text = buf.subarray(0, n).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const fields: string[] = [];
  let cur = "";
  let inQ = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQ) {
      if (ch === quote && text[i + 1] === quote) {
        cur += quote;
        i++;
      } else if (ch === quote) inQ = false;
      else cur += ch;
    } else if (ch === quote) inQ = true;
    else if (ch === delim) {
      fields.push(cur);
      cur = "";
    } else if (ch === "\n" || ch === "\r") break;
    else cur += ch;
  }
  fields.push(cur);
  return fields.map((f) => f.trim());
}

/**
 * The 0-based field of a CSV line in which a quoted value opens without closing on the line, or
 * null. Fields split on `delim`; a field that starts with `quote` is quoted, with a doubled quote
 * inside it standing for one.
 */
export function openQuoteField(line: string, delim: string, quote: string): number | null {
  let field = 0;
  let i = 0;
  for (;;) {
    if (line.startsWith(quote, i)) {
      i += quote.length;
      for (;;) {
        const q = line.indexOf(quote, i);
        if (q < 0) return field;
        if (line.startsWith(quote, q + quote.length)) {
          i = q + 2 * quote.length;
          continue;
        }
        i = q + quote.length;
        break;
      }
    }
    const d = line.indexOf(delim, i);
    if (d < 0) return null;
    i = d + delim.length;
    field++;
  }
}

const STRUCTURAL_REASON: Record<string, string> = {
  "MISSING COLUMNS": "te weinig kolommen",
  "TOO MANY COLUMNS": "te veel kolommen",
  "UNQUOTED VALUE": "ongeldig gebruik van aanhalingstekens",
  "LINE SIZE OVER MAXIMUM": "regel te lang",
  CAST: "onleesbare waarde",
};

/** Locate the mapped source columns among the found ones (case-insensitive); hard error when missing. */
function locateColumns(
  bestand: string,
  found: string[],
  m: ExtractMapping,
  extract: ExtractName,
  /** may the found names be quoted (false: the file lies outside the extracts folder) */
  quotable = true,
): { idx: number[]; unused: string[] } {
  const lower = found.map((f) => f.toLowerCase());
  const idx: number[] = [];
  const missing: string[] = [];
  for (const c of EXTRACTS[extract]) {
    const src = m.kolommen[c.name]!;
    const i = lower.indexOf(src.toLowerCase());
    if (i < 0) missing.push(src === c.name ? `"${src}"` : `"${src}" (contractkolom ${c.name})`);
    idx.push(i);
  }
  if (missing.length) {
    throw new UserError(
      `${bestand}: verplichte kolom${missing.length > 1 ? "men" : ""} ${missing.join(", ")} ontbreekt; ` +
        (quotable
          ? `gevonden kolommen: ${shown(found)}`
          : `de gevonden kolomnamen worden niet getoond: het bestand is een symlink naar een bestand buiten de extractenmap`),
    );
  }
  // two header columns with the name of one mapped column (case aside): which one holds the data is a guess
  for (const c of EXTRACTS[extract]) {
    const src = m.kolommen[c.name]!.toLowerCase();
    const same = found.filter((f) => f.toLowerCase() === src);
    if (same.length > 1) {
      throw new UserError(
        `${bestand}: de kopregel heeft ${same.length} kolommen met de naam ${quotable ? same.map((f) => `"${f}"`).join(", ") : `van contractkolom ${c.name}`}` +
          ` (hoofdletters tellen niet); baanmonitor kiest er niet een: hernoem of verwijder de overbodige kolom, of wijs de juiste aan in de mapping`,
      );
    }
  }
  const used = new Set(idx);
  return { idx, unused: found.filter((_, i) => !used.has(i)) };
}

/**
 * Prepare one source file: check its columns (hard error when a mapped column is missing),
 * transcode single-byte encodings into the work folder, and build the SELECT that reads it.
 */
export async function prepareFile(
  conn: DuckDBConnection,
  opts: { extract: ExtractName; path: string; extractsDir: string; n: number; m: ExtractMapping; workDir: string; maxLineBytes?: number },
): Promise<SourceFile> {
  const { extract, path, m, n } = opts;
  const maxLineBytes = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const bestand = relative(opts.extractsDir, path).split("\\").join("/");
  const key = `${extract}_${n}`;
  checkRegularFile(path, bestand);
  const size = statSync(path).size;
  const cols = EXTRACTS[extract];
  const quotable = insideFolder(path, opts.extractsDir);
  const base = {
    extract,
    bestand,
    path,
    size,
    structural: 0,
    shiftTable: null,
    lineMapTable: null,
    key,
    lineMap: Promise.resolve(null),
    tooLong: [],
    maxLineBytes,
  };

  if (m.formaat === "parquet") {
    let described: Record<string, unknown>[];
    try {
      described = (await readAll(conn, sql`DESCRIBE SELECT * FROM read_parquet(${path})`)).getRowObjectsJson();
    } catch (e) {
      throw new UserError(`${bestand}: geen leesbaar Parquet-bestand (${(e as Error).message.split("\n")[0]})`);
    }
    const found = described.map((r) => String(r.column_name));
    const types = described.map((r) => String(r.column_type));
    const { idx, unused } = locateColumns(bestand, found, m, extract, quotable);
    // typed Parquet columns are rendered as the strings the mapping expects, so one set of parse rules applies
    const sel = cols.map((c, j) => {
      const src = ident(found[idx[j]!]!);
      const t = types[idx[j]!]!;
      let e = sql`CAST(${src} AS VARCHAR)`;
      if (/^(DATE|TIMESTAMP)/.test(t)) e = sql`strftime(${src}, ${m.datumformaat})`;
      else if (/^(DOUBLE|FLOAT|DECIMAL|REAL)/.test(t) && m.decimaalteken === ",") e = sql`replace(CAST(${src} AS VARCHAR), '.', ',')`;
      return sql`${e} AS ${ident(c.name)}`;
    });
    return {
      ...base,
      sha256: sha256File(path),
      nul: Promise.resolve(true),
      select: sql`SELECT ${bestand} AS bron_bestand, ${joinSql(sel)} FROM read_parquet(${path})`,
      readPath: path,
      headerLines: 0,
      rejectTable: null,
      rejectScanTable: null,
      ongebruikteKolommen: unused,
    };
  }

  if (size === 0) throw new UserError(`${bestand}: bestand is leeg (verwacht ten minste een kopregel met kolomnamen)`);
  // UTF-16 under another encoding, compressed or binary files: a clear message, never their bytes
  sniffCsv(path, bestand, m.codering);
  // CSV: transcode single-byte encodings and UTF-16 first (streaming, into the work folder)
  let readPath = path;
  if (m.codering !== "utf-8") {
    readPath = join(opts.workDir, `${key}.utf8.csv`);
    await transcodeToUtf8(path, readPath, m.codering);
  }
  // records too long for DuckDB's reader are cut out here and rejected by collectStructural
  let tooLong: LongRecord[] = [];
  if (await hasLongLine(readPath, maxLineBytes)) {
    const cut = join(opts.workDir, `${key}.kort.csv`);
    tooLong = await cutLongRecords(readPath, cut, maxLineBytes, m.aanhalingsteken);
    if (tooLong.length) {
      if (m.koptekst && tooLong[0]!.regel === 1) {
        throw new UserError(
          `${bestand}, regel 1: kopregel te lang (${tooLong[0]!.bytes} bytes, meer dan ${maxLineBytes}); is dit een CSV-bestand?`,
        );
      }
      readPath = cut;
    }
  }
  // one read for the hash and the cheap check whether line numbers need a map (runs beside DuckDB)
  const checked = hashAndCheck(path, readPath, m.aanhalingsteken);
  const sha = checked.then((c) => c.sha256);
  const nul = checked.then((c) => c.nul);
  nul.catch(() => {});
  const lineMap = checked.then((c) => (c.needsMap ? scanLines(readPath, m.aanhalingsteken) : null));
  // awaited later; on an earlier hard error nobody awaits them
  sha.catch(() => {});
  lineMap.catch(() => {});

  const found = m.koptekst ? readHeader(readPath, m.scheidingsteken, m.aanhalingsteken) : m.kolomvolgorde!;
  const { idx, unused } = locateColumns(bestand, found, m, extract, quotable);
  const columns = joinSql(found.map((_, i) => sql`${"c" + i}: 'VARCHAR'`));
  const rejectTable = `rej_${key}`;
  const rejectScanTable = `rejscan_${key}`;
  const sel = joinSql(cols.map((c, j) => sql`${ident("c" + idx[j])} AS ${ident(c.name)}`));
  const select = sql`SELECT ${bestand} AS bron_bestand, ${sel} FROM read_csv(${readPath},
      delim = ${m.scheidingsteken}, quote = ${m.aanhalingsteken}, escape = ${m.aanhalingsteken},
      header = ${m.koptekst}, auto_detect = false, columns = {${columns}}, strict_mode = true,
      store_rejects = true, rejects_table = ${rejectTable}, rejects_scan = ${rejectScanTable}, rejects_limit = 0,
      max_line_size = ${Math.max(2_000_000, 2 * maxLineBytes)})`;
  return {
    ...base,
    sha256: sha,
    nul,
    select,
    readPath,
    headerLines: m.koptekst ? 1 : 0,
    rejectTable,
    rejectScanTable,
    ongebruikteKolommen: unused,
    lineMap,
    tooLong,
    csv: { columns: found, delim: m.scheidingsteken, quote: m.aanhalingsteken },
  };
}

/**
 * After the staging pass: stop on invalid UTF-8, copy structural rejects into `rejects` (with
 * physical line numbers), and build the tables that turn record numbers into physical lines:
 * the shift table (rejected and blank lines, which are not rows) and the line map (quoted line
 * breaks). Drops DuckDB's reject tables.
 */
export async function collectStructural(conn: DuckDBConnection, f: SourceFile, workDir: string): Promise<void> {
  if (!f.rejectTable) return;
  const rejT = ident(f.rejectTable);
  const map = await f.lineMap;
  if (map?.extra.length) {
    f.lineMapTable = `linemap_${f.key}`;
    await run(
      conn,
      sql`CREATE OR REPLACE TEMP TABLE ${ident(f.lineMapTable)} AS
      SELECT ${f.bestand} AS bestand, x[1] AS d, x[2] AS extra FROM (SELECT unnest(${listLiteral(map.extra, workDir, `${f.key}.extra`)}) AS x)`,
    );
  }
  /** physical line of DuckDB line `line` of the reject table alias `e` (joins the line map as `lm`) */
  const pr = f.lineMapTable
    ? { join: sql`ASOF LEFT JOIN ${ident(f.lineMapTable)} lm ON e.line >= lm.d`, expr: sql`e.line + coalesce(lm.extra, 0)` }
    : { join: sql``, expr: sql`e.line` };
  const exists = Number(
    (await readAll(conn, sql`SELECT count(*) FROM duckdb_tables() WHERE table_name = ${f.rejectTable}`)).getRows()[0]![0],
  );
  let skipped = sql`SELECT unnest(${listLiteral(map?.blanks ?? [], workDir, `${f.key}.blanks`)}) AS line`;
  if (exists) {
    const enc = (
      await readAll(conn, sql`SELECT min(${pr.expr}) FROM ${rejT} e ${pr.join} WHERE error_type IN ('INVALID ENCODING', 'INVALID UNICODE')`)
    ).getRows()[0]![0];
    if (enc !== null) {
      throw new UserError(
        `${f.bestand}, regel ${enc}: ongeldige UTF-8 (is het bestand Windows-1252? zet dan "codering": "windows-1252" in de mapping)`,
      );
    }
    // an opening quote that is never closed makes DuckDB read the lines after it as one value,
    // up to the next quote character or the end of the file: those lines would be neither loaded
    // nor rejected one by one, so the run stops and names the line
    const [open, openLine] = (
      await readAll(
        conn,
        sql`SELECT min(${pr.expr}), arg_min(csv_line, ${pr.expr}) FROM ${rejT} e ${pr.join}
            WHERE error_type = 'UNQUOTED VALUE' AND regexp_matches(rtrim(csv_line, E'\r\n'), '[\r\n]')`,
      )
    ).getRows()[0]!;
    if (open !== null) {
      const field = f.csv ? openQuoteField(String(openLine).split(/\r\n|\r|\n/)[0]!, f.csv.delim, f.csv.quote) : null;
      const kolom = field === null ? "" : `, kolom ${f.csv!.columns[field] !== undefined ? `"${f.csv!.columns[field]}"` : field + 1}`;
      throw new UserError(
        `${f.bestand}, regel ${open}${kolom}: aanhalingsteken ${f.csv?.quote ?? '"'} zonder sluitend aanhalingsteken op die regel; ` +
          "de regels erna zouden als één waarde gelezen worden en verloren gaan. Sluit het aanhalingsteken, verdubbel het, of verwijder het",
      );
    }
    const cases = joinSql(
      Object.entries(STRUCTURAL_REASON).map(([k, v]) => sql`WHEN ${k} THEN ${v}`),
      sql` `,
    );
    await run(
      conn,
      sql`INSERT INTO rejects
      SELECT ${f.bestand}, ${pr.expr}, NULL, rtrim(ltrim(csv_line, E'\\r\\n'), E'\\r\\n'),
             CASE error_type ${cases} ELSE lower(error_type) END
      FROM (SELECT line, arg_min(csv_line, column_idx) AS csv_line, arg_min(error_type, column_idx) AS error_type
            FROM ${rejT} GROUP BY line) e ${pr.join} ORDER BY 2`,
    );
    f.structural = Number((await readAll(conn, sql`SELECT count(DISTINCT line) FROM ${rejT}`)).getRows()[0]![0]);
    skipped = sql`SELECT line FROM ${rejT} UNION ${skipped}`;
  }
  if (f.tooLong.length) {
    // cut out before the read (blank lines for DuckDB, so already in `skipped`): rejected here
    const rows = f.tooLong.map(
      (r) => sql`(${f.bestand}, ${r.regel}, NULL, ${r.begin}, ${`regel te lang (${r.bytes} bytes, meer dan ${f.maxLineBytes})`})`,
    );
    await run(conn, sql`INSERT INTO rejects SELECT * FROM (VALUES ${joinSql(rows)}) ORDER BY 2`);
    f.structural += f.tooLong.length;
  }
  if (f.structural > 0 || map?.blanks.length) {
    // accepted record number r (1-based) lies after every skipped DuckDB line i with t_i = line_i - header - i < r;
    // consecutive skipped lines share t: keep the last (largest i), so the ASOF join has one match
    f.shiftTable = `shift_${f.key}`;
    await run(
      conn,
      sql`CREATE OR REPLACE TEMP TABLE ${ident(f.shiftTable)} AS
      SELECT ${f.bestand} AS bestand, t, max(i) AS i FROM (
        SELECT line - ${f.headerLines} - row_number() OVER (ORDER BY line) AS t, row_number() OVER (ORDER BY line) AS i
        FROM (SELECT DISTINCT line FROM (${skipped}) WHERE line > ${f.headerLines}))
      GROUP BY t`,
    );
  }
  await run(conn, sql`DROP TABLE IF EXISTS ${rejT}; DROP TABLE IF EXISTS ${ident(f.rejectScanTable!)}`);
}

/** A BIGINT list (or list of pairs) as SQL; long lists go through a work file so the SQL text stays small. */
function listLiteral(xs: number[] | [number, number][], workDir: string, name: string): Sql {
  const pairs = Array.isArray(xs[0]);
  if (xs.length <= 1000) return pairs ? sql`${xs}::BIGINT[][]` : sql`${xs}::BIGINT[]`;
  const file = join(workDir, `${name}.json`);
  writeFileSync(file, JSON.stringify(xs));
  return pairs
    ? sql`(SELECT content::JSON::BIGINT[][] FROM read_text(${file}))`
    : sql`(SELECT content::JSON::BIGINT[] FROM read_text(${file}))`;
}
