/**
 * `baanmonitor merge`: the finished runs of the K parts of one partition (partition.ts) become
 * one run, as if the whole extract had been run at once. The marts are per person, so their
 * union is the whole run's marts (each loaded in ORDER BY ALL order, as a run stores it); the
 * manifest's counts are sums over the parts (rows read, loaded and rejected per file and reason,
 * the quality checks, the D3 linkage counts, whose shares are recomputed from the summed
 * counts); the files reported are the original extracts. Then the caller's downstream phases run
 * on the merged marts exactly as in `run`: the analyses, disclosure control once over the whole
 * set, publishing. Reject line numbers stay in the parts (`<part>/baanmonitor.duckdb`, table
 * rejects): they number the lines of the part's files.
 *
 * Refused, before anything is written: a part that is not a finished run on a part, parts of
 * different partitionings, a missing or repeated part, parts run with other parameters, mapping,
 * baanmonitor or DuckDB version or derived by other code than this (code-version.ts), and a person found in a part the partition rule does not give
 * it (which also catches a person in two parts).
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { join, relative, resolve, sep, isAbsolute } from "node:path";
import { cpus } from "node:os";
import { isDeepStrictEqual } from "node:util";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../../core/errors.ts";
import { combine, confine, folderAccess, lockConfiguration } from "../../core/confine.ts";
import { ident, join as joinSql, readAll, rowObjects, run, sql } from "../../core/sql.ts";
import { Progress } from "../../core/progress.ts";
import { assertPublishable, mergeParameters } from "../config.ts";
import { isRunManifest, realPath } from "../output-folder.ts";
import { baanmonitorVersion, type Koppeling, type Manifest } from "../manifest.ts";
import type { FileStats } from "../ingest/index.ts";
import { exportMarts } from "../export-marts.ts";
import {
  analysesInRun,
  completeOutput,
  failedOutput,
  openOutput,
  koppelingFrom,
  martNames,
  type DownstreamPhases,
  type RunResult,
} from "../run.ts";
import { renderSql, SQL_ROOT, layerFiles } from "../sql-runner.ts";
import { applyStorageSettings } from "../storage.ts";
import { codeFingerprint } from "./code-version.ts";
import { partSql } from "./hash.ts";

export interface MergeOptions {
  parts: string[];
  out: string;
  /** the analyses and publishing after the marts (cli/commands/run.ts, ANALYSES_AND_PUBLISHING) */
  downstream: DownstreamPhases;
  voorPublicatie?: boolean;
  progress?: boolean;
  threads?: number;
}

interface Part {
  dir: string;
  manifest: Manifest & { partitie: NonNullable<Manifest["partitie"]> };
}

/** Read and check one part: a finished run on a part of a partition. */
function readPart(arg: string): Part {
  const dir = resolve(arg);
  const path = join(dir, "manifest.json");
  if (!existsSync(path))
    throw new UserError(`--parts ${arg}: geen afgeronde run (manifest.json ontbreekt); draai eerst baanmonitor run op dit deel`);
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new UserError(`--parts ${arg}: manifest.json is geen geldige JSON; draai baanmonitor run op dit deel opnieuw`);
  }
  if (!isRunManifest(m)) throw new UserError(`--parts ${arg}: manifest.json is geen run-manifest van baanmonitor`);
  const manifest = m as Manifest;
  if (!manifest.partitie) {
    throw new UserError(
      `--parts ${arg}: een run op ongedeelde extracten, geen deel van een partitie (maak de delen met baanmonitor partition)`,
    );
  }
  for (const mart of manifest.uitvoer.marts) {
    if (!existsSync(join(dir, mart.bestand)))
      throw new UserError(`--parts ${arg}: ${mart.bestand} ontbreekt; draai baanmonitor run op dit deel opnieuw`);
  }
  return { dir, manifest: manifest as Part["manifest"] };
}

