// The demo page: loads the web build of retentionkit, computes the built-in
// demo shop on load, reads a CSV (file picker or drop) in its place, and draws
// every chart itself as SVG. Nothing leaves the page. Every failure ends in a
// readable message.
import init, { TransactionLog, BgNbd, GammaGamma, demoShop } from '../pkg/web/retentionkit.js';
import { parseTransactionsCsv } from './csv.js';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const pct = (x) => (x == null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const num = (x) => x.toLocaleString('en-US');
const money = (x) => (x == null ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: 0 }));

function showMessage(text) {
  const m = $('message');
  m.textContent = text;
  m.hidden = false;
}

function clearMessage() {
  $('message').hidden = true;
  $('message').textContent = '';
}

window.addEventListener('error', (e) => showMessage(`Unexpected error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => showMessage(`Unexpected error: ${e.reason?.message ?? e.reason}`));

function el(tag, attrs = {}, parent = null, ns = null) {
  const e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  if (parent) parent.appendChild(e);
  return e;
}
const svgEl = (tag, attrs, parent) => el(tag, attrs, parent, SVG);

/** A KPI tile; `explain` is its hover text (the formula, with the numbers). */
function tile(parent, key, label, value, text, explain = null) {
  const t = el('div', { class: 'tile', 'data-key': key, 'data-value': value == null ? '' : String(value) }, parent);
  if (explain) {
    t.title = explain;
    t.tabIndex = 0;
  }
  el('span', { class: 'label', text: label }, t);
  el('span', { class: 'value', text }, t);
}

// Blue ramp for the heatmap: 0 → light, 1 → dark, on a square-root scale so
// that the small shares of later months stay apart.
const ramp = (x) => Math.max(0, Math.min(1, Math.sqrt(x)));
function shade(x) {
  const t = ramp(x);
  const mix = (a, b) => Math.round(a + (b - a) * t);
  return `rgb(${mix(239, 8)},${mix(243, 69)},${mix(255, 148)})`;
}
// Month +0 is every cohort's acquisition month (100 % by definition): grey.
const ACQUIRED = '#9aa5b1';
// Text on a cell: white on the dark half of the ramp.
const ink = (x) => (ramp(x) > 0.55 ? '#ffffff' : '#1d2430');
// The shares the legend shows.
const LEGEND = [0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1];

/** The heatmap's legend: the colour of each share in LEGEND, and the grey of month +0. */
function heatLegend(container) {
  const w = 44;
  const svg = svgEl('svg', {
    viewBox: `0 0 ${LEGEND.length * w + 150} 34`, class: 'heat-legend', role: 'img',
    'aria-label': 'colour scale: share of the cohort ordering in the month',
  }, container);
  LEGEND.forEach((v, i) => {
    svgEl('rect', { x: i * w, y: 0, width: w - 2, height: 14, fill: shade(v), 'data-legend': v }, svg);
    svgEl('text', { x: i * w + (w - 2) / 2, y: 28, 'text-anchor': 'middle' }, svg).textContent = `${Math.round(100 * v)}%`;
  });
  const x = LEGEND.length * w + 10;
  svgEl('rect', { x, y: 0, width: w - 2, height: 14, fill: ACQUIRED }, svg);
  svgEl('text', { x, y: 28 }, svg).textContent = '+0: acquired (100%)';
}

function heatmap(container, m) {
  container.replaceChildren();
  const rows = m.labels.length;
  const cols = m.retention.reduce((w, r) => Math.max(w, r.length), 0);
  const cell = Math.max(10, Math.min(28, Math.floor(980 / (cols + 4))));
  const left = 70;
  const top = 20;
  const width = left + 50 + cols * cell;
  const height = top + rows * cell + 10;
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'cohort retention heatmap' }, container);
  // Cell values (whole percent) where a cell is wide enough to hold 3 digits.
  const values = cell >= 18;
  // Never narrower than 3/4 of its drawn size, so the values stay readable on
  // a phone: there the heatmap scrolls sideways in its box (.heat).
  svg.style.minWidth = `${Math.round(0.75 * width)}px`;
  for (let k = 0; k < cols; k += Math.ceil(cols / 20)) {
    svgEl('text', { x: left + 50 + k * cell + cell / 2, y: 14, 'text-anchor': 'middle' }, svg).textContent = `+${k}`;
  }
  m.retention.forEach((row, c) => {
    const y = top + c * cell;
    svgEl('text', { x: 0, y: y + cell * 0.7 }, svg).textContent = m.labels[c];
    svgEl('text', { x: left + 44, y: y + cell * 0.7, 'text-anchor': 'end' }, svg).textContent = num(m.sizes[c]);
    row.forEach((v, k) => {
      if (v == null) return; // not observable yet
      const r = svgEl('rect', {
        x: left + 50 + k * cell, y, width: cell - 1, height: cell - 1, fill: k === 0 ? ACQUIRED : shade(v),
        'data-cohort': m.labels[c], 'data-k': k, 'data-value': v,
      }, svg);
      svgEl('title', {}, r).textContent = `${m.labels[c]} +${k}: ${pct(v)} (${num(m.active[c][k])} of ${num(m.sizes[c])})`;
      if (values) {
        const t = svgEl('text', {
          x: left + 50 + k * cell + (cell - 1) / 2, y: y + cell * 0.64, 'text-anchor': 'middle', class: 'cell',
          'data-cohort': m.labels[c], 'data-k': k,
        }, svg);
        t.textContent = String(Math.round(100 * v));
        // Through the CSSOM (the page's CSP allows no style attributes), over `.chart text`.
        t.style.fill = k === 0 ? '#ffffff' : ink(v);
        t.style.fontSize = `${Math.round(cell * 0.4)}px`;
      }
    });
  });
  el('p', { class: 'note', text: 'Each cell: the percentage of the cohort (the customers acquired in that month) who ' +
    'ordered k months later; hover a cell for the counts. Blank: not observed yet.' }, container);
  heatLegend(container);
}

// A small line chart: series of {name, color, values[]} over x = 0..n-1.
function lineChart(container, series, { xLabel, yFormat, xTicks }) {
  container.replaceChildren();
  const W = 1000;
  const H = 320;
  const pad = { l: 60, r: 20, t: 10, b: 40 };
  const n = Math.max(...series.map((s) => s.values.length));
  const ymax = Math.max(1e-9, ...series.flatMap((s) => s.values.filter((v) => v != null)));
  const x = (i) => pad.l + (n <= 1 ? 0 : (i / (n - 1)) * (W - pad.l - pad.r));
  const y = (v) => H - pad.b - (v / ymax) * (H - pad.t - pad.b);
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' }, container);
  svgEl('line', { x1: pad.l, y1: H - pad.b, x2: W - pad.r, y2: H - pad.b, stroke: '#9aa5b1' }, svg);
  svgEl('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: H - pad.b, stroke: '#9aa5b1' }, svg);
  for (let j = 0; j <= 4; j++) {
    const v = (ymax * j) / 4;
    svgEl('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, svg).textContent = yFormat(v);
    svgEl('line', { x1: pad.l, y1: y(v), x2: W - pad.r, y2: y(v), stroke: '#eef1f4' }, svg);
  }
  const step = Math.max(1, Math.ceil(n / 12));
  for (let i = 0; i < n; i += step) {
    svgEl('text', { x: x(i), y: H - pad.b + 16, 'text-anchor': 'middle' }, svg).textContent = xTicks(i);
  }
  svgEl('text', { x: (W + pad.l) / 2, y: H - 6, 'text-anchor': 'middle' }, svg).textContent = xLabel;
  for (const s of series) {
    const pts = s.values.map((v, i) => (v == null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
    svgEl('polyline', {
      points: pts.join(' '), fill: 'none', stroke: s.color, 'stroke-width': s.width ?? 2,
      'stroke-dasharray': s.dash ?? '', 'data-series': s.name,
    }, svg);
  }
  const legend = el('div', { class: 'legend' }, container);
  for (const s of series) {
    const item = el('span', {}, legend);
    item.style.color = s.color;
    item.textContent = `— ${s.name}`;
  }
}

// Every KPI tile with its hover text: the definition, and the formula with
// this month's numbers put in (the values are the core's; docs/metrics.md,
// sections 4 and 5).
function kpiTiles(tiles, log, k) {
  const [S, E, N] = [k.startCustomers, k.endCustomers, k.newCustomers].map(num);
  tile(tiles, 'rows', 'orders', log.length, num(log.length), 'Rows of the data: one per order.');
  tile(tiles, 'customers', 'customers', log.customerCount, num(log.customerCount), 'Distinct customer ids.');
  tile(tiles, 'revenue', 'revenue', log.revenue, money(log.revenue), 'Sum of the amount column over all orders.');
  $('kpi-note').textContent = `${log.firstDate} to ${log.lastDate}. Month ${k.label}` +
    `${k.complete ? '' : ' (partly observed)'}; active = ordered in the previous 12 months. ` +
    'Retention and churn rate are not complements (they need not add up to 100%): hover or focus a tile for its formula.';
  tile(tiles, 'kpi.label', 'month', k.label, k.label,
    `The month the KPIs are for: the last fully observed calendar month${k.complete ? '' : ' (here only partly observed)'}.`);
  tile(tiles, 'kpi.startCustomers', 'active at start (S)', k.startCustomers, S,
    'S: customers active on the first day of the month, i.e. with an order in the 12 months before it.');
  tile(tiles, 'kpi.endCustomers', 'active at end (E)', k.endCustomers, E,
    'E: customers active at the end of the month (an order in the 12 months before the next month\'s first day). ' +
    'E = retained + N + reactivated.');
  tile(tiles, 'kpi.newCustomers', 'new (N)', k.newCustomers, N,
    'N: customers whose first order in the whole data falls in the month.');
  tile(tiles, 'kpi.retained', 'retained', k.retained, num(k.retained),
    'Retained: |S ∩ E|, customers active both at the start and at the end of the month.');
  tile(tiles, 'kpi.reactivated', 'reactivated', k.reactivated, num(k.reactivated),
    'Reactivated: E − retained − N, customers back in the month after a gap longer than 12 months.');
  tile(tiles, 'kpi.retentionRate', 'retention rate', k.retentionRate, pct(k.retentionRate),
    `Customer retention rate (E − N) / S = (${E} − ${N}) / ${S} = ${pct(k.retentionRate)}. ` +
    'It counts reactivated customers as kept, so it is not 1 − churn rate: the two need not add up to 100% ' +
    '(docs/metrics.md, section 5).');
  tile(tiles, 'kpi.churnRate', 'churn rate', k.churnRate, pct(k.churnRate),
    `Churn rate (S − retained) / S = (${S} − ${num(k.retained)}) / ${S} = ${pct(k.churnRate)}: the share of S not ` +
    'active at the end of the month. It looks only at S (1 − cohort retention), so it is not 1 − retention rate ' +
    '(docs/metrics.md, section 5).');
  tile(tiles, 'kpi.orders', 'orders in month', k.orders, num(k.orders), 'Orders placed in the month.');
  tile(tiles, 'kpi.revenue', 'revenue in month', k.revenue, money(k.revenue), 'Sum of the amounts of the month\'s orders.');
}

// Where a core error points at a row, name the file's line too.
function explain(e, lineOfRow) {
  let text = `${e.name ?? 'Error'}: ${e.message}`;
  if (lineOfRow && Number.isInteger(e.row) && lineOfRow[e.row] != null) {
    text += ` (line ${lineOfRow[e.row]} of the file)`;
  }
  return text;
}

function render(log, sourceText) {
  const t0 = performance.now();
  const kpis = log.kpiSeries();
  const complete = kpis.rows.filter((r) => r.complete);
  const k = complete.at(-1) ?? kpis.rows.at(-1);
  const cohorts = log.cohortMatrix();
  const summary = log.summary({ unit: 'weeks' });
  let model = null;
  let modelError = null;
  try {
    model = BgNbd.fit(summary);
  } catch (e) {
    modelError = e;
  }
  // Spend model and CLV (12 months of 4.345 weeks at 1 % a month); a log
  // without amounts, or without repeat spend, has none.
  let spend = null;
  let spendError = null;
  let clv = null;
  if (model) {
    try {
      spend = GammaGamma.fit(summary);
      clv = spend.clv(model, summary); // default: 12 months of 4.345 weeks at 1 % a month
    } catch (e) {
      spendError = e;
    }
  }
  const elapsed = performance.now() - t0;

  $('source').textContent = sourceText;
  const tiles = $('tiles');
  tiles.replaceChildren();
  kpiTiles(tiles, log, k);

  heatmap($('heatmap'), cohorts);
  // Up to three recent cohorts, leaving out the newest (barely observed);
  // each labelled by its own row, so fewer than four cohorts label right.
  const n = cohorts.labels.length;
  const recent = [];
  for (let c = Math.max(0, n - 4); c < n - 1; c++) recent.push(c);
  const colors = ['#8e6c8a', '#e0a458', '#5fad56'];
  lineChart($('curves'), [
    { name: 'all cohorts (size-weighted, fully observed months)', color: '#1f6feb', width: 3, values: cohorts.averageCurve },
    ...recent.map((c, i) => ({ name: `cohort ${cohorts.labels[c]}`, color: colors[i], values: cohorts.retention[c] })),
  ], { xLabel: 'months since acquisition', yFormat: pct, xTicks: (i) => `+${i}` });

  const modelTiles = $('model');
  modelTiles.replaceChildren();
  $('model-warnings').replaceChildren();
  const tbody = $('at-risk').querySelector('tbody');
  tbody.replaceChildren();
  if (model) {
    const about = {
      r: 'BG/NBD: purchase rates across customers are gamma(r, α); mean rate r / α per week.',
      alpha: 'BG/NBD: scale α (weeks) of the gamma distribution of purchase rates.',
      a: 'BG/NBD: drop-out probabilities after each purchase are beta(a, b); mean a / (a + b).',
      b: 'BG/NBD: second shape b of the beta distribution of drop-out probabilities.',
    };
    for (const p of ['r', 'alpha', 'a', 'b']) tile(modelTiles, `bgNbd.${p}`, p, model[p], model[p].toPrecision(4), about[p]);
    tile(modelTiles, 'bgNbd.logLikelihood', 'log-likelihood', model.logLikelihood, model.logLikelihood.toFixed(1),
      'Log-likelihood of the data at the fitted parameters (Fader, Hardie & Lee 2005, eq. 6).');
    statusTile(modelTiles, 'bgNbd.status', 'fit', model, 'BG/NBD');
    const tr = model.tracking(log, { everyDays: 7 });
    lineChart($('tracking'), [
      { name: 'actual', color: '#1d2430', values: Array.from(tr.actual) },
      { name: 'BG/NBD expected', color: '#d1495b', dash: '6 4', values: Array.from(tr.expected) },
    ], { xLabel: 'date', yFormat: (v) => num(Math.round(v)), xTicks: (i) => tr.date[i] });
    if (spend) {
      for (const p of ['p', 'q', 'gamma']) {
        tile(modelTiles, `gammaGamma.${p}`, `spend ${p}`, spend[p], spend[p].toPrecision(4),
          'Gamma-Gamma: order values are gamma(p, ν), ν ~ gamma(q, γ) across customers; ' +
          'population mean spend p γ / (q − 1) (Fader & Hardie 2013).');
      }
      statusTile(modelTiles, 'gammaGamma.status', 'spend fit', spend, 'Gamma-Gamma');
      if (spend.spendWarning) warn(`Gamma-Gamma spend model: ${spend.spendWarning}`);
      const total = clv.reduce((a, v) => a + v, 0);
      tile(modelTiles, 'clv.total', 'CLV, all customers (12 months)', total, money(total),
        'Sum over customers of the next 12 months (4.345 weeks each) of BG/NBD expected purchases times the ' +
        'Gamma-Gamma expected mean spend, discounted at 1% a month (the core\'s clv).');
      spend.free();
    } else {
      el('p', { class: 'note', text: `No spend model: ${spendError.name}: ${spendError.message}` }, modelTiles);
    }
    // Row of each customer in the summary, for the CLV column.
    const rowOf = new Map();
    summary.customerId.forEach((id, i) => rowOf.set(id, i));
    // The core's at-risk list (as the CLI report's): repeat customers with
    // 0.01 <= P(alive) < 0.5, the largest value at stake in a year first.
    const risk = model.atRisk(summary, { limit: 20 });
    for (const c of risk) {
      const v = clv ? clv[rowOf.get(c.customerId)] : null;
      const row = el('tr', {
        'data-customer': String(c.customerId), 'data-p-alive': String(c.probabilityAlive), 'data-clv': v == null ? '' : String(v),
      }, tbody);
      el('td', { text: String(c.customerId) }, row);
      el('td', { text: c.probabilityAlive < 1e-4 ? c.probabilityAlive.toExponential(1) : c.probabilityAlive.toFixed(4) }, row);
      el('td', { text: c.overdue.toFixed(1) }, row);
      el('td', { text: money(c.valueAtStake) }, row);
      el('td', { text: v == null ? '–' : v.toFixed(2) }, row);
    }
    model.free();
  } else {
    $('tracking').replaceChildren();
    el('p', { class: 'note', text: `No model: ${modelError.name}: ${modelError.message}` }, modelTiles);
  }
  summary.free();
  $('timing').textContent = `· computed in ${elapsed.toFixed(0)} ms`;
  $('dashboard').hidden = false;
  document.body.dataset.state = 'ready';
}

function load(makeLog, sourceText, lineOfRow) {
  clearMessage();
  let log;
  try {
    log = makeLog();
  } catch (e) {
    $('dashboard').hidden = true;
    showMessage(`Could not read the data. ${explain(e, lineOfRow)}`);
    document.body.dataset.state = 'error';
    return;
  }
  try {
    render(log, sourceText);
  } catch (e) {
    $('dashboard').hidden = true;
    showMessage(`Could not compute the dashboard. ${explain(e, lineOfRow)}`);
    document.body.dataset.state = 'error';
  } finally {
    log.free();
  }
}

// The last file opened, read again when the date order is changed.
let lastFile = null;

async function loadFile(file) {
  if (!file) return;
  lastFile = file;
  let text;
  try {
    text = await file.text();
  } catch (e) {
    showMessage(`Could not read ${file.name}: ${e.message}`);
    return;
  }
  let parsed;
  try {
    parsed = parseTransactionsCsv(text, { dateOrder: $('date-order').value });
  } catch (e) {
    $('dashboard').hidden = true;
    showMessage(`${file.name}: ${e.message}`);
    document.body.dataset.state = 'error';
    return;
  }
  const { decimalMark, dateOrder } = parsed.detected;
  const read = [
    decimalMark === ',' ? 'amounts with a decimal comma' : null,
    dateOrder ? `dates ${dateOrder.replace('-', ' ')} (${dateOrder === 'day-first' ? '31/01/2024' : '01/31/2024'})` : null,
  ].filter(Boolean);
  load(() => TransactionLog.fromColumns(parsed.columns),
    `File ${file.name}${read.length ? `, read with ${read.join(' and ')}` : ''}.`, parsed.lineOfRow);
}

function loadDemo() {
  load(() => demoShop(), 'The built-in demo shop: 20,000 simulated customers over 2021–2023 (seed 42).');
}

async function main() {
  await init();
  // For tests and the benchmark, which drive the page.
  window.retentionkit = { TransactionLog, BgNbd, GammaGamma, demoShop };
  $('file').addEventListener('change', (e) => loadFile(e.target.files[0]));
  $('demo').addEventListener('click', () => { lastFile = null; loadDemo(); });
  $('date-order').addEventListener('change', () => loadFile(lastFile));
  const drop = $('drop');
  for (const ev of ['dragenter', 'dragover']) {
    document.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add('over'); });
  }
  document.addEventListener('dragleave', () => drop.classList.remove('over'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    loadFile(e.dataTransfer?.files?.[0]);
  });
  document.body.dataset.state = 'loaded';
  // The demo shop is computed on load, after the header has been painted; a
  // file picked or dropped replaces it.
  $('source').textContent = 'Computing the built-in demo shop…';
  setTimeout(loadDemo, 0);
}

main().catch((e) => showMessage(`Could not start retentionkit: ${e.message}`));

/** A visible warning above the model tiles. */
function warn(text) {
  el('p', { class: 'warning', role: 'alert', text: `Warning: ${text}` }, $('model-warnings'));
}

/**
 * The tile of a fit's status (`converged`, `max_iterations`,
 * `line_search_failed`, `at_boundary`: docs/metrics.md, "Fit status"), and a
 * visible warning unless it converged: the core's text (`warning`, for
 * `at_boundary`) or, for a search that stopped early, what that status means.
 */
function statusTile(parent, key, label, fit, name) {
  const ok = fit.status === 'converged';
  tile(parent, key, label, fit.status, ok ? 'converged' : `⚠ ${fit.status.replaceAll('_', ' ')}`,
    'How the maximum-likelihood search ended (docs/metrics.md, "Fit status").');
  if (ok) return;
  parent.lastChild.classList.add('bad');
  warn(`${name} fit: ${fit.warning ?? `the search stopped (status ${fit.status}) before it converged, so these ` +
    'parameters and everything computed from them may not be the maximum-likelihood answer'}.`);
}
