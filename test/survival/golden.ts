/** Helpers for the golden comparisons with R survival (fixtures from scripts/r/make-golden.R). */
import { readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompetingTimeCount, TimeCount } from "../../analyses/survival/index.ts";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "survival");
export const REL_TOL = 1e-9;
export const ABS_TOL = 1e-12;

/** JSON null (R NA/NaN) → NaN, "Inf" → Infinity, recursively. */
function revive(_k: string, v: unknown): unknown {
  if (v === null) return NaN;
  if (v === "Inf") return Infinity;
  if (v === "-Inf") return -Infinity;
  return v;
}

export function loadFixtures<T>(prefix: "km-" | "aj-" | "robust-km-" | "robust-aj-" | "cox-"): { file: string; fx: T }[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.startsWith(prefix) && f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, fx: JSON.parse(readFileSync(join(FIXTURES, file), "utf8"), revive) as T }));
}

/** Deterministic shuffle (the engine must not rely on sorted or distinct input times). */
function shuffle<T>(xs: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  for (let i = xs.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** Person rows → one TimeCount per row (unsorted, duplicated times), per group. */
export function rowsToCounts(data: { group: string[]; time: number[]; status: number[] }): Map<string, TimeCount[]> {
  const out = new Map<string, TimeCount[]>();
  data.group.forEach((g, i) => {
    if (!out.has(g)) out.set(g, []);
    out.get(g)!.push({ time: data.time[i]!, nEvent: data.status[i] === 1 ? 1 : 0, nCensor: data.status[i] === 0 ? 1 : 0 });
  });
  for (const [g, v] of out) out.set(g, shuffle(v, g.length * 7919 + v.length));
  return out;
}

export function rowsToCompeting(data: { group: string[]; time: number[]; status: number[] }, k: number): Map<string, CompetingTimeCount[]> {
  const out = new Map<string, CompetingTimeCount[]>();
  data.group.forEach((g, i) => {
    if (!out.has(g)) out.set(g, []);
    const ev = new Array<number>(k).fill(0);
    if (data.status[i]! > 0) ev[data.status[i]! - 1] = 1;
    out.get(g)!.push({ time: data.time[i]!, nEvents: ev, nCensor: data.status[i] === 0 ? 1 : 0 });
  });
  for (const [g, v] of out) out.set(g, shuffle(v, g.length * 104729 + v.length));
  return out;
}

/** Max relative error per quantity over all comparisons (reported after the run). */
export const agreement = new Map<string, { maxRel: number; maxAbsNearZero: number; n: number }>();

function record(quantity: string, ours: number, r: number): void {
  const a = agreement.get(quantity) ?? { maxRel: 0, maxAbsNearZero: 0, n: 0 };
  a.n++;
  if (Number.isFinite(r) && Number.isFinite(ours)) {
    const diff = Math.abs(ours - r);
    if (r !== 0) a.maxRel = Math.max(a.maxRel, diff / Math.abs(r));
    if (Math.abs(r) <= ABS_TOL) a.maxAbsNearZero = Math.max(a.maxAbsNearZero, diff);
  }
  agreement.set(quantity, a);
}

/** Equal to R within REL_TOL relative (ABS_TOL absolute near 0); NaN ↔ NA, ±Inf exactly. Returns problems. */
export function compareNumbers(where: string, quantity: string, ours: ArrayLike<number>, r: ArrayLike<number>): string[] {
  const problems: string[] = [];
  if (ours.length !== r.length) return [`${where} ${quantity}: length ${ours.length} vs R ${r.length}`];
  for (let i = 0; i < r.length; i++) {
    const a = ours[i]!;
    const b = r[i]!;
    record(quantity, a, b);
    const ok =
      (Number.isNaN(a) && Number.isNaN(b)) ||
      a === b ||
      (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= Math.max(REL_TOL * Math.abs(b), ABS_TOL));
    if (!ok) problems.push(`${where} ${quantity}[${i}]: ours ${a} vs R ${b}`);
  }
  return problems;
}

export function nullable(x: number | null): number {
  return x === null ? NaN : x;
}

export function agreementReport(): string {
  const lines = [...agreement.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([q, a]) =>
        `${q.padEnd(28)} n=${String(a.n).padStart(7)}  max rel ${a.maxRel.toExponential(2)}  max abs where |R|<=1e-12: ${a.maxAbsNearZero.toExponential(2)}`,
    );
  return lines.join("\n");
}
