/**
 * The run manifest `<out>/manifest.json`: what went in (files, sizes, hashes, counts), with
 * which parameters and mapping, with which software, and how long each stage took. Everything
 * except `timings` and `run` depends only on the inputs and parameters.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Parameters } from "./config.ts";
import type { FileStats, IngestResult } from "./ingest/index.ts";
import type { QualityRow } from "./ingest/quality.ts";
import type { PartInManifest } from "./partition/marker.ts";

export interface Manifest {
  manifest_versie: 1;
  baanmonitor: { versie: string };
  software: { duckdb: string; node: string };
  invoer: {
    map: string;
    /** the extracts carry the generator's synthetic-data marker (pipeline/ingest/synthetic-marker.ts); absent in earlier versions */
    synthetisch?: boolean;
    bestanden: FileStats[];
    totaal: { gelezen: number; geladen: number; afgewezen: number };
    afwijzingen: IngestResult["afwijzingen"];
  };
  kwaliteit: QualityRow[];
  /** D3 linkage: share of toegekend jobcoach periods linked via the employer, via the hirer, not at all */
  koppeling: Koppeling | null;
  /** a run on one part of a partitioned extract (pipeline/partition/); absent in an ordinary run */
  partitie?: PartInManifest;
  parameters: Parameters;
  /** false: run with --niet-voor-publicatie (absent in manifests of earlier versions: true) */
  publicatie?: { voor_publicatie: boolean; geweigerd?: string };
  mapping: object;
  uitvoer: { marts: { naam: string; bestand: string; rijen: number }[]; analyses: boolean };
  run: { start: string; einde: string; opties: Record<string, unknown> };
  timings: { stap: string; ms: number }[];
}

export interface Koppeling {
  jobcoach_werkgever: number;
  jobcoach_inlener: number;
  jobcoach_niet_gekoppeld: number;
  /** per level (perioden, banen), jobcoach type and link: count and share */
  details: { niveau: string; soort: string; koppeling: string | null; aantal: number; aandeel: number }[];
}

export function baanmonitorVersion(): string {
  const pkg = join(dirname(fileURLToPath(import.meta.url)), "..", "package.json");
  return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
}

export function writeManifest(dir: string, m: Manifest): string {
  const path = join(dir, "manifest.json");
  writeFileSync(path, JSON.stringify(m, null, 2) + "\n");
  return path;
}

export function readManifest(out: string): Manifest {
  return JSON.parse(readFileSync(join(resolve(out), "manifest.json"), "utf8")) as Manifest;
}
