/**
 * Cox model on a DuckDB relation: the entry point of ./cox.ts for the pipeline.
 *
 *   const model = await coxPh(conn, sql`SELECT persoon_id AS id, dagen_tot_volgende_baan AS tijd,
 *       volgende_baan AS status, jobcoach, regio, … FROM baaneindes`,
 *     [{ name: "jobcoach", type: "categorical", reference: "geen" }, { name: "regio", type: "categorical" }, …]);
 *
 * `src` returns columns id (cluster: the person), tijd, status (1 event, 0 censored) and one
 * column per covariate, one row per job ending. Rows with a NULL covariate are dropped, as R's
 * na.omit (counted in `nDropped`); a NULL tijd, a status other than 0/1 or (with the robust
 * variance) a NULL id is an error.
 *
 * What reaches JS: (covariate pattern, tijd) cells with event and censoring counts for the
 * Newton–Raphson; per event time sums for the residuals; p(p+1)/2 cross-products at the end.
 *
 * Robust variance (R `coxph(…, cluster = id)`): V_rob = V B V, V = I⁻¹, B = Σ_c u_c u_cᵀ with
 * u_c the sum over the rows of cluster c of the score residuals (R `coxscore2`, Efron):
 *   u_i = δ_i (x_i − x̄(t_i)) − r_i [x_i A(t_i, δ_i) − B(t_i, δ_i)]
 * with r_i = exp(x_i β), x̄(t) = (1/d) Σ_l x̄_l(t) and, over event times s:
 *   censored (δ = 0): A = Σ_{s ≤ t} h(s),            B = Σ_{s ≤ t} Σ_l x̄_l(s)/D_l(s)
 *   event    (δ = 1): A = Σ_{s < t} h(s) + Σ_l (1 − l/d)/D_l(t),
 *                     B = Σ_{s < t} Σ_l x̄_l(s)/D_l(s) + Σ_l (1 − l/d) x̄_l(t)/D_l(t)
 * (h(s) = Σ_l 1/D_l(s); an event at t is in the l-th Efron risk set with weight 1 − l/d).
 * These per-time A, B, x̄ go to a temporary table; each row picks the values of the last event
 * time ≤ its tijd with an ASOF join, the residual is summed per id and the cross-products over
 * ids, all in one SQL statement (for β̂ and β = 0 together). The robust score test (R `rscore`) is at β = 0:
 * Uᵀ B₀⁻¹ U with U = Σ_c u_c(0). The Wald test uses the robust variance, as R does when a
 * cluster is given; hazard-ratio intervals use the robust standard error (R summary.coxph).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, qualified, readAll, run, sql, type Sql } from "../../core/sql.ts";
import { zValue } from "./confint.ts";
import {
  buildTerms,
  chiSquare,
  coxFitAggregate,
  designRow,
  waldTest,
  type ChiSquareTest,
  type CoxControl,
  type CoxCovariate,
  type CoxTerm,
} from "./cox.ts";
import type { CoxAggregate, PerEventTime } from "./cox-sums.ts";
import { quadFormInverse, sandwich } from "../lib/linalg.ts";

export interface CoxOptions extends CoxControl {
  /** person-clustered robust variance on `id` (default true) */
  robust?: boolean;
  confLevel?: number; // default 0.95
}

export interface HazardRatio {
  name: string;
  coef: number;
  hr: number;
  /** the standard error used for the interval (robust when computed) */
  se: number;
  lower: number;
  upper: number;
  p: number;
}

