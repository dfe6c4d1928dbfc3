// A typed use of the package (Node build); `tsc --noEmit` must accept it,
// and the `@ts-expect-error` lines prove that wrong options are rejected.
import {
  BgNbd,
  MbgNbd,
  ParetoNbd,
  type MbgNbdParams,
  type ParetoNbdParams,
  GammaGamma,
  type ClvOptions,
  type GammaGammaParams,
  SubscriptionLog,
  type MrrRow,
  TransactionLog,
  demoShop,
  type AtRiskCustomer,
  type PurchaseDistribution,
  type BracketRetention,
  type CohortMatrix,
  type KpiRow,
  type LifecycleRow,
  type TransactionColumns,
  type TransactionLogInfo,
  type SummaryInfo,
  type SubscriptionLogInfo,
  type Scorecard,
  likelihoodRatioTest,
  coxPh,
  weibullAft,
  type CoxFit,
  CovariateFit,
  type CovariateFitInfo,
  type CovariateIntervals,
  SpendCovariateFit,
  type SpendCovariateFitInfo,
  SbgCovariateFit,
  Sbg,
  type SbgCovariateFitInfo,
  fitSbgWithCovariates,
  type WeibullAftFit,
  BgCnbd,
  MbgCnbd,
  type CnbdCandidate,
  type WheatMorrison,
  logIntertransactionTimes,
  wheatMorrison,
  BgBb,
  type BgBbParams,
  type BgBbColumns,
} from '../../pkg/node/retentionkit.js';

const columns: TransactionColumns = {
  customerId: Uint32Array.of(1, 2, 1),
  date: [new Date('2024-01-03'), '2024-01-20', 19_755],
  amount: [20, 35, 15],
};
const log: TransactionLog = TransactionLog.fromColumns(columns);
const rows: KpiRow[] = log.kpiSeries({ granularity: 'month', lookbackMonths: 1 }).rows;
const churn: number | null = rows[0].churnRate;
const growth: LifecycleRow[] = log.lifecycle({ granularity: 'week' }).rows;
const quick: number | null = growth[0].quickRatio;
// @ts-expect-error the granularity is one of the Granularity names
log.lifecycle({ granularity: 'fortnight' });
const cohorts: CohortMatrix = log.cohortMatrix({ observationEnd: '2024-03-31' });
const brackets: BracketRetention = log.bracketRetention([[1, 3], [3, null]], { granularity: 'month' });
const earlyBack: number | null = brackets.counts[0][0];
const stillOpen: boolean = brackets.partial[0][1];
// @ts-expect-error a bracket is a [start, end] pair
log.bracketRetention([1, 3]);
const cell: number | null = cohorts.retention[0][1];

const shop = demoShop({ customers: 500, seed: 1 });
const summary = shop.summary({ unit: 'weeks' });
const freq: Uint32Array = summary.frequency;
const model = BgNbd.fit(summary, { penalizer: 0.001 });
const se = model.standardErrors;
const rSe: number | undefined = se?.r;
const p: Float64Array = model.predict(summary, 52).probabilityAlive;
const dist: PurchaseDistribution = model.purchaseDistribution(summary, 52, 10);
const pNone: number = dist.probabilities[0] + model.probabilityOfPurchases(1, 2, 3, 52, 0);
const later: number = model.probabilityAliveAt(1, 2, 3, 52) + model.probabilityOfPurchasesNew(52, 1);
const dert: number = model.dert(1, 2, 3, Math.log1p(0.15) / 52) + dist.maxN;
const risk: AtRiskCustomer[] = model.atRisk(summary, { horizon: 52, limit: 10 });
const id: number | string = risk[0].customerId;
const status: 'converged' | 'max_iterations' | 'line_search_failed' | 'at_boundary' | undefined = model.status;
const typedIn = new BgNbd(0.243, 4.414, 0.793, 2.426, 'weeks');
const track = typedIn.tracking(shop, { everyDays: 7 });
const last: string | undefined = track.date[track.date.length - 1];

const spend = GammaGamma.fit(summary, { maxIterations: 500 });
const spendParams: GammaGammaParams = spend.toJSON();
const spendStatus: 'converged' | 'max_iterations' | 'line_search_failed' | 'at_boundary' | undefined = spend.status;
const excluded: number | undefined = spend.excluded;
const gammaSe: number | undefined = spend.standardErrors?.gamma;
const month: ClvOptions = { periods: 12, periodLength: 4.345, discount: 0.01 };
const clv: Float64Array = spend.clv(model, summary, month);
const clvOf: Float64Array = new GammaGamma(6.25, 3.74, 15.44).clv(typedIn, {
  frequency: [2], recency: [30.43], age: [38.86], monetaryValue: [22.35], unit: 'weeks',
});
const meanSpend: Float64Array = spend.expectedMeanSpend(Uint32Array.of(0, 2), [0, 22.35]);
const fromColumns = GammaGamma.fit({ frequency: [1, 3], monetaryValue: Float64Array.of(20, 35) });
// @ts-expect-error: ClvOptions has no `horizon`
spend.clv(model, summary, { horizon: 12 });
const clvBand = model.intervals({ quantity: 'clv', customers: summary, spend, clv: month });
const clvUpper: Float64Array = clvBand.upper;
const totalDraws: Float64Array | undefined = model.intervals({
  quantity: 'total_purchases', horizon: 52, prediction: true, draws: 500, spend: spendParams,
}).draws;
const spendBand: Float64Array = spend.intervals({ quantity: 'mean_spend', customers: summary }).lower;
// @ts-expect-error: the spend model's intervals are on its parameters or mean spends
spend.intervals({ quantity: 'clv' });
// @ts-expect-error: spend columns need monetaryValue
GammaGamma.fit({ frequency: [1] });

