/**
 * How much the figures move between readings of the definitions (issue 12.6), for researchers:
 * the same extracts run once per reading, and the figures that depend on the reading side by side.
 *
 *   npx tsx scripts/lezingen.ts --extracts <dir> [--work /tmp/bm-lezingen] [--lezingen standaard,…]
 *
 * Readings (each a config of `baanmonitor run`; the defaults are in pipeline/config.ts):
 *   standaard                        the defaults
 *   jobcoach_betrokken_bij_einde     d3.betrokkenBijEindeDagen 31: a jobcoach no longer involved in
 *                                    the last month of the job makes it geen (report §3.1)
 *   jobcoach_zichtbaar_vanaf_2015    d3.zichtbaarVanaf 2015-01-01: coaching before 2015 unseen
 *                                    (report footnote 36)
 *   proefplaatsing_lopend            d5.proefplaatsingZonderEinde lopend: a proefplaatsing without
 *                                    an end date runs whatever its result
 *   eigen_organisatie_zonder_grens   d6.voorEindeDagenEigenOrganisatie null: a service running at
 *                                    the end counts for fig 3.7 however long before it started
 *
 * Output: a table on stdout and `<work>/lezingen.csv`, from each run's full-precision analysis
 * results (`analyses/<id>.parquet`), not from the published set.
 * NOT FOR PUBLICATION: two near-identical populations side by side are a differencing risk (the
 * endings whose category changes between two readings can be worked out from the difference), and
 * no disclosure check covers the relation between runs. Runs already in <work> are reused.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { sql, type Sql } from "../core/sql.ts";
import { query } from "../analyses/lib/sql.ts";

const LEZINGEN: Record<string, Record<string, unknown>> = {
  standaard: {},
  jobcoach_betrokken_bij_einde: { d3: { betrokkenBijEindeDagen: 31 } },
  jobcoach_zichtbaar_vanaf_2015: { d3: { zichtbaarVanaf: "2015-01-01" } },
  proefplaatsing_lopend: { d5: { proefplaatsingZonderEinde: "lopend" } },
  eigen_organisatie_zonder_grens: { d6: { voorEindeDagenEigenOrganisatie: null } },
};

const { values } = parseArgs({
  options: {
    extracts: { type: "string" },
    work: { type: "string", default: "/tmp/bm-lezingen" },
    lezingen: { type: "string", default: Object.keys(LEZINGEN).join(",") },
  },
});
if (!values.extracts) {
  console.error("gebruik: npx tsx scripts/lezingen.ts --extracts <map> [--work <map>] [--lezingen standaard,…]");
  process.exit(2);
}
const names = values.lezingen.split(",").map((s) => s.trim());
for (const n of names) {
  if (!(n in LEZINGEN)) {
    console.error(`onbekende lezing "${n}"; kies uit ${Object.keys(LEZINGEN).join(", ")}`);
    process.exit(2);
  }
}
const BIN = resolve(import.meta.dirname, "..", "bin", "baanmonitor.mjs");

/** Run the pipeline with this reading's config (reused when the same config already ran). */
function runReading(naam: string): string {
  const dir = join(values.work, naam);
  const out = join(dir, "out");
  const config = JSON.stringify({ parameters: LEZINGEN[naam] }, null, 2);
  const configFile = join(dir, "config.json");
  const same = existsSync(configFile) && readFileSync(configFile, "utf8") === config;
  if (same && existsSync(join(out, "manifest.json"))) return out;
  mkdirSync(dir, { recursive: true });
  writeFileSync(configFile, config);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, "run", "--extracts", values.extracts!, "--out", out, "--config", configFile], {
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
  });
  // exit 3: the publication was refused; the analysis results are there all the same
  if (r.status !== 0 && r.status !== 3) throw new Error(`lezing ${naam}: run faalde (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  console.error(`lezing ${naam}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return out;
}

interface Figure {
  figuur: string;
  waarde: number | null;
}

