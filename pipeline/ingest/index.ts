/**
 * Ingest: source files -> raw (all VARCHAR, DuckDB readers) -> stg_* (typed, contract columns
 * plus bron_bestand/bron_regel) + rejects + kwaliteit. Nothing is lost: per file
 * gelezen = geladen + afgewezen, asserted.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Parameters } from "../config.ts";
import { EXTRACT_NAMES, type ExtractName } from "../contract.ts";
import type { SourceMapping } from "./mapping.ts";
import { q, readRawFile, resolveFiles, type RawFile } from "./read.ts";
import { stagingSql, unknownCodeSql } from "./staging.ts";
import { runQualityChecks, type QualityRow } from "./quality.ts";

export interface FileStats {
  extract: ExtractName;
  bestand: string;
  pad: string;
  grootte: number;
  sha256: string;
  gelezen: number;
  geladen: number;
  afgewezen: number;
  /** lines DuckDB's CSV reader could not split into the expected columns */
  afgewezen_structuur: number;
  ongebruikte_kolommen: string[];
}

export interface IngestResult {
  files: FileStats[];
  /** reject counts per (bestand, kolom, reden) */
  afwijzingen: { bestand: string; kolom: string | null; reden: string; aantal: number }[];
  kwaliteit: QualityRow[];
  stagingSql: string;
  timings: { stap: string; ms: number }[];
}

export interface IngestOptions {
  extractsDir: string;
  mapping: SourceMapping;
  workDir: string;
  params: Parameters;
  onStage?: (stage: string) => void;
  /** run date for the "in de toekomst" check (default: today) */
  today?: string;
}

export async function ingestExtracts(conn: DuckDBConnection, opts: IngestOptions): Promise<IngestResult> {
  const { mapping } = opts;
  const timings: { stap: string; ms: number }[] = [];
  const timed = async <T>(stap: string, f: () => Promise<T>): Promise<T> => {
    opts.onStage?.(stap);
    const t0 = performance.now();
    const r = await f();
    timings.push({ stap, ms: Math.round(performance.now() - t0) });
    return r;
  };
  await conn.run(`CREATE OR REPLACE TABLE rejects (bestand VARCHAR, regel BIGINT, kolom VARCHAR, waarde VARCHAR, reden VARCHAR)`);

  // resolve all files first: a missing file stops the run before any work
  const paths = Object.fromEntries(
    EXTRACT_NAMES.map((x) => [x, resolveFiles(opts.extractsDir, x, mapping.extracts[x])]),
  ) as Record<ExtractName, string[]>;

  const raw: Record<string, RawFile[]> = {};
  const sqlParts: string[] = [];
  const softCodes: QualityRow[] = [];
  for (const x of EXTRACT_NAMES) {
    const m = mapping.extracts[x];
    raw[x] = [];
    for (const [n, path] of paths[x].entries()) {
      raw[x].push(
        await timed(`lezen ${x}${paths[x].length > 1 ? ` (${n + 1})` : ""}`, () =>
          readRawFile(conn, { extract: x, path, extractsDir: opts.extractsDir, n, m, workDir: opts.workDir }),
        ),
      );
    }
    const sql = stagingSql(x, raw[x], m);
    sqlParts.push(sql.create, sql.rejects, sql.drop);
    await timed(`staging ${x}`, async () => {
      await conn.run(sql.create);
      // the reject pass re-parses the rows, so only run it when rows went missing
      const staged = Number((await conn.runAndReadAll(`SELECT count(*) FROM stg_${x}`)).getRows()[0][0]);
      if (staged !== raw[x].reduce((s, f) => s + f.rows, 0)) await conn.run(sql.rejects);
      await conn.run(sql.drop);
    });
    const uc = unknownCodeSql(x, raw[x], m);
    if (uc) {
      const res = await conn.runAndReadAll(uc);
      const names = res.columnNames();
      res.getRows()[0].forEach((v, i) =>
        softCodes.push({
          controle: "onbekende_code",
          extract: x,
          aantal: Number(v),
          toelichting: `onbekende code in ${names[i]} vervangen door "${m.onbekendeCode[names[i]]}"`,
        }),
      );
    }
    for (const f of raw[x]) {
      await conn.run(`DROP TABLE ${f.table}`);
      if (f.shiftTable) await conn.run(`DROP TABLE ${f.shiftTable}`);
    }
  }

  // bookkeeping per file: gelezen = geladen + afgewezen
  const files: FileStats[] = [];
  for (const x of EXTRACT_NAMES) {
    for (const f of raw[x]) {
      const [loaded, rejected] = (
        await conn.runAndReadAll(
          `SELECT (SELECT count(*) FROM stg_${x} WHERE bron_bestand = ${q(f.bestand)}),
                  (SELECT count(DISTINCT regel) FROM rejects WHERE bestand = ${q(f.bestand)})`,
        )
      ).getRows()[0].map(Number);
      const gelezen = f.rows + f.structural;
      if (gelezen !== loaded + rejected) {
        throw new Error(`${f.bestand}: telling klopt niet: gelezen ${gelezen} ≠ geladen ${loaded} + afgewezen ${rejected}`);
      }
      files.push({
        extract: x,
        bestand: f.bestand,
        pad: f.path,
        grootte: f.size,
        sha256: f.sha256,
        gelezen,
        geladen: loaded,
        afgewezen: rejected,
        afgewezen_structuur: f.structural,
        ongebruikte_kolommen: f.ongebruikteKolommen,
      });
    }
  }
  const afwijzingen = (
    await conn.runAndReadAll(
      `SELECT bestand, kolom, reden, count(*) AS aantal FROM rejects GROUP BY ALL ORDER BY bestand, kolom NULLS FIRST, reden`,
    )
  )
    .getRowObjectsJson()
    .map((r) => ({ bestand: String(r.bestand), kolom: r.kolom === null ? null : String(r.kolom), reden: String(r.reden), aantal: Number(r.aantal) }));

  const kwaliteit = await timed("kwaliteitscontroles", () => runQualityChecks(conn, opts.params, softCodes, opts.today));
  return { files, afwijzingen, kwaliteit, stagingSql: sqlParts.join("\n"), timings };
}
