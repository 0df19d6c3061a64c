-- D1 step 2: months with pay. One row per (ikv_id, calendar month) in which at least one
-- pay period with loon_sv > 0 ends. Wage, hours and period days are summed over those periods;
-- uren_per_week = hours per 7 days of declared period; contractsoort of the last period.
-- (Kept lean: other job traits are looked up in int_polis where needed.) Sums run in DECIMAL:
-- exact, so independent of the (parallel) summation order -> byte-identical reruns.
CREATE OR REPLACE TABLE int_ikv_maanden AS
SELECT ikv_id, maand,
       sum(loon_sv::DECIMAL(18, 6))::DOUBLE AS loon_sv,
       sum(uren::DECIMAL(18, 6))::DOUBLE AS uren,
       sum(date_diff('day', tijdvak_aanvang, tijdvak_einde) + 1)::INTEGER AS dagen,
       sum(uren::DECIMAL(18, 6))::DOUBLE * 7.0 / sum(date_diff('day', tijdvak_aanvang, tijdvak_einde) + 1) AS uren_per_week,
       min(tijdvak_aanvang) AS eerste_tijdvak_aanvang,
       max(tijdvak_einde) AS laatste_tijdvak_einde,
       arg_max(contractsoort, (tijdvak_einde, tijdvak_aanvang)) AS contractsoort
FROM int_polis
WHERE loon_sv > 0
GROUP BY ikv_id, maand;
