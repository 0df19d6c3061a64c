-- D3 step 1: candidate links between `toegekend` jobcoach periods and banen.
-- * koppeling 'werkgever': same person, same werkgever_id, period overlaps the baan.
-- * koppeling 'inlener' (d3.inleenFallback): the period's werkgever_id is not the employer of
--   any baan of the person nor of a proefplaatsing of the person (coaching during an unpaid
--   trial placement belongs to no baan), so it is registered under a hirer; it is
--   linked to the person's baan it overlaps most in time (ties: the later-starting baan).
-- Refused (afgewezen) and withdrawn (ingetrokken) periods are ignored.
-- grain: none (a toekenning_id that occurs twice in the portal extract is loaded and counted as kwaliteit dubbele_sleutel; each copy is linked, so (toekenning_id, baan_id) is unique only without such duplicates)
-- not_null: toekenning_id, baan_id, koppeling, overlap_dagen
-- ongecomprimeerd: toekenning_id, baan_id
CREATE OR REPLACE TABLE int_jobcoach_koppeling AS
WITH per AS (
    SELECT * FROM stg_jobcoachportaal WHERE status = 'toegekend'
), wg AS (
    SELECT p.toekenning_id, b.baan_id, 'werkgever' AS koppeling,
           date_diff('day', greatest(p.begindatum, b.startdatum),
                     least(p.einddatum, coalesce(b.einddatum, DATE '9999-12-31'))) + 1 AS overlap_dagen
    FROM per p JOIN int_banen b
      ON b.persoon_id = p.persoon_id AND b.werkgever_id = p.werkgever_id
     AND p.begindatum <= coalesce(b.einddatum, DATE '9999-12-31') AND p.einddatum >= b.startdatum
), inl AS (
    SELECT p.toekenning_id, b.baan_id, 'inlener' AS koppeling,
           date_diff('day', greatest(p.begindatum, b.startdatum),
                     least(p.einddatum, coalesce(b.einddatum, DATE '9999-12-31'))) + 1 AS overlap_dagen,
           b.startdatum AS baan_start
    FROM per p JOIN int_banen b
      ON b.persoon_id = p.persoon_id AND b.werkgever_id <> p.werkgever_id
     AND p.begindatum <= coalesce(b.einddatum, DATE '9999-12-31') AND p.einddatum >= b.startdatum
    WHERE {{ d3.inleenFallback }}
      AND NOT EXISTS (SELECT 1 FROM int_banen b2
                      WHERE b2.persoon_id = p.persoon_id AND b2.werkgever_id = p.werkgever_id)
      AND NOT EXISTS (SELECT 1 FROM stg_sonar s
                      WHERE s.persoon_id = p.persoon_id AND s.dienst = 'proefplaatsing'
                        AND s.werkgever_id = p.werkgever_id)
    QUALIFY row_number() OVER (PARTITION BY p.toekenning_id ORDER BY overlap_dagen DESC, b.startdatum DESC, b.baan_id) = 1
)
SELECT toekenning_id, baan_id, koppeling, overlap_dagen::INTEGER AS overlap_dagen FROM wg
UNION ALL
SELECT toekenning_id, baan_id, koppeling, overlap_dagen::INTEGER FROM inl;
