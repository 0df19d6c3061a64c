/** Fixtures of scripts/r/make-golden-ipw.R and loading their rows into an in-memory DuckDB. */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll } from "vitest";
import { ident, run, sql } from "../../core/sql.ts";
import { fitPropensity, type BalanceRow, type PropensitySpec, type Trimming } from "../../analyses/adjust/index.ts";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "adjust");

type Summary = Record<string, { n: number; min: number; p01: number; mediaan: number; p99: number; max: number; som: number; ess: number }>;
type Km = Record<string, { time: number[]; n_risk: number[]; n_event: number[]; n_censor: number[]; surv: number[] }>;
type Aj = Record<
  string,
  { time: number[]; n_risk: number[]; n_event_1: number[]; n_event_2: number[]; surv: number[]; cum_inc_1: number[]; cum_inc_2: number[] }
>;

export interface IpwFixture {
  name: string;
  data: {
    persoon_id: string[];
    groep: string[];
    regeling: string[];
    diagnosegroep: (string | null)[];
    opleidingsniveau: string[];
    geslacht: string[];
    jaar: number[];
    leeftijd: number[];
    uren_per_week: (number | null)[];
    tijd: number[];
    status: number[];
  };
  spec: PropensitySpec & { samenvoegenOnder: number | null };
  fout_zonder_samenvoegen: boolean;
  /** nnet::multinom as it stops (BFGS, reltol 1e-12) */
  model: {
    terms: string[];
    groepen: string[];
    coef: number[][];
    se: number[][];
    deviance: number;
    convergence: number;
    fitted: number[][];
  };
  /** the optimum: Newton steps in R from multinom's solution; weights and curves below use it */
  optimum: { coef: number[][]; se: number[][]; deviance: number; max_gradient: number; newton_stappen: number; fitted: number[][] };
  p_groep: number[];
  gewicht_ruw: number[];
  varianten: {
    trimming: Trimming;
    onder: number | null;
    boven: number | null;
    gewicht: number[];
    samenvatting_ruw: Summary;
    samenvatting: Summary;
  }[];
  /** R's balance table, in the library's row shape */
  balans: BalanceRow[];
  curves: { km: Km; aj: Aj };
}

export function loadFixtures(): IpwFixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.startsWith("ipw-") && f.endsWith(".json"))
    .sort()
    .map((f) => {
      const fx = JSON.parse(readFileSync(join(FIXTURES, f), "utf8")) as IpwFixture;
      const spec = { ...fx.spec } as PropensitySpec & { samenvoegenOnder?: number | null };
      if (spec.samenvoegenOnder === null) delete spec.samenvoegenOnder;
      // R writes a missing afronding as absent, scalars as numbers
      return { ...fx, spec: spec as IpwFixture["spec"] };
    });
}

/** The fixture's rows as table `name` (with a row number `rij`, 1-based, in R's order). */
export async function loadRows(conn: DuckDBConnection, name: string, d: IpwFixture["data"]): Promise<void> {
  await run(
    conn,
    sql`CREATE OR REPLACE TABLE ${ident(name)} (rij INTEGER, persoon_id VARCHAR, groep VARCHAR, regeling VARCHAR, diagnosegroep VARCHAR,
        opleidingsniveau VARCHAR, geslacht VARCHAR, jaar INTEGER, leeftijd INTEGER, uren_per_week DOUBLE, tijd INTEGER, status INTEGER)`,
  );
  const app = await conn.createAppender(name);
  const str = (v: string | null) => (v === null ? app.appendNull() : app.appendVarchar(v));
  for (let i = 0; i < d.groep.length; i++) {
    app.appendInteger(i + 1);
    str(d.persoon_id[i]!);
    str(d.groep[i]!);
    str(d.regeling[i]!);
    str(d.diagnosegroep[i]!);
    str(d.opleidingsniveau[i]!);
    str(d.geslacht[i]!);
    app.appendInteger(d.jaar[i]!);
    app.appendInteger(d.leeftijd[i]!);
    const u = d.uren_per_week[i]!;
    if (u === null) app.appendNull();
    else app.appendDouble(u);
    app.appendInteger(d.tijd[i]!);
    app.appendInteger(d.status[i]!);
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
}

/** Largest absolute difference over paired arrays (length mismatch: Infinity). */
export function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return Number.isNaN(m) ? Infinity : m;
}

/** Relative difference |a − b| / max(|b|, floor); the agreement figures the tests report. */
export function relDiff(a: number, b: number, floor = 1e-12): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(b), floor);
}

/** Largest relative difference over paired arrays (length mismatch: Infinity). */
export function maxRel(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const d = Number.isNaN(x) && Number.isNaN(y) ? 0 : relDiff(x, y, floor);
    m = Math.max(m, Number.isNaN(d) ? Infinity : d);
  }
  return m;
}

/** One in-memory DuckDB connection for a test file: opened before its tests (handed to `set`), closed after. */
export function memoryConnection(set: (conn: DuckDBConnection) => void): void {
  let conn: DuckDBConnection | undefined;
  beforeAll(async () => {
    conn = await (await DuckDBInstance.create(":memory:")).connect();
    set(conn);
  });
  afterAll(() => conn?.closeSync());
}

/** A fixture's rows as table `eindes` and the propensity model fitted on them. */
export async function fitFixture(conn: DuckDBConnection, fx: IpwFixture) {
  await loadRows(conn, "eindes", fx.data);
  const src = sql`SELECT * FROM eindes`;
  return { src, model: await fitPropensity(conn, src, fx.spec) };
}
