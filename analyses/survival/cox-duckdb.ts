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
 * Newton–Raphson, and for the robust variance the p residual sums of each person per β (in
 * person order): the per-ending sums stay in DuckDB; their products over persons are summed in
 * JS, in that fixed order.
 *
 * Robust variance (R `coxph(…, cluster = id)`): V_rob = V B V, V = I⁻¹, B = Σ_c u_c u_cᵀ with
 * u_c the sum over the rows of cluster c of the score residuals (R `coxscore2`, Efron):
 *   u_i = δ_i (x_i − x̄(t_i)) − r_i [x_i A(t_i, δ_i) − B(t_i, δ_i)]
 * with r_i = exp(x_i β), x̄(t) = (1/d) Σ_l x̄_l(t) and, over event times s:
 *   censored (δ = 0): A = Σ_{s ≤ t} h(s),            B = Σ_{s ≤ t} Σ_l x̄_l(s)/D_l(s)
 *   event    (δ = 1): A = Σ_{s < t} h(s) + Σ_l (1 − l/d)/D_l(t),
 *                     B = Σ_{s < t} Σ_l x̄_l(s)/D_l(s) + Σ_l (1 − l/d) x̄_l(t)/D_l(t)
 * (h(s) = Σ_l 1/D_l(s); an event at t is in the l-th Efron risk set with weight 1 − l/d).
 * A row's residual depends only on its pattern, tijd and status: JS sends DuckDB per pattern r
 * and x and per distinct (tijd, status) A, B and x̄, and one statement forms the residuals and
 * sums them per person in exact fixed point; JS sums their cross-products over persons
 * (`clusterCrossProducts`), for β̂ and, for the robust score test (R `rscore`: Uᵀ B₀⁻¹ U with
 * U = Σ_c u_c(0)), β = 0 (`robustScoreTest: false` skips it). The Wald test uses the robust variance, as R does when a
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
import {
  doubleColumns,
  ident,
  join,
  numericTempTable,
  qualified,
  readAll,
  run,
  sql,
  type NumericColumn,
  type Sql,
} from "../../core/sql.ts";
import { zValue } from "./confint.ts";
import { exactSum, fixedSum } from "../lib/sql.ts";
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
const PATRONEN = "_cox_patronen";
const TIJDEN = "_cox_tijden";

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
  // reach JS as numbers only, read chunk by chunk into typed arrays; the robust variance sums
  // the rows per person in SQL
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
 * Σ_c u_c u_cᵀ and Σ_c u_c over clusters (persons) of the weighted score residuals (file header),
 * for several β at once (the fit and β = 0 share the event times); `perTime` are the sums at
 * each β. A row's residual depends only on its pattern k, its tijd t (through the last event
 * time s ≤ t), its status and its weight:
 *   u_j = w (δ (x_kj − M_j) − r_k (x_kj A − B_j)),
 * M = x̄(s) for an event and 0 when censored; A, B as in the file header, 0 before the first
 * event time. Two small tables go to DuckDB (appender): per pattern (k, and per β r_k and x_k)
 * and per distinct tijd and status (t, status, and per β A, B, M). One statement joins the rows
 * to both on equality and sums the residuals per person with an order-free sum; the person sums
 * come back ordered by person, and their products and the sums over persons are added up here in
 * that order (byte-identical reruns; summing the p(p+1)/2 products in DuckDB, also order-free,
 * cost about a third more of the robust variance's time, 1.67 → 1.22 s CPU at scale 1).
 *
 * Scaling for `fixedSum`: per β, design column j is scaled by the power of two σ_j with
 * σ_j T_j ≤ 1 for the bound T_j = W (X_j + M_j + R (X_j A + B_j)) on a row's |u_j| (maxima over
 * patterns and times, W ≥ the largest weight); x, B and M are sent times σ_j, so a row's residual
 * is exactly σ_j u_j; the σ_j are divided out of the sums (exactly).
 */
