/**
 * `baanmonitor generate`: validate the options and run the generator.
 */
import { UserError } from "../../core/errors.ts";
import { DIALECTS, type DialectName } from "../../data/generator/dialect.ts";
import { generate } from "../../data/generator/generate.ts";

export interface GenerateCommandOptions {
  scale: string;
  seed: string;
  out: string;
  dialect: string;
}

export function parseGenerateOptions(opts: GenerateCommandOptions): { scale: number; seed: number; out: string; dialect: DialectName } {
  const scale = Number(opts.scale);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100)
    throw new UserError(`--scale moet een getal groter dan 0 en hoogstens 100 zijn, niet "${opts.scale}"`);
  if (!/^\d+$/.test(String(opts.seed)) || Number(opts.seed) > 0xffffffff) {
    throw new UserError(`--seed moet een geheel getal van 0 tot en met 4294967295 zijn, niet "${opts.seed}"`);
  }
  if (!DIALECTS.includes(opts.dialect as DialectName))
    throw new UserError(`--dialect moet ${DIALECTS.join(" of ")} zijn, niet "${opts.dialect}"`);
  if (!opts.out) throw new UserError("--out ontbreekt");
  return { scale, seed: Number(opts.seed), out: opts.out, dialect: opts.dialect as DialectName };
}

export async function generateCommand(opts: GenerateCommandOptions): Promise<void> {
  const parsed = parseGenerateOptions(opts);
  const summary = generate(parsed);
  const lines = [
    `generate: schaal ${parsed.scale}, seed ${parsed.seed}, dialect ${parsed.dialect} -> ${parsed.out}`,
    `  personen: ${summary.persons.wajong} Wajong, ${summary.persons.wga} WGA`,
    ...Object.entries(summary.extracts).map(([n, e]) => `  ${n.padEnd(16)} ${String(e.rows).padStart(10)} rijen  (${e.file})`),
    `  klaar in ${summary.seconds.toFixed(1)} s`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
