-- D3 step 2: jobcoach category per baan (only banen with a linked period; others are 'geen').
-- Periods linked by werkgever take precedence over periods linked via the hirer fallback.
-- When extern and intern periods both overlap, the one active last counts: the latest
-- min(period end, baan end); ties: the later period start, then extern.
-- organisatie_id is that of the chosen period (NULL for intern).
-- Readings (parameters): d3.zichtbaarVanaf drops periods that ended before that date (the
-- report saw coaching only from 2015-01-01); d3.betrokkenBijEindeDagen keeps only periods still
-- running at most that many days before the baan ended (the report's "no longer involved at the
-- end" is geen). Both NULL (default): any linked period that overlaps the baan counts.
-- grain: baan_id
-- not_null: baan_id, jobcoach, jobcoach_koppeling, jobcoach_toekenning_id
-- ongecomprimeerd: baan_id, jobcoach_toekenning_id
CREATE OR REPLACE TABLE int_baan_jobcoach AS
WITH k AS (
    SELECT k.baan_id, k.koppeling, p.toekenning_id, p.soort, p.organisatie_id, p.begindatum,
           least(p.einddatum, coalesce(b.einddatum, DATE '9999-12-31')) AS actief_tot
    FROM int_jobcoach_koppeling k
    JOIN stg_jobcoachportaal p USING (toekenning_id)
    JOIN int_banen b USING (baan_id)
    WHERE ({{ d3.zichtbaarVanaf }} IS NULL OR coalesce(p.einddatum, DATE '9999-12-31') >= {{ d3.zichtbaarVanaf }})
      AND ({{ d3.betrokkenBijEindeDagen }} IS NULL OR b.einddatum IS NULL
           OR least(coalesce(p.einddatum, b.einddatum), b.einddatum) >= b.einddatum - CAST({{ d3.betrokkenBijEindeDagen }} AS INTEGER))
)
SELECT baan_id, soort AS jobcoach, koppeling AS jobcoach_koppeling,
       CASE WHEN soort = 'extern' THEN organisatie_id END AS jobcoach_organisatie_id,
       toekenning_id AS jobcoach_toekenning_id
FROM k
QUALIFY row_number() OVER (
    PARTITION BY baan_id
    ORDER BY CASE koppeling WHEN 'werkgever' THEN 1 ELSE 2 END,
             actief_tot DESC, begindatum DESC, CASE soort WHEN 'extern' THEN 1 ELSE 2 END, toekenning_id) = 1;
