// BgBb: the BG/BB model (Fader, Hardie & Shang 2010) in the npm package,
// against the published donations estimates and the reference outputs the
// core's tests use (tests/data/models/lifetimes_bg_bb.txt and
// lifetimes_counts.txt, see tests/data/SOURCES.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { BgBb } from '../js/node.mjs';
import { here, throwsNamed, closeRel, referenceSections, section } from './helpers.mjs';

/** tests/data/donations.csv (FHS 2010's 11,104 donors, 6 opportunities) as
 * BgBbColumns: header frequency,recency,periods,weights. */
function donations() {
  const lines = readFileSync(here('../../../tests/data/donations.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0].trim(), 'frequency,recency,periods,weights');
  const cols = { frequency: [], recency: [], n: [], weights: [] };
  for (const line of lines.slice(1)) {
    const [x, tx, n, w] = line.split(',').map(Number);
    cols.frequency.push(x);
    cols.recency.push(tx);
    cols.n.push(n);
    cols.weights.push(w);
  }
  return cols;
}

const published = () => new BgBb(1.204, 0.750, 0.657, 2.783); // FHS 2010, donations

test('fit on the donations data: FHS 2010 to 3 decimals, lifetimes to 1e-5', () => {
  const d = donations();
  assert.equal(d.n.length, 22);
  assert.equal(d.weights.reduce((a, b) => a + b), 11_104); // FHS 2010: 11,104 donors
  const m = BgBb.fit(d);
  assert.equal(m.status, 'converged');
  // FHS 2010: alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33,225.6.
  const round3 = (v) => Math.round(v * 1000) / 1000;
  assert.deepEqual([m.alpha, m.beta, m.gamma, m.delta].map(round3), [1.204, 0.750, 0.657, 2.783]);
  assert.equal(Math.round(m.logLikelihood * 10) / 10, -33_225.6);
  // lifetimes 0.11.3's BetaGeoBetaBinomFitter on the same file
  // (tests/data/models/lifetimes_bg_bb.txt), to 1e-5 relative as the core's
  // tests/it/models_bgbb.rs (lifetimes stops at scipy's tolerance 1e-7).
  const ref = section(referenceSections('lifetimes_bg_bb.txt'), 'lifetimes fit on donations.csv').rows[0];
  closeRel(m.alpha, ref[0], 1e-5, 'alpha');
  closeRel(m.beta, ref[1], 1e-5, 'beta');
  closeRel(m.gamma, ref[2], 1e-5, 'gamma');
  closeRel(m.delta, ref[3], 1e-5, 'delta');
  closeRel(m.logLikelihood, ref[4], 1e-9, 'LL');
  // k = 4, n = 11,104 donors: AIC = 8 - 2 LL, BIC = 4 ln 11104 - 2 LL.
  assert.equal(m.nParameters, 4);
  assert.equal(m.nObservations, 11_104);
  closeRel(m.aic, 8 - 2 * m.logLikelihood, 1e-15, 'AIC');
  closeRel(m.bic, 4 * Math.log(11_104) - 2 * m.logLikelihood, 1e-15, 'BIC');
  const se = m.standardErrors;
  for (const k of ['alpha', 'beta', 'gamma', 'delta']) assert.ok(se[k] > 0 && se[k] < m[k], k);
  assert.deepEqual(Object.keys(m.toJSON()), ['alpha', 'beta', 'gamma', 'delta']);
  // Plain arrays and typed arrays give the same fit.
  const typed = BgBb.fit({
    frequency: Uint32Array.from(d.frequency), recency: Float64Array.from(d.recency),
    n: Int32Array.from(d.n), weights: Float64Array.from(d.weights),
  });
  assert.equal(typed.alpha, m.alpha);
  assert.equal(typed.delta, m.delta);
});

test('typed-in parameters: getters, toJSON, inspect, no fit', () => {
  const m = published();
  assert.deepEqual(m.toJSON(), { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 });
  assert.equal(inspect(m), 'BgBb { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }');
  assert.equal(m.logLikelihood, undefined);
  assert.equal(m.status, undefined);
  assert.equal(m.aic, undefined);
  assert.equal(m.standardErrors, null);
});

test('P(alive) and expected transactions equal the core\'s references (FHS eqs. 11 and 13)', () => {
  // Rows (x, t_x, n, n*, ln L, lifetimes' P(alive), lifetimes' E, eq. 11 and
  // eq. 13 by scipy) of tests/data/models/lifetimes_bg_bb.txt at the published
  // parameters; the core's crates/retentionkit/src/models/bg_bb/tests.rs
  // (predictions_match_lifetimes_and_scipy) checks them to 1e-12 and 1e-10.
  const rows = section(referenceSections('lifetimes_bg_bb.txt'), 'x, t_x, n, n*').rows;
  assert.equal(rows.length, 12);
  const m = published();
  for (const [x, tx, n, future, , , , alive, expected] of rows) {
    closeRel(m.probabilityAlive(x, tx, n), alive, 1e-12, `P(alive) ${x} ${tx} ${n}`);
    closeRel(m.expectedTransactions(x, tx, n, future), expected, 1e-10, `E ${x} ${tx} ${n} ${future}`);
  }
  // E[X(n)] of a new customer: scipy's closed form, same file (core: 1e-13).
  const news = section(referenceSections('lifetimes_bg_bb.txt'), 'n, E[X(n)]').rows;
  for (const [n, , scipy] of news) closeRel(m.expectedTransactionsNew(n), scipy, 1e-13, `E[X(${n})]`);
  assert.equal(m.expectedTransactions(1, 1, 6, 0), 0);
});

test('the count distribution: lifetimes\' P(X(n) = x) and the conditional one', () => {
  // lifetimes 0.11.3's expected_number_of_transactions_in_first_n_periods
  // divided by the 11,104 donors (tests/data/models/lifetimes_counts.txt),
  // as the core's tests/it/models_counts.rs compares them (1e-12).
  const m = published();
  const sections = referenceSections('lifetimes_counts.txt');
  for (const n of [6, 11]) {
    const rows = section(sections, `BG/BB alpha 1.204, beta 0.750, gamma 0.657, delta 2.783: n = ${n};`).rows;
    for (const [x, p] of rows) closeRel(m.probabilityOfTransactionsNew(n, x), p, 1e-12, `P(X(${n}) = ${x})`);
  }
  assert.equal(m.probabilityOfTransactionsNew(6, 7), 0);
  // The core's doc example, by hand: alpha = beta = gamma = delta = 1,
  // x = t_x = n = 1, one more opportunity: P(x* = 1) = 4/9, P(x* = 0) = 5/9.
  const one = new BgBb(1, 1, 1, 1);
  closeRel(one.probabilityOfTransactions(1, 1, 1, 1, 1), 4 / 9, 1e-14);
  closeRel(one.probabilityOfTransactions(1, 1, 1, 1, 0), 5 / 9, 1e-14);
  // A distribution whose mean is the expected transactions (the core's doc:
  // "its mean over x* is expected_transactions").
  let total = 0;
  let mean = 0;
  for (let k = 0; k <= 5; k += 1) {
    const p = m.probabilityOfTransactions(3, 4, 6, 5, k);
    total += p;
    mean += k * p;
  }
  closeRel(total, 1, 1e-12, 'sum');
  closeRel(mean, m.expectedTransactions(3, 4, 6, 5), 1e-12, 'mean');
});

test('intervals: parameter SEs are the fit\'s, predictions are the model\'s', () => {
  const d = donations();
  const m = BgBb.fit(d);
  const iv = m.intervals();
  assert.equal(iv.quantity, 'parameters');
  assert.equal(iv.method, 'delta');
  assert.equal(iv.level, 0.9);
  assert.deepEqual(iv.names, ['alpha', 'beta', 'gamma', 'delta']);
  const se = m.standardErrors;
  ['alpha', 'beta', 'gamma', 'delta'].forEach((k, i) => {
    closeRel(iv.standardError[i], se[k], 1e-9, `se ${k}`);
    assert.equal(iv.estimate[i], m[k]);
    assert.ok(iv.lower[i] < iv.estimate[i] && iv.estimate[i] < iv.upper[i]);
  });
  // Log scale: lower * upper = estimate^2 (docs/metrics.md, "Intervals on
  // parameters and predictions").
  closeRel(iv.lower[0] * iv.upper[0], iv.estimate[0] ** 2, 1e-12, 'log-symmetric');

  const customers = { frequency: [0, 3, 6], recency: [0, 4, 6], n: [6, 6, 6] };
  const alive = m.intervals({ quantity: 'probability_alive', customers, level: 0.95 });
  assert.equal(alive.names, null);
  assert.equal(alive.level, 0.95);
  const exp = m.intervals({ quantity: 'expected_transactions', future: 5, customers });
  const tot = m.intervals({ quantity: 'total_transactions', future: 5, customers });
  assert.deepEqual(tot.names, ['total']);
  let sum = 0;
  customers.frequency.forEach((x, i) => {
    const [tx, n] = [customers.recency[i], customers.n[i]];
    closeRel(alive.estimate[i], m.probabilityAlive(x, tx, n), 1e-14, 'alive');
    closeRel(exp.estimate[i], m.expectedTransactions(x, tx, n, 5), 1e-14, 'expected');
    sum += exp.estimate[i];
    for (const r of [alive, exp]) assert.ok(r.lower[i] < r.estimate[i] && r.estimate[i] < r.upper[i]);
    assert.ok(alive.upper[i] < 1);
  });
  closeRel(tot.estimate[0], sum, 1e-12, 'total');
  // Default customers: the 22 rows of the data, each once.
  assert.equal(m.intervals({ quantity: 'probability_alive' }).estimate.length, 22);

  // Bootstrap: seeded, the same seed the same intervals.
  const b1 = m.intervals({ method: 'bootstrap', replicates: 20, seed: 7 });
  const b2 = m.intervals({ method: 'bootstrap', replicates: 20, seed: 7 });
  assert.equal(b1.method, 'bootstrap');
  assert.equal(b1.replicates, 20);
  assert.ok(b1.failed <= 20);
  assert.deepEqual(b1.lower, b2.lower);
  for (let i = 0; i < 4; i += 1) assert.ok(b1.lower[i] <= b1.upper[i]);
});

test('bad inputs throw the typed errors', () => {
  const base = () => ({ frequency: [1, 0, 2], recency: [3, 0, 5], n: [6, 6, 6] });
  // Row 1: recency 7 beyond the 6 opportunities.
  throwsNamed(() => BgBb.fit({ ...base(), recency: [3, 7, 5] }), 'InvalidValueError',
    /column `recency`, row 1: recency 7 is beyond the 6 opportunities/, { column: 'recency', row: 1 });
  throwsNamed(() => BgBb.fit({ ...base(), weights: [1, -2, 3] }), 'InvalidValueError',
    /column `weights`, row 1/, { column: 'weights', row: 1 });
  throwsNamed(() => BgBb.fit({ ...base(), frequency: [1, 0, -1] }), 'InvalidValueError',
    /column `frequency`, row 2/, { column: 'frequency', row: 2 });
  throwsNamed(() => BgBb.fit({ ...base(), n: [6, 0, 6], recency: [3, 0, 5] }), 'InvalidValueError',
    /column `n`, row 1: 0 opportunities/, { column: 'n', row: 1 });
  throwsNamed(() => BgBb.fit({ ...base(), n: [6, 6] }), 'LengthMismatchError', /n/, { column: 'n' });
  throwsNamed(() => BgBb.fit({ frequency: [1], recency: [1] }), 'MissingColumnError', /column `n` is required/);
  throwsNamed(() => BgBb.fit({ ...base(), periods: [6, 6, 6] }), 'InvalidArgumentError', /periods/);
  throwsNamed(() => BgBb.fit({ frequency: [0, 0], recency: [0, 0], n: [6, 6] }), 'InvalidArgumentError',
    /no customer transacted/);
  throwsNamed(() => BgBb.fit(base(), { tolerance: 0 }), 'InvalidArgumentError', /tolerance/);
  throwsNamed(() => new BgBb(1, 0, 1, 1), 'InvalidArgumentError', /beta/, { argument: 'beta' });
  const m = published();
  throwsNamed(() => m.probabilityAlive(1, 7, 6), 'InvalidArgumentError', /recency/);
  throwsNamed(() => m.intervals(), 'InvalidArgumentError', /typed in/, { argument: 'model' });
  const fitted = BgBb.fit(donations());
  throwsNamed(() => fitted.intervals({ quantity: 'clv' }), 'InvalidArgumentError', /quantity/);
  throwsNamed(() => fitted.intervals({ level: 1 }), 'InvalidArgumentError', /level/);
  throwsNamed(() => fitted.intervals({ horizon: 5 }), 'InvalidArgumentError', /horizon/);
  throwsNamed(() => fitted.intervals({ quantity: 'probability_alive', customers: { frequency: [1], recency: [9], n: [6] } }),
    'InvalidArgumentError', /recency/);
});
