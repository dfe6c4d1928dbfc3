// The demo page: loads the web build of retentionkit, reads a CSV (file
// picker or drop) or the built-in demo shop, and draws every chart itself as
// SVG. Nothing leaves the page. Every failure ends in a readable message.
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

function tile(parent, key, label, value, text) {
  const t = el('div', { class: 'tile', 'data-key': key, 'data-value': value == null ? '' : String(value) }, parent);
  el('span', { class: 'label', text: label }, t);
  el('span', { class: 'value', text }, t);
}

// Blue ramp for the heatmap: 0 → light, 1 → dark.
function shade(x) {
  const t = Math.max(0, Math.min(1, Math.sqrt(x)));
  const mix = (a, b) => Math.round(a + (b - a) * t);
  return `rgb(${mix(239, 8)},${mix(243, 69)},${mix(255, 148)})`;
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
        x: left + 50 + k * cell, y, width: cell - 1, height: cell - 1, fill: k === 0 ? '#9aa5b1' : shade(v),
        'data-cohort': m.labels[c], 'data-k': k, 'data-value': v,
      }, svg);
      svgEl('title', {}, r).textContent = `${m.labels[c]} +${k}: ${pct(v)} (${num(m.active[c][k])} of ${num(m.sizes[c])})`;
    });
  });
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
  tile(tiles, 'rows', 'orders', log.length, num(log.length));
  tile(tiles, 'customers', 'customers', log.customerCount, num(log.customerCount));
  tile(tiles, 'revenue', 'revenue', log.revenue, money(log.revenue));
  $('kpi-note').textContent = `${log.firstDate} to ${log.lastDate}. Month ${k.label}` +
    `${k.complete ? '' : ' (partly observed)'}; active = ordered in the previous 12 months.`;
  tile(tiles, 'kpi.label', 'month', k.label, k.label);
  tile(tiles, 'kpi.startCustomers', 'active at start (S)', k.startCustomers, num(k.startCustomers));
  tile(tiles, 'kpi.endCustomers', 'active at end (E)', k.endCustomers, num(k.endCustomers));
  tile(tiles, 'kpi.newCustomers', 'new (N)', k.newCustomers, num(k.newCustomers));
  tile(tiles, 'kpi.retained', 'retained', k.retained, num(k.retained));
  tile(tiles, 'kpi.reactivated', 'reactivated', k.reactivated, num(k.reactivated));
  tile(tiles, 'kpi.retentionRate', 'retention rate', k.retentionRate, pct(k.retentionRate));
  tile(tiles, 'kpi.churnRate', 'churn rate', k.churnRate, pct(k.churnRate));
  tile(tiles, 'kpi.orders', 'orders in month', k.orders, num(k.orders));
  tile(tiles, 'kpi.revenue', 'revenue in month', k.revenue, money(k.revenue));

  heatmap($('heatmap'), cohorts);
  const recent = cohorts.retention.slice(-4, -1);
  const colors = ['#8e6c8a', '#e0a458', '#5fad56'];
  lineChart($('curves'), [
    { name: 'all cohorts (size-weighted, fully observed months)', color: '#1f6feb', width: 3, values: cohorts.averageCurve },
    ...recent.map((r, i) => ({
      name: `cohort ${cohorts.labels[cohorts.labels.length - 4 + i]}`, color: colors[i], values: r,
    })),
  ], { xLabel: 'months since acquisition', yFormat: pct, xTicks: (i) => `+${i}` });

  const modelTiles = $('model');
  modelTiles.replaceChildren();
  const tbody = $('at-risk').querySelector('tbody');
  tbody.replaceChildren();
  if (model) {
    for (const p of ['r', 'alpha', 'a', 'b']) tile(modelTiles, `bgNbd.${p}`, p, model[p], model[p].toPrecision(4));
    tile(modelTiles, 'bgNbd.logLikelihood', 'log-likelihood', model.logLikelihood, model.logLikelihood.toFixed(1));
    tile(modelTiles, 'bgNbd.status', 'fit', model.status, model.status.replace('_', ' '));
    if (model.warning) warn(modelTiles, `BG/NBD fit: ${model.warning}`);
    const tr = model.tracking(log, { everyDays: 7 });
    lineChart($('tracking'), [
      { name: 'actual', color: '#1d2430', values: Array.from(tr.actual) },
      { name: 'BG/NBD expected', color: '#d1495b', dash: '6 4', values: Array.from(tr.expected) },
    ], { xLabel: 'date', yFormat: (v) => num(Math.round(v)), xTicks: (i) => tr.date[i] });
    if (spend) {
      for (const p of ['p', 'q', 'gamma']) tile(modelTiles, `gammaGamma.${p}`, `spend ${p}`, spend[p], spend[p].toPrecision(4));
      tile(modelTiles, 'gammaGamma.status', 'spend fit', spend.status, spend.status.replace('_', ' '));
      if (spend.warning) warn(modelTiles, `Gamma-Gamma fit: ${spend.warning}`);
      const total = clv.reduce((a, v) => a + v, 0);
      tile(modelTiles, 'clv.total', 'CLV, all customers (12 months)', total, money(total));
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

async function loadFile(file) {
  if (!file) return;
  let text;
  try {
    text = await file.text();
  } catch (e) {
    showMessage(`Could not read ${file.name}: ${e.message}`);
    return;
  }
  let parsed;
  try {
    parsed = parseTransactionsCsv(text);
  } catch (e) {
    $('dashboard').hidden = true;
    showMessage(`${file.name}: ${e.message}`);
    document.body.dataset.state = 'error';
    return;
  }
  load(() => TransactionLog.fromColumns(parsed.columns), `File ${file.name}.`, parsed.lineOfRow);
}

function loadDemo() {
  load(() => demoShop(), 'The built-in demo shop: 20,000 simulated customers over 2021–2023 (seed 42).');
}

async function main() {
  await init();
  // For tests and the benchmark, which drive the page.
  window.retentionkit = { TransactionLog, BgNbd, GammaGamma, demoShop };
  $('file').addEventListener('change', (e) => loadFile(e.target.files[0]));
  $('demo').addEventListener('click', loadDemo);
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
  if (new URLSearchParams(location.search).has('demo')) loadDemo();
}

main().catch((e) => showMessage(`Could not start retentionkit: ${e.message}`));

/** A visible warning (the core's text for a fit status such as at_boundary) after `parent`'s tiles. */
function warn(parent, text) {
  const p = document.createElement('p');
  p.className = 'warning';
  p.setAttribute('role', 'alert');
  p.textContent = `Warning: ${text}`;
  parent.append(p);
}