/** The parts, checked against each other: one partitioning, every part once, the same settings. */
export function readParts(args: string[]): Part[] {
  if (!args.length) throw new UserError("--parts: geef de uitvoermappen van de runs op alle delen");
  const parts = args.map(readPart);
  const first = parts[0]!;
  const p0 = first.manifest.partitie;
  const seen = new Map<number, string>();
  for (const [i, p] of parts.entries()) {
    const q = p.manifest.partitie;
    const arg = args[i];
    if (q.id !== p0.id || q.k !== p0.k) {
      throw new UserError(`--parts ${arg} komt uit een andere partitie (${q.id}, ${q.k} delen) dan ${args[0]} (${p0.id}, ${p0.k} delen)`);
    }
    if (seen.has(q.deel)) throw new UserError(`--parts ${arg} en ${seen.get(q.deel)} zijn allebei deel ${q.deel}`);
    seen.set(q.deel, arg!);
    const same = (what: string, a: unknown, b: unknown) => {
      if (!isDeepStrictEqual(a, b))
        throw new UserError(`--parts ${arg} is gedraaid met ${what} dan ${args[0]}; draai de delen met dezelfde instellingen`);
    };
    same("andere parameters", p.manifest.parameters, first.manifest.parameters);
    same("een andere bronkoppeling", p.manifest.mapping, first.manifest.mapping);
    same("een andere baanmonitor-versie", p.manifest.baanmonitor, first.manifest.baanmonitor);
    same("een andere DuckDB-versie", p.manifest.software.duckdb, first.manifest.software.duckdb);
    same("andere code (pipeline/)", p.manifest.partitie.code, first.manifest.partitie.code);
    same(
      "andere uitvoer (marts)",
      p.manifest.uitvoer.marts.map((x) => x.naam),
      first.manifest.uitvoer.marts.map((x) => x.naam),
    );
  }
  const missing = Array.from({ length: p0.k }, (_, i) => i + 1).filter((d) => !seen.has(d));
  if (missing.length) throw new UserError(`--parts: deel ${missing.join(", ")} van ${p0.k} ontbreekt`);
  if (first.manifest.baanmonitor.versie !== baanmonitorVersion()) {
    throw new UserError(
      `--parts: de delen zijn gedraaid met baanmonitor ${first.manifest.baanmonitor.versie}, dit is ${baanmonitorVersion()}`,
    );
  }
  if (first.manifest.partitie.code !== codeFingerprint()) {
    throw new UserError(
      `--parts: de delen zijn afgeleid met andere code (pipeline/, vingerafdruk ${first.manifest.partitie.code}) dan deze baanmonitor (${codeFingerprint()}); draai de delen opnieuw met deze versie`,
    );
  }
  return parts.sort((a, b) => a.manifest.partitie.deel - b.manifest.partitie.deel);
}

const sumBy = <T>(rows: T[], key: (r: T) => string, add: (into: T, r: T) => void): T[] => {
  const m = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const had = m.get(k);
    if (had) add(had, r);
    else m.set(k, structuredClone(r));
  }
  return [...m.values()];
};

/** Byte order of strings (DuckDB's VARCHAR order); null last unless `nullsFirst`. */
const cmp = (a: string | null, b: string | null, nullsFirst = false): number =>
  a === b ? 0 : a === null ? (nullsFirst ? -1 : 1) : b === null ? (nullsFirst ? 1 : -1) : Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The manifest sections that count input: sums over the parts, reported on the original files. */
