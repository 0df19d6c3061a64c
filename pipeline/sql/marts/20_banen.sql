-- Mart banen: one row per baan (D1) with its jobcoach category (D3).
CREATE OR REPLACE TABLE banen AS
SELECT b.baan_id, b.persoon_id, b.werkgever_id, b.startdatum, b.einddatum, b.einde_bron,
       b.n_ikv, b.eerste_ikv_id, b.laatste_ikv_id,
       b.contractsoort, b.soort_baan, b.sector, b.grootteklasse, b.contractsoort_start,
       b.uren_per_week_start, b.uren_per_week, b.uurloon, b.duur_dagen,
       coalesce(j.jobcoach, 'geen') AS jobcoach, j.jobcoach_koppeling, j.jobcoach_organisatie_id
FROM int_banen b LEFT JOIN int_baan_jobcoach j USING (baan_id)
ORDER BY b.persoon_id, b.startdatum, b.baan_id;
