/**
 * Disclosure control over the whole publication (analyses/disclosure/system.ts, publication.ts):
 * each attack family an outside checker used on the published files, planted on small hand-made
 * tables, is shown to work on the table-by-table protection and to fail after the system phase;
 * the relation self-test catches a wrong declaration; the attacker check refuses a leaky set.
 */
import { describe, expect, it } from "vitest";
import {
  copyRows,
  finalize,
  hide,
  hideDominated,
  hideSmallCounts,
  hideSharesOfSmallCounts,
  requireDenominator,
  secondarySuppression,
} from "../../analyses/disclosure/index.ts";
import { buildSystem, propagate, protectSystem, RelationError, selfTest, type SystemInput } from "../../analyses/disclosure/system.ts";
import { auditInput, DisclosureCheckError, protectPublication } from "../../analyses/disclosure/publication.ts";
import { audit } from "../../analyses/disclosure/attacker.ts";
import { atMost, columnsSum, curveBound, identity, known, mean, rollingSum, share, sum, type Relation } from "../../analyses/relations.ts";
import { table, type Row, type TableDeclaration } from "../../analyses/types.ts";
import baanduur from "../../analyses/catalogue/baanduur.ts";
import jobcoachPaden from "../../analyses/catalogue/jobcoach_paden.ts";
import jobcoachIndices from "../../analyses/catalogue/jobcoach_indices.ts";
import eigenOrganisatie from "../../analyses/catalogue/reintegratie_eigen_organisatie.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { survivalTables } from "../../analyses/catalogue/survival-common.ts";
import type { DisclosureRules } from "../../analyses/disclosure/rules.ts";

const RULES: DisclosureRules = { minAantal: 10, minNoemer: 50, minAtRisk: 10, curveGrid: [0, 30], beschermingsmarge: 5 };

/** One hand-made analysis: rows after `prepare` (the table-by-table rules), published with `columns`. */
function analysis(
  id: string,
  tables: Record<string, { decl: TableDeclaration; rows: Row[]; prepare?: (rows: Row[]) => void }>,
  relations: Relation[],
): SystemInput {
  const tabellen: Record<string, Row[]> = {};
  const publishes: Record<string, TableDeclaration> = {};
  for (const [name, t] of Object.entries(tables)) {
    const rows = copyRows(t.rows);
    t.prepare?.(rows);
    tabellen[name] = finalize(
      rows,
      t.decl.columns.map((c) => c.name),
    );
    publishes[name] = t.decl;
  }
  return { id, tabellen, publishes, relations };
}

/** Every cell of the system an attacker can work out exactly, by id. */
function derivable(inputs: SystemInput[]): Map<string, number> {
  const sys = buildSystem(inputs);
  const { known } = propagate(sys);
  const out = new Map<string, number>();
  sys.cells.forEach((c, i) => {
    if (known[i] && !c.published) out.set(c.id, c.value);
  });
  return out;
}

/** The hidden published cells (id → true value) that can be derived exactly. */
function leaks(inputs: SystemInput[]): string[] {
  const sys = buildSystem(inputs);
  const { known } = propagate(sys);
  return sys.cells.filter((c, i) => known[i] && c.at && c.at.row[c.at.column] === null && c.kind === "count").map((c) => c.id);
}

/** A row of jobcoach_indices' unprotected table (WGA, weekly hours; index 100, raw mean 20). */
const indexRow = (soort: string, maand: number, personen: number, personen_maand0: number) => ({
  groep: "WGA",
  soort_jobcoach: soort,
  maatstaf: "uren_per_week",
  maand,
  index: 100,
  ruw_gemiddelde: 20,
  personen,
  personen_maand0,
  som: 20 * personen,
  grootste: 30,
  tweede: 30,
});

const primary = (cols: string[]) => (rows: Row[]) => hideSmallCounts(rows, cols, RULES);

/** The table rule for a share: hidden when its count (or complement) is small or its denominator too small. */
const smallShares = (share: string, count: string, denominator: string) => (rows: Row[]) =>
  hideSharesOfSmallCounts(
    rows,
    [share],
    (r) => r[count],
    (r) => r[denominator],
    RULES,
  );

/** One table of classes a, b, c, … and their total row, the count rule applied, the sum declared. */
const klassen = (id: string, aantallen: number[], totaal = aantallen.reduce((s, n) => s + n, 0)) =>
  analysis(
    id,
    {
      t: {
        decl: table({ klasse: "key", aantal: "count" }),
        rows: [...aantallen.map((aantal, i) => ({ klasse: "abcdefghijklmnop"[i]!, aantal })), { klasse: "totaal", aantal: totaal }],
        prepare: primary(["aantal"]),
      },
    },
    [sum("t", "aantal", "klasse", { where: { klasse: "totaal" } })],
  );

/** Table `reeks`: region R1's monthly endings from January 2019, the count rule applied. */
const reeksR1 = (eindes: number[]) => ({
  decl: table({ maand: "key", regio: "key", eindes: "count" }),
  rows: eindes.map((n, i) => ({ maand: `2019-0${i + 1}`, regio: "R1", eindes: n })),
  prepare: primary(["eindes"]),
});

