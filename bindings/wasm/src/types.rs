//! TypeScript types of the option objects and results, emitted into the
//! package's `.d.ts` next to the classes wasm-bindgen generates.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A calendar date: a `Date` (its UTC calendar day), an ISO string `YYYY-MM-DD`
 * (or a timestamp, read by its first 10 characters), or days since 1970-01-01. */
export type DateLike = Date | string | number;
export type TimeUnit = "days" | "weeks";
export type Granularity = "day" | "week" | "month" | "quarter" | "year";
export type FitStatus = "converged" | "max_iterations" | "line_search_failed" | "at_boundary";

/** Columns of a transaction log, one entry per order, all of one length. */
export interface TransactionColumns {
  /** Whole numbers 0..2^53-1 (a numeric typed array, BigUint64Array or array) or strings. */
  customerId: ArrayLike<number> | ArrayLike<string> | BigUint64Array | BigInt64Array;
  /** Int32Array of days since 1970-01-01, or an array of DateLike values. */
  date: Int32Array | ArrayLike<DateLike>;
  /** Order amounts (finite, non-negative); omit when unknown. */
  amount?: ArrayLike<number> | null;
}

/** The columns of a log as `toColumns` returns them. */
export interface LogColumns {
  customerId: Float64Array | string[];
  /** Days since 1970-01-01. */
  date: Int32Array;
  amount: Float64Array | null;
}

/** What `TransactionLog.toJSON` returns (its getters' values). */
export interface TransactionLogInfo {
  length: number;
  customerCount: number;
  hasAmounts: boolean;
  /** ISO `YYYY-MM-DD`. */
  firstDate: string;
  /** ISO `YYYY-MM-DD`. */
  lastDate: string;
  /** Total of the amounts; null without amounts. */
  revenue: number | null;
}

/** What `Summary.toJSON` returns: the getters' values as plain arrays. */
export interface SummaryInfo {
  length: number;
  unit: TimeUnit;
  observationEnd: string;
  customerId: number[] | string[];
  frequency: number[];
  recency: number[];
  age: number[];
  /** null without amounts. */
  monetaryValue: number[] | null;
  firstDate: string[];
}

/** What `SubscriptionLog.toJSON` returns (its getters' values). */
export interface SubscriptionLogInfo {
  length: number;
  customerCount: number;
  firstDate: string;
}

export interface KpiOptions {
  /** Period length (default "month"). */
  granularity?: Granularity;
  /** "Active" = ordered in the last N calendar months (default 12). */
  lookbackMonths?: number;
  /** "Active" = ordered in the last N days (instead of lookbackMonths). */
  lookbackDays?: number;
}

/** KPIs of one period; rates are `null` where their denominator is zero. */
export interface KpiRow {
  label: string;
  /** First day of the period (ISO). */
  start: string;
  /** First day after the period (ISO, exclusive). */
  end: string;
  /** Whether the log covers the period to its last day. */
  complete: boolean;
  startCustomers: number;
  endCustomers: number;
  newCustomers: number;
  retained: number;
  reactivated: number;
  activeCustomers: number;
  orders: number;
  repeatCustomers: number;
  revenue: number | null;
  retentionRate: number | null;
  cohortRetention: number | null;
  churnRate: number | null;
  growthRate: number | null;
  repeatCustomerRate: number | null;
  purchaseFrequency: number | null;
  averageOrderValue: number | null;
}

export interface KpiSeries {
  granularity: Granularity;
  lookback: { months?: number; days?: number };
  observationEnd: string;
  rows: KpiRow[];
}

export interface LifecycleOptions {
  /** Period length (default "month"). */
  granularity?: Granularity;
}

/** Growth accounting of one period: a customer is active in a period when they
 * ordered in it. `dormant` (active the period before, not in this one) is
 * negative; `quickRatio` = (new + resurrecting) / dormant customers, `null`
 * when nobody went dormant. */
