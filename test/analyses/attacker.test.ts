import { describe, expect, it } from "vitest";
import { type AuditCell, type AuditConstraint, type AuditMemo, audit, loadSolver } from "../../analyses/disclosure/attacker.ts";

// Hand-made systems whose attacker intervals are known in advance.

const count = (id: string, value: number, hidden: boolean, extra: Partial<AuditCell> = {}): AuditCell => ({
  id,
  value,
  hidden,
  integer: true,
  lower: 0,
  kind: "count",
  ...extra,
});

const magnitude = (id: string, value: number, hidden: boolean, extra: Partial<AuditCell> = {}): AuditCell => ({
  id,
  value,
  hidden,
  integer: false,
  lower: 0,
  kind: "magnitude",
  ...extra,
});

/** parts - total = 0 */
const sum = (label: string, parts: string[], total: string): AuditConstraint => ({
  label,
  op: "=",
  rhs: 0,
  terms: [...parts.map((p): [string, number] => [p, 1]), [total, -1]],
});

/**
 * An interval of continuous cells: equal up to 1e-8 relative (the attacker's system gives every
 * relation 1e-9 relative slack for floating-point noise); infinite ends exactly.
 */
function expectInterval(actual: [number, number] | undefined, expected: [number, number]): void {
  expect(actual).toBeDefined();
  actual!.forEach((got, i) => {
    const want = expected[i]!;
    if (!Number.isFinite(want)) expect(got).toBe(want);
    else if (Math.abs(got - want) > 1e-8 * Math.max(1, Math.abs(want))) expect(actual).toEqual(expected);
  });
}

/** A two-way table with all margins published; `hidden` lists the hidden interior cells as "r.c". */
function table(name: string, values: number[][], hidden: string[]): { cells: AuditCell[]; constraints: AuditConstraint[] } {
  const id = (r: number, c: number): string => `${name}#${r}.${c}`;
  const cells: AuditCell[] = [];
  const constraints: AuditConstraint[] = [];
  values.forEach((row, r) => row.forEach((v, c) => cells.push(count(id(r, c), v, hidden.includes(`${r}.${c}`)))));
  values.forEach((row, r) => {
    cells.push(
      count(
        `${name}#${r}.totaal`,
        row.reduce((a, b) => a + b, 0),
        false,
      ),
    );
    constraints.push(
      sum(
        `${name}/rij${r}`,
        row.map((_, c) => id(r, c)),
        `${name}#${r}.totaal`,
      ),
    );
  });
  values[0]!.forEach((_, c) => {
    cells.push(
      count(
        `${name}#totaal.${c}`,
        values.reduce((a, row) => a + row[c]!, 0),
        false,
      ),
    );
    constraints.push(
      sum(
        `${name}/kolom${c}`,
        values.map((_, r) => id(r, c)),
        `${name}#totaal.${c}`,
      ),
    );
  });
  return { cells, constraints };
}

describe("attacker check: parts and a published total", () => {
  it("one hidden part next to a published total is recovered exactly", async () => {
    const cells = [count("a", 12, false), count("b", 3, true), count("c", 20, false), count("totaal", 35, false)];
    const r = await audit(cells, [sum("rij", ["a", "b", "c"], "totaal")]);
    expect(r.hiddenCells).toBe(1);
    expect(r.intervals.get("b")).toEqual([3, 3]);
    expect(r.failures).toEqual([{ id: "b", value: 3, min: 3, max: 3, needLow: 0, needHigh: 8, labels: ["rij"] }]);
  });

  it("hidden 3 and 40 with a published 43: the 3 can be anything in [0, 43] and passes", async () => {
    const cells = [count("klein", 3, true), count("groot", 40, true), count("totaal", 43, false)];
    const r = await audit(cells, [sum("rij", ["klein", "groot"], "totaal")]);
    expect(r.intervals.get("klein")).toEqual([0, 43]);
    expect(r.intervals.get("groot")).toEqual([0, 43]);
    // the 40 cannot reach 45 past the total: by the ±5 rule it fails on the high side
    expect(r.failures.map((f) => [f.id, f.needLow, f.needHigh, f.max])).toEqual([["groot", 35, 45, 43]]);
  });

  it("hidden 3 and 4 with a published 7: the 3 cannot reach 8, both fail", async () => {
    const cells = [count("x", 3, true), count("y", 4, true), count("totaal", 7, false)];
    const r = await audit(cells, [sum("rij", ["x", "y"], "totaal")]);
    expect(r.intervals.get("x")).toEqual([0, 7]);
    expect(r.intervals.get("y")).toEqual([0, 7]);
    expect(r.failures.map((f) => [f.id, f.min, f.max, f.needLow, f.needHigh])).toEqual([
      ["x", 0, 7, 0, 8],
      ["y", 0, 7, 0, 9],
    ]);
  });

  it("a hidden cell in no relation keeps its a-priori bounds and passes", async () => {
    const r = await audit([count("los", 3, true), count("begrensd", 3, true, { upper: 4 })], []);
    expect(r.intervals.get("los")).toEqual([0, Number.POSITIVE_INFINITY]);
    // the a-priori upper bound 4 is no disclosure: what the cell needs is clamped to it
    expect(r.intervals.get("begrensd")).toEqual([0, 4]);
    expect(r.failures).toEqual([]);
    expect(r.solves).toBe(0);
  });
});

