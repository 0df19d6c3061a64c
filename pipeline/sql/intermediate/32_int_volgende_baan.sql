-- D4 / D5: time to the next job for each job ending at E.
-- D4: T = min over the person's other banen whose end is after E (or open) of max(0, start - E);
--     a job already running alongside gives T = 0. Event when E + T <= censuurdatum, else
--     censored at censuurdatum (peildatum, death or pension).
-- censor_reden (peildatum | overlijden | pensioen) is NULL when the D4 event occurs.
-- D5: the same, with the start of a Sonar proefplaatsing (running after E) as an event too.
--     Running after E: started on or after E, or ended after E. Without an end date
--     (d5.proefplaatsingZonderEinde): 'zoals_dienst' — running only while resultaat is `lopend`
--     or empty, as D6 reads a service (one with a final resultaat ended on an unknown date);
--     'lopend' — always; either way at most d5.proefplaatsingMaxMaanden months from its start.
-- grain: baan_id
-- not_null: baan_id, dagen_tot_volgende_baan, volgende_baan, dagen_tot_volgende_baan_pp, volgende_baan_pp, censuurdatum
-- ongecomprimeerd: baan_id
CREATE OR REPLACE TABLE int_volgende_baan AS
WITH baan AS (
    SELECT e.baan_id, min(greatest(0, date_diff('day', e.einddatum, b.startdatum))) AS t
    FROM int_baaneindes e
    JOIN int_banen b ON b.persoon_id = e.persoon_id AND b.baan_id <> e.baan_id
     AND (b.einddatum IS NULL OR b.einddatum > e.einddatum)
    GROUP BY e.baan_id
), pp AS (
    SELECT e.baan_id, min(greatest(0, date_diff('day', e.einddatum, s.startdatum))) AS t
    FROM int_baaneindes e
    JOIN stg_sonar s ON s.persoon_id = e.persoon_id AND s.dienst = 'proefplaatsing'
     AND (s.startdatum >= e.einddatum OR s.einddatum > e.einddatum
          OR (s.einddatum IS NULL
              AND ({{ d5.proefplaatsingZonderEinde }} = 'lopend' OR coalesce(s.resultaat, 'lopend') = 'lopend')
              AND e.einddatum < s.startdatum + to_months({{ d5.proefplaatsingMaxMaanden }})))
    GROUP BY e.baan_id
), x AS (
    SELECT e.baan_id, e.einddatum, c.censuurdatum, c.censor_reden,
           greatest(0, date_diff('day', e.einddatum, c.censuurdatum)) AS t_c,
           baan.t AS t_baan, least(baan.t, pp.t) AS t_pp
    FROM int_baaneindes e JOIN int_censuur c USING (baan_id)
    LEFT JOIN baan USING (baan_id) LEFT JOIN pp USING (baan_id)
)
SELECT baan_id,
       (CASE WHEN t_baan <= t_c THEN t_baan ELSE t_c END)::INTEGER AS dagen_tot_volgende_baan,
       (CASE WHEN t_baan <= t_c THEN 1 ELSE 0 END)::INTEGER AS volgende_baan,
       (CASE WHEN t_pp <= t_c THEN t_pp ELSE t_c END)::INTEGER AS dagen_tot_volgende_baan_pp,
       (CASE WHEN t_pp <= t_c THEN 1 ELSE 0 END)::INTEGER AS volgende_baan_pp,
       t_baan AS dagen_tot_baan_ongecensureerd,
       censuurdatum,
       CASE WHEN t_baan <= t_c THEN NULL ELSE censor_reden END AS censor_reden
FROM x;