const mbg = MbgNbd.fit(summary, { maxIterations: 500 });
const mbgParams: MbgNbdParams = mbg.toJSON();
const mbgBSe: number | undefined = mbg.standardErrors?.b;
const mbgAlive: Float64Array = mbg.predict(summary, 52).probabilityAlive;
const mbgClv: Float64Array = mbg.clv(spend, summary, month);
const pareto = new ParetoNbd(0.553, 10.578, 0.606, 11.669, 'weeks');
const paretoParams: ParetoNbdParams = pareto.toJSON();
const beta: number = pareto.beta;
const paretoRisk: AtRiskCustomer[] = pareto.atRisk(summary, { limit: 5 });
const paretoTrack: Float64Array = pareto.tracking(shop, { unit: 'weeks' }).expected;
const paretoStatus: 'converged' | 'max_iterations' | 'line_search_failed' | 'at_boundary' | undefined = ParetoNbd.fit(summary).status;
// @ts-expect-error: Pareto/NBD has s and beta, not a and b
pareto.toJSON().a;
// @ts-expect-error: the spend model comes first, then the customers
mbg.clv(summary, spend);
// @ts-expect-error: the unit is "days" or "weeks"
new MbgNbd(0.525, 6.183, 0.891, 1.614, 'months');

const subs = SubscriptionLog.fromColumns({ customerId: ['a'], start: ['2024-01-01'], end: [null], mrr: [9] });
const nrr: number | null = subs.mrrSeries({ to: '2024-06-30' }).rows.map((r: MrrRow) => r.netRevenueRetention)[0];
// @ts-expect-error: mrrSeries needs `to`
subs.mrrSeries({ granularity: 'month' });

const card: Scorecard = shop.scorecard({ calibrationEnd: '2023-07-02', unit: 'weeks', models: ['bg_nbd', 'pareto_nbd'] });
const bestBic: number | undefined = card.rows.find((r) => r.model === card.best)?.bic;
const aic: number | undefined = model.aic;
const lrt: number = likelihoodRatioTest(model, { logLikelihood: -1, nParameters: 0, nObservations: 500 }).pValue;
const spendR: number | undefined = spend.spendCorrelation;
// @ts-expect-error: calibrationEnd is required
shop.scorecard({ unit: 'weeks' });

// @ts-expect-error: "fortnight" is not a Granularity
log.kpiSeries({ granularity: 'fortnight' });
// @ts-expect-error: the unit is "days" or "weeks"
shop.summary({ unit: 'months' });
// @ts-expect-error: a date column is required
TransactionLog.fromColumns({ customerId: [1] });

export { mbgParams, mbgBSe, mbgAlive, mbgClv, paretoParams, beta, paretoRisk, paretoTrack, paretoStatus };
export { card, bestBic, aic, lrt, spendR };
export { nrr, churn, growth, quick, cell, freq, rSe, p, id, status, last, spendParams, spendStatus, excluded, gammaSe, clv, clvOf, meanSpend, fromColumns };
export { pNone, later, dert };

// toJSON on every class: plain data for JSON.stringify.
const logInfo: TransactionLogInfo = log.toJSON();
const summaryInfo: SummaryInfo = log.summary().toJSON();
const mv: number[] | null = summaryInfo.monetaryValue;
const subsInfo: SubscriptionLogInfo = SubscriptionLog.fromColumns({ customerId: [1], start: [0], mrr: [5] }).toJSON();
const spendWarning: string | undefined = new GammaGamma(6.25, 3.74, 15.44).warning;
export { logInfo, mv, subsInfo, spendWarning };

// Survival regressions: typed results, checked option names.
const survival = { week: [2, 3, 5], arrest: [1, 0, 1], fin: Float64Array.of(0, 1, 1) };
const cox: CoxFit = coxPh(survival, { duration: 'week', event: 'arrest', ties: 'breslow', robust: true });
const hr: Float64Array = cox.hazardRatio;
const ph: Float64Array = cox.proportionalHazardsTest.pValue;
const c: number | null = cox.concordance;
const aftFit: WeibullAftFit = weibullAft(survival, { duration: 'week', event: 'arrest', covariates: ['fin'] });
const logRho: number = aftFit.logRho;
const aftC: number | null = aftFit.concordance;
const aftP: Float64Array = aftFit.summary.pValue;
weibullAft(survival, { duration: 'week', event: 'arrest', confidenceLevel: 0.9 });
// @ts-expect-error ties is "efron" or "breslow"
coxPh(survival, { ties: 'exact' });
export { hr, ph, c, logRho, aftC, aftP };

