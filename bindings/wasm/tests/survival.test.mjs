// coxPh and weibullAft on lifelines' rossi data (tests/data/survival/rossi.csv)
// against lifelines 0.30.3's numbers kept in tests/data/survival/rossi_expected.json
// (tests/data/SOURCES.md, "Cox and Weibull AFT references"), to 1e-6 relative
// as the core's tests; and the bad inputs, each naming its column and row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { coxPh, weibullAft } from '../js/node.mjs';
import { here, throwsNamed, closeRel } from './helpers.mjs';

const want = JSON.parse(readFileSync(here('../../../tests/data/survival/rossi_expected.json'), 'utf8'));
const COVARIATES = ['fin', 'age', 'race', 'wexp', 'mar', 'paro', 'prio'];

/** rossi.csv as an object of plain arrays of numbers, one per column. */
function rossi() {
  const [header, ...lines] = readFileSync(here('../../../tests/data/survival/rossi.csv'), 'utf8').trim().split('\n');
  const names = header.split(',');
  const cols = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of lines) line.split(',').forEach((v, i) => cols[names[i]].push(Number(v)));
  return cols;
}

function allClose(got, expected, what) {
  assert.equal(got.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) closeRel(got[i], expected[i], 1e-6, `${what}[${i}]`);
}

/** The step function's value at the last time <= t (lifelines' baseline at
 * the weeks of rossi_expected.json). */
function step(times, values, t) {
  let k = 0;
  while (k < times.length && times[k] <= t) k++;
  return k === 0 ? 1 : values[k - 1];
}

function checkCox(fit, w, se = 'se') {
  assert.deepEqual(fit.covariates, w.covariates);
  allClose(fit.coef, w.coef, 'coef');
  allClose(fit.se, w[se], se);
  closeRel(fit.logLikelihood, w.log_likelihood, 1e-6, 'log_likelihood');
  closeRel(fit.nullLogLikelihood, w.null_log_likelihood, 1e-6, 'null_log_likelihood');
  closeRel(fit.concordance, w.concordance, 1e-6, 'concordance');
}

test('coxPh on rossi equals lifelines (Efron ties)', () => {
  const data = rossi();
  const fit = coxPh(data, { duration: 'week', event: 'arrest', covariates: COVARIATES });
  const w = want.efron;
  checkCox(fit, w);
  assert.ok(fit.coef instanceof Float64Array);
  assert.equal(fit.rows, 432);
  assert.equal(fit.status, 'converged');
  assert.equal(fit.ties, 'efron');
  assert.equal(fit.robustSe, null);
  allClose(fit.hazardRatio, w.summary.exp_coef, 'exp_coef');
  allClose(fit.hazardRatioLower, w.summary.exp_coef_lower_95, 'exp_coef_lower_95');
  allClose(fit.hazardRatioUpper, w.summary.exp_coef_upper_95, 'exp_coef_upper_95');
  allClose(fit.z, w.summary.z, 'z');
  allClose(fit.pValue, w.summary.p, 'p');
  allClose(fit.means, w.means, 'means');
  closeRel(fit.likelihoodRatioTest.statistic, w.log_likelihood_ratio_test.statistic, 1e-6, 'lr');
  closeRel(fit.likelihoodRatioTest.pValue, w.log_likelihood_ratio_test.p_value, 1e-6, 'lr p');
  assert.equal(fit.likelihoodRatioTest.degreesOfFreedom, 7);
  assert.equal(fit.baselines.length, 1);
  const b = fit.baselines[0];
  assert.equal(b.stratum, null);
  want.times.forEach((t, i) => {
    closeRel(step(b.times, b.cumulativeHazard, t), w.baseline_cumulative_hazard[i], 1e-6, `H0(${t})`);
    closeRel(step(b.times, b.survival, t), w.baseline_survival[i], 1e-6, `S0(${t})`);
  });
  for (const transform of ['rank', 'identity', 'log', 'km']) {
    // Without `covariates`: every column but the duration and event.
    const f = coxPh(data, { duration: 'week', event: 'arrest', timeTransform: transform });
    assert.deepEqual(f.covariates, COVARIATES);
    assert.equal(f.proportionalHazardsTest.timeTransform, transform);
    allClose(f.proportionalHazardsTest.statistic, w.proportional_hazard_test[transform].statistic, `${transform} statistic`);
    allClose(f.proportionalHazardsTest.pValue, w.proportional_hazard_test[transform].p_value, `${transform} p`);
  }
});

