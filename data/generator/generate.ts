/**
 * The generator's main loop: build the world, simulate person by person, stream extract and
 * truth rows to disk, write generator.json. Memory stays bounded: nothing is kept per person
 * after its rows are written.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../../core/errors.ts";
import { EXTRACT_NAMES, type ExtractName } from "../../pipeline/contract.ts";
import { parseIsoDay } from "./calendar.ts";
import { LineWriter } from "./csv-writer.ts";
import { writeSyntheticMarker } from "./marker.ts";
import { buildDialect, type DialectName } from "./dialect.ts";
import { DEFAULT_PARAMETERS, type GeneratorParameters } from "./parameters.ts";
import { newPolisStats, renderIkv, type PolisWindow } from "./polis.ts";
import { Rng, mixSeed } from "./random.ts";
import { COUNTERFACTUAL_COLUMNS, EXPECTED_COLUMNS, EstimandCollector } from "./estimands.ts";
import { TRUTH_COLUMNS, TRUTH_NAMES, emitPerson, type TruthName } from "./records.ts";
import { PersonSimulation, type IdCounters } from "./simulate.ts";
import { drawTraits } from "./traits.ts";
import { buildWorld } from "./world.ts";
import { checkGeneratorOutput, GENERATOR_MANIFEST, GENERATOR_NAME } from "./output-folder.ts";

export interface GenerateOptions {
  scale: number;
  seed: number;
  out: string;
  dialect: DialectName;
  parameters?: GeneratorParameters;
  progress?: boolean;
  /** write the counterfactual times and truth estimands (default true); they never change the other files */
  counterfactuals?: boolean;
  /**
   * With counterfactuals: also write `truth/tegenfeitelijk_verwacht.csv`, each ending's expected
   * outcomes per arm over this many fresh draws (estimands.ts; default 0: not written). A
   * diagnostic of the recovery test (scripts/recovery-decompose.ts); the other files stay the same.
   */
  expectedDraws?: number;
}

export interface GenerateSummary {
  persons: { wajong: number; wga: number };
  extracts: Record<ExtractName, { file: string; rows: number }>;
  truth: Record<TruthName, { file: string; rows: number }>;
  messiness: Record<string, number>;
  seconds: number;
}

