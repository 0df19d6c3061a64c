/**
 * The propensity model in DuckDB: count endings per covariate pattern × group in SQL, fit the
 * multinomial model on the patterns in JS (./multinomial.ts), and store each pattern's fitted
 * probabilities in a DuckDB table for the weights (./weights.ts).
 *
 *   const model = await fitPropensity(conn, sql`SELECT jobcoach AS groep, * FROM baaneindes`, {
 *     groepen: ["geen", "extern", "intern"],
 *     covariaten: [{ kolom: "regeling", soort: "categorisch" }, { kolom: "uren_per_week", soort: "numeriek", afronding: 1 }],
 *   });
 *
 * The source relation has a column `groep` (one of spec.groepen; anything else, NULL too, is an
 * error) and the covariate columns. The pattern table (`model.patronenTabel`, a temp table)
 * has the key columns of design.ts, the counts n_0..n_{K−1} and the fitted probabilities
 * p_0..p_{K−1} (index = position in spec.groepen).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, qualified, readAll, run, sql, type Sql } from "../../core/sql.ts";
import { num, query } from "../lib/sql.ts";
import { SingularMatrixError } from "../lib/linalg.ts";
import { buildDesign, checkSpec, codeCovariates, designTerms, interactionTerms, keyColumns, keyNames, type Patterns } from "./design.ts";
import { fitMultinomial } from "./multinomial.ts";
import type { CodedCovariate, Coefficient, PropensitySpec, Term } from "./types.ts";

export interface PropensityModel {
  spec: PropensitySpec;
  groepen: string[];
  covariaten: CodedCovariate[];
  terms: Term[];
  /** one row per non-reference group × term */
  coefficients: Coefficient[];
  deviance: number;
  iterations: number;
  /** endings in the fit, and per group */
  n: number;
  nPerGroep: number[];
  /** marginal shares P(groep) = n_k / n: the numerators of the stabilised weights */
  aandelen: number[];
  nPatronen: number;
  /** temp table with the patterns, their counts and fitted probabilities */
  patronenTabel: string;
}

export const countName = (k: number): string => `n_${k}`;
export const probName = (k: number): string => `p_${k}`;

