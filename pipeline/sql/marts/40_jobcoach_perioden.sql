-- Mart jobcoach_perioden: `toegekend` portal periods with the baan they are linked to (D3):
-- the werkgever-linked baan it overlaps most, else the hirer-fallback baan, else NULL.
-- Columns: toekenning_id, persoon_id, werkgever_id, soort, organisatie_id, volgnummer,
-- begindatum, einddatum, regime, toegekende_uren, verantwoorde_uren, baan_id (linked baan,
-- NULL if none), koppeling (`werkgever` | `inlener` | NULL).
-- grain: none (a toekenning_id that occurs twice in the portal extract is loaded and counted as kwaliteit dubbele_sleutel, and appears twice here)
-- not_null: toekenning_id, persoon_id, werkgever_id, soort, volgnummer, begindatum, einddatum, regime, toegekende_uren
-- ongecomprimeerd: toekenning_id, baan_id
CREATE OR REPLACE TABLE jobcoach_perioden AS
WITH k AS (
    SELECT * FROM int_jobcoach_koppeling
    QUALIFY row_number() OVER (PARTITION BY toekenning_id
        ORDER BY CASE koppeling WHEN 'werkgever' THEN 1 ELSE 2 END, overlap_dagen DESC, baan_id DESC) = 1
)
SELECT p.toekenning_id, p.persoon_id, p.werkgever_id, p.soort, p.organisatie_id, p.volgnummer,
       p.begindatum, p.einddatum, p.regime, p.toegekende_uren, p.verantwoorde_uren,
       k.baan_id, k.koppeling
FROM stg_jobcoachportaal p LEFT JOIN k USING (toekenning_id)
WHERE p.status = 'toegekend'
ORDER BY ALL;
