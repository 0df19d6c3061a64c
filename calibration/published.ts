/**
 * The published figures the synthetic world must reproduce (the report's tables and figures, cited per entry), as data. One
 * home: the truth-side calibration (calibration/from-truth.ts) and the run-side calibration
 * (calibration/from-run.ts) both compare against these.
 *
 * `eenheid`: "%" (compared in percentage points, margin 5), "pp" (a difference between groups in
 * percentage points, margin 2), "leespunten" (a number of reading points, exact), otherwise a
 * count/mean (compared relatively, margin 15%). `vergelijking`: "≈" (near), "<" (an upper bound), ">" (a lower bound).
 */
export type Eenheid = "%" | "pp" | "leespunten" | "aantal" | "maanden" | "uur/week" | "euro (2015)" | "per persoon";

export interface PublishedFigure {
  id: string;
  beschrijving: string;
  bron: string;
  waarde: number;
  eenheid: Eenheid;
  vergelijking: "≈" | "<" | ">";
}

import { ORDER_MIN_GAP, POINT_NAMES, TABLE_3_1 } from "./contrasts.ts";

const W = "Wajong-rapport";
const A = "jobcoach-artikel";

const fig = (
  id: string,
  beschrijving: string,
  bron: string,
  waarde: number,
  eenheid: Eenheid,
  vergelijking: PublishedFigure["vergelijking"] = "≈",
): PublishedFigure => ({
  id,
  beschrijving,
  bron,
  waarde,
  eenheid,
  vergelijking,
});

const table31: PublishedFigure[] = [];
const points = POINT_NAMES;
const t31 = TABLE_3_1;
for (const [cat, values] of Object.entries(t31)) {
  values.forEach((v, i) =>
    table31.push(
      fig(`volgende_baan_${cat}_${points[i]}`, `% in volgende baan ≤ ${points[i]}, ${cat} jobcoach (D4, KM)`, `${W} tabel 3.1`, v, "%"),
    ),
  );
}

// the contrasts of table 3.1 (calibration/contrasts.ts): differences with geen, and the order
const contrasts31: PublishedFigure[] = [];
for (const cat of ["extern", "intern"] as const)
  points.forEach((p, i) =>
    contrasts31.push(
      fig(
        `verschil_${cat}_geen_${p}`,
        `${cat} − geen, % in volgende baan ≤ ${p} (D4, KM)`,
        `${W} tabel 3.1`,
        t31[cat][i]! - t31.geen[i]!,
        "pp",
      ),
    ),
  );
contrasts31.push(
  fig(
    "volgorde_tabel31",
    `leespunten (van 8) waarop geen / extern / intern in de volgorde van tabel 3.1 liggen (paren met ≥ ${ORDER_MIN_GAP} punt verschil)`,
    `${W} tabel 3.1`,
    8,
    "leespunten",
  ),
);

