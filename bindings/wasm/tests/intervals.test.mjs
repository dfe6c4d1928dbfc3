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
import { BgNbd, ParetoNbd } from '../js/node.mjs';
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
