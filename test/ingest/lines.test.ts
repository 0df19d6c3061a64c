/**
 * bron_regel and rejects.regel are physical line numbers (1-based, header = 1) where the record
 * starts, also after quoted fields with line breaks, blank lines and rejected lines; checked
 * against the file itself.
 */
import { createHash } from "node:crypto";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runAll } from "../../cli/commands/run.ts";
import { hashAndCheck, scanLines } from "../../pipeline/ingest/lines.ts";
import { query, tempDir } from "./helpers.ts";

const BASIS = resolve(import.meta.dirname, "..", "fixtures", "bad-input", "_basis");

const SONAR = [
  "dienst_id,persoon_id,dienst,aanbieder_id,werkgever_id,startdatum,einddatum,resultaat",
  "S1,P001,naar_werk,ORG1,,2015-08-01,2016-01-31,plaatsing",
  "",
  "",
  'S2,P002,proefplaatsing,"ORG{NL}2",WG5,2015-05-01,,lopend',
  "S3,P003,werkfit_maken,ORG2,,2018-01-15,2018-06-30,foute_code",
  "S4,P003,te,weinig",
  "S5,P003,te,weinig",
  'S6,P001,naar_werk,"a{NL}{NL}b ""c""",,2016-08-01,,lopend',
  "S7,P001,naar_werk,ORG1,,2016-08-01,,lopend,extra",
  "",
  'S8,P002,naar_werk,"x, y",,2016-09-01,,plaatsing',
  'S9,P002,naar_werk,ORG1,,2016-09-01,,"fout{NL}code"',
  "S10,P003,naar_werk,ORG1,,2016-10-01,,plaatsing",
  "",
];

/** The physical line (1-based) on which the record with this id starts. */
const lineOf = (text: string, id: string) => text.split(/\r\n|\n|\r/).findIndex((l) => l.startsWith(`${id},`)) + 1;

describe.each([
  ["LF", "\n"],
  ["CRLF", "\r\n"],
])("physical line numbers (%s)", async (_name, nl) => {
  const extracts = join(tempDir(), "extracts");
  cpSync(BASIS, extracts, { recursive: true });
  const text = SONAR.join(nl).replaceAll("{NL}", nl);
  writeFileSync(join(extracts, "sonar.csv"), text);
  const out = join(tempDir(), "out");
  const { manifest } = await runAll({ extracts, out, stopAfter: "staging", progress: false, today: "2026-01-01" });
  const [stg, rej] = await query(
    out,
    `SELECT dienst_id, bron_regel::INTEGER AS r FROM stg_sonar ORDER BY r`,
    `SELECT regel::INTEGER AS r, kolom, reden FROM rejects WHERE bestand = 'sonar.csv' ORDER BY r, kolom`,
  );

  it("bron_regel is the line where each loaded record starts", () => {
    expect(stg).toEqual(["S1", "S2", "S6", "S8", "S10"].map((id) => ({ dienst_id: id, r: lineOf(text, id) })));
    expect(stg!.map((x) => x.r)).toEqual([2, 5, 10, 15, 18]);
  });

  it("structural and field rejects name the physical line, in one numbering", () => {
    expect(rej!.map((x) => [x.r, x.kolom, x.reden])).toEqual([
      [lineOf(text, "S3"), "resultaat", expect.stringContaining("onbekende code")],
      [lineOf(text, "S4"), null, "te weinig kolommen"],
      [lineOf(text, "S5"), null, "te weinig kolommen"],
      [lineOf(text, "S7"), null, "te veel kolommen"],
      [lineOf(text, "S9"), "resultaat", expect.stringContaining("onbekende code")],
    ]);
    expect(rej!.map((x) => x.r)).toEqual([7, 8, 9, 13, 16]);
  });

  it("still counts records, not lines, for gelezen", () => {
    const f = manifest.invoer.bestanden.find((b) => b.bestand === "sonar.csv")!;
    expect([f.gelezen, f.geladen, f.afgewezen, f.afgewezen_structuur]).toEqual([10, 5, 5, 3]);
  });
});

describe("line-map check", () => {
  it("needs no map for a plain file, one for a quote or a blank line, also across a 4 MiB chunk edge", async () => {
    const dir = tempDir();
    const row = "P001,2015-08-01,abc\n";
    const chunk = 4 << 20;
    const plain = row.repeat(Math.ceil((chunk + 1000) / row.length));
    const p = (name: string, s: string | Buffer) => {
      writeFileSync(join(dir, name), s);
      return join(dir, name);
    };
    const check = async (path: string) => (await hashAndCheck(path, path, '"')).needsMap;
    expect(await check(p("plain.csv", plain))).toBe(false);
    // a blank line whose two line ends sit on either side of the chunk edge
    const edge = Buffer.from(plain);
    edge[chunk - 1] = 0x0a;
    edge[chunk] = 0x0a;
    expect(await check(p("edge.csv", edge))).toBe(true);
    expect(await check(p("quote.csv", plain + '"x"\n'))).toBe(true);
    const path = p("plain2.csv", plain);
    // the hash of the whole file, though its chunks are read into one reused buffer
    expect((await hashAndCheck(path, path, '"')).sha256).toBe(createHash("sha256").update(plain).digest("hex"));
    // a transcoded copy gets its own check, from its first byte on: a blank first line there
    const copy = await hashAndCheck(path, p("copy.csv", `\n${plain}`), '"');
    expect(copy).toMatchObject({ needsMap: true, sha256: createHash("sha256").update(plain).digest("hex") });
    expect((await hashAndCheck(path, p("copy2.csv", plain), '"')).needsMap).toBe(false);
  });

  it("scanLines: blank lines and change points in DuckDB's line numbering", async () => {
    const dir = tempDir();
    const f = join(dir, "x.csv");
    writeFileSync(f, 'h\n"a\nb"\n\nc\n"d\r\ne"\r\nf\n');
    // lines: 1 h, 2-3 "a b", 4 blank, 5 c, 6-7 "d e", 8 f; DuckDB lines: h 1, ab 2, blank 3, c 4, de 5, f 6
    expect(await scanLines(f, '"')).toEqual({
      blanks: [3],
      extra: [
        [3, 1],
        [6, 2],
      ],
    });
    expect(
      readFileSync(f, "utf8")
        .split(/\r\n|\n|\r/)
        .indexOf("f") + 1,
    ).toBe(6 + 2);
  });
});