export const PUBLISHED: readonly PublishedFigure[] = [
  fig("baaneindes_totaal", "baaneindes 2015–2019 (excl. overlijden/pensioen)", `${W} fig 3.1`, 108_000, "aantal"),
  fig("personen_met_baan", "Wajongers met ≥ 1 baan in 2015–2019", W, 70_000, "aantal"),
  fig("werkend_eind_2015", "werkende Wajongers op 31-12-2015", W, 32_400, "aantal"),
  fig("werkend_eind_2016", "werkende Wajongers op 31-12-2016", W, 34_900, "aantal"),
  fig("werkend_eind_2017", "werkende Wajongers op 31-12-2017", W, 37_300, "aantal"),
  fig("werkend_eind_2018", "werkende Wajongers op 31-12-2018", W, 39_200, "aantal"),
  fig("werkend_eind_2019", "werkende Wajongers op 31-12-2019", W, 38_900, "aantal"),
  fig("jobcoach_extern", "baaneindes met jobcoach extern", `${W} fig 3.1`, 18, "%"),
  fig("jobcoach_intern", "baaneindes met jobcoach intern", `${W} fig 3.1`, 3, "%"),
  fig("jobcoach_geen", "baaneindes zonder jobcoach", `${W} fig 3.1`, 79, "%"),
  fig("eindes_per_persoon_0", "personen met baan: 0 baaneindes", `${W} fig BI.1`, 26, "%"),
  fig("eindes_per_persoon_1", "personen met baan: 1 baaneinde", `${W} fig BI.1`, 36, "%"),
  fig("eindes_per_persoon_2", "personen met baan: 2 baaneindes", `${W} fig BI.1`, 18, "%"),
  fig("eindes_per_persoon_3", "personen met baan: 3 baaneindes", `${W} fig BI.1`, 10, "%"),
  fig("eindes_per_persoon_4", "personen met baan: 4 baaneindes", `${W} fig BI.1`, 5, "%"),
  fig("eindes_per_persoon_5plus", "personen met baan: 5+ baaneindes", `${W} fig BI.1`, 3, "%"),
  fig("eindes_gemiddeld_man", "gemiddeld aantal baaneindes, mannen", `${W} fig BI.2`, 1.6, "per persoon"),
  fig("eindes_gemiddeld_vrouw", "gemiddeld aantal baaneindes, vrouwen", `${W} fig BI.2`, 1.4, "per persoon"),
  fig("duur_gemiddeld", "gemiddelde duur geëindigde banen", `${W} fig BI.3`, 16, "maanden"),
  fig("duur_gemiddeld_man", "gemiddelde duur geëindigde banen, mannen", `${W} fig BI.4`, 15, "maanden"),
  fig("duur_gemiddeld_vrouw", "gemiddelde duur geëindigde banen, vrouwen", `${W} fig BI.4`, 17, "maanden"),
  fig("duur_verschil_jobcoach", "duur met jobcoach min zonder jobcoach", `${W} fig BI.3`, 4, "maanden"),
  fig("duur_klasse_lt3m", "geëindigde banen < 3 mnd", `${W} fig BI.3`, 26, "%"),
  fig("duur_klasse_3_6m", "geëindigde banen 3–6 mnd", `${W} fig BI.3`, 19, "%"),
  fig("duur_klasse_6_12m", "geëindigde banen 6–12 mnd", `${W} fig BI.3`, 22, "%"),
  fig("duur_klasse_1_2j", "geëindigde banen 1–2 jaar", `${W} fig BI.3`, 18, "%"),
  fig("duur_klasse_2_3j", "geëindigde banen 2–3 jaar", `${W} fig BI.3`, 6, "%"),
  fig("duur_klasse_3jplus", "geëindigde banen ≥ 3 jaar", `${W} fig BI.3`, 10, "%"),
  fig("duur_onbepaald", "gemiddelde duur, contract onbepaald bij einde", `${W} fig BI.5`, 44, "maanden"),
  fig("duur_bepaald", "gemiddelde duur, contract bepaald bij einde", `${W} fig BI.5`, 11, "maanden"),
  fig("duur_uitzend", "gemiddelde duur, uitzendbaan", `${W} fig BI.5`, 8, "maanden"),
  fig("zonder_jobcoach_lt12u", "gestart zonder jobcoach met < 12 uur per week", W, 48, "%"),
  ...table31,
  ...contrasts31,
  fig("incl_pp_extern_1w", "% in baan of proefplaatsing ≤ 1w, extern (D5)", `${W} fig 3.4`, 30, "%"),
  fig("incl_pp_extern_6m", "% in baan of proefplaatsing ≤ 6m, extern (D5)", `${W} fig 3.4`, 62, "%"),
  fig("incl_pp_extern_1j", "% in baan of proefplaatsing ≤ 1j, extern (D5)", `${W} fig 3.4`, 72, "%"),
  fig("incl_pp_extern_2j", "% in baan of proefplaatsing ≤ 2j, extern (D5)", `${W} fig 3.4`, 82, "%"),
  fig("incl_pp_extern_3j", "% in baan of proefplaatsing ≤ 3j, extern (D5)", `${W} fig 3.4`, 85, "%"),
  fig("incl_pp_extern_4j", "% in baan of proefplaatsing ≤ 4j, extern (D5)", `${W} fig 3.4`, 88, "%"),
  fig("incl_pp_geen_6m", "% in baan of proefplaatsing ≤ 6m, geen jobcoach (D5)", `${W} fig 3.4`, 60, "%"),
  fig("incl_pp_intern_6m", "% in baan of proefplaatsing ≤ 6m, intern (D5)", `${W} fig 3.4`, 56, "%"),
  fig("trend_1w_2015", "incl. proefplaatsing ≤ 1w, eindes 2015", `${W} fig BII.1`, 21, "%"),
  fig("trend_1w_2019", "incl. proefplaatsing ≤ 1w, eindes 2019", `${W} fig BII.1`, 34, "%"),
  fig("trend_6m_2015", "incl. proefplaatsing ≤ 6m, eindes 2015", `${W} fig BII.1`, 53, "%"),
  fig("trend_6m_2019", "incl. proefplaatsing ≤ 6m, eindes 2019", `${W} fig BII.1`, 63, "%"),
  fig("trend_1j_2015", "incl. proefplaatsing ≤ 1j, eindes 2015", `${W} fig BII.1`, 65, "%"),
  fig("trend_1j_2019", "incl. proefplaatsing ≤ 1j, eindes 2019", `${W} fig BII.1`, 72, "%"),
  fig("trend_2j_2015", "incl. proefplaatsing ≤ 2j, eindes 2015", `${W} fig BII.1`, 76, "%"),
  fig("trend_2j_2018", "incl. proefplaatsing ≤ 2j, eindes 2018", `${W} fig BII.1`, 80, "%"),
  fig("geen_baan_4j_duurzaam_geen", "eindes 2015 zonder nieuwe baan in 4 jaar: nu duurzaam geen arbeidsvermogen", W, 23, "%"),
  fig("geen_baan_4j_duurzaam_geen_alle", "idem, als deel van alle eindes 2015", W, 3, "%"),
  fig("reintegratie_extern_voor_einde", "re-integratie gestart vóór einde, extern (2017–2019)", `${W} fig 3.5`, 2, "%"),
  fig("reintegratie_extern_1w", "re-integratie ≤ 1w, extern (KM)", `${W} fig 3.5`, 3, "%"),
  fig("reintegratie_extern_1m", "re-integratie ≤ 1m, extern (KM)", `${W} fig 3.5`, 4, "%"),
  fig("reintegratie_extern_3m", "re-integratie ≤ 3m, extern (KM)", `${W} fig 3.5`, 13, "%"),
  fig("reintegratie_extern_6m", "re-integratie ≤ 6m, extern (KM)", `${W} fig 3.5`, 23, "%"),
  fig("reintegratie_extern_3j", "re-integratie ≤ 3j, extern (KM), net boven 50%", `${W} fig 3.5`, 50, "%", ">"),
  fig("reintegratie_intern_3m", "re-integratie ≤ 3m, intern (KM)", `${W} fig 3.5`, 7, "%"),
  fig("reintegratie_geen_3m", "re-integratie ≤ 3m, geen jobcoach (KM)", `${W} fig 3.5`, 4, "%"),
  fig("dienst_voor_einde_naar_werk", "diensten gestart vóór einde: naar werk", `${W} fig 3.6`, 71, "%"),
  fig("dienst_voor_einde_werkfit", "diensten gestart vóór einde: werkfit maken", `${W} fig 3.6`, 25, "%"),
  fig("dienst_voor_einde_vrije_ruimte", "diensten gestart vóór einde: vrije ruimte", `${W} fig 3.6`, 4, "%"),
  fig("dienst_na_einde_naar_werk", "diensten gestart na einde: naar werk (minder dan de helft)", `${W} fig 3.6`, 50, "%", "<"),
  fig("eigen_organisatie", "diensten door eigen jobcoachorganisatie (extern)", `${W} fig 3.7`, 42, "%"),
  fig("eigen_organisatie_voor_einde", "idem, gestart vóór einde", `${W} fig 3.7`, 59, "%"),
  fig("eigen_organisatie_1w", "idem, gestart in eerste week", `${W} fig 3.7`, 58, "%"),
  fig("cohort_starters", "starters met jobcoach 2013–2017", A, 25_000, "aantal"),
  fig("cohort_intern", "starters met jobcoach: intern", A, 10, "%"),
  fig("cohort_wajong", "starters met jobcoach: Wajong", A, 95, "%"),
  fig("cohort_maand0_proefplaatsing", "maand 0 (Wajong): proefplaatsing", `${A} fig 1`, 57, "%"),
  fig("cohort_maand0_werk_jobcoach", "maand 0 (Wajong): betaald werk met jobcoach", `${A} fig 1`, 43, "%"),
  fig("cohort_36_werkend_wajong", "na 3 jaar werkend, Wajong", `${A} fig 1`, 60, "%"),
  fig("cohort_36_zonder_jobcoach_wajong", "na 3 jaar: deel werkenden zonder jobcoach, Wajong", `${A} fig 1`, 50, "%"),
  fig("cohort_36_werkend_wga", "na 3 jaar werkend, WGA", `${A} fig 1`, 50, "%"),
  fig("cohort_36_zonder_jobcoach_wga", "na 3 jaar: deel werkenden zonder jobcoach, WGA", `${A} fig 1`, 67, "%"),
  fig("uren_wajong", "uren per week, Wajong", `${A} fig 2`, 25, "uur/week"),
  fig("uren_wga", "uren per week, WGA", `${A} fig 2`, 22, "uur/week"),
  fig("uurloon_start_wajong", "reëel uurloon bij start eerste baan, Wajong", `${A} fig 2`, 6.68, "euro (2015)"),
  fig("uurloon_3j_wajong", "reëel uurloon na 3 jaar, Wajong", `${A} fig 2`, 9.25, "euro (2015)"),
  fig("uurloon_start_wga", "reëel uurloon bij start eerste baan, WGA", `${A} fig 2`, 11.67, "euro (2015)"),
  fig("uurloon_3j_wga", "reëel uurloon na 3 jaar, WGA", `${A} fig 2`, 15.0, "euro (2015)"),
  fig("vast_contract_3j_wajong", "vast contract na 3 jaar, werkende Wajongers", `${A} fig 2`, 37, "%"),
  fig("vast_contract_3j_wga", "vast contract na 3 jaar, werkende WGA", `${A} fig 2`, 45, "%"),
  fig("baanverlies_wajong", "baanverliezen per persoon per 3 jaar, Wajong", A, 1.2, "per persoon"),
  fig("baanverlies_wga", "baanverliezen per persoon per 3 jaar, WGA", A, 1.0, "per persoon"),
  fig("na_verlies_direct", "na baanverlies: direct (≤ 7 dagen) nieuwe baan", A, 33, "%"),
  fig("na_verlies_later", "na baanverlies: later een nieuwe baan (meer dan een derde)", A, 34, "%", ">"),
  fig("na_verlies_geen", "na baanverlies: geen nieuwe baan binnen de follow-up", A, 25, "%"),
  fig("na_verlies_maanden_zonder_werk", "na baanverlies en later nieuwe baan: maanden zonder werk", A, 5.5, "maanden"),
];
