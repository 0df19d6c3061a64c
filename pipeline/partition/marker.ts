/**
 * The partition marker `partitie.json` that `baanmonitor partition` writes into each part's
 * extracts folder. It travels with the extracts (like the synthetic-data marker) and carries the
 * first-round values: quantities that are not per person and that every part must derive with
 * the value of the whole extract (today: the observed window of the polis, int_observatie).
 * A run on a part reads it (pipeline/run.ts), puts the values in table `partitie_globaal` and
 * records the part in its manifest; `baanmonitor merge` checks the parts against it.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../../core/errors.ts";
import { date, isIsoDate, run, sql } from "../../core/sql.ts";
import { readJsonFile } from "../json-file.ts";
import { codeFingerprint } from "./code-version.ts";

export const PARTITION_FILE = "partitie.json";

/** The first-round values, computed once over all extracts. */
export interface GlobalValues {
  /** max(tijdvak_einde) of the staged polis (NULL: no polis rows) */
  data_einde: string | null;
  /** min(tijdvak_aanvang) of the staged polis */
  data_start: string | null;
}

/** An original extract file, as the merged manifest reports it. */
export interface SourceFileRecord {
  extract: string;
  bestand: string;
  pad: string;
  grootte: number;
  sha256: string;
}

export interface PartitionMarker {
  partitie_versie: 1;
  /** one id per `partition` call: parts of different calls never merge */
  id: string;
  k: number;
  /** 1..k */
  deel: number;
  regel: string;
  globaal: GlobalValues;
  /** the extracts that were split */
  bron: { map: string; synthetisch: boolean; bestanden: SourceFileRecord[] };
  baanmonitor: string;
  /** the source mapping the files were read with (pipeline/ingest/mapping.ts, mappingForManifest) */
  mapping: object;
}

/** What a run on a part records in its manifest: everything `merge` needs besides the marts, and the fingerprint of the code that derived them. */
export type PartInManifest = Omit<PartitionMarker, "partitie_versie" | "mapping"> & { code: string };

export const partInManifest = ({ partitie_versie: _v, mapping: _m, ...rest }: PartitionMarker): PartInManifest => ({
  ...rest,
  code: codeFingerprint(),
});

const dateOrNull = (v: unknown) => v === null || isIsoDate(v);

/** The marker of an extracts folder, null when it has none; a damaged one is a user error. */
export function readPartitionMarker(extractsDir: string): PartitionMarker | null {
  const path = join(extractsDir, PARTITION_FILE);
  if (!existsSync(path)) return null;
  const m = readJsonFile(path, "partitiebestand") as Partial<PartitionMarker> | null;
  const ok =
    m !== null &&
    typeof m === "object" &&
    m.partitie_versie === 1 &&
    typeof m.id === "string" &&
    Number.isInteger(m.k) &&
    m.k! >= 1 &&
    Number.isInteger(m.deel) &&
    m.deel! >= 1 &&
    m.deel! <= m.k! &&
    typeof m.globaal === "object" &&
    m.globaal !== null &&
    dateOrNull(m.globaal.data_einde) &&
    dateOrNull(m.globaal.data_start) &&
    typeof m.bron === "object" &&
    Array.isArray(m.bron?.bestanden);
  if (!ok) throw new UserError(`${path} is beschadigd (geen geldig partitiebestand van baanmonitor partition); partitioneer opnieuw`);
  return m as PartitionMarker;
}

/**
 * Table `partitie_globaal` (data_einde, data_start) with the marker's values, one row, in a run on
 * a part; without a marker nothing is created here, and 05_int_observatie.sql creates the table
 * empty (the extract's own window then applies).
 */
export async function createPartitionGlobals(conn: DuckDBConnection, marker: PartitionMarker | null): Promise<void> {
  if (!marker) return;
  const d = (v: string | null) => (v === null ? sql`NULL::DATE` : date(v));
  await run(
    conn,
    sql`CREATE OR REPLACE TABLE partitie_globaal AS SELECT ${d(marker.globaal.data_einde)} AS data_einde, ${d(marker.globaal.data_start)} AS data_start`,
  );
}
