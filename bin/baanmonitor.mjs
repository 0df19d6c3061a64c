#!/usr/bin/env node
// Entry point for `npx baanmonitor`: loads the TypeScript CLI through tsx.
import v8 from "node:v8";
import { register } from "tsx/esm/api";
import { BATCH_V8_FLAGS } from "./v8-flags.mjs";

// only hot loops are optimised (./v8-flags.mjs says why)
if (process.env.BAANMONITOR_V8_DEFAULTS !== "1") for (const f of BATCH_V8_FLAGS) v8.setFlagsFromString(f);
register();
const { main } = await import("../cli/index.ts");
await main(process.argv);
