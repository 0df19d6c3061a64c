/**
 * Every definition parameter of baanmonitor, with the report's defaults. One home: the
 * pipeline, analyses and disclosure control read parameters only from here (merged with a
 * user's `--config` file), the run manifest records them, the method page shows them.
 */
import { z } from "zod";
import { UserError } from "../core/errors.ts";
import { describeIssue, increasingInts, int, isoDate, rejectPrototypeKeys } from "../core/validation.ts";

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
    /**
     * A period counts for the baan only when it was still running at most this many days before
     * the baan ended (the report's §3.1: "geen" also when the jobcoach was no longer involved at
     * the end). null: any overlap with the baan counts (coaching during the job).
     */
    betrokkenBijEindeDagen: number | null;
    /**
     * Portal periods that ended before this date are not seen (the report's footnote 36: coaching
     * visible from 2015-01-01). null: every period in the portal extract.
     */
    zichtbaarVanaf: string | null;
  };
  /** D4/D5 time to next job; D6 censoring */
  d4: {
    /** outcomes observed up to (inclusive) */
    peildatum: string;
    /** reading points of table 3.1, days */
    leespunten: number[];
  };
  /** D5 (with proefplaatsing) and D7 (monthly states): a Sonar proefplaatsing without an end date */
  d5: {
    /**
     * "zoals_dienst": running only while its resultaat is `lopend` (or empty), as D6 reads a
     * service; one with a final resultaat ended on an unknown date and counts in its start month
     * only. "lopend": every proefplaatsing without an end date runs (the earlier reading).
     */
    proefplaatsingZonderEinde: "zoals_dienst" | "lopend";
    /** a proefplaatsing without an end date runs at most this many months from its start (the legal maximum is six) */
    proefplaatsingMaxMaanden: number;
  };
  /** D6 re-integration uptake */
  d6: {
    vensterStart: string;
    vensterEinde: string;
    /** timing buckets: upper bounds in days after the end (exclusive), after "voor einde" */
    tijdvakGrenzen: number[];
    /**
     * figure 3.7 (own jobcoach organisation): a service running at the end counts when it started
     * at most this many days before the end (the report: "binnen één maand voor het baaneinde");
     * null: any start before the end
     */
    voorEindeDagenEigenOrganisatie: number | null;
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
    /**
     * variance of the survival curves and the test of group differences: `robuust` counts a
     * person once however many endings they had (infinitesimal jackknife per person, R
     * `survfit(..., id =, robust = TRUE)`; the cluster-robust score test), `greenwood` treats
     * every ending as independent (Greenwood / the plain Aalen–Johansen variance; log-rank test)
     */
    variantie: "robuust" | "greenwood";
  };
  /** §7 statistical disclosure control */
  disclosure: {
    minAantal: number;
    minNoemer: number;
    minAtRisk: number;
    /** fixed publication grid for survival curves, days */
    curveGrid: number[];
    /** attacker check: a hidden count must stay consistent with at least this much below and above its value */
    beschermingsmarge: number;
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
  d3: { inleenFallback: true, betrokkenBijEindeDagen: null, zichtbaarVanaf: null },
  d4: { peildatum: "2019-12-31", leespunten: [7, 30, 91, 182, 365, 730, 1095, 1461] },
  d5: { proefplaatsingZonderEinde: "zoals_dienst", proefplaatsingMaxMaanden: 6 },
  d6: { vensterStart: "2017-01-01", vensterEinde: "2019-12-31", tijdvakGrenzen: [7, 30, 91, 182, 365], voorEindeDagenEigenOrganisatie: 31 },
  d7: { cohortStart: "2013-01-01", cohortEinde: "2017-12-31", maanden: 36 },
  survival: { confType: "log", confLevel: 0.95, variantie: "robuust" },
  disclosure: { minAantal: 10, minNoemer: 50, minAtRisk: 10, curveGrid: grid(), beschermingsmarge: 5 },
};

/** Publication floors of the disclosure rules: a config may make them stricter, never looser (docs/publish.md). */
export const DISCLOSURE_FLOOR = { minAantal: 10, minNoemer: 50, minAtRisk: 10, beschermingsmarge: 5 } as const;

const DAYS_MAX = 3653; // ten years

const schemas = new Map<boolean, ReturnType<typeof buildParametersSchema>>();

/**
 * The declared schema of every parameter: type, range, and relations between them. A value
 * outside it is a user error naming the key, the value and what is allowed.
 * `voorPublicatie` (default true): the disclosure thresholds may not go below
 * DISCLOSURE_FLOOR and the curve grid must be a subset of the default grid (fewer points are
 * stricter). `baanmonitor run --niet-voor-publicatie` lifts that; the run is then marked as not
 * for release on every page.
 */
export function parametersSchema(voorPublicatie = true): ReturnType<typeof buildParametersSchema> {
  // built once per setting: zod compiles a schema on its first parse, and the SQL runner checks
  // the parameters before every layer
  let schema = schemas.get(voorPublicatie);
  if (!schema) schemas.set(voorPublicatie, (schema = buildParametersSchema(voorPublicatie)));
  return schema;
}

