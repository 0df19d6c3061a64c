-- Reference: UWV arbeidsmarktregio codes and names, from data/reference/arbeidsmarktregios.csv,
-- the one copy, inlined by the runner as VALUES (as int_ref_cpi).
-- grain: regio
-- not_null: regio, naam
CREATE OR REPLACE TABLE int_ref_regios AS
SELECT regio::VARCHAR AS regio, naam::VARCHAR AS naam
FROM {{ referentie: arbeidsmarktregios.csv }}
ORDER BY regio;
