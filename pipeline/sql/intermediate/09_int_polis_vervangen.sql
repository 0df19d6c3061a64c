-- D1 step 1 (corrections), part 1: per (ikv_id, tijdvak_aanvang) the declaration with the
-- latest aanleverdatum counts; a later declaration replaces the earlier one. Ties: the later
-- source line (bron_bestand, bron_regel). This table holds the staging rows that are replaced.
-- Only a few percent of the declarations are replaced, so they are found among the keys that
-- occur more than once and kept in this small table; int_polis (10_int_polis.sql) is staging
-- without them, a view. (Materialising a second copy of polis cost more than the whole
-- correction.) The keys that occur more than once are grouped once, in staging:
-- stg_polis_dubbel (pipeline/ingest/quality.ts, shared with the quality checks).
-- grain: bron_bestand, bron_regel
-- not_null: bron_bestand, bron_regel, ikv_id, tijdvak_aanvang, aanleverdatum
CREATE OR REPLACE TABLE int_polis_vervangen AS
SELECT s.bron_bestand, s.bron_regel, s.ikv_id, s.tijdvak_aanvang, s.aanleverdatum
FROM stg_polis s SEMI JOIN stg_polis_dubbel d ON d.ikv_id = s.ikv_id AND d.tijdvak_aanvang = s.tijdvak_aanvang
QUALIFY row_number() OVER (
    PARTITION BY s.ikv_id, s.tijdvak_aanvang
    ORDER BY s.aanleverdatum DESC, s.bron_bestand DESC, s.bron_regel DESC) > 1;
