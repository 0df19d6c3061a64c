// The overview page needs a few rows from several published files; this loader picks exactly
// those (so the first page a visitor opens stays small). It reads only the published set.
import { lees, print } from "./_publish.js";

const perJaar = lees("baaneindes_per_jaar");
const duur = lees("duur_tot_volgende_baan");
const baanduur = lees("baanduur");
const rei = lees("reintegratie_uptake");
const paden = lees("jobcoach_paden");
const mm = lees("maandmonitor");
const run = lees("run");
const vergelijking = lees("vergelijking");

const jc = (r) => r.kenmerk === "jobcoach" || r.kenmerk === "totaal";
const km = (r) => (r.methode ?? "km") === "km";
print({
  id: "overzicht",
  bronnen: [
    "baaneindes_per_jaar",
    "duur_tot_volgende_baan",
    "baanduur",
    "reintegratie_uptake",
    "jobcoach_paden",
    "maandmonitor",
    "run",
    "vergelijking",
  ],
  definitie_duur: duur.definitie,
  rapport_duur: duur.rapport,
  baaneindes: { per_jaar: perJaar.tabellen.per_jaar, kerncijfers: perJaar.tabellen.kerncijfers ?? [] },
  duur: {
    curve: duur.tabellen.curve.filter((r) => r.kenmerk === "jobcoach" && km(r)),
    leespunten: duur.tabellen.leespunten.filter((r) => jc(r) && km(r)),
    aantallen: duur.tabellen.aantallen.filter(jc),
    verschillen: vergelijking.tabellen.verschillen.filter((r) => r.methode === "ongecorrigeerd"),
  },
  baanduur: { gemiddelde: baanduur.tabellen.gemiddelde.filter((r) => r.kenmerk === "jobcoach" || r.kenmerk === "totaal") },
  reintegratie: {
    leespunten: rei.tabellen.leespunten.filter((r) => jc(r)),
    aantallen: rei.tabellen.aantallen.filter(jc),
  },
  paden: paden.tabellen.paden.filter((r) => r.groep === "Wajong" && r.soort_jobcoach === "alle"),
  maandmonitor: mm.tabellen.reeks.filter((r) => r.regio === "NL"),
  maandmonitor_venster: (mm.tabellen.venster ?? []).filter((r) => r.regio === "NL"),
  peildatum: run.parameters?.d4?.peildatum ?? null,
});