function buildParametersSchema(voorPublicatie: boolean) {
  const floor = (k: keyof typeof DISCLOSURE_FLOOR, max: number) =>
    voorPublicatie
      ? int(0, max).refine((v) => v >= DISCLOSURE_FLOOR[k], {
          error: `lager dan de publicatiegrens ${DISCLOSURE_FLOOR[k]} (strenger mag, losser alleen met --niet-voor-publicatie)`,
        })
      : int(0, max);
  const grid = increasingInts(0, DAYS_MAX, 500).refine((g) => g[0] === 0, { error: "moet met dag 0 beginnen" });
  const defaultGrid = new Set(DEFAULTS.disclosure.curveGrid);
  const d = z.strictObject({
    d1: z.strictObject({ maandenZonderLoon: int(1, 12), samenvoegGatDagen: int(0, 366) }),
    d2: z.strictObject({ vensterStart: isoDate(), vensterEinde: isoDate(), overlijdenPensioenMaanden: int(0, 24) }),
    d3: z.strictObject({
      inleenFallback: z.boolean(),
      betrokkenBijEindeDagen: int(0, DAYS_MAX).nullable(),
      zichtbaarVanaf: isoDate().nullable(),
    }),
    d4: z.strictObject({ peildatum: isoDate(), leespunten: increasingInts(1, DAYS_MAX, 20) }),
    d5: z.strictObject({ proefplaatsingZonderEinde: z.enum(["zoals_dienst", "lopend"]), proefplaatsingMaxMaanden: int(1, 120) }),
    d6: z.strictObject({
      vensterStart: isoDate(),
      vensterEinde: isoDate(),
      tijdvakGrenzen: increasingInts(1, DAYS_MAX, 10),
      voorEindeDagenEigenOrganisatie: int(0, DAYS_MAX).nullable(),
    }),
    d7: z.strictObject({ cohortStart: isoDate(), cohortEinde: isoDate(), maanden: int(1, 120) }),
    survival: z.strictObject({
      confType: z.enum(["log", "log-log", "plain"]),
      confLevel: z.number().min(0.5).max(0.999),
      variantie: z.enum(["robuust", "greenwood"]),
    }),
    disclosure: z.strictObject({
      minAantal: floor("minAantal", 1000),
      minNoemer: floor("minNoemer", 100_000),
      minAtRisk: floor("minAtRisk", 1000),
      curveGrid: voorPublicatie
        ? grid.refine((g) => g.every((t) => defaultGrid.has(t)), {
            error: "bevat dagen buiten het standaardrooster; een fijner rooster alleen met --niet-voor-publicatie",
          })
        : grid,
      beschermingsmarge: floor("beschermingsmarge", 1000),
    }),
  });
  return d.superRefine((p, ctx) => {
    const order = (a: string, b: string, path: (string | number)[], what: string) => {
      if (a > b) ctx.addIssue({ code: "custom", path, message: `${what} ligt na het einde` });
    };
    order(p.d2.vensterStart, p.d2.vensterEinde, ["d2", "vensterStart"], "het begin van het venster");
    order(p.d6.vensterStart, p.d6.vensterEinde, ["d6", "vensterStart"], "het begin van het venster");
    order(p.d7.cohortStart, p.d7.cohortEinde, ["d7", "cohortStart"], "het begin van het cohort");
    order(p.d2.vensterStart, p.d4.peildatum, ["d4", "peildatum"], "het begin van het baaneindevenster (d2.vensterStart)");
  });
}

const describe = (issue: z.core.$ZodIssue, input: unknown) =>
  describeIssue(issue, input, "parameter", (path) =>
    path.length === 0 ? Object.keys(DEFAULTS) : Object.keys((DEFAULTS as unknown as Record<string, object>)[String(path[0])] ?? {}),
  );

/**
 * Merge user overrides onto the defaults and validate the result against the schema. Unknown or
 * prototype keys, wrong types, impossible dates and out-of-range values are user errors (typos
 * must not pass silently).
 */
export function mergeParameters(overrides: unknown, where = "config", opts: { voorPublicatie?: boolean } = {}): Parameters {
  const schema = parametersSchema(opts.voorPublicatie ?? true);
  const sections = schema.shape;
  // the overrides: every section optional, every key in it optional, nothing else
  const partial = z.strictObject(Object.fromEntries(Object.entries(sections).map(([k, s]) => [k, s.partial().optional()])));
  const given = overrides ?? {};
  rejectPrototypeKeys(given, where);
  const o = partial.safeParse(given);
  if (!o.success) throw new UserError(`${where}: ${describe(o.error.issues[0]!, given)}`);
  const merged = structuredClone(DEFAULTS) as unknown as Record<string, Record<string, unknown>>;
  for (const [section, values] of Object.entries(o.data as Record<string, Record<string, unknown> | undefined>)) {
    for (const [key, value] of Object.entries(values ?? {})) if (value !== undefined) merged[section]![key] = value;
  }
  const r = schema.safeParse(merged);
  if (!r.success) throw new UserError(`${where}: ${describe(r.error.issues[0]!, merged)}`);
  return r.data;
}

/**
 * Parameters given by a program (or read back from a manifest) rather than a config file: the
 * same schema, without the publication floor (checked where the set is written,
 * assertPublishable). The SQL of the pipeline and the analyses interpolates parameters only as
 * values (core/sql.ts); this makes a wrong value a user error naming it before any SQL runs.
 */
export function checkParameters(params: unknown, where = "parameters"): Parameters {
  const r = parametersSchema(false).safeParse(params);
  if (!r.success) throw new UserError(`${where}: ${describe(r.error.issues[0]!, params)}`);
  return r.data;
}

/**
 * The publication floor holds for every published set, also when the
 * parameters come from a manifest or are passed in by a program rather than a config file.
 */
export function assertPublishable(params: Parameters, voorPublicatie: boolean): void {
  if (!voorPublicatie) return;
  const r = parametersSchema(true).safeParse(params);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new UserError(
      `parameter "${i.path.join(".")}": ${i.message}; deze instellingen zijn niet voor publicatie (gebruik --niet-voor-publicatie om ze toch te draaien)`,
    );
  }
}

/** What every published file and publish/run.json say about release: absent when it may be published. */
export const NIET_VOOR_PUBLICATIE = "niet voor publicatie: drempels van de geheimhouding zijn verlaagd of de run is zo gemarkeerd";
