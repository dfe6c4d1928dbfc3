// Browser benchmark: 1,000,000 transactions in the demo page (Chromium):
// the log from typed-array columns, the monthly KPI series, the monthly
// cohort matrix, the summary in weeks and the BG/NBD fit, timed with
// performance.now(). The rows are the first 10^6 of the core's demo shop
// with 230,000 customers (rows come in day order, so this is the shop cut
// at a day); generating them is not timed.
// Run: bash scripts/wasm.sh bench   (builds first; node tests/browser/bench.mjs after a build)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, CHROMIUM } from './server.mjs';

const ROWS = 1_000_000;
const REPS = Number(process.env.RK_BENCH_REPS ?? 5);

const { server, url } = await serve();
const profile = mkdtempSync(join(tmpdir(), 'rk-chromium-'));
const context = await chromium.launchPersistentContext(profile, { ...CHROMIUM, headless: true });
try {
  const page = await context.newPage();
  await page.goto(`${url}/demo/index.html`);
  await page.waitForSelector('body[data-state="ready"]');
  const result = await page.evaluate(async ({ rows, reps }) => {
    const { TransactionLog, BgNbd, demoShop } = window.retentionkit;
    const demo = demoShop({ customers: 230_000 });
    const all = demo.toColumns();
    demo.free();
    if (all.date.length < rows) throw new Error(`only ${all.date.length} rows generated`);
    const columns = {
      customerId: all.customerId.subarray(0, rows),
      date: all.date.subarray(0, rows),
      amount: all.amount.subarray(0, rows),
    };
    const runs = [];
    let info;
    for (let i = 0; i < reps; i++) {
      const t = [performance.now()];
      const log = TransactionLog.fromColumns(columns);
      t.push(performance.now());
      const kpis = log.kpiSeries();
      t.push(performance.now());
      const cohorts = log.cohortMatrix();
      t.push(performance.now());
      const summary = log.summary({ unit: 'weeks' });
      const model = BgNbd.fit(summary);
      t.push(performance.now());
      runs.push({
        log: t[1] - t[0], kpis: t[2] - t[1], cohorts: t[3] - t[2], fit: t[4] - t[3], total: t[4] - t[0],
      });
      info = {
        rows: log.length, customers: log.customerCount, months: kpis.rows.length,
        cohorts: cohorts.labels.length, status: model.status,
      };
      model.free(); summary.free(); log.free();
    }
    return { runs, info, userAgent: navigator.userAgent };
  }, { rows: ROWS, reps: REPS });
  const median = (k) => {
    const v = result.runs.map((r) => r[k]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  console.log(JSON.stringify(result.info));
  console.log(result.userAgent);
  console.log(`median of ${REPS} runs (ms): ` + ['log', 'kpis', 'cohorts', 'fit', 'total']
    .map((k) => `${k} ${median(k).toFixed(0)}`).join(', '));
  console.log(`all totals (ms): ${result.runs.map((r) => r.total.toFixed(0)).join(', ')}`);
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
