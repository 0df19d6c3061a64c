/**
 * All analyses, in catalogue order (docs/analyses.md). Adding an analysis = its module in
 * analyses/catalogue/ (with the `publishes` declaration), its import and entry here, and its page
 * section, which reads data/<id>.json through the one loader dashboards/data/[id].json.js
 * (docs/analyses.md).
 */
import type { AnalysisModule } from "./types.ts";
import baaneindes_per_jaar from "./catalogue/baaneindes_per_jaar.ts";
import baaneindes_per_persoon from "./catalogue/baaneindes_per_persoon.ts";
import baanduur from "./catalogue/baanduur.ts";
import duur_tot_volgende_baan from "./catalogue/duur_tot_volgende_baan.ts";
import duur_incl_proefplaatsing from "./catalogue/duur_incl_proefplaatsing.ts";
import duur_per_jaar from "./catalogue/duur_per_jaar.ts";
import vergelijking from "./catalogue/vergelijking.ts";
import reintegratie_uptake from "./catalogue/reintegratie_uptake.ts";
import reintegratie_type from "./catalogue/reintegratie_type.ts";
import reintegratie_eigen_organisatie from "./catalogue/reintegratie_eigen_organisatie.ts";
import jobcoach_paden from "./catalogue/jobcoach_paden.ts";
import jobcoach_indices from "./catalogue/jobcoach_indices.ts";
import jobcoach_baanverlies from "./catalogue/jobcoach_baanverlies.ts";
import maandmonitor from "./catalogue/maandmonitor.ts";

export const ANALYSES: AnalysisModule<unknown>[] = [
  baaneindes_per_jaar,
  baaneindes_per_persoon,
  baanduur,
  duur_tot_volgende_baan,
  duur_incl_proefplaatsing,
  duur_per_jaar,
  vergelijking,
  reintegratie_uptake,
  reintegratie_type,
  reintegratie_eigen_organisatie,
  jobcoach_paden,
  jobcoach_indices,
  jobcoach_baanverlies,
  maandmonitor,
] as AnalysisModule<unknown>[];

/**
 * When two analyses run side by side (analyses/run-analyses.ts), these start first, in this
 * order, so that no long one starts last and runs alone (scale 1, one at a time, 2026-12-02:
 * vergelijking 5.9 s, jobcoach_indices 2.4 s, duur_tot_volgende_baan 2.0 s,
 * duur_incl_proefplaatsing 2.0 s of 15.4 s; docs/performance.md). The rest follow in catalogue order. Scheduling only: no result depends on it.
 */
export const START_FIRST: readonly string[] = ["vergelijking", "duur_tot_volgende_baan", "jobcoach_indices", "duur_incl_proefplaatsing"];
