/**
 * Lines of any length are read or rejected with a reason at their physical line, and later line
 * numbers stay right. DuckDB's reader drops a 200 MB line silently and rejects a 40 MB quoted
 * field with a wrong reason, so records above the limit are cut out before it reads the file.
 * The fast tier tests the mechanism with a lowered limit; the real sizes (a 200 MB line and a
 * 10 MB quoted field at the default limit) run with BAANMONITOR_BIG_LINES=1.
 */
import { createWriteStream, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { rowObjects, sql } from "../../core/sql.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { ingestExtracts } from "../../pipeline/ingest/index.ts";
import { cutLongRecords, hasLongLine, MAX_LINE_BYTES } from "../../pipeline/ingest/lines.ts";
import { CANONICAL_MAPPING_FILE, loadMappingFile } from "../../pipeline/ingest/mapping.ts";
import { runAll } from "../../cli/commands/run.ts";
import { query, tempDir } from "./helpers.ts";

const BASIS = resolve(import.meta.dirname, "..", "fixtures", "bad-input", "_basis");
const LIMIT = 4096;
const HEADER = "dienst_id,persoon_id,dienst,aanbieder_id,werkgever_id,startdatum,einddatum,resultaat";
const ok = (id: string) => `${id},P001,naar_werk,ORG1,,2016-08-01,,lopend`;

/** Ingest a folder with a lowered line limit; the sonar rows and rejects. */
async function ingest(extracts: string, maxLineBytes = LIMIT) {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const res = await ingestExtracts(c, {
      extractsDir: extracts,
      mapping: loadMappingFile(CANONICAL_MAPPING_FILE),
      workDir: tempDir(),
      params: DEFAULTS,
      today: "2026-01-01",
      maxLineBytes,
    });
    const stg = await rowObjects<{ id: string; r: number }>(
      c,
      sql`SELECT dienst_id AS id, bron_regel::INTEGER AS r FROM stg_sonar ORDER BY r`,
    );
    const rej = await rowObjects<{ r: number; kolom: string | null; reden: string; waarde: string }>(
      c,
      sql`SELECT regel::INTEGER AS r, kolom, reden, waarde FROM rejects WHERE bestand = 'sonar.csv' ORDER BY r, kolom`,
    );
    return { stg, rej, file: res.files.find((f) => f.bestand === "sonar.csv")! };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** The physical line (1-based) on which the record with this id starts. */
const lineOf = (text: string, id: string) => text.split(/\r\n|\n|\r/).findIndex((l) => l.startsWith(`${id},`)) + 1;

describe.each([
  ["LF", "\n"],
  ["CRLF", "\r\n"],
])("records above the line limit (%s)", async (_name, nl) => {
  const extracts = join(tempDir(), "extracts");
  cpSync(BASIS, extracts, { recursive: true });
  const lines = [
    HEADER,
    ok("S1"),
    `S2,P001,naar_werk,${"x".repeat(LIMIT * 3)},,2016-08-01,,lopend`, // one long physical line
    ok("S3"),
    `S4,P001,naar_werk,"${"y".repeat(LIMIT)}${nl}${"z".repeat(LIMIT)}",,2016-08-01,,lopend`, // long quoted field over two lines
    ok("S5"),
    `S6,P001,naar_werk,"${"q".repeat(LIMIT - 100)}",,2016-08-01,,lopend`, // just below the limit: loaded
    "",
    `S7,P001,naar_werk,ORG1,,2016-08-01,,lopend,extra`, // a DuckDB reject after the cut records
    ok("S8"),
    `S9,P001,naar_werk,${"w".repeat(LIMIT + 1)}`, // the last line, without a line end
  ];
  const text = lines.join(nl);
  writeFileSync(join(extracts, "sonar.csv"), text);
  const { stg, rej, file } = await ingest(extracts);

  it("loads the records below the limit at their physical lines", () => {
    expect(stg).toEqual(["S1", "S3", "S5", "S6", "S8"].map((id) => ({ id, r: lineOf(text, id) })));
    expect(stg.map((x) => x.r)).toEqual([2, 4, 7, 8, 11]);
  });

  it("rejects every record above the limit with the reason and its physical line", () => {
    const long = (id: string, bytes: number) => ({
      r: lineOf(text, id),
      kolom: null,
      reden: `regel te lang (${bytes} bytes, meer dan ${LIMIT})`,
    });
    expect(rej.map(({ waarde: _, ...x }) => x)).toEqual([
      long("S2", lines[2]!.length),
      long("S4", lines[4]!.length),
      { r: lineOf(text, "S7"), kolom: null, reden: "te veel kolommen" },
      long("S9", lines[10]!.length),
    ]);
    expect(rej.map((x) => x.r)).toEqual([3, 5, 10, 12]);
    // the start of the record, to find it, not the whole record
    expect(rej[0]!.waarde).toMatch(/^S2,P001,naar_werk,x+…$/);
    expect(rej[0]!.waarde.length).toBeLessThan(80);
  });

  it("counts every line: gelezen = geladen + afgewezen", () => {
    expect([file.gelezen, file.geladen, file.afgewezen]).toEqual([9, 5, 4]);
  });
});

describe("line-limit checks", () => {
  it("hasLongLine finds a line just above the limit, also across a 4 MiB chunk edge, and not one at the limit", async () => {
    const dir = tempDir();
    const chunk = 4 << 20;
    const row = "a".repeat(99) + "\n";
    const base = Buffer.from(row.repeat(Math.ceil((chunk + 10_000) / row.length)));
    const file = (name: string, b: Buffer) => {
      writeFileSync(join(dir, name), b);
      return join(dir, name);
    };
    expect(await hasLongLine(file("short.csv", base), 99)).toBe(false);
    expect(await hasLongLine(file("short2.csv", base), 98)).toBe(true);
    // remove the line ends around the chunk edge: one line of 299 bytes straddles it
    const edge = Buffer.from(base);
    const at = Math.floor(chunk / 100) * 100 - 1; // a line end just before the edge
    edge[at] = 0x61;
    edge[at + 100] = 0x61;
    expect(await hasLongLine(file("edge.csv", edge), 298)).toBe(true);
    expect(await hasLongLine(file("edge2.csv", edge), 299)).toBe(false);
    expect(await hasLongLine(file("tail.csv", Buffer.concat([base, Buffer.from("b".repeat(200))])), 199)).toBe(true);
  });

  it("cutLongRecords keeps every short record byte for byte and replaces a long one by its line breaks", async () => {
    const dir = tempDir();
    const src = join(dir, "in.csv");
    writeFileSync(src, 'h\r\nshort\r\n"long\r\nquoted"\r\nx\r\n' + "y".repeat(20) + "\r\nlast");
    const found = await cutLongRecords(src, join(dir, "out.csv"), 10, '"');
    expect(readFileSync(join(dir, "out.csv"), "latin1")).toBe("h\r\nshort\r\n\r\n\r\nx\r\n\r\nlast");
    expect(found.map((f) => [f.regel, f.bytes])).toEqual([
      [3, 14],
      [6, 20],
    ]);
  });
});

/** Write `head`, `n` bytes of `fill`, `tail` without holding the long part in memory. */
async function writeLong(path: string, head: string, n: number, fill: string, tail: string): Promise<void> {
  const out = createWriteStream(path);
  const block = Buffer.alloc(1 << 20, fill);
  const write = (b: Buffer | string) => (out.write(b) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write(head);
  for (let left = n; left > 0; left -= block.length) await write(left >= block.length ? block : block.subarray(0, left));
  await write(tail);
  await new Promise<void>((r) => out.end(() => r()));
}

describe.runIf(process.env.BAANMONITOR_BIG_LINES === "1")("real sizes at the default limit (BAANMONITOR_BIG_LINES=1)", () => {
  it("a 200 MB line and a 10 MB quoted field are rejected at their lines; later lines stay right", { timeout: 300_000 }, async () => {
    const extracts = join(tempDir(), "extracts");
    cpSync(BASIS, extracts, { recursive: true });
    const p = join(extracts, "sonar.csv");
    await writeLong(
      p,
      `${HEADER}\n${ok("S1")}\nS2,P001,naar_werk,`,
      200_000_000,
      "x",
      `,,2016-08-01,,lopend\n${ok("S3")}\nS4,P001,naar_werk,"`,
    );
    // append the 10 MB quoted field and two more rows
    const tail = join(extracts, "tail.part");
    await writeLong(tail, "", 10_000_000, "z", `",,2016-08-01,,lopend\n${ok("S5")}\n${ok("S6")}\n`);
    writeFileSync(p, readFileSync(tail), { flag: "a" });
    (await import("node:fs")).rmSync(tail);
    const out = join(tempDir(), "out");
    const { manifest } = await runAll({ extracts, out, stopAfter: "staging", progress: false, today: "2026-01-01" });
    const [stg, rej] = await query(
      out,
      `SELECT dienst_id AS id, bron_regel::INTEGER AS r FROM stg_sonar ORDER BY r`,
      `SELECT regel::INTEGER AS r, reden FROM rejects WHERE bestand = 'sonar.csv' ORDER BY r`,
    );
    expect(stg).toEqual([
      { id: "S1", r: 2 },
      { id: "S3", r: 4 },
      { id: "S5", r: 6 },
      { id: "S6", r: 7 },
    ]);
    expect(rej).toEqual([
      { r: 3, reden: `regel te lang (${200_000_000 + 38} bytes, meer dan ${MAX_LINE_BYTES})` },
      { r: 5, reden: `regel te lang (${10_000_000 + 40} bytes, meer dan ${MAX_LINE_BYTES})` },
    ]);
    const f = manifest.invoer.bestanden.find((b) => b.bestand === "sonar.csv")!;
    expect([f.gelezen, f.geladen, f.afgewezen]).toEqual([6, 4, 2]);
  });
});
