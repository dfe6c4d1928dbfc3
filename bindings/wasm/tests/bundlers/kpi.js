// What the bundler test pages show (tests/browser/bundlers.test.mjs): the
// fixture CSV the test serves as shop.csv, read into a log with the given
// TransactionLog class, and its last complete month's KPIs as JSON in #out
// (the test compares them with the natively compiled core's).
export async function showKpi(TransactionLog) {
  const out = document.getElementById('out');
  try {
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
    out.textContent = JSON.stringify(kpi);
  } catch (e) {
    out.textContent = `error: ${e}`;
  }
}
