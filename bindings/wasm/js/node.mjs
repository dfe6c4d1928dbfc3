// ES module entry for Node: the CommonJS build wasm-bindgen makes for Node
// (which loads the .wasm synchronously), re-exported by name.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const rk = require('../pkg/node/retentionkit.js');

export const {
  TransactionLog, Summary, BgNbd, MbgNbd, ParetoNbd, GammaGamma, SubscriptionLog, demoShop, toDay, formatDay,
  likelihoodRatioTest,
} = rk;
export default rk;
