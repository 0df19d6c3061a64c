/**
 * The synthetic-data marker (pipeline/contract.ts, SYNTHETIC_MARKER_FILE) written into the
 * extracts folder the generator makes, so that a run on these extracts is marked as synthetic
 * however the folder is copied or moved (the ingest reads it from the extracts folder itself).
 */
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SYNTHETIC_MARKER_FILE } from "../../pipeline/contract.ts";

export function writeSyntheticMarker(extractDir: string, world: { scale: number; seed: number; dialect: string }): void {
  const marker = {
    synthetisch: true,
    toelichting: "Synthetische gegevens — geen UWV-statistiek. Gemaakt door baanmonitor generate.",
    schaal: world.scale,
    seed: world.seed,
    dialect: world.dialect,
  };
  const path = join(extractDir, SYNTHETIC_MARKER_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(marker, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
