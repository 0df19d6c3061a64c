/**
 * The slow tier (`npm run test:slow`, run by CI after `npm test`): the same e2e files with more
 * seeds, offsets and random kills. `npm test` runs one representative of each; a failure in
 * either names its seed, so it reproduces alone.
 */
export const SLOW = process.env.BAANMONITOR_SLOW === "1";

/** `fast` in `npm test`, `slow` in `npm run test:slow`; an explicit environment variable wins. */
export function tierCount(envName: string, fast: number, slow: number): number {
  const v = process.env[envName];
  if (v !== undefined && v !== "") return Number(v);
  return SLOW ? slow : fast;
}
