import { defineAnalysis } from "../types.ts";
import { publishSurvival, runSurvival } from "../lib/survival-analysis.ts";
import { survivalParams } from "./survival-common.ts";

export default defineAnalysis({
  id: "duur_per_jaar",
  titel: "Duur tot volgende baan naar jaar van baaneinde",
  rapport: "figuur BII.1",
  definitie:
    "Cumulatief aandeel baaneindes waarna een volgende baan of proefplaatsing begon, apart per jaar waarin de baan eindigde. " +
    "Latere jaren hebben een kortere observatieperiode tot de peildatum.",
  parameters: (p) => survivalParams(p, ["jaar"]),
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
