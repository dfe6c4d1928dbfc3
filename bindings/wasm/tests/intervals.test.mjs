// Intervals on a fitted repeat model under Node (the core's
// models::interval::fit_intervals), on the CDNOW calibration summary
// (tests/data/SOURCES.md). The checks are identities the core guarantees, not
// numbers copied from its output: the delta method's parameter standard errors
// are the fit's; each estimate is the model's own prediction; the total is the
// sum of the per-customer expectations, and over the fit's own (grouped) rows it
// counts each row as many customers as share it; the bootstrap is a function of
// its seed. Run after `bash scripts/wasm.sh build`: node --test tests/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BgNbd, GammaGamma, ParetoNbd } from '../js/node.mjs';
import { throwsNamed, closeRel, cdnowCalibration } from './helpers.mjs';

test('delta-method parameter intervals carry the fit\'s standard errors', () => {
  const s = cdnowCalibration();
  for (const Model of [BgNbd, ParetoNbd]) {
    const m = Model.fit(s);
    const iv = m.intervals();
    assert.equal(iv.quantity, 'parameters');
    assert.equal(iv.method, 'delta');
    assert.equal(iv.level, 0.9);
    const names = Object.keys(m.standardErrors);
    assert.deepEqual(iv.names, names);
    names.forEach((k, i) => {
      closeRel(iv.standardError[i], m.standardErrors[k], 1e-12, k);
      closeRel(iv.estimate[i], m.toJSON()[k], 1e-12, k);
      assert.ok(iv.lower[i] < iv.estimate[i] && iv.estimate[i] < iv.upper[i], k);
    });
    assert.equal(iv.replicates, 0);
    assert.equal(iv.failed, 0);
    m.free();
  }
  s.free();
});

test('prediction intervals are centred on the predictions; the total counts every customer', () => {
  const s = cdnowCalibration();
  const m = BgNbd.fit(s);
  const pred = m.predict(s, 39);
  const each = m.intervals({ quantity: 'expected_purchases', horizon: 39, customers: s });
  assert.equal(each.names, null);
  assert.equal(each.estimate.length, s.length);
  for (let i = 0; i < s.length; i += 97) {
    closeRel(each.estimate[i], pred.expectedPurchases[i], 1e-12, `row ${i}`);
    assert.ok(each.lower[i] <= each.estimate[i] && each.estimate[i] <= each.upper[i], `row ${i}`);
  }
  const sum = pred.expectedPurchases.reduce((a, b) => a + b, 0);
  const total = m.intervals({ quantity: 'total_purchases', horizon: 39, customers: s });
  assert.deepEqual(total.names, ['total']);
  closeRel(total.estimate[0], sum, 1e-12, 'total');
  // Without customers: the fit's own rows (the compressed summary, fewer rows
  // than customers), each weighted by how many customers share it.
  const own = m.intervals({ quantity: 'total_purchases', horizon: 39 });
  closeRel(own.estimate[0], sum, 1e-9, 'weighted total');
  closeRel(own.upper[0], total.upper[0], 1e-6, 'weighted upper');
  const alive = m.intervals({ quantity: 'probability_alive', customers: s, level: 0.5 });
  assert.ok(alive.lower.every((v) => v >= 0) && alive.upper.every((v) => v <= 1));
  m.free();
  s.free();
});

