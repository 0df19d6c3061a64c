import { sql } from "../../core/sql.ts";
import { PERSOONSKENMERKEN, kmAnalysis } from "./survival-common.ts";

export default kmAnalysis({
  id: "duur_tot_volgende_baan",
  titel: "Duur tot volgende baan",
  rapport: "figuur 3.3, tabel 3.1",
  definitie:
    "Cumulatief aandeel baaneindes (2015–2019) waarna de persoon in een volgende baan is begonnen, naar aantal dagen na het einde (Kaplan–Meier). " +
    "Een baan die al naast de beëindigde baan liep telt als direct (0 dagen). Wie nog geen nieuwe baan had, telt mee tot de peildatum, overlijden of pensioen.",
  kenmerken: ["totaal", "jobcoach", ...PERSOONSKENMERKEN],
  tijd: sql`dagen_tot_volgende_baan`,
  status: sql`volgende_baan`,
});
