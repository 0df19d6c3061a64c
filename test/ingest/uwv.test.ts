import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXTRACTS } from "../../pipeline/contract.ts";
import { loadMappingFile } from "../../pipeline/ingest/mapping.ts";
import { decodeSingleByte } from "../../pipeline/ingest/transcode.ts";
import { runAll } from "../../cli/commands/run.ts";
import { CANONICAL, UWV, contents, query, tempDir } from "./helpers.ts";

describe("uwv dialect (windows-1252, ';', decimal comma, dd-mm-jjjj, own column names and codes)", async () => {
  const outC = join(tempDir(), "out");
  const outU = join(tempDir(), "out");
  await runAll({ extracts: CANONICAL, out: outC, stopAfter: "staging", progress: false });
  const { manifest } = await runAll({
    extracts: UWV,
    out: outU,
    mapping: loadMappingFile(join(UWV, "mapping.json")),
    stopAfter: "staging",
    progress: false,
  });

  it("gives staging tables identical to the canonical fixture", async () => {
    const names = Object.keys(EXTRACTS);
    const c = await query(outC, ...names.map(contents));
    const u = await query(outU, ...names.map(contents));
    for (let i = 0; i < names.length; i++) {
      expect(c[i]!.length).toBeGreaterThan(0);
      expect(u[i]).toEqual(c[i]);
    }
  });

  it("reads every file matched by a glob and names the source file per row", async () => {
    const [p] = await query(
      outU,
      `SELECT bron_bestand, count(*)::INTEGER AS n, min(bron_regel)::INTEGER AS r FROM stg_polis GROUP BY 1 ORDER BY 1`,
    );
    expect(p).toEqual([
      { bron_bestand: "POLIS_2016.csv", n: 3, r: 2 },
      { bron_bestand: "POLIS_2017.csv", n: 2, r: 2 },
    ]);
    expect(manifest.invoer.bestanden.map((f) => f.bestand)).toEqual([
      "UITKERINGEN_2019.csv",
      "POLIS_2016.csv",
      "POLIS_2017.csv",
      "JOBCOACHPORTAAL.csv",
      "SONAR.csv",
    ]);
    expect(manifest.invoer.bestanden.find((f) => f.bestand === "SONAR.csv")!.ongebruikte_kolommen).toEqual(["OPMERKING"]);
    expect(manifest.mapping).toMatchObject({ naam: "uwv-testfixture" });
  });

  it("decodes the windows-1252 range 0x80-0x9F (Node's decoder does not)", () => {
    expect(decodeSingleByte(Buffer.from([0x80, 0xe9, 0x96, 0x81]), "windows-1252")).toBe("€é–\u0081");
    expect(decodeSingleByte(Buffer.from([0x80, 0xe9]), "latin-1")).toBe("\u0080é");
  });
});