function mergedCounts(parts: Part[]): Pick<Manifest, "invoer" | "kwaliteit" | "koppeling"> {
  const ms = parts.map((p) => p.manifest);
  const bron = ms[0]!.partitie.bron;
  const stats = ms.flatMap((m) => m.invoer.bestanden);
  const bestanden: FileStats[] = bron.bestanden.map((f) => {
    const per = stats.filter((s) => s.bestand === f.bestand);
    const sum = (k: "gelezen" | "geladen" | "afgewezen" | "afgewezen_structuur") => per.reduce((s, x) => s + x[k], 0);
    return {
      extract: f.extract as FileStats["extract"],
      bestand: f.bestand,
      pad: f.pad,
      grootte: f.grootte,
      sha256: f.sha256,
      gelezen: sum("gelezen"),
      geladen: sum("geladen"),
      afgewezen: sum("afgewezen"),
      afgewezen_structuur: sum("afgewezen_structuur"),
      ongebruikte_kolommen: per[0]?.ongebruikte_kolommen ?? [],
    };
  });
  const gelezen = bestanden.reduce((s, f) => s + f.gelezen, 0);
  const geladen = bestanden.reduce((s, f) => s + f.geladen, 0);
  const afwijzingen = sumBy(
    ms.flatMap((m) => m.invoer.afwijzingen),
    (r) => JSON.stringify([r.bestand, r.kolom, r.reden]),
    (a, r) => {
      a.aantal += r.aantal;
    },
  ).sort((a, b) => cmp(a.bestand, b.bestand) || cmp(a.kolom, b.kolom, true) || cmp(a.reden, b.reden));
  // the checks are the same list in every part (pipeline/ingest/quality.ts), each a count over persons
  const kwaliteit = ms[0]!.kwaliteit.map((q, i) => {
    const rows = ms.map((m) => m.kwaliteit[i]);
    if (rows.some((r) => !r || r.controle !== q.controle || r.extract !== q.extract || r.toelichting !== q.toelichting)) {
      throw new UserError(`--parts: de kwaliteitscontroles van de delen verschillen (${q.controle}, ${q.extract})`);
    }
    return { ...q, aantal: rows.reduce((s, r) => s + r!.aantal, 0) };
  });
  return {
    invoer: {
      map: bron.map,
      synthetisch: bron.synthetisch,
      bestanden,
      totaal: { gelezen, geladen, afgewezen: gelezen - geladen },
      afwijzingen,
    },
    kwaliteit,
    koppeling: mergedKoppeling(ms.map((m) => m.koppeling)),
  };
}

/** The D3 linkage: counts summed per (niveau, soort, koppeling), shares recomputed per niveau as in 22_int_jobcoach_koppeling_stats.sql. */
function mergedKoppeling(ks: (Koppeling | null)[]): Koppeling | null {
  if (ks.every((k) => k === null)) return null;
  const rows = sumBy(
    ks.flatMap((k) => k?.details ?? []),
    (r) => JSON.stringify([r.niveau, r.soort, r.koppeling]),
    (a, r) => {
      a.aantal += r.aantal;
    },
  );
  const totaal = new Map<string, number>();
  for (const r of rows) totaal.set(r.niveau, (totaal.get(r.niveau) ?? 0) + r.aantal);
  const details = rows
    .map((r) => ({ ...r, aandeel: r.aantal / totaal.get(r.niveau)! }))
    .sort((a, b) => cmp(a.niveau, b.niveau) || cmp(a.soort, b.soort) || cmp(a.koppeling, b.koppeling) || a.aantal - b.aantal);
  return koppelingFrom(details);
}

/** Every person of every mart lies in the part the partition rule gives it. */
async function checkPersons(conn: DuckDBConnection, parts: Part[], names: string[]): Promise<void> {
  const k = parts[0]!.manifest.partitie.k;
  for (const name of names) {
    const files = parts.map((p) => join(p.dir, "marts", `${name}.parquet`));
    const deel = joinSql(
      parts.map((p, i) => sql`WHEN ${files[i]!} THEN ${p.manifest.partitie.deel}`),
      sql` `,
    );
    const wrong = await rowObjects<{ persoon_id: string; deel: number; hoort: number }>(
      conn,
      sql`SELECT persoon_id, CASE filename ${deel} END AS deel, ${partSql(sql`persoon_id`, k)} AS hoort
          FROM read_parquet(${files}, filename = true)
          WHERE persoon_id IS NOT NULL AND CASE filename ${deel} END <> ${partSql(sql`persoon_id`, k)}
          ORDER BY persoon_id LIMIT 1`,
    );
    if (wrong.length) {
      const w = wrong[0]!;
      throw new UserError(
        `--parts: persoon_id ${w.persoon_id} staat in ${name} van deel ${Number(w.deel)}, maar hoort bij deel ${Number(w.hoort)}; de delen komen niet uit één partitie of zijn gewijzigd`,
      );
    }
  }
}

const inside = (child: string, parent: string) => {
  const r = relative(parent, child);
  return r === "" || (r !== ".." && !r.startsWith(`..${sep}`) && !isAbsolute(r));
};

