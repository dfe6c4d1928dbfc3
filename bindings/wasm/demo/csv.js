// A small CSV reader for transaction files: a header row naming the customer,
// date and (optional) amount columns, then one order per line. Comma or
// semicolon separated; double-quoted fields may hold separators and "".
// Returns columns for TransactionLog.fromColumns, or throws an Error whose
// message names the line.

const CUSTOMER = ['customer_id', 'customerid', 'customer', 'client_id', 'user_id', 'id'];
const DATE = ['date', 'order_date', 'orderdate', 'day', 'purchase_date', 'timestamp', 'created_at'];
const AMOUNT = ['amount', 'revenue', 'value', 'total', 'price', 'spend', 'sales'];

function splitLine(line, sep) {
  const out = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { out.push(field); field = ''; }
    else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

function find(header, names) {
  const norm = header.map((h) => h.toLowerCase().replace(/[\s-]/g, '_'));
  for (const n of names) {
    const i = norm.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
}

export function parseTransactionsCsv(text) {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new Error('The file is empty.');
  }
  if (text.includes('\u0000')) {
    throw new Error('This does not look like a text (CSV) file.');
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const sep = (lines[0].match(/;/g) || []).length > (lines[0].match(/,/g) || []).length ? ';' : ',';
  const header = splitLine(lines[0], sep);
  const ci = find(header, CUSTOMER);
  const di = find(header, DATE);
  const ai = find(header, AMOUNT);
  if (ci < 0 || di < 0) {
    throw new Error(
      `Line 1: the header must name a customer column (${CUSTOMER.join(', ')}) and a date column ` +
      `(${DATE.join(', ')}); found: ${header.join(', ')}.`);
  }
  const ids = [];
  const dates = [];
  const amounts = [];
  const lineOfRow = [];
  let numericIds = true;
  for (let n = 1; n < lines.length; n++) {
    if (lines[n].trim() === '') continue;
    const f = splitLine(lines[n], sep);
    if (f.length !== header.length) {
      throw new Error(`Line ${n + 1}: ${f.length} fields, but the header has ${header.length}.`);
    }
    const id = f[ci];
    if (id === '') throw new Error(`Line ${n + 1}: the customer id is empty.`);
    if (!/^\d+$/.test(id) || id.length > 15) numericIds = false;
    ids.push(id);
    dates.push(f[di]);
    if (ai >= 0) {
      const a = f[ai] === '' ? NaN : Number(f[ai]);
      if (Number.isNaN(a)) throw new Error(`Line ${n + 1}: the amount "${f[ai]}" is not a number.`);
      amounts.push(a);
    }
    lineOfRow.push(n + 1);
  }
  if (ids.length === 0) throw new Error('The file has a header but no orders.');
  return {
    columns: {
      customerId: numericIds ? Float64Array.from(ids, Number) : ids,
      date: dates,
      amount: ai >= 0 ? Float64Array.from(amounts) : null,
    },
    lineOfRow,
  };
}