describe("attacker check: two-way tables with margins", () => {
  /** Fréchet bounds of a 2x2 table with all four cells hidden: a in [max(0, R1 + C1 - N), min(R1, C1)]. */
  function frechet(row: number, col: number, total: number): [number, number] {
    return [Math.max(0, row + col - total), Math.min(row, col)];
  }

  it("all four cells of a 2x2 hidden: the intervals are the Fréchet bounds of the margins", async () => {
    const values = [
      [3, 7],
      [6, 4],
    ];
    const { cells, constraints } = table("t", values, ["0.0", "0.1", "1.0", "1.1"]);
    const r = await audit(cells, constraints);
    const R = [10, 10];
    const C = [9, 11];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(r.intervals.get(`t#${i}.${j}`)).toEqual(frechet(R[i]!, C[j]!, 20));
    // by hand: a [0, 9], b [1, 10], c [0, 9], d [1, 10]
    expect([...r.intervals.values()]).toEqual([
      [0, 9],
      [1, 10],
      [0, 9],
      [1, 10],
    ]);
    expect(r.components).toBe(1);
    // a=3 needs [0, 8]: passes; b=7 needs 12, c=6 needs 11, d=4 needs 0
    expect(r.failures.map((f) => f.id)).toEqual(["t#0.1", "t#1.0", "t#1.1"]);
    expect(r.failures[0]!.labels).toEqual(["t/kolom1", "t/rij0"]);
  });

  it("a 2x2 with large cells passes", async () => {
    const { cells, constraints } = table(
      "t",
      [
        [20, 30],
        [25, 25],
      ],
      ["0.0", "0.1", "1.0", "1.1"],
    );
    const r = await audit(cells, constraints);
    expect([...r.intervals.values()]).toEqual([
      [0, 45],
      [5, 50],
      [0, 45],
      [5, 50],
    ]);
    expect(r.failures).toEqual([]);
  });

  it("random 3x3 tables: the intervals equal those found by enumerating every integer table", async () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let t = 0; t < 6; t++) {
      const values = [0, 1, 2].map(() => [0, 1, 2].map(() => Math.floor(rand() * 9)));
      const hidden = ["0.0", "0.1", "0.2", "1.0", "1.1", "1.2", "2.0", "2.1", "2.2"].filter(() => rand() < 0.55);
      const { cells, constraints } = table(`t${t}`, values, hidden);
      const r = await audit(cells, constraints);
      expect(new Map([...r.intervals].map(([id, iv]) => [id.split("#")[1], iv]))).toEqual(enumerate(values, hidden));
    }
  });
});

/** Every integer filling of the hidden cells that keeps the margins: min and max per hidden cell. */
function enumerate(values: number[][], hidden: string[]): Map<string, [number, number]> {
  const at = hidden.map((h) => h.split(".").map(Number) as [number, number]);
  const rowLeft = values.map((row, r) => row.reduce((s, v, c) => s + (hidden.includes(`${r}.${c}`) ? v : 0), 0));
  const colLeft = values[0]!.map((_, c) => values.reduce((s, row, r) => s + (hidden.includes(`${r}.${c}`) ? row[c]! : 0), 0));
  const lo = hidden.map(() => Number.POSITIVE_INFINITY);
  const hi = hidden.map(() => Number.NEGATIVE_INFINITY);
  const x: number[] = [];
  const walk = (k: number): void => {
    if (k === at.length) {
      if (rowLeft.every((v) => v === 0) && colLeft.every((v) => v === 0))
        x.forEach((v, i) => {
          lo[i] = Math.min(lo[i]!, v);
          hi[i] = Math.max(hi[i]!, v);
        });
      return;
    }
    const [r, c] = at[k]!;
    for (let v = 0; v <= Math.min(rowLeft[r]!, colLeft[c]!); v++) {
      rowLeft[r]! -= v;
      colLeft[c]! -= v;
      x.push(v);
      walk(k + 1);
      x.pop();
      rowLeft[r]! += v;
      colLeft[c]! += v;
    }
  };
  walk(0);
  return new Map(hidden.map((h, i) => [h, [lo[i]!, hi[i]!]]));
}

describe("attacker check: one relation with coefficients ±1", () => {
  it("35 hidden regions under a published total: every region [0, total], without a solver run", async () => {
    const values = Array.from({ length: 35 }, (_, i) => (i * 7) % 9);
    const total = values.reduce((a, b) => a + b, 0);
    const cells = [...values.map((v, i) => count(`r${i}`, v, true)), count("nl", total, false)];
    const r = await audit(cells, [
      sum(
        "regio's",
        values.map((_, i) => `r${i}`),
        "nl",
      ),
    ]);
    expect(r.solves).toBe(0);
    for (let i = 0; i < 35; i++) expect(r.intervals.get(`r${i}`)).toEqual([0, total]);
    expect(r.failures).toEqual([]);
  });

  it("a difference x - y = published 4 with y <= 6: x in [4, 10], y in [0, 6], as the LP says", async () => {
    const cells = [count("x", 7, true), count("y", 3, true, { upper: 6 }), count("verschil", 4, false)];
    const r = await audit(cells, [
      {
        label: "verschil",
        op: "=",
        rhs: 0,
        terms: [
          ["x", 1],
          ["y", -1],
          ["verschil", -1],
        ],
      },
    ]);
    expect(r.solves).toBe(0);
    expect(r.intervals.get("x")).toEqual([4, 10]);
    expect(r.intervals.get("y")).toEqual([0, 6]);
  });
});

