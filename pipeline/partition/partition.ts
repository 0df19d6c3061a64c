/**
 * `baanmonitor partition`: split the extracts into K parts by person (hash.ts), each a valid
 * extracts folder that an ordinary `run --skip-analyses` reads, on this machine or another;
 * `baanmonitor merge` (merge.ts) combines the finished parts.
 *
 * Round one, once over all extracts: the ingest and staging of the whole run (the same code, so
 * the same rejects) give the quantities that are not per person (the observed window of the
 * polis, 05_int_observatie.sql, run here on the whole staged polis) and the check that no key
 * the derivations group by (ikv_id, toekenning_id, dienst_id) belongs to two persons: such a key
 * would be split over parts. Then each file is split record by record (split.ts) and every part
 * gets the marker partitie.json (marker.ts) with the round-one values.
 *
 * `<out>` is owned and replaced atomically like a run's output (pipeline/atomic-output.ts); its
 * manifest.json lists the parts.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { cpus } from "node:os";
import { DuckDBInstance } from "@duckdb/node-api";
import { UserError } from "../../core/errors.ts";
import { combine, confine, confinementError, folderAccess } from "../../core/confine.ts";
import { ident, rowObjects, run, sql } from "../../core/sql.ts";
import { Progress } from "../../core/progress.ts";
import { DEFAULTS, type Parameters } from "../config.ts";
import { EXTRACT_NAMES, SYNTHETIC_MARKER_FILE, type ExtractName } from "../contract.ts";
import { ingestExtracts } from "../ingest/index.ts";
import { CANONICAL_MAPPING_FILE, loadMappingFile, mappingForManifest, type SourceMapping } from "../ingest/mapping.ts";
import { readHeader } from "../ingest/read.ts";
import { abortOutput, beginOutput, commitOutput, type OutputTransaction } from "../atomic-output.ts";
import { newRunId } from "../output-folder.ts";
import { baanmonitorVersion } from "../manifest.ts";
import { renderSql, SQL_ROOT } from "../sql-runner.ts";
import { environmentError } from "../run.ts";
import { PART_RULE } from "./hash.ts";
import { PARTITION_FILE, type GlobalValues, type PartitionMarker, type SourceFileRecord } from "./marker.ts";
import { splitFile } from "./split.ts";

/** Most parts one partition writes (a part per worker; more is a mistake, not a plan). */
export const MAX_PARTS = 256;

/** Keys the derivations group or join by that are not persoon_id: each must belong to one person. */
const PERSON_KEYS: { extract: ExtractName; key: string }[] = [
  { extract: "polis", key: "ikv_id" },
  { extract: "jobcoachportaal", key: "toekenning_id" },
  { extract: "sonar", key: "dienst_id" },
];

export interface PartitionOptions {
  extracts: string;
  out: string;
  k: number;
  mapping?: SourceMapping;
  params?: Parameters;
  progress?: boolean;
  today?: string;
}

/** `<out>/manifest.json` of a partition. */
export interface PartitionManifest {
  partitie_versie: 1;
  id: string;
  k: number;
  regel: string;
  globaal: GlobalValues;
  bron: PartitionMarker["bron"];
  baanmonitor: string;
  /** per part: its extracts folder (relative to `<out>`) and the records (header included) per file */
  delen: { deel: number; extracts: string; regels: Record<string, number> }[];
  /** records whose persoon_id could not be read, per file (in part 1) */
  onleesbaar: Record<string, number>;
  timings: { stap: string; ms: number }[];
}

/** The folder of part `deel` inside a partition's output. */
export const partFolder = (deel: number): string => `deel-${deel}`;

export function parsePartCount(v: string | number): number {
  const k = Number(v);
  if (!Number.isInteger(k) || k < 2 || k > MAX_PARTS) {
    throw new UserError(`--k ${JSON.stringify(String(v))} is geen geldig aantal delen: een geheel getal van 2 tot en met ${MAX_PARTS}`);
  }
  return k;
}

/** The split reads CSV with one-byte delimiter and quote in an ASCII-compatible encoding. */
function checkSplittable(mapping: SourceMapping): void {
  for (const x of EXTRACT_NAMES) {
    const m = mapping.extracts[x];
    const why =
      m.formaat !== "csv"
        ? `formaat ${m.formaat}`
        : m.codering.startsWith("utf-16")
          ? `codering ${m.codering}`
          : Buffer.byteLength(m.scheidingsteken) !== 1 || Buffer.byteLength(m.aanhalingsteken) !== 1
            ? "een scheidingsteken of aanhalingsteken van meer dan één byte"
            : null;
    if (why) {
      throw new UserError(
        `partition splitst alleen CSV-bestanden in UTF-8, windows-1252 of latin-1 met scheidings- en aanhalingsteken van één byte; ${x} heeft ${why} (zet het extract eerst om)`,
      );
    }
  }
}

