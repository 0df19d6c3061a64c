/**
 * The disclosure thresholds an analysis's `publish` receives. A module of its own, below both
 * analyses/types.ts and analyses/disclosure/index.ts, so neither has to import the other's types.
 */
export interface DisclosureRules {
  /** counts 1..minAantal-1 are hidden */
  minAantal: number;
  /** shares and means only when the denominator has at least this many persons */
  minNoemer: number;
  /** survival curves only while every group has at least this many at risk */
  minAtRisk: number;
  /** fixed publication grid for survival curves (days) */
  curveGrid: number[];
  /** attacker check: a hidden count must stay consistent with this much below (or 0) and above its value */
  beschermingsmarge: number;
}
