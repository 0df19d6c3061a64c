/**
 * From the covariate specification to the model's design: the SQL expressions that turn a
 * source row into its covariate pattern (the one home of that coding, used by the fit, the
 * weights and the balance table), and the coding of the patterns as sparse design rows.
 *
 * Coding:
 *  - categorical: the value as text, NULL as the level `onbekend` (NULL_GROUP); levels sorted
 *    by code unit, the first is the reference (R: `factor(x, levels = sort(unique(x), method =
 *    "radix"))`, treatment contrasts). With `samenvoegenOnder`, levels with fewer endings than
 *    that in some group are pooled into `overig` first; when `overig` itself still lacks a
 *    group (a single small level), it joins the largest level. A covariate with one level has
 *    no term.
 *  - numeric: the value (rounded to `afronding` when given); a NULL becomes 0 plus a missing
 *    indicator term `<kolom>_onbekend` (the missing-indicator method: the indicator's
 *    coefficient absorbs the constant, so the fitted probabilities do not depend on it).
 *  - a level (or the missing indicator) without endings in some group is an error naming it:
 *    the maximum-likelihood estimate does not exist (its coefficient would be −∞).
 */
import { ident, join, literal, type Sql, sql } from "../../core/sql.ts";
import { NULL_GROUP } from "../survival/duckdb.ts";
import type { PatternDesign } from "./multinomial.ts";
import type { CodedCovariate, Covariate, PropensitySpec, Term } from "./types.ts";

/** The level that pooled levels become. */
export const POOLED_LEVEL = "overig";

/** Column name of covariate i's pattern key (and of its missing flag) in the pattern tables. */
export const keyName = (i: number): string => `__k${i}`;
export const missingName = (i: number): string => `__m${i}`;

export function checkSpec(spec: PropensitySpec): void {
  const g = spec.groepen;
  if (g.length < 2 || new Set(g).size !== g.length)
    throw new Error(`propensity: groepen moeten ten minste twee verschillende waarden zijn, niet ${JSON.stringify(g)}`);
  const cols = spec.covariaten.map((c) => c.kolom);
  if (new Set(cols).size !== cols.length) throw new Error(`propensity: een kenmerk staat dubbel in ${JSON.stringify(cols)}`);
  for (const c of spec.covariaten) {
    if (c.soort === "numeriek" && c.afronding !== undefined && !(Number.isFinite(c.afronding) && c.afronding > 0))
      throw new Error(`propensity: afronding van ${c.kolom} moet een getal > 0 zijn, niet ${c.afronding}`);
  }
  if (spec.samenvoegenOnder !== undefined && !(Number.isInteger(spec.samenvoegenOnder) && spec.samenvoegenOnder >= 1))
    throw new Error(`propensity: samenvoegenOnder moet een geheel getal >= 1 zijn, niet ${spec.samenvoegenOnder}`);
  const pairs = spec.interacties ?? [];
  const seen = new Set<string>();
  for (const [a, b] of pairs) {
    for (const k of [a, b]) {
      const c = spec.covariaten.find((x) => x.kolom === k);
      if (c?.soort !== "categorisch") throw new Error(`propensity: interactie ${a} × ${b}: ${k} is geen categorisch kenmerk van het model`);
    }
    const key = [a, b].sort().join("\u0000");
    if (a === b || seen.has(key)) throw new Error(`propensity: interactie ${a} × ${b} staat dubbel of is met zichzelf`);
    seen.add(key);
  }
  if (pairs.length > 0 && !(Number.isFinite(spec.interactieStraf) && spec.interactieStraf! > 0))
    throw new Error(`propensity: interactieStraf moet een getal > 0 zijn bij interacties, niet ${spec.interactieStraf}`);
}

/** The pattern key of covariate c over the source row alias `s` (never NULL). */
export function keyExpr(c: Covariate): Sql {
  const col = sql`s.${ident(c.kolom)}`;
  if (c.soort === "categorisch") return sql`coalesce(CAST(${col} AS VARCHAR), ${NULL_GROUP})`;
  const x = sql`CAST(${col} AS DOUBLE)`;
  return c.afronding === undefined ? sql`coalesce(${x}, 0)` : sql`coalesce(round(${x} / ${c.afronding}) * ${c.afronding}, 0)`;
}

/** The key columns (and missing flags of numeric covariates) as a select list over alias `s`. */
export function keyColumns(spec: PropensitySpec): Sql {
  const parts: Sql[] = [];
  spec.covariaten.forEach((c, i) => {
    parts.push(sql`${keyExpr(c)} AS ${ident(keyName(i))}`);
    if (c.soort === "numeriek") parts.push(sql`(s.${ident(c.kolom)} IS NULL) AS ${ident(missingName(i))}`);
  });
  return join(parts);
}

