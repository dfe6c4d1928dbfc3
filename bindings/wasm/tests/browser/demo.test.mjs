// The demo page in Debian's Chromium: loads the fixture CSV through the file
// picker and checks the numbers shown against those the natively compiled
// core computed from the same file (target/wasm-expected.json, written by
// `cargo run -p retentionkit-wasm --example expected`); bad files, the demo
// data (computed on load) and drag and drop; fit warnings, the heatmap's values
// and legend, the tiles' hover texts; screenshots in target/wasm-demo.png (the
// fixture) and target/wasm-demo-{desktop,phone}.png (the demo shop at 1200 and
// 390 px), and no horizontal overflow at 390 px.
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

/** The page, once it has computed the built-in demo shop (it does so on load). */
async function openPage() {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${url}/demo/index.html`);
  await page.waitForSelector('body[data-state="ready"]');
  return page;
}

/** Load a file through the picker and wait until the page has shown it (or an error). */
async function loadFile(page, file) {
  await page.evaluate(() => { document.body.dataset.state = 'loading'; });
  await page.setInputFiles('#file', file);
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]');
}

const value = (page, key) => page.getAttribute(`[data-key="${key}"]`, 'data-value');

test('the fixture CSV shows the numbers of the native core', async () => {
  const want = JSON.parse(readFileSync(join(TARGET, 'wasm-expected.json'), 'utf8'));
  const page = await openPage();
  await loadFile(page, FIXTURE);
  assert.match(await page.textContent('#source'), /File shop\.csv/);
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
  // Each cell shows its share in whole percent, and the legend its colour scale.
  const shown = await page.$$eval(`text.cell[data-cohort="${want.cohorts.labels[0]}"]`, (ts) => ts.map((t) => t.textContent));
  assert.deepEqual(shown, want.cohorts.firstRow.filter((v) => v != null).map((v) => String(Math.round(100 * v))));
  const legend = await page.$$eval('#heatmap svg.heat-legend text', (ts) => ts.map((t) => t.textContent));
  assert.deepEqual(legend, ['0%', '2%', '5%', '10%', '20%', '30%', '50%', '75%', '100%', '+0: acquired (100%)']);
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
  // Every tile explains itself on hover: a title with its definition or formula.
  const untitled = await page.$$eval('.tile', (ts) => ts.filter((t) => !t.title).map((t) => t.dataset.key));
  assert.deepEqual(untitled, []);
  const title = (key) => page.getAttribute(`[data-key="${key}"]`, 'title');
  const k = want.kpi;
  const fmt = (n) => n.toLocaleString('en-US');
  assert.match(await title('kpi.retentionRate'),
    new RegExp(`\\(E − N\\) / S = \\(${fmt(k.endCustomers)} − ${fmt(k.newCustomers)}\\) / ${fmt(k.startCustomers)}`));
  assert.match(await title('kpi.retentionRate'), /not 1 − churn rate/);
  assert.match(await title('kpi.churnRate'), /not 1 − retention rate/);
  assert.match(await page.textContent('#kpi-note'), /not complements/);
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

test('the demo shop on load, its button, and drag and drop', async () => {
  const page = await openPage();
  // Computed on load, with no click: the core's demo shop with default
  // options has 20,000 customers (demo.rs).
  assert.equal(Number(await value(page, 'customers')), 20_000);
  assert.equal(await value(page, 'bgNbd.status'), 'converged');
  assert.match(await page.textContent('#source'), /demo shop/);
  await loadFile(page, FIXTURE);
  assert.notEqual(Number(await value(page, 'customers')), 20_000);
  await page.evaluate(() => { document.body.dataset.state = 'loading'; });
  await page.click('#demo');
  await page.waitForSelector('body[data-state="ready"]');
  assert.equal(Number(await value(page, 'customers')), 20_000);
  await page.evaluate(() => { document.body.dataset.state = 'loading'; });
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

test('a fit at the boundary is a visible warning, never "converged"', async () => {
  const page = await openPage();
  // The demo shop's fits converge: no warning.
  assert.equal(await page.$$eval('#model-warnings .warning', (ws) => ws.length), 0);
  // The rows of crates/retentionkit-cli/tests/data/boundary.csv (as in models.test.mjs): the
  // BG/NBD likelihood keeps rising towards a -> 0, so the core says "at_boundary"
  // (docs/metrics.md, "Fit status").
  const ids = [4, 1, 2, 3, 4, 2, 3, 4, 3, 4, 3, 4, 4, 5];
  const dates = ['2024-01-01', '2024-01-08', '2024-01-08', '2024-01-08', '2024-02-12', '2024-03-18', '2024-03-18',
    '2024-03-25', '2024-04-22', '2024-05-06', '2024-05-27', '2024-06-17', '2024-07-29', '2024-08-05'];
  const csv = `customer_id,date\n${ids.map((id, i) => `${id},${dates[i]}`).join('\n')}\n`;
  await loadFile(page, { name: 'boundary.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  assert.equal(await value(page, 'bgNbd.status'), 'at_boundary');
  const shown = await page.textContent('[data-key="bgNbd.status"] .value');
  assert.doesNotMatch(shown, /converged/);
  const warning = page.locator('#model-warnings .warning');
  assert.ok(await warning.isVisible());
  // The core's FitStatus::warning text.
  assert.match(await warning.textContent(), /BG\/NBD fit: the estimate ran off to the boundary/);
  // Two cohorts (January and August 2024; the newest is left out of the curves): the
  // curve legend names January, never "cohort undefined".
  const curves = await page.$$eval('#curves .legend span', (ss) => ss.map((s) => s.textContent));
  assert.deepEqual(curves, ['— all cohorts (size-weighted, fully observed months)', '— cohort 2024-01']);
  await page.close();
  assert.deepEqual(problems, []);
});

test('screenshots at desktop and phone widths; the phone layout does not overflow', async () => {
  const page = await openPage();
  // The demo shop, as a visitor first sees it.
  await page.screenshot({ path: join(TARGET, 'wasm-demo-desktop.png'), fullPage: true });
  // An iPhone 12 to 15's CSS width is 390 px.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => window.innerWidth === 390);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
  await page.screenshot({ path: join(TARGET, 'wasm-demo-phone.png'), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

test('a European CSV: semicolons, decimal commas, day-first dates', async () => {
  const page = await openPage();
  const csv = 'customer_id;date;amount\n1;31/01/2024;10,50\n2;15/02/2024;1.234,56\n1;03/02/2024;2,00\n';
  await loadFile(page, { name: 'eu.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  // 10.50 + 1234.56 + 2.00 = 1247.06 by hand; 31 January to 15 February 2024.
  assert.ok(Math.abs(Number(await value(page, 'revenue')) - 1247.06) < 1e-9);
  assert.match(await page.textContent('#kpi-note'), /^2024-01-31 to 2024-02-15/);
  assert.match(await page.textContent('#source'), /decimal comma and dates day first/);
  // Ambiguous dates: the page asks for the order, and reads the file again when it is chosen.
  await loadFile(page, { name: 'amb.csv', mimeType: 'text/csv', buffer: Buffer.from('customer_id,date\n1,03/02/2024\n2,04/02/2024\n') });
  assert.match(await page.textContent('#message'), /choose the date order/);
  await page.evaluate(() => { document.body.dataset.state = 'loading'; });
  await page.selectOption('#date-order', 'month-first');
  await page.waitForSelector('body[data-state="ready"]');
  assert.match(await page.textContent('#kpi-note'), /^2024-03-02 to 2024-04-02/);
  await page.close();
  assert.deepEqual(problems, []);
});