test('coxPh with typed arrays, boolean events, strata and weights equals lifelines', () => {
  const data = rossi();
  const typed = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Float64Array.from(v)]));
  typed.arrest = data.arrest.map((e) => e === 1);
  checkCox(coxPh(typed, { duration: 'week', event: 'arrest' }), want.efron);
  // Strata as string labels: the baselines carry them.
  const strata = { ...data, wexp: data.wexp.map((x) => (x === 1 ? 'yes' : 'no')) };
  const s = coxPh(strata, { duration: 'week', event: 'arrest', strata: 'wexp' });
  checkCox(s, want.strata_wexp);
  assert.deepEqual(s.baselines.map((b) => b.stratum), ['no', 'yes']);
  for (const b of s.baselines) {
    const key = b.stratum === 'yes' ? '1' : '0';
    want.times.forEach((t, i) => closeRel(step(b.times, b.survival, t), want.strata_wexp.baseline_survival_by_stratum[key][i], 1e-6, `S0(${t}) ${key}`));
  }
  // Weights 1 + (row mod 3) / 2, as rossi_lifelines.py.
  const weighted = { ...data, w: data.week.map((_, i) => 1 + (i % 3) / 2) };
  const f = coxPh(weighted, { duration: 'week', event: 'arrest', covariates: COVARIATES, weights: 'w' });
  checkCox(f, want.weighted);
  assert.equal(f.weights, 'w');
});

test('coxPh robust and Breslow on distinct times equal lifelines', () => {
  // week + row / 1000, as rossi_lifelines.py: with distinct times Breslow's and
  // Efron's likelihoods are one, so both equal lifelines (Efron only).
  const data = rossi();
  data.week = data.week.map((w, i) => w + i / 1000);
  for (const ties of ['efron', 'breslow']) {
    const f = coxPh(data, { duration: 'week', event: 'arrest', ties });
    assert.equal(f.ties, ties);
    checkCox(f, want.distinct);
  }
  const r = coxPh(data, { duration: 'week', event: 'arrest', robust: true });
  checkCox(r, want.distinct, 'robust_se');
  allClose(r.robustSe, want.distinct.robust_se, 'robustSe');
  allClose(r.modelSe, want.distinct.se, 'modelSe');
});

test('weibullAft on rossi equals lifelines', () => {
  const fit = weibullAft(rossi(), { duration: 'week', event: 'arrest' });
  const w = want.weibull_aft;
  assert.deepEqual(fit.covariates, w.covariates);
  allClose(fit.coef, w.lambda_coef, 'lambda coef');
  allClose(fit.se, w.lambda_se, 'lambda se');
  closeRel(fit.intercept, w.lambda_intercept, 1e-6, 'intercept');
  closeRel(fit.interceptSe, w.lambda_intercept_se, 1e-6, 'intercept se');
  closeRel(fit.logRho, w.rho_intercept, 1e-6, 'log rho');
  closeRel(fit.logRhoSe, w.rho_intercept_se, 1e-6, 'log rho se');
  closeRel(fit.logLikelihood, w.log_likelihood, 1e-6, 'log_likelihood');
  assert.equal(fit.status, 'converged');
  closeRel(fit.concordance, w.concordance, 1e-6, 'concordance');
  // z from lifelines' own estimates and standard errors; the 95 % interval
  // coef ± 1.959963984540054 se (Φ⁻¹(0.975) to 16 digits), within 1e-6 of
  // the size of its terms (an end near 0 cancels).
  allClose(fit.z, w.lambda_coef.map((b, i) => b / w.lambda_se[i]), 'z');
  w.lambda_coef.forEach((b, i) => {
    const half = 1.959963984540054 * w.lambda_se[i];
    assert.ok(Math.abs(fit.coefLower[i] - (b - half)) <= 1e-6 * (Math.abs(b) + half), `lower[${i}]`);
    assert.ok(Math.abs(fit.coefUpper[i] - (b + half)) <= 1e-6 * (Math.abs(b) + half), `upper[${i}]`);
  });
  assert.equal(fit.confidenceLevel, 0.95);
  assert.deepEqual(fit.summary.parameter, [...w.covariates, 'intercept', 'logRho']);
  closeRel(fit.summary.z[8], w.rho_intercept / w.rho_intercept_se, 1e-6, 'log rho z');
  // prio: z = -3.143 (lifelines' summary prints p = 0.00167); the p-value is
  // the core's, tested against erfc in tests/it/survival_cox.rs.
  assert.ok(fit.pValue[6] > 0.0016 && fit.pValue[6] < 0.0017);
  const ninety = weibullAft(rossi(), { duration: 'week', event: 'arrest', confidenceLevel: 0.9 });
  // 1.6448536269514722 = Φ⁻¹(0.95).
  closeRel(ninety.coefUpper[6] - ninety.coef[6], 1.6448536269514722 * ninety.se[6], 1e-9, '90 % half width');
  throwsNamed(() => weibullAft(rossi(), { duration: 'week', event: 'arrest', confidenceLevel: 1.5 }), 'InvalidArgumentError', /confidenceLevel/, {});
});

