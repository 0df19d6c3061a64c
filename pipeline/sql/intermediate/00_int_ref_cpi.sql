-- Reference: CBS consumer price index per year, 2015 = 100 (CBS StatLine 71905ned), from
-- data/reference/cpi.csv, the one copy (the generator reads it too). The runner inlines the
-- CSV's rows as VALUES (pipeline/sql-runner.ts), so a run does not depend on the working
-- directory and DuckDB reads no file outside the run's folders.
-- grain: jaar
-- not_null: jaar, cpi_2015_100
CREATE OR REPLACE TABLE int_ref_cpi AS
SELECT jaar::INTEGER AS jaar, cpi_2015_100::DOUBLE AS cpi_2015_100
FROM {{ referentie: cpi.csv }}
ORDER BY jaar;
