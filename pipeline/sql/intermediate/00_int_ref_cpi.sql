-- Reference: CBS consumer price index per year, 2015 = 100 — a copy of data/reference/cpi.csv
-- (CBS StatLine 71905ned), inlined so the pipeline does not depend on the working directory;
-- test/derivations/reference.test.ts checks that it equals the CSV.
CREATE OR REPLACE TABLE int_ref_cpi AS
SELECT jaar::INTEGER AS jaar, cpi_2015_100::DOUBLE AS cpi_2015_100
FROM (VALUES
    (2012, 95.99),
    (2013, 98.39),
    (2014, 99.36),
    (2015, 100.00),
    (2016, 100.32),
    (2017, 101.70),
    (2018, 103.44),
    (2019, 106.16),
    (2020, 107.54)
) AS t(jaar, cpi_2015_100)
ORDER BY jaar;
