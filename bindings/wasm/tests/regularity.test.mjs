// The regularity models BgCnbd (BG/CNBD-k) and MbgCnbd (MBG/CNBD-k), and
// logIntertransactionTimes and wheatMorrison: k = 1 against BgNbd and MbgNbd
// on the CDNOW calibration summary, the choice of k on CDNOW (the checks of
// the core's tests/it/regularity.rs), and hand-computed small cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BgCnbd, MbgCnbd, BgNbd, MbgNbd, TransactionLog, logIntertransactionTimes, wheatMorrison,
} from '../js/node.mjs';
import { cdnowLog, closeRel, throwsNamed } from './helpers.mjs';

/** CDNOW calibration (to 1997-09-30, weeks) and each customer's litt. */
function cdnow() {
  const log = cdnowLog();
  const options = { unit: 'weeks', observationEnd: '1997-09-30' };
  const s = log.summary(options);
  const litt = logIntertransactionTimes(log, options);
  log.free();
  return { s, litt };
}

test('logIntertransactionTimes: one value per summary customer, ln t_x for one repeat purchase', () => {
  const { s, litt } = cdnow();
  assert.ok(litt instanceof Float64Array);
  assert.equal(litt.length, 2_357);
  const x = s.frequency;
  const tx = s.recency;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) assert.equal(litt[i], 0);
    // One gap: litt = ln t_x (hand rule).
    if (x[i] === 1) closeRel(litt[i], Math.log(tx[i]), 1e-12, `litt[${i}]`);
  }
  // Hand case: customer 1 on days 0, 7, 7 (one purchase day) and 21, customer 2 once:
  // gaps of 1 and 2 weeks, ln 1 + ln 2.
  const log = TransactionLog.fromColumns({ customerId: [1, 1, 1, 1, 2], date: [0, 7, 7, 21, 3] });
  assert.deepEqual([...logIntertransactionTimes(log, { unit: 'weeks' })], [Math.log(2), 0]);
});

test('k = 1 is BgNbd and MbgNbd on CDNOW: parameters, log-likelihood, predictions', () => {
  const { s, litt } = cdnow();
  for (const [Cnbd, Nbd] of [[BgCnbd, BgNbd], [MbgCnbd, MbgNbd]]) {
    const c = Cnbd.fit(s, litt, { k: 1 });
    const n = Nbd.fit(s);
    assert.equal(c.status, 'converged');
    assert.equal(c.k, 1);
    assert.equal(c.nParameters, 4); // k given, not chosen
    for (const p of ['r', 'alpha', 'a', 'b']) closeRel(c[p], n[p], 1e-9, p);
    closeRel(c.logLikelihood, n.logLikelihood, 1e-12, 'log-likelihood');
    const pc = c.predict(s, 39);
    const pn = n.predict(s, 39);
    for (let i = 0; i < s.length; i++) {
      closeRel(pc.probabilityAlive[i], pn.probabilityAlive[i], 1e-9, `P(alive)[${i}]`);
      closeRel(pc.expectedPurchases[i], pn.expectedPurchases[i], 1e-9, `E[X][${i}]`);
    }
    closeRel(c.expectedPurchasesNew(39), n.expectedPurchasesNew(39), 1e-9, 'new customer');
    assert.deepEqual(Object.keys(c.standardErrors), ['r', 'alpha', 'a', 'b']);
  }
});

test('CDNOW selects k = 1 over 1..12, its likelihood falling from k = 1 to 2', () => {
  const { s, litt } = cdnow();
  for (const Cnbd of [BgCnbd, MbgCnbd]) {
    const m = Cnbd.fit(s, litt);
    assert.equal(m.candidates.length, 12);
    assert.deepEqual(m.candidates.map((c) => c.k), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal(m.k, 1);
    assert.equal(m.nParameters, 5); // k chosen
    assert.ok(m.candidates[1].logLikelihood < m.candidates[0].logLikelihood);
    assert.equal(m.logLikelihood, m.candidates[0].logLikelihood);
    assert.equal(m.unit, 'weeks');
    assert.deepEqual(Object.keys(m.toJSON()), ['k', 'r', 'alpha', 'a', 'b']);
  }
});

test('typed-in parameters: a hand-computed P(alive); k = 1 is BG/NBD', () => {
  // k = 2, r = alpha = a = b = 1; x = 1, t_x = 1, T = 2: survival terms 2/27,
  // dropped out 1/8: P(alive) = (2/27) / (2/27 + 1/8) = 16/43 (by hand, as
  // Python's BetaGeoCNBD doctest).
  const m = new BgCnbd(2, 1, 1, 1, 1, 'weeks');
  closeRel(m.probabilityAlive(1, 1, 2), 16 / 43, 1e-12, 'P(alive)');
  assert.equal(m.logLikelihood, undefined);
  assert.equal(m.standardErrors, null);
  assert.deepEqual(m.candidates, []);
  const one = new BgCnbd(1, 0.25, 4.4, 0.79, 2.43);
  const bg = new BgNbd(0.25, 4.4, 0.79, 2.43);
  for (const [x, tx, t] of [[0, 0, 30], [2, 10, 30], [5, 29, 31]]) {
    closeRel(one.probabilityAlive(x, tx, t), bg.probabilityAlive(x, tx, t), 1e-12, 'P(alive)');
    closeRel(one.expectedPurchases(x, tx, t, 10), bg.expectedPurchases(x, tx, t, 10), 1e-12, 'E[X]');
  }
  throwsNamed(() => new BgCnbd(1.5, 1, 1, 1, 1), 'InvalidArgumentError', /k/, {});
  throwsNamed(() => new MbgCnbd(0, 1, 1, 1, 1), 'InvalidArgumentError', /k/, {});
  const { s, litt } = cdnow();
  // The core's largest k is 100 (models::cnbd::MAX_K).
  throwsNamed(() => BgCnbd.fit(s, litt, { maxK: 101 }), 'InvalidArgumentError', /max_k/, {});
  throwsNamed(() => BgCnbd.fit(s, litt.subarray(1)), 'LengthMismatchError', /litt/, {});
  throwsNamed(() => BgCnbd.fit(s, litt, { kk: 2 }), 'InvalidArgumentError', /kk/, {});
});

test('wheatMorrison: a hand-computed case', () => {
  // Customer 1: gaps 10, 30 (M = 1/4); 2: gaps 20, 20 (M = 1/2); 3: gaps 5, 15
  // (M = 1/4); 4 buys twice only (left out). V = (1/16 + 0 + 1/16) / 3 = 1/24,
  // k = (1 − 1/6) / (1/3) = 2.5.
  const log = TransactionLog.fromColumns({
    customerId: [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4],
    date: [0, 10, 40, 0, 20, 40, 0, 5, 20, 0, 9],
  });
  const w = wheatMorrison(log);
  assert.equal(w.customers, 3);
  closeRel(w.mean, 1 / 3, 1e-15, 'mean');
  closeRel(w.variance, 1 / 24, 1e-15, 'variance');
  closeRel(w.k, 2.5, 1e-12, 'k');
  // Up to day 20 only customer 3 has three purchase days: too few.
  throwsNamed(() => wheatMorrison(log, { observationEnd: 20 }), 'InvalidArgumentError', /two customers/, {});
});