describe("attacker check: integrality", () => {
  it("2x = a published 6 forces x = 3", async () => {
    const r = await audit(
      [count("x", 3, true), count("dubbel", 6, false)],
      [
        {
          label: "dubbel",
          op: "=",
          rhs: 0,
          terms: [
            ["x", 2],
            ["dubbel", -1],
          ],
        },
      ],
    );
    expect(r.intervals.get("x")).toEqual([3, 3]);
    expect(r.failures.map((f) => f.id)).toEqual(["x"]);
  });

  it("x + 2y = 11: the LP relaxation allows x = 0, the integer program only odd x >= 1", async () => {
    const cells = [count("x", 3, true), count("y", 4, true), count("gewogen", 11, false)];
    const r = await audit(cells, [
      {
        label: "gewogen",
        op: "=",
        rhs: 0,
        terms: [
          ["x", 1],
          ["y", 2],
          ["gewogen", -1],
        ],
      },
    ]);
    expect(r.intervals.get("x")).toEqual([1, 11]);
    expect(r.intervals.get("y")).toEqual([0, 5]);
    // the dive from the LP's x = 0 fails (y = 5.5 has no integer neighbour that fits): the MIP decides
    expect(r.mips).toBeGreaterThan(0);
    // x = 3 must stay consistent with 0: it is not (in the relaxation it would be); y = 4 cannot reach 9
    expect(r.failures.map((f) => [f.id, f.min, f.max, f.needLow, f.needHigh])).toEqual([
      ["x", 1, 11, 0, 8],
      ["y", 0, 5, 0, 9],
    ]);
  });

  it("the same system with continuous cells: the relaxation is the answer", async () => {
    const cells = [magnitude("x", 3, true), magnitude("y", 4, true), magnitude("gewogen", 11, false)];
    const r = await audit(cells, [
      {
        label: "gewogen",
        op: "=",
        rhs: 0,
        terms: [
          ["x", 1],
          ["y", 2],
          ["gewogen", -1],
        ],
      },
    ]);
    expectInterval(r.intervals.get("x"), [0, 11]);
    expectInterval(r.intervals.get("y"), [0, 5.5]);
    expect(r.failures).toEqual([]);
  });
});

describe("attacker check: integer programs with fractional LP optima", () => {
  it("random systems with coefficients up to ±3: the intervals equal enumeration; bounds come from dives and from MIPs", async () => {
    let seed = 11;
    const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const UPPER = 7;
    let dives = 0;
    let mips = 0;
    for (let t = 0; t < 25; t++) {
      const m = 4;
      const values = Array.from({ length: m }, () => Math.floor(rand() * (UPPER + 1)));
      const ids = values.map((_, i) => `s${t}#${i}`);
      const cells = values.map((v, i) => count(ids[i]!, v, true, { upper: UPPER }));
      const rows = Array.from({ length: 2 }, () => {
        const coefs = values.map(() => Math.floor(rand() * 7) - 3);
        const activity = coefs.reduce((a, c, i) => a + c * values[i]!, 0);
        const op: "=" | "<=" = rand() < 0.6 ? "=" : "<=";
        return { coefs, op, rhs: op === "=" ? activity : activity + Math.floor(rand() * 3) };
      });
      const constraints: AuditConstraint[] = rows.map((row, r) => ({
        label: `s${t}/rij${r}`,
        op: row.op,
        rhs: row.rhs,
        terms: row.coefs.map((a, i): [string, number] => [ids[i]!, a]),
      }));
      // every integer point of the box that keeps the rows: min and max per cell
      const lo = values.map(() => Number.POSITIVE_INFINITY);
      const hi = values.map(() => Number.NEGATIVE_INFINITY);
      for (let code = 0; code < (UPPER + 1) ** m; code++) {
        const x = values.map((_, i) => Math.floor(code / (UPPER + 1) ** i) % (UPPER + 1));
        const ok = rows.every((row) => {
          const act = row.coefs.reduce((a, c, i) => a + c * x[i]!, 0);
          return row.op === "=" ? act === row.rhs : act <= row.rhs;
        });
        if (ok)
          x.forEach((v, i) => {
            lo[i] = Math.min(lo[i]!, v);
            hi[i] = Math.max(hi[i]!, v);
          });
      }
      const r = await audit(cells, constraints);
      expect(new Map(ids.map((id) => [id, r.intervals.get(id)])), `system ${t}: ${JSON.stringify(rows)}`).toEqual(
        new Map(ids.map((id, i) => [id, [lo[i], hi[i]]])),
      );
      expect(r.limited).toEqual([]);
      dives += r.dives;
      mips += r.mips;
    }
    // both ways to an integer bound are exercised: a dive that reaches the rounded LP bound, and
    // the MIP where no dive does
    expect(dives).toBeGreaterThan(0);
    expect(mips).toBeGreaterThan(0);
  });

  it("a continuous cell next to integer cells: the dive keeps it at its LP optimum, as the MIP would", async () => {
    // 2n + 2m = 7.5 + w with n, m counts and w in [0, 1]: the LP gives w = 0 (n + m = 3.75, fractional); the
    // integer points need n + m = 4, so w = 0.5 is its minimum
    const cells = [count("n", 2, true), count("m", 2, true), magnitude("w", 0.5, true, { upper: 1 }), count("c", 0, false)];
    const r = await audit(cells, [
      {
        label: "2n + 2m - w = 7.5",
        op: "=",
        rhs: 7.5,
        terms: [
          ["n", 2],
          ["m", 2],
          ["w", -1],
        ],
      },
    ]);
    expectInterval(r.intervals.get("w"), [0.5, 0.5]);
  });
});