/** Fit the propensity model on the rows of `src`. `tabel` names the pattern table (a temp table, replaced). */
export async function fitPropensity(
  conn: DuckDBConnection,
  src: Sql,
  spec: PropensitySpec,
  tabel = "propensity_patronen",
): Promise<PropensityModel> {
  checkSpec(spec);
  const K = spec.groepen.length;
  const numeric = spec.covariaten.filter((c) => c.soort === "numeriek");
  const nonFinite = numeric.length
    ? join(
        numeric.map((c) => sql`count(*) FILTER (WHERE NOT isfinite(CAST(s.${ident(c.kolom)} AS DOUBLE)))`),
        sql` + `,
      )
    : sql`0`;
  const bad = await query(
    conn,
    sql`SELECT count(*) FILTER (WHERE groep IS NULL OR CAST(groep AS VARCHAR) NOT IN (${join(spec.groepen.map((g) => sql`${g}`))})) AS buiten,
               ${nonFinite} AS niet_eindig
        FROM (${src}) s`,
  );
  if (num(bad[0]!.buiten) > 0)
    throw new Error(`propensity: ${bad[0]!.buiten} rijen met een groep die NULL is of niet een van ${JSON.stringify(spec.groepen)}`);
  if (num(bad[0]!.niet_eindig) > 0) throw new Error(`propensity: ${bad[0]!.niet_eindig} numerieke waarden zijn niet eindig (NaN/Inf)`);

  const keys = keyNames(spec).map((k) => ident(k));
  const counts = join(
    spec.groepen.map((g, k) => sql`count(*) FILTER (WHERE CAST(s.groep AS VARCHAR) = ${g})::DOUBLE AS ${ident(countName(k))}`),
  );
  const patTmp = `${tabel}__telling`;
  await run(
    conn,
    sql`CREATE OR REPLACE TEMP TABLE ${ident(patTmp)} AS
        SELECT row_number() OVER (ORDER BY ${join(keys)}) AS pid, *
        FROM (SELECT ${join(keys)}, ${counts} FROM (SELECT ${keyColumns(spec)}, s.groep FROM (${src}) s) s GROUP BY ALL)`,
  );
  const reader = await readAll(conn, sql`SELECT * FROM ${qualified("temp", patTmp)} ORDER BY pid`);
  const cols = reader.getColumnsJS() as unknown[][];
  const names = reader.columnNames();
  const col = (n: string) => cols[names.indexOf(n)]!;
  const P = col("pid").length;
  if (P === 0) throw new Error("propensity: de bron heeft geen rijen");
  const pat: Patterns = {
    keys: spec.covariaten.map((c, i) =>
      (col(`__k${i}`) as (string | number)[]).map((v) => (c.soort === "numeriek" ? Number(v) : String(v))),
    ),
    missing: spec.covariaten.map((c, i) => (c.soort === "numeriek" ? (col(`__m${i}`) as boolean[]) : [])),
    counts: new Float64Array(P * K),
  };
  for (let k = 0; k < K; k++) {
    const c = col(countName(k)) as number[];
    for (let p = 0; p < P; p++) pat.counts[p * K + k] = c[p]!;
  }

  const coded = codeCovariates(spec, pat);
  const terms = [...designTerms(coded), ...interactionTerms(spec, coded, pat)];
  const design = buildDesign(coded, terms, pat, K, spec.interacties);
  const ridge = spec.interacties?.length ? Float64Array.from(terms, (t) => (t.soort === "interactie" ? spec.interactieStraf! : 0)) : null;
  let fit: ReturnType<typeof fitMultinomial>;
  try {
    fit = fitMultinomial(design, ridge);
  } catch (e) {
    if (e instanceof SingularMatrixError) {
      const t = terms[e.column % terms.length]!;
      throw new Error(`propensity: de kenmerken zijn lineair afhankelijk (term ${t.naam} is een combinatie van eerdere termen)`);
    }
    throw e;
  }

  // fitted probabilities back to DuckDB, joined to the pattern counts
  const probTmp = `${tabel}__kansen`;
  await run(
    conn,
    sql`CREATE OR REPLACE TEMP TABLE ${ident(probTmp)} (pid BIGINT, ${join(spec.groepen.map((_, k) => sql`${ident(probName(k))} DOUBLE`))})`,
  );
  const app = await conn.createAppender(probTmp, "main", "temp");
  for (let p = 0; p < P; p++) {
    app.appendBigInt(BigInt(p + 1));
    for (let k = 0; k < K; k++) app.appendDouble(fit.prob[p * K + k]!);
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
  await run(
    conn,
    sql`CREATE OR REPLACE TEMP TABLE ${ident(tabel)} AS
        SELECT t.*, ${join(spec.groepen.map((_, k) => sql`k.${ident(probName(k))}`))}
        FROM ${qualified("temp", patTmp)} t JOIN ${qualified("temp", probTmp)} k USING (pid) ORDER BY pid`,
  );
  await run(conn, sql`DROP TABLE ${qualified("temp", patTmp)}`);
  await run(conn, sql`DROP TABLE ${qualified("temp", probTmp)}`);

  const nPerGroep = spec.groepen.map((_, k) => {
    let s = 0;
    for (let p = 0; p < P; p++) s += pat.counts[p * K + k]!;
    return s;
  });
  const n = nPerGroep.reduce((a, b) => a + b, 0);
  const pTerms = terms.length;
  const coefficients: Coefficient[] = [];
  for (let k = 1; k < K; k++)
    terms.forEach((t, j) =>
      coefficients.push({
        groep: spec.groepen[k]!,
        term: t.naam,
        schatting: fit.theta[(k - 1) * pTerms + j]!,
        se: fit.se[(k - 1) * pTerms + j]!,
      }),
    );
  return {
    spec,
    groepen: [...spec.groepen],
    covariaten: coded,
    terms,
    coefficients,
    deviance: fit.deviance,
    iterations: fit.iterations,
    n,
    nPerGroep,
    aandelen: nPerGroep.map((m) => m / n),
    nPatronen: P,
    patronenTabel: tabel,
  };
}