describe("attack families on the table-by-table protection, closed by the system phase", () => {
  it("monthly regional counts and the region's total in another file: one hidden month = total − the other months", async () => {
    const reeks = analysis("maand", { reeks: reeksR1([40, 4, 35]) }, [
      sum("reeks", "eindes", "maand", {
        analysis: "surv",
        table: "aantallen",
        where: { kenmerk: "regio" },
        rename: { groep: "regio" },
        column: "n",
      }),
    ]);
    const surv = analysis(
      "surv",
      { aantallen: { decl: table({ kenmerk: "key", groep: "key", n: "count" }), rows: [{ kenmerk: "regio", groep: "R1", n: 79 }] } },
      [],
    );
    expect(leaks([reeks, surv])).toEqual(["maand/reeks#1.eindes"]);
    await protectPublication([reeks, surv], RULES);
    expect(leaks([reeks, surv])).toEqual([]);
    // the partner is the smallest other month, not the total of the other file
    expect(reeks.tabellen.reeks!.map((r) => r.eindes)).toEqual([40, null, null]);
    expect(surv.tabellen.aantallen![0]!.n).toBe(79);
  });

  it("windows of months: a window's count minus its published months gives the hidden month", async () => {
    const a = analysis(
      "venster",
      {
        reeks: reeksR1([20, 5, 30, 25]),
        venster: {
          decl: table({ maand: "key", vanaf_maand: "key", regio: "key", eindes: "count" }),
          rows: [
            { maand: "2019-03", vanaf_maand: "2019-01", regio: "R1", eindes: 55 },
            { maand: "2019-04", vanaf_maand: "2019-02", regio: "R1", eindes: 60 },
          ],
        },
      },
      [rollingSum("venster", "eindes", "maand", "vanaf_maand", { table: "reeks" })],
    );
    // each window alone gives February (55 − 20 − 30, 60 − 30 − 25)
    expect(leaks([a])).toEqual(["venster/reeks#1.eindes"]);
    await protectPublication([a], RULES);
    expect(leaks([a])).toEqual([]);
    expect(derivable([a]).has("venster/reeks#1.eindes")).toBe(false);
  });

  it("regions' window shares over denominators every reader knows: NL minus the shown regions gives the hidden one", async () => {
    const rows = [
      { regio: "NL", eindes: 600, direct: 200 },
      { regio: "R1", eindes: 300, direct: 100 },
      { regio: "R2", eindes: 250, direct: 95 },
      { regio: "R3", eindes: 50, direct: 5 },
    ].map((r) => ({ ...r, aandeel: r.direct / r.eindes }));
    const make = (relations: Relation[]) =>
      analysis(
        "vs",
        {
          venster: {
            decl: table({ regio: "key", aandeel: "share" }),
            rows,
            prepare: smallShares("aandeel", "direct", "eindes"),
          },
        },
        relations,
      );
    const base = [share("venster", "aandeel", "direct", "eindes"), sum("venster", "direct", "regio", { where: { regio: "NL" } })];
    // without `known` the denominators are unknowns and a share says nothing linear: the check is blind
    expect(derivable([make(base)]).has("vs/venster#3.direct")).toBe(false);
    const a = make([...base, known("venster", "eindes")]);
    expect(derivable([a]).get("vs/venster#3.direct")).toBe(5);
    await protectPublication([a], RULES);
    expect(derivable([a]).has("vs/venster#3.direct")).toBe(false);
    // R3 and a partner region (by the run's key); NL stays
    const hidden = a.tabellen.venster!.filter((r) => r.aandeel === null).map((r) => r.regio);
    expect(hidden).toHaveLength(2);
    expect(hidden).toContain("R3");
    expect(hidden).not.toContain("NL");
  });

  it("cumulative counts: a shown share caps the hidden one before it, and the increment between them is a count", async () => {
    // 6 with a service at the end (hidden), 10 within a month (shown as 0.02 of 500): the 6 lies in [1, 10]
    const make = (relations: Relation[]) =>
      analysis(
        "cum",
        {
          t: {
            decl: table({ maand: "key", eindes: "count", a_voor: "share", a_1m: "share" }),
            rows: [{ maand: "2018-01", eindes: 500, voor: 6, m1: 10, erbij: 4, a_voor: 6 / 500, a_1m: 10 / 500 }],
            prepare: smallShares("a_voor", "voor", "eindes"),
          },
        },
        relations,
      );
    const shares = [share("t", "a_voor", "voor", "eindes"), share("t", "a_1m", "m1", "eindes")];
    const audited = async (a: SystemInput) => {
      const { cells, constraints } = auditInput(buildSystem([a]), RULES);
      return (await audit(cells, constraints, { countMargin: RULES.beschermingsmarge, pPercent: 0.1 })).failures.map((f) => f.id);
    };
    expect(await audited(make(shares))).toEqual([]);
    const a = make([...shares, columnsSum("t", ["voor", "erbij"], "m1")]);
    expect(await audited(a)).toEqual(["cum/t#0.voor"]);
    await protectPublication([a], RULES);
    expect(a.tabellen.t![0]).toMatchObject({ a_voor: null, a_1m: null });
  });

  it("total minus parts with counts rebuilt from a share × its published denominator", async () => {
    const rows = [
      { tijdvak: "a", eindes: 200, voor: 30, aandeel: 30 / 200 },
      { tijdvak: "b", eindes: 120, voor: 5, aandeel: 5 / 120 },
      { tijdvak: "c", eindes: 180, voor: 45, aandeel: 45 / 180 },
      { tijdvak: "totaal", eindes: 500, voor: 80, aandeel: 80 / 500 },
    ];
    const a = analysis(
      "voor",
      {
        t: {
          decl: table({ tijdvak: "key", eindes: "count", aandeel: "share" }),
          rows,
          prepare: (r) =>
            hideSharesOfSmallCounts(
              r,
              ["aandeel"],
              (x) => x.voor,
              (x) => x.eindes,
              RULES,
            ),
        },
      },
      [sum("t", "voor", "tijdvak", { where: { tijdvak: "totaal" } }), share("t", "aandeel", "voor", "eindes")],
    );
    // a, c and totaal shares × their denominators give 30, 45, 80: b = 80 − 30 − 45 = 5
    expect(derivable([a]).get("voor/t#1.voor")).toBe(5);
    await protectPublication([a], RULES);
    expect(derivable([a]).has("voor/t#1.voor")).toBe(false);
    // published shares are rounded to one decimal of a percent
    for (const r of a.tabellen.t!)
      if (r.aandeel !== null) expect(Math.round((r.aandeel as number) * 1000)).toBeCloseTo((r.aandeel as number) * 1000, 9);
  });

  it("means: total mean × persons − Σ shown mean × persons gives a hidden group's mean", async () => {
    const a = analysis(
      "gem",
      {
        g: {
          decl: table({ kenmerk: "key", groep: "key", personen: "count", gemiddelde: "mean" }),
          rows: [
            { kenmerk: "totaal", groep: "totaal", personen: 300, gemiddelde: 2 },
            { kenmerk: "k", groep: "a", personen: 200, gemiddelde: 1.5 },
            { kenmerk: "k", groep: "b", personen: 60, gemiddelde: 2.5 },
            { kenmerk: "k", groep: "c", personen: 40, gemiddelde: 3.75 },
          ],
          prepare: (r) => requireDenominator(r, ["gemiddelde"], (x) => x.personen, RULES),
        },
      },
      [
        sum("g", "personen", "groep", { where: { kenmerk: "totaal", groep: "totaal" } }),
        mean("g", "gemiddelde", "personen", { over: "groep", total: { where: { kenmerk: "totaal", groep: "totaal" } } }),
      ],
    );
    // 300 × 2 − 200 × 1.5 − 60 × 2.5 = 150 = 40 × 3.75
    expect(derivable([a]).get("gem/g#3.som(gemiddelde)")).toBeCloseTo(150, 9);
    await protectPublication([a], RULES);
    expect(derivable([a]).has("gem/g#3.som(gemiddelde)")).toBe(false);
    expect(a.tabellen.g!.filter((r) => r.gemiddelde === null).length).toBe(2);
  });

  // endings per person by birth cohort (baaneindes_per_persoon.gemiddelde): a small cohort's persons
  // are hidden, a second cohort's as its partner; their means, published at full precision, are
  // fractions of two whole numbers (3353 / 2977) that give the persons back, and the small
  // cohort's persons follow from the total
  const cohorts = (sumIsCount: boolean) =>
    analysis(
      "pp",
      {
        g: {
          decl: table({ kenmerk: "key", groep: "key", personen: "count", gemiddelde: "mean" }),
          rows: [
            { kenmerk: "totaal", groep: "totaal", personen: 3400, gemiddelde: 3709 / 3400 },
            { kenmerk: "c", groep: "1940", personen: 6, gemiddelde: 1.5 },
            { kenmerk: "c", groep: "1950", personen: 2977, gemiddelde: 3353 / 2977 },
            { kenmerk: "c", groep: "1960", personen: 417, gemiddelde: 347 / 417 },
          ],
          prepare: (r) => {
            hideSmallCounts(r, ["personen"], RULES);
            secondarySuppression(r, "personen", [{ key: (x) => String(x.kenmerk), totalKnown: true }]);
            requireDenominator(r, ["gemiddelde"], (x) => (x.groep === "1940" ? 6 : 100), RULES);
          },
        },
      },
      [
        sum("g", "personen", "groep", { where: { kenmerk: "totaal", groep: "totaal" } }),
        mean("g", "gemiddelde", "personen", { over: "groep", total: { where: { kenmerk: "totaal", groep: "totaal" } } }, { sumIsCount }),
      ],
    );

  it("means of things over hidden persons: the attacker check knows the sum is a whole number", async () => {
    // the table rules hide 1940's persons (6) and, as partner, the smaller of the others (417):
    // 1960's mean 347/417 stays. As amounts, 1960's sum and persons could be anything on that
    // line; as whole numbers 1960 has 0 or 417 persons, so 1940 has 423 or 6
    for (const [sumIsCount, narrowed] of [
      [true, true],
      [false, false],
    ] as const) {
      const a = cohorts(sumIsCount);
      expect(a.tabellen.g!.map((r) => r.personen)).toEqual([3400, null, 2977, null]);
      const sys = buildSystem([a]);
      const { cells, constraints } = auditInput(sys, RULES);
      const res = await audit(cells, constraints, { countMargin: RULES.beschermingsmarge, pPercent: 0.1 });
      expect(res.failures.some((f) => f.id === "pp/g#1.personen")).toBe(narrowed);
    }
  });

  it("means of things over hidden persons are hidden with them, and the set passes the attacker check", async () => {
    const a = cohorts(true);
    await protectPublication([a], RULES);
    for (const r of a.tabellen.g!) if (r.personen === null) expect(r.gemiddelde).toBeNull();
    expect(a.tabellen.g!.find((r) => r.groep === "1950")!.gemiddelde).toBeCloseTo(3353 / 2977, 12);
  });

  /**
   * jobcoach_paden as published: two WGA months of the scale-1 seed-1 world. Month 8: extern's and
   * intern's proefplaatsing (8 and 3) both small under a shown alle of 11; month 2: three small
   * intern states. The module's own pattern has to hold against the attacker check alone.
   */
  const paden = (tableRule?: (rows: Row[]) => void) =>
    padenSet(
      { alle: 1273, extern: 1111, intern: 162 },
      {
        2: { alle: [393, 833, 10, 37], extern: [391, 681, 6, 33], intern: [2, 152, 4, 4] },
        8: { alle: [11, 793, 191, 278], extern: [8, 690, 160, 253], intern: [3, 103, 31, 25] },
      },
      tableRule,
    );
  /** WGA paths with these cohort sizes and, per month and soort, the counts of the four states, through the module's publish */
  const padenSet = (
    cohort: Record<string, number>,
    months: Record<number, Record<string, number[]>>,
    tableRule?: (rows: Row[]) => void,
  ) => {
    const status = ["proefplaatsing", "werk_met_jobcoach", "werk_zonder_jobcoach", "geen_werk"];
    const rows: Row[] = [];
    for (const [maand, bySoort] of Object.entries(months))
      for (const [soort, counts] of Object.entries(bySoort))
        counts.forEach((personen, j) =>
          rows.push({
            groep: "WGA",
            soort_jobcoach: soort,
            maand: Number(maand),
            status: status[j]!,
            personen,
            noemer: cohort[soort]!,
            aandeel: personen / cohort[soort]!,
          }),
        );
    const aantallen = Object.entries(cohort).map(([soort_jobcoach, personen]) => ({ groep: "WGA", soort_jobcoach, personen }));
    let tabellen = jobcoachPaden.publish({ tabellen: { paden: rows, aantallen } }, RULES, jobcoachPaden.parameters(DEFAULTS));
    if (tableRule) {
      const own = copyRows(rows);
      tableRule(own);
      tabellen = { ...tabellen, paden: finalize(own, ["groep", "soort_jobcoach", "maand", "status", "aandeel"]) };
    }
    return { id: jobcoachPaden.id, tabellen, publishes: jobcoachPaden.publishes, relations: jobcoachPaden.relations };
  };
  const padenCell = (a: SystemInput, soort: string, maand: number, status: string) =>
    a.tabellen.paden!.findIndex((r) => r.soort_jobcoach === soort && r.maand === maand && r.status === status);

  it("paths: with the share rule alone a small state is the cohort minus the shown states; the module's pattern hides it", () => {
    // the share rule alone (before 2026-12-03): intern's 3 in month 8 is 162 − 103 − 31 − 25
    const old = paden(smallShares("aandeel", "personen", "noemer"));
    selfTest(buildSystem([old]));
    expect(derivable([old]).get(`jobcoach_paden/paden#${padenCell(old, "intern", 8, "proefplaatsing")}.personen`)).toBe(3);
    const a = paden();
    const rows = a.tabellen.paden!;
    const shown = (soort: string, maand: number) =>
      rows.filter((r) => r.soort_jobcoach === soort && r.maand === maand && r.aandeel !== null).length;
    // month 2: intern's three small states have only werk met jobcoach as partner; month 8: the
    // pair under alle's 11 leaves each other too little room, so alle's 11 is hidden too
    expect(shown("intern", 2)).toBe(0);
    expect(shown("alle", 8)).toBe(2);
    const small = [...derivable([a]).entries()].filter(([id, v]) => id.endsWith(".personen") && v > 0 && v < RULES.minAantal);
    expect(small).toEqual([]);
  });

  it("a share hidden as a partner whose count its column gives back gets a partner of its own", () => {
    // shares of cohorts small enough that a share is a count; intern's a (3) is hidden with b as
    // its partner in the row, but b = alle's b − extern's b: b protects nothing until extern's b goes
    // too (a is also pinned through b, so the row's c is hidden as well)
    const cohorts = { alle: 100, extern: 60, intern: 40 } as Record<string, number>;
    const counts: Record<string, number[]> = { alle: [13, 50, 37], extern: [10, 30, 20], intern: [3, 20, 17] };
    const rows: Row[] = Object.entries(counts).flatMap(([soort, cs]) =>
      cs.map((personen, j) => ({ soort, status: "abc"[j]!, personen, aandeel: personen / cohorts[soort]! })),
    );
    const at = (soort: string, status: string) => rows.find((r) => r.soort === soort && r.status === status)!;
    const a = analysis(
      "pp",
      {
        t: {
          decl: table({ soort: "key", status: "key", aandeel: "share" }),
          rows,
          prepare: (rs) => {
            const find = (soort: string, status: string) => rs.find((r) => r.soort === soort && r.status === status)!;
            hide(find("intern", "a"), "aandeel");
            hide(find("intern", "b"), "aandeel", "secundair");
          },
        },
        n: {
          decl: table({ soort: "key", personen: "count" }),
          rows: Object.entries(cohorts).map(([soort, personen]) => ({ soort, personen })),
        },
      },
      [
        share("t", "aandeel", "personen", { table: "n" }),
        sum("t", "personen", "status", { table: "n" }),
        sum("t", "personen", "soort", { where: { soort: "alle" } }),
      ],
    );
    const sys = buildSystem([a]);
    protectSystem(sys, RULES);
    const hidden = (soort: string, status: string) => a.tabellen.t![rows.indexOf(at(soort, status))]!.aandeel === null;
    expect(hidden("extern", "b")).toBe(true);
  });

  it("paths: a cohort too small for shares keeps its size back, and so does its partner cohort with its shares", async () => {
    const a = padenSet(
      { alle: 520, extern: 500, intern: 20 },
      { 0: { alle: [100, 300, 60, 60], extern: [95, 290, 57, 58], intern: [5, 10, 3, 2] } },
    );
    const { tabellen } = a;
    const size = (s: string) => tabellen.aantallen!.find((r) => r.soort_jobcoach === s)!.personen;
    expect([size("alle"), size("extern"), size("intern")]).toEqual([520, null, null]);
    for (const r of tabellen.paden!) expect(r.aandeel === null).toBe(r.soort_jobcoach !== "alle");
    const report = await protectPublication([a], RULES);
    expect(report.aanvalscontrole.geslaagd).toBe(true);
  });

  it("paths: the module's own pattern passes the attacker check without the system's help", async () => {
    const a = paden();
    const report = await protectPublication([a], RULES);
    expect(report.secundair_systeem.verborgen).toBe(0);
    expect(report.aanvalscontrole.geslaagd).toBe(true);
    // every small state is hidden, and has room to +5 (the check's intervals)
    const sys = buildSystem([a]);
    const { cells, constraints } = auditInput(sys, RULES);
    const res = await audit(cells, constraints, { countMargin: RULES.beschermingsmarge, pPercent: 0.1 });
    for (const [soort, maand, status, v] of [
      ["extern", 8, "proefplaatsing", 8],
      ["intern", 8, "proefplaatsing", 3],
      ["intern", 2, "werk_zonder_jobcoach", 4],
      ["intern", 2, "geen_werk", 4],
    ] as const) {
      const [lo, hi] = res.intervals.get(`jobcoach_paden/paden#${padenCell(a, soort, maand, status)}.personen`)!;
      expect(lo).toBe(1);
      expect(hi).toBeGreaterThanOrEqual(v + RULES.beschermingsmarge);
    }
  });

  it("indices: a small group's hidden raw mean follows from alle, extern and the person counts", async () => {
    const row = (soort: string, personen: number, ruw: number) => ({ soort, maand: 3, personen, ruw_gemiddelde: ruw });
    const a = analysis(
      "idx",
      {
        t: {
          decl: table({ soort: "key", maand: "key", ruw_gemiddelde: "mean", personen: "count" }),
          rows: [row("alle", 130, 20), row("extern", 90, 21), row("intern", 40, 17.75)],
          prepare: (r) => requireDenominator(r, ["ruw_gemiddelde"], (x) => x.personen, RULES),
        },
      },
      [
        sum("t", "personen", "soort", { where: { soort: "alle" } }),
        mean("t", "ruw_gemiddelde", "personen", { over: "soort", total: { where: { soort: "alle" } } }),
      ],
    );
    // 130 × 20 − 90 × 21 = 710 = 40 × 17.75
    expect(derivable([a]).get("idx/t#2.som(ruw_gemiddelde)")).toBeCloseTo(710, 9);
    await protectPublication([a], RULES);
    expect(derivable([a]).has("idx/t#2.som(ruw_gemiddelde)")).toBe(false);
  });

  it("a share is at most 1: a hidden count under a small shown denominator is held by it", async () => {
    // reintegratie_eigen_organisatie at scale 0.1 (outside check, 2026-12-03): eigen 7 of 10 diensten
    const rows = [
      { tijdvak: "a", diensten: 10, eigen: 7 },
      { tijdvak: "b", diensten: 200, eigen: 90 },
      { tijdvak: "c", diensten: 150, eigen: 60 },
      { tijdvak: "totaal", diensten: 360, eigen: 157 },
    ].map((r) => ({ ...r, aandeel: r.eigen / r.diensten }));
    const make = () =>
      analysis(
        "eo",
        {
          t: {
            decl: table({ tijdvak: "key", diensten: "count", eigen: "count", aandeel: "share" }),
            rows,
            prepare: (rs) => {
              hideSmallCounts(rs, ["eigen"], RULES);
              requireDenominator(rs, ["eigen", "aandeel"], (r) => r.diensten, RULES);
            },
          },
        },
        [share("t", "aandeel", "eigen", "diensten"), sum("t", "diensten", "tijdvak", { where: { tijdvak: "totaal" } })],
      );
    const a = make();
    const check = async () => {
      const { cells, constraints } = auditInput(buildSystem([a]), RULES);
      return (await audit(cells, constraints, { countMargin: RULES.beschermingsmarge, pPercent: 0.1 })).intervals.get("eo/t#0.eigen")!;
    };
    expect((await check())[1]).toBe(10);
    await protectPublication([a], RULES);
    expect((await check())[1]).toBeGreaterThanOrEqual(12);
  });

  it("indices: month 0's persons bound every later month's and the other way round, so a small group shows no month", () => {
    // WGA intern (outside checks, 2026-12-03): at scale 0.1 a shown 11 in month 0 held a hidden 9
    // in [1, 11]; at scale 0.2, with month 0 hidden, a shown month 1 equal to it gave it back
    const row = (soort: string, maand: number, personen: number) => indexRow(soort, maand, personen, soort === "intern" ? 11 : 120);
    const rows = [
      row("alle", 0, 131),
      row("extern", 0, 120),
      row("intern", 0, 11),
      row("alle", 1, 112),
      row("extern", 1, 100),
      row("intern", 1, 12),
    ];
    const pub = jobcoachIndices.publish({ tabellen: { indices: rows } }, RULES, jobcoachIndices.parameters(DEFAULTS));
    const personen = (soort: string, maand: number) => pub.indices!.find((r) => r.soort_jobcoach === soort && r.maand === maand)!.personen;
    expect(personen("intern", 0)).toBeNull();
    expect(personen("intern", 1)).toBeNull();
    expect(personen("extern", 0)).toBe(120);
  });

  it("indices: a figure shown only with ≥ minNoemer persons is hidden where the system phase hides the persons (shownWith)", async () => {
    // WGA (outside check, scale 0.1, 2026-12-03): intern's 5 persons hidden, extern's 51 hidden as
    // their partner under a shown 56; extern's index beside its hidden persons told that they are
    // ≥ 50, so intern ≤ 6
    const row = (soort: string, maand: number, personen: number) => indexRow(soort, maand, personen, soort === "intern" ? 60 : 120);
    const rows = [
      row("alle", 0, 180),
      row("extern", 0, 120),
      row("intern", 0, 60),
      row("alle", 1, 56),
      row("extern", 1, 51),
      row("intern", 1, 5),
    ];
    const protect = async (relations: readonly Relation[]) => {
      const pub = jobcoachIndices.publish({ tabellen: { indices: copyRows(rows) } }, RULES, jobcoachIndices.parameters(DEFAULTS));
      const input: SystemInput = { id: "jobcoach_indices", tabellen: pub, publishes: jobcoachIndices.publishes, relations };
      await protectPublication([input], RULES);
      return pub.indices!.find((r) => r.soort_jobcoach === "extern" && r.maand === 1)!;
    };
    const extern = await protect(jobcoachIndices.relations);
    expect(extern.personen).toBeNull();
    expect(extern.index).toBeNull();
    expect(extern.ruw_gemiddelde).toBeNull();
    // without the declaration extern's index stays beside its hidden persons
    const blind = await protect(jobcoachIndices.relations.filter((r) => r.kind !== "shownWith"));
    expect(blind.personen).toBeNull();
    expect(blind.index).not.toBeNull();
  });

  it("eigen organisatie: where the services of other organisations are few, the own organisation's count is hidden with the share", async () => {
    // outside check, scale 0.1, 2026-12-03: 15 services of which 10 by the own organisation, both
    // shown, the share hidden for the 5 of other organisations: 15 − 10 gave them back
    const rows = [
      { tijdvak: "voor_einde", diensten: 15, eigen: 10 },
      { tijdvak: "<1w", diensten: 200, eigen: 90 },
      { tijdvak: "1w-1m", diensten: 180, eigen: 70 },
      { tijdvak: "totaal", diensten: 395, eigen: 170 },
    ].map((r) => ({ ...r, aandeel: r.eigen / r.diensten }));
    const pub = eigenOrganisatie.publish({ tabellen: { per_tijdvak: copyRows(rows) } }, RULES, eigenOrganisatie.parameters(DEFAULTS));
    const input: SystemInput = {
      id: "reintegratie_eigen_organisatie",
      tabellen: pub,
      publishes: eigenOrganisatie.publishes,
      // its own sums and share (the balance with reintegratie_uptake needs that analysis)
      relations: eigenOrganisatie.relations.filter((r) => r.kind === "sum" || r.kind === "share"),
    };
    await protectPublication([input], RULES);
    const first = pub.per_tijdvak![0]!;
    expect(first.aandeel).toBeNull();
    expect(first.eigen).toBeNull();
    // and not worked back from the total: the secondary suppression hid a partner in the column
    expect(pub.per_tijdvak!.filter((r) => r.eigen === null).length).toBeGreaterThanOrEqual(2);
  });

  it("a share shown beside its hidden denominator tells that the denominator is at least minNoemer", async () => {
    // a's 52 endings are hidden as b's partner under a shown 57; a's share is shown, which the
    // rules allow only with ≥ 50 endings: so b ≤ 57 − 50
    const a = analysis(
      "x",
      {
        t: {
          decl: table({ klasse: "key", n: "count", aandeel: "share" }),
          rows: [
            { klasse: "a", n: 52, teller: 26, aandeel: 0.5 },
            { klasse: "b", n: 5, teller: 2, aandeel: 2 / 5 },
            { klasse: "totaal", n: 57, teller: 28, aandeel: 28 / 57 },
          ],
          prepare: (rows) => {
            hide(rows[1]!, "n");
            hide(rows[1]!, "aandeel");
            hide(rows[0]!, "n", "secundair");
          },
        },
      },
      [sum("t", "n", "klasse", { where: { klasse: "totaal" } }), share("t", "aandeel", "teller", "n")],
    );
    const { cells, constraints } = auditInput(buildSystem([a]), RULES);
    expect(cells.find((c) => c.id === "x/t#0.n")!.lower).toBe(RULES.minNoemer);
    const r = await audit(cells, constraints, { countMargin: 5, pPercent: 0.1 });
    expect(r.intervals.get("x/t#1.n")).toEqual([1, 7]);
  });

  it("a subset counted in another file: its shown count bounds the hidden class from below, and so its partner from above", async () => {
    // classes a (7, hidden) and b (40, its partner) of 147; another analysis shows how many of
    // b's persons had a service: 38. So b ≥ 38, and a = 47 − b ≤ 9: within a's margin of 7 + 5
    const a = klassen("k", [7, 40, 100]);
    hide(a.tabellen.t![1]!, "aantal", "secundair");
    const b = analysis(
      "sub",
      {
        t: {
          decl: table({ klasse: "key", met_dienst: "count" }),
          rows: [
            { klasse: "a", met_dienst: 0 },
            { klasse: "b", met_dienst: 38 },
            { klasse: "c", met_dienst: 50 },
          ],
        },
      },
      [atMost("t", "met_dienst", { analysis: "k", column: "aantal" })],
    );
    const interval = async () => {
      const { cells, constraints } = auditInput(buildSystem([a, b]), RULES);
      return (await audit(cells, constraints, { countMargin: RULES.beschermingsmarge, pPercent: 0.1 })).intervals.get("k/t#0.aantal")!;
    };
    expect(a.tabellen.t!.filter((r) => r.aantal === null).map((r) => r.klasse)).toEqual(["a", "b"]);
    expect(await interval()).toEqual([1, 9]);
    // without the declaration the check sees a's full room under the total
    const blind = { ...b, relations: [] };
    const { cells, constraints } = auditInput(buildSystem([a, blind]), RULES);
    expect((await audit(cells, constraints, { countMargin: 5, pPercent: 0.1 })).intervals.get("k/t#0.aantal")).toEqual([1, 46]);
    await protectPublication([a, b], RULES);
    expect((await interval())[1]).toBeGreaterThanOrEqual(12);
  });

  it("a balance across analyses (identity): events minus those running at the end = services after the end", async () => {
    // reintegratie_eigen_organisatie against reintegratie_uptake (outside check, scale 0.1,
    // 2026-12-03): 264 events, 22 running at the end; per_tijdvak's total 253 and its row for
    // running at the end (a part of the 22) hidden 11 give the services after the end, 242
    const uptake = analysis(
      "up",
      {
        a: {
          decl: table({ groep: "key", gebeurtenissen: "count", voor_einde: "count" }),
          rows: [{ groep: "extern", gebeurtenissen: 264, voor_einde: 22 }],
        },
      },
      [],
    );
    const rows = [
      { tijdvak: "voor_einde", diensten: 11, eigen: 9 },
      { tijdvak: "na", diensten: 242, eigen: 100 },
      { tijdvak: "totaal", diensten: 253, eigen: 109 },
    ];
    const make = (relations: Relation[]) =>
      analysis(
        "eo",
        {
          t: {
            decl: table({ tijdvak: "key", diensten: "count", eigen: "count" }),
            rows,
            prepare: (rs) => {
              hideSmallCounts(rs, ["eigen"], RULES);
              hide(rs[1]!, "eigen", "secundair");
              hide(rs[0]!, "diensten", "secundair");
              hide(rs[1]!, "diensten", "secundair");
            },
          },
        },
        [
          sum("t", "diensten", "tijdvak", { where: { tijdvak: "totaal" } }),
          sum("t", "eigen", "tijdvak", { where: { tijdvak: "totaal" } }),
          atMost("t", "eigen", { column: "diensten" }),
          ...relations,
        ],
      );
    const interval = async (a: SystemInput) => {
      const { cells, constraints } = auditInput(buildSystem([uptake, a]), RULES);
      return (await audit(cells, constraints, { countMargin: 5, pPercent: 0.1 })).intervals.get("eo/t#0.eigen")!;
    };
    const voorEinde = { analysis: "up", table: "a", where: { groep: "extern" }, column: "voor_einde" };
    const balance = identity("t", [
      { ref: { analysis: "up", table: "a", where: { groep: "extern" }, column: "gebeurtenissen" }, coef: 1 },
      { ref: voorEinde, coef: -1 },
      { ref: { where: { tijdvak: "totaal" }, column: "diensten" }, coef: -1 },
      { ref: { where: { tijdvak: "voor_einde" }, column: "diensten" }, coef: 1 },
    ]);
    // eigen ≤ diensten of its row; without the balance that row is anything up to 253, and eigen
    // up to its total less the other hidden part (at least 1)
    expect((await interval(make([])))[1]).toBe(108);
    expect(await interval(make([balance]))).toEqual([1, 11]);
    const a = make([balance, atMost("t", "diensten", voorEinde, { tijdvak: "voor_einde" })]);
    await protectPublication([uptake, a], RULES);
    expect((await interval(a))[1]).toBeGreaterThanOrEqual(14);
    // a world without the row (no extern endings): with its terms optional the balance is left out
    const none = analysis("up", { a: { decl: table({ groep: "key", gebeurtenissen: "count", voor_einde: "count" }), rows: [] } }, []);
    const optional = identity("t", [
      { ref: { analysis: "up", table: "a", where: { groep: "extern" }, column: "gebeurtenissen", optional: true }, coef: 1 },
    ]);
    expect(() => buildSystem([none, make([balance])])).toThrow(/geen rij/);
    expect(buildSystem([none, make([optional])]).constraints.some((c) => c.label.includes("identity"))).toBe(false);
  });

  it("the mean of a yes/no characteristic (fraction): its sum is a count of persons, and the check asks ±5 of it", async () => {
    // jobcoach_indices' contract share (outside check, scale 0.1, 2026-12-03): alle 10 of 109
    // persons, extern 9 of 100 hidden, intern 1 of 9 hidden: extern's count in [0, 10]
    const rows = [
      { soort: "alle", aandeel: 10 / 109, personen: 109 },
      { soort: "extern", aandeel: 9 / 100, personen: 100 },
      { soort: "intern", aandeel: 1 / 9, personen: 9 },
    ];
    const make = (fraction: boolean) =>
      analysis(
        "ind",
        {
          t: {
            decl: table({ soort: "key", aandeel: "mean", personen: "count" }),
            rows,
            prepare: (rs) => {
              hideSmallCounts(rs, ["personen"], RULES);
              hide(rs[1]!, "aandeel", "primair");
              hide(rs[2]!, "aandeel", "primair");
            },
          },
        },
        [
          sum("t", "personen", "soort", { where: { soort: "alle" } }),
          mean("t", "aandeel", "personen", { over: "soort", total: { where: { soort: "alle" } } }, { fraction }),
        ],
      );
    const failing = async (a: SystemInput) => {
      const { cells, constraints } = auditInput(buildSystem([a]), RULES);
      return (await audit(cells, constraints, { countMargin: 5, pPercent: 0.1 })).failures.map((f) => f.id);
    };
    // as a mean of hours the sums pass the ±10% rule; as a count of persons 9 in [0, 10] does not
    expect(await failing(make(false))).not.toContain("ind/t#1.som(aandeel)");
    expect(await failing(make(true))).toContain("ind/t#1.som(aandeel)");
    const a = make(true);
    await expect(protectPublication([a], RULES)).resolves.toBeDefined();
    expect(a.tabellen.t![0]!.aandeel).toBeNull();
  });

  it("months of a year add up to the year's row in another analysis (by), at most where months are undefined (partial)", async () => {
    const jaren = analysis(
      "up",
      {
        j: {
          decl: table({ jaar: "key", voor_einde: "count" }),
          rows: [
            { jaar: "2017", voor_einde: 20 },
            { jaar: "2018", voor_einde: 30 },
          ],
        },
      },
      [],
    );
    const maanden = [
      { maand: "2017-01", n: 3, a: 0.03 },
      { maand: "2017-02", n: 17, a: 0.17 },
      { maand: "2018-01", n: 4, a: 0.04 },
      { maand: "2018-02", n: null, a: null },
    ];
    const mm = analysis(
      "mm",
      {
        r: {
          decl: table({ maand: "key", aandeel: "share" }),
          rows: maanden.map((m) => ({ maand: m.maand, aandeel: m.a, teller: m.n, eindes: 100, jaar: m.maand.slice(0, 4) })),
          prepare: (rs) => hide(rs[0]!, "aandeel", "primair"),
        },
      },
      [
        share("r", "aandeel", "teller", "eindes"),
        sum("r", "teller", "maand", { analysis: "up", table: "j", rename: { jaar: "jaar" }, column: "voor_einde" }, undefined, {
          by: ["jaar"],
          partial: true,
        }),
      ],
    );
    const sys = buildSystem([jaren, mm]);
    selfTest(sys);
    // 2017: an equality (3 + 17 = 20); 2018: 4 ≤ 30 (February undefined)
    expect(sys.constraints.filter((c) => c.type === "linear").length).toBe(1);
    expect(sys.constraints.filter((c) => c.type === "atMost").length).toBe(1);
  });

  it("the repair goes on as long as it finds a partner: twelve rounds protect what eight would have refused", async () => {
    // a hidden 7 among classes of 40 whose subsets another file shows as 39: each hidden class
    // gives the 7 one unit of room, so a margin of 12 needs twelve partners, one a round
    const wide: DisclosureRules = { ...RULES, beschermingsmarge: 12 };
    const classes = [7, ...Array.from({ length: 14 }, () => 40)];
    const a = klassen("k", classes);
    const b = analysis(
      "sub",
      {
        t: {
          decl: table({ klasse: "key", met_dienst: "count" }),
          rows: classes.map((n, i) => ({ klasse: "abcdefghijklmnop"[i]!, met_dienst: i === 0 ? 0 : n - 1 })),
        },
      },
      [atMost("t", "met_dienst", { analysis: "k", column: "aantal" })],
    );
    const report = await protectPublication([a, b], wide);
    expect(report.aanvalscontrole.rondes).toBeGreaterThan(8);
    const { cells, constraints } = auditInput(buildSystem([a, b]), wide);
    const [, hi] = (await audit(cells, constraints, { countMargin: 12, pPercent: 0.1 })).intervals.get("k/t#0.aantal")!;
    expect(hi).toBeGreaterThanOrEqual(19);
  });

  it("suppressed pairs whose sum is itself below 10 get a third cell", async () => {
    const a = klassen("paar", [3, 4, 50, 60]);
    await protectPublication([a], RULES);
    const hidden = a.tabellen.t!.filter((r) => r.aantal === null).map((r) => r.klasse);
    expect(hidden).toHaveLength(3);
    expect(hidden.slice(0, 2)).toEqual(["a", "b"]);
  });
});

