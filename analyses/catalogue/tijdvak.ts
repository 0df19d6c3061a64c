import { ident, join, sql, type Sql } from "../../core/sql.ts";

/** Timing buckets of D6 (docs/marts.md): `voor_einde`, then bounded by d6.tijdvakGrenzen (days, exclusive). */
const NAMEN: Record<number, string> = { 7: "1w", 30: "1m", 91: "3m", 182: "6m", 365: "12m" };
const naam = (d: number) => NAMEN[d] ?? `${d}d`;

export function tijdvakLabels(grenzen: number[]): string[] {
  const labels = ["voor_einde", `<${naam(grenzen[0]!)}`];
  for (let i = 1; i < grenzen.length; i++) {
    const a = naam(grenzen[i - 1]!),
      b = naam(grenzen[i]!);
    // "1w-1m", "1-3m", "3-6m", "6-12m": drop the unit of the lower bound when both share it
    labels.push(a.slice(-1) === b.slice(-1) && /^\d+[a-z]$/.test(a) ? `${a.slice(0, -1)}-${b}` : `${a}-${b}`);
  }
  labels.push(`>${naam(grenzen[grenzen.length - 1]!)}`);
  return labels;
}

/** SQL: the bucket index (0 = voor_einde) of a D6 event. */
export function tijdvakSql(grenzen: number[], dagen = "dagen_tot_reintegratie", voor = "reintegratie_voor_einde"): Sql {
  const whens = join(
    grenzen.map((g, i) => sql`WHEN ${ident(dagen)} < ${g} THEN ${i + 1}`),
    sql` `,
  );
  return sql`CASE WHEN ${ident(voor)} THEN 0 ${whens} ELSE ${grenzen.length + 1} END`;
}

/**
 * The last day (days after the end) whose events a tijdvak counts, by label: 0 for `voor_einde`
 * (a service running at the end is on day 0), a bound − 1 for the others, null for the last
 * (open) one and any other label (a total). For the curve bound (analyses/relations.ts curveBound).
 */
export function tijdvakLaatsteDag(grenzen: number[]): (label: unknown) => number | null {
  const labels = tijdvakLabels(grenzen);
  const last = new Map<string, number>([[labels[0]!, 0]]);
  grenzen.forEach((g, i) => last.set(labels[i + 1]!, g - 1));
  return (label) => last.get(String(label)) ?? null;
}