test('bad inputs throw typed errors naming the column and row', () => {
  const base = { t: [1, 2, 3, 4], e: [1, 0, 1, 1], x: [0.5, 1.5, 0.2, 2.5] };
  const opts = { duration: 't', event: 'e' };
  throwsNamed(() => coxPh(base, { ...opts, duration: 'time' }), 'MissingColumnError', /column `time` is required for coxPh/, { column: 'time' });
  throwsNamed(() => coxPh(base, { ...opts, covariates: ['x', 'y'] }), 'MissingColumnError', /column `y`/, { column: 'y' });
  throwsNamed(() => coxPh({ ...base, t: [1, -2, 3, 4] }, opts), 'InvalidValueError', /column `t`, row 1: -2 is not a finite value >= 0/, { column: 't', row: 1 });
  throwsNamed(() => coxPh({ ...base, e: [1, 2, 1, 1] }, opts), 'InvalidValueError', /column `e`, row 1: 2 is not an event flag/, { column: 'e', row: 1 });
  throwsNamed(() => coxPh({ ...base, x: [0.5, 'a', 0.2, 2.5] }, opts), 'InvalidValueError', /column `x`, row 1: .*not a number/, { column: 'x', row: 1 });
  throwsNamed(() => coxPh({ ...base, x: [0.5, NaN, 0.2, 2.5] }, opts), 'InvalidValueError', /column `x`, row 1: NaN is not finite/, { column: 'x', row: 1 });
  throwsNamed(() => coxPh({ ...base, x: [2, 2, 2, 2] }, opts), 'InvalidValueError', /column `x`, row 0: is constant/, { column: 'x' });
  throwsNamed(() => coxPh({ ...base, x: [1, 2, 3] }, opts), 'LengthMismatchError', /column `x` has 3 values, expected 4/, { column: 'x' });
  throwsNamed(() => coxPh({ ...base, w: [1, 0, 1, 1] }, { ...opts, covariates: ['x'], weights: 'w' }), 'InvalidValueError', /column `w`, row 1/, { column: 'w', row: 1 });
  throwsNamed(() => coxPh({ ...base, e: [0, 0, 0, 0] }, opts), 'InvalidArgumentError', /no row has the event/);
  throwsNamed(() => coxPh(base, { ...opts, ties: 'exact' }), 'InvalidArgumentError', /"exact" is not one of efron, breslow/);
  throwsNamed(() => coxPh(base, { ...opts, tie: 'efron' }), 'InvalidArgumentError', /unknown option "tie"/);
  throwsNamed(() => coxPh(base, { ...opts, covariates: ['t'] }), 'InvalidArgumentError', /already the duration/);
  throwsNamed(() => coxPh([1, 2], opts), 'InvalidArgumentError', /object of columns/);
  // A zero duration: fine for coxPh, not for weibullAft (its likelihood needs t > 0).
  const zero = { ...base, t: [0, 2, 3, 4] };
  assert.equal(coxPh(zero, opts).rows, 4);
  throwsNamed(() => weibullAft(zero, opts), 'InvalidValueError', /column `t`, row 0/, { column: 't', row: 0 });
});

test("the package README's Cox and Weibull AFT example runs", async () => {
  const text = readFileSync(here('../README.md'), 'utf8');
  const code = text.slice(text.indexOf('## Cox and Weibull AFT')).match(/```js\n([\s\S]*?)```/)[1];
  const dir = mkdtempSync(join(tmpdir(), 'rk-readme-'));
  try {
    const file = join(dir, 'survival.mjs');
    const entry = pathToFileURL(here('../js/node.mjs')).href;
    writeFileSync(file, code.replace("from 'retentionkit'", `from '${entry}'`) + '\nexport { cox, aft };\n');
    const m = await import(pathToFileURL(file).href);
    // What the README's comments state.
    assert.deepEqual(m.cox.covariates, ['premium']);
    assert.ok(m.cox.hazardRatio[0] < 1);
    assert.ok(m.cox.hazardRatioLower[0] < m.cox.hazardRatio[0] && m.cox.hazardRatio[0] < m.cox.hazardRatioUpper[0]);
    assert.ok(m.aft.coef[0] > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