describe("magnitudes: dominance (n,k = 2, 90%) and p% (10%)", () => {
  const row = (som: number, grootste: number, tweede: number): Row => ({ groep: "g", gemiddelde: som / 60, som, grootste, tweede });
  const apply = (r: Row) => {
    const rows = [r];
    hideDominated(rows, ["gemiddelde"], (x) => ({ som: x.som, grootste: x.grootste, tweede: x.tweede }));
    return rows[0]!.gemiddelde === null;
  };
  it("hides a mean whose two largest contributions exceed 90% of the sum", () => {
    expect(apply(row(1000, 600, 310))).toBe(true); // 910 > 900
    expect(apply(row(1000, 600, 290))).toBe(false); // 890, and 110 ≥ 60
  });
  it("hides a mean where the sum minus the two largest is less than 10% of the largest (p% rule)", () => {
    // with contributions ≥ 0 the p% rule at 10% follows from (2, 90%): the rest is ≥ 10% of the
    // sum ≥ 10% of the largest; it is checked on its own so a different K cannot drop it
    expect(apply(row(1000, 880, 60))).toBe(true); // 60 < 88
    expect(apply(row(1000, 450, 440))).toBe(false); // 110 ≥ 45, 890 ≤ 900
  });
  it("names the reason in controle.json", async () => {
    const a = analysis(
      "mag",
      {
        g: {
          decl: table({ groep: "key", personen: "count", gemiddelde: "mean" }),
          rows: [{ groep: "a", personen: 60, gemiddelde: 1000 / 60, som: 1000, grootste: 600, tweede: 310 }],
          prepare: (r) => hideDominated(r, ["gemiddelde"], (x) => ({ som: x.som, grootste: x.grootste, tweede: x.tweede })),
        },
      },
      [mean("g", "gemiddelde", "personen")],
    );
    const rep = await protectPublication([a], RULES);
    expect(rep.tabellen[0]!.verborgen.dominantie).toBe(1);
    expect(JSON.stringify(rep)).not.toContain("16.66");
  });
});