async function clusterCrossProducts(
  conn: DuckDBConnection,
  agg: CoxAggregate,
  sets: readonly { beta: readonly number[]; perTime: PerEventTime }[],
): Promise<{ cross: Float64Array; sum: Float64Array }[]> {
  const { p, nPattern, x, cellTime } = agg;
  const nSet = sets.length;
  // the largest weight is at most the largest weight sum of a cell
  let maxWeight = 1;
  if (agg.cellEventWeight && agg.cellCensorWeight) {
    maxWeight = 0;
    for (let c = 0; c < cellTime.length; c++) maxWeight = Math.max(maxWeight, agg.cellEventWeight[c]! + agg.cellCensorWeight[c]!);
  }
  const maxX = new Float64Array(p);
  for (let k = 0; k < nPattern; k++) for (let j = 0; j < p; j++) maxX[j] = Math.max(maxX[j]!, Math.abs(x[k * p + j]!));

  // the distinct tijd values of the rows are those of the cells (sorted ascending); per value
  // the index s of the last event time <= t (-1 before the first); keys (t, status): censored
  // at every tijd, events at the event times
  const time = sets[0]!.perTime.time;
  const nT = time.length;
  const keyT: number[] = [];
  const keyStatus: number[] = [];
  const keyS: number[] = [];
  for (let c = 0, s = -1; c < cellTime.length; c++) {
    const t = cellTime[c]!;
    if (c > 0 && t === cellTime[c - 1]) continue;
    while (s + 1 < nT && time[s + 1]! <= t) s++;
    keyT.push(t);
    keyStatus.push(0);
    keyS.push(s);
    if (s >= 0 && time[s] === t) {
      keyT.push(t);
      keyStatus.push(1);
      keyS.push(s);
    }
  }
  const nKey = keyT.length;

  const patternCols: NumericColumn[] = [{ name: "k", type: "INTEGER", values: Int32Array.from({ length: nPattern }, (_, k) => k) }];
  const timeCols: NumericColumn[] = [
    { name: "t", type: "DOUBLE", values: keyT },
    { name: "status", type: "INTEGER", values: keyStatus },
  ];
  const scales: Float64Array[] = sets.map(({ beta, perTime }, g) => {
    const risk = new Float64Array(nPattern);
    let maxRisk = 0;
    for (let k = 0; k < nPattern; k++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += x[k * p + j]! * beta[j]!;
      risk[k] = Math.exp(eta);
      maxRisk = Math.max(maxRisk, risk[k]!);
    }
    // cumulative hazard and hazard-weighted means through each event time (inclusive)
    const cumH = new Float64Array(nT);
    const cumG = new Float64Array(nT * p);
    for (let s = 0, h = 0; s < nT; s++) {
      h += perTime.hazard[s]!;
      cumH[s] = h;
      for (let j = 0; j < p; j++) cumG[s * p + j] = (s > 0 ? cumG[(s - 1) * p + j]! : 0) + perTime.xbarHazard[s * p + j]!;
    }
    const a = new Float64Array(nKey);
    const b = Array.from({ length: p }, () => new Float64Array(nKey));
    const m = Array.from({ length: p }, () => new Float64Array(nKey));
    for (let i = 0; i < nKey; i++) {
      const s = keyS[i]!;
      if (s < 0) continue; // before the first event time: residual 0
      if (keyStatus[i] === 1) {
        // an event at its own event time s: charged Σ_{<s} plus its share of time s
        a[i] = (s > 0 ? cumH[s - 1]! : 0) + perTime.hazDead[s]!;
        for (let j = 0; j < p; j++) {
          b[j]![i] = (s > 0 ? cumG[(s - 1) * p + j]! : 0) + perTime.xbarHazDead[s * p + j]!;
          m[j]![i] = perTime.mean[s * p + j]!;
        }
      } else {
        a[i] = cumH[s]!;
        for (let j = 0; j < p; j++) b[j]![i] = cumG[s * p + j]!;
      }
    }
    const maxAbs = (v: Float64Array) => v.reduce((z, e) => Math.max(z, Math.abs(e)), 0);
    const maxA = maxAbs(a);
    const scale = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      const bound = maxWeight * (maxX[j]! + maxAbs(m[j]!) + maxRisk * (maxX[j]! * maxA + maxAbs(b[j]!)));
      scale[j] = bound > 0 && Number.isFinite(bound) ? 2 ** -Math.ceil(Math.log2(bound)) : 1;
      const sj = scale[j]!;
      for (let i = 0; i < nKey; i++) {
        b[j]![i]! *= sj;
        m[j]![i]! *= sj;
      }
      const xs = new Float64Array(nPattern);
      for (let k = 0; k < nPattern; k++) xs[k] = x[k * p + j]! * sj;
      patternCols.push({ name: `x${g}_${j}`, type: "DOUBLE", values: xs });
    }
    patternCols.push({ name: `r${g}`, type: "DOUBLE", values: risk });
    timeCols.push(
      { name: `a${g}`, type: "DOUBLE", values: a },
      ...b.map((values, j): NumericColumn => ({ name: `b${g}_${j}`, type: "DOUBLE", values })),
      ...m.map((values, j): NumericColumn => ({ name: `m${g}_${j}`, type: "DOUBLE", values })),
    );
    return scale;
  });

  try {
    const patterns = await numericTempTable(conn, PATRONEN, patternCols);
    const times = await numericTempTable(conn, TIJDEN, timeCols);
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);
    const cols = range(nSet).flatMap((g) => range(p).map((j) => ({ g, j, u: ident(`u${g}_${j}`), m: ident(`m${g}_${j}`) })));
    const residual = (g: number, j: number) => {
      const xj = sql`x.${ident(`x${g}_${j}`)}`;
      return sql`r.w * (r.status * (${xj} - tt.${ident(`m${g}_${j}`)}) - x.${ident(`r${g}`)} * (${xj} * tt.${ident(`a${g}`)} - tt.${ident(`b${g}_${j}`)}))`;
    };
    // the person sums, in person order, as typed arrays: their products are summed here, in
    // that fixed order (a DOUBLE sum in DuckDB would add them in any order)
    const u = await doubleColumns(
      conn,
      sql`SELECT ${join(cols.map((c) => sql`${fixedSum(residual(c.g, c.j))} AS ${c.u}`))}
          FROM ${qualified("temp", "main", RIJEN)} r
            JOIN ${patterns} x ON x.k = r.k
            JOIN ${times} tt ON tt.t = r.t AND tt.status = r.status
          GROUP BY r.nr ORDER BY r.nr`,
      cols.length,
    );
    const nPerson = u[0]?.length ?? 0;
    return scales.map((scale, g) => {
      const ug = u.slice(g * p, (g + 1) * p);
      const cross = new Float64Array(p * p);
      const sum = new Float64Array(p);
      const row = new Float64Array(p);
      for (let i = 0; i < nPerson; i++) {
        for (let a = 0; a < p; a++) row[a] = ug[a]![i]!;
        for (let a = 0; a < p; a++) {
          const ra = row[a]!;
          if (ra === 0) continue;
          sum[a]! += ra;
          for (let b = 0; b <= a; b++) cross[a * p + b]! += ra * row[b]!;
        }
      }
      for (let a = 0; a < p; a++) {
        sum[a] = sum[a]! / scale[a]!;
        for (let b = 0; b <= a; b++) {
          const z = cross[a * p + b]! / scale[a]! / scale[b]!;
          cross[a * p + b] = z;
          cross[b * p + a] = z;
        }
      }
      return { cross, sum };
    });
  } finally {
    await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", "main", PATRONEN)}`);
    await run(conn, sql`DROP TABLE IF EXISTS ${qualified("temp", "main", TIJDEN)}`);
  }
}
