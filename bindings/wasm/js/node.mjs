// ES module entry for Node: the CommonJS build wasm-bindgen makes for Node
// (which loads the .wasm synchronously), through js/node.cjs (which gives its
// classes a readable console.log), re-exported by name.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const rk = require('./node.cjs');

export const {
  TransactionLog, Summary, BgNbd, BgBb, MbgNbd, ParetoNbd, Nbd, GammaGamma, SubscriptionLog, demoShop, toDay, formatDay,
  likelihoodRatioTest, coxPh, weibullAft, CovariateFit, SpendCovariateFit, SbgCovariateFit,
  fitSbgWithCovariates, Sbg, BgCnbd, MbgCnbd, logIntertransactionTimes, wheatMorrison,
} = rk;
export default rk;