export function generate(opts: GenerateOptions): GenerateSummary {
  const started = performance.now();
  const p = opts.parameters ?? DEFAULT_PARAMETERS;
  const dialect = buildDialect(opts.dialect);
  const extractDir = join(opts.out, "extracts");
  const truthDir = join(opts.out, "truth");
  checkGeneratorOutput(opts.out);
  try {
    mkdirSync(extractDir, { recursive: true });
    mkdirSync(truthDir, { recursive: true });
  } catch (e) {
    throw new UserError(`kan uitvoermap ${opts.out} niet aanmaken: ${(e as Error).message}`);
  }

  const pending: [string, string][] = [];
  const open = (dir: string, file: string, encoding: "utf-8" | "windows-1252") => {
    const final = join(dir, file);
    const tmp = `${final}.tmp`;
    pending.push([tmp, final]);
    return new LineWriter(tmp, encoding);
  };
  const extractWriters = {} as Record<ExtractName, LineWriter>;
  for (const name of EXTRACT_NAMES) {
    const dia = dialect[name];
    const w = open(extractDir, dia.file, dia.encoding);
    w.line(dia.header.join(dia.delimiter));
    w.rows = 0;
    extractWriters[name] = w;
  }
  const truthWriters = {} as Record<TruthName, LineWriter>;
  for (const name of TRUTH_NAMES) {
    const w = open(truthDir, `${name}.csv`, "utf-8");
    w.line(TRUTH_COLUMNS[name].join(","));
    w.rows = 0;
    truthWriters[name] = w;
  }
  // counterfactual times to the next job and the truth estimands (estimands.ts); their own random stream
  const withCounterfactuals = opts.counterfactuals ?? true;
  const counterfactualWriter = withCounterfactuals ? open(truthDir, "tegenfeitelijk.csv", "utf-8") : null;
  counterfactualWriter?.line(COUNTERFACTUAL_COLUMNS.join(","));
  if (counterfactualWriter) counterfactualWriter.rows = 0;
  const expectedDraws = withCounterfactuals ? (opts.expectedDraws ?? 0) : 0;
  const expectedWriter = expectedDraws > 0 ? open(truthDir, "tegenfeitelijk_verwacht.csv", "utf-8") : null;
  expectedWriter?.line(EXPECTED_COLUMNS.join(","));
  if (expectedWriter) expectedWriter.rows = 0;
  const estimands = withCounterfactuals ? new EstimandCollector(p, opts.seed, expectedDraws) : null;
  const emitCounterfactual = (v: string[]) => counterfactualWriter?.line(v.join(","));
  const emitExpected = expectedWriter ? (v: string[]) => expectedWriter.line(v.join(",")) : undefined;
  const emitExtract = (name: ExtractName) => {
    const w = extractWriters[name];
    const fmt = dialect[name].formatRow;
    return (values: string[]) => w.line(fmt(values));
  };
  const emitters = {
    extract: { uitkeringen: emitExtract("uitkeringen"), jobcoachportaal: emitExtract("jobcoachportaal"), sonar: emitExtract("sonar") },
    truth: Object.fromEntries(TRUTH_NAMES.map((n) => [n, (v: string[]) => truthWriters[n].line(v.join(","))])) as Record<
      TruthName,
      (v: string[]) => void
    >,
  };
  const emitPolis = emitExtract("polis");

  const world = buildWorld(opts.seed, opts.scale, p);
  const window: PolisWindow = { start: parseIsoDay(p.simulation.windowStart), end: parseIsoDay(p.simulation.windowEnd) };
  const nWajong = Math.round(p.population.wajongPersons * opts.scale);
  const nWga = Math.round(p.population.wgaJobcoachPersons * opts.scale);
  const total = nWajong + nWga;
  const ids: IdCounters = { ikv: 0, toekenning: 0, dienst: 0 };
  const polisStats = newPolisStats();
  const messy = {
    registeredEnds: 0,
    endedIkvs: 0,
    renewals: 0,
    hirerRegistrations: 0,
    coachedJobs: 0,
    servicesWithoutEnd: 0,
    endedServices: 0,
    deaths: 0,
    pensions: 0,
  };
  const tty = opts.progress ?? process.stderr.isTTY === true;
  let lastReport = 0;

  for (let i = 0; i < total; i++) {
    const group = i < nWajong ? "Wajong" : "WGA";
    const rng = new Rng(mixSeed(opts.seed, 0x70657273, i));
    const traits = drawTraits(rng, i, `P${String(i + 1).padStart(8, "0")}`, group, p, world);
    const arbeidsvermogen = traits.arbeidsvermogen;
    const history = new PersonSimulation(rng, traits, p, world, ids).run();
    estimands?.add(history, arbeidsvermogen, emitCounterfactual, emitExpected);
    for (const job of history.jobs) {
      if (job.start > window.end || (job.end !== null && job.end < window.start)) continue;
      messy.renewals += job.ikvs.length - 1;
      if (job.coachEmployerId !== null) {
        messy.coachedJobs++;
        if (job.coachEmployerId !== job.employer.id) messy.hirerRegistrations++;
      }
      for (const ikv of job.ikvs) {
        if (ikv.end !== null && ikv.end <= window.end && ikv.end >= window.start) {
          messy.endedIkvs++;
          if (ikv.registeredEnd) messy.registeredEnds++;
        }
        renderIkv(rng, traits.id, job, ikv, p, window, polisStats, emitPolis);
      }
    }
    for (const s of history.services) {
      if (s.end !== null && s.end >= window.start) {
        messy.endedServices++;
        if (!s.endRegistered) messy.servicesWithoutEnd++;
      }
    }
    if (traits.deathDay !== null && traits.deathDay >= window.start) messy.deaths++;
    if (traits.endReason === "pensioen" && traits.pensionDay !== null && traits.pensionDay >= window.start) messy.pensions++;
    emitPerson(history, rng, window, emitters);
    if (tty && (i === total - 1 || performance.now() - lastReport > 500)) {
      lastReport = performance.now();
      const rows = Object.values(extractWriters).reduce((s, w) => s + w.rows, 0);
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      process.stderr.write(`\rgenerate: ${i + 1}/${total} personen, ${rows.toLocaleString("nl-NL")} rijen, ${secs} s   `);
    }
  }
  if (tty) process.stderr.write("\n");

  for (const w of [...Object.values(extractWriters), ...Object.values(truthWriters)]) w.close();
  counterfactualWriter?.close();
  expectedWriter?.close();
  if (estimands) {
    const effectsPath = join(truthDir, "effecten.json");
    writeFileSync(`${effectsPath}.tmp`, `${JSON.stringify(estimands.summary(), null, 2)}\n`);
    pending.push([`${effectsPath}.tmp`, effectsPath]);
  }
  for (const [tmp, final] of pending) renameSync(tmp, final);
  writeSyntheticMarker(extractDir, { scale: opts.scale, seed: opts.seed, dialect: opts.dialect });

  const summary: GenerateSummary = {
    persons: { wajong: nWajong, wga: nWga },
    extracts: Object.fromEntries(
      EXTRACT_NAMES.map((n) => [n, { file: dialect[n].file, rows: extractWriters[n].rows }]),
    ) as GenerateSummary["extracts"],
    truth: Object.fromEntries(TRUTH_NAMES.map((n) => [n, { file: `${n}.csv`, rows: truthWriters[n].rows }])) as GenerateSummary["truth"],
    messiness: { ...polisStats, ...messy },
    seconds: (performance.now() - started) / 1000,
  };
  const manifest = {
    generator: GENERATOR_NAME,
    scale: opts.scale,
    seed: opts.seed,
    dialect: opts.dialect,
    parameters: p,
    persons: summary.persons,
    employers: world.employers.length + world.agencies.length,
    organisations: world.organisations.length,
    extracts: summary.extracts,
    truth: summary.truth,
    counterfactual: counterfactualWriter
      ? { file: "tegenfeitelijk.csv", rows: counterfactualWriter.rows, estimands: "effecten.json" }
      : null,
    ...(expectedWriter
      ? { verwachte_uitkomsten: { file: "tegenfeitelijk_verwacht.csv", rows: expectedWriter.rows, trekkingen: expectedDraws } }
      : {}),
    messiness: summary.messiness,
  };
  const manifestPath = join(opts.out, GENERATOR_MANIFEST);
  writeFileSync(`${manifestPath}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${manifestPath}.tmp`, manifestPath);
  return summary;
}
