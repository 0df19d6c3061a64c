/**
 * The work partitions (pipeline/partition/): a run split into K = 3 person-hash parts — each an
 * independent `run --skip-analyses` on its share of the extracts — merged, gives the single
 * run's marts (as sets of rows), analysis tables and published files: counts exactly, other
 * numbers to 1e-12 relative (test/helpers/compare-outputs.ts names the first difference).
 *
 * The world is the e2e tier's small world with messy lines added: rejected and structurally
 * broken records and a blank line (part 1 receives the unreadable ones; the merged reject counts
 * must still be the whole run's), quoted fields holding the delimiter and a line break, and one
 * pay period a month after the data end, so that only one part sees the latest period: the
 * other parts must derive with the whole extract's window (round one), not their own.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { rowObjects, sql } from "../../core/sql.ts";
import { runAll, ANALYSES_AND_PUBLISHING } from "../../cli/commands/run.ts";
import { runPipeline } from "../../pipeline/run.ts";
import { partitionExtracts } from "../../pipeline/partition/partition.ts";
import { mergeParts } from "../../pipeline/partition/merge.ts";
import { partOf } from "../../pipeline/partition/hash.ts";
import { competingCounts, survivalCounts, survivalInfluence } from "../../analyses/survival/index.ts";
import { analysisDifference, firstDifference, martDifference, publishDifference } from "../helpers/compare-outputs.ts";
import { tempDir } from "../helpers/temp.ts";

const K = 3;
const BIN = resolve(import.meta.dirname, "..", "..", "bin", "baanmonitor.mjs");

describe("partitioned run, K = 3", () => {
  let dir: string;
  let single: string;
  let parts: string[];
  let merged: string;
  let conn: DuckDBConnection;
  let instance: DuckDBInstance;
  let latePerson: string;
  let lateEnd: string;

  beforeAll(async () => {
    dir = tempDir("bm-partition-");
    const extracts = join(dir, "extracts");
    cpSync(join(inject("smallWorld"), "extracts"), extracts, { recursive: true });
    // one pay period in the month after the data end, for the person of the last polis line
    const polis = readFileSync(join(extracts, "polis.csv"), "utf8").trimEnd().split("\n");
    const ends = polis.slice(1).map((l) => l.split(",")[6]!);
    const dataEnd = [...ends].sort().at(-1)!;
    const last = polis
      .slice(1)
      .find((l) => l.split(",")[6] === dataEnd)!
      .split(",");
    const next = new Date(`${dataEnd}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const start = next.toISOString().slice(0, 10);
    lateEnd = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
    latePerson = last[0]!;
    last[4] = "";
    last[5] = start;
    last[6] = lateEnd;
    last[13] = lateEnd;
    appendFileSync(join(extracts, "polis.csv"), `${last.join(",")}\n`);
    // rejects, a structurally broken record, a blank line (unreadable persons go to part 1)
    const person = polis[1]!.split(",")[0]!;
    appendFileSync(
      join(extracts, "uitkeringen.csv"),
      `\n${person},X,geen-datum,laag,verstandelijk,Wajong2010,ja,2012-02-08,,,AMR08\n${person},M\n,M,1990-01-01,laag,verstandelijk,Wajong2010,ja,2012-02-08,,,AMR08\n`,
    );
    // quoted fields: the delimiter inside the field before persoon_id, a line break in a later one
    appendFileSync(
      join(extracts, "sonar.csv"),
      `"S9,001","${person}",werkfit_maken,O00183,,2019-01-01,2019-06-30,geen_plaatsing\n` +
        `S9002,${person},werkfit_maken,"O00\n183",,2019-02-01,2019-07-30,geen_plaatsing\n`,
    );

    single = join(dir, "single");
    const delen = join(dir, "delen");
    await Promise.all([
      runAll({ extracts, out: single, progress: false }),
      partitionExtracts({ extracts, out: delen, k: K, progress: false }),
    ]);
    parts = Array.from({ length: K }, (_, i) => join(dir, `uit-${i + 1}`));
    await Promise.all(
      parts.map((out, i) => runPipeline({ extracts: join(delen, `deel-${i + 1}`, "extracts"), out, skipAnalyses: true, progress: false })),
    );
    merged = join(dir, "merged");
    await mergeParts({ parts, out: merged, downstream: ANALYSES_AND_PUBLISHING, progress: false });
    instance = await DuckDBInstance.create(":memory:");
    conn = await instance.connect();
  });

  afterAll(() => {
    conn?.closeSync();
    instance?.closeSync();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("splits every record of every file, once, by the md5 rule", () => {
    const m = JSON.parse(readFileSync(join(dir, "delen", "manifest.json"), "utf8"));
    for (const f of ["uitkeringen.csv", "polis.csv", "jobcoachportaal.csv", "sonar.csv"]) {
      const whole = readFileSync(join(dir, "extracts", f), "utf8");
      const pieces = parts.map((_, i) => readFileSync(join(dir, "delen", `deel-${i + 1}`, "extracts", f), "utf8"));
      const header = whole.slice(0, whole.indexOf("\n") + 1);
      // the header in every part, the records once: same bytes in total
      expect(pieces.every((p) => p.startsWith(header))).toBe(true);
      expect(pieces.reduce((s, p) => s + p.length - header.length, 0)).toBe(whole.length - header.length);
      expect(m.delen.map((d: { regels: Record<string, number> }) => d.regels[f])).toHaveLength(K);
    }
    expect(m.onleesbaar["uitkeringen.csv"]).toBe(2); // the blank line and the record without persoon_id
    const p = partOf(latePerson, K);
    expect(readFileSync(join(dir, "delen", `deel-${p}`, "extracts", "polis.csv"), "utf8")).toContain(`,${lateEnd},`);
  });

  it("every part derives with the whole extract's window, although only one part sees its latest period", async () => {
    const p = partOf(latePerson, K);
    for (const [i, out] of parts.entries()) {
      const db = await DuckDBInstance.create(join(out, "baanmonitor.duckdb"), { access_mode: "READ_ONLY" });
      const c = await db.connect();
      try {
        const [w] = await rowObjects<{ eigen: string; venster: string }>(
          c,
          sql`SELECT strftime((SELECT max(tijdvak_einde) FROM stg_polis), '%Y-%m-%d') AS eigen, strftime(data_einde, '%Y-%m-%d') AS venster FROM int_observatie`,
        );
        expect(w!.venster).toBe(lateEnd);
        if (i + 1 === p) expect(w!.eigen).toBe(lateEnd);
        else expect(w!.eigen < lateEnd).toBe(true);
      } finally {
        c.closeSync();
        db.closeSync();
      }
    }
  });

  it("merged marts equal the single run's as sets of rows", async () => {
    expect(await martDifference(conn, single, merged)).toBeNull();
  });

  it("merged analysis tables equal the single run's", async () => {
    expect(await analysisDifference(conn, single, merged)).toBeNull();
  });

  it("merged published files equal the single run's, the input counts and disclosure report included", () => {
    expect(publishDifference(single, merged)).toBeNull();
    const a = JSON.parse(readFileSync(join(single, "manifest.json"), "utf8"));
    const b = JSON.parse(readFileSync(join(merged, "manifest.json"), "utf8"));
    for (const k of ["invoer", "kwaliteit", "koppeling", "parameters", "mapping"]) expect(firstDifference(a[k], b[k], k)).toBeNull();
    expect(a.invoer.totaal.afgewezen).toBeGreaterThan(0);
  });

  it("survival and competing-risk count tables and the duration histograms of the parts add up to the single run's", async () => {
    const mart = (out: string, name: string) => join(out, "marts", `${name}.parquet`);
    const km = (out: string) =>
      survivalCounts(
        conn,
        sql`SELECT jobcoach AS groep, dagen_tot_volgende_baan AS tijd, volgende_baan AS status FROM read_parquet(${mart(out, "baaneindes")})`,
      );
    const aj = (out: string) =>
      competingCounts(
        conn,
        sql`SELECT jobcoach AS groep, dagen_tot_reintegratie AS tijd, reintegratie AS status FROM read_parquet(${mart(out, "baaneindes")}) WHERE in_d6_venster`,
        2,
      );
    const hist = async (out: string) =>
      rowObjects<{ groep: string; dagen: number; n: bigint }>(
        conn,
        sql`SELECT jobcoach AS groep, duur_dagen AS dagen, count(*) AS n FROM read_parquet(${mart(out, "banen")}) WHERE duur_dagen IS NOT NULL GROUP BY ALL`,
      );
    // per (group, day): events, censored, and n at risk (all with time >= day), summed over the parts
    const add = (into: Map<string, number[]>, key: string, v: number[]) => {
      const had = into.get(key) ?? v.map(() => 0);
      into.set(
        key,
        had.map((x, i) => x + v[i]!),
      );
    };
    const kmTable = (maps: Map<string, { time: number; nEvent: number; nCensor: number }[]>[]) => {
      const t = new Map<string, number[]>();
      for (const m of maps) for (const [g, rows] of m) for (const r of rows) add(t, `${g}|${r.time}`, [r.nEvent, r.nCensor]);
      return t;
    };
    const atRisk = (maps: Map<string, { time: number; nEvent: number; nCensor: number }[]>[], g: string, time: number) =>
      maps.reduce((s, m) => s + (m.get(g) ?? []).filter((r) => r.time >= time).reduce((x, r) => x + r.nEvent + r.nCensor, 0), 0);
    const whole = await km(single);
    const pieces = await Promise.all(parts.map(km));
    expect(firstDifference(Object.fromEntries(kmTable(pieces)), Object.fromEntries(kmTable([whole])), "km")).toBeNull();
    for (const [g, rows] of whole) for (const r of rows.slice(0, 50)) expect(atRisk(pieces, g, r.time)).toBe(atRisk([whole], g, r.time));
    const ajTable = (maps: Map<string, { time: number; nEvents: number[]; nCensor: number }[]>[]) => {
      const t = new Map<string, number[]>();
      for (const m of maps) for (const [g, rows] of m) for (const r of rows) add(t, `${g}|${r.time}`, [...r.nEvents, r.nCensor]);
      return t;
    };
    expect(
      firstDifference(Object.fromEntries(ajTable(await Promise.all(parts.map(aj)))), Object.fromEntries(ajTable([await aj(single)])), "aj"),
    ).toBeNull();
    const hTable = (rows: { groep: string; dagen: number; n: bigint }[][]) => {
      const t = new Map<string, number[]>();
      for (const rs of rows) for (const r of rs) add(t, `${r.groep}|${r.dagen}`, [Number(r.n)]);
      return t;
    };
    expect(
      firstDifference(
        Object.fromEntries(hTable(await Promise.all(parts.map(hist)))),
        Object.fromEntries(hTable([await hist(single)])),
        "histogram",
      ),
    ).toBeNull();
  });

  it("two rounds: the person-level robust variance of Kaplan–Meier from global counts (round one) and per-part sums of squared person influences (round two)", async () => {
    const src = (out: string) =>
      sql`SELECT jobcoach AS groep, persoon_id AS id, dagen_tot_volgende_baan AS tijd, volgende_baan AS status FROM read_parquet(${join(out, "marts", "baaneindes.parquet")})`;
    const TAU = 91;
    // round one: the counts per (group, time), summed over the parts, give the global curve terms
    const counts = new Map<string, Map<number, { n: number; d: number }>>();
    for (const out of parts) {
      for (const [g, rows] of await survivalCounts(conn, src(out))) {
        const m = counts.get(g) ?? new Map<number, { n: number; d: number }>();
        counts.set(g, m);
        for (const r of rows) {
          const c = m.get(r.time) ?? { n: 0, d: 0 };
          c.n += r.nEvent + r.nCensor;
          c.d += r.nEvent;
          m.set(r.time, c);
        }
      }
    }
    /** per group: at each distinct time Y, d, S(t−), A, F, B, G (influence-duckdb.ts, one cause) */
    const terms = new Map<
      string,
      { t: number[]; Y: number[]; d: number[]; Sm: number[]; A: number[]; F: number[]; B: number[]; G: number[] }
    >();
    for (const [g, m] of counts) {
      const t = [...m.keys()].sort((a, b) => a - b);
      let atRisk = t.reduce((s, x) => s + m.get(x)!.n, 0);
      const T = {
        t,
        Y: [] as number[],
        d: [] as number[],
        Sm: [] as number[],
        A: [] as number[],
        F: [] as number[],
        B: [] as number[],
        G: [] as number[],
      };
      let S = 1;
      let A = 0;
      let F = 0;
      let B = 0;
      let G = 0;
      for (const x of t) {
        const { n, d } = m.get(x)!;
        const Y = atRisk;
        T.Y.push(Y);
        T.d.push(d);
        T.Sm.push(S);
        G += d > 0 ? ((S * d) / Y) * A : 0;
        F += (S * d) / Y;
        B += (S * d) / (Y * Y);
        A += Y > d ? d / (Y * (Y - d)) : 0;
        S *= 1 - d / Y;
        T.A.push(A);
        T.F.push(F);
        T.B.push(B);
        T.G.push(G);
        atRisk -= n;
      }
      terms.set(g, T);
    }
    const at = (T: { t: number[] }, x: number) => {
      let lo = -1;
      for (let i = 0; i < T.t.length && T.t[i]! <= x; i++) lo = i;
      return lo;
    };
    // round two: per part, each person's influence on F(τ) summed over their endings, squared, summed
    const variance = new Map<string, number>();
    for (const out of parts) {
      const rows = await rowObjects<{ groep: string; id: string; tijd: number; status: number }>(conn, src(out));
      const perPerson = new Map<string, number>();
      for (const r of rows) {
        const T = terms.get(r.groep)!;
        const j = at(T, r.tijd);
        const k = at(T, TAU);
        let inf: number;
        if (r.tijd <= TAU) {
          const a = (r.status === 1 ? T.Sm[j]! / T.Y[j]! : 0) - T.B[j]! + T.G[j]!;
          const b = T.Y[j]! > T.d[j]! ? T.A[j]! - (r.status > 0 ? 1 / (T.Y[j]! - T.d[j]!) : 0) : 0;
          inf = a + b * (T.F[k]! - T.F[j]!);
        } else inf = T.G[k]! - T.B[k]!;
        const key = `${r.groep}|${r.id}`;
        perPerson.set(key, (perPerson.get(key) ?? 0) + inf);
      }
      for (const [key, v] of perPerson) {
        const g = key.slice(0, key.indexOf("|"));
        variance.set(g, (variance.get(g) ?? 0) + v * v);
      }
    }
    // the single run's robust variance at τ, computed in one pass over all persons
    const whole = await survivalInfluence(conn, src(single), { times: [TAU] });
    const reading = whole.readings[0]![0]!;
    expect(whole.groups.length).toBeGreaterThan(1);
    for (const [i, g] of whole.groups.entries()) {
      expect(firstDifference(variance.get(g), reading.cumInc[i]![i], `var ${g}`)).toBeNull();
    }
  });

  describe("bad parts: a one-line user error, nothing written", () => {
    const refused = async (list: () => string[], message: RegExp) => {
      const out = join(dir, "geweigerd");
      await expect(mergeParts({ parts: list(), out, downstream: ANALYSES_AND_PUBLISHING, progress: false })).rejects.toThrow(message);
      expect(existsSync(out)).toBe(false);
    };
    /** a copy of part `i` with its manifest's partition record changed */
    const altered = (i: number, name: string, change: (p: Record<string, unknown>) => void) => {
      const copy = join(dir, name);
      if (!existsSync(copy)) {
        cpSync(parts[i]!, copy, { recursive: true });
        const m = JSON.parse(readFileSync(join(copy, "manifest.json"), "utf8"));
        change(m.partitie);
        writeFileSync(join(copy, "manifest.json"), JSON.stringify(m));
      }
      return copy;
    };

    it("a missing part, a repeated part", async () => {
      await refused(() => parts.slice(0, 2), /deel 3 van 3 ontbreekt/);
      await refused(() => [parts[0]!, parts[0]!, parts[2]!], /allebei deel 1/);
    });

    it("a folder that is not a finished run, an unpartitioned run", async () => {
      const empty = join(dir, "leeg");
      mkdirSync(empty, { recursive: true });
      await refused(() => [parts[0]!, empty, parts[2]!], /geen afgeronde run/);
      await refused(() => [parts[0]!, single, parts[2]!], /ongedeelde extracten/);
    });

    it("parts of another partitioning", async () => {
      const other = altered(1, "ander", (p) => {
        p.id = "0123456789abcdef";
      });
      await refused(() => [parts[0]!, other, parts[2]!], /andere partitie/);
    });

    it("parts derived by other code", async () => {
      const other = altered(1, "andere-code", (p) => {
        p.code = "0000000000000000";
      });
      await refused(() => [parts[0]!, other, parts[2]!], /andere code \(pipeline\/\)/);
    });

    it("overlapping persons: part 1's persons presented as part 2", async () => {
      const fake = altered(0, "nep-2", (p) => {
        p.deel = 2;
      });
      await refused(() => [parts[0]!, fake, parts[2]!], /staat in .* van deel 2, maar hoort bij deel 1/);
    });

    it("a part publishes nothing of its own: run with analyses and analyse on a part are refused", async () => {
      const out = join(dir, "geweigerd");
      await expect(runAll({ extracts: join(dir, "delen", "deel-1", "extracts"), out, progress: false })).rejects.toThrow(
        /deel 1 van 3 van een partitie: draai het met --skip-analyses/,
      );
      expect(existsSync(out)).toBe(false);
      const r = spawnSync(process.execPath, [BIN, "analyse", "--out", parts[0]!], { encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/deel 1 van 3 van een partitie/);
      expect(existsSync(join(parts[0]!, "publish"))).toBe(false);
    });

    it("through the CLI: exit 2 and one line", () => {
      const r = spawnSync(process.execPath, [BIN, "merge", "--parts", parts[0]!, parts[1]!, "--out", join(dir, "geweigerd")], {
        encoding: "utf8",
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^baanmonitor: --parts: deel 3 van 3 ontbreekt/);
      const p = spawnSync(
        process.execPath,
        [BIN, "partition", "--extracts", join(dir, "extracts"), "--k", "1", "--out", join(dir, "geweigerd")],
        {
          encoding: "utf8",
        },
      );
      expect(p.status).toBe(2);
      expect(p.stderr.trim().split("\n")).toHaveLength(1);
      expect(existsSync(join(dir, "geweigerd"))).toBe(false);
    });
  });
});