export interface LifecycleRow {
  label: string;
  /** First day of the period (ISO). */
  start: string;
  /** First day after the period (ISO, exclusive). */
  end: string;
  /** Whether the log covers the period to its last day. */
  complete: boolean;
  /** First order in the period. */
  new: number;
  /** Ordered in the period and the one before. */
  returning: number;
  /** Ordered in the period, not the one before, but earlier. */
  resurrecting: number;
  /** Minus the customers who ordered the period before and not in this one. */
  dormant: number;
  /** new + returning + resurrecting. */
  active: number;
  quickRatio: number | null;
}

export interface Lifecycle {
  granularity: Granularity;
  observationEnd: string;
  rows: LifecycleRow[];
}

export interface CohortOptions {
  granularity?: Granularity;
  /** Last observed day (default: the last day of the log). */
  observationEnd?: DateLike;
}

/** Acquisition cohorts; row c, column k = k periods after acquisition.
 * Cells a cohort cannot have observed yet are `null`. When
 * `lastPeriodComplete` is false, the last non-null cell of each row is a
 * partly observed period. */
export interface CohortMatrix {
  granularity: Granularity;
  observationEnd: string;
  lastPeriodComplete: boolean;
  labels: string[];
  sizes: number[];
  /** Customers who ordered in exactly period k. */
  active: (number | null)[][];
  /** Customers who ordered in period k or later. */
  unbounded: (number | null)[][];
  /** active / size. */
  retention: (number | null)[][];
  /** unbounded / size. */
  unboundedRetention: (number | null)[][];
  /** Revenue per cell, `null` for a log without amounts. */
  revenue: (number | null)[][] | null;
  /** Size-weighted mean retention over cohorts that fully observe period k. */
  averageCurve: number[];
  unboundedAverageCurve: number[];
}

/** Bracket retention (`log.bracketRetention`): row c = cohort, column b =
 * bracket b. A cell is `null` when the bracket's first period is after the
 * observation end; `partial[c][b]` is true when the bracket is not observed
 * to its end (the cell counts the orders seen so far), and for `null` cells. */
export interface BracketRetention {
  granularity: Granularity;
  observationEnd: string;
  lastPeriodComplete: boolean;
  /** The brackets as given: [start, end), end `null` for no end. */
  brackets: [number, number | null][];
  labels: string[];
  sizes: number[];
  /** Customers of the cohort with an order in at least one period of the bracket. */
  counts: (number | null)[][];
  /** counts / size. */
  retention: (number | null)[][];
  partial: boolean[][];
}

export interface SummaryOptions {
  /** Unit of recency and age (default "days"). */
  unit?: TimeUnit;
  observationEnd?: DateLike;
}

export interface RfmOptions {
  observationEnd?: DateLike;
}

export interface SegmentCount {
  segment: string;
  customers: number;
}

/** RFM scores (1-5) and segment per customer, in customer order. */
export interface Rfm {
  customerId: Float64Array | string[];
  observationEnd: string;
  recencyDays: Int32Array;
  orders: Float64Array;
  spend: Float64Array | null;
  rScore: Uint8Array;
  fScore: Uint8Array;
  mScore: Uint8Array | null;
  segment: string[];
  segmentCounts: SegmentCount[];
}

export interface FitOptions {
  /** Iteration limit per start (default 1000). */
  maxIterations?: number;
  /** Gradient tolerance (default 1e-9). */
  tolerance?: number;
  /** L2 penalty as in lifetimes (default 0). */
  penalizer?: number;
}

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** MBG/NBD parameters: BG/NBD's, with drop-out possible at the first purchase too. */
export interface MbgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  /** Shape of the gamma distribution of drop-out rates. */
  s: number;
  /** Scale of the gamma distribution of drop-out rates (in the model's unit). */
  beta: number;
}

export interface GammaGammaParams {
  p: number;
  q: number;
  /** Scale of the spend distribution across customers, in money units. */
  gamma: number;
}