test('the bootstrap is a function of its seed', () => {
  const s = cdnowCalibration();
  const m = BgNbd.fit(s);
  const a = m.intervals({ method: 'bootstrap', replicates: 20, seed: 7 });
  const b = m.intervals({ method: 'bootstrap', replicates: 20, seed: 7 });
  const c = m.intervals({ method: 'bootstrap', replicates: 20, seed: 8 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.lower, c.lower);
  assert.equal(a.replicates, 20);
  assert.ok(a.failed >= 0 && a.failed < 20);
  m.free();
  s.free();
});

test('bad requests are typed errors', () => {
  const s = cdnowCalibration();
  const m = BgNbd.fit(s);
  throwsNamed(() => new BgNbd(0.243, 4.414, 0.793, 2.426, 'weeks').intervals(),
    'InvalidArgumentError', /typed in/);
  throwsNamed(() => m.intervals({ quantity: 'ltv' }), 'InvalidArgumentError',
    /"ltv" is not one of parameters, expected_purchases, probability_alive, total_purchases, clv, total_clv/);
  throwsNamed(() => m.intervals({ method: 'jackknife' }), 'InvalidArgumentError', /delta, bootstrap/);
  throwsNamed(() => m.intervals({ level: 1.5 }), 'InvalidArgumentError', /level/);
  throwsNamed(() => m.intervals({ levels: 0.9 }), 'InvalidArgumentError', /unknown option "levels"/);
  throwsNamed(() => m.intervals({ quantity: 'expected_purchases', horizon: 1, customers: { frequency: [1], recency: [2] } }),
    'MissingColumnError', /age/);
  m.free();
  s.free();
});

test('CLV intervals are centred on the model\'s CLV; the total doubles with the rows', () => {
  const s = cdnowCalibration();
  const m = BgNbd.fit(s);
  const g = GammaGamma.fit(s);
  const clv = m.clv(g, s);
  const each = m.intervals({ quantity: 'clv', customers: s, spend: g });
  assert.equal(each.names, null);
  assert.equal(each.estimate.length, s.length);
  for (let i = 0; i < s.length; i += 97) {
    closeRel(each.estimate[i], clv[i], 1e-12, `row ${i}`);
    // The log scale of the delta method: lower * upper = estimate^2.
    if (clv[i] > 0) {
      closeRel(each.lower[i] * each.upper[i], clv[i] * clv[i], 1e-9, `row ${i}`);
    }
  }
  const sum = clv.reduce((a, b) => a + b, 0);
  const total = m.intervals({ quantity: 'total_clv', customers: s, spend: g.toJSON() });
  assert.deepEqual(total.names, ['total']);
  closeRel(total.estimate[0], sum, 1e-12, 'total');
  const twice = (v) => [...v, ...v];
  const doubled = m.intervals({
    quantity: 'total_clv',
    spend: g,
    customers: {
      frequency: twice(s.frequency), recency: twice(s.recency), age: twice(s.age),
      monetaryValue: twice(s.monetaryValue),
    },
  });
  closeRel(doubled.estimate[0], 2 * total.estimate[0], 1e-9, 'doubled total');
  closeRel(doubled.standardError[0], 2 * total.standardError[0], 1e-7, 'doubled se');
  // The CLV's options reach the core: three months are worth less than twelve.
  const short = m.intervals({ quantity: 'total_clv', customers: s, spend: g, clv: { periods: 3 } });
  assert.ok(short.estimate[0] < total.estimate[0]);
  const a = m.intervals({ quantity: 'clv', customers: s, spend: g, method: 'bootstrap', replicates: 10, seed: 2 });
  assert.deepEqual(a, m.intervals({ quantity: 'clv', customers: s, spend: g, method: 'bootstrap', replicates: 10, seed: 2 }));
  throwsNamed(() => m.intervals({ quantity: 'clv', customers: s }), 'InvalidArgumentError', /spend/);
  throwsNamed(() => m.intervals({ quantity: 'clv', spend: g }), 'MissingColumnError', /customers/);
  g.free();
  m.free();
  s.free();
});

test('the prediction interval of the total purchases includes the purchases\' own noise', () => {
  const s = cdnowCalibration();
  const m = BgNbd.fit(s);
  const sum = m.predict(s, 39).expectedPurchases.reduce((a, b) => a + b, 0);
  const p = m.intervals({ quantity: 'total_purchases', horizon: 39, customers: s, prediction: true, draws: 300, seed: 4 });
  closeRel(p.estimate[0], sum, 1e-12, 'expected total');
  assert.equal(p.draws.length, 300);
  assert.ok(p.draws.every((d) => Number.isInteger(d)));
  assert.ok(p.lower[0] <= sum && sum <= p.upper[0]);
  const mean = m.intervals({ quantity: 'total_purchases', horizon: 39, customers: s });
  assert.ok(p.upper[0] - p.lower[0] > mean.upper[0] - mean.lower[0]);
  assert.deepEqual(p, m.intervals({ quantity: 'total_purchases', horizon: 39, customers: s, prediction: true, draws: 300, seed: 4 }));
  throwsNamed(() => m.intervals({ quantity: 'clv', prediction: true }), 'InvalidArgumentError', /prediction|spend/);
  throwsNamed(() => m.intervals({ quantity: 'total_purchases', prediction: 'yes' }), 'InvalidArgumentError', /true or false/);
  m.free();
  s.free();
});

test('Gamma-Gamma intervals carry the fit\'s standard errors and its mean spends', () => {
  const s = cdnowCalibration();
  const g = GammaGamma.fit(s);
  const iv = g.intervals();
  assert.deepEqual(iv.names, ['p', 'q', 'gamma']);
  ['p', 'q', 'gamma'].forEach((k, i) => closeRel(iv.standardError[i], g.standardErrors[k], 1e-9, k));
  const each = g.intervals({ quantity: 'mean_spend', customers: s });
  const mean = g.expectedMeanSpend(s.frequency, s.monetaryValue);
  assert.equal(each.estimate.length, s.length);
  for (let i = 0; i < s.length; i += 97) {
    closeRel(each.estimate[i], mean[i], 1e-12, `row ${i}`);
    closeRel(each.lower[i] * each.upper[i], mean[i] * mean[i], 1e-9, `row ${i}`);
  }
  const boot = g.intervals({ quantity: 'mean_spend', customers: s, method: 'bootstrap', replicates: 20, seed: 5 });
  assert.deepEqual(boot, g.intervals({ quantity: 'mean_spend', customers: s, method: 'bootstrap', replicates: 20, seed: 5 }));
  assert.equal(boot.method, 'bootstrap');
  assert.equal(boot.replicates, 20);
  assert.ok(boot.failed >= 0 && boot.failed < 20);
  throwsNamed(() => new GammaGamma(6.25, 3.74, 15.44).intervals(), 'InvalidArgumentError', /typed in/);
  throwsNamed(() => g.intervals({ quantity: 'mean_spend' }), 'MissingColumnError', /customers/);
  g.free();
  s.free();
});
