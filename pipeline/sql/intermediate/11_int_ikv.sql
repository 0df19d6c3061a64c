-- werktabel: kept in memory during the run, a view in baanmonitor.duckdb (pipeline/sql-runner.ts)
-- One row per income relation (ikv): registered start and end (after corrections; the end is
-- often filled in only on later declarations, so the latest non-empty value counts).
-- grain: ikv_id
-- not_null: ikv_id, persoon_id, werkgever_id, datum_aanvang_ikv, n_tijdvakken
CREATE OR REPLACE TABLE int_ikv AS
SELECT ikv_id,
       arg_max(persoon_id, (aanleverdatum, tijdvak_aanvang)) AS persoon_id,
       arg_max(werkgever_id, (aanleverdatum, tijdvak_aanvang)) AS werkgever_id,
       arg_max(datum_aanvang_ikv, (aanleverdatum, tijdvak_aanvang)) AS datum_aanvang_ikv,
       arg_max(datum_einde_ikv, (aanleverdatum, tijdvak_aanvang)) FILTER (WHERE datum_einde_ikv IS NOT NULL) AS datum_einde_ikv,
       count(*) AS n_tijdvakken
FROM int_polis
GROUP BY ikv_id;
