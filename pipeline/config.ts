/**
 * Every definition parameter of baanmonitor, with the report's defaults. One home: the
 * pipeline, analyses and disclosure control read parameters only from here (merged with a
 * user's `--config` file), the run manifest records them, the method page shows them.
 */
import { UserError } from "../cli/errors.ts";

export interface Parameters {
  /** D1 Baan */
  d1: {
    /** consecutive months without pay that end an ikv without registered end */
    maandenZonderLoon: number;
    /** ikv's of one person at one employer with a gap of at most this many days are one baan */
    samenvoegGatDagen: number;
  };
  /** D2 Baaneinde */
  d2: {
    vensterStart: string; // ISO date, inclusive
    vensterEinde: string; // ISO date, inclusive
    /** endings with the benefit ending by death/pension within this many months around are excluded */
    overlijdenPensioenMaanden: number;
  };
  /** D3 jobcoach category */
  d3: {
    /** link a jobcoach period of another employer when it overlaps the baan in time */
    inleenFallback: boolean;
  };
  /** D4/D5 time to next job; D6 censoring */
  d4: {
    /** outcomes observed up to (inclusive) */
    peildatum: string;
    /** reading points of table 3.1, days */
    leespunten: number[];
  };
  /** D6 re-integration uptake */
  d6: {
    vensterStart: string;
    vensterEinde: string;
    /** timing buckets: upper bounds in days after the end (exclusive), after "voor einde" */
    tijdvakGrenzen: number[];
  };
  /** D7 jobcoach-start cohort */
  d7: {
    cohortStart: string;
    cohortEinde: string;
    maanden: number;
  };
  /** survival statistics */
  survival: {
    confType: "log" | "log-log" | "plain";
    confLevel: number;
  };
  /** §7 statistical disclosure control */
  disclosure: {
    minAantal: number;
    minNoemer: number;
    minAtRisk: number;
    /** fixed publication grid for survival curves, days */
    curveGrid: number[];
  };
}

const grid = (): number[] => {
  const g: number[] = [];
  for (let d = 0; d <= 1461; d += d < 91 ? 7 : 30) g.push(d);
  return [...new Set([...g, 7, 30, 91, 182, 365, 730, 1095, 1461])].sort((a, b) => a - b);
};

export const DEFAULTS: Parameters = {
  d1: { maandenZonderLoon: 3, samenvoegGatDagen: 31 },
  d2: { vensterStart: "2015-01-01", vensterEinde: "2019-12-31", overlijdenPensioenMaanden: 3 },
  d3: { inleenFallback: true },
  d4: { peildatum: "2019-12-31", leespunten: [7, 30, 91, 182, 365, 730, 1095, 1461] },
  d6: { vensterStart: "2017-01-01", vensterEinde: "2019-12-31", tijdvakGrenzen: [7, 30, 91, 182, 365] },
  d7: { cohortStart: "2013-01-01", cohortEinde: "2017-12-31", maanden: 36 },
  survival: { confType: "log", confLevel: 0.95 },
  disclosure: { minAantal: 10, minNoemer: 50, minAtRisk: 10, curveGrid: grid() },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

/** Merge user overrides onto the defaults; unknown keys are an error (typos must not pass silently). */
export function mergeParameters(overrides: DeepPartial<Parameters> | undefined, where = "config"): Parameters {
  const out = structuredClone(DEFAULTS) as unknown as Record<string, Record<string, unknown>>;
  for (const [section, values] of Object.entries(overrides ?? {})) {
    if (!(section in out)) throw new UserError(`${where}: onbekende parametergroep "${section}" (verwacht: ${Object.keys(out).join(", ")})`);
    for (const [key, value] of Object.entries(values as object)) {
      if (!(key in out[section])) {
        throw new UserError(`${where}: onbekende parameter "${section}.${key}" (verwacht: ${Object.keys(out[section]).join(", ")})`);
      }
      const def = out[section][key];
      if (typeof def !== typeof value || Array.isArray(def) !== Array.isArray(value)) {
        throw new UserError(`${where}: parameter "${section}.${key}" moet van type ${Array.isArray(def) ? "array" : typeof def} zijn`);
      }
      out[section][key] = value;
    }
  }
  return out as unknown as Parameters;
}
