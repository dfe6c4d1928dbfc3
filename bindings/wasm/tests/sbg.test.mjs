// Sbg: the shifted-beta-geometric model of contractual retention without
// covariates (the core's models::sbg) in the npm package. Expected numbers:
// Fader & Hardie (2007), "How to Project Customer Retention", table 1 and the
// estimates fitted on its first eight years, and hand calculations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbg } from '../js/node.mjs';
import { closeRel, throwsNamed } from './helpers.mjs';

// FH 2007, table 1: customers of 1,000 still active at the start of years 0..7.
const regular = [1000, 631, 468, 382, 326, 289, 262, 241];
const highEnd = [1000, 869, 743, 653, 593, 551, 517, 491];

test('Sbg.fit reproduces FH 2007: Regular alpha 0.704, beta 1.182; High End 0.668, 3.806', () => {
  for (const [counts, alpha, beta] of [[regular, 0.704, 1.182], [highEnd, 0.668, 3.806]]) {
    const m = Sbg.fit(counts);
    assert.equal(m.status, 'converged');
    assert.equal(Math.round(m.alpha * 1e3) / 1e3, alpha);
    assert.equal(Math.round(m.beta * 1e3) / 1e3, beta);
    assert.equal(m.nParameters, 2);
    assert.equal(m.nObservations, 1000);
    assert.ok(m.standardErrors.alpha > 0 && m.standardErrors.beta > 0);
    // AIC = 2k - 2 LL with k = 2.
    closeRel(m.aic, 4 - 2 * m.logLikelihood, 1e-12);
    assert.deepEqual(JSON.parse(JSON.stringify(m)), { alpha: m.alpha, beta: m.beta });
    // A typed array of counts is the same fit.
    const again = Sbg.fit(new Uint32Array(counts));
    assert.equal(again.alpha, m.alpha);
    m.free();
    again.free();
  }
});

test('Sbg: survival, churn, retention and DERL by hand at alpha = beta = 1', () => {
  const m = new Sbg(1, 1);
  assert.equal(m.logLikelihood, undefined);
  assert.equal(m.standardErrors, null);
  // theta uniform: S(t) = 1 / (t + 1), P(T = t) = 1 / (t (t + 1)), r(t) = t / (t + 1).
  closeRel(m.survival(3), 0.25, 1e-15);
  closeRel(m.churnProbability(2), 1 / 6, 1e-15);
  assert.equal(m.churnProbability(0), 0);
  closeRel(m.retentionRate(3), 0.75, 1e-15);
  // A new customer at d = 100 %: z = 1/2, sum_k z^k / (k + 2) = 4 (ln 2 - 1/2).
  closeRel(m.derl(1, 0), 4 * (Math.log(2) - 0.5), 1e-12);
  m.free();
});

test('Sbg: bad parameters and counts are typed errors', () => {
  throwsNamed(() => new Sbg(0, 1), 'InvalidArgumentError', /alpha/);
  throwsNamed(() => new Sbg(1, Number.NaN), 'InvalidArgumentError', /beta/);
  // Counts that rise, or too few of them: the core's argument errors.
  throwsNamed(() => Sbg.fit([100, 120, 50]), 'InvalidArgumentError', /120 survivors after period 1 exceed/);
  throwsNamed(() => Sbg.fit([100, 60]), 'InvalidArgumentError', /at least two periods/);
  // Not a whole number: the column's value error at its row.
  throwsNamed(() => Sbg.fit([100, 60.5, 30]), 'InvalidValueError', /60.5 is not a whole number/);
  const m = new Sbg(1, 1);
  throwsNamed(() => m.derl(0, 0), 'InvalidArgumentError', /discount/);
  m.free();
});