export interface CoxModel {
  n: number;
  nEvent: number;
  /** rows dropped for a NULL covariate */
  nDropped: number;
  nCluster: number | null;
  terms: CoxTerm[];
  columnNames: string[];
  /** column means the design was centred by (R `fit$means`) */
  center: number[];
  coef: number[];
  /** model-based variance I⁻¹ (R `fit$naive.var` when clustered, else `fit$var`) */
  variance: number[][];
  se: number[];
  robustVariance: number[][] | null;
  robustSe: number[] | null;
  loglik: [number, number];
  scoreTest: ChiSquareTest;
  likelihoodRatioTest: ChiSquareTest;
  /** on the robust variance when computed (as R) */
  waldTest: ChiSquareTest;
  robustScoreTest: ChiSquareTest | null;
  hazardRatios: HazardRatio[];
  confLevel: number;
  iterations: number;
  converged: boolean;
  /** the aggregated data and per-event-time sums, for cox.zph and standardised curves */
  data: {
    aggregate: CoxAggregate;
    /** raw covariate values per pattern and rows per pattern */
    patterns: (string | number)[][];
    patternCount: Float64Array;
    perTime: PerEventTime;
  };
}

const TIJDEN = "_cox_tijden";
const CELLEN = "_cox_cellen";

/** Columns (INTEGER first, then DOUBLE) of a large numeric result, chunk by chunk into typed arrays. */
async function numericColumns(conn: DuckDBConnection, q: Sql): Promise<[Int32Array, Float64Array, Float64Array, Float64Array]> {
  const result = await run(conn, q);
  const chunks = await result.fetchAllChunks();
  const n = chunks.reduce((a, ch) => a + ch.rowCount, 0);
  const out: [Int32Array, Float64Array, Float64Array, Float64Array] = [
    new Int32Array(n),
    new Float64Array(n),
    new Float64Array(n),
    new Float64Array(n),
  ];
  let off = 0;
  for (const ch of chunks) {
    const m = ch.rowCount;
    for (let j = 0; j < 4; j++) {
      const v = ch.getColumnVector(j);
      const dst = out[j]!;
      for (let i = 0; i < m; i++) dst[off + i] = v.getItem(i) as number;
    }
    off += m;
  }
  return out;
}

const covariateColumn = (c: CoxCovariate, i: number): Sql =>
  c.type === "categorical"
    ? sql`CAST(${ident(c.name)} AS VARCHAR) AS ${ident(`c${i}`)}`
    : sql`CAST(${ident(c.name)} AS DOUBLE) AS ${ident(`c${i}`)}`;

function complete(covariates: readonly CoxCovariate[]): Sql {
  return covariates.length === 0
    ? sql`TRUE`
    : join(
        covariates.map((c) => sql`${ident(c.name)} IS NOT NULL`),
        sql` AND `,
      );
}

function toMatrix(a: Float64Array, p: number): number[][] {
  return Array.from({ length: p }, (_, i) => Array.from(a.subarray(i * p, i * p + p)));
}

