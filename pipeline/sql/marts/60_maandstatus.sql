-- Mart maandstatus (D7): persons whose first `toegekend` jobcoach period (by begindatum; ties:
-- extern first; refused or withdrawn periods never define the cohort) starts in
-- [d7.cohortStart, d7.cohortEinde]; month 0 = the calendar month of that start; months
-- 0..d7.maanden, only while the calendar month lies inside the observed polis data (<= the
-- month of the data end), so late cohorts have fewer months.
-- State (first that applies): proefplaatsing (a Sonar proefplaatsing overlaps the month; one
-- without an end date runs at most d5.proefplaatsingMaxMaanden months, and under
-- d5.proefplaatsingZonderEinde = 'zoals_dienst' only while its resultaat is `lopend` or empty —
-- with a final resultaat it ended on an unknown date and counts in its start month only) >
-- werk_met_jobcoach (works, and a toegekend jobcoach period overlaps the month) >
-- werk_zonder_jobcoach (works: a baan overlaps the month) > geen_werk.
-- Hours per week, wage and contract come from the months with pay of all ikv's in the month;
-- hours per week = the month's hours * 7 / the days employed (union of the employed spans of the
-- pay periods ending in the month, clipped to the registered ikv start and end: see
-- int_ikv_maanden), so a job starting mid-month is not read as part-time; the pro-rated last
-- month of an ikv period ending without registered end is left out of the hours (NULL when it
-- is the month's only pay);
-- uurloon_reeel = sum(loon_sv) / sum(uren) / (CPI of the year / 100), 2015 euro.
-- Columns: persoon_id, maand INTEGER (0..d7.maanden), kalendermaand DATE (first day),
-- startdatum_jobcoach, cohortjaar INTEGER, groep (`Wajong` | `WGA`; NULL for a person not in
-- uitkeringen), soort_jobcoach (`extern` | `intern`, of the first period), status, werkt BOOLEAN
-- (a baan overlaps the month), uren_per_week DOUBLE, uurloon_reeel DOUBLE, onbepaald BOOLEAN
-- (any paid ikv that month has contractsoort `onbepaald`), sinds_eerste_baan INTEGER (months
-- since the first month with pay from month 0 on, NULL before). uren_per_week, uurloon_reeel
-- and onbepaald are NULL in a month without pay (also inside a baan).
-- grain: persoon_id, maand
-- not_null: persoon_id, maand, kalendermaand, startdatum_jobcoach, cohortjaar, soort_jobcoach, status, werkt
CREATE OR REPLACE TABLE maandstatus AS
WITH per AS (
    SELECT * FROM stg_jobcoachportaal WHERE status = 'toegekend'
), eerste AS (
    SELECT persoon_id, begindatum AS startdatum_jobcoach, soort AS soort_jobcoach
    FROM per
    QUALIFY row_number() OVER (PARTITION BY persoon_id
        ORDER BY begindatum, CASE soort WHEN 'extern' THEN 1 ELSE 2 END, volgnummer, toekenning_id) = 1
), pm AS (
    SELECT c.persoon_id, c.startdatum_jobcoach, c.soort_jobcoach, r.m::INTEGER AS maand,
           (date_trunc('month', c.startdatum_jobcoach) + to_months(r.m::INTEGER))::DATE AS kalendermaand
    FROM eerste c CROSS JOIN range(0, {{ d7.maanden }} + 1) r(m)
    WHERE c.startdatum_jobcoach BETWEEN {{ d7.cohortStart }} AND {{ d7.cohortEinde }}
), pmo AS (
    SELECT pm.* FROM pm CROSS JOIN int_observatie o WHERE pm.kalendermaand <= o.data_einde_maand
), werk AS (
    SELECT pmo.persoon_id, pmo.maand
    FROM pmo JOIN int_banen b ON b.persoon_id = pmo.persoon_id
     AND b.startdatum <= last_day(pmo.kalendermaand)
     AND (b.einddatum IS NULL OR b.einddatum >= pmo.kalendermaand)
    GROUP BY ALL
), deels AS (
    -- the last month of an ikv period that ended without registered end (pro-rated to an
    -- unknown day, as in int_banen): its pay counts, its hours are not read as weekly hours
    SELECT DISTINCT ikv_id, laatste_maand AS maand
    FROM int_baan_ikv
    WHERE einde_bron = 'zonder_loon' AND eerste_maand < laatste_maand
), li AS (
    -- months with pay of the cohort's ikv's
    SELECT i.persoon_id, m.*, d.ikv_id IS NOT NULL AS deels
    FROM int_ikv_maanden m
    JOIN int_ikv i USING (ikv_id)
    JOIN (SELECT DISTINCT persoon_id FROM pmo) c ON c.persoon_id = i.persoon_id
    LEFT JOIN deels d ON d.ikv_id = m.ikv_id AND d.maand = m.maand
), meer AS (
    -- person-months with pay from more than one ikv: only those need the union of the spans
    SELECT persoon_id, maand FROM li GROUP BY ALL HAVING count(*) > 1
), lid AS (
    SELECT *, max(laatste_dag) FILTER (WHERE NOT deels) OVER (
                  PARTITION BY persoon_id, maand ORDER BY eerste_dag, laatste_dag, ikv_id
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS vorig_dag
    FROM li SEMI JOIN meer USING (persoon_id, maand)
), loon AS (
    -- per person and calendar month; weekly hours = hours * 7 / days employed (union of spans).
    -- A month with pay from one ikv is that row alone: the same expressions without the sums
    -- (the casts follow the sums' result types, so values are bit-identical)
    SELECT persoon_id, maand AS kalendermaand,
           loon_sv::DECIMAL(18, 6)::DECIMAL(38, 6)::DOUBLE AS loon_sv,
           uren::DECIMAL(18, 6)::DECIMAL(38, 6)::DOUBLE AS uren,
           CASE WHEN NOT deels THEN uren::DECIMAL(18, 6)::DECIMAL(38, 6)::DOUBLE * 7.0
             / greatest(0, date_diff('day', eerste_dag, laatste_dag) + 1)::HUGEINT END AS uren_per_week,
           contractsoort = 'onbepaald' AS onbepaald
    FROM li ANTI JOIN meer USING (persoon_id, maand)
    UNION ALL
    SELECT persoon_id, maand AS kalendermaand,
           sum(loon_sv::DECIMAL(18, 6))::DOUBLE AS loon_sv,
           sum(uren::DECIMAL(18, 6))::DOUBLE AS uren,
           sum(uren::DECIMAL(18, 6)) FILTER (WHERE NOT deels)::DOUBLE * 7.0
             / sum(greatest(0, date_diff('day', greatest(eerste_dag, coalesce(vorig_dag + 1, eerste_dag)), laatste_dag) + 1))
                 FILTER (WHERE NOT deels) AS uren_per_week,
           bool_or(contractsoort = 'onbepaald') AS onbepaald
    FROM lid
    GROUP BY ALL
), jc AS (
    SELECT pmo.persoon_id, pmo.maand
    FROM pmo JOIN per p ON p.persoon_id = pmo.persoon_id
     AND p.begindatum <= last_day(pmo.kalendermaand) AND p.einddatum >= pmo.kalendermaand
    GROUP BY ALL
), pp AS (
    SELECT pmo.persoon_id, pmo.maand
    FROM pmo JOIN stg_sonar s ON s.persoon_id = pmo.persoon_id AND s.dienst = 'proefplaatsing'
     AND s.startdatum <= last_day(pmo.kalendermaand)
     AND (s.einddatum >= pmo.kalendermaand
          OR (s.einddatum IS NULL AND pmo.kalendermaand < s.startdatum + to_months({{ d5.proefplaatsingMaxMaanden }})
              AND ({{ d5.proefplaatsingZonderEinde }} = 'lopend' OR coalesce(s.resultaat, 'lopend') = 'lopend'
                   OR pmo.kalendermaand <= s.startdatum)))
    GROUP BY ALL
), x AS (
    SELECT pmo.*, pers.groep,
           CASE WHEN pp.persoon_id IS NOT NULL THEN 'proefplaatsing'
                WHEN werk.persoon_id IS NOT NULL AND jc.persoon_id IS NOT NULL THEN 'werk_met_jobcoach'
                WHEN werk.persoon_id IS NOT NULL THEN 'werk_zonder_jobcoach'
                ELSE 'geen_werk' END AS status,
           werk.persoon_id IS NOT NULL AS werkt,
           round(loon.uren_per_week, 9) AS uren_per_week,
           round(loon.loon_sv / nullif(loon.uren, 0) / (cpi.cpi_2015_100 / 100.0), 9) AS uurloon_reeel,
           loon.onbepaald,
           loon.persoon_id IS NOT NULL AS heeft_loon
    FROM pmo
    LEFT JOIN werk ON werk.persoon_id = pmo.persoon_id AND werk.maand = pmo.maand
    LEFT JOIN loon ON loon.persoon_id = pmo.persoon_id AND loon.kalendermaand = pmo.kalendermaand
    LEFT JOIN jc ON jc.persoon_id = pmo.persoon_id AND jc.maand = pmo.maand
    LEFT JOIN pp ON pp.persoon_id = pmo.persoon_id AND pp.maand = pmo.maand
    LEFT JOIN personen pers ON pers.persoon_id = pmo.persoon_id
    LEFT JOIN int_ref_cpi cpi ON cpi.jaar = year(pmo.kalendermaand)
)
SELECT persoon_id, maand, kalendermaand, startdatum_jobcoach,
       year(startdatum_jobcoach)::INTEGER AS cohortjaar, groep, soort_jobcoach, status, werkt,
       uren_per_week, uurloon_reeel, onbepaald,
       CASE WHEN maand >= eerste_loon THEN maand - eerste_loon END::INTEGER AS sinds_eerste_baan
FROM (SELECT *, min(CASE WHEN heeft_loon THEN maand END) OVER (PARTITION BY persoon_id) AS eerste_loon FROM x)
ORDER BY persoon_id, maand;
