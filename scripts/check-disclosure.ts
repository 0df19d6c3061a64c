/**
 * Disclosure control over the whole publication on several generated worlds (docs/publish.md):
 * generates each world (reused when present), runs the pipeline, and reports whether the
 * attacker check passed (exit 0) or refused (exit 3), and per table how many numeric cells the
 * table-by-table rules hide ("before": primair + secundair) and how many are hidden in the end
 * (also the survival step rule and pair cut, the system phase and the dominance rule), from
 * publish/controle.json.
 *
 *   npx tsx scripts/check-disclosure.ts [--scales 0.1,0.2] [--seeds 1,2,3] [--work /tmp/bm-disclosure]
 *
 * Exits 1 when a run fails or is refused.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    scales: { type: "string", default: "0.1,0.2" },
    seeds: { type: "string", default: "1,2,3" },
    work: { type: "string", default: "/tmp/bm-disclosure" },
  },
});
const BIN = resolve(import.meta.dirname, "..", "bin", "baanmonitor.mjs");
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });

interface TableReport {
  analyse: string;
  tabel: string;
  cellen: number;
  verborgen: Record<string, number>;
}

let failed = false;
const totals = new Map<string, { cellen: number; voor: number; na: number; runs: number }>();
for (const scale of values.scales.split(",")) {
  for (const seed of values.seeds.split(",")) {
    const world = join(values.work, `scale-${scale}-seed-${seed}`);
    if (!existsSync(join(world, "extracts"))) {
      const g = cli(["generate", "--scale", scale, "--seed", seed, "--out", world]);
      if (g.status !== 0) throw new Error(`generate ${scale}/${seed}: ${g.stderr}`);
    }
    const t0 = performance.now();
    const r = cli(["run", "--extracts", join(world, "extracts"), "--out", join(world, "out")]);
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    if (r.status !== 0) {
      failed = true;
      console.log(`scale ${scale} seed ${seed}: exit ${r.status} (${s} s) ${r.stderr.trim().split("\n").at(-1)}`);
      continue;
    }
    const manifest = JSON.parse(readFileSync(join(world, "out", "manifest.json"), "utf8"));
    const control = (manifest.timings as { stap: string; ms: number }[]).find((t) => t.stap === "analyse openbaarmakingscontrole");
    const c = JSON.parse(readFileSync(join(world, "out", "publish", "controle.json"), "utf8"));
    console.log(
      `scale ${scale} seed ${seed}: aanvalscontrole geslaagd (${c.aanvalscontrole.verborgen_cellen} gevoelige cellen, ` +
        `${c.aanvalscontrole.componenten} componenten, ${c.aanvalscontrole.rondes} ronde(s)); systeem verbergt ${c.secundair_systeem.verborgen}; ` +
        `controle ${((control?.ms ?? 0) / 1000).toFixed(1)} s, run ${s} s`,
    );
    for (const t of c.tabellen as TableReport[]) {
      const k = `${t.analyse}.${t.tabel}`;
      const v = t.verborgen;
      const voor = (v.primair ?? 0) + (v.secundair ?? 0);
      const na = Object.values(v).reduce((a, b) => a + b, 0);
      const e = totals.get(k) ?? { cellen: 0, voor: 0, na: 0, runs: 0 };
      totals.set(k, { cellen: e.cellen + t.cellen, voor: e.voor + voor, na: e.na + na, runs: e.runs + 1 });
    }
  }
}
console.log("\nverborgen cellen per tabel, gemiddeld over de runs (voor = tabel-voor-tabel, na = hele publicatie):");
console.log(`${"tabel".padEnd(48)} ${"cellen".padStart(8)} ${"voor".padStart(8)} ${"na".padStart(8)}`);
for (const [k, e] of totals) {
  const f = (x: number) => (x / e.runs).toFixed(0).padStart(8);
  console.log(`${k.padEnd(48)} ${f(e.cellen)} ${f(e.voor)} ${f(e.na)}`);
}
process.exit(failed ? 1 : 0);
