-- D6: re-integration uptake for job endings with E in [d6.vensterStart, d6.vensterEinde].
-- Event: start of a Sonar service other than proefplaatsing.
-- * A service that started before E and was still running at E: time 0, reintegratie = 1,
--   reintegratie_voor_einde = TRUE. Running at E = einddatum >= E, or einddatum empty while
--   resultaat is `lopend` (or empty). Sonar often leaves einddatum empty on services that did
--   end (resultaat plaatsing / geen_plaatsing / voortijdig_beeindigd): those ended on an
--   unknown date and are not taken as running at a later job end.
-- * Otherwise the first service starting on or after E at time start - E (reintegratie = 1),
--   unless a new job (D4 time) comes strictly first: reintegratie = 2 at the job's time
--   (competing event; the report's KM censors there). Same day: the service counts.
-- * Otherwise censored (0) at the censoring date (peildatum, death or pension).
-- reintegratie_dagen_voor_einde: for a service counted as running at E, the days from its start
-- to E (> 0); NULL otherwise (figure 3.7 counts those started within a month before the end).
-- The first service counted: its type and whether its aanbieder_id equals the organisation
-- of the linked extern jobcoach (NULL unless jobcoach = extern and a service counted).
-- grain: baan_id
-- not_null: baan_id, dagen_tot_reintegratie, reintegratie, reintegratie_voor_einde
-- ongecomprimeerd: baan_id
CREATE OR REPLACE TABLE int_reintegratie AS
WITH e AS (
    SELECT e.baan_id, e.persoon_id, e.einddatum, v.dagen_tot_baan_ongecensureerd AS t_baan,
           greatest(0, date_diff('day', e.einddatum, c.censuurdatum)) AS t_c
    FROM int_baaneindes e JOIN int_volgende_baan v USING (baan_id) JOIN int_censuur c USING (baan_id)
    WHERE e.einddatum BETWEEN {{ d6.vensterStart }} AND {{ d6.vensterEinde }}
), d AS (
    SELECT e.baan_id, s.dienst_id, s.dienst, s.aanbieder_id,
           s.startdatum < e.einddatum AS voor_einde,
           date_diff('day', s.startdatum, e.einddatum) AS dagen_voor_einde,
           greatest(0, date_diff('day', e.einddatum, s.startdatum)) AS t
    FROM e JOIN stg_sonar s ON s.persoon_id = e.persoon_id AND s.dienst <> 'proefplaatsing'
     AND (s.startdatum >= e.einddatum OR s.einddatum >= e.einddatum
          OR (s.einddatum IS NULL AND coalesce(s.resultaat, 'lopend') = 'lopend'))
    QUALIFY row_number() OVER (PARTITION BY e.baan_id ORDER BY s.startdatum, s.dienst_id) = 1
), x AS (
    SELECT e.baan_id, e.t_baan, e.t_c, d.dienst_id, d.dienst, d.aanbieder_id, d.voor_einde, d.dagen_voor_einde, d.t AS t_dienst,
           CASE WHEN d.t IS NOT NULL AND d.t <= e.t_c AND (e.t_baan IS NULL OR d.t <= e.t_baan) THEN 1
                WHEN e.t_baan IS NOT NULL AND e.t_baan <= e.t_c THEN 2
                ELSE 0 END AS reintegratie
    FROM e LEFT JOIN d USING (baan_id)
)
SELECT x.baan_id,
       (CASE reintegratie WHEN 1 THEN t_dienst WHEN 2 THEN t_baan ELSE t_c END)::INTEGER AS dagen_tot_reintegratie,
       reintegratie::INTEGER AS reintegratie,
       reintegratie = 1 AND voor_einde AS reintegratie_voor_einde,
       (CASE WHEN reintegratie = 1 AND voor_einde THEN dagen_voor_einde END)::INTEGER AS reintegratie_dagen_voor_einde,
       CASE WHEN reintegratie = 1 THEN dienst END AS reintegratie_dienst,
       CASE WHEN reintegratie = 1 THEN dienst_id END AS reintegratie_dienst_id,
       CASE WHEN reintegratie = 1 THEN aanbieder_id END AS reintegratie_aanbieder_id,
       CASE WHEN reintegratie = 1 AND j.jobcoach = 'extern'
            THEN coalesce(aanbieder_id = j.jobcoach_organisatie_id, FALSE) END AS reintegratie_eigen_organisatie
FROM x LEFT JOIN int_baan_jobcoach j USING (baan_id);
