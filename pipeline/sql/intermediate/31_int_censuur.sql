-- Censoring date per job ending (D4-D6): the earliest of d4.peildatum and the end of a benefit
-- of the person with reden_einde overlijden or pensioen on or after E.
-- grain: baan_id
-- not_null: baan_id, censuurdatum, censor_reden
-- ongecomprimeerd: baan_id
CREATE OR REPLACE TABLE int_censuur AS
WITH u AS (
    SELECT e.baan_id, min(u.einddatum) AS datum, arg_min(u.reden_einde, (u.einddatum, u.reden_einde)) AS reden
    FROM int_baaneindes e
    JOIN stg_uitkeringen u ON u.persoon_id = e.persoon_id
     AND u.reden_einde IN ('overlijden', 'pensioen') AND u.einddatum >= e.einddatum
    GROUP BY e.baan_id
)
SELECT e.baan_id,
       CASE WHEN u.datum IS NOT NULL AND u.datum <= {{ d4.peildatum }} THEN u.datum
            ELSE {{ d4.peildatum }} END AS censuurdatum,
       CASE WHEN u.datum IS NOT NULL AND u.datum <= {{ d4.peildatum }} THEN u.reden
            ELSE 'peildatum' END AS censor_reden
FROM int_baaneindes e LEFT JOIN u USING (baan_id);
