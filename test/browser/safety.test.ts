// Publication safety (docs/publish.md): the built site must contain no person, employer or
// organisation id. The scan takes the list of ids (and id patterns) as input; it is tested with
// a planted id, and run on the test build against the ids in any generated extracts found under data/
// (or under BAANMONITOR_TEST_EXTRACTS).
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO, sharedSite } from "./harness.ts";
import { scanForIds } from "./scan.ts";
import { tempDir } from "../helpers/temp.ts";

/** id formats of the synthetic generator (data/generator): person, employer, organisation, ikv, service, grant */
const GENERATOR_ID_PATTERNS = [/\bP\d{8}\b/, /\bW\d{7}\b/, /\bO\d{5}\b/, /\bK\d{9}\b/, /\bS\d{9}\b/, /\bT\d{8}\b/];

const ID_COLUMNS = ["persoon_id", "werkgever_id", "organisatie_id", "aanbieder_id", "ikv_id", "toekenning_id", "dienst_id"];

/** csv files of generated extracts under data/ (canonical ',' or UWV ';' dialect) */
function extractFiles(dir = process.env.BAANMONITOR_TEST_EXTRACTS ?? join(REPO, "data"), depth = 0, out: string[] = []): string[] {
  if (!existsSync(dir) || depth > 5) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) extractFiles(p, depth + 1, out);
    else if (/^(uitkeringen|polis|jobcoachportaal|sonar)\.csv$/i.test(name)) out.push(p);
  }
  return out;
}

/** distinct ids from the id columns of an extract (first `limit` rows; enough to learn the formats) */
function idsFromExtract(file: string, limit = 20_000): Set<string> {
  const ids = new Set<string>();
  const text = readFileSync(file, "latin1").slice(0, 8_000_000);
  const lines = text.split(/\r?\n/, limit + 1);
  const sep = lines[0]!.includes(";") ? ";" : ",";
  const head = lines[0]!.split(sep).map((h) => h.replace(/"/g, "").trim().toLowerCase());
  const cols = head
    .map((h, i) => (ID_COLUMNS.some((c) => h === c || h.includes(c.replace("_id", ""))) && h.includes("id") ? i : -1))
    .filter((i) => i >= 0);
  for (const line of lines.slice(1)) {
    const f = line.split(sep);
    for (const i of cols) {
      const v = f[i]?.replace(/"/g, "").trim();
      if (v) ids.add(v);
    }
  }
  return ids;
}

/** a regex for an id family learned from examples: common letter prefix + digits */
function patternsFrom(ids: Iterable<string>): RegExp[] {
  const shapes = new Map<string, number>();
  for (const id of ids) {
    const m = /^([A-Za-z]+)[-_]?(\d{4,})$/.exec(id);
    if (m) shapes.set(`${m[1]}|${id.length - m[1]!.length}`, (shapes.get(`${m[1]}|${id.length - m[1]!.length}`) ?? 0) + 1);
  }
  return [...shapes.entries()]
    .filter(([, n]) => n >= 5)
    .map(([k]) => {
      const [prefix, rest] = k.split("|");
      return new RegExp(`\\b${prefix}[-_]?\\d{${Math.max(4, Number(rest) - 1)},${Number(rest)}}\\b`);
    });
}

describe("scan op identificatienummers", () => {
  it("vindt een geplant persoonsnummer en werkgeversnummer, en niets in een schone map", () => {
    const dir = tempDir("bm-scan-");
    try {
      writeFileSync(join(dir, "schoon.json"), JSON.stringify({ tabellen: { t: [{ groep: "extern", n: 1234, p: "P-waarde" }] } }));
      expect(scanForIds(dir, { ids: ["P000123456", "W00098765"], patterns: [/\bP\d{9}\b/] })).toEqual([]);
      writeFileSync(join(dir, "lek.js"), 'const rij = {persoon: "P000123456", wg: "W00098765"};');
      const hits = scanForIds(dir, { ids: ["P000123456", "W00098765"], patterns: [/\bP\d{9}\b/] });
      expect(hits.map((h) => h.match).sort()).toEqual(["P000123456", "P000123456", "W00098765"]);
      expect(hits.every((h) => h.file === "lek.js")).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leert id-patronen uit voorbeelden", () => {
    const ids = Array.from({ length: 20 }, (_, i) => `P${String(100000 + i).padStart(8, "0")}`);
    const [re] = patternsFrom(ids);
    expect(re!.test("x P00100007 y")).toBe(true);
    expect(re!.test("P-waarde 2019")).toBe(false);
  });
});

describe("gebouwde site bevat geen identificatienummers", () => {
  // the run's one build (test/setup/site-build.ts), scanned read-only
  let SITE: string;
  beforeAll(async () => {
    SITE = (await sharedSite()).dir;
  });

  it("de gebouwde site bevat geen id uit de extracten (of een geplant id als er geen extracten zijn)", () => {
    const files = extractFiles();
    let ids = new Set<string>();
    for (const f of files) for (const id of idsFromExtract(f)) ids.add(id);
    if (ids.size === 0) {
      // no extracts on this machine: prove the scan would catch a leak in a copy of the site
      const copy = tempDir("bm-dist-");
      try {
        cpSync(SITE, copy, { recursive: true });
        writeFileSync(join(copy, "_file", "geplant.json"), '{"persoon_id":"P999000111"}');
        expect(scanForIds(copy, { ids: ["P999000111"] }).map((h) => h.match)).toEqual(["P999000111"]);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
      ids = new Set(["P999000111"]);
    }
    const hits = scanForIds(SITE, { ids, patterns: [...GENERATOR_ID_PATTERNS, ...patternsFrom(ids)] });
    expect(hits.slice(0, 5), `${hits.length} treffers in de site (${files.length} extracten, ${ids.size} ids)`).toEqual([]);
  });
});