// Regularity models and statistic.
const regSummary = log.summary({ unit: 'weeks' });
const litt: Float64Array = logIntertransactionTimes(log, { unit: 'weeks' });
const cnbd: BgCnbd = BgCnbd.fit(regSummary, litt, { maxK: 4, tolerance: 1e-9 });
const chosenK: number = cnbd.k;
const tried: CnbdCandidate[] = cnbd.candidates;
const mcnbd: MbgCnbd = new MbgCnbd(2, 0.5, 5, 0.8, 2.4, 'weeks');
const mAlive: number = mcnbd.probabilityAlive(1, 10, 20);
const wm: WheatMorrison = wheatMorrison(log, { observationEnd: '2024-03-09' });
// @ts-expect-error maxK is a number
BgCnbd.fit(regSummary, litt, { maxK: 'all' });
export { chosenK, tried, mAlive, wm };

// Covariate fits of the repeat models.
const covSummary = log.summary({ unit: 'weeks' });
const covFit: CovariateFit = BgNbd.fitWithCovariates(covSummary, { income: [1, 2], plan: ['a', 'b'] }, { purchase: ['income'], dropout: ['plan'], l2Purchase: 0.1 });
const covInfo: CovariateFitInfo = covFit.toJSON();
const gamma: number = covInfo.purchase[0].estimate;
const covAlive: Float64Array = covFit.probabilityAlive(covSummary, { income: [1, 2], plan: ['a', 'b'] });
// @ts-expect-error l2Purchase is a number
BgNbd.fitWithCovariates(covSummary, { income: [1, 2] }, { l2Purchase: 'high' });
const mbgFit: CovariateFit = MbgNbd.fitWithCovariates(covSummary, { income: [1, 2] });
const aliveAt: Float64Array = mbgFit.probabilityAliveAt(covSummary, { income: [1, 2] }, 4);
const covIv: CovariateIntervals = covFit.intervals(covSummary, { income: [1, 2], plan: ['a', 'b'] }, 'totalPurchases', { horizon: 4 });
const spendFit: SpendCovariateFit = GammaGamma.fitWithCovariates(covSummary, { income: [1, 2] }, { spend: ['income'] });
const spendInfo: SpendCovariateFitInfo = spendFit.toJSON();
const covClv: Float64Array = covFit.clvWithSpendFit(covSummary, { income: [1, 2], plan: ['a', 'b'] }, spendFit, { periods: 6 });
// @ts-expect-error the quantity is one of three names
covFit.intervals(covSummary, { income: [1, 2] }, 'parameters');
const sbgFit: SbgCovariateFit = fitSbgWithCovariates([[1000, 631, 468], [1000, 869, 743]], { high: [0, 1] }, { alpha: ['high'], beta: [] });
const sbgInfo: SbgCovariateFitInfo = sbgFit.toJSON();
const sbg: Sbg = Sbg.fit([1000, 631, 468, 382], { maxIterations: 200 });
const plainSurvival: number = sbg.survival(3) * new Sbg(0.704, 1.182).retentionRate(2);
const plainErrors: { alpha: number; beta: number } | null = sbg.standardErrors;
const sbgSurvival: Float64Array = sbgFit.survival({ high: [0, 1] }, 2);
export { gamma, covAlive, aliveAt, covIv, spendInfo, covClv, sbgInfo, sbgSurvival, plainSurvival, plainErrors };

// BG/BB: discrete opportunities (FHS 2010's published donations estimates typed in).
const bgbbData: BgBbColumns = { frequency: [0, 1, 3], recency: [0, 1, 4], n: Uint32Array.of(6, 6, 6), weights: [10, 5, 2] };
const bgbb: BgBb = BgBb.fit(bgbbData, { maxIterations: 500 });
const bgbbParams: BgBbParams = new BgBb(1.204, 0.75, 0.657, 2.783).toJSON();
const bgbbDeltaSe: number | undefined = bgbb.standardErrors?.delta;
const bgbbAlive: number = bgbb.probabilityAlive(3, 4, 6);
const bgbbNext: number = bgbb.expectedTransactions(3, 4, 6, 5) + bgbb.expectedTransactionsNew(6);
const bgbbPmf: number = bgbb.probabilityOfTransactions(3, 4, 6, 5, 2) + bgbb.probabilityOfTransactionsNew(6, 1);
const bgbbBand: Float64Array = bgbb.intervals({ quantity: 'total_transactions', future: 5, method: 'bootstrap', replicates: 50 }).upper;
// @ts-expect-error: BG/BB intervals have no purchases over a horizon
bgbb.intervals({ quantity: 'expected_purchases' });
// @ts-expect-error: the opportunities column is `n`
BgBb.fit({ frequency: [1], recency: [1], periods: [6] });
