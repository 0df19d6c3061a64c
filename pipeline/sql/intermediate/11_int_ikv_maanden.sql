-- D1 step 2: months with pay. One row per (ikv_id, calendar month) in which at least one
-- pay period with loon_sv > 0 ends. Wage, hours and period days are summed over those periods;
-- contractsoort of the last period. (Kept lean: other job traits are looked up in int_polis
-- where needed.) Sums run in DECIMAL: exact, so independent of the (parallel) summation order
-- -> byte-identical reruns.
-- Hours per week are taken over the days actually employed in the pay periods, not over the
-- whole declared period: a period is clipped to [datum_aanvang_ikv, datum_einde_ikv] (the
-- registered values of the ikv, as in int_ikv), because the first and a registered last
-- period are pro-rated. eerste_dag / laatste_dag = the employed span of the month's periods.
-- uren_per_week = hours * 7 / employed days. An unregistered end cannot be clipped (its day
-- is unknown): int_banen leaves such a last month out of its hour averages.
CREATE OR REPLACE TABLE int_ikv_maanden AS
WITH ikv AS (
    SELECT ikv_id,
           arg_max(datum_aanvang_ikv, (aanleverdatum, tijdvak_aanvang)) AS aanvang,
           arg_max(datum_einde_ikv, (aanleverdatum, tijdvak_aanvang)) FILTER (WHERE datum_einde_ikv IS NOT NULL) AS einde
    FROM int_polis GROUP BY ikv_id
), p AS (
    SELECT p.*,
           CASE WHEN i.aanvang IS NOT NULL AND i.aanvang > p.tijdvak_aanvang AND i.aanvang <= p.tijdvak_einde
                THEN i.aanvang ELSE p.tijdvak_aanvang END AS dag_van,
           CASE WHEN i.einde IS NOT NULL AND i.einde < p.tijdvak_einde AND i.einde >= p.tijdvak_aanvang
                THEN i.einde ELSE p.tijdvak_einde END AS dag_tot
    FROM int_polis p JOIN ikv i USING (ikv_id)
    WHERE p.loon_sv > 0
)
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
       arg_max(contractsoort, (tijdvak_einde, tijdvak_aanvang)) AS contractsoort
FROM p
GROUP BY ikv_id, maand;
