-- D2: job endings. A baan whose einddatum E lies in [d2.vensterStart, d2.vensterEinde] for a
-- person with a Wajong benefit (oWajong, Wajong2010, Wajong2015; not WGA) running at E
-- (ingangsdatum <= E and einddatum empty or >= E). Excluded: the person has a benefit that
-- ended with reden_einde overlijden or pensioen within d2.overlijdenPensioenMaanden months
-- before or after E (report footnote 37).
-- grain: baan_id
-- not_null: baan_id, persoon_id, einddatum
-- ongecomprimeerd: baan_id, persoon_id
CREATE OR REPLACE TABLE int_baaneindes AS
SELECT b.baan_id, b.persoon_id, b.einddatum
FROM int_banen b
WHERE b.einddatum BETWEEN {{ d2.vensterStart }} AND {{ d2.vensterEinde }}
  AND EXISTS (
      SELECT 1 FROM stg_uitkeringen u
      WHERE u.persoon_id = b.persoon_id
        AND u.regeling IN ('oWajong', 'Wajong2010', 'Wajong2015')
        AND u.ingangsdatum <= b.einddatum
        AND (u.einddatum IS NULL OR u.einddatum >= b.einddatum))
  AND NOT EXISTS (
      SELECT 1 FROM stg_uitkeringen u
      WHERE u.persoon_id = b.persoon_id
        AND u.reden_einde IN ('overlijden', 'pensioen')
        AND u.einddatum BETWEEN (b.einddatum - to_months({{ d2.overlijdenPensioenMaanden }}))::DATE
                            AND (b.einddatum + to_months({{ d2.overlijdenPensioenMaanden }}))::DATE);
