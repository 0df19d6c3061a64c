-- D1 result: one row per baan. einddatum NULL = running at data end (right-censored);
-- einde_bron of the period that ends last.
CREATE OR REPLACE TABLE int_banen AS
WITH k AS (
    SELECT baan_id, any_value(persoon_id) AS persoon_id, any_value(werkgever_id) AS werkgever_id,
           min(startdatum) AS startdatum,
           CASE WHEN bool_or(einddatum IS NULL) THEN NULL ELSE max(einddatum) END AS einddatum,
           CASE WHEN bool_or(einddatum IS NULL) THEN 'lopend'
                ELSE arg_max(einde_bron, einddatum) END AS einde_bron,
           count(DISTINCT ikv_id)::INTEGER AS n_ikv,
           arg_min(ikv_id, startdatum) AS eerste_ikv_id,
           arg_max(ikv_id, coalesce(einddatum, DATE '9999-12-31')) AS laatste_ikv_id
    FROM int_baan_ikv GROUP BY baan_id
), m AS (
    SELECT baan_id,
           arg_max(contractsoort, maand) AS contractsoort,
           arg_max(soort_baan, maand) AS soort_baan,
           arg_max(sector, maand) AS sector,
           arg_max(grootteklasse, maand) AS grootteklasse,
           arg_min(contractsoort, maand) AS contractsoort_start,
           avg(uren_per_week) AS uren_per_week,
           sum(loon_sv) / nullif(sum(uren), 0) AS uurloon,
           min(maand) AS eerste_maand_loon, max(maand) AS laatste_maand_loon,
           count(*)::INTEGER AS n_maanden_loon
    FROM int_baan_maanden GROUP BY baan_id
), s AS (
    SELECT baan_id, avg(uren_per_week) AS uren_per_week_start
    FROM (SELECT baan_id, uren_per_week FROM int_baan_maanden
          QUALIFY row_number() OVER (PARTITION BY baan_id ORDER BY maand) <= 3)
    GROUP BY baan_id
)
SELECT k.*, m.contractsoort, m.soort_baan, m.sector, m.grootteklasse, m.contractsoort_start,
       s.uren_per_week_start, m.uren_per_week, m.uurloon,
       date_diff('day', k.startdatum, k.einddatum)::INTEGER + 1 AS duur_dagen,
       m.eerste_maand_loon, m.laatste_maand_loon, m.n_maanden_loon
FROM k JOIN m USING (baan_id) LEFT JOIN s USING (baan_id);