/** Fit the Cox model (Efron ties) to the rows of `src`; see the file header. */
export async function coxPh(
  conn: DuckDBConnection,
  src: Sql,
  covariates: readonly CoxCovariate[],
  opts: CoxOptions = {},
): Promise<CoxModel> {
  const robust = opts.robust ?? true;
  const confLevel = opts.confLevel ?? 0.95;
  if (covariates.length === 0) throw new Error("Cox: geen covariaten");
  const names = new Set(covariates.map((c) => c.name));
  if (names.size !== covariates.length || ["id", "tijd", "status"].some((n) => names.has(n)))
    throw new Error("Cox: covariaatnamen moeten uniek zijn en niet id/tijd/status");

  const check = await readAll(
    conn,
    sql`SELECT count(*)::DOUBLE AS n,
               count(*) FILTER (WHERE NOT (${complete(covariates)}))::DOUBLE AS dropped,
               count(*) FILTER (WHERE tijd IS NULL OR NOT isfinite(tijd::DOUBLE))::DOUBLE AS bad_time,
               count(*) FILTER (WHERE status IS NULL OR NOT (status::DOUBLE IN (0, 1)))::DOUBLE AS bad_status,
               count(DISTINCT id) FILTER (WHERE ${complete(covariates)})::DOUBLE AS n_id,
               count(*) FILTER (WHERE id IS NULL)::DOUBLE AS null_id
        FROM (${src}) AS src`,
  );
  const [n, nDropped, badTime, badStatus, nId, nullId] = (check.getRowsJS()[0] as number[]).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (robust && nullId > 0) throw new Error(`Cox: ${nullId} rijen zonder id (nodig voor de robuuste variantie)`);
  if (badTime > 0) throw new Error(`Cox: ${badTime} rijen zonder geldige tijd (NULL of niet eindig)`);
  if (badStatus > 0) throw new Error(`Cox: ${badStatus} rijen met status NULL of buiten 0/1`);

  // cells (pattern, tijd) in a temporary table; patterns numbered in SQL, so that the large
  // cell table reaches JS as numbers only (read chunk by chunk into typed arrays)
  const cols = join(covariates.map(covariateColumn));
  const cnames = join(covariates.map((_, i) => ident(`c${i}`)));
  await run(
    conn,
    sql`CREATE OR REPLACE TEMP TABLE ${ident(CELLEN)} AS
        WITH cells AS MATERIALIZED (
          SELECT ${cols}, tijd::DOUBLE AS t,
                 count(*) FILTER (WHERE status = 1)::DOUBLE AS ev,
                 count(*) FILTER (WHERE status = 0)::DOUBLE AS ce
          FROM (${src}) AS src WHERE ${complete(covariates)}
          GROUP BY ALL
        ), patterns AS (
          SELECT ${cnames}, (row_number() OVER (ORDER BY ${cnames}) - 1)::INTEGER AS k
          FROM (SELECT DISTINCT ${cnames} FROM cells)
        )
        SELECT * FROM cells JOIN patterns USING (${cnames})`,
  );
  let patterns: (string | number)[][];
  let cellPattern: Int32Array;
  let cellTime: Float64Array;
  let cellEvent: Float64Array;
  let cellCensor: Float64Array;
  try {
    const pr = await readAll(conn, sql`SELECT DISTINCT k, ${cnames} FROM ${qualified("temp", "main", CELLEN)} ORDER BY k`);
    const pc = pr.getColumnsJS() as unknown[][];
    patterns = (pc[0] as number[]).map((_, k) => covariates.map((_, i) => pc[i + 1]![k] as string | number));
    [cellPattern, cellTime, cellEvent, cellCensor] = await numericColumns(
      conn,
      sql`SELECT k, t, ev, ce FROM ${qualified("temp", "main", CELLEN)} ORDER BY t, k`,
    );
  } finally {
    await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", "main", CELLEN)}`);
  }
  const nCell = cellTime.length;
  if (nCell === 0) throw new Error("Cox: geen rijen met volledige covariaten");
  const patEvents = new Array<number>(patterns.length).fill(0);
  const patCount = new Array<number>(patterns.length).fill(0);
  for (let c = 0; c < nCell; c++) {
    patEvents[cellPattern[c]!]! += cellEvent[c]!;
    patCount[cellPattern[c]!]! += cellEvent[c]! + cellCensor[c]!;
  }
  const { terms, columnNames } = buildTerms(covariates, patterns, patEvents);
  const p = columnNames.length;
  const nPattern = patterns.length;
  const x = new Float64Array(nPattern * p);
  patterns.forEach((row, k) => x.set(designRow(terms, p, row), k * p));
  const nUsed = n - nDropped;
  const center = new Array<number>(p).fill(0);
  for (let k = 0; k < nPattern; k++) for (let j = 0; j < p; j++) center[j]! += (patCount[k]! * x[k * p + j]!) / nUsed;
  for (let k = 0; k < nPattern; k++) for (let j = 0; j < p; j++) x[k * p + j]! -= center[j]!;

  const aggregate: CoxAggregate = {
    p,
    nPattern,
    x,
    cellPattern,
    cellTime,
    cellEvent,
    cellCensor,
  };
  const core = coxFitAggregate(aggregate, columnNames, opts);
  const variance = core.variance;
  const se = Array.from({ length: p }, (_, j) => Math.sqrt(variance[j * p + j]!));

  let robustVariance: Float64Array | null = null;
  let robustScoreTest: ChiSquareTest | null = null;
  if (robust) {
    const [fitted, nul] = await clusterCrossProducts(conn, src, covariates, terms, center, [
      { beta: core.coef, perTime: core.perTime },
      { beta: new Array<number>(p).fill(0), perTime: core.perTimeNull },
    ]);
    robustVariance = sandwich(variance, fitted!.cross, p);
    robustScoreTest = chiSquare(quadFormInverse(nul!.cross, p, nul!.sum, opts.tolerChol), p);
  }
  const robustSe = robustVariance ? Array.from({ length: p }, (_, j) => Math.sqrt(robustVariance![j * p + j]!)) : null;
  const z = zValue(confLevel);
  const useSe = robustSe ?? se;
  const hazardRatios = columnNames.map((name, j) => {
    const b = core.coef[j]!;
    const s = useSe[j]!;
    return {
      name,
      coef: b,
      hr: Math.exp(b),
      se: s,
      lower: Math.exp(b - z * s),
      upper: Math.exp(b + z * s),
      p: chiSquare((b / s) ** 2, 1).p,
    };
  });
  return {
    n: nUsed,
    nEvent: cellEvent.reduce((a, b) => a + b, 0),
    nDropped,
    nCluster: robust ? nId : null,
    terms,
    columnNames,
    center,
    coef: core.coef,
    variance: toMatrix(variance, p),
    se,
    robustVariance: robustVariance ? toMatrix(robustVariance, p) : null,
    robustSe,
    loglik: core.loglik,
    scoreTest: core.scoreTest,
    likelihoodRatioTest: core.likelihoodRatioTest,
    waldTest: waldTest(core.coef, robustVariance ?? variance, opts.tolerChol),
    robustScoreTest,
    hazardRatios,
    confLevel,
    iterations: core.iterations,
    converged: core.converged,
    data: { aggregate, patterns, patternCount: Float64Array.from(patCount), perTime: core.perTime },
  };
}

