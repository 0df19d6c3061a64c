import { defineAnalysis } from "../types.ts";
import { publishSurvival, runSurvival } from "../lib/survival-analysis.ts";
import { PERSOONSKENMERKEN, survivalParams } from "./survival-common.ts";

export default defineAnalysis({
  id: "duur_incl_proefplaatsing",
  titel: "Duur tot volgende baan of proefplaatsing",
  rapport: "figuur 3.4",
  definitie:
    "Als duur tot volgende baan, maar de start van een proefplaatsing (onbetaald proefwerken met behoud van uitkering) telt ook als het vinden van werk.",
  parameters: (p) => survivalParams(p, ["totaal", "jobcoach", ...PERSOONSKENMERKEN]),
  run: async (ctx, p) => ({
    tabellen: await runSurvival(ctx.conn, {
      bron: "baaneindes",
      tijd: "dagen_tot_volgende_baan_pp",
      status: "volgende_baan_pp",
      kenmerken: p.kenmerken,
      methoden: ["km"],
      confType: p.confType,
      confLevel: p.confLevel,
      leespunten: p.leespunten,
    }),
  }),
  publish: (result, rules) => publishSurvival(result.tabellen, rules),
});
