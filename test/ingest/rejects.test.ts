import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENUMS } from "../../pipeline/contract.ts";
import { CANONICAL_MAPPING_FILE, validateMapping } from "../../pipeline/ingest/mapping.ts";
import { runAll } from "../../cli/commands/run.ts";
import { FIXTURES, query, tempDir } from "./helpers.ts";

const code = (values: readonly string[]) => `onbekende code (toegestaan: ${values.join(", ")})`;

describe("rejected rows", async () => {
  const out = join(tempDir(), "out");
  const { manifest } = await runAll({ extracts: join(FIXTURES, "bad"), out, stopAfter: "staging", progress: false, today: "2026-01-01" });

  it("writes one reject per bad field with bestand, regel, kolom, waarde and reden", async () => {
    const [rejects] = await query(
      out,
      `SELECT bestand, regel::INTEGER AS regel, kolom, waarde, reden FROM rejects ORDER BY bestand, regel, kolom`,
    );
    expect(rejects).toEqual([
      { bestand: "jobcoachportaal.csv", regel: 5, kolom: "volgnummer", waarde: "1.5", reden: "ongeldig geheel getal" },
      { bestand: "jobcoachportaal.csv", regel: 6, kolom: "status", waarde: null, reden: "leeg verplicht veld" },
      { bestand: "polis.csv", regel: 7, kolom: "loon_sv", waarde: "12,5", reden: 'ongeldig getal (decimaalteken ".")' },
      { bestand: "polis.csv", regel: 8, kolom: "uren", waarde: "abc", reden: 'ongeldig getal (decimaalteken ".")' },
      {
        bestand: "polis.csv",
        regel: 9,
        kolom: null,
        waarde: "P001,IKV9,WG1,2016-01-01,,2016-05-01,2016-05-31,12.5,8,bepaald,regulier,G,10-49",
        reden: "te weinig kolommen",
      },
      { bestand: "polis.csv", regel: 10, kolom: "sector", waarde: "Z", reden: code(ENUMS.sector) },
      { bestand: "sonar.csv", regel: 5, kolom: "dienst", waarde: "cursus", reden: code(ENUMS.dienst) },
      {
        bestand: "sonar.csv",
        regel: 6,
        kolom: null,
        waarde: "S5,P001,naar_werk,ORG1,,2016-08-01,,lopend,extra",
        reden: "te veel kolommen",
      },
      {
        bestand: "uitkeringen.csv",
        regel: 6,
        kolom: "geboortedatum",
        waarde: "1990-13-01",
        reden: "ongeldige datum (verwacht formaat %Y-%m-%d)",
      },
      { bestand: "uitkeringen.csv", regel: 6, kolom: "geslacht", waarde: "X", reden: code(ENUMS.geslacht) },
      { bestand: "uitkeringen.csv", regel: 7, kolom: "geslacht", waarde: null, reden: "leeg verplicht veld" },
      {
        bestand: "uitkeringen.csv",
        regel: 8,
        kolom: "einddatum",
        waarde: "31-12-2019",
        reden: "ongeldige datum (verwacht formaat %Y-%m-%d)",
      },
    ]);
  });

  it("keeps rejected rows out of staging and counts gelezen = geladen + afgewezen per file", async () => {
    const counts = manifest.invoer.bestanden.map((f) => [f.bestand, f.gelezen, f.geladen, f.afgewezen, f.afgewezen_structuur]);
    expect(counts).toEqual([
      ["uitkeringen.csv", 7, 4, 3, 0],
      ["polis.csv", 10, 6, 4, 1],
      ["jobcoachportaal.csv", 6, 4, 2, 0],
      ["sonar.csv", 6, 4, 2, 1],
    ]);
    for (const f of manifest.invoer.bestanden) expect(f.gelezen).toBe(f.geladen + f.afgewezen);
    const [stg] = await query(out, `SELECT list(persoon_id ORDER BY bron_regel) AS p FROM stg_uitkeringen`);
    expect(stg![0]!.p).toEqual(["P001", "P002", "P003", "P004"]);
  });

  it("keeps the source line number after structurally rejected lines", async () => {
    const [s, p] = await query(
      out,
      `SELECT dienst_id, bron_regel::INTEGER AS r FROM stg_sonar ORDER BY r`,
      `SELECT ikv_id, bron_regel::INTEGER AS r FROM stg_polis WHERE bron_regel > 6 ORDER BY r`,
    );
    expect(s).toEqual([
      { dienst_id: "S1", r: 2 },
      { dienst_id: "S2", r: 3 },
      { dienst_id: "S3", r: 4 },
      { dienst_id: "S6", r: 7 },
    ]);
    expect(p).toEqual([{ ikv_id: "IKV10", r: 11 }]);
  });

  it("counts reject reasons in the manifest", () => {
    expect(manifest.invoer.afwijzingen).toContainEqual({
      bestand: "uitkeringen.csv",
      kolom: "geslacht",
      reden: "leeg verplicht veld",
      aantal: 1,
    });
    expect(manifest.invoer.afwijzingen).toContainEqual({ bestand: "sonar.csv", kolom: null, reden: "te veel kolommen", aantal: 1 });
    expect(manifest.invoer.totaal).toEqual({ gelezen: 29, geladen: 18, afgewezen: 11 });
  });

  it("counts soft problems in kwaliteit without rejecting", async () => {
    const [k] = await query(
      out,
      `SELECT controle, extract, toelichting, aantal::INTEGER AS n FROM kwaliteit WHERE aantal > 0 ORDER BY ALL`,
    );
    expect(k).toEqual([
      { controle: "correctie", extract: "polis", toelichting: expect.any(String), n: 1 },
      { controle: "dubbele_sleutel", extract: "jobcoachportaal", toelichting: "extra rijen met dezelfde toekenning_id", n: 1 },
      { controle: "einde_voor_begin", extract: "polis", toelichting: "datum_einde_ikv vóór datum_aanvang_ikv", n: 1 },
      { controle: "negatief", extract: "polis", toelichting: "loon_sv < 0", n: 1 },
      { controle: "persoon_niet_in_uitkeringen", extract: "polis", toelichting: "aantal personen in polis zonder uitkering", n: 1 },
    ]);
  });
});

describe("soft unknown codes (mapping onbekendeCode)", async () => {
  const m = validateMapping(JSON.parse(readFileSync(CANONICAL_MAPPING_FILE, "utf8")), "test");
  m.extracts.sonar.onbekendeCode = { dienst: "vrije_ruimte" };
  const out = join(tempDir(), "out");
  const { manifest } = await runAll({ extracts: join(FIXTURES, "bad"), out, mapping: m, stopAfter: "staging", progress: false });

  it("replaces the code, keeps the row and counts it in kwaliteit", async () => {
    const [s] = await query(out, `SELECT dienst FROM stg_sonar WHERE dienst_id = 'S4'`);
    expect(s).toEqual([{ dienst: "vrije_ruimte" }]);
    expect(manifest.kwaliteit).toContainEqual({
      controle: "onbekende_code",
      extract: "sonar",
      aantal: 1,
      toelichting: 'onbekende code in dienst vervangen door "vrije_ruimte"',
    });
    const f = manifest.invoer.bestanden.find((x) => x.bestand === "sonar.csv")!;
    expect([f.gelezen, f.geladen, f.afgewezen]).toEqual([6, 5, 1]);
    const [cols] = await query(out, `SELECT count(*)::INTEGER AS n FROM duckdb_columns() WHERE table_name = 'stg_sonar'`);
    expect(cols![0]!.n).toBe(10);
  });
});
