#!/usr/bin/env node
// Entry point for `npx baanmonitor`: runs the CLI compiled to one file (./compiled-cli.mjs says
// why and when it is rebuilt), or the TypeScript through tsx when that cannot be had.
import v8 from "node:v8";
import { pathToFileURL } from "node:url";
import { compiledCli } from "./compiled-cli.mjs";
import { allocatorEnv } from "./allocator-env.mjs";
import { BATCH_V8_FLAGS } from "./v8-flags.mjs";

// only hot loops are optimised (./v8-flags.mjs says why)
if (process.env.BAANMONITOR_V8_DEFAULTS !== "1") for (const f of BATCH_V8_FLAGS) v8.setFlagsFromString(f);
// before DuckDB loads: how long its allocator keeps freed memory (./allocator-env.mjs says why)
const allocator = allocatorEnv(process.argv.slice(2), process.env);
if (allocator !== null) process.env.DUCKDB_JE_MALLOC_CONF = allocator;
const compiled = await compiledCli();
let main;
if (compiled) {
  // stack traces (BAANMONITOR_DEBUG=1) name the TypeScript source lines
  if (process.env.BAANMONITOR_DEBUG) process.setSourceMapsEnabled(true);
  ({ main } = await import(pathToFileURL(compiled).href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../cli/index.ts"));
}
await main(process.argv);
