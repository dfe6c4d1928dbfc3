// BgNbd.fitWithCovariates and ParetoNbd.fitWithCovariates (the core's
// models::covariates) on the CDNOW calibration summary of Fader, Hardie & Lee
// (2005), in weeks. Expected numbers: FHL 2005's published BG/NBD estimates,
// and the parametrisation of docs/metrics.md, "Covariates" (a customer's own
// parameters from the population ones and the effects), applied by hand here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { BgNbd, ParetoNbd } from '../js/node.mjs';
import { throwsNamed, closeRel, cdnowCalibration, cdnowLog } from './helpers.mjs';

/** A covariate with no relation to the data: a fixed sequence in [-1, 1). */
function noise(n) {
  let s = 12345;
  return Float64Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (2 * s) / 2147483648 - 1;
  });
}

test('a huge L2 penalty gives the published BG/NBD fit of CDNOW', () => {
  const s = cdnowCalibration();
  const fit = BgNbd.fitWithCovariates(s, { noise: noise(s.length) }, { l2Purchase: 1e6, l2Dropout: 1e6 });
  const j = fit.toJSON();
  assert.equal(j.model, 'bg_nbd');
  assert.equal(fit.model, 'bg_nbd');
  assert.equal(fit.unit, 'weeks');
  assert.equal(j.status, 'converged');
  // The penalty drives both effects to 0, so the population parameters are
  // the fit without covariates: FHL 2005, r = 0.243, α = 4.414, a = 0.793, b = 2.426.
  assert.deepEqual(j.purchase.map((e) => e.name), ['noise']);
  assert.deepEqual(j.dropout.map((e) => e.name), ['noise']);
  assert.ok(Math.abs(j.purchase[0].estimate) < 1e-4 && Math.abs(j.dropout[0].estimate) < 1e-4);
  assert.deepEqual([j.params.r, j.params.alpha, j.params.a, j.params.b].map((v) => v.toFixed(3)), ['0.243', '4.414', '0.793', '2.426']);
  assert.equal(fit.nParameters, 6);
  assert.equal(fit.nObservations, 2357);
  // Node prints the fit's data, not wasm-bindgen's pointer.
  assert.deepEqual(JSON.parse(JSON.stringify(fit)).params, j.params);
  assert.match(inspect(fit), /^CovariateFit \{[^]*model: 'bg_nbd'/);
  assert.doesNotMatch(inspect(fit), /__wbg_ptr/);
  s.free();
});

test('an irrelevant covariate gets effects indistinguishable from 0', () => {
  const s = cdnowCalibration();
  const fit = ParetoNbd.fitWithCovariates(s, { noise: noise(s.length) });
  const j = fit.toJSON();
  assert.equal(j.model, 'pareto_nbd');
  for (const e of [...j.purchase, ...j.dropout]) {
    assert.ok(e.standardError > 0, e.name);
    assert.equal(e.z, e.estimate / e.standardError);
    assert.ok(Math.abs(e.z) < 3, `${e.name}: z = ${e.z}`);
  }
  s.free();
});

test("each customer's parameters and predictions follow docs/metrics.md", () => {
  const s = cdnowCalibration();
  // Customers with a repeat purchase in the first half of the sample get z = 1.
  const z = Float64Array.from(s.frequency, (x, i) => (i % 2 === 0 && x > 0 ? 1 : 0));
  const fit = BgNbd.fitWithCovariates(s, { z }, { purchase: ['z'], dropout: ['z'] });
  const j = fit.toJSON();
  const gp = j.purchase[0].estimate;
  const gd = j.dropout[0].estimate;
  const [p0, p1] = fit.customerParams({ z: [0, 1] });
  // z = 0: the population parameters.
  assert.deepEqual(p0, j.params);
  // BG/NBD: α_i = α₀ exp(−γ_P z), a_i = a₀ exp(γ_D z), b_i = b₀ exp(γ_D z), r shared.
  closeRel(p1.r, j.params.r, 1e-15, 'r');
  closeRel(p1.alpha, j.params.alpha * Math.exp(-gp), 1e-12, 'alpha');
  closeRel(p1.a, j.params.a * Math.exp(gd), 1e-12, 'a');
  closeRel(p1.b, j.params.b * Math.exp(gd), 1e-12, 'b');
  // Predictions: the plain model at each customer's own parameters.
  const alive = fit.probabilityAlive(s, { z });
  const expected = fit.expectedPurchases(s, { z }, 39);
  const fresh = fit.expectedPurchasesNew({ z: [0, 1] }, 39);
  const [x, tx, age] = [s.frequency, s.recency, s.age];
  for (const i of [0, 1, 2, 3, 10, 11]) {
    const p = z[i] === 1 ? p1 : p0;
    const m = new BgNbd(p.r, p.alpha, p.a, p.b, 'weeks');
    closeRel(alive[i], m.probabilityAlive(x[i], tx[i], age[i]), 1e-12, `alive ${i}`);
    closeRel(expected[i], m.expectedPurchases(x[i], tx[i], age[i], 39), 1e-12, `expected ${i}`);
  }
  closeRel(fresh[1], new BgNbd(p1.r, p1.alpha, p1.a, p1.b, 'weeks').expectedPurchasesNew(39), 1e-12, 'new');
  s.free();
});

test('categorical covariates: one-hot columns with a reference level', () => {
  const s = cdnowCalibration();
  const levels = ['web', 'store', 'phone'];
  const channel = Array.from({ length: s.length }, (_, i) => levels[i % 3]);
  const fit = BgNbd.fitWithCovariates(s, { channel }, { purchase: ['channel'], dropout: [] });
  // "phone" is first in sorted order: the reference, without a column.
  assert.deepEqual(fit.toJSON().purchase.map((e) => e.name), ['channel=store', 'channel=web']);
  assert.deepEqual(fit.toJSON().dropout, []);
  const ref = BgNbd.fitWithCovariates(s, { channel }, { purchase: ['channel'], dropout: [], reference: { channel: 'web' } });
  assert.deepEqual(ref.toJSON().purchase.map((e) => e.name), ['channel=phone', 'channel=store']);
  // The same model either way: one likelihood.
  closeRel(ref.logLikelihood, fit.logLikelihood, 1e-9, 'log-likelihood');
  throwsNamed(() => fit.customerParams({ channel: ['fax'] }), 'InvalidArgumentError', /level `fax` of `channel` was not in the fitted data/);
  s.free();
});

test('bad covariates and options are typed errors', () => {
  const s = cdnowCalibration();
  const z = noise(s.length);
  throwsNamed(() => BgNbd.fitWithCovariates(s, { z: z.subarray(1) }), 'LengthMismatchError', /covariates/);
  throwsNamed(() => BgNbd.fitWithCovariates(s, { z }, { purchase: ['y'] }), 'InvalidArgumentError', /argument `purchase`: `y` is not a covariate of the table/);
  throwsNamed(() => BgNbd.fitWithCovariates(s, { z: Array.from(z, (v, i) => (i === 5 ? 'x' : v)) }), 'InvalidValueError', /row 5/);
  throwsNamed(() => BgNbd.fitWithCovariates(s, { z }, { l2purchase: 1 }), 'InvalidArgumentError', /unknown option "l2purchase"/);
  throwsNamed(() => BgNbd.fitWithCovariates(s, [z]), 'InvalidArgumentError', /object of columns/);
  const fit = BgNbd.fitWithCovariates(s, { z }, { l2Purchase: 1e6, l2Dropout: 1e6 });
  // A summary in days is not the fit's unit (weeks).
  const log = cdnowLog();
  const days = log.summary({ observationEnd: '1997-09-30' });
  throwsNamed(() => fit.probabilityAlive(days, { z }), 'IncompatibleError', /the model is in weeks but the summary in days/);
  days.free();
  log.free();
  s.free();
  fit.free();
});

// ---- Every prediction per customer, MBG/NBD and Gamma-Gamma with covariates ----
// Expected numbers: the plain model typed in at each customer's own
// parameters (customerParams), which the core's per-customer predictions
// are by definition (docs/metrics.md, "Covariates").

test('every prediction with covariates is the plain model at the customer\'s own parameters', async () => {
  const { MbgNbd, GammaGamma } = await import('../js/node.mjs');
  const s = cdnowCalibration();
  const z = Float64Array.from(s.frequency, (x, i) => Math.sin(i * 0.37));
  const spend = new GammaGamma(6.25, 3.74, 15.44); // FHL (2005)'s CDNOW spend estimates
  const [x, tx, age, m] = [s.frequency, s.recency, s.age, s.monetaryValue];
  for (const [cls, make] of [
    [BgNbd, (p) => new BgNbd(p.r, p.alpha, p.a, p.b, 'weeks')],
    [MbgNbd, (p) => new MbgNbd(p.r, p.alpha, p.a, p.b, 'weeks')],
    [ParetoNbd, (p) => new ParetoNbd(p.r, p.alpha, p.s, p.beta, 'weeks')],
  ]) {
    const fit = cls.fitWithCovariates(s, { z });
    const own = fit.customerParams({ z });
    const aliveAt = fit.probabilityAliveAt(s, { z }, 10);
    const pmf = fit.probabilityOfPurchases(s, { z }, 39, 2);
    const pmfNew = fit.probabilityOfPurchasesNew({ z }, 39, 2);
    const dert = fit.dert(s, { z }, 0.01);
    const clv = fit.clv(s, { z }, spend);
    for (const i of [0, 1, 2, 3, 10, 11, 500]) {
      const one = make(own[i]);
      const what = `${fit.model} row ${i}`;
      closeRel(aliveAt[i], one.probabilityAliveAt(x[i], tx[i], age[i], 10), 1e-12, `alive at, ${what}`);
      closeRel(pmf[i], one.probabilityOfPurchases(x[i], tx[i], age[i], 39, 2), 1e-12, `pmf, ${what}`);
      closeRel(pmfNew[i], one.probabilityOfPurchasesNew(39, 2), 1e-12, `pmf new, ${what}`);
      closeRel(dert[i], one.dert(x[i], tx[i], age[i], 0.01), 1e-12, `dert, ${what}`);
      const columns = { frequency: [x[i]], recency: [tx[i]], age: [age[i]], monetaryValue: [m[i]] };
      closeRel(clv[i], one.clv(spend, columns)[0], 1e-12, `clv, ${what}`);
    }
    // Delta-method intervals: the estimates are the predictions, inside their bounds.
    const iv = fit.intervals(s, { z }, 'expectedPurchases', { horizon: 39 });
    const expected = fit.expectedPurchases(s, { z }, 39);
    assert.deepEqual(iv.estimate, expected);
    assert.equal(iv.level, 0.9);
    for (const i of [0, 1, 2, 500]) {
      assert.ok(iv.standardError[i] > 0 && iv.lower[i] < iv.estimate[i] && iv.estimate[i] < iv.upper[i], `${i}`);
    }
    const total = fit.intervals(s, { z }, 'totalPurchases', { horizon: 39, level: 0.95 });
    assert.equal(total.estimate.length, 1);
    closeRel(total.estimate[0], expected.reduce((a, b) => a + b, 0), 1e-12, 'total');
    throwsNamed(() => fit.intervals(s, { z }, 'parameters'), 'InvalidArgumentError', /argument `quantity`/);
    throwsNamed(() => fit.dert(s, { z: z.subarray(1) }, 0.01), 'LengthMismatchError', /covariates/);
    fit.free();
  }
  s.free();
});

test('Gamma-Gamma with covariates, and CLV with it', async () => {
  const { GammaGamma } = await import('../js/node.mjs');
  const s = cdnowCalibration();
  const z = Float64Array.from(s.frequency, (x, i) => Math.sin(i * 0.37));
  const spendFit = GammaGamma.fitWithCovariates(s, { z });
  const j = spendFit.toJSON();
  assert.equal(j.model, 'gamma_gamma');
  assert.equal(j.unit, undefined);
  assert.equal(spendFit.status, 'converged');
  assert.deepEqual(j.purchase.map((e) => e.name), ['z']);
  // FHL (2005): 946 repeat buyers; the other 1,411 rows are left out.
  assert.equal(j.nObservations, 946);
  assert.equal(spendFit.excluded, 2_357 - 946);
  // γ_i = γ₀ e^(δ z) (docs/metrics.md, "Covariates").
  const [p1] = spendFit.customerParams({ z: [1] });
  closeRel(p1.gamma, j.params.gamma * Math.exp(j.purchase[0].estimate), 1e-12, 'gamma');
  const mean = spendFit.expectedMeanSpend(s, { z });
  const own = spendFit.customerParams({ z });
  for (const i of [0, 1, 2]) {
    const g = new GammaGamma(own[i].p, own[i].q, own[i].gamma);
    closeRel(mean[i], g.expectedMeanSpend([s.frequency[i]], [s.monetaryValue[i]])[0], 1e-12, `mean spend ${i}`);
  }
  // CLV with both models at each customer's own parameters.
  const fit = BgNbd.fitWithCovariates(s, { z });
  const clv = fit.clvWithSpendFit(s, { z }, spendFit);
  const ownPurchase = fit.customerParams({ z });
  for (const i of [0, 1, 2, 3]) {
    const p = ownPurchase[i];
    const g = new GammaGamma(own[i].p, own[i].q, own[i].gamma);
    const columns = { frequency: [s.frequency[i]], recency: [s.recency[i]], age: [s.age[i]], monetaryValue: [s.monetaryValue[i]] };
    closeRel(clv[i], new BgNbd(p.r, p.alpha, p.a, p.b, 'weeks').clv(g, columns)[0], 1e-12, `clv ${i}`);
  }
  // Separate spend covariates: the same values.
  assert.deepEqual(fit.clvWithSpendFit(s, { z }, spendFit, { spendCovariates: { z } }), clv);
  throwsNamed(() => fit.clvWithSpendFit(s, { z }, spendFit, { spendCovariates: { z: [1, 2] } }), 'LengthMismatchError', /covariates/);
  throwsNamed(() => GammaGamma.fitWithCovariates(s, { z: z.subarray(2) }), 'LengthMismatchError', /covariates/);
  fit.free();
  spendFit.free();
  s.free();
});

test('sBG with covariates per cohort: Fader & Hardie (2007)\'s two segments', async () => {
  const { fitSbgWithCovariates } = await import('../js/node.mjs');
  // Fader & Hardie (2007), "How to Project Customer Retention", table 1:
  // "regular" and "high end" customers, survivors of years 0..7.
  const cohorts = [
    [1000, 631, 468, 382, 326, 289, 262, 241],
    [1000, 869, 743, 653, 593, 551, 517, 491],
  ];
  const segment = ['regular', 'high end'];
  const fit = fitSbgWithCovariates(cohorts, { segment });
  assert.equal(fit.status, 'converged');
  const j = fit.toJSON();
  assert.equal(j.model, 'sbg');
  // "high end" is first in sorted order: the reference level.
  assert.deepEqual(j.purchase.map((e) => e.name), ['segment=regular']);
  assert.deepEqual(j.dropout.map((e) => e.name), ['segment=regular']);
  // One segment covariate on α and β: the separate fits, whose published
  // estimates are α = 0.704, β = 1.182 (regular) and 0.668, 3.806 (high end).
  const [regular, high] = fit.customerParams({ segment });
  assert.deepEqual([regular.alpha, regular.beta, high.alpha, high.beta].map((v) => v.toFixed(3)),
    ['0.704', '1.182', '0.668', '3.806']);
  // S(t) = Π_{k=1..t} (β + k − 1)/(α + β + k − 1) and r(t) = (β + t − 1)/(α + β + t − 1)
  // (Fader & Hardie 2007, eqs. 2 and 4), by hand at each cohort's own (α, β).
  const survival = fit.survival({ segment }, 3);
  const rate = fit.retentionRate({ segment }, 3);
  [regular, high].forEach((p, i) => {
    let s = 1;
    for (let k = 1; k <= 3; k += 1) s *= (p.beta + k - 1) / (p.alpha + p.beta + k - 1);
    closeRel(survival[i], s, 1e-12, `S(3) ${segment[i]}`);
    closeRel(rate[i], (p.beta + 2) / (p.alpha + p.beta + 2), 1e-12, `r(3) ${segment[i]}`);
  });
  const derl = fit.derl({ segment }, 0.1, 0);
  assert.ok(derl[1] > derl[0], 'the high-end cohort lives longer');
  throwsNamed(() => fitSbgWithCovariates(cohorts, { segment: ['regular'] }), 'LengthMismatchError', /covariates/);
  throwsNamed(() => fitSbgWithCovariates(cohorts, { segment }, { purchase: ['segment'] }), 'InvalidArgumentError', /unknown option "purchase"/);
  throwsNamed(() => fitSbgWithCovariates('x', { segment }), 'InvalidArgumentError', /argument `cohorts`/);
  fit.free();
});
