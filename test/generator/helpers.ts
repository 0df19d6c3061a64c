/**
 * Shared helpers for the generator tests: generate a small world into a temp folder, read its
 * files back (decoding Windows-1252 where the dialect says so).
 */
import { readFileSync, rmSync } from "node:fs";
import { generate } from "../../data/generator/generate.ts";
import type { DialectName } from "../../data/generator/dialect.ts";
import { tempDir } from "../helpers/temp.ts";

export interface Generated {
  dir: string;
  cleanup: () => void;
}

export function generateSmall(scale: number, seed: number, dialect: DialectName): Generated {
  const dir = tempDir(`bm-gen-${dialect}-`);
  generate({ scale, seed, out: dir, dialect, progress: false });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function readText(path: string, encoding: "utf-8" | "windows-1252" = "utf-8"): string {
  const bytes = readFileSync(path);
  return new TextDecoder(encoding, { fatal: encoding === "utf-8" }).decode(bytes);
}

export interface Table {
  header: string[];
  rows: string[][];
  col: (name: string) => number;
}

export function readTable(path: string, delimiter = ",", encoding: "utf-8" | "windows-1252" = "utf-8"): Table {
  const text = readText(path, encoding);
  if (!text.endsWith("\n")) throw new Error(`${path}: last line not terminated`);
  const lines = text.slice(0, -1).split("\n");
  const header = lines[0]!.split(delimiter);
  const rows = lines.slice(1).map((l) => l.split(delimiter));
  return {
    header,
    rows,
    col: (name: string) => {
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`${path}: no column ${name}`);
      return i;
    },
  };
}

export const dayNumber = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
export const monthKey = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
