/**
 * Covariate balance before and after weighting, from the weights table (./weights.ts).
 *
 * Per covariate level (categorical covariates as coded in the model: NULL as `onbekend`,
 * pooled levels as `overig`) and per group: the share of the group's endings with that level,
 * unweighted and weighted (Σw of the level / Σw of the group); per numeric covariate its mean
 * over the endings with a value (unweighted and weighted.mean) and, when it has NULLs, the
 * share without a value (level `onbekend`).
 *
 * Standardised mean difference of each group against the reference group (the model's first,
 * e.g. geen), as cobalt / tableone:
 *   SMD = (m_g − m_ref) / sqrt((v_g + v_ref) / 2)
 * with the *unweighted* variances in the denominator both before and after weighting (so the
 * weighted SMD shows the change in the means only): v = p(1 − p) for a level share, the
 * sample variance (n − 1) for a numeric mean. A zero denominator gives null.
 *
 * With interactions in the model, each pair also gets rows for its cells (the combinations of the
 * two covariates' levels that occur; kolom `a × b`, niveau `la × lb`, in code-unit order), so
 * the table shows whether the weights balance the combinations, not only each covariate alone.
 *
 * Every row carries its counts (n, nGroep, Σw) for disclosure control. Sums are ordered
 * aggregates; numeric variances are two-pass (mean first).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, qualified, sql, type Sql } from "../../core/sql.ts";
import { exactSum, num, query } from "../lib/sql.ts";
import { cmp, keyExpr, levelExpr } from "./design.ts";
import type { PropensityModel } from "./propensity.ts";
import { NULL_GROUP } from "../survival/duckdb.ts";
import type { BalanceRow } from "./types.ts";

type Partial = Omit<BalanceRow, "smdOngewogen" | "smdGewogen">;

function smd(rows: Partial[], ref: string): BalanceRow[] {
  return rows.map((r) => {
    const base = rows.find((x) => x.kolom === r.kolom && x.niveau === r.niveau && x.groep === ref);
    if (r.groep === ref || !base) return { ...r, smdOngewogen: null, smdGewogen: null };
    const den = Math.sqrt((r.variantie + base.variantie) / 2);
    const ok = den > 0 && Number.isFinite(den);
    return {
      ...r,
      smdOngewogen: ok ? (r.ongewogen - base.ongewogen) / den : null,
      smdGewogen: ok ? (r.gewogen - base.gewogen) / den : null,
    };
  });
}

/** The balance table of the weights table `tabel` (columns groep, gewicht and the covariates) for the model's covariates. */
export async function balanceTable(conn: DuckDBConnection, tabel: string, model: PropensityModel): Promise<BalanceRow[]> {
  const t = qualified("temp", tabel);
  const groups = await query(
    conn,
    sql`SELECT CAST(groep AS VARCHAR) AS groep, count(*) AS n, ${exactSum(sql`gewicht`)} AS sw FROM ${t} GROUP BY ALL`,
  );
  const tot = new Map(groups.map((g) => [String(g.groep), { n: num(g.n), sw: num(g.sw) }]));
  const out: Partial[] = [];
  /** rows of the levels `niveaus` (all of them, also with no ending in a group) of the level expression `lvl` */
  const levelRows = async (kolom: string, lvl: Sql, niveaus?: string[]) => {
    const rows = await query(
      conn,
      sql`SELECT CAST(s.groep AS VARCHAR) AS groep, ${lvl} AS niveau, count(*) AS n, ${exactSum(sql`s.gewicht`)} AS sw
          FROM ${t} s GROUP BY ALL`,
    );
    const levels = niveaus ?? [...new Set(rows.map((r) => String(r.niveau)))].sort(cmp);
    for (const niveau of levels)
      for (const g of model.groepen) {
        const r = rows.find((x) => x.groep === g && x.niveau === niveau);
        const gt = tot.get(g)!;
        const n = r ? num(r.n) : 0;
        const sw = r ? num(r.sw) : 0;
        const p = n / gt.n;
        out.push({ kolom, niveau, groep: g, n, nGroep: gt.n, somGewicht: sw, ongewogen: p, gewogen: sw / gt.sw, variantie: p * (1 - p) });
      }
  };
  const levelOf = (kolom: string) => {
    const cov = model.covariaten.find((x) => x.kolom === kolom)!;
    return levelExpr(keyExpr(model.spec.covariaten.find((x) => x.kolom === kolom)!), cov);
  };
  for (const cov of model.covariaten) {
    if (cov.soort === "categorisch") {
      await levelRows(cov.kolom, levelOf(cov.kolom), cov.niveaus);
      continue;
    }
    const x = sql`CAST(s.${ident(cov.kolom)} AS DOUBLE)`;
    const rows = await query(
      conn,
      sql`WITH v AS (SELECT CAST(s.groep AS VARCHAR) AS groep, ${x} AS x, s.gewicht AS w FROM ${t} s WHERE ${x} IS NOT NULL),
          m AS (SELECT groep, count(*) AS n, ${exactSum(sql`x`)} / count(*) AS mean, ${exactSum(sql`w`)} AS sw, ${exactSum(sql`w * x`)} AS swx
                FROM v GROUP BY ALL)
          SELECT m.groep, any_value(m.n) AS n, any_value(m.mean) AS mean, any_value(m.sw) AS sw, any_value(m.swx) AS swx,
                 ${exactSum(sql`(v.x - m.mean) * (v.x - m.mean)`)} AS ss
          FROM v JOIN m USING (groep) GROUP BY m.groep`,
    );
    for (const g of model.groepen) {
      const r = rows.find((y) => y.groep === g);
      const gt = tot.get(g)!;
      const n = r ? num(r.n) : 0;
      out.push({
        kolom: cov.kolom,
        niveau: "gemiddelde",
        groep: g,
        n,
        nGroep: gt.n,
        somGewicht: r ? num(r.sw) : 0,
        ongewogen: r ? num(r.mean) : NaN,
        gewogen: r ? num(r.swx) / num(r.sw) : NaN,
        variantie: n > 1 ? num(r!.ss) / (n - 1) : NaN,
      });
    }
    if (cov.heeftOntbrekend) {
      const miss = await query(
        conn,
        sql`SELECT CAST(s.groep AS VARCHAR) AS groep, count(*) AS n, ${exactSum(sql`s.gewicht`)} AS sw
            FROM ${t} s WHERE s.${ident(cov.kolom)} IS NULL GROUP BY ALL`,
      );
      for (const g of model.groepen) {
        const r = miss.find((y) => y.groep === g);
        const gt = tot.get(g)!;
        const n = r ? num(r.n) : 0;
        const p = n / gt.n;
        out.push({
          kolom: cov.kolom,
          niveau: NULL_GROUP,
          groep: g,
          n,
          nGroep: gt.n,
          somGewicht: r ? num(r.sw) : 0,
          ongewogen: p,
          gewogen: (r ? num(r.sw) : 0) / gt.sw,
          variantie: p * (1 - p),
        });
      }
    }
  }
  for (const [a, b] of model.spec.interacties ?? []) await levelRows(`${a} × ${b}`, sql`${levelOf(a)} || ' × ' || ${levelOf(b)}`);
  return smd(out, model.groepen[0]!);
}
