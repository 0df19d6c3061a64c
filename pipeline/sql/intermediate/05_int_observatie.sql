-- The observed window of the polis: data end = the latest pay-period end in the extract.
-- D1 only declares "3 months without pay" when all those months lie inside the data.
-- (The columns are NULL when the polis holds no rows.)
-- The window is not per person: in a run on one part of a partitioned extract
-- (pipeline/partition/), a part could see an earlier data end than the whole. `baanmonitor
-- partition` computes the window once over all persons (this file, with partitie_globaal empty)
-- and hands it to every part in partitie_globaal (one row, created by the run from the part's
-- partitie.json: pipeline/partition/marker.ts); in an ordinary run the table is created empty
-- here and the window is the extract's own.
-- grain: one row
CREATE TABLE IF NOT EXISTS partitie_globaal (data_einde DATE, data_start DATE);
CREATE OR REPLACE TABLE int_observatie AS
WITH eigen AS (
    SELECT max(tijdvak_einde) AS data_einde, min(tijdvak_aanvang) AS data_start FROM stg_polis
), venster AS (
    SELECT data_einde, data_start FROM partitie_globaal
    UNION ALL
    SELECT data_einde, data_start FROM eigen WHERE NOT EXISTS (SELECT 1 FROM partitie_globaal)
)
SELECT data_einde,
       date_trunc('month', data_einde)::DATE AS data_einde_maand,
       data_start
FROM venster;
