// One colour map for the whole site: the Okabe–Ito palette (colour-blind safe), with the light
// colours (orange, sky blue, yellow) darkened until every mark has at least 3:1 contrast against
// the white page (WCAG 1.4.11; test/unit/colors.test.ts computes it for every colour here).
// The hues stay Okabe–Ito's, so the colour-blind distinctions stay; groups keep a fixed colour on
// every page (extern / intern / geen).
export const ACHTERGROND = "#ffffff";
export const OKABE_ITO = ["#0072B2", "#AD6A00", "#009E73", "#CC79A7", "#D55E00", "#4F93C4", "#857800", "#000000"];
/** the site's accent (one series, the chosen region) and its lighter companion (a second series of the same measure) */
export const ACCENT = "#0072B2";
export const ACCENT_LICHT = "#4F93C4";
/** Nederland, totals, "other": neutral grey */
export const NEUTRAAL = "#6B6B6B";
/** cells hidden by disclosure control, as a segment of a 100% chart ("niet getoond"): the lines of its hatching (nietGetoond.js) */
export const NIET_GETOOND_KLEUR = "#595959";
export const NIET_GETOOND_LABEL = "Niet getoond (te weinig personen)";
export const JOBCOACH = ["extern", "intern", "geen"];
/** @type {Record<string, string>} */
export const JOBCOACH_KLEUR = { extern: "#0072B2", intern: "#AD6A00", geen: "#6B6B6B", totaal: "#000000" };
/** @type {Record<string, string>} */
export const JOBCOACH_LABEL = { extern: "Externe jobcoach", intern: "Interne jobcoach", geen: "Geen jobcoach", totaal: "Totaal" };

export const STATUS = ["proefplaatsing", "werk_met_jobcoach", "werk_zonder_jobcoach", "geen_werk"];
export const STATUS_KLEUR = {
  proefplaatsing: "#CC79A7",
  werk_met_jobcoach: "#0072B2",
  werk_zonder_jobcoach: "#009E73",
  geen_werk: "#8C8C8C",
};
export const STATUS_LABEL = {
  proefplaatsing: "Proefplaatsing",
  werk_met_jobcoach: "Werk met jobcoach",
  werk_zonder_jobcoach: "Werk zonder jobcoach",
  geen_werk: "Geen werk",
};
/** outcome after a job loss (jobcoach article) */
export const UITKOMST_LABEL = {
  direct: "Direct nieuwe baan (≤ 7 dagen)",
  later: "Later nieuwe baan",
  geen: "Geen nieuwe baan binnen de volgperiode",
};
export const UITKOMST_KLEUR = { direct: "#009E73", later: "#4F93C4", geen: "#8C8C8C" };

export const DIENST_LABEL = {
  naar_werk: "Naar werk",
  werkfit_maken: "Werkfit maken",
  vrije_ruimte: "Vrije ruimte",
  participatie_interventie: "Participatie-interventie",
  maatschappelijke_deelname: "Maatschappelijke deelname",
  praktijkassessment: "Praktijkassessment",
  begeleiding_scholing: "Begeleiding bij scholing",
  proefplaatsing: "Proefplaatsing",
};
export const DIENST_KLEUR = {
  naar_werk: "#0072B2",
  werkfit_maken: "#AD6A00",
  vrije_ruimte: "#009E73",
  participatie_interventie: "#CC79A7",
  maatschappelijke_deelname: "#4F93C4",
  praktijkassessment: "#D55E00",
  begeleiding_scholing: "#857800",
};
export const TIJDVAK_LABEL = {
  voor_einde: "Vóór het einde",
  "<1w": "< 1 week",
  "1w-1m": "1 week – 1 maand",
  "1-3m": "1–3 maanden",
  "3-6m": "3–6 maanden",
  "6-12m": "6–12 maanden",
  ">12m": "> 12 maanden",
  totaal: "Totaal",
};
export const KLASSE_LABEL = {
  "<3m": "< 3 mnd",
  "3-6m": "3–6 mnd",
  "6-12m": "6–12 mnd",
  "1-2j": "1–2 jaar",
  "2-3j": "2–3 jaar",
  ">=3j": "≥ 3 jaar",
};
export const KENMERK_LABEL = {
  jobcoach: "Jobcoach",
  jaar: "Jaar van baaneinde",
  geslacht: "Geslacht",
  geboortecohort: "Geboortecohort",
  opleidingsniveau: "Opleidingsniveau",
  diagnosegroep: "Diagnosegroep",
  regeling: "Regeling",
  regio: "Arbeidsmarktregio",
  totaal: "Totaal",
  contractsoort: "Contractsoort",
  soort_baan: "Soort baan",
  sector: "Sector",
  grootteklasse: "Bedrijfsgrootte",
};
/** @type {Record<string, string>} */
const GROEP_LABEL = {
  M: "Man",
  V: "Vrouw",
  ...JOBCOACH_LABEL,
  onbepaald: "Onbepaalde tijd",
  bepaald: "Bepaalde tijd",
  onbekend: "Onbekend",
  regulier: "Regulier",
  uitzend: "Uitzendwerk",
  oproep: "Oproepwerk",
  overig: "Overig",
  ontwikkelingsstoornis: "Ontwikkelingsstoornis",
  lichamelijk: "Lichamelijk",
  psychisch: "Psychisch",
  verstandelijk: "Verstandelijk",
  laag: "Laag",
  midden: "Midden",
  hoog: "Hoog",
  // regelingen (pipeline/contract.ts)
  oWajong: "Oude Wajong (vóór 2010)",
  Wajong2010: "Wajong 2010",
  Wajong2015: "Wajong 2015",
  WGA: "WGA",
};
/**
 * the order of the groups of an ordinal kenmerk; any kenmerk lists "onbekend" last
 * @type {Record<string, string[]>}
 */
