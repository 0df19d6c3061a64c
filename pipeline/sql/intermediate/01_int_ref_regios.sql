-- Reference: UWV arbeidsmarktregio codes and names — a copy of
-- data/reference/arbeidsmarktregios.csv, inlined so the pipeline does not depend on the working
-- directory; test/derivations/reference.test.ts checks that it equals the CSV.
CREATE OR REPLACE TABLE int_ref_regios AS
SELECT regio::VARCHAR AS regio, naam::VARCHAR AS naam
FROM (VALUES
    ('AMR01', 'Groningen'),
    ('AMR02', 'Friesland'),
    ('AMR03', 'Drenthe'),
    ('AMR04', 'Regio Zwolle'),
    ('AMR05', 'Stedendriehoek en Noordwest Veluwe'),
    ('AMR06', 'Twente'),
    ('AMR07', 'FoodValley'),
    ('AMR08', 'Achterhoek'),
    ('AMR09', 'Midden-Gelderland'),
    ('AMR10', 'Rijk van Nijmegen'),
    ('AMR11', 'Rivierenland'),
    ('AMR12', 'Midden-Utrecht'),
    ('AMR13', 'Amersfoort'),
    ('AMR14', 'Zaanstreek/Waterland'),
    ('AMR15', 'Noord-Holland Noord'),
    ('AMR16', 'Groot Amsterdam'),
    ('AMR17', 'Zuid-Kennemerland en IJmond'),
    ('AMR18', 'Gooi en Vechtstreek'),
    ('AMR19', 'Zuid-Holland Centraal'),
    ('AMR20', 'Holland Rijnland'),
    ('AMR21', 'Haaglanden'),
    ('AMR22', 'Midden-Holland'),
    ('AMR23', 'Rijnmond'),
    ('AMR24', 'Gorinchem'),
    ('AMR25', 'Drechtsteden'),
    ('AMR26', 'West-Brabant'),
    ('AMR27', 'Midden-Brabant'),
    ('AMR28', 'Noordoost-Brabant'),
    ('AMR29', 'Zuidoost-Brabant'),
    ('AMR30', 'Helmond-De Peel'),
    ('AMR31', 'Zeeland'),
    ('AMR32', 'Noord-Limburg'),
    ('AMR33', 'Midden-Limburg'),
    ('AMR34', 'Zuid-Limburg'),
    ('AMR35', 'Flevoland')
) AS t(regio, naam)
ORDER BY regio;
