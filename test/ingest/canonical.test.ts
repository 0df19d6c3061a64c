import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../pipeline/config.ts";
import { EXTRACTS } from "../../pipeline/contract.ts";
import { runAll } from "../../cli/commands/run.ts";
import { CANONICAL, query, readJson, tempDir } from "./helpers.ts";

describe("canonical extracts", async () => {
  const out = join(tempDir(), "out");
  const { manifest } = await runAll({ extracts: CANONICAL, out, stopAfter: "staging", progress: false, today: "2026-01-01" });

  it("loads exactly the rows of the fixture", async () => {
    const [counts] = await query(
      out,
      `SELECT (SELECT count(*) FROM stg_uitkeringen) u, (SELECT count(*) FROM stg_polis) p,
              (SELECT count(*) FROM stg_jobcoachportaal) j, (SELECT count(*) FROM stg_sonar) s,
              (SELECT count(*) FROM rejects) r`,
    );
    expect(counts![0]).toEqual({ u: "4", p: "5", j: "3", s: "3", r: "0" });
  });

  it("has exactly the contract columns and types plus bron_bestand/bron_regel", async () => {
    for (const [name, cols] of Object.entries(EXTRACTS)) {
      const [desc] = await query(out, `DESCRIBE stg_${name}`);
      expect(desc!.map((d) => [d.column_name, d.column_type])).toEqual([
        ...cols.map((c) => [c.name, c.sql]),
        // an ENUM of the extract's files (pipeline/ingest/staging.ts, bronBestandType)
        ["bron_bestand", `ENUM('${name}.csv')`],
        ["bron_regel", "BIGINT"],
      ]);
    }
  });

  it("parses values and keeps the source line", async () => {
    const [polis, uitk, sonar, jc] = await query(
      out,
      `SELECT loon_sv, uren, tijdvak_einde::VARCHAR AS te, datum_einde_ikv, bron_bestand, bron_regel FROM stg_polis ORDER BY bron_regel`,
      `SELECT persoon_id, regio, einddatum::VARCHAR AS e, reden_einde FROM stg_uitkeringen ORDER BY bron_regel`,
      `SELECT werkgever_id, aanbieder_id FROM stg_sonar WHERE dienst_id = 'S2'`,
      `SELECT volgnummer, toegekende_uren, verantwoorde_uren FROM stg_jobcoachportaal ORDER BY bron_regel`,
    );
    expect(polis![0]).toEqual({
      loon_sv: 1234.56,
      uren: 80,
      te: "2016-01-31",
      datum_einde_ikv: null,
      bron_bestand: "polis.csv",
      bron_regel: "2",
    });
    expect(polis![2]).toMatchObject({ loon_sv: 100.5, uren: 8.25, bron_regel: "4" });
    expect(uitk![3]).toEqual({ persoon_id: "P004", regio: "AMR,07", e: "2019-12-31", reden_einde: "herstel" });
    expect(uitk![0]).toMatchObject({ e: null, reden_einde: null });
    expect(sonar![0]).toEqual({ werkgever_id: "WG€5é", aanbieder_id: null });
    expect(jc!.map((r) => r.volgnummer)).toEqual([1, 2, 1]);
    expect(jc![1]!.verantwoorde_uren).toBeNull();
  });

  it("writes a manifest: inputs with hashes and counts, parameters, mapping, versions, timings", () => {
    const m = readJson(join(out, "manifest.json"));
    expect(m).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(
      m.invoer.bestanden.map((f: { bestand: string; gelezen: number; geladen: number; afgewezen: number }) => [
        f.bestand,
        f.gelezen,
        f.geladen,
        f.afgewezen,
      ]),
    ).toEqual([
      ["uitkeringen.csv", 4, 4, 0],
      ["polis.csv", 5, 5, 0],
      ["jobcoachportaal.csv", 3, 3, 0],
      ["sonar.csv", 3, 3, 0],
    ]);
    for (const f of m.invoer.bestanden) {
      const buf = readFileSync(join(CANONICAL, f.bestand));
      expect(f.grootte).toBe(buf.length);
      expect(f.sha256).toBe(createHash("sha256").update(buf).digest("hex"));
    }
    expect(m.invoer.totaal).toEqual({ gelezen: 15, geladen: 15, afgewezen: 0 });
    expect(m.parameters).toEqual(DEFAULTS);
    expect(m.mapping.naam).toBe("canonical");
    expect(m.mapping.extracts.polis.scheidingsteken).toBe(",");
    expect(m.baanmonitor.versie).toMatch(/^\d+\.\d+\.\d+/);
    expect(m.software.duckdb).toMatch(/^v1\./);
    expect(m.software.node).toBe(process.version);
    expect(m.timings.map((t: { stap: string }) => t.stap)).toContain("inlezen en staging polis");
    expect(m.timings.every((t: { ms: number }) => typeof t.ms === "number")).toBe(true);
  });

  it("records the soft checks in kwaliteit (all listed, also zero)", async () => {
    const [k] = await query(out, `SELECT controle, extract, aantal FROM kwaliteit WHERE aantal > 0`);
    expect(k).toEqual([{ controle: "correctie", extract: "polis", aantal: "1" }]);
    expect(manifest.kwaliteit.length).toBeGreaterThan(15);
  });

  it("leaves no temp folders behind", () => {
    const parent = join(out, "..");
    expect(readdirSync(parent)).toEqual(["out"]);
    expect(existsSync(join(out, ".werk"))).toBe(false);
  });
});
