// Bad inputs, one table: each throws an Error whose `name` is the core error's
// variant and whose properties locate the problem (`column`/`row` for a bad
// value, `argument` for a bad option), never a NaN, an infinity or a TypeError.
// Each expected row is the 0-based position of the first bad value in the case's
// input; each expected column or argument is the name the case writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TransactionLog, BgNbd, GammaGamma, SubscriptionLog } from '../js/node.mjs';

const dates3 = ['2024-01-01', '2024-01-02', '2024-01-03'];
const log = (cols) => TransactionLog.fromColumns({ customerId: [1, 2, 3], date: dates3, ...cols });
const shop = TransactionLog.fromColumns({
  customerId: [1, 1, 2, 2, 3],
  date: ['2024-01-01', '2024-02-01', '2024-01-05', '2024-03-01', '2024-03-02'],
  amount: [5, 6, 7, 8, 9],
});
const subs = (cols) => SubscriptionLog.fromColumns({
  customerId: [1, 2], start: ['2024-01-01', '2024-02-01'], mrr: [10, 20], ...cols,
});
const BIG = 1e308; // two of them sum to Infinity (> 1.8e308)

// [what, call, error name, properties the error must carry]
const cases = [
  ['no rows', () => TransactionLog.fromColumns({ customerId: [], date: [] }), 'EmptyError', {}],
  ['dates shorter than ids', () => log({ date: ['2024-01-01'] }), 'LengthMismatchError', { column: 'date', expected: 3, got: 1 }],
  ['amounts shorter than ids', () => log({ amount: [1] }), 'LengthMismatchError', { column: 'amount', expected: 3, got: 1 }],
  ['NaN amount', () => log({ amount: [1, NaN, 3] }), 'InvalidValueError', { column: 'amount', row: 1 }],
  ['negative amount', () => log({ amount: [1, 2, -3] }), 'InvalidValueError', { column: 'amount', row: 2 }],
  ['infinite amount', () => log({ amount: [Infinity, 2, 3] }), 'InvalidValueError', { column: 'amount', row: 0 }],
  ['two amounts of 1e308', () => log({ customerId: [7, 7, 8], amount: [BIG, BIG, 1] }), 'InvalidValueError', { column: 'amount', row: 0 }],
  ['amount above 2^53', () => log({ amount: [1, 2 ** 53 + 2, 3] }), 'InvalidValueError', { column: 'amount', row: 1 }],
  ['a date that is not a date', () => log({ date: ['2024-01-01', 'soon', '2024-01-03'] }), 'InvalidValueError', { column: 'date', row: 1 }],
  ['an invalid Date object', () => log({ date: [new Date('2024-01-01'), new Date('nope'), new Date('2024-01-03')] }), 'InvalidValueError', { column: 'date', row: 1 }],
  ['a day number out of range', () => log({ date: Int32Array.from([0, 2 ** 30, 1]) }), 'InvalidValueError', { column: 'date', row: 1 }],
  ['a fractional id', () => log({ customerId: [1, 2.5, 3] }), 'InvalidValueError', { column: 'customerId', row: 1 }],
  ['a negative id', () => log({ customerId: [1, -2, 3] }), 'InvalidValueError', { column: 'customerId', row: 1 }],
  ['unknown granularity', () => shop.kpiSeries({ granularity: 'fortnight' }), 'InvalidArgumentError', { argument: 'granularity' }],
  ['unknown unit', () => shop.summary({ unit: 'Days' }), 'InvalidArgumentError', { argument: 'unit' }],
  ['a daily matrix of 20 years', () => TransactionLog.fromColumns({ customerId: [1, 2], date: ['2000-01-01', '2020-01-01'] }).cohortMatrix({ granularity: 'day' }), 'TooLargeError', { got: 7306 }],
  ['BG/NBD with a negative parameter', () => new BgNbd(0.2, -1, 0.8, 2.4), 'InvalidArgumentError', { argument: 'alpha' }],
  ['BG/NBD with a NaN parameter', () => new BgNbd(NaN, 1, 0.8, 2.4), 'InvalidArgumentError', { argument: 'r' }],
  ['Gamma-Gamma with a zero parameter', () => new GammaGamma(0, 3.7, 15), 'InvalidArgumentError', { argument: 'p' }],
  ['subscription ending before it starts', () => subs({ end: ['2023-12-01', null] }), 'InvalidValueError', { column: 'end', row: 0 }],
  ['NaN MRR', () => subs({ mrr: [10, NaN] }), 'InvalidValueError', { column: 'mrr', row: 1 }],
  ['MRR of 1e308', () => subs({ mrr: [BIG, 1] }), 'InvalidValueError', { column: 'mrr', row: 0 }],
];

for (const [what, call, name, props] of cases) {
  test(`bad input: ${what}`, () => {
    assert.throws(call, (e) => {
      assert.ok(e instanceof Error, 'an Error object');
      assert.equal(e.name, name, `${e.name}: ${e.message}`);
      for (const [k, v] of Object.entries(props)) assert.deepEqual(e[k], v, `${k} of ${e.message}`);
      return true;
    });
  });
}

test('the table has the 20 cases issue 19 asks for, at least', () => {
  assert.ok(cases.length >= 20);
});
