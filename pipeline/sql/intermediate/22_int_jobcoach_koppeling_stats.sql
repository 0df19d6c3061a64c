-- D3 linkage report: how `toegekend` periods and banen were linked.
-- niveau 'perioden': per period the best link (werkgever, inlener, geen);
-- niveau 'banen': per baan with jobcoach extern/intern the link used.
-- grain: niveau, soort, koppeling
-- not_null: niveau, soort, koppeling, aantal, aandeel
CREATE OR REPLACE TABLE int_jobcoach_koppeling_stats AS
WITH per AS (
    SELECT p.toekenning_id, p.soort,
           coalesce(min(k.koppeling), 'geen') AS koppeling  -- 'inlener' < 'werkgever' never co-occur
    FROM stg_jobcoachportaal p LEFT JOIN int_jobcoach_koppeling k USING (toekenning_id)
    WHERE p.status = 'toegekend'
    GROUP BY p.toekenning_id, p.soort
), a AS (
    SELECT 'perioden' AS niveau, soort, koppeling, count(*) AS aantal FROM per GROUP BY ALL
    UNION ALL
    SELECT 'banen', jobcoach, jobcoach_koppeling, count(*) FROM int_baan_jobcoach GROUP BY ALL
)
SELECT niveau, soort, koppeling, aantal::BIGINT AS aantal,
       aantal / sum(aantal) OVER (PARTITION BY niveau) AS aandeel
FROM a ORDER BY niveau, soort, koppeling;
