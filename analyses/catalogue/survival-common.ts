import type { Parameters } from "../../pipeline/config.ts";
import type { ConfType } from "../survival/types.ts";
import { defineAnalysis, table, type PublishedDeclaration } from "../types.ts";
import { runSurvival, type Variantie } from "../lib/survival-analysis.ts";
import { publishSurvival } from "../disclosure/survival.ts";
import type { DuckDBConnection } from "@duckdb/node-api";
import { join, sql, type Sql } from "../../core/sql.ts";
import { query } from "../lib/sql.ts";
import { groepSql } from "../survival/duckdb.ts";
import type { Row } from "../types.ts";
import { sum, type Relation, type RowRef } from "../relations.ts";

/** Parameters shared by the survival analyses. */
export interface SurvivalParams {
  kenmerken: string[];
  leespunten: number[];
  peildatum: string;
  confType: ConfType;
  confLevel: number;
  variantie: Variantie;
}

export const PERSOONSKENMERKEN = ["geslacht", "regeling", "diagnosegroep", "opleidingsniveau", "regio"];

export function survivalParams(p: Parameters, kenmerken: string[]): SurvivalParams {
  return {
    kenmerken,
    leespunten: [...p.d4.leespunten],
    peildatum: p.d4.peildatum,
    confType: p.survival.confType,
    confLevel: p.survival.confLevel,
    variantie: p.survival.variantie,
  };
}

/** The shared survival tables publishSurvival returns (docs/publish.md). */
export function survivalTables(): PublishedDeclaration {
  const curve = () =>
    table({
      kenmerk: "key",
      groep: "key",
      methode: "key",
      dag: "curve-day",
      cum_incidentie: "curve-value",
      lower: "bound",
      upper: "bound",
      n_risico: "count",
    });
  return {
    curve: curve(),
    leespunten: curve(),
    aantallen: table({ kenmerk: "key", groep: "key", n: "count", gebeurtenissen: "count" }),
    mediaan: table({
      kenmerk: "key",
      groep: "key",
      mediaan: { kind: "median", unit: "dagen" },
      lower: { kind: "bound", unit: "dagen" },
      upper: { kind: "bound", unit: "dagen" },
    }),
    logrank: table({ kenmerk: "key", toets: "label", chikwadraat: "statistic", df: "statistic", p: "statistic" }),
  };
}

/**
 * The relations of the shared survival tables: per kenmerk the groups partition all endings, so
 * their counts and, at every reading point and grid day, their at-risk counts add up to the
 * total's (by default the `totaal` row of the same file); on day 0 the number at risk is n.
 */
export function survivalRelations(total: RowRef = { where: { kenmerk: "totaal", groep: "totaal" } }): Relation[] {
  return [
    sum("aantallen", "n", "groep", total),
    sum("aantallen", "gebeurtenissen", "groep", total),
    sum("leespunten", "n_risico", "groep", total),
    sum("curve", "n_risico", "groep", total),
    // on day 0 every ending is at risk
    sum("aantallen", "n", [], { table: "curve", where: { dag: 0 }, any: ["methode"], column: "n_risico", optional: true }),
  ];
}

/**
 * A Kaplan–Meier analysis of one (time, status) pair of `baaneindes` by the given kenmerken,
 * published as the shared survival tables (docs/publish.md).
 */
export function kmAnalysis(spec: {
  id: string;
  titel: string;
  rapport: string;
  definitie: string;
  kenmerken: string[];
  /** SQL expressions over `baaneindes` */
  tijd: Sql;
  status: Sql;
  /** default: survivalRelations() */
  relations?: Relation[];
  /**
   * Another file publishes a curve of the same endings with a later event (`tijd`; proefplaatsing
   * or job here, job alone there): on a day both show, its number at risk minus this one's
   * counts the endings between the two events. `publishSurvival` keeps that difference from
   * being a small count (the table `naast`).
   */
  naast?: { tijd: Sql; alleenTotaal?: boolean };
}) {
  return defineAnalysis({
    id: spec.id,
    titel: spec.titel,
    rapport: spec.rapport,
    definitie: spec.definitie,
    publishes: survivalTables(),
    relations: spec.relations ?? survivalRelations(),
    parameters: (p) => survivalParams(p, spec.kenmerken),
    run: async (ctx, p) => {
      const tabellen = await runSurvival(ctx.conn, {
        bron: sql`baaneindes`,
        tijd: spec.tijd,
        status: spec.status,
        kenmerken: p.kenmerken,
        methoden: ["km"],
        confType: p.confType,
        confLevel: p.confLevel,
        leespunten: p.leespunten,
        variantie: p.variantie,
        persoon: sql`persoon_id`,
      });
      // with alleenTotaal the other file shows only the total of these endings
      if (spec.naast)
        tabellen.naast = await betweenEvents(ctx.conn, spec.naast.alleenTotaal ? ["totaal"] : p.kenmerken, spec.tijd, spec.naast.tijd);
      return { tabellen };
    },
    publish: (result, rules) => publishSurvival(result.tabellen, rules),
  });
}

/**
 * Per (kenmerk, groep), the endings whose time in this file (`van`) comes before their time in
 * the other file (`tot`), counted per (van, tot): on day d the other file's number at risk minus
 * this one's is the count with van < d <= tot. Groups as runSurvival forms them.
 */
async function betweenEvents(conn: DuckDBConnection, kenmerken: readonly string[], van: Sql, tot: Sql): Promise<Row[]> {
  const parts = kenmerken.map(
    (k) =>
      sql`SELECT ${k} AS kenmerk, ${groepSql(k)} AS groep,
                 greatest(${van}, 0)::DOUBLE AS van, greatest(${tot}, 0)::DOUBLE AS tot FROM baaneindes`,
  );
  return query(
    conn,
    sql`SELECT kenmerk, groep, van, tot, count(*) AS aantal FROM (${join(parts, sql` UNION ALL `)})
        WHERE van IS NOT NULL AND tot IS NOT NULL AND van < tot GROUP BY ALL ORDER BY ALL`,
  );
}