/** Spend per customer, one entry each (a `Summary` has these columns too).
 * Rows with frequency 0 or a mean spend of 0 are left out of a fit. */
export interface SpendColumns {
  /** Repeat purchases x: whole numbers >= 0. */
  frequency: ArrayLike<number>;
  /** Mean value of the repeat purchases: finite, >= 0 (0 without repeats). */
  monetaryValue: ArrayLike<number>;
  /** Whole-number weight per row (default 1 each). */
  weights?: ArrayLike<number> | null;
}

/** The BTYD columns per customer, in the purchase model's unit (a `Summary` has them too). */
export interface CustomerColumns {
  /** Repeat purchases x: whole numbers >= 0. */
  frequency: ArrayLike<number>;
  /** t_x: first to last purchase. */
  recency: ArrayLike<number>;
  /** T: first purchase to the observation end. */
  age: ArrayLike<number>;
  /** Mean value of the repeat purchases: finite, >= 0 (0 without repeats). */
  monetaryValue: ArrayLike<number>;
  /** The unit of recency and age; must equal the model's when given. */
  unit?: TimeUnit;
}

export interface ClvOptions {
  /** Number of periods (default 12, at most 10000). */
  periods?: number;
  /** Length of a period in the purchase model's unit (default a month as
   * lifetimes counts it: 30 days, or 4.345 weeks). */
  periodLength?: number;
  /** Discount rate per period (default 0.01). */
  discount?: number;
}

export interface Predictions {
  probabilityAlive: Float64Array;
  expectedPurchases: Float64Array;
}

/** Options of `BgCnbd.fit` and `MbgCnbd.fit`: FitOptions for the fit at each k. */
export interface CnbdFitOptions extends FitOptions {
  /** A fixed Erlang shape k (1..100) instead of choosing it. */
  k?: number;
  /** The largest k tried when k is chosen by likelihood (default 12). */
  maxK?: number;
}

