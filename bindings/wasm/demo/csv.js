// A small CSV reader for transaction files: a header row naming the customer,
// date and (optional) amount columns, then one order per line. Comma or
// semicolon separated; double-quoted fields may hold separators and "".
// Amounts may use a decimal comma (`10,00`, `1.234,56`); dates may be ISO
// (`2024-01-31`, passed on as written) or day/month/year numbers
// (`31/01/2024`, `01/31/2024`, `31.01.2024`), whose order is detected from a
// day above 12 or given by the caller. Returns columns for
// TransactionLog.fromColumns and what was detected, or throws an Error whose
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

/**
 * The decimal mark of a column of amounts: the last of `.` and `,` in a value
 * holding both (`1.234,56`, `1,234.56`); else `,` when some value has a comma
 * that is not a thousands group (`10,5`, `10,00`) or when the file is
 * semicolon separated (European files: `1,234` is then 1.234); else `.`.
 */
function decimalMark(values, sep) {
  let comma = false;
  for (const v of values) {
    const [c, d] = [v.lastIndexOf(','), v.lastIndexOf('.')];
    if (c >= 0 && d >= 0) return c > d ? ',' : '.';
    if (c >= 0 && !/^[-+]?\d{1,3}(,\d{3})+$/.test(v)) comma = true;
  }
  if (comma) return ',';
  return sep === ';' && values.some((v) => v.includes(',')) ? ',' : '.';
}

/** An amount written with decimal mark `mark`: the other mark groups thousands. */
function amountOf(v, mark) {
  const t = mark === ',' ? v.replace(/\./g, '').replace(',', '.') : v.replace(/,/g, '');
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : NaN;
}

const DMY = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;

/**
 * The order of day/month/year dates: `'day-first'` or `'month-first'` as
 * asked (`order`), else detected: a first number above 12 means day first, a
 * second above 12 month first; dotted dates (`31.01.2024`) are day first.
 * null when every date is ambiguous (both numbers at most 12).
 */
function dateOrder(dates, order) {
  if (order !== 'auto') return order;
  let dayFirst = false;
  let monthFirst = false;
  for (const d of dates) {
    const m = DMY.exec(d);
    if (!m) continue;
    if (Number(m[1]) > 12 || m[2] === '.') dayFirst = true;
    if (Number(m[3]) > 12) monthFirst = true;
  }
  if (dayFirst && monthFirst) {
    throw new Error('The dates have a day above 12 both first (31/01/2024) and second (01/31/2024): use one order.');
  }
  if (dayFirst) return 'day-first';
  if (monthFirst) return 'month-first';
  return null;
}

/** An ISO date from a day/month/year date in `order`; other text as written (the core checks it). */
function isoDate(d, order) {
  const m = DMY.exec(d);
  if (!m) return d;
  const [day, month] = order === 'day-first' ? [m[1], m[3]] : [m[3], m[1]];
  return `${m[4]}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/**
 * Columns of a transaction CSV. `options.dateOrder`: `'auto'` (default),
 * `'day-first'` or `'month-first'`, for dates like `03/04/2024`. Returns
 * `{ columns, lineOfRow, detected }`, `detected` naming the decimal mark and
 * date order read (for the page to say so).
 */
export function parseTransactionsCsv(text, { dateOrder: order = 'auto' } = {}) {
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
  const amountText = [];
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
    if (ai >= 0) amountText.push(f[ai]);
    lineOfRow.push(n + 1);
  }
  if (ids.length === 0) throw new Error('The file has a header but no orders.');
  const mark = decimalMark(amountText, sep);
  const amounts = amountText.map((t, i) => {
    const a = t === '' ? NaN : amountOf(t, mark);
    if (Number.isNaN(a)) throw new Error(`Line ${lineOfRow[i]}: the amount "${t}" is not a number.`);
    return a;
  });
  const dmy = dates.some((d) => DMY.test(d));
  const dayOrder = dmy ? dateOrder(dates, order) : null;
  if (dmy && dayOrder == null) {
    throw new Error('Every date reads both as day/month and as month/day (no day above 12): ' +
      'choose the date order (day first or month first) and open the file again.');
  }
  return {
    columns: {
      customerId: numericIds ? Float64Array.from(ids, Number) : ids,
      date: dayOrder ? dates.map((d) => isoDate(d, dayOrder)) : dates,
      amount: ai >= 0 ? Float64Array.from(amounts) : null,
    },
    lineOfRow,
    detected: { decimalMark: ai >= 0 ? mark : null, dateOrder: dayOrder },
  };
}
