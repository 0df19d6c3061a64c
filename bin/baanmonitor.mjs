#!/usr/bin/env node
// Entry point for `npx baanmonitor`: loads the TypeScript CLI through tsx.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../cli/index.ts");
await main(process.argv);
