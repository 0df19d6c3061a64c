/**
 * Every rate of the synthetic world in one object: behaviour (hazards, shares) and messiness.
 * Recorded in full in `generator.json`. Monthly hazards are probabilities per person-month.
 */

export interface GeneratorParameters {
  population: {
    /** Wajong persons at scale 1 */
    wajongPersons: number;
    /** WGA persons with a jobcoach at scale 1 (the article's 5% of ~25k starters) */
    wgaJobcoachPersons: number;
    /** employers and jobcoach/re-integration organisations at scale 1 (minimums apply) */
    employers: number;
    organisations: number;
    regimeShares: { oWajong: number; Wajong2010: number; Wajong2015: number };
    maleShare: number;
    education: { laag: number; midden: number; hoog: number; onbekend: number };
    diagnosis: { lichamelijk: number; psychisch: number; ontwikkelingsstoornis: number; verstandelijk: number; overig: number };
    /** share assessed with arbeidsvermogen `ja` (rest: duurzaam_geen or nee) per regime */
    capacityJa: { oWajong: number; Wajong2010: number };
    /** share of the non-`ja` that is `duurzaam_geen` */
    duurzaamGeenOfRest: number;
  };
  simulation: {
    /** first simulated month (burn-in before the extract window) */
    start: string;
    /** extract window: polis periods and services from/to */
    windowStart: string;
    windowEnd: string;
  };
  work: {
    /** probability to be on the labour market at all, by arbeidsvermogen */
    participation: { ja: number; nee: number; duurzaam_geen: number };
    /** lognormal job-finding hazard per month: median and log-sd */
    findMedian: number;
    findSigma: number;
    /**
     * share of the log-variance of the latent finding hazard that belongs to the search spell
     * rather than the person: that part is drawn anew at every job end (and for the first
     * search), so the search after an ending does not share it with the history that led to the
     * ending (TRUTH.md, "Assignment and confounding")
     */
    findSpellShare: number;
    /** multiplicative job-finding factor per calendar year (labour-market tightening) */
    findYear: Record<string, number>;
    /** lognormal churn factor on job-ending hazards: log-sd; correlation with the finding hazard */
    churnSigma: number;
    churnFindCorrelation: number;
    churnMale: number;
    churnYoung: number;
    churnLowEducation: number;
    churnDiagnosis: { lichamelijk: number; psychisch: number; ontwikkelingsstoornis: number; verstandelijk: number; overig: number };
    /** multiplicative job-ending factor per calendar year (retention under the Participatiewet) */
    endYear: Record<string, number>;
    /** job-ending hazard per month by job type */
    endHazard: { onbepaald: number; bepaald: number; uitzend: number; oproep: number };
    /** jobs with a jobcoach end less often */
    endHazardJobcoach: number;
    /** extra job-ending hazard per month in the first 2 months of a job (probation) */
    probationHazard: number;
    /** at a job end: probability of withdrawing from the labour market for good */
    withdrawal: number;
    /**
     * observed person characteristics that drive the job-finding hazard (factors on the latent
     * hazard): the same characteristics drive the choice of jobcoach, so they confound the
     * contrast between jobcoach categories (TRUTH.md, "The jobcoach effect")
     */
    findDiagnosis: { lichamelijk: number; psychisch: number; ontwikkelingsstoornis: number; verstandelijk: number; overig: number };
    findEducation: { laag: number; midden: number; hoog: number; onbekend: number };
    /** job-finding factor in the calendar month of a job end (after the first week): a search takes some weeks */
    findEndMonth: number;
    /** job-finding factor while fewer than `days` days have passed since a job end (at the month's first day): search right after a loss */
    findSoonAfterEnd: { days: number; factor: number };
    /** WGA: job-finding factor, job-ending factor, annual wage growth */
    findWga: number;
    endWga: number;
    wageGrowthWga: number;
    /** fixed-term contract: term lengths (months) and renewal probability at expiry */
    termMonths: number[];
    /**
     * share of fixed terms that run to the end of a calendar month, counting the start month as
     * the first (a 3-month term from 15 January ends on 31 March); the rest end the day before
     * the same day n months later
     */
    termToMonthEnd: number;
    renewal: number;
    /** renewal probability of a coached Wajong job */
    renewalJobcoach: number;
    /** tenure (months) after which a renewal at the same employer is permanent (ketenregeling) */
    chainMonths: number;
    /** at the end of the chain: probability that the employer makes the contract permanent (else the job ends) */
    chainPermanent: number;
    /** job type shares at start */
    soortBaan: { regulier: number; uitzend: number; oproep: number; overig: number };
    /** share of uitzend among jobs with jobcoach relative to without */
    uitzendJobcoachFactor: number;
    permanentAtStart: number;
    permanentAtStartWga: number;
    /** at a job end: probability of a direct next job (≤ 7 days), by calendar year */
    direct: Record<string, number>;
    /** share of direct next jobs that start before the old one ends (overlap, T = 0) */
    directOverlap: number;
    /** hours per week: lognormal median and log-sd, without / with jobcoach, WGA */
    hoursMedian: number;
    hoursMedianJobcoach: number;
    hoursMedianWga: number;
    hoursSigma: number;
    /** a next job's log hours: this weight on the last job's hours, the rest on the median (the article: hours stay stable) */
    hoursPersistence: number;
    /** hours at a contract renewal: × uniform in this range */
    hoursRenewal: [number, number];
    /** real (2015) adult minimum hourly wage, and Wajong productivity range */
    minimumWage2015: number;
    productivityWajong: [number, number];
    productivityWga: [number, number];
    /** annual nominal wage growth within an ikv; extra for the young (youth wage steps) */
    wageGrowth: number;
    wageGrowthYoung: number;
    /** share of employers paying per 4 weeks */
    fourWeeklyEmployers: number;
  };
  /**
   * The causal effect of the jobcoach category of a job that ended on finding the next job: a
   * hazard ratio versus `geen` per category, piecewise constant in the days since the ending
   * (pieces start at 0 and at each of `breaksDays`). It multiplies every category-dependent part
   * of the post-ending job-finding process: the cumulative hazard of a direct next job (first
   * piece) and the monthly search hazard (piece of the month's first day). TRUTH.md.
   */
  effect: {
    breaksDays: number[];
    hazardRatio: { extern: number[]; intern: number[] };
  };
  jobcoach: {
    /**
     * Wajong: probability of a jobcoach at a job or proefplaatsing start = atStart by diagnosis
     * group × regeling factor × calendar-year factor × education factor: observed characteristics
     * only (no history)
     */
    atStart: { lichamelijk: number; psychisch: number; ontwikkelingsstoornis: number; verstandelijk: number; overig: number };
    regeling: { oWajong: number; Wajong2010: number; Wajong2015: number };
    /** factor by calendar year of the start (years before the first key: the first key's value; after the last: 1) */
    year: Record<string, number>;
    education: { laag: number; midden: number; hoog: number; onbekend: number };
    /** WGA: probability of a jobcoach for a job after the first (forced) jobcoach start */
    wga: number;
    /** share intern among jobcoach trajectories */
    internShare: number;
    /** probability that coaching continues into a next ~6-month period, by volgnummer 1,2,3,4+ */
    continuation: number[];
    /** factor on the continuation probability for WGA */
    continuationWga: number;
    periodMonths: number;
    /** uitzend/detachering jobs with a jobcoach: share registered under the hirer (inlener) */
    hirerRegistration: number;
    regime: { zeer_licht: number; licht: number; midden: number; intensief: number };
    hoursByRegime: { zeer_licht: number; licht: number; midden: number; intensief: number };
  };
  proefplaatsing: {
    /**
     * share of job-finding events (direct or after search) that are a proefplaatsing, by the
     * jobcoach decision for the new job
     */
    share: { extern: number; intern: number; geen: number };
    /** the same at a person's first job */
    shareFirstJob: { extern: number; intern: number; geen: number };
    /** factor on that share for a direct find (≤ 7 days after an ending) */
    directFactor: number;
    minMonths: number;
    maxMonths: number;
    /** probability of being hired at the end */
    hired: number;
  };
  reintegration: {
    /** monthly hazard of starting a service while without work after a job end, by category */
    hazard: { extern: number; intern: number; geen: number };
    /** probability of a service already running at the job end (started before), by category */
    beforeEnd: { extern: number; intern: number; geen: number };
    /** extra probability of a start in the first week after the end, by category */
    firstWeek: { extern: number; intern: number; geen: number };
    /** hazard factor in the month of the end and after 6 months without work */
    firstMonthFactor: number;
    laterFactor: number;
    /** monthly hazard for persons who never worked (on the labour market) */
    hazardNeverWorked: number;
    /** service type mix before the end / after the end / after the end from 2019 (modular) */
    typeBefore: Record<string, number>;
    typeAfter: Record<string, number>;
    typeAfter2019: Record<string, number>;
    durationMonths: [number, number];
    /** extern endings: probability that the jobcoach's own organisation delivers, by timing */
    ownOrganisation: { before: number; firstWeek: number; firstMonth: number; firstQuarter: number; later: number };
    prematureEnd: number;
  };
  /** the analysed endings of the truth estimands (truth/effecten.json): D2 and D4 as in pipeline/config.ts */
  estimands: {
    windowStart: string;
    windowEnd: string;
    /** endings with a benefit ending by death or pension within this many months are excluded */
    deathPensionMonths: number;
    readingPoints: number[];
    /** follow-up of the counterfactual times to the next job (days) */
    horizonDays: number;
    rmstDays: number[];
    /**
     * the data's last day of follow-up (D4's peildatum, pipeline/config.ts): the marginal Cox
     * ratio is also written with every counterfactual time censored there, as the data are
     */
    peildatum: string;
  };
  lifeEvents: {
    /** monthly death hazard at age 20 and its yearly growth factor */
    deathAt20: number;
    deathGrowth: number;
    /** monthly hazard of the benefit ending by recovery / other reasons */
    recovery: number;
    otherEnd: number;
    /** probability that a running job ends at the pension date */
    jobEndsAtPension: number;
    /** share of labour-market participants with low job finding reassessed as duurzaam_geen */
    reassessedDuurzaamGeen: number;
  };
  messiness: {
    /** share of ended ikv's whose datum_einde_ikv is registered */
    registeredEnd: number;
    /** per job-month (not first/last): probability of a gap of loon_sv = 0 of 1–2 months */
    zeroPayGap: number;
    /** share of polis rows that were corrected (an earlier declaration with other values) */
    correction: number;
    /** share of portal applications refused / granted periods withdrawn (extra rows) */
    portalRefused: number;
    portalWithdrawn: number;
    /** share of ended services without einddatum */
    serviceWithoutEnd: number;
  };
}

