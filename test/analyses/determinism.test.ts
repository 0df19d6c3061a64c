/**
 * Same marts + same parameters → byte-identical analyses/*.parquet and publish/*.json, also
 * when the rows were inserted in another order, and whether the analyses run one after the
 * other on one connection or two side by side (as `run` and `analyse` do).
 */
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runAnalyses } from "../../analyses/run-analyses.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { createMarts, memoryDb, type FixRow } from "../fixtures/analyses/marts.ts";
import { tempDir } from "../helpers/temp.ts";

function fixture(seed: number) {
  let a = seed;
  const r = () => (a = (a * 1103515245 + 12345) % 2147483648) / 2147483648;
  const personen: FixRow[] = [],
    eindes: FixRow[] = [],
    maand: FixRow[] = [];
  for (let i = 0; i < 400; i++) {
    const id = `P${String(i).padStart(6, "0")}`;
    personen.push({
      persoon_id: id,
      groep: "Wajong",
      geslacht: i % 2 ? "M" : "V",
      geboortejaar: 1980 + (i % 20),
      regio: `AMR0${i % 3}`,
      n_baaneindes: i % 4,
      baan_in_venster: true,
      uitkering_start: "2010-01-01",
    });
    const jc = ["extern", "intern", "geen"][i % 3]!;
    eindes.push({
      persoon_id: id,
      baan_id: `${id}-1`,
      einddatum: `201${5 + (i % 5)}-0${1 + (i % 9)}-15`,
      jaar: 2015 + (i % 5),
      jobcoach: jc,
      dagen_tot_volgende_baan: Math.floor(r() * 900),
      volgende_baan: r() < 0.8 ? 1 : 0,
      dagen_tot_volgende_baan_pp: Math.floor(r() * 600),
      volgende_baan_pp: r() < 0.85 ? 1 : 0,
      in_d6_venster: i % 5 >= 2,
      // as D6 derives them: a service running at the end is a service (1) at time 0
      ...((dagen, reintegratie, voor) => ({
        dagen_tot_reintegratie: voor && reintegratie === 1 ? 0 : dagen,
        reintegratie,
        reintegratie_voor_einde: voor && reintegratie === 1,
      }))(Math.floor(r() * 400), Math.floor(r() * 3), r() < 0.05),
      reintegratie_dienst: r() < 0.6 ? "naar_werk" : "werkfit_maken",
      reintegratie_eigen_organisatie: r() < 0.4,
      duur_dagen: 1 + Math.floor(r() * 1500),
      uren_per_week_start: r() * 30,
      geslacht: i % 2 ? "M" : "V",
      regio: `AMR0${i % 3}`,
    });
    for (let m = 0; m <= 36; m++) {
      const werkt = r() < 0.7;
      maand.push({
        persoon_id: id,
        maand: m,
        groep: i % 10 ? "Wajong" : "WGA",
        soort_jobcoach: i % 7 ? "extern" : "intern",
        startdatum_jobcoach: "2015-03-01",
        status: werkt ? "werk_met_jobcoach" : "geen_werk",
        werkt,
        uren_per_week: werkt ? 10 + r() * 20 : null,
        uurloon_reeel: werkt ? 6 + r() * 5 : null,
        onbepaald: werkt ? r() < 0.4 : null,
        sinds_eerste_baan: werkt ? m : null,
      });
    }
  }
  return { personen, baaneindes: eindes, maandstatus: maand };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function runOnce(reverse: boolean, sideBySide: boolean): Promise<Map<string, Buffer>> {
  const { conn, connect, close } = await memoryDb();
  const f = fixture(7);
  if (reverse) for (const rows of Object.values(f)) rows.reverse();
  await createMarts(conn, f);
  const out = tempDir("baanmonitor-det-");
  dirs.push(out);
  await runAnalyses({ conn, ...(sideBySide ? { connect } : {}), outDir: out, params: DEFAULTS });
  close();
  const files = new Map<string, Buffer>();
  for (const sub of ["analyses", "publish"])
    for (const f of readdirSync(join(out, sub)).sort()) files.set(`${sub}/${f}`, readFileSync(join(out, sub, f)));
  return files;
}

describe("determinism", () => {
  it("two runs, rows inserted in opposite order, one at a time and side by side, give byte-identical outputs", async () => {
    const a = await runOnce(false, false);
    const b = await runOnce(true, true);
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect(a.size).toBe(29); // 14 parquet, 14 published analyses, controle.json
    for (const [k, v] of a) expect(v.equals(b.get(k)!), k).toBe(true);
  });
});
