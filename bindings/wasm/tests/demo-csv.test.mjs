// The demo page's CSV reader (demo/csv.js): decimal commas and day/month
// order (issue 23, item 4). Pure JavaScript: no wasm needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTransactionsCsv } from '../demo/csv.js';

const amounts = (text) => Array.from(parseTransactionsCsv(text).columns.amount);

test('amounts: decimal point, decimal comma, thousands groups', () => {
  assert.deepEqual(amounts('customer_id,date,amount\n1,2024-01-01,10.5\n2,2024-01-02,3\n'), [10.5, 3]);
  // Semicolon separated, decimal comma: 10,00 is ten, 1.234,56 is 1234.56.
  const eu = parseTransactionsCsv('customer_id;date;amount\n1;2024-01-01;10,00\n2;2024-01-02;1.234,56\n');
  assert.deepEqual(Array.from(eu.columns.amount), [10, 1234.56]);
  assert.equal(eu.detected.decimalMark, ',');
  // Comma separated with quoted decimal commas.
  assert.deepEqual(amounts('customer_id,date,amount\n1,2024-01-01,"10,5"\n2,2024-01-02,"7"\n'), [10.5, 7]);
  // 1,234.56 and a lone 1,234 in a comma file: thousands groups.
  assert.deepEqual(amounts('customer_id,date,amount\n1,2024-01-01,"1,234.56"\n'), [1234.56]);
  assert.deepEqual(amounts('customer_id,date,amount\n1,2024-01-01,"1,234"\n'), [1234]);
  // The same 1,234 in a semicolon file is a decimal comma: 1.234.
  assert.deepEqual(amounts('customer_id;date;amount\n1;2024-01-01;1,234\n'), [1.234]);
  assert.throws(() => parseTransactionsCsv('customer_id,date,amount\n1,2024-01-01,ten\n'),
    /Line 2: the amount "ten" is not a number/);
  assert.throws(() => parseTransactionsCsv('customer_id,date,amount\n1,2024-01-01,5\n2,2024-01-02,\n'),
    /Line 3: the amount "" is not a number/);
});

test('dates: ISO as written; day/month order detected, asked for, or refused', () => {
  const iso = parseTransactionsCsv('customer_id,date\n1,2024-01-31\n');
  assert.deepEqual(iso.columns.date, ['2024-01-31']);
  assert.equal(iso.detected.dateOrder, null);
  // 31 cannot be a month: day first, so 03/02/2024 is 3 February.
  const dmy = parseTransactionsCsv('customer_id,date\n1,31/01/2024\n2,03/02/2024\n');
  assert.deepEqual(dmy.columns.date, ['2024-01-31', '2024-02-03']);
  assert.equal(dmy.detected.dateOrder, 'day-first');
  // 31 second: month first, so 03/02/2024 is 2 March.
  const mdy = parseTransactionsCsv('customer_id,date\n1,01/31/2024\n2,3/2/2024\n');
  assert.deepEqual(mdy.columns.date, ['2024-01-31', '2024-03-02']);
  // Dotted dates are day first (German style) even without a day above 12.
  assert.deepEqual(parseTransactionsCsv('customer_id;date\n1;03.02.2024\n').columns.date, ['2024-02-03']);
  // Every date ambiguous: refused unless the order is given.
  const amb = 'customer_id,date\n1,03/02/2024\n';
  assert.throws(() => parseTransactionsCsv(amb), /choose the date order/);
  assert.deepEqual(parseTransactionsCsv(amb, { dateOrder: 'day-first' }).columns.date, ['2024-02-03']);
  assert.deepEqual(parseTransactionsCsv(amb, { dateOrder: 'month-first' }).columns.date, ['2024-03-02']);
  assert.throws(() => parseTransactionsCsv('customer_id,date\n1,31/01/2024\n2,01/31/2024\n'), /both first/);
});
