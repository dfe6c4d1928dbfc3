// `import … from 'retentionkit'` as a bundler resolves it (no `node`
// condition: js/browser.mjs, typed by js/browser.d.mts): no init call, the
// same API, and no default export.
import { TransactionLog, BgNbd } from 'retentionkit';
import * as rk from 'retentionkit';

export function customers(ids: number[], dates: string[]): number {
  const log = TransactionLog.fromColumns({ customerId: ids, date: dates });
  const n: number = log.customerCount;
  log.free();
  return n;
}

export const alive: number = new BgNbd(1, 1, 2, 1).probabilityAlive(0, 0, 5);
// @ts-expect-error: the bundler entry initialises itself and has no default export.
export const noInit = rk.default;