/** The names of the key columns, in the order of keyColumns. */
export function keyNames(spec: PropensitySpec): string[] {
  return spec.covariaten.flatMap((c, i) => (c.soort === "numeriek" ? [keyName(i), missingName(i)] : [keyName(i)]));
}

/** `level → level used` as an SQL CASE over a key column (identity when nothing is pooled). */
export function levelExpr(key: Sql, cov: CodedCovariate): Sql {
  const pooled = Object.entries(cov.samengevoegd).filter(([from, to]) => from !== to);
  if (pooled.length === 0) return key;
  return sql`CASE WHEN ${key} IN (${join(pooled.map(([from]) => literal(from)))}) THEN ${POOLED_LEVEL} ELSE ${key} END`;
}

/** Patterns as read from DuckDB: per covariate its key per pattern (and missing flags), counts per group. */
export interface Patterns {
  keys: (string | number)[][];
  missing: (boolean | null)[][];
  /** counts[p·K + k] */
  counts: Float64Array;
}

/** Code-unit order of level names (R's `sort(method = "radix")`). */
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Code the covariates (levels, pooling, missing indicators) and check that every level occurs in every group. */
export function codeCovariates(spec: PropensitySpec, pat: Patterns): CodedCovariate[] {
  const K = spec.groepen.length;
  const P = pat.counts.length / K;
  const perLevel = (values: (string | number | boolean | null)[]) => {
    const m = new Map<string, number[]>();
    for (let p = 0; p < P; p++) {
      const v = String(values[p]);
      let a = m.get(v);
      if (!a) m.set(v, (a = new Array<number>(K).fill(0)));
      for (let k = 0; k < K; k++) a[k]! += pat.counts[p * K + k]!;
    }
    return m;
  };
  const emptyGroup = (kolom: string, niveau: string, counts: number[]) => {
    const k = counts.indexOf(0);
    if (k >= 0)
      throw new Error(
        `propensity: niveau "${niveau}" van ${kolom} heeft geen eindes in groep ${spec.groepen[k]}; ` +
          `het model bestaat dan niet (scheiding). Voeg kleine niveaus samen (samenvoegenOnder) of laat het kenmerk weg`,
      );
  };
  return spec.covariaten.map((c, i) => {
    if (c.soort === "numeriek") {
      const byMissing = perLevel(pat.missing[i]!);
      const miss = byMissing.get("true");
      const present = byMissing.get("false");
      if (!present) throw new Error(`propensity: ${c.kolom} heeft geen enkele waarde (alles NULL)`);
      if (miss) emptyGroup(c.kolom, NULL_GROUP, miss);
      return { kolom: c.kolom, soort: "numeriek", niveaus: [], samengevoegd: {}, heeftOntbrekend: miss !== undefined };
    }
    const levels = perLevel(pat.keys[i]!);
    const samengevoegd: Record<string, string> = {};
    const used = new Map<string, number[]>();
    for (const [lvl, counts] of [...levels].sort(([a], [b]) => cmp(a, b))) {
      const pool = spec.samenvoegenOnder !== undefined && counts.some((n) => n < spec.samenvoegenOnder!);
      const to = pool ? POOLED_LEVEL : lvl;
      samengevoegd[lvl] = to;
      const a = used.get(to) ?? new Array<number>(K).fill(0);
      counts.forEach((n, k) => {
        a[k]! += n;
      });
      used.set(to, a);
    }
    // the pooled level can itself lack a group (one small level pooled alone): it then joins
    // the largest level, so the model still exists
    const pooled = used.get(POOLED_LEVEL);
    if (pooled?.some((n) => n === 0) && used.size > 1) {
      const total = (a: number[]) => a.reduce((x, y) => x + y, 0);
      const [largest] = [...used].filter(([l]) => l !== POOLED_LEVEL).sort(([a, x], [b, y]) => total(y) - total(x) || cmp(a, b))[0]!;
      const into = used.get(largest)!;
      pooled.forEach((n, k) => {
        into[k]! += n;
      });
      used.delete(POOLED_LEVEL);
      for (const [from, to] of Object.entries(samengevoegd)) if (to === POOLED_LEVEL) samengevoegd[from] = largest;
    }
    for (const [lvl, counts] of used) emptyGroup(c.kolom, lvl, counts);
    return { kolom: c.kolom, soort: "categorisch", niveaus: [...used.keys()].sort(cmp), samengevoegd, heeftOntbrekend: false };
  });
}