describe("attacker check: the core of share relations fixed", () => {
  /**
   * A 2x3 table of hidden counts whose column totals and grand total are published and whose row
   * totals are hidden, with each row's count of a subgroup hidden and its share of the row total
   * published to 0.01 (an interval of ±0.005): the shares' rows have coefficients other than ±1,
   * so the LP optima are fractional; with the row totals and subgroups (the core) held at their
   * true values the rest is the table under its margins, whose LP optimum is integral.
   */
  function shareTable(values: number[][], sub: number[]) {
    const cells: AuditCell[] = [];
    const constraints: AuditConstraint[] = [];
    const rowTotals = values.map((row) => row.reduce((a, b) => a + b, 0));
    values.forEach((row, r) => row.forEach((v, c) => cells.push(count(`t#${r}.${c}`, v, true))));
    rowTotals.forEach((v, r) => {
      cells.push(count(`t#${r}.totaal`, v, true), count(`t#${r}.deel`, sub[r]!, true));
      constraints.push(
        sum(
          `rij${r}`,
          [0, 1, 2].map((c) => `t#${r}.${c}`),
          `t#${r}.totaal`,
        ),
      );
      const share = Math.round((sub[r]! / v) * 100) / 100;
      for (const [op, bound] of [
        [">=", share - 0.005],
        ["<=", share + 0.005],
      ] as const)
        constraints.push({
          label: `aandeel${r}`,
          op,
          rhs: 0,
          terms: [
            [`t#${r}.deel`, 1],
            [`t#${r}.totaal`, -bound],
          ],
        });
    });
    [0, 1, 2].forEach((c) => {
      cells.push(count(`t#totaal.${c}`, values[0]![c]! + values[1]![c]!, false));
      constraints.push(sum(`kolom${c}`, [`t#0.${c}`, `t#1.${c}`], `t#totaal.${c}`));
    });
    /** min and max per hidden cell over every integer table with these margins and shares */
    const lo = new Map<string, number>();
    const hi = new Map<string, number>();
    const cols = [0, 1, 2].map((c) => values[0]![c]! + values[1]![c]!);
    const shareOf = (r: number) => Math.round((sub[r]! / rowTotals[r]!) * 100) / 100;
    const seen = (id: string, v: number) => {
      lo.set(id, Math.min(lo.get(id) ?? v, v));
      hi.set(id, Math.max(hi.get(id) ?? v, v));
    };
    for (let a = 0; a <= cols[0]!; a++)
      for (let b = 0; b <= cols[1]!; b++)
        for (let c = 0; c <= cols[2]!; c++) {
          const row0 = [a, b, c];
          const row1 = [cols[0]! - a, cols[1]! - b, cols[2]! - c];
          const totals = [a + b + c, row1[0]! + row1[1]! + row1[2]!];
          const subs = totals.map((t, r) => {
            const out: number[] = [];
            for (let d = 0; d <= t; d++) if (d >= (shareOf(r) - 0.005) * t - 1e-9 && d <= (shareOf(r) + 0.005) * t + 1e-9) out.push(d);
            return out;
          });
          if (subs.some((s) => s.length === 0)) continue;
          [row0, row1].forEach((row, r) => {
            row.forEach((v, j) => seen(`t#${r}.${j}`, v));
            seen(`t#${r}.totaal`, totals[r]!);
            for (const d of subs[r]!) seen(`t#${r}.deel`, d);
          });
        }
    return { cells, constraints, lo, hi };
  }

  it("the intervals equal enumeration, and bounds come from the LP with the core fixed instead of a MIP", async () => {
    const { cells, constraints, lo, hi } = shareTable(
      [
        [7, 3, 12],
        [5, 9, 4],
      ],
      [9, 7],
    );
    const r = await audit(cells, constraints);
    for (const [id, interval] of r.intervals) expect([id, interval]).toEqual([id, [lo.get(id), hi.get(id)]]);
    expect(r.coreFixed).toBeGreaterThan(0);
    expect(r.limited).toEqual([]);
  });

  it("upToRequired: the same failures as the exact intervals; a side that passes reaches what is required, one that fails is exact", async () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let failing = 0;
    let shorter = 0;
    for (let t = 0; t < 12; t++) {
      const values = [0, 1].map(() => [0, 1, 2].map(() => 1 + Math.floor(rand() * 9)));
      const sub = values.map((row) => Math.floor(rand() * (row.reduce((a, b) => a + b, 0) + 1)));
      const { cells, constraints } = shareTable(values, sub);
      const exact = await audit(cells, constraints, { countMargin: 3 });
      const enough = await audit(cells, constraints, { countMargin: 3, upToRequired: true });
      expect(
        enough.failures.map((f) => f.id),
        `table ${t}`,
      ).toEqual(exact.failures.map((f) => f.id));
      for (const f of enough.failures) {
        const e = exact.failures.find((x) => x.id === f.id)!;
        if (f.min > f.needLow) expect(f.min).toBe(e.min);
        if (f.max < f.needHigh) expect(f.max).toBe(e.max);
      }
      for (const [id, [min, max]] of enough.intervals) {
        const [eMin, eMax] = exact.intervals.get(id)!;
        // never wider than the truth
        expect(min).toBeGreaterThanOrEqual(eMin);
        expect(max).toBeLessThanOrEqual(eMax);
        if (min > eMin || max < eMax) shorter++;
      }
      failing += exact.failures.length;
    }
    // both kinds occur: cells that fail, and sides whose search stopped at what was required
    expect(failing).toBeGreaterThan(0);
    expect(shorter).toBeGreaterThan(0);
  });
});

