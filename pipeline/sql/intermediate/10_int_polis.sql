-- D1 step 1 (corrections), part 2: the polis after corrections, a view (computed on query):
-- stg_polis without the declarations int_polis_vervangen (09_int_polis_vervangen.sql) lists
-- as replaced, so one declaration per (ikv_id, tijdvak_aanvang).
-- maand = calendar month in which the pay period ends (maps 4-weekly periods onto months).
-- grain: ikv_id, tijdvak_aanvang
-- not_null: persoon_id, ikv_id, werkgever_id, datum_aanvang_ikv, tijdvak_aanvang, tijdvak_einde, loon_sv, uren, contractsoort, soort_baan, sector, grootteklasse, aanleverdatum, maand
CREATE OR REPLACE VIEW int_polis AS
SELECT persoon_id, ikv_id, werkgever_id, datum_aanvang_ikv, datum_einde_ikv,
       tijdvak_aanvang, tijdvak_einde, loon_sv, uren, contractsoort, soort_baan, sector,
       grootteklasse, aanleverdatum,
       date_trunc('month', tijdvak_einde)::DATE AS maand
FROM stg_polis s
ANTI JOIN int_polis_vervangen v ON v.bron_bestand = s.bron_bestand AND v.bron_regel = s.bron_regel;
