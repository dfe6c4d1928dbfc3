// The page every bundler test builds (tests/browser/bundlers.test.mjs): it
// imports the installed package by name, as a user's app does, reads the
// fixture CSV the test serves next to it, and shows the last complete
// month's KPIs as JSON in #out (the test compares them with the natively
// compiled core's). The README's bundler recipes build this file.
import { TransactionLog } from 'retentionkit';

async function main() {
  const text = await (await fetch('shop.csv')).text();
  const customerId = [];
  const date = [];
  const amount = [];
  for (const line of text.trim().split('\n').slice(1)) {
    const [id, day, value] = line.split(',');
    customerId.push(Number(id));
    date.push(day);
    amount.push(Number(value));
  }
  const log = TransactionLog.fromColumns({ customerId, date, amount });
  const kpi = log.kpiSeries().rows.filter((r) => r.complete).at(-1);
  log.free();
  document.getElementById('out').textContent = JSON.stringify(kpi);
}

main().catch((e) => {
  document.getElementById('out').textContent = `error: ${e}`;
});
