/**
 * Types of the adjustment module (analyses/adjust): the covariate specification of the
 * propensity model, the fitted model, the weights and the balance table.
 */

/** One covariate of the propensity model. */
export type Covariate =
  | {
      /** column of the source relation; categorical: one dummy per level except the reference */
      kolom: string;
      soort: "categorisch";
    }
  | {
      kolom: string;
      soort: "numeriek";
      /**
       * Round to a multiple of this before the fit (e.g. 1: whole hours), to keep the number
       * of covariate patterns small; absent: the values as they are. The rounded value is the
       * covariate (the fit is exact for it), not an approximation inside the fit.
       */
      afronding?: number;
    };

export interface PropensitySpec {
  /** the treatment groups; the first is the reference of the multinomial model (e.g. geen) */
  groepen: readonly string[];
  covariaten: readonly Covariate[];
  /**
   * Pool levels of a categorical covariate that have fewer than this many endings in some
   * group into one level `overig` (POOLED_LEVEL). Absent: no pooling, and a level without
   * endings in some group is an error (the maximum-likelihood estimate does not exist).
   */
  samenvoegenOnder?: number;
  /**
   * Two-way interactions of categorical covariates (after pooling): one product dummy per pair
   * of non-reference levels that occurs together. Absent: main effects only.
   */
  interacties?: readonly (readonly [string, string])[];
  /**
   * Ridge penalty λ on the interaction coefficients only: the fit maximises
   * log L − λ/2 · Σ β², a normal prior with variance 1/λ on each interaction log odds ratio. It
   * keeps the fit finite when a combination of levels has no ending in some group (then the
   * coefficient shrinks to the main effects instead of running off to −∞). Required (> 0) with
   * `interacties`.
   */
  interactieStraf?: number;
}

/** A column of the design matrix (the intercept, a level dummy, a numeric value or its missing indicator). */
export interface Term {
  /** R-style name: "(Intercept)", `${kolom}${niveau}`, `${kolom}`, `${kolom}_onbekend` */
  naam: string;
  kolom: string | null;
  /** the level for a dummy; null otherwise */
  niveau: string | null;
  soort: "intercept" | "niveau" | "numeriek" | "ontbreekt" | "interactie";
  /** an interaction: the two covariates and their levels (kolom and niveau are then "a:b" and "la:lb") */
  paar?: readonly [{ kolom: string; niveau: string }, { kolom: string; niveau: string }];
}

/** A covariate as coded in the model: its levels after pooling, the reference first. */
export interface CodedCovariate {
  kolom: string;
  soort: "categorisch" | "numeriek";
  /** categorical: levels as used (reference first, sorted by code unit otherwise) */
  niveaus: string[];
  /** categorical: original level → level used (pooled ones → POOLED_LEVEL) */
  samengevoegd: Record<string, string>;
  /** numeric: does it have missing values (then it gets a missing indicator term) */
  heeftOntbrekend: boolean;
}

export interface Coefficient {
  /** the non-reference group this coefficient is for */
  groep: string;
  term: string;
  schatting: number;
  /** standard error from the inverse observed information (as R `summary(multinom)`) */
  se: number;
}

export interface MultinomialFit {
  groepen: string[];
  terms: Term[];
  /** beta[k-1][j]: coefficient of term j for group k (k = 1..K-1; group 0 is the reference) */
  beta: number[][];
  /** standard errors, same shape */
  se: number[][];
  /** −2 log-likelihood (R `deviance(multinom)`) */
  deviance: number;
  iterations: number;
  /** fitted probabilities per pattern: prob[p][k] */
  prob: number[][];
}

/** Weight trimming: truncate at percentiles of all weights, at a fixed maximum, or none. */
export type Trimming = { soort: "percentiel"; onder: number; boven: number } | { soort: "maximum"; maximum: number } | { soort: "geen" };

/** Weight summary for one group (or `totaal`). */
export interface WeightSummary {
  groep: string;
  /** `ruw` (before trimming) or `getrimd` */
  gewicht: "ruw" | "getrimd";
  n: number;
  min: number;
  p01: number;
  mediaan: number;
  p99: number;
  max: number;
  som: number;
  /** effective sample size (Σw)² / Σw² */
  ess: number;
}

/** One row of the balance table: a covariate level (or a numeric covariate's mean) in one group. */
export interface BalanceRow {
  kolom: string;
  /** the level, `gemiddelde` for a numeric covariate's mean, `onbekend` for its missing share */
  niveau: string;
  groep: string;
  /** endings in this group with this level (numeric mean: with a value) */
  n: number;
  /** endings in this group */
  nGroep: number;
  /** Σ weights of those endings */
  somGewicht: number;
  /** share (or mean) before weighting */
  ongewogen: number;
  /** share (or mean) after weighting */
  gewogen: number;
  /** variance within the group, unweighted: p(1−p) for a level share, the sample variance (n−1) for a mean */
  variantie: number;
  /** standardised mean difference vs the reference group, before and after weighting (null for the reference group itself or a zero denominator) */
  smdOngewogen: number | null;
  smdGewogen: number | null;
}
