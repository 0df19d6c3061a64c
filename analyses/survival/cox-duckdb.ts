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
 * Newton–Raphson, and for the robust variance one row of five numbers per ending.
 *
 * Robust variance (R `coxph(…, cluster = id)`): V_rob = V B V, V = I⁻¹, B = Σ_c u_c u_cᵀ with
 * u_c the sum over the rows of cluster c of the score residuals (R `coxscore2`, Efron):
 *   u_i = δ_i (x_i − x̄(t_i)) − r_i [x_i A(t_i, δ_i) − B(t_i, δ_i)]
 * with r_i = exp(x_i β), x̄(t) = (1/d) Σ_l x̄_l(t) and, over event times s:
 *   censored (δ = 0): A = Σ_{s ≤ t} h(s),            B = Σ_{s ≤ t} Σ_l x̄_l(s)/D_l(s)
 *   event    (δ = 1): A = Σ_{s < t} h(s) + Σ_l (1 − l/d)/D_l(t),
 *                     B = Σ_{s < t} Σ_l x̄_l(s)/D_l(s) + Σ_l (1 − l/d) x̄_l(t)/D_l(t)
 * (h(s) = Σ_l 1/D_l(s); an event at t is in the l-th Efron risk set with weight 1 − l/d).
 * A row's residual depends only on its pattern, tijd and status: DuckDB sends one row per
 * ending (pattern number, tijd, status, weight, person number, sorted by person) and the
 * residuals, per-person sums and cross-products are formed in JS in one pass, for β̂ and, for the
 * robust score test (R `rscore`: Uᵀ B₀⁻¹ U with U = Σ_c u_c(0)), β = 0 (`robustScoreTest: false`
 * skips it). The Wald test uses the robust variance, as R does when a
 * cluster is given; hazard-ratio intervals use the robust standard error (R summary.coxph).
 *
 * Case weights (`weights`: a column of `src`, e.g. stabilised inverse-probability weights for a
 * marginal structural model), as R `coxph(..., weights = w, cluster = id)`: the cells carry
 * weight sums next to the counts (./cox-sums.ts; summed exactly, so that reruns are
 * byte-identical), the design is centred by weighted means and
 * each row's score residual enters its cluster's sum times its weight (R residuals "dfbeta",
 * weighted = TRUE). A weight must be finite and > 0. The proportional-hazards test
 * (./cox-zph.ts) and the standardised curves (./standardise.ts) are for unweighted fits only.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, join, qualified, readAll, run, sql, type Sql } from "../../core/sql.ts";
import { zValue } from "./confint.ts";
import { exactSum } from "../lib/sql.ts";
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
import { sparseRows, type CoxAggregate, type PerEventTime } from "./cox-sums.ts";
import { quadFormInverse, sandwich } from "../lib/linalg.ts";