describe("attacker check: a month-by-region table under shares of hidden totals", () => {
  it("every bound from LPs, none from a MIP: the shares' cells held at their true values leave sums", async () => {
    // 12 regions x 24 months of small hidden counts; each region's total over the months is
    // published, each month's total is not, and a share of that total is published to 0.001
    // (a count behind it hidden as well); the shares' counts add up per 12 months to a published
    // total. The shape of maandmonitor's regions under NL: the LP optima are fractional, and a
    // dive that rounds a share's count and total one at a time mostly ends infeasible
    let seed = 5;
    const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const R = 12;
    const M = 24;
    const x = Array.from({ length: R }, () => Array.from({ length: M }, () => 1 + Math.floor(rand() * 9)));
    const cells: AuditCell[] = [];
    const constraints: AuditConstraint[] = [];
    for (let r = 0; r < R; r++) {
      for (let m = 0; m < M; m++) cells.push(count(`x#${r}.${m}`, x[r]![m]!, true));
      cells.push(
        count(
          `x#${r}.totaal`,
          x[r]!.reduce((a, b) => a + b, 0),
          false,
        ),
      );
      constraints.push(
        sum(
          `regio${r}`,
          x[r]!.map((_, m) => `x#${r}.${m}`),
          `x#${r}.totaal`,
        ),
      );
    }
    const deel: number[] = [];
    for (let m = 0; m < M; m++) {
      const total = x.reduce((a, row) => a + row[m]!, 0);
      deel.push(Math.floor(total * (0.2 + 0.5 * rand())));
      const share = Math.round((deel[m]! / total) * 1000) / 1000;
      cells.push(count(`nl#${m}`, total, false, { known: [1, Number.POSITIVE_INFINITY], lower: 1 }));
      cells.push(count(`deel#${m}`, deel[m]!, false, { known: [0, Number.POSITIVE_INFINITY] }));
      constraints.push(
        sum(
          `maand${m}`,
          x.map((_, r) => `x#${r}.${m}`),
          `nl#${m}`,
        ),
      );
      for (const [op, bound] of [
        [">=", share - 0.0005],
        ["<=", share + 0.0005],
      ] as const)
        constraints.push({
          label: `aandeel${m}`,
          op,
          rhs: 0,
          terms: [
            [`deel#${m}`, 1],
            [`nl#${m}`, -bound],
          ],
        });
    }
    for (const w of [0, 12]) {
      const ids = Array.from({ length: 12 }, (_, i) => `deel#${w + i}`);
      cells.push(
        count(
          `venster#${w}`,
          deel.slice(w, w + 12).reduce((a, b) => a + b, 0),
          false,
        ),
      );
      constraints.push(sum(`venster${w}`, ids, `venster#${w}`));
    }
    const r = await audit(cells, constraints, { countMargin: 5, upToRequired: true });
    expect(r.hiddenCells).toBe(R * M);
    expect(r.coreFixed).toBeGreaterThan(0);
    expect(r.mips).toBe(0);
    expect(r.failures).toEqual([]);
  });
});