export async function partitionExtracts(opts: PartitionOptions): Promise<{ out: string; manifest: PartitionManifest }> {
  const k = parsePartCount(opts.k);
  const params = opts.params ?? structuredClone(DEFAULTS);
  const mapping = opts.mapping ?? loadMappingFile(CANONICAL_MAPPING_FILE);
  checkSplittable(mapping);
  const out = resolve(opts.out);
  const extractsDir = resolve(opts.extracts);
  const progress = new Progress(opts.progress);
  let tx: OutputTransaction;
  try {
    tx = beginOutput(out, { opdracht: "partition", extracts: extractsDir });
  } catch (e) {
    throw environmentError(e, out, undefined, true) ?? e;
  }
  for (const msg of tx.notes) progress.note(msg);
  const tmp = tx.tmp;
  const timings: { stap: string; ms: number }[] = [];
  const timed = async <T>(stap: string, f: () => Promise<T>): Promise<T> => {
    progress.stage(stap);
    const t0 = performance.now();
    const r = await f();
    timings.push({ stap, ms: Math.round(performance.now() - t0) });
    return r;
  };
  try {
    const work = join(tmp, ".werk");
    mkdirSync(work);
    // round one: the whole extract's staging, its window and the key check
    const { globaal, files, synthetisch } = await timed("ronde één: inlezen, venster en sleutels", async () => {
      const instance = await DuckDBInstance.create(join(work, "ronde1.duckdb"), {
        threads: String(Math.max(1, cpus().length)),
        temp_directory: join(work, "duckdb-spill"),
      });
      const conn = await instance.connect();
      try {
        await confine(conn, combine(folderAccess(extractsDir), folderAccess(tmp)));
        const ingest = await ingestExtracts(conn, { extractsDir, mapping, workDir: work, params, today: opts.today });
        for (const { extract, key } of PERSON_KEYS) {
          const shared = await rowObjects<{ k: string }>(
            conn,
            sql`SELECT ${ident(key)} AS k FROM ${ident(`stg_${extract}`)} GROUP BY ALL HAVING count(DISTINCT persoon_id) > 1 ORDER BY 1 LIMIT 1`,
          );
          if (shared.length) {
            throw new UserError(
              `${extract}: ${key} ${shared[0]!.k} hoort bij meer dan één persoon_id; een partitie per persoon zou die ${key} over delen verdelen — draai deze extracten ongedeeld met baanmonitor run`,
            );
          }
        }
        await run(conn, renderSql(readFileSync(join(SQL_ROOT, "intermediate", "05_int_observatie.sql"), "utf8"), params));
        const [w] = await rowObjects<{ data_einde: string | null; data_start: string | null }>(
          conn,
          sql`SELECT strftime(data_einde, '%Y-%m-%d') AS data_einde, strftime(data_start, '%Y-%m-%d') AS data_start FROM int_observatie`,
        );
        return {
          globaal: { data_einde: w?.data_einde ?? null, data_start: w?.data_start ?? null },
          files: ingest.files,
          synthetisch: ingest.synthetisch,
        };
      } finally {
        conn.closeSync();
        instance.closeSync();
      }
    });
    rmSync(work, { recursive: true, force: true });

    const id = newRunId();
    const bron: PartitionMarker["bron"] = {
      map: extractsDir,
      synthetisch,
      bestanden: files.map(
        (f): SourceFileRecord => ({ extract: f.extract, bestand: f.bestand, pad: f.pad, grootte: f.grootte, sha256: f.sha256 }),
      ),
    };
    const delen: PartitionManifest["delen"] = [];
    for (let d = 1; d <= k; d++) {
      mkdirSync(join(tmp, partFolder(d), "extracts"), { recursive: true });
      delen.push({ deel: d, extracts: `${partFolder(d)}/extracts`, regels: {} });
    }
    const onleesbaar: Record<string, number> = {};
    for (const f of files) {
      await timed(`splitsen ${f.bestand}`, async () => {
        const m = mapping.extracts[f.extract];
        const names = m.koptekst ? readHeader(f.pad, m.scheidingsteken, m.aanhalingsteken) : (m.kolomvolgorde ?? []);
        const column = names.map((n) => n.toLowerCase()).indexOf(m.kolommen.persoon_id!.toLowerCase());
        if (column < 0) throw new Error(`${f.bestand}: kolom ${m.kolommen.persoon_id} niet gevonden na het inlezen`);
        const dests = delen.map((p) => join(tmp, p.extracts, f.bestand));
        for (const dest of dests) mkdirSync(dirname(dest), { recursive: true });
        const r = await splitFile(f.pad, dests, {
          delimiter: Buffer.from(m.scheidingsteken)[0]!,
          quote: Buffer.from(m.aanhalingsteken)[0]!,
          headerLines: m.koptekst ? 1 : 0,
          column,
          trim: m.spatiesVerwijderen,
          decoder: m.codering === "utf-8" ? undefined : new TextDecoder(m.codering),
          k,
        });
        for (const [i, n] of r.records.entries()) delen[i]!.regels[f.bestand] = n;
        onleesbaar[f.bestand] = r.unreadable;
      });
    }
    const version = baanmonitorVersion();
    for (const p of delen) {
      if (synthetisch) copyFileSync(join(extractsDir, SYNTHETIC_MARKER_FILE), join(tmp, p.extracts, SYNTHETIC_MARKER_FILE));
      const marker: PartitionMarker = {
        partitie_versie: 1,
        id,
        k,
        deel: p.deel,
        regel: PART_RULE,
        globaal,
        bron,
        baanmonitor: version,
        mapping: mappingForManifest(mapping),
      };
      writeFileSync(join(tmp, p.extracts, PARTITION_FILE), `${JSON.stringify(marker, null, 2)}\n`);
    }
    const manifest: PartitionManifest = {
      partitie_versie: 1,
      id,
      k,
      regel: PART_RULE,
      globaal,
      bron,
      baanmonitor: version,
      delen,
      onleesbaar,
      timings,
    };
    // the manifest marks the folder complete: written last, then swapped in
    writeFileSync(join(tmp, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    commitOutput(tx);
    progress.done(`klaar: ${k} delen in ${out}`);
    return { out, manifest };
  } catch (e) {
    abortOutput(tx);
    progress.done();
    throw environmentError(e, out) ?? confinementError(e) ?? e;
  }
}
