/**
 * Wrong files in place of an extract give a one-line UserError naming the file and what it is,
 * never the file's bytes: UTF-16 (with and without BOM; readable with "codering": "utf-16le" /
 * "utf-16be"), a FIFO, socket or folder (refused from stat, without opening: a FIFO open blocks),
 * a symlink to a binary or compressed file, a dangling symlink, and a symlink to a text file
 * outside the extracts folder (its first line is not quoted).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type loadMappingFile, validateMapping } from "../../pipeline/ingest/mapping.ts";
import { runAll } from "../../cli/commands/run.ts";
import { CANONICAL, copyFixture, query, tempDir, userError } from "./helpers.ts";

const run = (extracts: string, mapping?: ReturnType<typeof loadMappingFile>) =>
  runAll({ extracts, out: join(tempDir(), "out"), stopAfter: "staging", progress: false, today: "2026-01-01", mapping });

/** The canonical mapping with one extract's encoding changed. */
function withEncoding(codering: string) {
  const m = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "data", "mappings", "canonical.json"), "utf8"));
  m.extracts.sonar.codering = codering;
  return validateMapping(m, "test");
}

const utf16 = (text: string, endian: "le" | "be", bom: boolean) => {
  const le = Buffer.from((bom ? "\ufeff" : "") + text, "utf16le");
  if (endian === "le") return le;
  const be = Buffer.from(le);
  for (let i = 0; i + 1 < be.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
  return be;
};

/** A message must be one line of printable text, without NUL or other control bytes. */
const printable = (msg: string) => expect(msg).toMatch(/^[^\u0000-\u001f\u007f]*$/);

describe("UTF-16 extracts", () => {
  for (const endian of ["le", "be"] as const) {
    for (const bom of [true, false]) {
      it(`${endian.toUpperCase()} ${bom ? "with" : "without"} BOM: says so and what to set in the mapping`, async () => {
        const ex = copyFixture(CANONICAL);
        const text = readFileSync(join(ex, "sonar.csv"), "utf8");
        writeFileSync(join(ex, "sonar.csv"), utf16(text, endian, bom));
        const msg = await userError(run(ex));
        expect(msg).toBe(
          `sonar.csv: het bestand is UTF-16 (${endian === "le" ? "little-endian" : "big-endian"}, ${bom ? "met" : "zonder"} BOM); ` +
            `zet "codering": "utf-16${endian}" in de mapping of sla het op als UTF-8`,
        );
        printable(msg);
        // and with that setting the file loads like its UTF-8 original
        const out = join(tempDir(), "out");
        await runAll({
          extracts: ex,
          out,
          stopAfter: "staging",
          progress: false,
          today: "2026-01-01",
          mapping: withEncoding(`utf-16${endian}`),
        });
        const [rows] = await query(out, `SELECT dienst_id, bron_regel::INTEGER AS r FROM stg_sonar ORDER BY r`);
        expect(rows!.map((r) => r.dienst_id)).toEqual(
          text
            .trim()
            .split("\n")
            .slice(1)
            .map((l) => l.split(",")[0]),
        );
      });
    }
  }

  it("utf-16le in the mapping for a file that is not UTF-16", async () => {
    const ex = copyFixture(CANONICAL);
    expect(await userError(run(ex, withEncoding("utf-16le")))).toBe(
      `sonar.csv: de mapping zegt "codering": "utf-16le", maar het bestand is geen UTF-16; pas de codering in de mapping aan`,
    );
  });

  it("a UTF-8 BOM keeps working", async () => {
    const ex = copyFixture(CANONICAL);
    writeFileSync(join(ex, "sonar.csv"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(join(ex, "sonar.csv"))]));
    const out = join(tempDir(), "out");
    await runAll({ extracts: ex, out, stopAfter: "staging", progress: false, today: "2026-01-01" });
    const [rows] = await query(out, `SELECT dienst_id FROM stg_sonar ORDER BY bron_regel LIMIT 1`);
    expect(rows).toEqual([{ dienst_id: "S1" }]);
  });
});

