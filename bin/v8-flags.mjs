// The V8 setting of a baanmonitor command (bin/baanmonitor.mjs), also given to the e2e tests'
// processes, which run the pipeline in-process (vitest.config.ts).
//
// V8 optimises a function on background threads once it has run through its "interrupt budget"
// of bytecode; at V8's default that is most functions of a command, and for a small world that
// compilation was 38% of the CPU of `analyse`. A command is one batch: with a budget 7.5x the
// default only its hot loops are optimised. Measured on 2026-12-02 (docs/performance.md): `analyse`
// of the scale-0.002 world 7.2 -> 5.6 s CPU at the same wall time; at scale 1 the analyses took
// 19.3 / 19.0 s -> 18.8 / 18.9 s. BAANMONITOR_V8_DEFAULTS=1 keeps V8's default.
export const BATCH_V8_FLAGS = ["--interrupt-budget=1000000"];
