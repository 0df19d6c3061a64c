-- Reference: UWV arbeidsmarktregio codes and names (data/reference/arbeidsmarktregios.csv).
CREATE OR REPLACE TABLE int_ref_regios AS
SELECT regio::VARCHAR AS regio, naam::VARCHAR AS naam
FROM read_csv('data/reference/arbeidsmarktregios.csv', header = true, auto_detect = true)
ORDER BY regio;