export const DEFAULT_PARAMETERS: GeneratorParameters = {
  population: {
    wajongPersons: 200_000,
    wgaJobcoachPersons: 1_300,
    employers: 60_000,
    organisations: 600,
    regimeShares: { oWajong: 0.52, Wajong2010: 0.36, Wajong2015: 0.12 },
    maleShare: 0.6,
    education: { laag: 0.55, midden: 0.25, hoog: 0.05, onbekend: 0.15 },
    diagnosis: { lichamelijk: 0.14, psychisch: 0.22, ontwikkelingsstoornis: 0.28, verstandelijk: 0.3, overig: 0.06 },
    capacityJa: { oWajong: 0.55, Wajong2010: 0.65 },
    duurzaamGeenOfRest: 0.65,
  },
  simulation: { start: "2000-01-01", windowStart: "2013-01-01", windowEnd: "2020-12-31" },
  work: {
    participation: { ja: 0.9, nee: 0.5, duurzaam_geen: 0.07 },
    // 0.052 → 0.071 (calibration after the spell part of the finding hazard, issue 12.5): with less
    // persistent heterogeneity the endings over-represent fast finders less, so D4 came down
    findMedian: 0.071,
    findSigma: 1.5,
    // 0 → 0.7 (issue 12.5): the search after an ending shares only the person part with the
    // history that selected the ending (TRUTH.md "What is left of latent paths among the endings")
    findSpellShare: 0.7,
    // 2013–2015 0.7/0.75/0.85 → 0.65/0.7/0.8 (calibration after issue 12.5): persons working at the end of 2015
    findYear: { "2013": 0.65, "2014": 0.7, "2015": 0.8, "2016": 1.0, "2017": 1.15, "2018": 1.3, "2019": 1.25, "2020": 1.0 },
    churnSigma: 0.45,
    // 0.2 → 0 (issue 12.5): coached jobs end less often, so among endings coached ones have more
    // churn; churn must not carry information on finding
    churnFindCorrelation: 0,
    // 1.3 → 1.22 (calibration after issue 12.5): endings per man (fig BI.2)
    churnMale: 1.22,
    churnYoung: 1.2,
    churnLowEducation: 1.1,
    churnDiagnosis: { lichamelijk: 0.9, psychisch: 1.15, ontwikkelingsstoornis: 1.1, verstandelijk: 0.9, overig: 1.0 },
    endYear: { "2015": 1.05, "2016": 1.0, "2017": 0.93, "2018": 0.88, "2019": 0.92 },
    // 0.021/0.021/0.085/0.044 → (calibration after issue 12.5): job durations
    endHazard: { onbepaald: 0.022, bepaald: 0.022, uitzend: 0.095, oproep: 0.046 },
    // 0.35 → 0.48 (calibration after issue 12.5): coached endings lasted too long (fig BI.3);
    // 0.48 → 0.37: with the finding ability redrawn per job end they lasted 2.9 months longer in
    // the pipeline's reading (0.45: 3.1), fig BI.3 has 4 (calibration margin 15%)
    endHazardJobcoach: 0.37,
    probationHazard: 0.045,
    // 0.08 → 0.045 (calibration after issue 12.5): fewer persons without any job after a loss
    withdrawal: 0.045,
    findDiagnosis: { lichamelijk: 1.4, psychisch: 1.0, ontwikkelingsstoornis: 0.8, verstandelijk: 0.6, overig: 1.0 },
    findEducation: { laag: 0.8, midden: 1.15, hoog: 1.4, onbekend: 1.0 },
    // 1 → 0 (calibration after D1's month-end convention): an unregistered end falls on the month's
    // last day, so a next job later in the same month counts as T = 0 (≤ 1 week); no search
    // success in the month of the end (direct next jobs aside) brings D4/D5 ≤ 1w and ≤ 1m down
    findEndMonth: 0,
    findSoonAfterEnd: { days: 91, factor: 1.4 },
    // 0.28 → 0.22 (calibration after issue 12.5, with findMedian): permanent contracts of working WGA after 3 years
    findWga: 0.22,
    // 1 → 0.95 (calibration after issue 12.5): keeps WGA job endings where they were before endHazard rose
    endWga: 0.95,
    wageGrowthWga: 0.09,
    termMonths: [3, 6, 12, 12],
    // 0 → 0.8 (calibration after D1's month-end convention): terms to a calendar month end keep a
    // non-renewed 3/6/12-month contract below the class boundary (<3m, 3–6m, 6–12m) instead of the
    // month-end convention pushing it over; fewer 1–2 and 2–3 year endings
    termToMonthEnd: 0.8,
    renewal: 0.7,
    renewalJobcoach: 0.78,
    chainMonths: 24,
    // 0.6 → 0.7 (calibration after D1's month-end convention): fewer chain-end endings at 2 years,
    // more ≥ 3 year jobs; job losses per 3 years (article) come down
    chainPermanent: 0.7,
    soortBaan: { regulier: 0.66, uitzend: 0.2, oproep: 0.1, overig: 0.04 },
    uitzendJobcoachFactor: 0.4,
    permanentAtStart: 0.055,
    // 0.03 → 0.05 (calibration after issue 12.5): permanent contracts of working WGA after 3 years
    permanentAtStartWga: 0.05,
    // each year × 1.03 (calibration after issue 12.5): direct next jobs after a loss (na_verlies_direct)
    direct: { "2013": 0.263, "2014": 0.273, "2015": 0.273, "2016": 0.309, "2017": 0.35, "2018": 0.412, "2019": 0.433, "2020": 0.34 },
    directOverlap: 0.35,
    hoursMedian: 11.5,
    hoursMedianJobcoach: 31,
    hoursMedianWga: 21,
    hoursSigma: 0.55,
    hoursPersistence: 0.6,
    hoursRenewal: [0.93, 1.09],
    minimumWage2015: 9.2,
    productivityWajong: [0.7, 1.1],
    productivityWga: [1.05, 1.5],
    wageGrowth: 0.05,
    wageGrowthYoung: 0.11,
    fourWeeklyEmployers: 0.12,
  },
  effect: {
    breaksDays: [1, 182],
    // extern 0.95 → 1.1 and 1.5 → 1.75 (calibration after issue 12.5): without the selection of
    // faster finders into coached endings the table 3.1 contrasts extern − geen came out lower;
    // intern 0.76 → 0.82 and 0.8 → 0.9 for intern − geen at 1 year
    hazardRatio: { extern: [1.12, 1.1, 1.75], intern: [1.3, 0.82, 0.9] },
  },
  jobcoach: {
    atStart: { lichamelijk: 0.063, psychisch: 0.152, ontwikkelingsstoornis: 0.35, verstandelijk: 0.47, overig: 0.105 },
    regeling: { oWajong: 0.9, Wajong2010: 1.2, Wajong2015: 1.2 },
    year: { "2012": 0.8, "2013": 1 },
    education: { laag: 1.2, midden: 0.8, hoog: 0.5, onbekend: 1 },
    wga: 0.3,
    internShare: 0.12,
    continuation: [0.95, 0.93, 0.9, 0.9],
    continuationWga: 0.9,
    periodMonths: 6,
    hirerRegistration: 0.6,
    regime: { zeer_licht: 0.15, licht: 0.4, midden: 0.35, intensief: 0.1 },
    hoursByRegime: { zeer_licht: 8, licht: 16, midden: 28, intensief: 45 },
  },
  proefplaatsing: {
    share: { extern: 0.45, intern: 0.15, geen: 0.06 },
    shareFirstJob: { extern: 0.95, intern: 0.15, geen: 0.1 },
    directFactor: 0.45,
    minMonths: 2,
    maxMonths: 5,
    hired: 0.75,
  },
  reintegration: {
    hazard: { extern: 0.05, intern: 0.02, geen: 0.011 },
    beforeEnd: { extern: 0.02, intern: 0.01, geen: 0.005 },
    firstWeek: { extern: 0.003, intern: 0.002, geen: 0.001 },
    firstMonthFactor: 0.4,
    laterFactor: 0.6,
    hazardNeverWorked: 0.004,
    typeBefore: { naar_werk: 0.75, werkfit_maken: 0.21, vrije_ruimte: 0.04 },
    typeAfter: { naar_werk: 0.45, werkfit_maken: 0.45, vrije_ruimte: 0.1 },
    typeAfter2019: {
      naar_werk: 0.4,
      werkfit_maken: 0.3,
      vrije_ruimte: 0.05,
      participatie_interventie: 0.08,
      maatschappelijke_deelname: 0.05,
      praktijkassessment: 0.06,
      begeleiding_scholing: 0.06,
    },
    durationMonths: [3, 12],
    // before 0.58 → 0.64: fig 3.7 counts services within one month before the end
    // (d6.voorEindeDagenEigenOrganisatie); the pipeline read 53% against 59%
    ownOrganisation: { before: 0.64, firstWeek: 0.64, firstMonth: 0.48, firstQuarter: 0.42, later: 0.36 },
    prematureEnd: 0.1,
  },
  estimands: {
    windowStart: "2015-01-01",
    windowEnd: "2019-12-31",
    deathPensionMonths: 3,
    readingPoints: [7, 30, 91, 182, 365, 730, 1095, 1461],
    horizonDays: 1461,
    rmstDays: [365, 1461],
    peildatum: "2019-12-31",
  },
  lifeEvents: {
    deathAt20: 0.00012,
    deathGrowth: 1.075,
    recovery: 0.0006,
    otherEnd: 0.0004,
    jobEndsAtPension: 0.8,
    reassessedDuurzaamGeen: 0.25,
  },
  messiness: {
    registeredEnd: 0.3,
    zeroPayGap: 0.01,
    correction: 0.02,
    portalRefused: 0.06,
    portalWithdrawn: 0.03,
    serviceWithoutEnd: 0.05,
  },
};