describe("attacker check: a memo across repair rounds", () => {
  it("an unchanged component is not solved again; a changed one is, and gets its new intervals", async () => {
    const a = table(
      "a",
      [
        [3, 4, 9],
        [5, 8, 2],
      ],
      ["0.0", "0.1", "1.0", "1.1"],
    );
    const b = table(
      "b",
      [
        [6, 1],
        [2, 7],
      ],
      ["0.0", "0.1", "1.0", "1.1"],
    );
    const memo: AuditMemo = new Map();
    const first = await audit([...a.cells, ...b.cells], [...a.constraints, ...b.constraints], undefined, memo);
    expect(first.solves).toBeGreaterThan(0);
    const again = await audit([...a.cells, ...b.cells], [...a.constraints, ...b.constraints], undefined, memo);
    expect(again.solves).toBe(0);
    expect([...again.intervals]).toEqual([...first.intervals]);
    expect(again.failures).toEqual(first.failures);
    // one more cell of table b hidden: only b is solved again, and its intervals are b's own
    const b2 = table(
      "b",
      [
        [6, 1],
        [2, 7],
      ],
      ["0.0", "0.1", "1.0", "1.1"],
    );
    b2.cells.find((c) => c.id === "b#0.totaal")!.hidden = true;
    const changed = await audit([...a.cells, ...b2.cells], [...a.constraints, ...b2.constraints], undefined, memo);
    const fresh = await audit([...a.cells, ...b2.cells], [...a.constraints, ...b2.constraints]);
    expect(changed.solves).toBeGreaterThan(0);
    expect(changed.solves).toBeLessThan(fresh.solves);
    expect([...changed.intervals]).toEqual([...fresh.intervals]);
  });

  it("a changed component starts from the feasible points of the round before: fewer solves, the same verdicts", async () => {
    let seed = 3;
    const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const values = Array.from({ length: 5 }, () => Array.from({ length: 6 }, () => 1 + Math.floor(rand() * 12)));
    const all = values.flatMap((row, r) => row.map((_, c) => `${r}.${c}`));
    const round1 = table("t", values, all);
    const round2 = table("t", values, all);
    round2.cells.find((c) => c.id === "t#0.totaal")!.hidden = true;
    const opts = { countMargin: 5, upToRequired: true };
    const memo: AuditMemo = new Map();
    await audit(round1.cells, round1.constraints, opts, memo);
    const seeded = await audit(round2.cells, round2.constraints, opts, memo);
    const fresh = await audit(round2.cells, round2.constraints, opts);
    expect(fresh.solves).toBeGreaterThan(0);
    expect(seeded.solves).toBeLessThan(fresh.solves / 2);
    expect(seeded.failures).toEqual(fresh.failures);
  });

  it("a point of the round before that a tighter bound now excludes is not used", async () => {
    // round 1: a hidden 2x2 under its margins, where the true 1 may be 0; round 2: the same
    // cell is known to be >= 1 and one margin is hidden as well. A point of round 1 with the 1 at
    // 0 has its partners one off: taken up, it would widen their intervals past what is possible
    const cells = (lower: number) => {
      const t = table(
        "t",
        [
          [1, 6],
          [5, 2],
        ],
        ["0.0", "0.1", "1.0", "1.1"],
      );
      t.cells.find((c) => c.id === "t#0.0")!.lower = lower;
      return t;
    };
    const round1 = cells(0);
    const round2 = cells(1);
    round2.cells.find((c) => c.id === "t#0.totaal")!.hidden = true;
    const memo: AuditMemo = new Map();
    const first = await audit(round1.cells, round1.constraints, undefined, memo);
    expect(first.intervals.get("t#0.0")).toEqual([0, 6]);
    const seeded = await audit(round2.cells, round2.constraints, undefined, memo);
    const fresh = await audit(round2.cells, round2.constraints);
    expect([...seeded.intervals]).toEqual([...fresh.intervals]);
  });
});

describe("attacker check: integer cells with a published interval", () => {
  it("a count published as [1.5, 4.5] is 2, 3 or 4 (HiGHS alone would take 4.5 as an integer bound)", async () => {
    // -3 n - 2 w = -14.52 and 3 n + 3 w <= 18.28: n = 2 gives w = 4.26 (too much), n = 3 gives 2.76, n = 4 gives 1.26
    const cells = [count("n", 3, false, { known: [1.5, 4.5] }), magnitude("w", 2.76, true, { upper: 5.76 })];
    const r = await audit(cells, [
      {
        label: "gelijk",
        op: "=",
        rhs: -14.52,
        terms: [
          ["n", -3],
          ["w", -2],
        ],
      },
      {
        label: "hoogstens",
        op: "<=",
        rhs: 18.28,
        terms: [
          ["n", 3],
          ["w", 3],
        ],
      },
    ]);
    expectInterval(r.intervals.get("w"), [1.26, 2.76]);
    expect(r.failures.map((f) => f.id)).toEqual(["w"]);
  });

  it("an integer program that branch-and-bound cannot close stops at its limit and is reported as limited", async () => {
    // a continuous cell over a narrow equality range with unbounded integers: the bound 0.15 is
    // found at once, but the LP bound stays 0 (this ran for minutes before the node limit)
    const cells = [count("a", 13, true), count("b", 0, true), magnitude("w", 8.15, true), count("c", 4, true), count("d", 9, true)];
    const r = await audit(cells, [
      {
        label: "r0",
        op: "<=",
        rhs: 9.15,
        terms: [
          ["a", -1],
          ["w", 1],
          ["c", 3],
        ],
      },
      {
        label: "r1",
        op: "=",
        rhs: 13.85,
        terms: [
          ["a", 3],
          ["b", 1],
          ["w", -1],
          ["c", -2],
          ["d", -1],
        ],
      },
    ]);
    expect(r.limited).toEqual(["w"]);
    // what it reports is attainable: 3a + b - 2c - d is an integer, so w = 0.15 at best (up to the
    // relation's slack of 1e-9 x its largest term, 39)
    const [low, high] = r.intervals.get("w")!;
    expect(low).toBeCloseTo(0.15, 6);
    expect(high).toBe(Number.POSITIVE_INFINITY);
    expect(r.intervals.get("a")).toEqual([0, Number.POSITIVE_INFINITY]);
  });
});

