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
), c AS MATERIALIZED (
    -- the cohort: month 0 as a month number (year * 12 + month - 1) and the last month observed,
    -- n (at most d7.maanden): the person's months are 0..n. Everything below is counted in
    -- these month numbers, so an overlap with a calendar month is a range of whole numbers
    SELECT e.persoon_id, e.startdatum_jobcoach, e.soort_jobcoach,
           date_trunc('month', e.startdatum_jobcoach)::DATE AS maand0,
           year(e.startdatum_jobcoach) * 12 + month(e.startdatum_jobcoach) - 1 AS m0,
           least({{ d7.maanden }}, year(o.data_einde_maand) * 12 + month(o.data_einde_maand) - 1
                 - (year(e.startdatum_jobcoach) * 12 + month(e.startdatum_jobcoach) - 1)) AS n
    FROM eerste e CROSS JOIN int_observatie o
    WHERE e.startdatum_jobcoach BETWEEN {{ d7.cohortStart }} AND {{ d7.cohortEinde }}
), spans AS (
    -- what overlaps a calendar month from its start's month to its end's: a baan (soort 1; one
    -- without end runs to month n) and a toegekend jobcoach period (2), in month numbers
    SELECT b.persoon_id, 1 AS soort, year(b.startdatum) * 12 + month(b.startdatum) - 1 - c.m0 AS van,
           coalesce(year(b.einddatum) * 12 + month(b.einddatum) - 1 - c.m0, c.n) AS tot, c.n
    FROM int_banen b JOIN c USING (persoon_id)
    UNION ALL
    SELECT p.persoon_id, 2, year(p.begindatum) * 12 + month(p.begindatum) - 1 - c.m0,
           year(p.einddatum) * 12 + month(p.einddatum) - 1 - c.m0, c.n
    FROM per p JOIN c USING (persoon_id)
), pp AS (
    -- a proefplaatsing overlaps month M (relative to month 0) from its start month on; with an
    -- end up to the end's month, without one within d5.proefplaatsingMaxMaanden of its start
    -- (the months generated hold those; the exact condition follows on the calendar month)
    SELECT persoon_id, maand, 4 AS soort
    FROM (SELECT c.persoon_id, s.startdatum, s.einddatum, s.resultaat,
                 unnest(range(greatest(year(s.startdatum) * 12 + month(s.startdatum) - 1 - c.m0, 0),
                              least(coalesce(year(s.einddatum) * 12 + month(s.einddatum) - 1,
                                             year(s.startdatum) * 12 + month(s.startdatum) - 1 + {{ d5.proefplaatsingMaxMaanden }}) - c.m0,
                                    c.n) + 1))::INTEGER AS maand,
                 (c.maand0 + to_months(maand))::DATE AS kalendermaand
          FROM c JOIN stg_sonar s ON s.persoon_id = c.persoon_id AND s.dienst = 'proefplaatsing')
    WHERE startdatum <= last_day(kalendermaand)
      AND (einddatum >= kalendermaand
           OR (einddatum IS NULL AND kalendermaand < startdatum + to_months({{ d5.proefplaatsingMaxMaanden }})
               AND ({{ d5.proefplaatsingZonderEinde }} = 'lopend' OR coalesce(resultaat, 'lopend') = 'lopend'
                    OR kalendermaand <= startdatum)))
), soorten AS (
    -- per person and month the kinds that overlap it, as bits; a span is expanded to its months
    -- within 0..n (instead of joining every person-month to the spans on date ranges)
    SELECT persoon_id, maand, bit_or(soort) AS soorten
    FROM (SELECT persoon_id, unnest(range(greatest(van, 0), least(tot, n) + 1))::INTEGER AS maand, soort
          FROM spans WHERE van <= n AND tot >= 0
          UNION ALL SELECT * FROM pp)
    GROUP BY ALL
), deels AS (
    -- the last month of an ikv period that ended without registered end (pro-rated to an
    -- unknown day, as in int_banen): its pay counts, its hours are not read as weekly hours
    SELECT DISTINCT ikv_id, laatste_maand AS maand
    FROM int_baan_ikv
    WHERE einde_bron = 'zonder_loon' AND eerste_maand < laatste_maand
), li AS (
    -- the cohort's months with pay, inside its months 0..n
    SELECT i.persoon_id, m.*, (year(m.maand) * 12 + month(m.maand) - 1 - c.m0)::INTEGER AS mnr, d.ikv_id IS NOT NULL AS deels
    FROM int_ikv_maanden m
    JOIN int_ikv i USING (ikv_id)
    JOIN c ON c.persoon_id = i.persoon_id
    LEFT JOIN deels d ON d.ikv_id = m.ikv_id AND d.maand = m.maand
    WHERE m.maand >= c.maand0 AND year(m.maand) * 12 + month(m.maand) - 1 - c.m0 <= c.n
), meer AS (
    -- person-months with pay from more than one ikv: only those need the union of the spans
    SELECT persoon_id, maand FROM li GROUP BY ALL HAVING count(*) > 1
), lid AS (
    SELECT *, max(laatste_dag) FILTER (WHERE NOT deels) OVER (
                  PARTITION BY persoon_id, maand ORDER BY eerste_dag, laatste_dag, ikv_id
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS vorig_dag
    FROM li SEMI JOIN meer USING (persoon_id, maand)
), loon AS (
    -- per person and month; weekly hours = hours * 7 / days employed (union of spans). A month
    -- with pay from one ikv is that row alone: the same expressions without the sums (the casts
    -- follow the sums' result types, so values are bit-identical)
    SELECT persoon_id, mnr,
           loon_sv::DECIMAL(18, 6)::DECIMAL(38, 6)::DOUBLE AS loon_sv,
           uren::DECIMAL(18, 6)::DECIMAL(38, 6)::DOUBLE AS uren,
           CASE WHEN NOT deels THEN uren::DECIMAL(18, 6)::DECIMAL(38, 6)::DOUBLE * 7.0
             / greatest(0, date_diff('day', eerste_dag, laatste_dag) + 1)::HUGEINT END AS uren_per_week,
           contractsoort = 'onbepaald' AS onbepaald
    FROM li ANTI JOIN meer USING (persoon_id, maand)
    UNION ALL
    SELECT persoon_id, any_value(mnr),
           sum(loon_sv::DECIMAL(18, 6))::DOUBLE AS loon_sv,
           sum(uren::DECIMAL(18, 6))::DOUBLE AS uren,
           sum(uren::DECIMAL(18, 6)) FILTER (WHERE NOT deels)::DOUBLE * 7.0
             / sum(greatest(0, date_diff('day', greatest(eerste_dag, coalesce(vorig_dag + 1, eerste_dag)), laatste_dag) + 1))
                 FILTER (WHERE NOT deels) AS uren_per_week,
           bool_or(contractsoort = 'onbepaald') AS onbepaald
    FROM lid
    GROUP BY persoon_id, maand
), eerste_loon AS (
    -- the first month with pay from month 0 on (sinds_eerste_baan)
    SELECT persoon_id, min(mnr) AS eerste_loon FROM loon GROUP BY persoon_id
), pmo AS (
    SELECT persoon_id, startdatum_jobcoach, soort_jobcoach, maand0, unnest(range(0, n + 1))::INTEGER AS maand
    FROM c WHERE n >= 0
), x AS (
    SELECT pmo.persoon_id, pmo.maand, (pmo.maand0 + to_months(pmo.maand))::DATE AS kalendermaand,
           pmo.startdatum_jobcoach, pmo.soort_jobcoach, pers.groep,
           CASE WHEN s.soorten & 4 <> 0 THEN 'proefplaatsing'
                WHEN s.soorten & 3 = 3 THEN 'werk_met_jobcoach'
                WHEN s.soorten & 1 <> 0 THEN 'werk_zonder_jobcoach'
                ELSE 'geen_werk' END AS status,
           coalesce(s.soorten & 1 <> 0, false) AS werkt,
           round(loon.uren_per_week, 9) AS uren_per_week,
           round(loon.loon_sv / nullif(loon.uren, 0) / (cpi.cpi_2015_100 / 100.0), 9) AS uurloon_reeel,
           loon.onbepaald,
           el.eerste_loon
    FROM pmo
    LEFT JOIN soorten s ON s.persoon_id = pmo.persoon_id AND s.maand = pmo.maand
    LEFT JOIN loon ON loon.persoon_id = pmo.persoon_id AND loon.mnr = pmo.maand
    LEFT JOIN eerste_loon el ON el.persoon_id = pmo.persoon_id
    LEFT JOIN personen pers ON pers.persoon_id = pmo.persoon_id
    LEFT JOIN int_ref_cpi cpi ON cpi.jaar = year((pmo.maand0 + to_months(pmo.maand))::DATE)
)
SELECT persoon_id, maand, kalendermaand, startdatum_jobcoach,
       year(startdatum_jobcoach)::INTEGER AS cohortjaar, groep, soort_jobcoach, status, werkt,
       uren_per_week, uurloon_reeel, onbepaald,
       CASE WHEN maand >= eerste_loon THEN maand - eerste_loon END::INTEGER AS sinds_eerste_baan
FROM x
ORDER BY persoon_id, maand;