describe("a curve of the events bounds the counts of its periods (curveBound)", () => {
  // 100 endings; services: 8 running at the end (day 0), 3 on days 1–6, 19 on days 7–29, 20 later;
  // nobody leaves early, so the curve times n gives the events up to each day exactly
  const curveRows = (dagen: [number, number, number][]) =>
    dagen.flatMap(([dag, f, nRisico]) =>
      ["km", "aj"].map((methode) => ({
        kenmerk: "totaal",
        groep: "totaal",
        methode,
        dag,
        cum_incidentie: f,
        lower: f,
        upper: f,
        n_risico: nRisico,
      })),
    );
  // the declaration of the shared survival tables (analyses/catalogue/survival-common.ts)
  const curveDecl = survivalTables().curve!;
  const uptake = () =>
    analysis(
      "up",
      {
        curve: {
          decl: curveDecl,
          rows: curveRows([
            [7, 0.11, 89],
            [30, 0.3, 70],
          ]),
        },
        leespunten: {
          decl: curveDecl,
          rows: curveRows([
            [7, 0.11, 89],
            [30, 0.3, 70],
          ]),
        },
        aantallen: { decl: table({ kenmerk: "key", groep: "key", n: "count" }), rows: [{ kenmerk: "totaal", groep: "totaal", n: 100 }] },
      },
      [],
    );
  const laatsteDag: Record<string, number | null> = { voor_einde: 0, "<1w": 6, "1w-1m": 29, ">1m": null };
  const mixRows: Row[] = Object.entries({ voor_einde: [7, 1], "<1w": [2, 1], "1w-1m": [10, 9], ">1m": [12, 8] }).flatMap(([tijdvak, n]) =>
    ["a", "b"].map((dienst, i) => ({ tijdvak, dienst, aantal: n[i]!, laatste_dag: laatsteDag[tijdvak]! })),
  );
  const mix = (relations: Relation[], rows = mixRows) =>
    analysis(
      "mix",
      { t: { decl: table({ tijdvak: "key", dienst: "key", aantal: "count" }), rows, prepare: primary(["aantal"]) } },
      relations,
    );
  const bound = curveBound(
    "t",
    "aantal",
    "laatste_dag",
    { analysis: "up", where: { kenmerk: "totaal", groep: "totaal" } },
    { analysis: "up", table: "aantallen", where: { kenmerk: "totaal", groep: "totaal" }, column: "n" },
  );
  const interval = async (inputs: SystemInput[]) => {
    const { cells, constraints } = auditInput(buildSystem(inputs), RULES);
    return (await audit(cells, constraints, { countMargin: 5, pPercent: 0.1 })).intervals.get("mix/t#0.aantal");
  };

  it("holds a hidden 7 running at the end within 11 − the other hidden counts up to day 6, which the declaration shows the check", async () => {
    // undeclared, the check does not see the cell at all
    expect(await interval([uptake(), mix([])])).toBeUndefined();
    // ⌊0.11 × 100⌋ = 11 (and 100 − 89 at risk on day 7) less the three other hidden counts, each ≥ 1
    expect(await interval([uptake(), mix([bound])])).toEqual([1, 8]);
  });

  it("the repair hides the curve's day in every curve of the analysis; the next day leaves the margin", async () => {
    const up = uptake();
    const m = mix([bound]);
    await protectPublication([up, m], RULES);
    for (const name of ["curve", "leespunten"]) {
      const shown = up.tabellen[name]!.filter((r) => r.cum_incidentie !== null).map((r) => r.dag);
      expect(shown).toEqual([30, 30]);
      expect(up.tabellen[name]!.filter((r) => r.dag === 7).every((r) => r.n_risico === null && r.onderdrukt)).toBe(true);
    }
    // no cell of the mix could take the bound up to day 6 away (a count shown after day 6 is in
    // the bounds of later days only); the counts after the first month stay shown
    expect(m.tabellen.t!.find((r) => r.tijdvak === ">1m" && r.dienst === "a")!.aantal).toBe(12);
    expect((await interval([up, m]))![1]).toBeGreaterThanOrEqual(12);
  });

  it("with `by`, each group's count is bounded by its own curve and its own n", () => {
    const rows = (groep: string, f: number, nRisico: number) =>
      ["km", "aj"].map((methode) => ({
        kenmerk: "jobcoach",
        groep,
        methode,
        dag: 7,
        cum_incidentie: f,
        lower: f,
        upper: f,
        n_risico: nRisico,
      }));
    const curve = [...rows("extern", 0.11, 89), ...rows("geen", 0.2, 40)];
    const up = analysis(
      "up",
      {
        curve: { decl: curveDecl, rows: curve },
        leespunten: { decl: curveDecl, rows: [] },
        aantallen: {
          decl: table({ kenmerk: "key", groep: "key", n: "count" }),
          rows: [
            { kenmerk: "jobcoach", groep: "extern", n: 100 },
            { kenmerk: "jobcoach", groep: "geen", n: 50 },
          ],
        },
        voor: {
          decl: table({ kenmerk: "key", groep: "key", n: "count" }),
          rows: [
            { kenmerk: "jobcoach", groep: "extern", n: 100, voor_einde: 8, laatste_dag: 0 },
            { kenmerk: "jobcoach", groep: "geen", n: 50, voor_einde: 3, laatste_dag: 0 },
          ],
        },
      },
      [
        curveBound(
          "voor",
          "voor_einde",
          "laatste_dag",
          { analysis: "up", where: {} },
          { table: "aantallen", column: "n" },
          { by: ["kenmerk", "groep"] },
        ),
      ],
    );
    const sys = buildSystem([up]);
    selfTest(sys);
    // per group, per method: ⌊0.11 × 100⌋ = 11 over extern's 8, ⌊0.2 × 50⌋ = 10 over geen's 3
    const bounds = sys.constraints
      .filter((c) => c.type === "atMost" && c.label.includes("⌊F × n⌋"))
      .map((c) => (c.type === "atMost" ? c.terms.map(([i, k]) => `${k > 0 ? "+" : "−"}${sys.cells[i]!.value}`).join(" ") : ""));
    expect(bounds.sort()).toEqual(["+3 −10", "+3 −10", "+8 −11", "+8 −11"]);
  });

  it("a count above the curve's bound is a wrong declaration (RelationError)", () => {
    const rows = mixRows.map((r) => (r.tijdvak === "voor_einde" && r.dienst === "a" ? { ...r, aantal: 12 } : r));
    expect(() => selfTest(buildSystem([uptake(), mix([bound], rows)]))).toThrow(RelationError);
  });
});

