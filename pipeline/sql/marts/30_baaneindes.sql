-- Mart baaneindes: one row per job ending (D2, intermediate/30_int_baaneindes.sql) with the
-- D4/D5 outcomes (32_int_volgende_baan.sql), the D6 outcome (33_int_reintegratie.sql), the
-- censoring (31_int_censuur.sql) and covariates of the baan (banen) and the person (personen).
-- Columns: persoon_id, baan_id, einddatum, jaar INTEGER, jobcoach, jobcoach_koppeling,
-- jobcoach_organisatie_id;
-- D4: dagen_tot_volgende_baan INTEGER, volgende_baan INTEGER (1 event, 0 censored);
-- D5: dagen_tot_volgende_baan_pp INTEGER, volgende_baan_pp INTEGER;
-- D6: in_d6_venster BOOLEAN; NULL outside the window: dagen_tot_reintegratie INTEGER,
-- reintegratie INTEGER (0 censored, 1 service started, 2 new job first), reintegratie_voor_einde
-- BOOLEAN (service running at E, time 0), reintegratie_dagen_voor_einde INTEGER (days from that
-- service's start to E; NULL unless reintegratie_voor_einde), reintegratie_dienst (type of the first service
-- counted, NULL when none), reintegratie_eigen_organisatie BOOLEAN (its aanbieder_id =
-- jobcoach_organisatie_id; NULL unless jobcoach = extern and a service). The report's KM is
-- `event = reintegratie = 1`, the competing-risks version uses 0/1/2;
-- censor_reden (`peildatum` | `overlijden` | `pensioen`; NULL when volgende_baan = 1), the
-- censoring date applying to D4, D5 and D6 alike;
-- baan: startdatum, duur_dagen, contractsoort, contractsoort_start, soort_baan, sector,
-- grootteklasse, uren_per_week_start, uren_per_week;
-- person: geslacht, geboortejaar, leeftijd INTEGER (at the end), opleidingsniveau,
-- diagnosegroep, regeling, arbeidsvermogen, regio (every ending has a Wajong spell, so a person);
-- volgnummer_einde INTEGER (n-th ending of the person in the D2 window, 1-based).
-- grain: baan_id
-- not_null: persoon_id, baan_id, einddatum, jaar, jobcoach, dagen_tot_volgende_baan, volgende_baan, dagen_tot_volgende_baan_pp, volgende_baan_pp, in_d6_venster, startdatum, duur_dagen, contractsoort, contractsoort_start, soort_baan, sector, grootteklasse, geslacht, geboortejaar, leeftijd, opleidingsniveau, diagnosegroep, regeling, arbeidsvermogen, regio, volgnummer_einde
-- ongecomprimeerd: persoon_id, baan_id
CREATE OR REPLACE TABLE baaneindes AS
SELECT e.persoon_id, e.baan_id, e.einddatum, year(e.einddatum)::INTEGER AS jaar,
       b.jobcoach, b.jobcoach_koppeling, b.jobcoach_organisatie_id,
       v.dagen_tot_volgende_baan, v.volgende_baan,
       v.dagen_tot_volgende_baan_pp, v.volgende_baan_pp,
       e.einddatum BETWEEN {{ d6.vensterStart }} AND {{ d6.vensterEinde }} AS in_d6_venster,
       r.dagen_tot_reintegratie, r.reintegratie, r.reintegratie_voor_einde, r.reintegratie_dagen_voor_einde, r.reintegratie_dienst,
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
ORDER BY e.persoon_id, e.baan_id;
