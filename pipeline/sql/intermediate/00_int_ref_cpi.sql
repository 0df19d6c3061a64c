-- Reference: CBS consumer price index per year, 2015 = 100 (data/reference/cpi.csv).
-- The path is relative to DuckDB's working directory / file_search_path: the runner runs
-- from the repository root or sets `SET file_search_path = '<repo root>'`.
CREATE OR REPLACE TABLE int_ref_cpi AS
SELECT jaar::INTEGER AS jaar, cpi_2015_100::DOUBLE AS cpi_2015_100
FROM read_csv('data/reference/cpi.csv', header = true, auto_detect = true)
ORDER BY jaar;