describe("relation self-test", () => {
  it("a relation that does not hold on the true values is a RelationError naming it", () => {
    const a = analysis(
      "fout",
      {
        t: {
          decl: table({ klasse: "key", aantal: "count" }),
          rows: [
            { klasse: "a", aantal: 30 },
            { klasse: "b", aantal: 40 },
            { klasse: "totaal", aantal: 71 },
          ],
        },
      },
      [sum("t", "aantal", "klasse", { where: { klasse: "totaal" } })],
    );
    expect(() => selfTest(buildSystem([a]))).toThrow(RelationError);
    expect(() => selfTest(buildSystem([a]))).toThrow(/fout: relatie 1 \(sum t\) klopt niet/);
  });

  it("a count declared at most another that exceeds it is a RelationError", () => {
    const t = {
      decl: table({ maand: "key", personen: "count" }),
      rows: [
        { maand: 0, personen: 30 },
        { maand: 1, personen: 31 },
      ],
    };
    const a = analysis("m", { t }, [atMost("t", "personen", { where: { maand: 0 } })]);
    expect(() => selfTest(buildSystem([a]))).toThrow(/m: relatie 1 \(atMost t\) klopt niet.*\+m\/t#1.personen=31 −m\/t#0.personen=30 > 0/);
  });

  it("a relation naming a column or row that is not there is a RelationError", () => {
    const t = { decl: table({ klasse: "key", aantal: "count" }), rows: [{ klasse: "a", aantal: 30 }] };
    expect(() => buildSystem([analysis("x", { t }, [sum("t", "aantal", "klasse", { where: { klasse: "totaal" } })])])).toThrow(/geen rij/);
    expect(() => buildSystem([analysis("x", { t }, [share("t", "aandeel", "aantal", "noemer")])])).toThrow(/kolom aandeel ontbreekt/);
  });

  it("a share behind a hidden count is hidden, and the count cannot come back through the other shares", async () => {
    const a = analysis(
      "s",
      {
        t: {
          decl: table({ klasse: "key", aantal: "count", aandeel: "share" }),
          rows: [
            { klasse: "a", aantal: 5, aandeel: 5 / 105 },
            { klasse: "b", aantal: 100, aandeel: 100 / 105 },
          ],
          prepare: primary(["aantal"]),
        },
      },
      [share("t", "aandeel", "aantal", { over: "klasse" })],
    );
    // b's share and count give the denominator 105, so a = 105 − 100
    expect(derivable([a]).get("s/t#0.aantal")).toBe(5);
    await protectPublication([a], RULES);
    expect(a.tabellen.t![0]!.aandeel).toBeNull();
    expect(derivable([a]).has("s/t#0.aantal")).toBe(false);
  });
});

describe("attacker check", () => {
  it("refuses a set where a hidden count can be worked out through cells no rule may hide, and names the cell", async () => {
    // the total and one part are also published as statistics, which suppression does not touch
    const a = analysis(
      "lek",
      {
        t: {
          decl: table({ klasse: "key", aantal: "count" }),
          rows: [
            { klasse: "a", aantal: 4 },
            { klasse: "b", aantal: 100 },
          ],
          prepare: primary(["aantal"]),
        },
        u: {
          decl: table({ klasse: "key", vast: "statistic" }),
          rows: [
            { klasse: "totaal", vast: 104 },
            { klasse: "b", vast: 100 },
          ],
        },
      },
      [
        sum("t", "aantal", "klasse", { table: "u", where: { klasse: "totaal" }, column: "vast" }),
        sum("t", "aantal", [], { table: "u", column: "vast" }, { klasse: "b" }),
      ],
    );
    const err = await protectPublication([a], RULES).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DisclosureCheckError);
    expect((err as DisclosureCheckError).cells).toContain("lek/t#0.aantal");
    expect((err as Error).message).toMatch(/lek\/t#0\.aantal/);
  });
});

describe("the suppression pattern: a hidden count in a file is at least 1", () => {
  // a 0 is shown and partners are positive, so a reader knows every hidden count is ≥ 1: four
  // hidden parts summing to 14 put each in [1, 11], and the hidden 8 cannot reach 13
  const parts = () => klassen("patroon", [8, 3, 2, 1, 50, 60]);

  it("the attacker check takes hidden counts as ≥ 1 and finds the 8 narrowed", async () => {
    const sys = buildSystem([parts()]);
    const { cells, constraints } = auditInput(sys, RULES);
    expect(cells.filter((c) => c.hidden).map((c) => c.lower)).toEqual([1, 1, 1, 1]);
    const res = await audit(cells, constraints, { countMargin: RULES.beschermingsmarge, pPercent: 0.1 });
    expect(res.intervals.get("patroon/t#0.aantal")).toEqual([1, 11]);
    expect(res.failures.map((f) => f.id)).toEqual(["patroon/t#0.aantal"]);
  });

  it("the publication hides one more partner, after which every hidden count keeps its margin", async () => {
    const a = parts();
    const report = await protectPublication([a], RULES);
    expect(a.tabellen.t!.filter((r) => r.aantal === null).map((r) => r.klasse)).toEqual(["a", "b", "c", "d", "e"]);
    expect(report.aanvalscontrole.rondes).toBe(2);
  });

  it("a hidden total of five hidden parts is at least 5 by the pattern alone: the check asks no less of it", async () => {
    // every cell is 1..9 and hidden; the total (8) cannot be consistent with 3 while five hidden
    // parts are each ≥ 1, and no partner can change that: the floor is the rules', not the data's
    const a = klassen("vloer", [1, 2, 1, 1, 3]);
    const { cells, constraints } = auditInput(buildSystem([a]), RULES);
    const res = await audit(cells, constraints, { countMargin: RULES.beschermingsmarge, pPercent: 0.1 });
    expect(res.intervals.get("vloer/t#5.aantal")?.[0]).toBe(5);
    expect(res.failures.map((f) => f.id)).toEqual(["vloer/t#5.aantal"]);
    const report = await protectPublication([a], RULES);
    expect(report.aanvalscontrole.geslaagd).toBe(true);
    expect(a.tabellen.t!.every((r) => r.aantal === null)).toBe(true);
  });

  it("a hidden 0 widens nothing, so the repair hides the total instead of the 0", async () => {
    // nine hidden parts summing to 10 lie each in [1, 2]; the only part left to hide is a 0
    const a = klassen("nul", [2, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    await protectPublication([a], RULES);
    const rows = a.tabellen.t!;
    expect(rows.find((r) => r.klasse === "j")!.aantal).toBe(0);
    expect(rows.find((r) => r.klasse === "totaal")!.aantal).toBeNull();
  });
});

describe("repair after the attacker check reaches beyond the cell's own relations", () => {
  it("a class pinned through the next row's cells, with its own row, column and totals already hidden, gets a partner further out", async () => {
    // the klassen × jobcoach table of a very small world (252 endings; intern 8): after the
    // system phase, every cell of the relations that contain extern's class 2–3 years is hidden,
    // yet the published rest narrowed it to [0, 8] around a true 5
    const klassen = ["<3m", "3-6m", "6-12m", "1-2j", "2-3j", ">=3j"];
    const counts: Record<string, number[]> = {
      extern: [16, 10, 14, 16, 5, 0],
      intern: [1, 1, 2, 1, 0, 3],
      geen: [36, 41, 44, 39, 11, 12],
      totaal: [53, 52, 60, 56, 16, 15],
    };
    const rows = Object.entries(counts).flatMap(([jobcoach, ns]) => {
      const tot = ns.reduce((s, n) => s + n, 0);
      return ns.map((aantal, i) => ({ jobcoach, klasse: klassen[i]!, aantal, aandeel: aantal / tot }));
    });
    const gemiddelde = [
      { kenmerk: "totaal", groep: "totaal", eindes: 252, personen: 115, gemiddelde_maanden: 13.106873961083407 },
      { kenmerk: "jobcoach", groep: "extern", eindes: 61, personen: 51, gemiddelde_maanden: 10.55589591678729 },
      { kenmerk: "jobcoach", groep: "geen", eindes: 183, personen: 91, gemiddelde_maanden: 12.69608734192839 },
      { kenmerk: "jobcoach", groep: "intern", eindes: 8, personen: 7, gemiddelde_maanden: 41.95482546201232 },
    ];
    const klein = [
      { jobcoach: "extern", eindes: 61, personen: 51, klein: 4, aandeel: 4 / 61 },
      { jobcoach: "intern", eindes: 8, personen: 7, klein: 0, aandeel: 0 },
      { jobcoach: "geen", eindes: 183, personen: 91, klein: 89, aandeel: 89 / 183 },
      { jobcoach: "totaal", eindes: 252, personen: 115, klein: 93, aandeel: 93 / 252 },
    ];
    const tabellen = baanduur.publish(
      { tabellen: { klassen: rows, gemiddelde, start_kleine_baan: klein } },
      RULES,
      baanduur.parameters(DEFAULTS),
    );
    const input = { id: baanduur.id, tabellen, publishes: baanduur.publishes, relations: baanduur.relations };
    await protectPublication([input], RULES);
    const cell = tabellen.klassen!.find((r) => r.jobcoach === "extern" && r.klasse === "2-3j")!;
    expect(cell.aantal).toBeNull();
    expect(derivable([input]).has("baanduur/klassen#4.aantal")).toBe(false);
  });
});