describe("attacker check: published intervals (rounded values)", () => {
  /** A hidden count n of 3 with its share n / 200 published, rounded to `step`; the denominator 200 is published. */
  async function share(step: number): Promise<Awaited<ReturnType<typeof audit>>> {
    const value = 3 / 200;
    const rounded = Math.round(value / step) * step;
    const cells = [count("n", 3, true), magnitude("aandeel", value, false, { upper: 1, known: [rounded - step / 2, rounded + step / 2] })];
    return audit(cells, [
      {
        label: "aandeel = n / 200",
        op: "=",
        rhs: 0,
        terms: [
          ["n", 1],
          ["aandeel", -200],
        ],
      },
    ]);
  }

  it("a share rounded to 0.001 pins the hidden count: n in [2.9, 3.1], so n = 3", async () => {
    const r = await share(0.001);
    expect(r.intervals.get("n")).toEqual([3, 3]);
    expect(r.failures.map((f) => [f.id, f.min, f.max, f.labels])).toEqual([["n", 3, 3, ["aandeel = n / 200"]]]);
    // the share is a variable of the system, not a hidden cell: it is not audited
    expect(r.intervals.has("aandeel")).toBe(false);
    expect(r.hiddenCells).toBe(1);
  });

  it("rounded to 0.01 (0.02) the count is in [3, 5]: still too narrow; rounded to 0.1 (0.0) it is in [0, 10]: safe", async () => {
    const coarse = await share(0.01);
    expect(coarse.intervals.get("n")).toEqual([3, 5]);
    expect(coarse.failures).toHaveLength(1);
    const coarser = await share(0.1);
    expect(coarser.intervals.get("n")).toEqual([0, 10]);
    expect(coarser.failures).toEqual([]);
  });

  it("an interval cell that is not hidden is never reported, even when the system pins it", async () => {
    // the total is published as an interval, both parts exactly: the total is known exactly, and that is fine
    const cells = [count("a", 10, false), count("b", 20, false), count("totaal", 30, false, { known: [25, 35] }), count("c", 3, true)];
    const r = await audit(cells, [
      sum("rij", ["a", "b"], "totaal"),
      {
        label: "c <= a",
        op: "<=",
        rhs: 0,
        terms: [
          ["c", 1],
          ["a", -1],
        ],
      },
    ]);
    expect([...r.intervals.keys()]).toEqual(["c"]);
    expect(r.intervals.get("c")).toEqual([0, 10]);
    expect(r.failures).toEqual([]);
  });
});

describe("attacker check: magnitudes and the p% rule", () => {
  /** Wage sums of two groups and their published total 1000; group 1 (400) is hidden, group 2 published as `known`. */
  function wages(known: [number, number]): Promise<Awaited<ReturnType<typeof audit>>> {
    const cells = [magnitude("loon1", 400, true), magnitude("loon2", 600, false, { known }), magnitude("totaal", 1000, false)];
    return audit(cells, [sum("loonsom", ["loon1", "loon2"], "totaal")]);
  }

  it("the other group published to within ±10 pins the hidden 400 to [390, 410]: fails the 10% rule", async () => {
    const r = await wages([590, 610]);
    expectInterval(r.intervals.get("loon1"), [390, 410]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.needLow).toBeCloseTo(360, 9);
    expect(r.failures[0]!.needHigh).toBeCloseTo(440, 9);
  });

  it("published to within ±50 it is in [350, 450]: passes", async () => {
    const r = await wages([550, 650]);
    expectInterval(r.intervals.get("loon1"), [350, 450]);
    expect(r.failures).toEqual([]);
  });

  it("both groups hidden: each in [0, 1000], passes", async () => {
    const cells = [magnitude("loon1", 400, true), magnitude("loon2", 600, true), magnitude("totaal", 1000, false)];
    const r = await audit(cells, [sum("loonsom", ["loon1", "loon2"], "totaal")]);
    expectInterval(r.intervals.get("loon1"), [0, 1000]);
    expectInterval(r.intervals.get("loon2"), [0, 1000]);
    expect(r.failures).toEqual([]);
  });

  it("a negative magnitude -100 needs [-110, -90]: [-110, -95] fails on the high side", async () => {
    const cells = [
      magnitude("verschil", -100, true, { lower: Number.NEGATIVE_INFINITY }),
      magnitude("ander", 300, false, { known: [295, 310] }),
      magnitude("totaal", 200, false),
    ];
    const r = await audit(cells, [sum("som", ["verschil", "ander"], "totaal")]);
    expectInterval(r.intervals.get("verschil"), [-110, -95]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.needLow).toBeCloseTo(-110, 9);
    expect(r.failures[0]!.needHigh).toBeCloseTo(-90, 9);
  });

  it("the pPercent option changes the verdict", async () => {
    const cells = [magnitude("loon1", 400, true), magnitude("loon2", 600, false, { known: [590, 610] }), magnitude("totaal", 1000, false)];
    const r = await audit(cells, [sum("loonsom", ["loon1", "loon2"], "totaal")], { pPercent: 0.02 });
    expect(r.failures).toEqual([]);
  });
});