describe("not a regular file", () => {
  it("a FIFO is refused without opening it (the run would block)", async () => {
    const ex = copyFixture(CANONICAL);
    rmSync(join(ex, "sonar.csv"));
    execFileSync("mkfifo", [join(ex, "sonar.csv")]);
    expect(await userError(run(ex))).toBe(
      "sonar.csv: geen gewoon bestand maar een FIFO (named pipe); verwacht een CSV- of Parquet-bestand",
    );
  });

  it("a folder and a socket", async () => {
    const ex = copyFixture(CANONICAL);
    rmSync(join(ex, "sonar.csv"));
    mkdirSync(join(ex, "sonar.csv"));
    expect(await userError(run(ex))).toBe("sonar.csv: geen gewoon bestand maar een map; verwacht een CSV- of Parquet-bestand");
    rmSync(join(ex, "sonar.csv"), { recursive: true });
    const server = createServer();
    await new Promise<void>((r) => server.listen(join(ex, "sonar.csv"), () => r()));
    try {
      expect(await userError(run(ex))).toBe("sonar.csv: geen gewoon bestand maar een socket; verwacht een CSV- of Parquet-bestand");
    } finally {
      server.close();
    }
  });

  it("a device through a symlink", async () => {
    const ex = copyFixture(CANONICAL);
    rmSync(join(ex, "sonar.csv"));
    symlinkSync("/dev/zero", join(ex, "sonar.csv"));
    expect(await userError(run(ex))).toBe("sonar.csv: geen gewoon bestand maar een apparaat; verwacht een CSV- of Parquet-bestand");
  });

  it("a dangling symlink", async () => {
    const ex = copyFixture(CANONICAL);
    rmSync(join(ex, "sonar.csv"));
    symlinkSync(join(ex, "weg.csv"), join(ex, "sonar.csv"));
    expect(await userError(run(ex))).toBe("sonar.csv: symlink naar een bestand dat niet bestaat");
  });
});

describe("symlinks to files that are not CSV: named, never printed", () => {
  const linked = async (target: string) => {
    const ex = copyFixture(CANONICAL);
    rmSync(join(ex, "sonar.csv"));
    symlinkSync(target, join(ex, "sonar.csv"));
    const msg = await userError(run(ex));
    printable(msg);
    return msg;
  };

  it("a program (/bin/ls)", async () => {
    expect(await linked("/bin/ls")).toBe("sonar.csv: geen CSV-bestand maar een programma (ELF), geen CSV");
  });

  it("a gzip file", async () => {
    const gz = join(tempDir(), "sonar.csv.gz");
    writeFileSync(gz, gzipSync(readFileSync(join(CANONICAL, "sonar.csv"))));
    expect(await linked(gz)).toBe("sonar.csv: geen CSV-bestand maar een gzip-bestand (gecomprimeerd); pak het eerst uit");
  });

  it("other binary content", async () => {
    const bin = join(tempDir(), "data.bin");
    writeFileSync(bin, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)));
    expect(await linked(bin)).toBe("sonar.csv: geen tekstbestand (binaire inhoud in de eerste regel); verwacht een CSV-bestand");
  });

  it("a text file outside the extracts folder: its first line is not quoted", async () => {
    const secret = join(tempDir(), "geheim.txt");
    writeFileSync(secret, "wachtwoord=hunter2,iets\nmeer\n");
    const msg = await linked(secret);
    expect(msg).not.toContain("hunter2");
    expect(msg).toMatch(
      /^sonar\.csv: verplichte kolommen .* ontbreekt; de gevonden kolomnamen worden niet getoond: het bestand is een symlink naar een bestand buiten de extractenmap$/,
    );
  });

  it("control bytes in the first line make it binary; other control characters in a header are shown as ?", async () => {
    const ex = copyFixture(CANONICAL);
    writeFileSync(join(ex, "sonar.csv"), "dienst_id,pers\u001boon_id,x\nS1,P1,y\n");
    expect(await userError(run(ex))).toBe("sonar.csv: geen tekstbestand (binaire inhoud in de eerste regel); verwacht een CSV-bestand");
    writeFileSync(join(ex, "sonar.csv"), "dienst_id,pers\u0085oon_id\u2028,x\nS1,P1,y\n");
    const msg = await userError(run(ex));
    printable(msg);
    expect(msg).toContain("gevonden kolommen: dienst_id, pers?oon_id, x");
  });
});
