import { sql } from "../../core/sql.ts";
import { kmAnalysis, survivalRelations } from "./survival-common.ts";

export default kmAnalysis({
  id: "duur_per_jaar",
  titel: "Duur tot volgende baan naar jaar van baaneinde",
  rapport: "figuur BII.1",
  definitie:
    "Cumulatief aandeel baaneindes waarna een volgende baan of proefplaatsing begon, apart per jaar waarin de baan eindigde. " +
    "Latere jaren hebben een kortere observatieperiode tot de peildatum.",
  kenmerken: ["jaar"],
  tijd: sql`dagen_tot_volgende_baan_pp`,
  status: sql`volgende_baan_pp`,
  // the years partition the same endings, with the same event, as the total of duur_incl_proefplaatsing
  relations: survivalRelations({ analysis: "duur_incl_proefplaatsing", where: { kenmerk: "totaal", groep: "totaal" } }),
  // its years' total is duur_incl_proefplaatsing's, which duur_tot_volgende_baan shows with the job alone
  naast: { tijd: sql`dagen_tot_volgende_baan`, alleenTotaal: true },
});
