// The npm package's numbers for tests/cross/compare.py: node npm.mjs [FILE]
// prints one JSON object on stdout. Without FILE it uses demoShop() (the
// log of `retentionkit report` without a file); FILE is read as the CLI reads
// a headerless whitespace-separated file: id (column 1), date YYYYMMDD
// (column 3), amount (column 5), so the CDNOW sample.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const rk = require('../../bindings/wasm/pkg/node/retentionkit.js');

function fileLog(path) {
  const customerId = [];
  const date = [];
  const amount = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    customerId.push(Number(f[0]));
    date.push(`${f[2].slice(0, 4)}-${f[2].slice(4, 6)}-${f[2].slice(6, 8)}`);
    amount.push(Number(f[4]));
  }
  return rk.TransactionLog.fromColumns({ customerId, date, amount });
}

const path = process.argv[2];
const log = path ? fileLog(path) : rk.demoShop();
const kpis = log.kpiSeries({ granularity: 'month', lookbackMonths: 12 });
const cohorts = log.cohortMatrix({ granularity: 'month' });
const summary = log.summary({ unit: 'weeks' });
const model = rk.BgNbd.fit(summary);
const spend = rk.GammaGamma.fit(summary);
const clv = spend.clv(model, summary);
const atRisk = model.atRisk(summary, { horizon: 52, limit: 25 });
const out = {
  kpis: kpis.rows,
  cohorts: { labels: cohorts.labels, sizes: cohorts.sizes, active: cohorts.active },
  bg_nbd: { r: model.r, alpha: model.alpha, a: model.a, b: model.b, log_likelihood: model.logLikelihood },
  gamma_gamma: { p: spend.p, q: spend.q, gamma: spend.gamma, log_likelihood: spend.logLikelihood },
  customer_id: Array.from(summary.customerId, Number),
  clv: Array.from(clv),
  at_risk: atRisk.map((c) => ({
    customer_id: String(c.customerId),
    frequency: c.frequency,
    last_order: c.lastDate,
    probability_alive: c.probabilityAlive,
    overdue: c.overdue,
    value_at_stake: c.valueAtStake,
  })),
};
process.stdout.write(JSON.stringify(out));
