/**
 * Plausible ranges (pipeline/contract.ts RANGES): a number outside its column's range is
 * rejected per row with a reason naming the range, never fatal; extreme spellings (1e12, 1e308,
 * -0, 1e5, digits that overflow INTEGER) never reach a crash. A full run (derivations included)
 * with such values ends normally.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DECIMAL_18_6_LIMIT, EXTRACTS, RANGES } from "../../pipeline/contract.ts";
import { REDEN } from "../../pipeline/ingest/staging.ts";
import { runAll } from "../../cli/commands/run.ts";
import { CANONICAL, copyFixture, query, tempDir } from "./helpers.ts";

const GETAL = 'ongeldig getal (decimaalteken ".")';

/** polis rows (after the fixture's own): [loon_sv, uren, expected reject (kolom, reden) or null] */
const POLIS: [string, string, [string, string] | null][] = [
  ["1e12", "80", ["loon_sv", REDEN.bereik(RANGES.loon_sv)]],
  ["1234", "1e12", ["uren", REDEN.bereik(RANGES.uren)]],
  ["1e308", "80", ["loon_sv", REDEN.bereik(RANGES.loon_sv)]],
  ["-1e308", "80", ["loon_sv", REDEN.bereik(RANGES.loon_sv)]],
  ["1e400", "80", ["loon_sv", GETAL]],
  ["inf", "80", ["loon_sv", GETAL]],
  ["NaN", "80", ["loon_sv", GETAL]],
  ["10000000.01", "80", ["loon_sv", REDEN.bereik(RANGES.loon_sv)]],
  ["1000", "8785", ["uren", REDEN.bereik(RANGES.uren)]],
  ["1000", "-8785", ["uren", REDEN.bereik(RANGES.uren)]],
  // inside the ranges: loaded
  ["-0", "-0", null],
  ["1e5", "1.5e2", null],
  ["10000000", "8784", null],
  ["-10000000", "-8784", null],
];

/** jobcoachportaal rows: [volgnummer, toegekende_uren, verantwoorde_uren, expected reject or null] */
const JOBCOACH: [string, string, string, [string, string] | null][] = [
  ["99999999999999999999", "40", "", ["volgnummer", REDEN.bereik(RANGES.volgnummer)]],
  ["2147483648", "40", "", ["volgnummer", REDEN.bereik(RANGES.volgnummer)]],
  ["1001", "40", "", ["volgnummer", REDEN.bereik(RANGES.volgnummer)]],
  ["-1", "40", "", ["volgnummer", REDEN.bereik(RANGES.volgnummer)]],
  ["1", "8785", "", ["toegekende_uren", REDEN.bereik(RANGES.jobcoachUren)]],
  ["1", "40", "1e12", ["verantwoorde_uren", REDEN.bereik(RANGES.jobcoachUren)]],
  ["1", "1e3", "", ["toegekende_uren", REDEN.geheel]],
  ["0", "-8784", "-0", null],
  ["1000", "8784", "8784", null],
];

describe("plausible ranges", async () => {
  const extracts = copyFixture(CANONICAL);
  const polisPath = join(extracts, "polis.csv");
  const polis = readFileSync(polisPath, "utf8").trimEnd().split("\n");
  const first = polis.length + 1;
  for (const [loon, uren] of POLIS)
    polis.push(`P001,IKV9,WG1,2016-01-01,,2016-06-01,2016-06-30,${loon},${uren},bepaald,regulier,G,10-49,2016-07-05`);
  writeFileSync(polisPath, polis.join("\n") + "\n");
  const jcPath = join(extracts, "jobcoachportaal.csv");
  const jc = readFileSync(jcPath, "utf8").trimEnd().split("\n");
  const firstJc = jc.length + 1;
  JOBCOACH.forEach(([vn, tu, vu], i) => jc.push(`TX${i},P001,WG1,extern,ORG1,${vn},2016-01-01,2016-06-30,licht,${tu},${vu},toegekend`));
  writeFileSync(jcPath, jc.join("\n") + "\n");

  // the whole run without analyses: the derivations see the loaded extremes too
  const out = join(tempDir(), "out");
  const { manifest } = await runAll({ extracts, out, skipAnalyses: true, progress: false, today: "2026-01-01" });
  const [rejects, loaded] = await query(
    out,
    `SELECT bestand, regel::INTEGER AS regel, kolom, waarde, reden FROM rejects ORDER BY bestand, regel, kolom`,
    `SELECT loon_sv, uren FROM stg_polis WHERE ikv_id = 'IKV9' ORDER BY bron_regel`,
  );

  it("rejects a value outside the range per row, naming the range, at its line", () => {
    const expected = [
      ...JOBCOACH.flatMap(([vn, tu, vu, r], i) =>
        r
          ? [
              {
                bestand: "jobcoachportaal.csv",
                regel: firstJc + i,
                kolom: r[0],
                waarde: { volgnummer: vn, toegekende_uren: tu, verantwoorde_uren: vu }[r[0]],
                reden: r[1],
              },
            ]
          : [],
      ),
      ...POLIS.flatMap(([loon, uren, r], i) =>
        r ? [{ bestand: "polis.csv", regel: first + i, kolom: r[0], waarde: r[0] === "loon_sv" ? loon : uren, reden: r[1] }] : [],
      ),
    ];
    expect(rejects).toEqual(expected);
    expect(REDEN.bereik(RANGES.uren)).toBe("buiten plausibel bereik (toegestaan: -8784 t/m 8784 uur per tijdvak)");
  });

  it("loads the values inside the range with their value (-0, exponent notation, the bounds)", () => {
    expect(loaded!.map((r) => [Number(r.loon_sv), Number(r.uren)])).toEqual([
      [-0, -0],
      [100000, 150],
      [10000000, 8784],
      [-10000000, -8784],
    ]);
  });

  it("accounts for every line", () => {
    for (const f of manifest.invoer.bestanden) expect(f.gelezen, f.bestand).toBe(f.geladen + f.afgewezen);
    const p = manifest.invoer.bestanden.find((f) => f.bestand === "polis.csv")!;
    expect(p.afgewezen).toBe(POLIS.filter((x) => x[2]).length);
  });

  it("every range lies inside INTEGER (int columns) and far inside DECIMAL(18, 6) (the derivations' cast)", () => {
    for (const cols of Object.values(EXTRACTS)) {
      for (const c of cols as readonly { name: string; type: string; range?: { min: number; max: number } }[]) {
        if (c.type !== "int" && c.type !== "decimal") continue;
        expect(c.range, `${c.name} has no plausible range`).toBeDefined();
        const r = c.range!;
        if (c.type === "int") expect(r.min >= -(2 ** 31) && r.max < 2 ** 31, c.name).toBe(true);
        // a month's sum of many rows must fit as well: 1000 rows at the bound
        expect(Math.max(Math.abs(r.min), Math.abs(r.max)) * 1000 < DECIMAL_18_6_LIMIT, c.name).toBe(true);
      }
    }
  });
});