/** Design column j of a row as SQL (centred). */
function columnSql(terms: readonly CoxTerm[], center: readonly number[]): Sql[] {
  const out: Sql[] = [];
  terms.forEach((t, i) => {
    const col = ident(`c${i}`);
    if (t.type === "numeric") out.push(sql`(${col} - ${center[t.columns[0]!]!}::DOUBLE)`);
    else
      t.levels
        .filter((l) => l !== t.reference)
        .forEach((l, li) => {
          out.push(sql`((${col} = ${l})::DOUBLE - ${center[t.columns[li]!]!}::DOUBLE)`);
        });
  });
  return out;
}

/**
 * Σ_c u_c u_cᵀ and Σ_c u_c over clusters (ids) of the score residuals (file header), for
 * several β at once (the fit and β = 0 share the event times), in one SQL statement;
 * `perTime` are the sums at each β.
 */
async function clusterCrossProducts(
  conn: DuckDBConnection,
  src: Sql,
  covariates: readonly CoxCovariate[],
  terms: readonly CoxTerm[],
  center: readonly number[],
  sets: readonly { beta: readonly number[]; perTime: PerEventTime }[],
): Promise<{ cross: Float64Array; sum: Float64Array }[]> {
  const p = center.length;
  const nT = sets[0]!.perTime.time.length;
  const name = (what: string, si: number, j?: number): Sql => ident(j === undefined ? `${what}_${si}` : `${what}_${si}_${j}`);
  const colDefs = [sql`t DOUBLE`];
  sets.forEach((_, si) => {
    colDefs.push(sql`${name("a0", si)} DOUBLE`, sql`${name("a1", si)} DOUBLE`);
    for (let j = 0; j < p; j++)
      colDefs.push(sql`${name("m", si, j)} DOUBLE`, sql`${name("b0", si, j)} DOUBLE`, sql`${name("b1", si, j)} DOUBLE`);
  });
  await run(conn, sql`CREATE OR REPLACE TEMP TABLE ${ident(TIJDEN)} (${join(colDefs)})`);
  try {
    const app = await conn.createAppender(TIJDEN, "main", "temp");
    const cumH = sets.map(() => 0);
    const cumG = sets.map(() => new Float64Array(p));
    for (let s = 0; s < nT; s++) {
      app.appendDouble(sets[0]!.perTime.time[s]!);
      sets.forEach(({ perTime }, si) => {
        const h = perTime.hazard[s]!;
        app.appendDouble(cumH[si]! + h);
        app.appendDouble(cumH[si]! + perTime.hazDead[s]!);
        const cg = cumG[si]!;
        for (let j = 0; j < p; j++) {
          const g = perTime.xbarHazard[s * p + j]!;
          app.appendDouble(perTime.mean[s * p + j]!);
          app.appendDouble(cg[j]! + g);
          app.appendDouble(cg[j]! + perTime.xbarHazDead[s * p + j]!);
          cg[j]! += g;
        }
        cumH[si]! += h;
      });
      app.endRow();
    }
    app.flushSync();
    app.closeSync();

    const xs = columnSql(terms, center);
    const xCols = join(xs.map((xj, j) => sql`${xj} AS ${ident(`x${j}`)}`));
    const risks = join(
      sets.map(({ beta }, si) => {
        const eta = join(
          xs.map((_, j) => sql`${ident(`x${j}`)} * ${beta[j]!}::DOUBLE`),
          sql` + `,
        );
        return sql`exp(${eta}) AS ${name("risk", si)}`;
      }),
    );
    const resid: Sql[] = [];
    sets.forEach((_, si) => {
      const [risk, a0, a1] = [name("risk", si), name("a0", si), name("a1", si)];
      for (let j = 0; j < p; j++) {
        const [xj, mj, b0, b1] = [ident(`x${j}`), name("m", si, j), name("b0", si, j), name("b1", si, j)];
        resid.push(sql`sum(CASE WHEN tt.t IS NULL THEN 0
                              WHEN status = 1 THEN (${xj} - ${mj}) - ${risk} * (${xj} * ${a1} - ${b1})
                              ELSE -${risk} * (${xj} * ${a0} - ${b0}) END) AS ${name("u", si, j)}`);
      }
    });
    const aggs: Sql[] = [];
    sets.forEach((_, si) => {
      for (let j = 0; j < p; j++) aggs.push(sql`sum(${name("u", si, j)})`);
      for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) aggs.push(sql`sum(${name("u", si, a)} * ${name("u", si, b)})`);
    });
    const cov = join(covariates.map(covariateColumn));
    const reader = await readAll(
      conn,
      sql`WITH rows AS (
            SELECT id, status::INTEGER AS status, tijd::DOUBLE AS tijd, ${cov}
            FROM (${src}) AS src WHERE ${complete(covariates)}
          ), design AS (
            SELECT id, status, tijd, ${xCols} FROM rows
          ), scored AS (
            SELECT *, ${risks} FROM design
          ), per_id AS (
            SELECT id, ${join(resid)}
            FROM scored ASOF LEFT JOIN ${qualified("temp", "main", TIJDEN)} AS tt ON scored.tijd >= tt.t
            GROUP BY id
          )
          SELECT ${join(aggs)} FROM per_id`,
    );
    const row = (reader.getRowsJS()[0] as number[]).map(Number);
    const perSet = p + (p * (p + 1)) / 2;
    return sets.map((_, si) => {
      const o = si * perSet;
      const sum = Float64Array.from(row.slice(o, o + p));
      const cross = new Float64Array(p * p);
      let i = o + p;
      for (let a = 0; a < p; a++)
        for (let b = 0; b <= a; b++) {
          cross[a * p + b] = row[i]!;
          cross[b * p + a] = row[i]!;
          i++;
        }
      return { cross, sum };
    });
  } finally {
    await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", "main", TIJDEN)}`);
  }
}
