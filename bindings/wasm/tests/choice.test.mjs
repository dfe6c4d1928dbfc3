// Choosing a model under Node: the fits' AIC/BIC, the scorecard of a log and the
// likelihood-ratio test (the core's models::choice), and Gamma-Gamma's
// frequency-spend correlation, on the CDNOW sample (tests/data/SOURCES.md).
// Run after `bash scripts/wasm.sh build`: node --test tests/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BgNbd, GammaGamma, likelihoodRatioTest } from '../js/node.mjs';
import { throwsNamed, cdnowLog, cdnowCalibration } from './helpers.mjs';

test('a fit carries k, n, AIC and BIC', () => {
  const s = cdnowCalibration();
  const m = BgNbd.fit(s);
  // FHL 2005: LL = -9582.4 on 2,357 customers, k = 4. By hand: AIC = 8 + 19164.8 =
  // 19172.8, BIC = 4 ln 2357 + 19164.8 = 19195.86 (the LL is rounded to 0.1).
  assert.equal(m.nParameters, 4);
  assert.equal(m.nObservations, 2357);
  assert.ok(Math.abs(m.aic - 19172.8) <= 0.1 + 1e-9, `${m.aic}`);
  assert.ok(Math.abs(m.bic - 19195.86) <= 0.1 + 1e-9, `${m.bic}`);
  assert.equal(new BgNbd(0.243, 4.414, 0.793, 2.426, 'weeks').aic, undefined);
  // Gamma-Gamma: the 946 repeat buyers; FHL 2005 ("RFM and CLV") report a 0.11
  // correlation of frequency and mean spend, Python's statistics.correlation on
  // Hardie's x and zbar gives 0.1138839: below the 0.3 threshold, no warning.
  const g = GammaGamma.fit(s);
  assert.equal(g.nParameters, 3);
  assert.equal(g.nObservations, 946);
  assert.ok(Math.abs(g.spendCorrelation - 0.1138839) < 1e-4, `${g.spendCorrelation}`);
  assert.equal(g.spendWarning, undefined);
  // Spend rising with frequency: r = 1 by hand.
  const up = GammaGamma.fit({ frequency: [1, 2, 3, 4], monetaryValue: [10, 20, 30, 40] });
  assert.ok(Math.abs(up.spendCorrelation - 1) < 1e-12);
  assert.match(up.spendWarning, /mean spend is 1\.00/);
  s.free();
});

test('the scorecard of the CDNOW log picks the lowest BIC', () => {
  const log = cdnowLog();
  const card = log.scorecard({ calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', unit: 'weeks' });
  assert.deepEqual(card.rows.map((r) => r.model), ['bg_nbd', 'mbg_nbd', 'pareto_nbd']);
  for (const r of card.rows) {
    assert.equal(r.nObservations, 2357);
    assert.equal(r.status, 'converged');
  }
  // Published LLs (FHL 2005) to their 0.1 rounding: BG/NBD -9582.4, Pareto/NBD -9595.0.
  assert.ok(Math.abs(card.rows[0].logLikelihood + 9582.4) <= 0.05 + 1e-9);
  assert.ok(Math.abs(card.rows[2].logLikelihood + 9595.0) <= 0.05 + 1e-9);
  const lowest = card.rows.reduce((a, b) => (b.bic < a.bic ? b : a));
  assert.equal(card.best, lowest.model);
  assert.match(card.rule, /^lowest BIC/);
  // lifetimes' holdout MAE at the published BG/NBD parameters is 0.78561
  // (tests/it/models.rs); at our own estimates within 2e-3.
  assert.ok(Math.abs(card.rows[0].mae - 0.78561) < 2e-3);
  assert.equal(card.rows[0].byFrequency[0].frequency, 0);
  throwsNamed(() => log.scorecard({ calibrationEnd: '1997-09-30', models: ['bg_nbd', 'bg_nbd'] }),
    'InvalidArgumentError', /listed twice/);
  throwsNamed(() => log.scorecard({}), 'InvalidArgumentError', /calibrationEnd/);
  log.free();
});

test('likelihoodRatioTest against chi-square tables', () => {
  // 5 % point of chi2 with 1 df: 3.841458820694124 (scipy.stats.chi2.ppf(0.95, 1)).
  const t = likelihoodRatioTest(
    { logLikelihood: -100, nParameters: 3, nObservations: 50 },
    { logLikelihood: -100 - 3.841458820694124 / 2, nParameters: 2, nObservations: 50 },
  );
  assert.equal(t.degreesOfFreedom, 1);
  assert.ok(Math.abs(t.pValue - 0.05) < 1e-9);
  // Fitted model against typed-in parameters (k = 0, d = 4); P(chi2_4 >= x) = e^(-x/2)(1 + x/2).
  const s = cdnowCalibration();
  const m = BgNbd.fit(s);
  const ll0 = m.logLikelihood - 1.5;
  const r = likelihoodRatioTest(m, { logLikelihood: ll0, nParameters: 0, nObservations: 2357 });
  assert.equal(r.degreesOfFreedom, 4);
  assert.ok(Math.abs(r.pValue - Math.exp(-1.5) * 2.5) < 1e-9);
  throwsNamed(() => likelihoodRatioTest(m, { logLikelihood: ll0, nParameters: 0, nObservations: 10 }),
    'InvalidArgumentError', /customers/);
  s.free();
});
