// The demo page in Debian's Chromium: loads the fixture CSV through the file
// picker and checks the numbers shown against those the natively compiled
// core computed from the same file (target/wasm-expected.json, written by
// `cargo run -p retentionkit-wasm --example expected`); bad files, the demo
// data and drag and drop; a screenshot in target/wasm-demo.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, ROOT, CHROMIUM } from './server.mjs';

const TARGET = join(ROOT, '../../target');
const FIXTURE = join(ROOT, 'tests/fixtures/shop.csv');
let server;
let url;
let context;
let profile;
const problems = [];

before(async () => {
  ({ server, url } = await serve());
  profile = mkdtempSync(join(tmpdir(), 'rk-chromium-'));
  context = await chromium.launchPersistentContext(profile, { ...CHROMIUM, headless: true, viewport: { width: 1200, height: 900 } });
  // No network: anything but the local server is refused and reported.
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith(url)) return route.continue();
    problems.push(`network request to ${route.request().url()}`);
    return route.abort();
  });
});

after(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function openPage() {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${url}/demo/index.html`);
  await page.waitForSelector('body[data-state="loaded"]');
  return page;
}

const value = (page, key) => page.getAttribute(`[data-key="${key}"]`, 'data-value');

test('the fixture CSV shows the numbers of the native core', async () => {
  const want = JSON.parse(readFileSync(join(TARGET, 'wasm-expected.json'), 'utf8'));
  const page = await openPage();
  await page.setInputFiles('#file', FIXTURE);
  await page.waitForSelector('body[data-state="ready"]');
  assert.equal(Number(await value(page, 'rows')), want.rows);
  assert.equal(Number(await value(page, 'customers')), want.customers);
  assert.ok(Math.abs(Number(await value(page, 'revenue')) - want.revenue) < 1e-6 * want.revenue);
  assert.equal(await value(page, 'kpi.label'), want.kpi.label);
  for (const key of ['startCustomers', 'endCustomers', 'newCustomers', 'retained', 'reactivated', 'orders',
    'retentionRate', 'churnRate', 'revenue']) {
    assert.equal(Number(await value(page, `kpi.${key}`)), want.kpi[key], key);
  }
  // Heatmap: one row per cohort, the first cohort's cells equal the core's fractions.
  const labels = await page.$$eval('rect[data-k="0"]', (rs) => rs.map((r) => r.dataset.cohort));
  assert.deepEqual(labels, want.cohorts.labels);
  const first = await page.$$eval(`rect[data-cohort="${want.cohorts.labels[0]}"]`, (rs) => rs.map((r) => Number(r.dataset.value)));
  assert.deepEqual(first, want.cohorts.firstRow);
  // The model: same code compiled twice; wasm's ln/exp are Rust's own, so 1e-6 relative.
  for (const key of ['r', 'alpha', 'a', 'b', 'logLikelihood']) {
    const got = Number(await value(page, `bgNbd.${key}`));
    assert.ok(Math.abs(got - want.bgNbd[key]) <= 1e-6 * Math.abs(want.bgNbd[key]), `${key}: ${got} vs ${want.bgNbd[key]}`);
  }
  for (const key of ['p', 'q', 'gamma']) {
    const got = Number(await value(page, `gammaGamma.${key}`));
    assert.ok(Math.abs(got - want.gammaGamma[key]) <= 1e-6 * want.gammaGamma[key], `${key}: ${got} vs ${want.gammaGamma[key]}`);
  }
  assert.equal(await value(page, 'gammaGamma.status'), 'converged');
  const total = Number(await value(page, 'clv.total'));
  assert.ok(Math.abs(total - want.clvTotal) <= 1e-6 * want.clvTotal, `CLV total: ${total} vs ${want.clvTotal}`);
  const risk = await page.$$eval('#at-risk tbody tr',
    (rs) => rs.map((r) => [Number(r.dataset.customer), Number(r.dataset.pAlive), Number(r.dataset.clv)]));
  assert.equal(risk.length, 20);
  want.atRisk.forEach((c, i) => {
    assert.equal(risk[i][0], c.customerId, `at-risk row ${i}`);
    assert.ok(Math.abs(risk[i][1] - c.probabilityAlive) <= 1e-6 * c.probabilityAlive + 1e-300, `at-risk row ${i}`);
    // CLV from both fits: 1e-6 relative, as the fitted parameters and P(alive).
    assert.ok(Math.abs(risk[i][2] - c.clv) <= 1e-6 * c.clv + 1e-300, `at-risk row ${i} CLV: ${risk[i][2]} vs ${c.clv}`);
  });
  assert.ok(await page.isHidden('#message'));
  await page.screenshot({ path: join(TARGET, 'wasm-demo.png'), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

test('bad files give a readable message, never a blank page', async () => {
  const page = await openPage();
  const cases = [
    ['dates.csv', 'customer_id,date,amount\n1,2024-01-01,5\n2,2024-13-45,3\n', /InvalidValueError: column `date`, row 1: "2024-13-45" is not a date.*line 3 of the file/],
    ['refund.csv', 'customer_id,date,amount\n1,2024-01-01,5\n2,2024-01-02,-3\n', /row 1: negative amount -3.*line 3 of the file/],
    ['fields.csv', 'customer_id,date,amount\n1,2024-01-01\n', /fields.csv: Line 2: 2 fields, but the header has 3/],
    ['header.csv', 'name,when\nx,2024-01-01\n', /Line 1: the header must name a customer column/],
    ['empty.csv', '', /The file is empty/],
    ['image.png', '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR', /does not look like a text/],
  ];
  for (const [name, text, message] of cases) {
    await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'latin1') });
    await page.waitForSelector('#message:not([hidden])');
    assert.match(await page.textContent('#message'), message, name);
    assert.ok(await page.isHidden('#dashboard'), name);
    // Reset for the next case.
    await page.evaluate(() => { document.getElementById('message').hidden = true; });
  }
  await page.close();
  assert.deepEqual(problems, []);
});

test('the demo shop button and drag and drop', async () => {
  const page = await openPage();
  await page.click('#demo');
  await page.waitForSelector('body[data-state="ready"]');
  // The core's demo shop with default options has 20,000 customers (demo.rs).
  assert.equal(Number(await value(page, 'customers')), 20_000);
  assert.equal(await value(page, 'bgNbd.status'), 'converged');
  await page.evaluate(() => { document.body.dataset.state = 'loaded'; });
  // Three orders of two customers, dropped as a file.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['customer_id,date\n1,2024-01-05\n2,2024-01-09\n1,2024-02-11\n'], 'drop.csv', { type: 'text/csv' }));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]');
  assert.equal(Number(await value(page, 'rows')), 3);
  assert.equal(Number(await value(page, 'customers')), 2);
  // One repeat purchase only: the page says why there is no model, no blank.
  assert.match(await page.textContent('#model'), /No model|fit/);
  await page.close();
  assert.deepEqual(problems, []);
});
