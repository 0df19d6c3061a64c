-- D1 step 1 (corrections): per (ikv_id, tijdvak_aanvang) keep the declaration with the latest
-- aanleverdatum; a later declaration replaces the earlier one. Ties: the later source line.
-- maand = calendar month in which the pay period ends (maps 4-weekly periods onto months).
CREATE OR REPLACE TABLE int_polis AS
SELECT persoon_id, ikv_id, werkgever_id, datum_aanvang_ikv, datum_einde_ikv,
       tijdvak_aanvang, tijdvak_einde, loon_sv, uren, contractsoort, soort_baan, sector,
       grootteklasse, aanleverdatum,
       date_trunc('month', tijdvak_einde)::DATE AS maand
FROM stg_polis
QUALIFY row_number() OVER (
    PARTITION BY ikv_id, tijdvak_aanvang
    ORDER BY aanleverdatum DESC, bron_bestand DESC, bron_regel DESC) = 1;
