-- Months with pay per baan (sum over its ikv's): wage, hours, hours per week, and the job
-- traits of the month (contract of the ikv paid last in that month).
CREATE OR REPLACE TABLE int_baan_maanden AS
SELECT bi.baan_id, any_value(bi.persoon_id) AS persoon_id, m.maand,
       sum(m.loon_sv) AS loon_sv, sum(m.uren) AS uren, sum(m.uren_per_week) AS uren_per_week,
       arg_max(m.contractsoort, bi.startdatum) AS contractsoort,
       arg_max(m.soort_baan, bi.startdatum) AS soort_baan,
       arg_max(m.sector, bi.startdatum) AS sector,
       arg_max(m.grootteklasse, bi.startdatum) AS grootteklasse
FROM int_baan_ikv bi
JOIN int_ikv_maanden m ON m.ikv_id = bi.ikv_id AND m.maand BETWEEN bi.eerste_maand AND bi.laatste_maand
GROUP BY bi.baan_id, m.maand;
