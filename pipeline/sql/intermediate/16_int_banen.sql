-- D1 result: one row per baan. einddatum NULL = running at data end (right-censored).
-- The end and einde_bron are those of the period that ends last, where a running period
-- counts as ending at the end of its last month with pay: an ikv that stopped being paid and
-- was renewed (new ikv at the same employer within 31 days) does not keep the baan running. Job traits from the months with pay:
-- contractsoort etc. of the last paid period, contractsoort_start of the first;
-- weekly hours of a month with pay = the baan's hours in the pay periods ending in that month
-- (summed over its ikv's) * 7 / the days employed in those periods (union of the ikv's employed
-- spans, periods clipped to the registered ikv start and end; see int_ikv_maanden), so a job
-- starting or ending mid-month is not counted as a small job. The last month with pay of an
-- ikv period that ended without registered end (einde_bron 'zonder_loon': the baan's end, a
-- renewal, an interruption) is pro-rated to an unknown day and is left out (unless the period
-- has only that month).
-- uren_per_week = mean of the monthly weekly hours over the baan's months with pay;
-- uren_per_week_start = the same over the first 3 calendar months from the first month with
-- pay; uurloon = sum(loon_sv) / sum(uren), nominal.
-- grain: baan_id
-- not_null: baan_id, persoon_id, werkgever_id, startdatum, einde_bron, n_ikv, eerste_ikv_id, laatste_ikv_id, contractsoort, soort_baan, sector, grootteklasse, contractsoort_start, eerste_maand_loon, laatste_maand_loon, n_maanden_loon
-- ongecomprimeerd: baan_id, persoon_id, eerste_ikv_id, laatste_ikv_id
CREATE OR REPLACE TABLE int_banen AS
WITH k AS (
    -- the period that ends last decides the baan's end; a running period (no end known) counts
    -- as ending in its last month with pay, so a renewal that supersedes it decides instead.
    -- Taken by one arg_max over the periods' ordering key (periode_nr last: the key is unique)
    SELECT baan_id, any_value(persoon_id) AS persoon_id, any_value(werkgever_id) AS werkgever_id,
           min(startdatum) AS startdatum,
           arg_max({'einddatum': einddatum, 'einde_bron': einde_bron, 'ikv_id': ikv_id},
                   (coalesce(einddatum, last_day(laatste_maand)), einddatum IS NULL, startdatum, ikv_id, periode_nr)) AS l,
           count(DISTINCT ikv_id)::INTEGER AS n_ikv,
           arg_min(ikv_id, (startdatum, ikv_id)) AS eerste_ikv_id,
           min(eerste_maand) AS eerste_maand_loon, max(laatste_maand) AS laatste_maand_loon
    FROM int_baan_ikv
    GROUP BY baan_id
), bi AS (
    -- overlapt: the period shares a calendar month with another period of the baan (renewals
    -- that overlap, concurrent ikv's). Only those months can hold more than one ikv-month.
    -- startgrens: the first day after the baan's first 3 calendar months with pay (a DATE, so
    -- the filter below compares dates instead of timestamps on every month).
    -- pro_rata_maand: the last month of an ikv period that ended without registered end
    -- (einde_bron 'zonder_loon': the baan's end, or an ikv renewed or interrupted), whose pay is
    -- pro-rated to an unknown day, so it is not used for hours -- unless the period has only
    -- that month
    SELECT *, (min(eerste_maand) OVER (PARTITION BY baan_id) + INTERVAL 3 MONTH)::DATE AS startgrens,
           CASE WHEN einde_bron = 'zonder_loon' AND eerste_maand < laatste_maand THEN laatste_maand END AS pro_rata_maand,
           coalesce(max(laatste_maand) OVER v >= eerste_maand, false)
             OR coalesce(min(eerste_maand) OVER n <= laatste_maand, false) AS overlapt
    FROM int_baan_ikv
    WINDOW v AS (PARTITION BY baan_id ORDER BY eerste_maand, laatste_maand, ikv_id, periode_nr
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
           n AS (PARTITION BY baan_id ORDER BY eerste_maand, laatste_maand, ikv_id, periode_nr
                 ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
), bm AS (
    -- the baan's ikv-months with pay; voor_uren = used for hours (not its period's pro_rata_maand)
    SELECT bi.baan_id, bi.startgrens, bi.overlapt, m.ikv_id, m.maand, m.uren, m.loon_sv,
           m.eerste_dag, m.laatste_dag, m.contractsoort, m.soort_baan, m.sector, m.grootteklasse, m.eerste_tijdvak_aanvang, m.laatste_tijdvak_einde,
           m.maand IS DISTINCT FROM bi.pro_rata_maand AS voor_uren
    FROM bi JOIN int_ikv_maanden m ON m.ikv_id = bi.ikv_id AND m.maand BETWEEN bi.eerste_maand AND bi.laatste_maand
), m AS (
    -- one pass over the baan's ikv-months. The job traits of the baan's last paid pay period:
    -- its last ikv-month's (the latest end, then the highest ikv_id), which int_ikv_maanden took
    -- from that month's last period. A month of a period that overlaps no other is that
    -- ikv-month alone: its weekly hours are summed here (casts follow the sums' result types:
    -- bit-identical); the months of overlapping periods are summed in `o`
    SELECT baan_id,
           arg_max({'contractsoort': contractsoort, 'soort_baan': soort_baan, 'sector': sector, 'grootteklasse': grootteklasse},
                   (laatste_tijdvak_einde, ikv_id)) AS t,
           arg_min(contractsoort, (eerste_tijdvak_aanvang, ikv_id)) AS contractsoort_start,
           sum(loon_sv::DECIMAL(18, 6))::DOUBLE / nullif(sum(uren::DECIMAL(18, 6))::DOUBLE, 0) AS uurloon,
           count(*) FILTER (WHERE NOT overlapt) AS n_los,
           sum(w) FILTER (WHERE los) AS w_som, count(*) FILTER (WHERE los) AS w_n,
           sum(w) FILTER (WHERE los AND maand < startgrens) AS w_som_start, count(*) FILTER (WHERE los AND maand < startgrens) AS w_n_start
    FROM (SELECT *, voor_uren AND NOT overlapt AS los,
                 (uren::DECIMAL(18, 6)::DECIMAL(38, 6)::DOUBLE * 7.0
                   / greatest(0, date_diff('day', eerste_dag, laatste_dag) + 1)::HUGEINT)::DECIMAL(18, 9) AS w
          FROM bm)
    GROUP BY baan_id
), bo AS (
    -- the months of periods that overlap another of the baan (a few percent), joined again:
    -- reading bm twice would make DuckDB materialise its 4 M rows (scale 1: 1.34 -> 1.75 s)
    SELECT bi.baan_id, bi.startgrens, m.ikv_id, m.maand, m.uren, m.eerste_dag, m.laatste_dag,
           m.maand IS DISTINCT FROM bi.pro_rata_maand AS voor_uren
    FROM bi JOIN int_ikv_maanden m ON m.ikv_id = bi.ikv_id AND m.maand BETWEEN bi.eerste_maand AND bi.laatste_maand
    WHERE bi.overlapt
), bmd AS (
    SELECT *, max(laatste_dag) OVER (PARTITION BY baan_id, maand ORDER BY eerste_dag, laatste_dag, ikv_id
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS vorig_dag
    FROM bo WHERE voor_uren
), om AS (
    -- per baan and calendar month: hours * 7 / the days employed (union of the ikv's employed spans)
    SELECT baan_id, maand, any_value(startgrens) AS startgrens,
           (sum(uren::DECIMAL(18, 6))::DOUBLE * 7.0
             / sum(greatest(0, date_diff('day', greatest(eerste_dag, coalesce(vorig_dag + 1, eerste_dag)), laatste_dag) + 1)))::DECIMAL(18, 9) AS w
    FROM bmd GROUP BY baan_id, maand
), o AS (
    SELECT baan_id, sum(w) AS w_som, count(*) AS w_n,
           sum(w) FILTER (WHERE maand < startgrens) AS w_som_start, count(*) FILTER (WHERE maand < startgrens) AS w_n_start
    FROM om GROUP BY baan_id
), on_ AS (
    SELECT baan_id, count(DISTINCT maand) AS n_maanden FROM bo GROUP BY baan_id
), u AS (
    -- DECIMAL sums are exact: the result does not depend on the parallel summation order
    SELECT m.baan_id,
           (coalesce(m.w_som, 0) + coalesce(o.w_som, 0))::DOUBLE / nullif(m.w_n + coalesce(o.w_n, 0), 0) AS uren_per_week,
           (coalesce(m.w_som_start, 0) + coalesce(o.w_som_start, 0))::DOUBLE / nullif(m.w_n_start + coalesce(o.w_n_start, 0), 0) AS uren_per_week_start,
           -- months of non-overlapping periods are distinct by construction
           (m.n_los + coalesce(n.n_maanden, 0))::INTEGER AS n_maanden_loon
    FROM m LEFT JOIN o USING (baan_id) LEFT JOIN on_ n USING (baan_id)
)
SELECT k.baan_id, k.persoon_id, k.werkgever_id, k.startdatum, k.l.einddatum AS einddatum, k.l.einde_bron AS einde_bron, k.n_ikv,
       k.eerste_ikv_id, k.l.ikv_id AS laatste_ikv_id,
       -- the codes are ENUMs in staging (pipeline/contract.ts, enumCol); from here on text
       m.t.contractsoort::VARCHAR AS contractsoort, m.t.soort_baan::VARCHAR AS soort_baan, m.t.sector::VARCHAR AS sector,
       m.t.grootteklasse::VARCHAR AS grootteklasse, m.contractsoort_start::VARCHAR AS contractsoort_start,
       round(u.uren_per_week_start, 9) AS uren_per_week_start, round(u.uren_per_week, 9) AS uren_per_week,
       round(m.uurloon, 9) AS uurloon,
       date_diff('day', k.startdatum, k.l.einddatum)::INTEGER + 1 AS duur_dagen,
       k.eerste_maand_loon, k.laatste_maand_loon, u.n_maanden_loon
FROM k JOIN m USING (baan_id) JOIN u USING (baan_id);
