-- Mart baaneindes: one row per job ending (D2) with D4, D5 and D6 outcomes and covariates.
CREATE OR REPLACE TABLE baaneindes AS
SELECT e.persoon_id, e.baan_id, e.einddatum, year(e.einddatum)::INTEGER AS jaar,
       b.jobcoach, b.jobcoach_koppeling, b.jobcoach_organisatie_id,
       v.dagen_tot_volgende_baan, v.volgende_baan,
       v.dagen_tot_volgende_baan_pp, v.volgende_baan_pp,
       e.einddatum BETWEEN {{ d6.vensterStart }} AND {{ d6.vensterEinde }} AS in_d6_venster,
       r.dagen_tot_reintegratie, r.reintegratie, r.reintegratie_voor_einde, r.reintegratie_dienst,
       r.reintegratie_eigen_organisatie,
       v.censor_reden,
       b.startdatum, b.duur_dagen, b.contractsoort, b.contractsoort_start, b.soort_baan, b.sector,
       b.grootteklasse, b.uren_per_week_start, b.uren_per_week,
       p.geslacht, p.geboortejaar,
       (date_diff('month', p.geboortedatum, e.einddatum) // 12)::INTEGER AS leeftijd,
       p.opleidingsniveau, p.diagnosegroep, p.regeling, p.arbeidsvermogen, p.regio,
       row_number() OVER (PARTITION BY e.persoon_id ORDER BY e.einddatum, e.baan_id)::INTEGER AS volgnummer_einde
FROM int_baaneindes e
JOIN banen b USING (baan_id)
JOIN int_volgende_baan v USING (baan_id)
LEFT JOIN int_reintegratie r USING (baan_id)
LEFT JOIN personen p ON p.persoon_id = e.persoon_id
ORDER BY e.persoon_id, e.einddatum, e.baan_id;