export async function mergeParts(opts: MergeOptions): Promise<RunResult> {
  const start = new Date();
  const voorPublicatie = opts.voorPublicatie ?? true;
  const parts = readParts(opts.parts);
  const first = parts[0]!.manifest;
  const params = mergeParameters(first.parameters, join(parts[0]!.dir, "manifest.json"), { voorPublicatie: false });
  assertPublishable(params, voorPublicatie);
  const out = resolve(opts.out);
  for (const p of parts) {
    const o = realPath(out);
    const d = realpathSync(p.dir);
    if (inside(o, d) || inside(d, o))
      throw new UserError(`--out ${opts.out} is, bevat of ligt in deel ${p.dir}; kies een aparte uitvoermap`);
  }
  const progress = new Progress(opts.progress);
  const tx = openOutput(out, { opdracht: "merge" }, progress);
  const tmp = tx.tmp;
  const timings: { stap: string; ms: number }[] = [];
  let instance: DuckDBInstance | undefined;
  let conn: DuckDBConnection | undefined;
  try {
    const threads = opts.threads ?? Math.max(1, cpus().length);
    instance = await DuckDBInstance.create(join(tmp, "baanmonitor.duckdb"), {
      threads: String(threads),
      temp_directory: join(tmp, ".werk", "duckdb-spill"),
    });
    conn = await instance.connect();
    const c = conn;
    await applyStorageSettings(c);
    await confine(c, combine(folderAccess(tmp), ...parts.map((p) => folderAccess(join(p.dir, "marts"), 1))));
    const duckdbVersion = String((await readAll(c, sql`SELECT version()`)).getRows()[0]![0]);
    const names = martNames();
    progress.stage("personen per deel controleren");
    let t0 = performance.now();
    await checkPersons(c, parts, names);
    timings.push({ stap: "personen per deel controleren", ms: Math.round(performance.now() - t0) });
    progress.stage("marts samenvoegen");
    t0 = performance.now();
    for (const name of names) {
      const files = parts.map((p) => join(p.dir, "marts", `${name}.parquet`));
      // a mart is stored in ORDER BY ALL order (pipeline/export-marts.ts), here as in a run
      await run(c, sql`CREATE TABLE ${ident(name)} AS SELECT * FROM read_parquet(${files}) ORDER BY ALL`);
    }
    // the reference tables the analyses read (region names)
    for (const f of layerFiles("intermediate").filter((x) => /\/\d+_int_ref_\w+\.sql$/.test(x))) {
      await run(c, renderSql(readFileSync(f, "utf8"), params, f.slice(SQL_ROOT.length + 1)));
    }
    timings.push({ stap: "marts samenvoegen", ms: Math.round(performance.now() - t0) });
    t0 = performance.now();
    mkdirSync(join(tmp, "marts"));
    const marts = await exportMarts(instance, c, names, join(tmp, "marts"), { threads, onMart: (n) => progress.stage(`parquet ${n}`) });
    timings.push({ stap: "marts naar parquet", ms: Math.round(performance.now() - t0) });
    await lockConfiguration(c);

    const refused = await analysesInRun(opts.downstream, instance, c, { outDir: tmp, params, voorPublicatie }, progress, timings);
    const manifest: Manifest = {
      manifest_versie: 1,
      baanmonitor: { versie: baanmonitorVersion() },
      software: { duckdb: duckdbVersion, node: process.version },
      ...mergedCounts(parts),
      parameters: params,
      publicatie: { voor_publicatie: voorPublicatie, ...(refused ? { geweigerd: refused.message } : {}) },
      mapping: first.mapping,
      uitvoer: { marts, analyses: true },
      run: {
        start: start.toISOString(),
        einde: new Date().toISOString(),
        opties: { samengevoegd: { partitie: first.partitie.id, k: first.partitie.k, delen: parts.map((p) => p.dir) }, threads },
      },
      timings,
    };
    c.closeSync();
    conn = undefined;
    instance.closeSync();
    instance = undefined;
    rmSync(join(tmp, ".werk"), { recursive: true, force: true });
    return await completeOutput({
      tx,
      out,
      manifest,
      progress,
      refused,
      publish: () => opts.downstream.publish({ outDir: tmp, params, manifest, voorPublicatie }),
    });
  } catch (e) {
    throw failedOutput(e, { tx, out, progress, close: () => [conn, instance] });
  }
}
