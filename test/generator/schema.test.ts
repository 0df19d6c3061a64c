import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { EXTRACTS, EXTRACT_NAMES, type ColumnSpec } from "../../pipeline/contract.ts";
import { loadUwvMapping } from "../../data/generator/dialect.ts";
import { TRUTH_COLUMNS, TRUTH_NAMES } from "../../data/generator/records.ts";
import { generateSmall, readTable, type Generated } from "./helpers.ts";

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const DMY = /^\d{2}-\d{2}-\d{4}$/;

function validDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

function checkValue(spec: ColumnSpec, v: string, where: string, dialect: "canonical" | "uwv", codes?: Record<string, string>): void {
  if (v === "" && !(codes && "" in codes)) {
    if (spec.required) throw new Error(`${where}: required ${spec.name} is empty`);
    return;
  }
  if (codes) {
    if (!(v in codes)) throw new Error(`${where}: ${spec.name} code ${JSON.stringify(v)} not in mapping`);
    return;
  }
  switch (spec.type) {
    case "date": {
      const iso = dialect === "canonical" ? v : `${v.slice(6, 10)}-${v.slice(3, 5)}-${v.slice(0, 2)}`;
      if (!(dialect === "canonical" ? ISO : DMY).test(v) || !validDate(iso)) throw new Error(`${where}: ${spec.name} bad date ${v}`);
      break;
    }
    case "decimal":
      if (!(dialect === "canonical" ? /^\d+\.\d+$/ : /^\d+,\d+$/).test(v)) throw new Error(`${where}: ${spec.name} bad decimal ${v}`);
      break;
    case "int":
      if (!/^\d+$/.test(v)) throw new Error(`${where}: ${spec.name} bad int ${v}`);
      break;
    case "enum":
      if (!spec.values!.includes(v)) throw new Error(`${where}: ${spec.name} value ${v} not in ${spec.values!.join("/")}`);
      break;
    default:
      if (/[,;"\n\r]/.test(v)) throw new Error(`${where}: ${spec.name} has a special character: ${v}`);
  }
}

describe("generator output schema", () => {
  let canonical: Generated;
  let uwv: Generated;
  beforeAll(() => {
    // the unit tier's shared world (test/setup/unit-world.ts), read only: not removed here
    canonical = { dir: inject("unitWorld"), cleanup: () => {} };
    uwv = generateSmall(0.01, 3, "uwv");
  });
  afterAll(() => {
    canonical.cleanup();
    uwv.cleanup();
  });

  it("canonical extracts: UTF-8, comma, header and column order of the contract, valid values", () => {
    for (const name of EXTRACT_NAMES) {
      const t = readTable(join(canonical.dir, "extracts", `${name}.csv`));
      expect(t.header).toEqual(EXTRACTS[name].map((c) => c.name));
      expect(t.rows.length).toBeGreaterThan(0);
      t.rows.forEach((row, i) => {
        const where = `${name}.csv regel ${i + 2}`;
        if (row.length !== t.header.length) throw new Error(`${where}: ${row.length} fields`);
        EXTRACTS[name].forEach((spec, j) => checkValue(spec, row[j]!, where, "canonical"));
      });
    }
  });

  it("uwv extracts: Windows-1252, semicolon, mapped header, dd-mm-jjjj, decimal comma, source codes", () => {
    const mapping = loadUwvMapping();
    let sawNonAscii = false;
    for (const name of EXTRACT_NAMES) {
      const m = mapping.extracts[name];
      const path = join(uwv.dir, "extracts", m.bestand);
      const bytes = readFileSync(path);
      // Windows-1252: 'Ë' is the single byte 0xCB, never the UTF-8 pair C3 8B
      expect(bytes.includes(Buffer.from([0xc3, 0x8b]))).toBe(false);
      if (bytes.includes(0xcb)) sawNonAscii = true;
      const t = readTable(path, ";", "windows-1252");
      expect(t.header).toEqual(EXTRACTS[name].map((c) => m.kolommen[c.name]));
      t.rows.forEach((row, i) => {
        const where = `${m.bestand} regel ${i + 2}`;
        if (row.length !== t.header.length) throw new Error(`${where}: ${row.length} fields`);
        EXTRACTS[name].forEach((spec, j) => checkValue(spec, row[j]!, where, "uwv", m.codes?.[spec.name]));
      });
    }
    expect(sawNonAscii).toBe(true);
  });

  it("the uwv mapping maps every contract column and has a code for every enum value it recodes", () => {
    const mapping = loadUwvMapping();
    for (const name of EXTRACT_NAMES) {
      const m = mapping.extracts[name];
      expect(Object.keys(m.kolommen).sort()).toEqual(EXTRACTS[name].map((c) => c.name).sort());
      for (const [column, codes] of Object.entries(m.codes ?? {})) {
        const spec = EXTRACTS[name].find((c) => c.name === column)!;
        expect(spec.values).toBeDefined();
        expect(Object.values(codes).sort()).toEqual([...spec.values!].sort());
      }
    }
  });

  it("truth files have the documented columns, ISO dates and booleans", () => {
    const doc = readFileSync(join(import.meta.dirname, "../../data/generator/TRUTH.md"), "utf8");
    for (const name of TRUTH_NAMES) {
      const t = readTable(join(canonical.dir, "truth", `${name}.csv`));
      expect(t.header).toEqual([...TRUTH_COLUMNS[name]]);
      for (const c of t.header) expect(doc, `TRUTH.md documents ${name}.${c}`).toContain(`\`${c}\``);
      for (const c of t.header.filter((h) => /datum$|^uitkering_(start|einde)$/.test(h))) {
        const i = t.col(c);
        for (const row of t.rows)
          if (row[i] !== "" && !(ISO.test(row[i]!) && validDate(row[i]!))) throw new Error(`${name}.${c}: ${row[i]}`);
      }
    }
  });
});