export interface CoxOptions extends CoxControl {
  /** person-clustered robust variance on `id` (default true) */
  robust?: boolean;
  confLevel?: number; // default 0.95
  /** column of `src` with case weights (default: none) */
  weights?: string;
  /** compute the robust score test at β = 0 (default true; it doubles the residual work) */
  robustScoreTest?: boolean;
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
  /** fitted with case weights */
  weighted: boolean;
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

const RIJEN = "_cox_rijen";

/** Columns (INTEGER first, then `nDouble` DOUBLE) of a large numeric result, chunk by chunk into typed arrays. */
async function numericColumns(conn: DuckDBConnection, q: Sql, nDouble: number): Promise<[Int32Array, ...Float64Array[]]> {
  const result = await run(conn, q);
  const chunks = await result.fetchAllChunks();
  const n = chunks.reduce((a, ch) => a + ch.rowCount, 0);
  const out: [Int32Array, ...Float64Array[]] = [new Int32Array(n), ...Array.from({ length: nDouble }, () => new Float64Array(n))];
  let off = 0;
  for (const ch of chunks) {
    const m = ch.rowCount;
    for (let j = 0; j <= nDouble; j++) {
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
  try {
    return await fitCox(conn, src, covariates, opts);
  } finally {
    await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", "main", RIJEN)}`);
  }
}

async function fitCox(conn: DuckDBConnection, src: Sql, covariates: readonly CoxCovariate[], opts: CoxOptions = {}): Promise<CoxModel> {
  const robust = opts.robust ?? true;
  const confLevel = opts.confLevel ?? 0.95;
  if (covariates.length === 0) throw new Error("Cox: geen covariaten");
  const names = new Set(covariates.map((c) => c.name));
  if (names.size !== covariates.length || ["id", "tijd", "status"].some((n) => names.has(n)))
    throw new Error("Cox: covariaatnamen moeten uniek zijn en niet id/tijd/status");
  if (opts.weights !== undefined && (names.has(opts.weights) || ["id", "tijd", "status"].includes(opts.weights)))
    throw new Error("Cox: de gewichtkolom mag geen covariaat of id/tijd/status zijn");
  const w: Sql = opts.weights === undefined ? sql`1.0` : sql`CAST(${ident(opts.weights)} AS DOUBLE)`;

  const check = await readAll(
    conn,
    sql`SELECT count(*)::DOUBLE AS n,
               count(*) FILTER (WHERE NOT (${complete(covariates)}))::DOUBLE AS dropped,
               count(*) FILTER (WHERE tijd IS NULL OR NOT isfinite(tijd::DOUBLE))::DOUBLE AS bad_time,
               count(*) FILTER (WHERE status IS NULL OR NOT (status::DOUBLE IN (0, 1)))::DOUBLE AS bad_status,
               count(DISTINCT id) FILTER (WHERE ${complete(covariates)})::DOUBLE AS n_id,
               count(*) FILTER (WHERE id IS NULL)::DOUBLE AS null_id,
               count(*) FILTER (WHERE ${w} IS NULL OR NOT isfinite(${w}) OR ${w} <= 0)::DOUBLE AS bad_weight
        FROM (${src}) AS src`,
  );
  const [n, nDropped, badTime, badStatus, nId, nullId, badWeight] = (check.getRowsJS()[0] as number[]).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (badWeight > 0) throw new Error(`Cox: ${badWeight} rijen met een gewicht dat NULL, niet eindig of niet positief is`);
  if (robust && nullId > 0) throw new Error(`Cox: ${nullId} rijen zonder id (nodig voor de robuuste variantie)`);
  if (badTime > 0) throw new Error(`Cox: ${badTime} rijen zonder geldige tijd (NULL of niet eindig)`);
  if (badStatus > 0) throw new Error(`Cox: ${badStatus} rijen met status NULL of buiten 0/1`);

  // one row per ending in a temporary table with its pattern number and person number (the only
  // scan of `src` with its covariate strings); the cells (pattern, tijd) are grouped from it and
  // reach JS as numbers only, read chunk by chunk into typed arrays; the robust variance reads
  // the rows sorted by person
  const cols = join(covariates.map(covariateColumn));
  const cnames = join(covariates.map((_, i) => ident(`c${i}`)));
  const rijen = qualified("temp", "main", RIJEN);
  await run(
    conn,
    sql`CREATE OR REPLACE TEMP TABLE ${ident(RIJEN)} AS
        SELECT ${robust ? sql`dense_rank() OVER (ORDER BY id)::INTEGER` : sql`0`} AS nr,
               (dense_rank() OVER (ORDER BY ${cnames}) - 1)::INTEGER AS k, *
        FROM (SELECT id, ${cols}, tijd::DOUBLE AS t, status::INTEGER AS status, ${w} AS w
              FROM (${src}) AS src WHERE ${complete(covariates)})`,
  );
  const pr = await readAll(conn, sql`SELECT DISTINCT k, ${cnames} FROM ${rijen} ORDER BY k`);
  const pc = pr.getColumnsJS() as unknown[][];
  // (an empty result has no columns)
  const patterns = ((pc[0] ?? []) as number[]).map((_, k) => covariates.map((_, i) => pc[i + 1]![k] as string | number));
  const [cellPattern, cellTime, cellEvent, cellCensor, cellEventWeight, cellCensorWeight] = (await numericColumns(
    conn,
    sql`SELECT k, t, count(*) FILTER (WHERE status = 1)::DOUBLE, count(*) FILTER (WHERE status = 0)::DOUBLE,
               ${exactSum(sql`CASE WHEN status = 1 THEN w ELSE 0 END`)}, ${exactSum(sql`CASE WHEN status = 0 THEN w ELSE 0 END`)}
        FROM ${rijen} GROUP BY k, t ORDER BY t, k`,
    5,
  )) as [Int32Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const nCell = cellTime.length;
  if (nCell === 0) throw new Error("Cox: geen rijen met volledige covariaten");
  const patEvents = new Array<number>(patterns.length).fill(0);
  const patCount = new Array<number>(patterns.length).fill(0);
  const patWeight = new Array<number>(patterns.length).fill(0);
  for (let c = 0; c < nCell; c++) {
    patEvents[cellPattern[c]!]! += cellEvent[c]!;
    patCount[cellPattern[c]!]! += cellEvent[c]! + cellCensor[c]!;
    patWeight[cellPattern[c]!]! += cellEventWeight[c]! + cellCensorWeight[c]!;
  }
  const weightTotal = patWeight.reduce((a, b) => a + b, 0);
  const { terms, columnNames } = buildTerms(covariates, patterns, patEvents);
  const p = columnNames.length;
  const nPattern = patterns.length;
  const x = new Float64Array(nPattern * p);
  patterns.forEach((row, k) => x.set(designRow(terms, p, row), k * p));
  const sparse = sparseRows(x, nPattern, p);
  const nUsed = n - nDropped;
  const center = new Array<number>(p).fill(0);
  for (let k = 0; k < nPattern; k++) for (let j = 0; j < p; j++) center[j]! += (patWeight[k]! * x[k * p + j]!) / weightTotal;
  for (let k = 0; k < nPattern; k++) for (let j = 0; j < p; j++) x[k * p + j]! -= center[j]!;

  const aggregate: CoxAggregate = {
    p,
    nPattern,
    x,
    center: Float64Array.from(center),
    sparse,
    cellPattern,
    cellTime,
    cellEvent,
    cellCensor,
    ...(opts.weights === undefined ? {} : { cellEventWeight, cellCensorWeight }),
  };
  const core = coxFitAggregate(aggregate, columnNames, opts);
  const variance = core.variance;
  const se = Array.from({ length: p }, (_, j) => Math.sqrt(variance[j * p + j]!));

  let robustVariance: Float64Array | null = null;
  let robustScoreTest: ChiSquareTest | null = null;
  if (robust) {
    const sets = [{ beta: core.coef, perTime: core.perTime }];
    if (opts.robustScoreTest !== false) sets.push({ beta: new Array<number>(p).fill(0), perTime: core.perTimeNull });
    const [fitted, nul] = await clusterCrossProducts(conn, aggregate, sets);
    robustVariance = sandwich(variance, fitted!.cross, p);
    if (nul) robustScoreTest = chiSquare(quadFormInverse(nul.cross, p, nul.sum, opts.tolerChol), p);
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
    weighted: opts.weights !== undefined,
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

/**
 * Σ_c u_c u_cᵀ and Σ_c u_c over clusters (ids) of the weighted score residuals (file header),
 * for several β at once (the fit and β = 0 share the event times); `perTime` are the sums at
 * each β. A row's residual depends only on its pattern, tijd and status, so DuckDB sends one
 * row per ending with its pattern number (from the rows table), tijd, status, weight and a
 * person number, sorted by person, and the residuals and per-person sums are formed here in one
 * pass (O(rows · p + persons · p²)).
 */
async function clusterCrossProducts(
  conn: DuckDBConnection,
  agg: CoxAggregate,
  sets: readonly { beta: readonly number[]; perTime: PerEventTime }[],
): Promise<{ cross: Float64Array; sum: Float64Array }[]> {
  const { p, nPattern, x } = agg;
  const [nr, pattern, tijd, status, w] = (await numericColumns(
    conn,
    // sorted on every column, so that a person's rows are added in the same order on every run
    // (ties are identical rows): reruns are byte-identical
    sql`SELECT nr, k::DOUBLE, t, status::DOUBLE, w FROM ${qualified("temp", "main", RIJEN)} ORDER BY nr, k, t, status, w`,
    4,
  )) as [Int32Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const nRow = nr.length;
  const time = sets[0]!.perTime.time;
  const nT = time.length;
  // event-time index of each row: the last event time <= tijd (-1 before the first)
  const rowT = new Int32Array(nRow);
  for (let i = 0; i < nRow; i++) {
    let lo = 0;
    let hi = nT; // first index with time > tijd
    const t = tijd[i]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (time[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    rowT[i] = lo - 1;
  }
  return sets.map(({ beta, perTime }) => {
    const risk = new Float64Array(nPattern);
    for (let k = 0; k < nPattern; k++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += x[k * p + j]! * beta[j]!;
      risk[k] = Math.exp(eta);
    }
    // cumulative hazard and hazard-weighted means through each event time (inclusive)
    const cumH = new Float64Array(nT);
    const cumG = new Float64Array(nT * p);
    for (let s = 0, h = 0; s < nT; s++) {
      h += perTime.hazard[s]!;
      cumH[s] = h;
      for (let j = 0; j < p; j++) cumG[s * p + j] = (s > 0 ? cumG[(s - 1) * p + j]! : 0) + perTime.xbarHazard[s * p + j]!;
    }
    const cross = new Float64Array(p * p);
    const sum = new Float64Array(p);
    const u = new Float64Array(p);
    const flush = () => {
      for (let a = 0; a < p; a++) {
        const ua = u[a]!;
        sum[a]! += ua;
        if (ua !== 0) for (let b = 0; b <= a; b++) cross[a * p + b]! += ua * u[b]!;
      }
      u.fill(0);
    };
    for (let i = 0; i < nRow; i++) {
      if (i > 0 && nr[i] !== nr[i - 1]) flush();
      const s = rowT[i]!;
      if (s < 0) continue; // before the first event time: residual 0
      const k = pattern[i]!;
      const r = risk[k]!;
      const wi = w[i]!;
      if (status[i] === 1) {
        // an event at its own event time s: charged Σ_{<s} plus its share of time s
        const aPrev = s > 0 ? cumH[s - 1]! : 0;
        const A = aPrev + perTime.hazDead[s]!;
        for (let j = 0; j < p; j++) {
          const xj = x[k * p + j]!;
          const B = (s > 0 ? cumG[(s - 1) * p + j]! : 0) + perTime.xbarHazDead[s * p + j]!;
          u[j]! += wi * (xj - perTime.mean[s * p + j]! - r * (xj * A - B));
        }
      } else {
        const A = cumH[s]!;
        for (let j = 0; j < p; j++) {
          const xj = x[k * p + j]!;
          u[j]! -= wi * r * (xj * A - cumG[s * p + j]!);
        }
      }
    }
    if (nRow > 0) flush();
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) cross[b * p + a] = cross[a * p + b]!;
    return { cross, sum };
  });
}
