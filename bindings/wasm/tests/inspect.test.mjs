// toJSON and Node's console.log / util.inspect on every class the package
// exports: data, never `{ __wbg_ptr }` (issue 23, item 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createRequire } from 'node:module';
import * as rk from '../js/node.mjs';

const { TransactionLog, BgNbd, MbgNbd, ParetoNbd, GammaGamma, SubscriptionLog } = rk;

// The README's log (as in api.test.mjs): customer 1 on 3 Jan, 2 Feb, 9 Mar;
// 2 on 20 Jan, 1 Mar; 3 on 14 Feb 2024.
const readme = {
  customerId: [1, 2, 1, 3, 2, 1],
  date: ['2024-01-03', '2024-01-20', '2024-02-02', '2024-02-14', '2024-03-01', '2024-03-09'],
  amount: [20, 35, 15, 50, 40, 25],
};

test('every exported class has toJSON, and Node prints it', () => {
  // A class is an export whose instances wasm-bindgen can free.
  const classes = Object.entries(rk)
    .filter(([, v]) => typeof v === 'function' && typeof v.prototype?.free === 'function')
    .map(([k]) => k)
    .sort();
  assert.deepEqual(classes,
    ['BgBb', 'BgCnbd', 'BgNbd', 'CovariateFit', 'GammaGamma', 'MbgCnbd', 'MbgNbd', 'Nbd', 'ParetoNbd', 'Sbg',
      'SbgCovariateFit', 'SpendCovariateFit', 'SubscriptionLog', 'Summary', 'TransactionLog']);
  for (const name of classes) {
    assert.equal(typeof rk[name].prototype.toJSON, 'function', `${name}.toJSON`);
    assert.equal(typeof rk[name].prototype[Symbol.for('nodejs.util.inspect.custom')], 'function', `${name} inspect`);
  }
});

test('TransactionLog and Summary: toJSON, JSON.stringify and inspect', () => {
  const log = TransactionLog.fromColumns(readme);
  // 6 orders of 3 customers; revenue 20 + 35 + 15 + 50 + 40 + 25 = 185.
  const info = {
    length: 6, customerCount: 3, hasAmounts: true, firstDate: '2024-01-03', lastDate: '2024-03-09', revenue: 185,
  };
  assert.deepEqual(log.toJSON(), info);
  assert.deepEqual(JSON.parse(JSON.stringify(log)), info);
  const shown = inspect(log);
  assert.match(shown, /^TransactionLog \{/);
  assert.match(shown, /customerCount: 3/);
  assert.doesNotMatch(shown, /__wbg_ptr/);

  const s = log.summary();
  // Hand-checked in api.test.mjs: x = repeat purchase days, t_x and T in days
  // to the last day (9 Mar), mean repeat spend (15 + 25) / 2 = 20, 40, none.
  const want = {
    length: 3, unit: 'days', observationEnd: '2024-03-09', customerId: [1, 2, 3], frequency: [2, 1, 0],
    recency: [66, 41, 0], age: [66, 49, 24], monetaryValue: [20, 40, 0],
    firstDate: ['2024-01-03', '2024-01-20', '2024-02-14'],
  };
  assert.deepEqual(s.toJSON(), want);
  // Plain arrays, so JSON.stringify gives arrays (a typed array would give {"0": …}).
  assert.deepEqual(JSON.parse(JSON.stringify(s)), want);
  assert.match(inspect(s), /^Summary \{[^]*frequency: \[ 2, 1, 0 \]/);
  assert.doesNotMatch(inspect(s), /__wbg_ptr/);

  const noAmounts = TransactionLog.fromColumns({ customerId: ['a', 'b'], date: ['2024-01-01', '2024-01-02'] });
  assert.equal(noAmounts.toJSON().revenue, null);
  assert.equal(noAmounts.summary().toJSON().monetaryValue, null);
  assert.deepEqual(noAmounts.summary().toJSON().customerId, ['a', 'b']);

  // A freed object prints as such instead of throwing.
  noAmounts.free();
  assert.equal(inspect(noAmounts), 'TransactionLog <freed>');
  // Nested deeper than the depth asked for: the class name only.
  assert.equal(inspect({ a: { b: log } }, { depth: 1 }), '{ a: { b: [TransactionLog] } }');
});

test('models and SubscriptionLog: toJSON is the parameters, inspect shows them', () => {
  // Typed-in parameters come back as typed in (Fader, Hardie & Lee 2005's CDNOW BG/NBD estimates).
  const m = new BgNbd(0.243, 4.414, 0.793, 2.426, 'weeks');
  assert.deepEqual(JSON.parse(JSON.stringify(m)), { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
  assert.equal(inspect(m), 'BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }');
  assert.equal(inspect(new MbgNbd(1, 2, 3, 4)), 'MbgNbd { r: 1, alpha: 2, a: 3, b: 4 }');
  assert.equal(inspect(new ParetoNbd(1, 2, 3, 4)), 'ParetoNbd { r: 1, alpha: 2, s: 3, beta: 4 }');
  // Fader & Hardie (2013)'s CDNOW Gamma-Gamma estimates, typed in.
  const g = new GammaGamma(6.25, 3.74, 15.44);
  assert.equal(inspect(g), 'GammaGamma { p: 6.25, q: 3.74, gamma: 15.44 }');
  assert.equal(g.warning, undefined);

  const subs = SubscriptionLog.fromColumns({
    customerId: [1, 1, 2], start: Int32Array.of(0, 5, 8), end: [10, null, 9], mrr: [30, 20, 7],
  });
  // Three subscriptions of two customers, the first starting on day 0.
  assert.deepEqual(subs.toJSON(), { length: 3, customerCount: 2, firstDate: '1970-01-01' });
  assert.equal(inspect(subs), "SubscriptionLog { length: 3, customerCount: 2, firstDate: '1970-01-01' }");
});

test('require("retentionkit") (js/node.cjs) prints the same', () => {
  const require = createRequire(import.meta.url);
  const cjs = require('../js/node.cjs');
  const log = cjs.TransactionLog.fromColumns(readme);
  assert.match(inspect(log), /^TransactionLog \{\s+length: 6,\s+customerCount: 3,/);
});
