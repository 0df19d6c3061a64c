/**
 * Comparing synthetic figures with the published ones, and printing the comparison.
 */
import { addContrasts } from "./contrasts.ts";
import { PUBLISHED, type PublishedFigure } from "./published.ts";

/** One line of a calibration table (shared by calibration/from-truth.ts and calibration/from-run.ts). */
export interface CalibrationRow {
  figuur: string;
  bron: string;
  gepubliceerd: number;
  synthetisch: number | null;
  eenheid: string;
  /** percentage points for "%", relative difference (fraction) otherwise; null when not computable */
  verschil: number | null;
  binnen_marge: boolean | null;
}

export const MARGIN_POINTS = 5;
export const MARGIN_RELATIVE = 0.15;
/** margin for a difference between groups ("pp"), in percentage points */
export const MARGIN_CONTRAST = 2;

/** compared in absolute differences (with their margin), not relatively */
const ABSOLUTE: Partial<Record<string, number>> = { "%": MARGIN_POINTS, pp: MARGIN_CONTRAST, leespunten: 0 };

export function compareFigure(f: PublishedFigure, value: number | null | undefined): CalibrationRow {
  const base = { figuur: f.id, bron: f.bron, gepubliceerd: f.waarde, eenheid: f.eenheid };
  if (value === null || value === undefined || !Number.isFinite(value))
    return { ...base, synthetisch: null, verschil: null, binnen_marge: null };
  const absolute = ABSOLUTE[f.eenheid];
  const verschil = absolute !== undefined ? value - f.waarde : (value - f.waarde) / f.waarde;
  const margin = absolute ?? MARGIN_RELATIVE;
  let ok: boolean;
  if (f.vergelijking === "<") ok = value < f.waarde;
  else if (f.vergelijking === ">") ok = value > f.waarde;
  else ok = Math.abs(verschil) <= margin;
  return { ...base, synthetisch: value, verschil, binnen_marge: ok };
}

/** Every published figure present in `values`, plus the contrasts derived from them (calibration/contrasts.ts). */
export function compareAll(figures: Map<string, number | null>): CalibrationRow[] {
  const values = addContrasts(new Map(figures));
  return PUBLISHED.filter((f) => values.has(f.id)).map((f) => compareFigure(f, values.get(f.id)));
}

const nl = (v: number, digits: number) => v.toLocaleString("nl-NL", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function formatValue(v: number | null, eenheid: string): string {
  if (v === null) return "–";
  if (eenheid === "aantal") return nl(Math.round(v), 0);
  if (eenheid === "%") return `${nl(v, 1)}%`;
  if (eenheid === "pp") return `${v >= 0 ? "+" : ""}${nl(v, 1)} pp`;
  if (eenheid === "leespunten") return nl(v, 0);
  return nl(v, 2);
}

export function formatTable(rows: CalibrationRow[]): string {
  const byId = new Map(PUBLISHED.map((f) => [f.id, f]));
  const lines: string[][] = [["figuur", "gepubliceerd", "synthetisch", "verschil", "ok"]];
  for (const r of rows) {
    const f = byId.get(r.figuur);
    const cmp = f && f.vergelijking !== "≈" ? `${f.vergelijking} ` : "";
    const diff =
      r.verschil === null
        ? "–"
        : r.eenheid === "%" || r.eenheid === "pp"
          ? `${r.verschil >= 0 ? "+" : ""}${nl(r.verschil, 1)} pp`
          : r.eenheid === "leespunten"
            ? `${r.verschil >= 0 ? "+" : ""}${nl(r.verschil, 0)}`
            : `${r.verschil >= 0 ? "+" : ""}${nl(r.verschil * 100, 0)}%`;
    lines.push([
      r.figuur,
      cmp + formatValue(r.gepubliceerd, r.eenheid),
      formatValue(r.synthetisch, r.eenheid),
      diff,
      r.binnen_marge === null ? "?" : r.binnen_marge ? "ja" : "NEE",
    ]);
  }
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const out = lines.map((l) => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  out.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const scored = rows.filter((r) => r.binnen_marge !== null);
  const ok = scored.filter((r) => r.binnen_marge).length;
  const far = scored.filter(
    (r) =>
      !r.binnen_marge &&
      r.verschil !== null &&
      (r.eenheid === "%" || r.eenheid === "pp"
        ? Math.abs(r.verschil) > 10
        : r.eenheid === "leespunten"
          ? Math.abs(r.verschil) > 2
          : Math.abs(r.verschil) > 0.3),
  );
  out.push(
    "",
    `binnen marge: ${ok} van ${scored.length} (${nl((100 * ok) / Math.max(1, scored.length), 0)}%); ver ernaast (> 10 pp of > 30%): ${far.length}${far.length ? ` (${far.map((r) => r.figuur).join(", ")})` : ""}`,
  );
  return out.join("\n");
}
