-- D1 step 1 (corrections): per (ikv_id, tijdvak_aanvang) keep the declaration with the latest
-- aanleverdatum; a later declaration replaces the earlier one. Ties: the later source line.
-- maand = calendar month in which the pay period ends (maps 4-weekly periods onto months).
--
-- Only a few percent of the declarations are replaced, so the replaced ones are found among
-- the keys that occur more than once and kept in a small table; int_polis is a view: staging
-- without them. (Materialising a second copy of polis cost more than the whole correction.)
CREATE OR REPLACE TABLE int_polis_vervangen AS
WITH dubbel AS (
    SELECT ikv_id, tijdvak_aanvang FROM stg_polis GROUP BY ALL HAVING count(*) > 1
)
SELECT s.bron_bestand, s.bron_regel, s.ikv_id, s.tijdvak_aanvang, s.aanleverdatum
FROM stg_polis s SEMI JOIN dubbel d ON d.ikv_id = s.ikv_id AND d.tijdvak_aanvang = s.tijdvak_aanvang
QUALIFY row_number() OVER (
    PARTITION BY s.ikv_id, s.tijdvak_aanvang
    ORDER BY s.aanleverdatum DESC, s.bron_bestand DESC, s.bron_regel DESC) > 1;

CREATE OR REPLACE VIEW int_polis AS
SELECT persoon_id, ikv_id, werkgever_id, datum_aanvang_ikv, datum_einde_ikv,
       tijdvak_aanvang, tijdvak_einde, loon_sv, uren, contractsoort, soort_baan, sector,
       grootteklasse, aanleverdatum,
       date_trunc('month', tijdvak_einde)::DATE AS maand
FROM stg_polis s
ANTI JOIN int_polis_vervangen v ON v.bron_bestand = s.bron_bestand AND v.bron_regel = s.bron_regel;
