// Run inside an empty project after `npm install retentionkit-<version>.tgz`:
// the CommonJS entry (require).
const assert = require('node:assert/strict');
const { TransactionLog } = require('retentionkit');

const log = TransactionLog.fromColumns({
  customerId: [1, 2, 1],
  date: ['2024-01-10', '2024-01-20', '2024-03-05'],
});
// January cohort: customers 1 and 2; customer 1 again in March (k = 2).
assert.deepEqual(log.cohortMatrix().active, [[2, 0, 1]]);
console.log('require("retentionkit"): ok');
