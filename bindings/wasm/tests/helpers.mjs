// What several test files share: typed-error and tolerance assertions, the
// CDNOW sample as a log, and the reference files of tests/data/models/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TransactionLog } from '../js/node.mjs';

export const here = (p) => fileURLToPath(new URL(p, import.meta.url));

/** Assert that `fn` throws an Error with this name whose message matches. */
export function throwsNamed(fn, name, message, props = {}) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, 'an Error object');
    assert.equal(e.name, name);
    assert.match(e.message, message);
    for (const [k, v] of Object.entries(props)) assert.deepEqual(e[k], v, k);
    return true;
  });
}

/** |a − b| ≤ rel · |b|. */
export function closeRel(a, b, rel, what = '') {
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what} ${a} vs ${b}`);
}

/** The CDNOW sample (tests/data/CDNOW_sample.txt, tests/data/SOURCES.md) as a
 * log: whitespace-separated master id, sample id, YYYYMMDD, CDs, dollars. */
export function cdnowLog() {
  const text = readFileSync(here('../../../tests/data/CDNOW_sample.txt'), 'utf8');
  const customerId = [];
  const date = [];
  const amount = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    customerId.push(Number(f[1]));
    date.push(`${f[2].slice(0, 4)}-${f[2].slice(4, 6)}-${f[2].slice(6, 8)}`);
    amount.push(Number(f[4]));
  }
  return TransactionLog.fromColumns({ customerId, date, amount });
}

/** Fader, Hardie & Lee (2005)'s calibration summary: to 1997-09-30, in weeks
 * (as tests/it/cdnow.rs's weekly_calibration_summary builds it). */
export function cdnowCalibration() {
  const log = cdnowLog();
  assert.equal(log.length, 6_919); // purchase rows in the sample
  const s = log.summary({ unit: 'weeks', observationEnd: '1997-09-30' });
  log.free();
  assert.equal(s.length, 2_357);
  return s;
}

/** A reference file of tests/data/models/ (the output of its make_*.py) as
 * sections: each `# ` comment line starts one, `{ header, rows }`, where a
 * row is the numbers of one following line, `(1, 2.5, nan),` or `1 2.5`
 * (`nan` read as NaN). */
export function referenceSections(name) {
  const text = readFileSync(here(`../../../tests/data/models/${name}`), 'utf8');
  const sections = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) {
      sections.push({ header: line.slice(1).trim(), rows: [] });
    } else if (line !== '' && sections.length > 0) {
      const fields = line.replace(/^\(|\),?$/g, '').split(/[\s,]+/).filter((f) => f !== '');
      sections.at(-1).rows.push(fields.map((f) => (f === 'nan' ? NaN : Number(f))));
    }
  }
  return sections;
}

/** The one section whose header starts with `start`. */
export function section(sections, start) {
  const found = sections.filter((s) => s.header.startsWith(start));
  assert.equal(found.length, 1, `one section "${start}"`);
  return found[0];
}
