// The ES module entry for Node (import).
import assert from 'node:assert/strict';
import { TransactionLog, BgNbd, MbgNbd, ParetoNbd } from 'retentionkit';

const log = TransactionLog.fromColumns({ customerId: [1, 2, 1], date: [0, 1, 7] });
assert.equal(log.customerCount, 2);
assert.equal(new BgNbd(1, 1, 2, 1).probabilityAlive(0, 0, 5), 1); // no repeat purchase: alive
// MBG/NBD, by hand: 1 / (1 + a / (b + x) · ((α + T) / (α + t_x))^(r + x)) = 1 / (1 + 2 · 6) = 1/13.
assert.ok(Math.abs(new MbgNbd(1, 1, 2, 1).probabilityAlive(0, 0, 5) - 1 / 13) < 1e-15);
assert.equal(new ParetoNbd(1, 1, 1, 1).probabilityAlive(3, 5, 5), 1); // bought at the end: alive
console.log('import "retentionkit": ok');
