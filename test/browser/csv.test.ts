// The CSV of a figure (dashboards/components/format.js toCsv): hidden cells are "x" with a note
// column, cells that are not defined stay empty.
import { describe, expect, it } from "vitest";
import { toCsv, CSV_ONDERDRUKT } from "../../dashboards/components/format.js";

const lines = (csv: string) =>
  csv
    .slice(1)
    .trimEnd()
    .split("\r\n")
    .map((l) => l.split(";"));

describe("CSV-download", () => {
  it("schrijft verborgen cellen als x met een toelichting; niet-bestaande waarden leeg", () => {
    const rows = [
      { maand: "2019-01", baaneindes: 12, aandeel: 0.25, onderdrukt: false },
      { maand: "2019-02", baaneindes: null, aandeel: null, onderdrukt: true }, // hidden count and its share
      { maand: "2019-03", baaneindes: 0, aandeel: null, onderdrukt: false }, // no endings: share not defined
      { maand: "2019-04", baaneindes: 60, aandeel: null, mediaan: null, onderdrukt: true }, // share hidden, median not reached (optional)
    ];
    const csv = toCsv(rows, [
      { key: "maand", label: "Maand" },
      { key: "baaneindes", label: "Baaneindes" },
      { key: "aandeel", label: "Aandeel" },
      { key: "mediaan", label: "Mediaan", optional: true },
    ]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [head, a, b, c, d] = lines(csv);
    expect(head).toEqual(["Maand", "Baaneindes", "Aandeel (fractie 0–1)", "Mediaan", "Opmerking"]);
    expect(a).toEqual(["2019-01", "12", "0,25", "", ""]);
    expect(b!.slice(0, 4)).toEqual(["2019-02", CSV_ONDERDRUKT, CSV_ONDERDRUKT, ""]);
    expect(b![4]).toMatch(/^x = niet getoond: te weinig personen/);
    expect(c).toEqual(["2019-03", "0", "", "", ""]);
    expect(d!.slice(0, 4)).toEqual(["2019-04", "60", "x", ""]);
  });

  it("een tellingkolom is nooit leeg: ook zonder onderdrukt-vlag is een lege telling verborgen", () => {
    const [head, r] = lines(
      toCsv(
        [{ groep: "a", n: null }],
        [
          { key: "groep", label: "Groep" },
          { key: "n", label: "N" },
        ],
      ),
    );
    expect(head).toEqual(["Groep", "N", "Opmerking"]);
    expect(r!.slice(0, 2)).toEqual(["a", "x"]);
  });

  it("zonder verborgen cellen geen opmerkingkolom", () => {
    const [head] = lines(toCsv([{ a: 1, onderdrukt: false }], [{ key: "a", label: "A" }]));
    expect(head).toEqual(["A"]);
  });

  it("ja/nee voor waar/onwaar, aandelen afgerond zoals gepubliceerd, eenheden in de kop", () => {
    const [head, r] = lines(
      toCsv(
        [{ figuur: "3.1", aandeel: 0.1 + 0.2 + 0.0004, verschil: 0.1 + 0.2, binnen_marge: true, onderdrukt: false }],
        [
          { key: "figuur", label: "Figuur" },
          { key: "aandeel", label: "Aandeel" },
          { key: "verschil", label: "Verschil", eenheid: "procentpunt" },
          { key: "binnen_marge", label: "Binnen marge" },
        ],
      ),
    );
    expect(head).toEqual(["Figuur", "Aandeel (fractie 0–1)", "Verschil (procentpunt)", "Binnen marge"]);
    expect(r).toEqual(["3.1", "0,3", "0,3", "ja"]);
  });
});
