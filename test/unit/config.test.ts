import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULTS, DISCLOSURE_FLOOR, mergeParameters, parametersSchema } from "../../pipeline/config.ts";
import { loadRunConfig } from "../../pipeline/config-file.ts";
import { userErrorMessage } from "../helpers/user-error.ts";
import { tempDir } from "../helpers/temp.ts";

const err = userErrorMessage;

/** Config values that try to close a string, add a statement, read or write a file. */
const PAYLOADS = [
  "2019-12-31'; COPY (SELECT * FROM read_text('/etc/passwd')) TO '/tmp/bm-pwned.csv'; --",
  "2019-12-31' || (SELECT content FROM read_text('/etc/hostname')) || '",
  "7); ATTACH '/tmp/evil.duckdb' AS e; --",
];

describe("parameters: one declared schema", () => {
  it("the defaults satisfy the schema, with and without the publication floor", () => {
    expect(parametersSchema(true).parse(structuredClone(DEFAULTS))).toEqual(DEFAULTS);
    expect(parametersSchema(false).parse(structuredClone(DEFAULTS))).toEqual(DEFAULTS);
    expect(mergeParameters(undefined)).toEqual(DEFAULTS);
  });

  it("refuses injection payloads in every date and list parameter, naming key and value", () => {
    const dates: [string, string][] = [
      ["d2", "vensterStart"],
      ["d2", "vensterEinde"],
      ["d4", "peildatum"],
      ["d6", "vensterStart"],
      ["d6", "vensterEinde"],
      ["d7", "cohortStart"],
      ["d7", "cohortEinde"],
    ];
    for (const [s, k] of dates) {
      for (const p of PAYLOADS) {
        const msg = err(() => mergeParameters({ [s]: { [k]: p } }, "c.json"));
        expect(msg).toContain(`parameter "${s}.${k}" = ${JSON.stringify(p).slice(0, 20)}`);
        expect(msg).toContain("geen bestaande datum");
      }
    }
    expect(err(() => mergeParameters({ d4: { leespunten: [7, "7); COPY (SELECT 1) TO '/tmp/x'"] } }, "c.json"))).toBe(
      `c.json: parameter "d4.leespunten[1]" = "7); COPY (SELECT 1) TO '/tmp/x'": moet een getal zijn`,
    );
    expect(err(() => mergeParameters({ d6: { tijdvakGrenzen: [{ a: 1 }] } }, "c.json"))).toBe(
      `c.json: parameter "d6.tijdvakGrenzen[0]": moet een getal zijn`,
    );
  });

  it("refuses impossible dates, out-of-range numbers, wrong types, unknown and prototype keys", () => {
    const cases: [unknown, string][] = [
      [{ d4: { peildatum: "2019-02-30" } }, `parameter "d4.peildatum" = "2019-02-30": geen bestaande datum`],
      [{ d1: { maandenZonderLoon: 0 } }, `parameter "d1.maandenZonderLoon" = 0: moet ≥ 1 zijn`],
      [{ d1: { maandenZonderLoon: 2.5 } }, `parameter "d1.maandenZonderLoon" = 2.5: moet een geheel getal zijn`],
      // the documented range, not JavaScript's largest safe integer
      [{ d1: { maandenZonderLoon: 1e308 } }, `parameter "d1.maandenZonderLoon" = 1e+308: moet ≤ 12 zijn`],
      [{ d4: { leespunten: [30, 7] } }, `parameter "d4.leespunten" = [30,7]: moet oplopend zijn`],
      [{ d4: { leespunten: [] } }, `parameter "d4.leespunten" = []: moet minstens 1 element(en) hebben`],
      [{ survival: { confLevel: 1.5 } }, `parameter "survival.confLevel" = 1.5: moet ≤ 0.999 zijn`],
      [{ survival: { confType: "logit" } }, `parameter "survival.confType" = "logit": moet een van "log", "log-log", "plain" zijn`],
      [{ survival: { variantie: "jackknife" } }, `parameter "survival.variantie" = "jackknife": moet een van "robuust", "greenwood" zijn`],
      [{ d3: { inleenFallback: "ja" } }, `parameter "d3.inleenFallback" = "ja": moet true of false zijn`],
      [{ d2: { vensterStart: "2020-06-01" } }, `parameter "d2.vensterStart" = "2020-06-01": het begin van het venster ligt na het einde`],
      [{ d1: { gap: 3 } }, `onbekende parameter "d1.gap" (verwacht: maandenZonderLoon, samenvoegGatDagen)`],
      [{ d8: {} }, `onbekende parameter "d8" (verwacht: d1, d2, d3, d4, d5, d6, d7, survival, disclosure)`],
      [
        { d5: { proefplaatsingZonderEinde: "altijd" } },
        `parameter "d5.proefplaatsingZonderEinde" = "altijd": moet een van "zoals_dienst", "lopend" zijn`,
      ],
      [{ d6: { voorEindeDagenEigenOrganisatie: -1 } }, `parameter "d6.voorEindeDagenEigenOrganisatie" = -1: moet ≥ 0 zijn`],
      [JSON.parse(`{"d1": {"__proto__": {"polluted": 1}}}`), `sleutel "d1.__proto__" is niet toegestaan`],
      [JSON.parse(`{"constructor": {"prototype": {"polluted": 1}}}`), `sleutel "constructor" is niet toegestaan`],
    ];
    for (const [o, msg] of cases) expect(err(() => mergeParameters(o, "c.json"))).toContain(`c.json: ${msg}`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("disclosure thresholds have a floor unless the run is not for publication", () => {
    for (const [k, floor] of Object.entries(DISCLOSURE_FLOOR)) {
      expect(err(() => mergeParameters({ disclosure: { [k]: floor - 1 } }, "c.json"))).toContain(`lager dan de publicatiegrens ${floor}`);
      expect(mergeParameters({ disclosure: { [k]: floor + 5 } }).disclosure[k as keyof typeof DISCLOSURE_FLOOR]).toBe(floor + 5);
      expect(
        mergeParameters({ disclosure: { [k]: 0 } }, "c.json", { voorPublicatie: false }).disclosure[k as keyof typeof DISCLOSURE_FLOOR],
      ).toBe(0);
    }
    // a coarser grid is stricter; a finer one only outside publication
    expect(mergeParameters({ disclosure: { curveGrid: [0, 91, 365] } }).disclosure.curveGrid).toEqual([0, 91, 365]);
    expect(err(() => mergeParameters({ disclosure: { curveGrid: [0, 1, 2] } }, "c.json"))).toContain(
      "fijner rooster alleen met --niet-voor-publicatie",
    );
    expect(mergeParameters({ disclosure: { curveGrid: [0, 1, 2] } }, "c", { voorPublicatie: false }).disclosure.curveGrid).toEqual([
      0, 1, 2,
    ]);
  });
});

describe("--config file", () => {
  const dir = () => tempDir("bm-config-");

  it("names the file for bad JSON, a non-regular file and a missing file", () => {
    const d = dir();
    writeFileSync(join(d, "c.json"), "{ parameters: 1 }");
    expect(err(() => loadRunConfig(join(d, "c.json")))).toMatch(/c\.json, regel 1, kolom 3: geen geldige JSON/);
    // a trailing comma on line 5: line and column, not a byte position
    writeFileSync(join(d, "k.json"), '{\n  "parameters": {\n    "d1": {\n      "maandenZonderLoon": 3,\n    }\n  }\n}\n');
    expect(err(() => loadRunConfig(join(d, "k.json")))).toMatch(
      /k\.json, regel 5, kolom 5: geen geldige JSON \(Expected double-quoted property name\)$/,
    );
    // a wrong path to a file that is not JSON: its content is never shown
    writeFileSync(join(d, "geheim.env"), "SECRET_TOKEN=abc123\n");
    const m = err(() => loadRunConfig(join(d, "geheim.env")));
    expect(m).toMatch(/geheim\.env, regel 1, kolom 1: geen geldige JSON/);
    expect(m).not.toMatch(/SECRET_TOK|abc123/);
    expect(err(() => loadRunConfig(d))).toBe(`configbestand ${d} is geen gewoon bestand`);
    expect(err(() => loadRunConfig(join(d, "nee.json")))).toBe(`configbestand niet gevonden: ${join(d, "nee.json")}`);
  });
});