/** The reading-dependent figures of one run, from its full-precision analysis results. */
async function figures(conn: DuckDBConnection, out: string): Promise<Figure[]> {
  const file = (id: string) => join(out, "analyses", `${id}.parquet`);
  const rows = (q: Sql) => query(conn, q);
  const f: Figure[] = [];
  const duur = file("duur_tot_volgende_baan");
  for (const r of await rows(
    sql`SELECT groep, n FROM read_parquet(${duur}) WHERE tabel = 'aantallen' AND kenmerk IN ('jobcoach', 'totaal') ORDER BY kenmerk, groep`,
  ))
    f.push({ figuur: `eindes ${r.groep}`, waarde: Number(r.n) });
  for (const r of await rows(
    sql`SELECT groep, dag, cum_incidentie FROM read_parquet(${duur})
        WHERE tabel = 'leespunten' AND kenmerk IN ('jobcoach', 'totaal') AND methode = 'km' AND dag IN (7, 30, 182, 365)
        ORDER BY kenmerk, groep, dag`,
  ))
    f.push({ figuur: `volgende baan ${r.groep} ≤ ${r.dag} d (%)`, waarde: 100 * Number(r.cum_incidentie) });
  const pp = file("duur_incl_proefplaatsing");
  for (const r of await rows(
    sql`SELECT dag, cum_incidentie FROM read_parquet(${pp})
        WHERE tabel = 'leespunten' AND kenmerk = 'totaal' AND methode = 'km' AND dag IN (30, 182, 365) ORDER BY dag`,
  ))
    f.push({ figuur: `volgende baan incl. proefplaatsing ≤ ${r.dag} d (%)`, waarde: 100 * Number(r.cum_incidentie) });
  const vg = file("vergelijking");
  if (existsSync(vg))
    for (const r of await rows(
      sql`SELECT methode, vergelijking, dag, verschil FROM read_parquet(${vg})
          WHERE tabel = 'verschillen' AND dag IN (182, 365) ORDER BY methode, vergelijking, dag`,
    ))
      f.push({ figuur: `${r.vergelijking} ≤ ${r.dag} d, ${r.methode} (punten)`, waarde: 100 * Number(r.verschil) });
  const eo = file("reintegratie_eigen_organisatie");
  for (const r of await rows(
    sql`SELECT tijdvak, diensten, aandeel FROM read_parquet(${eo}) WHERE tabel = 'per_tijdvak' ORDER BY tijdvak`,
  )) {
    f.push({ figuur: `diensten na extern, ${r.tijdvak}`, waarde: Number(r.diensten) });
    f.push({ figuur: `eigen organisatie, ${r.tijdvak} (%)`, waarde: r.aandeel === null ? null : 100 * Number(r.aandeel) });
  }
  return f;
}

mkdirSync(values.work, { recursive: true });
const inst = await DuckDBInstance.create(":memory:");
const conn = await inst.connect();
const byReading = new Map<string, Map<string, number | null>>();
for (const naam of names) {
  const out = runReading(naam);
  byReading.set(naam, new Map((await figures(conn, out)).map((x) => [x.figuur, x.waarde])));
}
conn.closeSync();
inst.closeSync();

const allFigures = [...new Set([...byReading.values()].flatMap((m) => [...m.keys()]))];
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "" : Number.isInteger(v) ? String(v) : v.toFixed(1));
const base = byReading.get(names[0]!)!;
const header = ["figuur", ...names.flatMap((n, i) => (i === 0 ? [n] : [n, `verschil`]))];
const lines = allFigures.map((fig) => [
  fig,
  ...names.flatMap((n, i) => {
    const v = byReading.get(n)!.get(fig);
    const b = base.get(fig);
    return i === 0 ? [fmt(v)] : [fmt(v), v == null || b == null ? "" : fmt(v - b)];
  }),
]);
const csv = [header, ...lines].map((l) => l.map((c) => (/[",]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(",")).join("\n");
writeFileSync(join(values.work, "lezingen.csv"), `${csv}\n`);
const widths = header.map((_h, j) => Math.max(...[header, ...lines].map((l) => l[j]!.length)));
for (const l of [header, ...lines]) console.log(l.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join("  "));
console.log(`\n(niet voor publicatie) ${join(values.work, "lezingen.csv")}`);
