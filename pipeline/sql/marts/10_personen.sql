-- Mart personen: one row per person in uitkeringen. Spell attributes come from the person's
-- latest Wajong spell (Wajong regimes before WGA when both), else the latest WGA spell.
-- Columns: persoon_id, geslacht, geboortedatum, geboortejaar INTEGER, opleidingsniveau,
-- diagnosegroep, regeling (of that spell), groep (`Wajong` | `WGA`), arbeidsvermogen, regio,
-- uitkering_start (first ingangsdatum), uitkering_einde (last einddatum, NULL while a spell
-- runs), reden_einde (of that last end), n_banen INTEGER (all banen), n_baaneindes INTEGER
-- (D2 endings in the window), baan_in_venster BOOLEAN (>= 1 baan overlapping the D2 window
-- while on Wajong).
-- grain: persoon_id
-- not_null: persoon_id, geslacht, geboortedatum, geboortejaar, opleidingsniveau, diagnosegroep, regeling, groep, arbeidsvermogen, regio, uitkering_start, n_banen, n_baaneindes, baan_in_venster
-- ongecomprimeerd: persoon_id
CREATE OR REPLACE TABLE personen AS
WITH u AS (
    SELECT *, regeling <> 'WGA' AS is_wajong FROM stg_uitkeringen
), laatst AS (
    SELECT * FROM u
    QUALIFY row_number() OVER (PARTITION BY persoon_id
        ORDER BY is_wajong DESC, ingangsdatum DESC, coalesce(einddatum, DATE '9999-12-31') DESC, bron_regel DESC) = 1
), agg AS (
    SELECT persoon_id, min(ingangsdatum) AS uitkering_start,
           CASE WHEN bool_or(einddatum IS NULL) THEN NULL ELSE max(einddatum) END AS uitkering_einde,
           CASE WHEN bool_or(einddatum IS NULL) THEN NULL ELSE arg_max(reden_einde, (einddatum, ingangsdatum, regeling)) END AS reden_einde
    FROM u GROUP BY persoon_id
), nb AS (
    SELECT persoon_id, count(*)::INTEGER AS n_banen FROM int_banen GROUP BY persoon_id
), ne AS (
    SELECT persoon_id, count(*)::INTEGER AS n_baaneindes FROM int_baaneindes GROUP BY persoon_id
), iv AS (
    SELECT DISTINCT b.persoon_id
    FROM int_banen b JOIN u ON u.persoon_id = b.persoon_id AND u.is_wajong
    WHERE greatest(b.startdatum, u.ingangsdatum, {{ d2.vensterStart }})
       <= least(coalesce(b.einddatum, DATE '9999-12-31'), coalesce(u.einddatum, DATE '9999-12-31'), {{ d2.vensterEinde }})
)
SELECT l.persoon_id, l.geslacht, l.geboortedatum, year(l.geboortedatum)::INTEGER AS geboortejaar,
       l.opleidingsniveau, l.diagnosegroep, l.regeling,
       CASE WHEN l.is_wajong THEN 'Wajong' ELSE 'WGA' END AS groep,
       l.arbeidsvermogen, l.regio, a.uitkering_start, a.uitkering_einde, a.reden_einde,
       coalesce(nb.n_banen, 0) AS n_banen, coalesce(ne.n_baaneindes, 0) AS n_baaneindes,
       iv.persoon_id IS NOT NULL AS baan_in_venster
FROM laatst l JOIN agg a USING (persoon_id)
LEFT JOIN nb USING (persoon_id) LEFT JOIN ne USING (persoon_id) LEFT JOIN iv USING (persoon_id)
ORDER BY l.persoon_id;
