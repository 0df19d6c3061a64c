/**
 * A researcher's `--config` file: `{ "parameters": {...}, "mapping": {...} | "path", "toelichting": "..." }`.
 * Parameters are validated against the declared schema (pipeline/config.ts), the mapping against
 * the mapping schema (pipeline/ingest/mapping.ts).
 */
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { UserError } from "../core/errors.ts";
import { describeIssue } from "../core/validation.ts";
import { mergeParameters, type Parameters } from "./config.ts";
import { readJsonFile } from "./json-file.ts";
import { loadMappingFile, validateMapping, type SourceMapping } from "./ingest/mapping.ts";

export interface RunConfig {
  params: Parameters;
  mapping?: SourceMapping;
}

const ConfigFileSchema = z.strictObject({
  parameters: z.record(z.string(), z.unknown()).optional(),
  mapping: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
  toelichting: z.string().optional(),
});

/** Read a `--config` file; `voorPublicatie: false` (the run's `--niet-voor-publicatie`) lifts the disclosure floors. */
export function loadRunConfig(path: string, opts: { voorPublicatie?: boolean } = {}): RunConfig {
  const raw = readJsonFile(path, "configbestand");
  const r = ConfigFileSchema.safeParse(raw);
  if (!r.success) {
    throw new UserError(
      `${path}: ${describeIssue(r.error.issues[0]!, raw, "sleutel", (p) => (p.length === 0 ? Object.keys(ConfigFileSchema.shape) : []))}`,
    );
  }
  const params = mergeParameters(r.data.parameters, path, opts);
  let mapping: SourceMapping | undefined;
  if (typeof r.data.mapping === "string") mapping = loadMappingFile(resolve(dirname(path), r.data.mapping));
  else if (r.data.mapping !== undefined) mapping = validateMapping(r.data.mapping, `${path}: mapping`);
  return { params, mapping };
}
