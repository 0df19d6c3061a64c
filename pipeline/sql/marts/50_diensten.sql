-- Mart diensten: Sonar re-integration services and proefplaatsingen.
CREATE OR REPLACE TABLE diensten AS
SELECT dienst_id, persoon_id, dienst, aanbieder_id, werkgever_id, startdatum, einddatum, resultaat,
       dienst = 'proefplaatsing' AS is_proefplaatsing
FROM stg_sonar
ORDER BY dienst_id;
