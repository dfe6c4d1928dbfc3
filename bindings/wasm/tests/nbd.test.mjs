// Nbd: the NBD model (no drop-out, the core's models::nbd) in the npm
// package, and the likelihood-ratio test of drop-out it is the restricted
// model of. Expected numbers: scipy's NBD maximum on Hardie's CDNOW summary
// (tests/data/models/scipy_nbd.txt, see tests/data/SOURCES.md) and by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Nbd, ParetoNbd, likelihoodRatioTest } from '../js/node.mjs';
import { cdnowLog, closeRel, throwsNamed } from './helpers.mjs';

test('Nbd on CDNOW: scipy\'s maximum, and the Pareto/NBD beats it by likelihood ratio', () => {
  const log = cdnowLog();
  const s = log.summary({ unit: 'weeks', observationEnd: '1997-09-30' });
  const nbd = Nbd.fit(s);
  assert.equal(nbd.status, 'converged');
  assert.equal(nbd.nParameters, 2);
  assert.equal(nbd.nObservations, 2357);
  // scipy on Hardie's summary (T to 2 decimals): r = 0.38476767392649985,
  // alpha = 12.07208498172625, LL = -9763.660222232771; this summary is the
  // exact one, so the agreement is to 1e-4 (the rounding of T).
  closeRel(nbd.r, 0.38476767392649985, 1e-4);
  closeRel(nbd.alpha, 12.07208498172625, 1e-4);
  closeRel(nbd.logLikelihood, -9763.660222232771, 1e-5);
  // By hand: (r + x) t / (alpha + T) and r t / alpha.
  closeRel(nbd.expectedPurchases(2, 30, 38, 39), (nbd.r + 2) * 39 / (nbd.alpha + 38), 1e-14);
  closeRel(nbd.expectedPurchasesNew(10), nbd.r * 10 / nbd.alpha, 1e-14);
  const pareto = ParetoNbd.fit(s);
  const t = likelihoodRatioTest(pareto, nbd, true);
  assert.equal(t.degreesOfFreedom, 2);
  closeRel(t.statistic, 2 * (pareto.logLikelihood - nbd.logLikelihood), 1e-12);
  assert.ok(t.statistic > 300 && t.pValue < 1e-60, JSON.stringify(t));
  assert.deepEqual(JSON.parse(JSON.stringify(nbd)), { r: nbd.r, alpha: nbd.alpha });
  for (const o of [nbd, pareto, s, log]) o.free();
});

test('Nbd: typed-in parameters have no fit; bad values are typed errors', () => {
  const m = new Nbd(1, 2, 'weeks');
  assert.equal(m.logLikelihood, undefined);
  assert.equal(m.unit, 'weeks');
  assert.equal(m.expectedPurchasesNew(4), 2);
  throwsNamed(() => new Nbd(0, 1), 'InvalidArgumentError', /positive/);
  throwsNamed(() => m.expectedPurchases(1, 5, 4, 1), 'InvalidArgumentError', /recency/);
  throwsNamed(() => m.expectedPurchasesNew(-1), 'InvalidArgumentError', /horizon/);
  m.free();
});