const GROEP_VOLGORDE = {
  jobcoach: ["extern", "intern", "geen"],
  opleidingsniveau: ["laag", "midden", "hoog", "onbekend"],
  regeling: ["oWajong", "Wajong2010", "Wajong2015", "WGA"],
};
/**
 * groups of a kenmerk in reading order: the ordinal order where there is one (education: laag,
 * midden, hoog), years ascending, otherwise as given; "onbekend" always last
 * @param {string} kenmerk
 * @param {(string | number)[]} groepen
 * @returns {string[]}
 */
export function ordenGroepen(kenmerk, groepen) {
  const gs = [...new Set(groepen.map(String))];
  const volgorde = GROEP_VOLGORDE[kenmerk];
  const plek = (/** @type {string} */ g) => {
    if (g.toLowerCase() === "onbekend") return Number.MAX_SAFE_INTEGER;
    if (volgorde?.includes(g)) return volgorde.indexOf(g);
    return volgorde ? volgorde.length : 0;
  };
  const sorted = gs
    .map((g, i) => ({ g, i }))
    .sort((a, b) => plek(a.g) - plek(b.g) || (kenmerk === "jaar" ? a.g.localeCompare(b.g) : a.i - b.i));
  return sorted.map((x) => x.g);
}
/** @type {Record<string, string>} */
const SECTOR = {
  A: "Landbouw",
  B: "Delfstoffen",
  C: "Industrie",
  D: "Energie",
  E: "Water/afval",
  F: "Bouw",
  G: "Handel",
  H: "Vervoer en opslag",
  I: "Horeca",
  J: "Informatie en communicatie",
  K: "Financiële diensten",
  L: "Onroerend goed",
  M: "Specialistische diensten",
  N: "Verhuur en overige zakelijke diensten",
  O: "Openbaar bestuur",
  P: "Onderwijs",
  Q: "Zorg en welzijn",
  R: "Cultuur en recreatie",
  S: "Overige diensten",
};
/**
 * @param {string} kenmerk
 * @param {string | number} groep
 * @returns {string}
 */
export function groepLabel(kenmerk, groep) {
  if (kenmerk === "sector" && SECTOR[groep]) return `${SECTOR[groep]} (${groep})`;
  if (kenmerk === "grootteklasse") return `${groep} werknemers`;
  return GROEP_LABEL[groep] ?? String(groep);
}
/**
 * colour for a group of any kenmerk: jobcoach fixed, others Okabe–Ito in order of appearance
 * @param {string} kenmerk
 * @param {(string | number)[]} groepen
 * @returns {string[]}
 */
export function kleurVoor(kenmerk, groepen) {
  if (kenmerk === "jobcoach") return groepen.map((g) => JOBCOACH_KLEUR[g] ?? "#000");
  return groepen.map((_, i) => /** @type {string} */ (OKABE_ITO[i % OKABE_ITO.length]));
}
