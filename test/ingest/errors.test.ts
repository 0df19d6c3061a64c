import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadMappingFile } from "../../pipeline/ingest/mapping.ts";
import { runAll } from "../../cli/commands/run.ts";
import { CANONICAL, UWV, copyFixture, tempDir, userError } from "./helpers.ts";

/** A previous good output; every failing run must leave it byte-identical and leave no temp folders. */
describe("hard errors stop the run and leave the previous output untouched", () => {
  let out: string;
  let before: string;
  beforeAll(async () => {
    out = join(tempDir(), "out");
    await runAll({ extracts: CANONICAL, out, stopAfter: "staging", progress: false });
    before = readFileSync(join(out, "manifest.json"), "utf8");
  });
  const untouched = () => {
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe(before);
    expect(readdirSync(dirname(out))).toEqual(["out"]);
  };
  const run = async (extracts: string, mappingFile?: string) =>
    runAll({ extracts, out, stopAfter: "staging", progress: false, mapping: mappingFile ? loadMappingFile(mappingFile) : undefined });

  it("missing file", async () => {
    const ex = copyFixture(CANONICAL);
    rmSync(join(ex, "sonar.csv"));
    expect(await userError(run(ex))).toBe(
      `bestand ontbreekt: ${join(ex, "sonar.csv")} (extract sonar; verwacht volgens de mapping: "sonar.csv")`,
    );
    untouched();
  });

  it("missing file for a glob", async () => {
    const ex = copyFixture(UWV);
    for (const f of ["POLIS_2016.csv", "POLIS_2017.csv"]) rmSync(join(ex, f));
    expect(await userError(run(ex, join(ex, "mapping.json")))).toBe(
      `bestand ontbreekt: geen bestand in ${ex} past bij "POLIS_*.csv" (extract polis)`,
    );
    untouched();
  });

  it("missing required column names the file, the column and what was found", async () => {
    const ex = copyFixture(CANONICAL);
    const p = join(ex, "jobcoachportaal.csv");
    writeFileSync(p, readFileSync(p, "utf8").replace("regime,", "regiem,"));
    expect(await userError(run(ex))).toBe(
      `jobcoachportaal.csv: verplichte kolom "regime" ontbreekt; gevonden kolommen: toekenning_id, persoon_id, werkgever_id, soort, organisatie_id, volgnummer, begindatum, einddatum, regiem, toegekende_uren, verantwoorde_uren, status`,
    );
    untouched();
  });

  it("missing column of a mapped source names the contract column too", async () => {
    const ex = copyFixture(UWV);
    const p = join(ex, "SONAR.csv");
    writeFileSync(p, readFileSync(p, "latin1").replace("PRODUCT;", "PRODUKT;"), "latin1");
    expect(await userError(run(ex, join(ex, "mapping.json")))).toBe(
      `SONAR.csv: verplichte kolom "PRODUCT" (contractkolom dienst) ontbreekt; gevonden kolommen: DIENSTNUMMER, PERSOONSNUMMER, PRODUKT, LEVERANCIER, LOONHEFFINGENNUMMER, DATUM_START, DATUM_EINDE, RESULTAAT, OPMERKING`,
    );
    untouched();
  });

  it("invalid UTF-8 names file and line", async () => {
    const ex = copyFixture(CANONICAL);
    const p = join(ex, "polis.csv");
    const lines = readFileSync(p).toString("latin1").split("\n");
    lines[3] = lines[3]!.replace("WG1", "WG\xe91");
    writeFileSync(p, Buffer.from(lines.join("\n"), "latin1"));
    expect(await userError(run(ex))).toBe(
      `polis.csv, regel 4: ongeldige UTF-8 (is het bestand Windows-1252? zet dan "codering": "windows-1252" in de mapping)`,
    );
    untouched();
  });

  it("bad mapping key", async () => {
    const ex = copyFixture(UWV);
    const mp = join(ex, "mapping.json");
    const m = JSON.parse(readFileSync(mp, "utf8"));
    m.extracts.polis.scheidingteken = ";";
    writeFileSync(mp, JSON.stringify(m));
    expect(await userError(run(ex, mp))).toMatch(
      new RegExp(`^${mp.replace(/[.]/g, "\\.")}: onbekende sleutel "extracts\\.polis\\.scheidingteken" \\(verwacht: bestand, formaat, `),
    );
    untouched();
  });

  it("unparseable mapping", async () => {
    const mp = join(tempDir(), "m.json");
    writeFileSync(mp, "{ naam: ");
    expect(await userError(run(CANONICAL, mp))).toMatch(
      new RegExp(`^${mp.replace(/[.]/g, "\\.")}, regel 1, kolom 3: geen geldige JSON \\(`),
    );
    untouched();
  });

  it("refuses to replace a folder that is not a baanmonitor output", async () => {
    const other = tempDir();
    writeFileSync(join(other, "belangrijk.txt"), "x");
    expect(await userError(runAll({ extracts: CANONICAL, out: other, stopAfter: "staging", progress: false }))).toBe(
      `--out ${other} bestaat al, is niet leeg en is geen uitvoermap van baanmonitor (geen .baanmonitor-markering); baanmonitor verwijdert hier niets: kies een lege of nieuwe map voor --out`,
    );
    expect(readdirSync(other)).toEqual(["belangrijk.txt"]);
  });
});
