-- werktabel: kept in memory during the run, a view in baanmonitor.duckdb (pipeline/sql-runner.ts)
-- D1 step 3: employment periods of one ikv.
-- * Registered end (datum_einde_ikv): one period from datum_aanvang_ikv to datum_einde_ikv
--   (footnote 10: registered start to registered end), einde_bron = 'geregistreerd'.
-- * No registered end: months with pay are split into runs; a gap of at least
--   d1.maandenZonderLoon months without pay (no record or loon_sv = 0) between two months with
--   pay ends the run on the last day of its last month with pay (einde_bron = 'zonder_loon').
--   A later resumption of pay starts a new period (and, the gap being > 31 days, a new baan).
--   The last run ends the same way only if those months all lie inside the observed data
--   (last day of month last+N <= data end); otherwise it is running (einde NULL, 'lopend').
-- * The first period starts at datum_aanvang_ikv, later ones at the first paid pay period.
-- * An ikv without any month with pay yields no period (no paid work observed).
-- grain: ikv_id, periode_nr
-- not_null: ikv_id, persoon_id, werkgever_id, periode_nr, startdatum, einde_bron, eerste_maand, laatste_maand, n_maanden_loon
CREATE OR REPLACE TABLE int_ikv_perioden AS
WITH g AS (
    -- per ikv: its months with pay. Splitting needs a gap of at least maandenZonderLoon months
    -- without pay, so an ikv with a registered end, or with fewer months missing between its
    -- first and last month with pay, is one period: only the others go through the windows
    -- (at scale 1 almost every ikv is whole; the windows over all its months cost 2.5x more).
    -- Grouped before the join with int_ikv: 373 k rows probe it instead of 4 M (0.50 -> 0.40 s)
    SELECT m.*, i.datum_einde_ikv IS NOT NULL
             OR date_diff('month', m.eerste_maand, m.laatste_maand) + 1 - m.n_maanden < {{ d1.maandenZonderLoon }} AS heel
    FROM (SELECT ikv_id, min(maand) AS eerste_maand, max(maand) AS laatste_maand,
                 min(eerste_tijdvak_aanvang) AS eerste_tijdvak, count(*) AS n_maanden
          FROM int_ikv_maanden GROUP BY ikv_id) m
    JOIN int_ikv i USING (ikv_id)
), m AS (
    SELECT m.ikv_id, m.maand, m.eerste_tijdvak_aanvang,
           CASE WHEN date_diff('month', lag(m.maand) OVER w, m.maand) > {{ d1.maandenZonderLoon }}
                THEN 1 ELSE 0 END AS nieuw
    FROM int_ikv_maanden m SEMI JOIN g ON g.ikv_id = m.ikv_id AND NOT g.heel
    WINDOW w AS (PARTITION BY m.ikv_id ORDER BY m.maand)
), s AS (
    SELECT ikv_id, maand, eerste_tijdvak_aanvang,
           1 + sum(nieuw) OVER (PARTITION BY ikv_id ORDER BY maand ROWS UNBOUNDED PRECEDING) AS periode_nr
    FROM m
), p AS (
    SELECT ikv_id, periode_nr,
           min(maand) AS eerste_maand, max(maand) AS laatste_maand,
           min(eerste_tijdvak_aanvang) AS eerste_tijdvak,
           count(*)::INTEGER AS n_maanden_loon,
           max(periode_nr) OVER (PARTITION BY ikv_id) AS n_perioden
    FROM s GROUP BY ikv_id, periode_nr
    UNION ALL
    SELECT ikv_id, 1 AS periode_nr, eerste_maand, laatste_maand, eerste_tijdvak,
           n_maanden::INTEGER AS n_maanden_loon, 1 AS n_perioden
    FROM g WHERE heel
)
SELECT p.ikv_id, i.persoon_id, i.werkgever_id, p.periode_nr::INTEGER AS periode_nr,
       CASE WHEN p.periode_nr = 1 THEN i.datum_aanvang_ikv ELSE p.eerste_tijdvak END AS startdatum,
       CASE WHEN i.datum_einde_ikv IS NOT NULL THEN i.datum_einde_ikv
            WHEN p.periode_nr < p.n_perioden THEN last_day(p.laatste_maand)
            WHEN last_day((p.laatste_maand + to_months({{ d1.maandenZonderLoon }}))::DATE) <= o.data_einde
                THEN last_day(p.laatste_maand)
            ELSE NULL END AS einddatum,
       CASE WHEN i.datum_einde_ikv IS NOT NULL THEN 'geregistreerd'
            WHEN p.periode_nr < p.n_perioden THEN 'zonder_loon'
            WHEN last_day((p.laatste_maand + to_months({{ d1.maandenZonderLoon }}))::DATE) <= o.data_einde
                THEN 'zonder_loon'
            ELSE 'lopend' END AS einde_bron,
       p.eerste_maand, p.laatste_maand, p.n_maanden_loon
FROM p JOIN int_ikv i USING (ikv_id) CROSS JOIN int_observatie o;
