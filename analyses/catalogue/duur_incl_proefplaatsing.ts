import { sql } from "../../core/sql.ts";
import { PERSOONSKENMERKEN, kmAnalysis } from "./survival-common.ts";

export default kmAnalysis({
  id: "duur_incl_proefplaatsing",
  titel: "Duur tot volgende baan of proefplaatsing",
  rapport: "figuur 3.4",
  definitie:
    "Als duur tot volgende baan, maar de start van een proefplaatsing (onbetaald proefwerken met behoud van uitkering) telt ook als het vinden van werk.",
  kenmerken: ["totaal", "jobcoach", ...PERSOONSKENMERKEN],
  tijd: sql`dagen_tot_volgende_baan_pp`,
  status: sql`volgende_baan_pp`,
  // duur_tot_volgende_baan publishes the same endings with the job alone
  naast: { tijd: sql`dagen_tot_volgende_baan` },
});
