-- Mart diensten: Sonar re-integration services and proefplaatsingen.
-- Columns: dienst_id, persoon_id, dienst, aanbieder_id, werkgever_id, startdatum, einddatum,
-- resultaat, is_proefplaatsing BOOLEAN.
-- grain: none (a dienst_id that occurs twice in the Sonar extract is loaded and counted as kwaliteit dubbele_sleutel, and appears twice here)
-- not_null: dienst_id, persoon_id, dienst, startdatum, resultaat, is_proefplaatsing
-- ongecomprimeerd: dienst_id, persoon_id
CREATE OR REPLACE TABLE diensten AS
SELECT dienst_id, persoon_id, dienst, aanbieder_id, werkgever_id, startdatum, einddatum, resultaat,
       dienst = 'proefplaatsing' AS is_proefplaatsing
FROM stg_sonar
ORDER BY ALL;
