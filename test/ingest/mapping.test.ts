import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../pipeline/config.ts";
import { CANONICAL_MAPPING_FILE, loadMappingFile, validateMapping } from "../../pipeline/ingest/mapping.ts";
import { loadRunConfig } from "../../pipeline/config-file.ts";
import { UWV, tempDir } from "./helpers.ts";
import { userErrorMessage } from "../helpers/user-error.ts";

const canonical = () => JSON.parse(readFileSync(CANONICAL_MAPPING_FILE, "utf8"));
const err = userErrorMessage;

describe("source mapping validation", () => {
  it("accepts the shipped canonical mapping and the uwv fixture", () => {
    expect(loadMappingFile(CANONICAL_MAPPING_FILE).naam).toBe("canonical");
    const u = loadMappingFile(join(UWV, "mapping.json"));
    expect(u.extracts.polis).toMatchObject({
      scheidingsteken: ";",
      codering: "windows-1252",
      decimaalteken: ",",
      formaat: "csv",
      koptekst: true,
    });
  });

  it("names the file and the bad key", () => {
    const m = canonical();
    m.extracts.sonar.kolommen.dienstt = "x";
    expect(err(() => validateMapping(m, "m.json"))).toBe(
      'm.json: sleutel "extracts.sonar.kolommen.dienstt" = "x": onbekende contractkolom (verwacht: dienst_id, persoon_id, dienst, aanbieder_id, werkgever_id, startdatum, einddatum, resultaat)',
    );
    const m2 = canonical();
    m2.extra = 1;
    expect(err(() => validateMapping(m2, "m.json"))).toBe(
      'm.json: onbekende sleutel "extra" (verwacht: naam, extracts, toelichting, omschrijving)',
    );
    const m3 = canonical();
    m3.extracts.polisje = m3.extracts.polis;
    expect(err(() => validateMapping(m3, "m.json"))).toMatch(
      /^m\.json: onbekende sleutel "extracts\.polisje" \(verwacht: uitkeringen, polis, jobcoachportaal, sonar\)/,
    );
  });

  it("requires every contract column", () => {
    const m = canonical();
    delete m.extracts.polis.kolommen.uren;
    delete m.extracts.polis.kolommen.sector;
    expect(err(() => validateMapping(m, "m.json"))).toBe(
      'm.json: sleutel "extracts.polis.kolommen": contractkolom(men) niet gemapt: uren, sector',
    );
  });

  it("rejects a bad delimiter, encoding, format, decimal sign or code target", () => {
    const cases: [string, unknown, string][] = [
      [
        "scheidingsteken",
        ";;",
        'm.json: sleutel "extracts.polis.scheidingsteken" = ";;": moet één teken zijn, geen aanhalingsteken of regeleinde',
      ],
      ["codering", "utf-32", 'm.json: sleutel "extracts.polis.codering" = "utf-32": onbekende codering (verwacht: '],
      ["formaat", "xlsx", 'm.json: sleutel "extracts.polis.formaat" = "xlsx": moet een van "csv", "parquet" zijn'],
      ["decimaalteken", ";", 'm.json: sleutel "extracts.polis.decimaalteken" = ";": moet een van ".", "," zijn'],
      [
        "datumformaat",
        "dd-mm-yyyy",
        'm.json: sleutel "extracts.polis.datumformaat" = "dd-mm-yyyy": is geen strptime-datumformaat (bijv. %Y-%m-%d of %d-%m-%Y)',
      ],
      [
        "datumformaat",
        "%Y-%m-%d'); COPY",
        'm.json: sleutel "extracts.polis.datumformaat" = "%Y-%m-%d\'); COPY": is geen strptime-datumformaat',
      ],
      [
        "bestand",
        "../../etc/passwd",
        'm.json: sleutel "extracts.polis.bestand" = "../../etc/passwd": mag niet buiten de extractenmap wijzen',
      ],
      ["bestand", "/etc/passwd", 'm.json: sleutel "extracts.polis.bestand" = "/etc/passwd": mag niet buiten de extractenmap wijzen'],
      ["koptekst", "ja", 'm.json: sleutel "extracts.polis.koptekst" = "ja": moet true of false zijn'],
      ["kolomvolgorde", [{}], 'm.json: sleutel "extracts.polis.kolomvolgorde[0]": moet een tekst zijn'],
      [
        "codes",
        { contractsoort: { O: "vast" } },
        'm.json: sleutel "extracts.polis.codes.contractsoort.O" = "vast": is geen toegestane waarde (onbepaald, bepaald, onbekend)',
      ],
    ];
    for (const [key, value, msg] of cases) {
      const m = canonical();
      m.extracts.polis[key] = value;
      expect(err(() => validateMapping(m, "m.json")).startsWith(msg), msg).toBe(true);
    }
    const proto = JSON.parse(`{"naam": "x", "extracts": {"polis": {"codes": {"contractsoort": {"__proto__": {"O": "vast"}}}}}}`);
    expect(err(() => validateMapping(proto, "m.json"))).toBe(
      'm.json: sleutel "extracts.polis.codes.contractsoort.__proto__" is niet toegestaan',
    );
  });

  it("rejects a source column mapped twice", () => {
    const m = canonical();
    m.extracts.sonar.kolommen.einddatum = "STARTDATUM";
    expect(err(() => validateMapping(m, "m.json"))).toBe(
      'm.json: sleutel "extracts.sonar.kolommen.einddatum" = "STARTDATUM": bronkolom "STARTDATUM" is ook al gemapt op startdatum',
    );
  });
});

describe("--config file", () => {
  it("merges parameters and takes an inline mapping or a path relative to the config", () => {
    const d = tempDir();
    const cfg = join(d, "c.json");
    writeFileSync(cfg, JSON.stringify({ parameters: { d1: { maandenZonderLoon: 4 } }, mapping: { ...canonical(), naam: "inline" } }));
    const c = loadRunConfig(cfg);
    expect(c.params.d1).toEqual({ ...DEFAULTS.d1, maandenZonderLoon: 4 });
    expect(c.mapping!.naam).toBe("inline");
    writeFileSync(join(d, "m.json"), JSON.stringify({ ...canonical(), naam: "file" }));
    writeFileSync(cfg, JSON.stringify({ mapping: "m.json" }));
    expect(loadRunConfig(cfg).mapping!.naam).toBe("file");
  });

  it("rejects unknown keys and bad parameters, naming the file", () => {
    const cfg = join(tempDir(), "c.json");
    writeFileSync(cfg, JSON.stringify({ parameter: {} }));
    expect(err(() => loadRunConfig(cfg))).toBe(`${cfg}: onbekende sleutel "parameter" (verwacht: parameters, mapping, toelichting)`);
    writeFileSync(cfg, JSON.stringify({ parameters: { d1: { gap: 3 } } }));
    expect(err(() => loadRunConfig(cfg))).toMatch(/onbekende parameter "d1\.gap"/);
    writeFileSync(cfg, JSON.stringify({ mapping: { naam: "x", extracts: {} } }));
    expect(err(() => loadRunConfig(cfg))).toBe(`${cfg}: mapping: sleutel "extracts.uitkeringen" ontbreekt`);
  });
});