/** BG/CNBD-k and MBG/CNBD-k parameters: the Erlang shape k and BG/NBD's. */
export interface CnbdParams {
  k: number;
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Standard errors of r, alpha, a, b given k (k is chosen on a grid). */
export interface CnbdStandardErrors {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** One k tried by a regularity fit. */
export interface CnbdCandidate {
  k: number;
  /** The maximised log-likelihood at this k, litt term included. */
  logLikelihood: number;
  status: FitStatus;
}

export interface WheatMorrisonOptions {
  /** Last day counted (default: the last order). */
  observationEnd?: DateLike;
}

/** The Wheat–Morrison (1990) regularity estimate. */
export interface WheatMorrison {
  /** Customers with three or more purchase days. */
  customers: number;
  /** Mean of M = t1 / (t1 + t2) (1/2 in expectation). */
  mean: number;
  /** Mean of (M − 1/2)². */
  variance: number;
  /** (1 − 4V) / (8V): 1 for Poisson timing, larger for more regular buyers. */
  k: number;
}

export interface PurchaseDistribution {
  /** The largest count n of a row; each customer has maxN + 1 probabilities. */
  maxN: number;
  /** Customer i's P(exactly n purchases) at i * (maxN + 1) + n. */
  probabilities: Float64Array;
}

export type IntervalQuantity =
  | "parameters"
  | "expected_purchases"
  | "probability_alive"
  | "total_purchases"
  | "clv"
  | "total_clv";

export type IntervalMethod = "delta" | "bootstrap";

export interface IntervalOptions {
  /** What to put intervals on (default "parameters"): the parameters, each
   * customer's expected purchases over `horizon` or probability alive, or the
   * customers' expected purchases over `horizon` all together. */
  quantity?: IntervalQuantity;
  /** The prediction horizon, in the model's unit (default 0). */
  horizon?: number;
  /** The two-sided level, strictly between 0 and 1 (default 0.9). */
  level?: number;
  /** "delta" (the parameter covariance, default) or "bootstrap" (customers
   * resampled and the model refitted; percentile intervals). */
  method?: IntervalMethod;
  /** Bootstrap replicates (default 1000). */
  replicates?: number;
  /** Bootstrap seed (default 0): the same seed gives the same intervals. */
  seed?: number;
  /** The customers of a prediction (default: the rows of the data of the fit,
   * each counted as many customers as share it in the total); needed, with
   * their `monetaryValue`, for "clv" and "total_clv". */
  customers?: Summary | CustomerColumns;
  /** For "clv" and "total_clv": the Gamma-Gamma model (a fitted `GammaGamma`
   * or its parameters), held fixed: only this model's uncertainty is in the
   * interval. */
  spend?: GammaGamma | GammaGammaParams;
  /** For "clv" and "total_clv": the CLV's periods and discount (default 12
   * months of the model's unit at 1 % a month, as `clv`). */
  clv?: ClvOptions;
  /** With "total_purchases": the prediction interval of the total purchases
   * instead, the purchase process's own noise included (`draws` simulated
   * totals, seeded by `seed`; with method "bootstrap" the parameters vary
   * over the replicates). Default false. */
  prediction?: boolean;
  /** Simulated totals of `prediction` (default 1000). */
  draws?: number;
}

export interface Intervals {
  quantity: IntervalQuantity | "mean_spend" | BgBbIntervalQuantity;
  method: IntervalMethod;
  level: number;
  /** Row names: the parameters' names, ["total"], or null (one row per customer). */
  names: string[] | null;
  estimate: Float64Array;
  standardError: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** Bootstrap replicates drawn (0 for the delta method). */
  replicates: number;
  /** Bootstrap replicates that did not converge: in no interval. */
  failed: number;
  /** With `prediction: true`: the simulated totals (then `estimate` is the
   * expected total and `standardError` the totals' standard deviation). */
  draws?: Float64Array;
}

export interface SpendIntervalOptions {
  /** "parameters" (default) or "mean_spend": each customer's conditional
   * expected mean spend. */
  quantity?: "parameters" | "mean_spend";
  /** The two-sided level, strictly between 0 and 1 (default 0.9). */
  level?: number;
  /** The customers of "mean_spend". */
  customers?: Summary | SpendColumns;
  /** "delta" (default) or "bootstrap" (percentile intervals). */
  method?: IntervalMethod;
  /** Bootstrap replicates (default 1000). */
  replicates?: number;
  /** Bootstrap seed (default 0). */
  seed?: number;
}

export interface AtRiskOptions {
  /** Horizon of the expected purchases and value at stake, in the model's
   * unit (default a year: 365 days or 52 weeks). */
  horizon?: number;
  /** A repeat customer is at risk below this probability alive (default 0.5). */
  threshold?: number;
  /** Below this probability alive a customer counts as lost and is left
   * out (default 0.01). */
  lostBelow?: number;
  /** Keep only the first `limit` customers. */
  limit?: number;
}

export interface AtRiskCustomer {
  customerId: number | string;
  /** Repeat purchase days (at least 1: one-time buyers are never listed). */
  frequency: number;
  /** Day of the last purchase, ISO. */
  lastDate: string;
  probabilityAlive: number;
  /** Expected purchases in the horizon. */
  expectedPurchases: number;
  /** (T - t_x) / (t_x / x): how many of the customer's mean gaps have passed. */
  overdue: number;
  /** Expected purchases in the horizon times the mean repeat spend (0 without amounts). */
  valueAtStake: number;
}

export interface TrackingOptions {
  /** Days between points (default 7). */
  everyDays?: number;
  /** Must equal the model's unit when given. */
  unit?: TimeUnit;
}

/** Options of `TransactionLog.scorecard`. */
export interface ScorecardOptions {
  /** Last day of the calibration period (required). */
  calibrationEnd: DateLike;
  /** Last day of the holdout (default the log's last order day). */
  observationEnd?: DateLike;
  /** Time unit of the fits (default "days"). */
  unit?: TimeUnit;
  /** Models to fit (default all three, in this order). */
  models?: Array<"bg_nbd" | "mbg_nbd" | "pareto_nbd">;
  /** Options of every fit. */
  fit?: FitOptions;
}

/** One model of a scorecard: its calibration fit and its holdout errors. */
export interface ScorecardRow {
  model: "bg_nbd" | "mbg_nbd" | "pareto_nbd";
  label: string;
  status: FitStatus;
  warning: string | null;
  /** The estimates, tagged with the model's name. */
  params: { model: string } & Record<string, number | string>;
  logLikelihood: number;
  nParameters: number;
  nObservations: number;
  aic: number;
  bic: number;
  /** Holdout errors per customer (predicted − actual). */
  mae: number;
  rmse: number;
  bias: number;
  /** By calibration frequency 0..6 and 7 (7 or more). */
  byFrequency: Array<{ frequency: number; customers: number; meanActual: number; meanPredicted: number }>;
}

/** The core's scorecard: one row per model, the best by `rule`. */
export interface Scorecard {
  rows: ScorecardRow[];
  best: "bg_nbd" | "mbg_nbd" | "pareto_nbd" | null;
  rule: string;
}

/** What a likelihood-ratio test needs of a fit (a fitted model has these). */
export interface FitCriteria {
  logLikelihood: number | undefined;
  nParameters: number | undefined;
  nObservations: number | undefined;
}

/** The result of `likelihoodRatioTest`. */
export interface LikelihoodRatio {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  boundary: boolean;
}

/** Cumulative repeat purchases of the whole log before each date. */
export interface Tracking {
  date: string[];
  expected: Float64Array;
  actual: Float64Array;
}

/** Columns of a subscription log, one entry per subscription. */
export interface SubscriptionColumns {
  customerId: ArrayLike<number> | ArrayLike<string> | BigUint64Array | BigInt64Array;
  /** First day covered. */
  start: Int32Array | ArrayLike<DateLike>;
  /** First day no longer covered; `null`/`undefined` (or no column): still running. */
  end?: Int32Array | ArrayLike<DateLike | null | undefined> | null;
  /** Monthly recurring revenue of the subscription (finite, non-negative). */
  mrr: ArrayLike<number>;
}

export interface MrrOptions {
  granularity?: Granularity;
  /** First day of the series (default: the first start). */
  from?: DateLike;
  /** Last day of the series (required). */
  to: DateLike;
}

/** MRR movements of one period [start, end); rates `null` where undefined. */
export interface MrrRow {
  start: string;
  end: string;
  startMrr: number;
  endMrr: number;
  new: number;
  expansion: number;
  contraction: number;
  churned: number;
  reactivation: number;
  startCustomers: number;
  endCustomers: number;
  retainedCustomers: number;
  newCustomers: number;
  churnedCustomers: number;
  grossRevenueRetention: number | null;
  netRevenueRetention: number | null;
  logoRetention: number | null;
  logoChurn: number | null;
  /** SaaS quick ratio (new + expansion + reactivation) / (contraction + churned). */
  quickRatio: number | null;
}

export interface MrrSeries {
  granularity: Granularity;
  rows: MrrRow[];
}

export interface DemoOptions {
  seed?: number;
  customers?: number;
  start?: DateLike;
  days?: number;
}

/** A table of durations for `coxPh` and `weibullAft`: one column per name, all
 * of one length (arrays or numeric typed arrays). The duration and event columns
 * are named `duration` and `event` unless the options name others. */
export interface SurvivalColumns {
  [column: string]: ArrayLike<number> | ArrayLike<boolean> | ArrayLike<string> | undefined;
}

export type Ties = "efron" | "breslow";
export type TimeTransform = "rank" | "identity" | "log" | "km";

export interface AftOptions {
  /** Duration column: time to the event or to censoring, finite and > 0 (default "duration"). */
  duration?: string;
  /** Event column: true/1 when the event happened, false/0 when censored (default "event"). */
  event?: string;
  /** Covariate columns (numbers); default: every other column of the data. */
  covariates?: string[];
  /** Case-weight column (finite, > 0). */
  weights?: string;
  /** Two-sided level of the intervals coefLower/coefUpper (default 0.95). */
  confidenceLevel?: number;
}

export interface CoxOptions {
  /** Duration column: finite and >= 0 (default "duration"). */
  duration?: string;
  /** Event column: true/1 when the event happened, false/0 when censored (default "event"). */
  event?: string;
  /** Covariate columns (numbers); default: every other column of the data. */
  covariates?: string[];
  /** Case-weight column (finite, > 0). */
  weights?: string;
  /** Stratum column (numbers or strings): each stratum has its own baseline hazard. */
  strata?: string;
  /** Tied event times (default "efron"). */
  ties?: Ties;
  /** Robust (sandwich) standard errors in `se`, `z`, `pValue` and the intervals (default false). */
  robust?: boolean;
  /** Two-sided level of the intervals (default 0.95). */
  confidenceLevel?: number;
  /** Time scale of the test of proportional hazards (default "rank"). */
  timeTransform?: TimeTransform;
}

/** One stratum's baseline: Breslow's cumulative hazard at the covariate means,
 * a step function at the stratum's distinct durations, and exp(-H0). */
export interface CoxBaseline {
  /** The stratum's label; null without strata. */
  stratum: number | string | null;
  times: Float64Array;
  cumulativeHazard: Float64Array;
  survival: Float64Array;
}

/** What `coxPh` returns: per-covariate columns in the order of `covariates`. */
export interface CoxFit {
  covariates: string[];
  coef: Float64Array;
  /** exp(coef). */
  hazardRatio: Float64Array;
  /** Standard errors (the robust ones with `robust: true`). */
  se: Float64Array;
  coefLower: Float64Array;
  coefUpper: Float64Array;
  hazardRatioLower: Float64Array;
  hazardRatioUpper: Float64Array;
  /** Wald z = coef / se. */
  z: Float64Array;
  /** Two-sided p-value of the Wald test. */
  pValue: Float64Array;
  /** Model-based standard errors. */
  modelSe: Float64Array;
  /** Robust standard errors; null unless `robust: true`. */
  robustSe: Float64Array | null;
  /** (-H)^-1 at the estimate, row-major p × p. */
  covariance: Float64Array;
  /** Covariate means, which the baseline refers to. */
  means: Float64Array;
  logLikelihood: number;
  nullLogLikelihood: number;
  likelihoodRatioTest: { statistic: number; degreesOfFreedom: number; pValue: number };
  /** Harrell's C on the fitted data; null without a comparable pair. */
  concordance: number | null;
  /** The Schoenfeld-residual test (chi-square, 1 df) per covariate. */
  proportionalHazardsTest: { timeTransform: TimeTransform; statistic: Float64Array; pValue: Float64Array };
  /** One per stratum, strata in code order (numbers ascending, then strings). */
  baselines: CoxBaseline[];
  rows: number;
  events: number;
  iterations: number;
  status: FitStatus;
  warning: string | null;
  ties: Ties;
  robust: boolean;
  confidenceLevel: number;
  strata: string | null;
  weights: string | null;
}

/** What `weibullAft` returns: S(t | x) = exp(-(t / lambda)^rho), ln lambda =
 * intercept + x'coef, rho = exp(logRho). */
/** Every parameter's Wald summary (lifelines' `WeibullAFTFitter.summary`). */
export interface WeibullAftSummary {
  /** The covariates, then "intercept" (of ln lambda), then "logRho". */
  parameter: string[];
  coef: Float64Array;
  expCoef: Float64Array;
  se: Float64Array;
  coefLower: Float64Array;
  coefUpper: Float64Array;
  z: Float64Array;
  /** Two-sided p-value of z. */
  pValue: Float64Array;
}

export interface WeibullAftFit {
  covariates: string[];
  /** Effects on ln lambda: a covariate multiplies the time scale by exp(coef). */
  coef: Float64Array;
  /** exp(coef): the factor a unit of the covariate stretches the time scale by. */
  expCoef: Float64Array;
  se: Float64Array;
  /** Wald interval of coef at confidenceLevel. */
  coefLower: Float64Array;
  coefUpper: Float64Array;
  /** coef / se. */
  z: Float64Array;
  /** Two-sided p-value of z. */
  pValue: Float64Array;
  /** The same columns for every parameter, intercept and logRho included. */
  summary: WeibullAftSummary;
  confidenceLevel: number;
  /** Harrell's C of the predicted median survival times (lifelines'
   * concordance_index_); null without a comparable pair. */
  concordance: number | null;
  intercept: number;
  interceptSe: number;
  logRho: number;
  logRhoSe: number;
  logLikelihood: number;
  rows: number;
  iterations: number;
  status: FitStatus;
  warning: string | null;
  weights: string | null;
}

/** Time-invariant covariates, one row per customer of the summary (in its
 * order): numbers are numeric covariates; arrays of strings categorical ones,
 * one-hot encoded as `name=level` columns with a reference level left out. */
export interface CovariateColumns {
  [name: string]: ArrayLike<number> | string[];
}

export interface CovariateFitOptions {
  /** Covariates of the purchase process (default: all). A categorical
   * covariate by its name (all its columns) or by `name=level`. */
  purchase?: string[];
  /** Covariates of the dropout process (default: all). */
  dropout?: string[];
  /** Covariates, each in both lists, with one effect for both processes. */
  equal?: string[];
  /** L2 penalty >= 0 on the purchase effects (default 0). */
  l2Purchase?: number;
  /** L2 penalty >= 0 on the dropout effects (default 0). */
  l2Dropout?: number;
  /** Reference level of each categorical covariate (default: the first in sorted order). */
  reference?: Record<string, string>;
  fit?: FitOptions;
}

/** One covariate's estimated effect. */
export interface CovariateEffect {
  /** The encoded column (`name`, or `name=level` for a categorical covariate). */
  name: string;
  estimate: number;
  /** null when the observed information is not positive definite. */
  standardError: number | null;
  z: number | null;
  /** Whether the effect is shared by both processes (`equal`). */
  shared: boolean;
}

/** What `CovariateFit.toJSON` returns. */
export interface CovariateFitInfo {
  model: "bg_nbd" | "mbg_nbd" | "pareto_nbd";
  unit: TimeUnit;
  /** Population parameters: a customer whose covariates are 0 (or at the reference levels). */
  params: { r: number; alpha: number; a?: number; b?: number; s?: number; beta?: number };
  standardErrors: { r: number; alpha: number; a?: number; b?: number; s?: number; beta?: number } | null;
  purchase: CovariateEffect[];
  dropout: CovariateEffect[];
  logLikelihood: number;
  nParameters: number;
  nObservations: number;
  aic: number;
  bic: number;
  iterations: number;
  status: FitStatus;
  warning: string | null;
}

/** Options of `CovariateFit.clv` and `CovariateFit.clvWithSpendFit`: the CLV's
 * periods as `ClvOptions`, the reference levels of `covariates`, and, with a
 * `SpendCovariateFit`, each customer's spend covariates (default: the purchase
 * model's `covariates`) and their reference levels. */
export interface CovariateClvOptions extends ClvOptions {
  reference?: Record<string, string>;
  spendCovariates?: CovariateColumns;
  spendReference?: Record<string, string>;
}

export interface CovariateIntervalOptions {
  /** The purchases' horizon in the fit's unit (default 0). */
  horizon?: number;
  /** Two-sided level (default 0.9). */
  level?: number;
  /** Reference level of each categorical covariate. */
  reference?: Record<string, string>;
}

/** What `CovariateFit.intervals` returns: delta-method intervals, one per
 * customer (one in all for `totalPurchases`). */
export interface CovariateIntervals {
  level: number;
  estimate: Float64Array;
  standardError: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

export interface SpendCovariateFitOptions {
  /** Covariates of the spend scale (default: all). */
  spend?: string[];
  /** L2 penalty >= 0 on the spend effects (default 0). */
  l2?: number;
  /** Reference level of each categorical covariate. */
  reference?: Record<string, string>;
  fit?: FitOptions;
}

export interface SbgCovariateFitOptions {
  /** Covariates of alpha (default: all). */
  alpha?: string[];
  /** Covariates of beta (default: all). */
  beta?: string[];
  /** Covariates, each in both lists, with one effect scaling alpha and beta together. */
  equal?: string[];
  /** L2 penalty >= 0 on the effects on alpha (default 0). */
  l2Alpha?: number;
  /** L2 penalty >= 0 on the effects on beta (default 0). */
  l2Beta?: number;
  /** Reference level of each categorical covariate. */
  reference?: Record<string, string>;
  fit?: FitOptions;
}

/** What `SbgCovariateFit.toJSON` returns: the effects on alpha in `purchase`,
 * those on beta in `dropout`. */
export interface SbgCovariateFitInfo {
  model: "sbg";
  params: { alpha: number; beta: number };
  standardErrors: { alpha: number; beta: number } | null;
  purchase: CovariateEffect[];
  dropout: CovariateEffect[];
  logLikelihood: number;
  nParameters: number;
  nObservations: number;
  aic: number;
  bic: number;
  iterations: number;
  status: FitStatus;
  warning: string | null;
}

/** What `SpendCovariateFit.toJSON` returns: the spend effects in `purchase`. */
export interface SpendCovariateFitInfo {
  model: "gamma_gamma";
  params: { p: number; q: number; gamma: number };
  standardErrors: { p: number; q: number; gamma: number } | null;
  purchase: CovariateEffect[];
  dropout: CovariateEffect[];
  logLikelihood: number;
  nParameters: number;
  nObservations: number;
  aic: number;
  bic: number;
  iterations: number;
  status: FitStatus;
  warning: string | null;
}

export interface BgBbParams {
  /** Shapes of the beta distribution of transaction probabilities p. */
  alpha: number;
  beta: number;
  /** Shapes of the beta distribution of drop-out probabilities theta. */
  gamma: number;
  delta: number;
}

/** BG/BB histories, one entry per row (a customer, or `weights` customers
 * sharing the history), all whole numbers. */
export interface BgBbColumns {
  /** x: opportunities with a transaction. */
  frequency: ArrayLike<number>;
  /** t_x: the opportunity of the last transaction (0 for none), at most `n`. */
  recency: ArrayLike<number>;
  /** n: the opportunities, at least 1. */
  n: ArrayLike<number>;
  /** Customers sharing each row (default 1 each). */
  weights?: ArrayLike<number> | null;
}

export type BgBbIntervalQuantity =
  | "parameters"
  | "probability_alive"
  | "expected_transactions"
  | "total_transactions";

export interface BgBbIntervalOptions {
  /** "parameters" (default); each customer's P(alive) at the next opportunity
   * or expected transactions in the next `future`; or their sum. */
  quantity?: BgBbIntervalQuantity;
  /** The two-sided level, strictly between 0 and 1 (default 0.9). */
  level?: number;
  /** Opportunities ahead of "expected_transactions" and "total_transactions"
   * (default 1). */
  future?: number;
  /** The customers of a prediction (default: the rows of the fit's data,
   * each once). */
  customers?: { frequency: ArrayLike<number>; recency: ArrayLike<number>; n: ArrayLike<number> };
  /** "delta" (default) or "bootstrap" (percentile intervals). */
  method?: IntervalMethod;
  /** Bootstrap replicates (default 1000). */
  replicates?: number;
  /** Bootstrap seed (default 0). */
  seed?: number;
}
"#;