/** The terms of the design: intercept, then per covariate its dummies (non-reference levels) or value and missing indicator. */
export function designTerms(coded: readonly CodedCovariate[]): Term[] {
  const terms: Term[] = [{ naam: "(Intercept)", kolom: null, niveau: null, soort: "intercept" }];
  for (const c of coded) {
    if (c.soort === "categorisch") {
      for (const lvl of c.niveaus.slice(1)) terms.push({ naam: `${c.kolom}${lvl}`, kolom: c.kolom, niveau: lvl, soort: "niveau" });
    } else {
      terms.push({ naam: c.kolom, kolom: c.kolom, niveau: null, soort: "numeriek" });
      if (c.heeftOntbrekend) terms.push({ naam: `${c.kolom}_${NULL_GROUP}`, kolom: c.kolom, niveau: NULL_GROUP, soort: "ontbreekt" });
    }
  }
  return terms;
}

/** The level (after pooling) of categorical covariate i in pattern p. */
const levelOf = (c: CodedCovariate, pat: Patterns, i: number, p: number): string => c.samengevoegd[String(pat.keys[i]![p])]!;

/**
 * The interaction terms of `spec.interacties`, after the main effects: per pair, the product
 * dummies of the non-reference levels that occur together in some pattern (a product that never
 * occurs would be a column of zeros), named and ordered as R's model.matrix names them
 * (`regelingoWajong:diagnosegroeppsychisch`; the first covariate's levels vary fastest).
 */
export function interactionTerms(spec: PropensitySpec, coded: readonly CodedCovariate[], pat: Patterns): Term[] {
  const K = spec.groepen.length;
  const P = pat.counts.length / K;
  const terms: Term[] = [];
  for (const [a, b] of spec.interacties ?? []) {
    const ia = coded.findIndex((c) => c.kolom === a);
    const ib = coded.findIndex((c) => c.kolom === b);
    const ca = coded[ia]!;
    const cb = coded[ib]!;
    const present = new Set<string>();
    for (let p = 0; p < P; p++) present.add(`${levelOf(ca, pat, ia, p)}\u0000${levelOf(cb, pat, ib, p)}`);
    // R's order (model.matrix): the first covariate's levels vary fastest
    for (const lb of cb.niveaus.slice(1))
      for (const la of ca.niveaus.slice(1))
        if (present.has(`${la}\u0000${lb}`))
          terms.push({
            naam: `${a}${la}:${b}${lb}`,
            kolom: `${a}:${b}`,
            niveau: `${la}:${lb}`,
            soort: "interactie",
            paar: [
              { kolom: a, niveau: la },
              { kolom: b, niveau: lb },
            ],
          });
  }
  return terms;
}

/** Sparse design rows of the patterns (interaction terms: see interactionTerms; `pairs` as in the spec). */
export function buildDesign(
  coded: readonly CodedCovariate[],
  terms: readonly Term[],
  pat: Patterns,
  K: number,
  pairs: readonly (readonly [string, string])[] = [],
): PatternDesign {
  const P = pat.counts.length / K;
  const index = new Map(terms.map((t, j) => [`${t.kolom}\u0000${t.niveau}\u0000${t.soort}`, j]));
  const width = 1 + coded.reduce((s, c) => s + (c.soort === "numeriek" ? 2 : 1), 0) + pairs.length;
  const pairIdx = pairs.map(([a, b]) => [coded.findIndex((c) => c.kolom === a), coded.findIndex((c) => c.kolom === b)] as const);
  const idx = new Int32Array(P * width).fill(-1);
  const val = new Float64Array(P * width);
  for (let p = 0; p < P; p++) {
    let s = p * width;
    idx[s] = 0;
    val[s++] = 1;
    coded.forEach((c, i) => {
      if (c.soort === "categorisch") {
        const lvl = levelOf(c, pat, i, p);
        const j = index.get(`${c.kolom}\u0000${lvl}\u0000niveau`);
        if (j !== undefined) {
          idx[s] = j;
          val[s] = 1;
        }
        s++;
      } else {
        const x = Number(pat.keys[i]![p]);
        idx[s] = index.get(`${c.kolom}\u0000null\u0000numeriek`)!;
        val[s++] = x;
        if (pat.missing[i]![p]) {
          idx[s] = index.get(`${c.kolom}\u0000${NULL_GROUP}\u0000ontbreekt`)!;
          val[s] = 1;
        }
        s++;
      }
    });
    pairs.forEach(([a, b], q) => {
      const [ia, ib] = pairIdx[q]!;
      const j = index.get(`${a}:${b}\u0000${levelOf(coded[ia]!, pat, ia, p)}:${levelOf(coded[ib]!, pat, ib, p)}\u0000interactie`);
      if (j !== undefined) {
        idx[s] = j;
        val[s] = 1;
      }
      s++;
    });
  }
  return { nPatterns: P, nTerms: terms.length, nGroups: K, width, idx, val, counts: pat.counts };
}