describe("attacker check: the true values are checked against the declared relations", () => {
  it("a relation that does not hold for the true values throws, naming it", async () => {
    const cells = [count("a", 3, true), count("b", 4, false), count("totaal", 8, false)];
    await expect(audit(cells, [sum("tabel/rij 2", ["a", "b"], "totaal")])).rejects.toThrow(/"tabel\/rij 2"/);
  });

  it("a violated relation among published cells only (a fact) throws as well", async () => {
    const cells = [count("a", 3, false), count("b", 4, false), count("totaal", 8, false), count("c", 1, true)];
    await expect(audit(cells, [sum("feit", ["a", "b"], "totaal")])).rejects.toThrow(/"feit"/);
  });

  it("floating data within the tolerance is accepted; the attacker's equality stays that narrow", async () => {
    const parts = [0.1, 0.2];
    const cells = [magnitude("p", parts[0]!, true), magnitude("q", parts[1]!, true, { known: [0.15, 0.25] }), magnitude("som", 0.3, false)];
    // 0.1 + 0.2 = 0.30000000000000004 in floating point
    const r = await audit(cells, [sum("som", ["p", "q"], "som")]);
    expectInterval(r.intervals.get("p"), [0.05, 0.15]);
    await expect(
      audit(
        cells.map((c) => (c.id === "som" ? { ...c, value: 0.31 } : c)),
        [sum("som", ["p", "q"], "som")],
      ),
    ).rejects.toThrow(/"som"/);
  });

  it("an unknown cell in a relation throws", async () => {
    await expect(audit([count("a", 3, true)], [sum("rij", ["a"], "weg")])).rejects.toThrow(/"weg"/);
  });
});

describe("attacker check: the solver", () => {
  it("the same input gives the same result, failures ordered by id", async () => {
    const { cells, constraints } = table(
      "t",
      [
        [1, 8, 30],
        [12, 2, 40],
        [9, 25, 3],
      ],
      ["0.0", "0.1", "1.0", "1.1", "2.2", "2.0", "0.2"],
    );
    const a = await audit(cells, constraints);
    const b = await audit([...cells], [...constraints]);
    expect({ ...b, ms: 0 }).toEqual({ ...a, ms: 0 });
    const ids = a.failures.map((f) => f.id);
    expect(ids.length).toBeGreaterThan(1);
    expect(ids).toEqual([...ids].sort());
  });

  it("thousands of solves in one process (past the 4094 runs at which old highs-js builds broke)", async () => {
    // x + y + z = 10 and x + 2y + 3z = 20: x = z in [0, 5], y = 10 - 2z in [0, 10]
    const cells: AuditCell[] = [];
    const constraints: AuditConstraint[] = [];
    for (let g = 0; g < 1040; g++) {
      const id = (name: string): string => `g${g}.${name}`;
      cells.push(magnitude(id("x"), 3, true), magnitude(id("y"), 4, true), magnitude(id("z"), 3, true));
      cells.push(magnitude(id("som"), 10, false), magnitude(id("gewogen"), 20, false));
      constraints.push(sum(`g${g}/som`, [id("x"), id("y"), id("z")], id("som")));
      constraints.push({
        label: `g${g}/gewogen`,
        op: "=",
        rhs: 0,
        terms: [
          [id("x"), 1],
          [id("y"), 2],
          [id("z"), 3],
          [id("gewogen"), -1],
        ],
      });
    }
    const r = await audit(cells, constraints);
    expect(r.solves).toBeGreaterThan(4096);
    expect(r.components).toBe(1040);
    for (const g of [0, 519, 1039]) {
      expectInterval(r.intervals.get(`g${g}.x`), [0, 5]);
      expectInterval(r.intervals.get(`g${g}.y`), [0, 10]);
      expectInterval(r.intervals.get(`g${g}.z`), [0, 5]);
    }
    expect(r.failures).toEqual([]);
    // models are reused and freed: the WebAssembly memory does not grow on a second audit
    const before = (await loadSolver()).memoryBytes;
    await audit(cells.slice(0, 500), constraints.slice(0, 200));
    expect((await loadSolver()).memoryBytes).toBe(before);
  });

  it("a broken WebAssembly instance is replaced by a fresh one and the audit completes", async () => {
    const broken = await loadSolver();
    broken.createModel = () => {
      throw new WebAssembly.RuntimeError("memory access out of bounds");
    };
    const cells = [count("x", 3, true), count("y", 4, true), count("gewogen", 11, false)];
    const r = await audit(cells, [
      {
        label: "gewogen",
        op: "=",
        rhs: 0,
        terms: [
          ["x", 1],
          ["y", 2],
          ["gewogen", -1],
        ],
      },
    ]);
    expect(r.intervals.get("x")).toEqual([1, 11]);
    expect(await loadSolver()).not.toBe(broken);
  });
});
