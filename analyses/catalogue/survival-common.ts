import type { Parameters } from "../../pipeline/config.ts";
import type { ConfType } from "../survival/types.ts";

/** Parameters shared by the survival analyses. */
export interface SurvivalParams {
  kenmerken: string[];
  leespunten: number[];
  peildatum: string;
  confType: ConfType;
  confLevel: number;
}

export const PERSOONSKENMERKEN = ["geslacht", "regeling", "diagnosegroep", "opleidingsniveau", "regio"];

export function survivalParams(p: Parameters, kenmerken: string[]): SurvivalParams {
  return {
    kenmerken,
    leespunten: [...p.d4.leespunten],
    peildatum: p.d4.peildatum,
    confType: p.survival.confType,
    confLevel: p.survival.confLevel,
  };
}
