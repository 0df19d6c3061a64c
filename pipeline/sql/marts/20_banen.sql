-- Mart banen: one row per baan (D1, intermediate/16_int_banen.sql, where the rules are) with its
-- jobcoach category (D3, intermediate/21_int_baan_jobcoach.sql).
-- Columns: baan_id VARCHAR (stable: persoon_id || '-' || n), persoon_id, werkgever_id,
-- startdatum, einddatum (NULL = running at data end), einde_bron (`geregistreerd` |
-- `zonder_loon` | `lopend`), n_ikv INTEGER, eerste_ikv_id, laatste_ikv_id, contractsoort,
-- soort_baan, sector, grootteklasse (of the last pay period with pay), contractsoort_start,
-- uren_per_week_start DOUBLE, uren_per_week DOUBLE, uurloon DOUBLE (nominal),
-- duur_dagen INTEGER (einddatum - startdatum + 1; NULL when running),
-- jobcoach (`extern` | `intern` | `geen`), jobcoach_koppeling (`werkgever` | `inlener` | NULL),
-- jobcoach_organisatie_id (organisation of the linked extern period, NULL otherwise).
-- grain: baan_id
-- not_null: baan_id, persoon_id, werkgever_id, startdatum, einde_bron, n_ikv, eerste_ikv_id, laatste_ikv_id, contractsoort, soort_baan, sector, grootteklasse, contractsoort_start, jobcoach
-- ongecomprimeerd: baan_id, persoon_id, eerste_ikv_id, laatste_ikv_id
CREATE OR REPLACE TABLE banen AS
SELECT b.baan_id, b.persoon_id, b.werkgever_id, b.startdatum, b.einddatum, b.einde_bron,
       b.n_ikv, b.eerste_ikv_id, b.laatste_ikv_id,
       b.contractsoort, b.soort_baan, b.sector, b.grootteklasse, b.contractsoort_start,
       b.uren_per_week_start, b.uren_per_week, b.uurloon, b.duur_dagen,
       coalesce(j.jobcoach, 'geen') AS jobcoach, j.jobcoach_koppeling, j.jobcoach_organisatie_id
FROM int_banen b LEFT JOIN int_baan_jobcoach j USING (baan_id)
ORDER BY b.baan_id;
