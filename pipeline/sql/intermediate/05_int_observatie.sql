-- The observed window of the polis: data end = the latest pay-period end in the extract.
-- D1 only declares "3 months without pay" when all those months lie inside the data.
-- (The columns are NULL when the polis holds no rows.)
-- grain: one row
CREATE OR REPLACE TABLE int_observatie AS
SELECT max(tijdvak_einde) AS data_einde,
       date_trunc('month', max(tijdvak_einde))::DATE AS data_einde_maand,
       min(tijdvak_aanvang) AS data_start
FROM stg_polis;
