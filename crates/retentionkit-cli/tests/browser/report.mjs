// Opens the HTML report in headless Chromium (Debian's /usr/bin/chromium) and
// fails on any console error, page error, failed request or request that
// leaves the file (the report must need no network), or when a chart is
// missing. Saves a full-page screenshot and a printed PDF for a person to
// look at.
//
// usage: node report.mjs REPORT.html SCREENSHOT.png [PRINT.pdf]
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [htmlPath, pngPath, pdfPath] = process.argv.slice(2);
if (!htmlPath || !pngPath) {
  console.error('usage: node report.mjs REPORT.html SCREENSHOT.png [PRINT.pdf]');
  process.exit(2);
}
const url = pathToFileURL(path.resolve(htmlPath)).href;
const problems = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()} (${r.failure()?.errorText})`));
  page.on('request', (r) => {
    if (r.url() !== url && !r.url().startsWith('data:')) problems.push(`external request: ${r.url()}`);
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || !response.ok()) problems.push(`could not load ${url}`);
  const charts = await page.locator('svg.chart').count();
  const headings = await page.locator('h2').allTextContents();
  // Heatmap, retention curves, KPI rates, customers, revenue, lifecycle, tracking, CLV.
  if (charts < 8) problems.push(`expected at least 8 charts, found ${charts}`);
  for (const h of ['Lifecycle', 'Cohort retention', 'At risk', 'Customer lifetime value']) {
    if (!headings.some((t) => t.includes(h))) problems.push(`missing section "${h}"`);
  }
  await page.screenshot({ path: pngPath, fullPage: true });
  if (pdfPath) {
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
  }
  console.log(`${charts} charts, sections: ${headings.join(' | ')}`);
  console.log(`screenshot: ${pngPath}${pdfPath ? `, print: ${pdfPath}` : ''}`);
} finally {
  await browser.close();
}
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
