// The ES module entry for Node (import).
import assert from 'node:assert/strict';
import { TransactionLog, BgNbd } from 'retentionkit';

const log = TransactionLog.fromColumns({ customerId: [1, 2, 1], date: [0, 1, 7] });
assert.equal(log.customerCount, 2);
assert.equal(new BgNbd(1, 1, 2, 1).probabilityAlive(0, 0, 5), 1); // no repeat purchase: alive
console.log('import "retentionkit": ok');
