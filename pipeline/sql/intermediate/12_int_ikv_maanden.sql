-- werktabel: kept in memory during the run, a view in baanmonitor.duckdb (pipeline/sql-runner.ts)
-- D1 step 2: months with pay. One row per (ikv_id, calendar month) in which at least one
-- pay period with loon_sv > 0 ends. Wage, hours and period days are summed over those periods;
-- the job traits (contractsoort, soort_baan, sector, grootteklasse; ENUMs, a byte each) of the
-- last period, the latest end and then the latest start: int_banen takes a baan's traits from
-- its last month here instead of a second pass over polis (scale 1: 16_int_banen 1.96 -> 1.56 s,
-- this statement +0.06 s). Sums run in DECIMAL: exact, so independent of the (parallel)
-- summation order -> byte-identical reruns.
-- Hours per week are taken over the days actually employed in the pay periods, not over the
-- whole declared period: a period is clipped to [datum_aanvang_ikv, datum_einde_ikv] (the
-- registered values of the ikv, as in int_ikv), because the first and a registered last
-- period are pro-rated. eerste_dag / laatste_dag = the employed span of the month's periods.
-- uren_per_week = hours * 7 / employed days. An unregistered end cannot be clipped (its day
-- is unknown): int_banen leaves such a last month out of its hour averages.
-- Most (ikv, month) pairs hold a single pay period (monthly declarations): those rows pass
-- through with the same expressions the sums reduce to (the casts follow the sums' result
-- types, so values are bit-identical); only months with more than one period (4-weekly
-- declarations, overlaps) go through the aggregation. A full GROUP BY over all of polis was
-- ~30% slower at scale 1.
-- grain: ikv_id, maand
-- not_null: ikv_id, maand, loon_sv, uren, dagen, dagen_in_dienst, eerste_dag, laatste_dag, eerste_tijdvak_aanvang, laatste_tijdvak_einde, contractsoort, soort_baan, sector, grootteklasse
CREATE OR REPLACE TABLE int_ikv_maanden AS
WITH p AS MATERIALIZED (
    SELECT p.ikv_id, p.maand, p.loon_sv, p.uren, p.tijdvak_aanvang, p.tijdvak_einde, p.contractsoort, p.soort_baan, p.sector, p.grootteklasse, i.kalendermaanden,
           CASE WHEN i.datum_aanvang_ikv IS NOT NULL AND i.datum_aanvang_ikv > p.tijdvak_aanvang AND i.datum_aanvang_ikv <= p.tijdvak_einde
                THEN i.datum_aanvang_ikv ELSE p.tijdvak_aanvang END AS dag_van,
           CASE WHEN i.datum_einde_ikv IS NOT NULL AND i.datum_einde_ikv < p.tijdvak_einde AND i.datum_einde_ikv >= p.tijdvak_aanvang
                THEN i.datum_einde_ikv ELSE p.tijdvak_einde END AS dag_tot
    FROM int_polis p JOIN int_ikv i USING (ikv_id)
    WHERE p.loon_sv > 0
), meer AS (
    -- months with more than one paid period; an ikv of calendar-month periods has none (int_ikv),
    -- so only the other ikv's are grouped (at scale 1 a sixth of the rows)
    SELECT ikv_id, maand FROM p WHERE NOT kalendermaanden GROUP BY ALL HAVING count(*) > 1
), een AS (
    -- the months with one paid period: all of an ikv of calendar-month periods (no search for
    -- months with more, scale 1: 84% of the rows), the others' months not in `meer`
    SELECT * FROM p WHERE kalendermaanden
    UNION ALL
    SELECT * FROM p ANTI JOIN meer USING (ikv_id, maand) WHERE NOT kalendermaanden
)
SELECT ikv_id, maand,
       loon_sv::DECIMAL(18, 6)::DECIMAL(38, 6)::DOUBLE AS loon_sv,
       uren::DECIMAL(18, 6)::DECIMAL(38, 6)::DOUBLE AS uren,
       (date_diff('day', tijdvak_aanvang, tijdvak_einde) + 1)::INTEGER AS dagen,
       (date_diff('day', dag_van, dag_tot) + 1)::INTEGER AS dagen_in_dienst,
       uren::DECIMAL(18, 6)::DECIMAL(38, 6)::DOUBLE * 7.0 / (date_diff('day', dag_van, dag_tot) + 1)::HUGEINT AS uren_per_week,
       dag_van AS eerste_dag,
       dag_tot AS laatste_dag,
       tijdvak_aanvang AS eerste_tijdvak_aanvang,
       tijdvak_einde AS laatste_tijdvak_einde,
       contractsoort, soort_baan, sector, grootteklasse
FROM een
UNION ALL
SELECT ikv_id, maand, loon_sv, uren, dagen, dagen_in_dienst, uren_per_week, eerste_dag, laatste_dag,
       eerste_tijdvak_aanvang, laatste_tijdvak_einde, l.contractsoort, l.soort_baan, l.sector, l.grootteklasse
FROM (
    SELECT ikv_id, maand,
           sum(loon_sv::DECIMAL(18, 6))::DOUBLE AS loon_sv,
           sum(uren::DECIMAL(18, 6))::DOUBLE AS uren,
           sum(date_diff('day', tijdvak_aanvang, tijdvak_einde) + 1)::INTEGER AS dagen,
           sum(date_diff('day', dag_van, dag_tot) + 1)::INTEGER AS dagen_in_dienst,
           sum(uren::DECIMAL(18, 6))::DOUBLE * 7.0 / sum(date_diff('day', dag_van, dag_tot) + 1) AS uren_per_week,
           min(dag_van) AS eerste_dag,
           max(dag_tot) AS laatste_dag,
           min(tijdvak_aanvang) AS eerste_tijdvak_aanvang,
           max(tijdvak_einde) AS laatste_tijdvak_einde,
           arg_max({'contractsoort': contractsoort, 'soort_baan': soort_baan, 'sector': sector, 'grootteklasse': grootteklasse},
                   (tijdvak_einde, tijdvak_aanvang)) AS l
    FROM p SEMI JOIN meer USING (ikv_id, maand) WHERE NOT kalendermaanden
    GROUP BY ikv_id, maand
);
