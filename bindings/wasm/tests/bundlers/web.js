// The same app on `retentionkit/web`, whose init() fetches the .wasm: built
// by esbuild only (the bundler that needs the .wasm copied by hand).
import init, { TransactionLog } from 'retentionkit/web';
import { showKpi } from './kpi.js';

init().then(() => showKpi(TransactionLog), (e) => {
  document.getElementById('out').textContent = `error: ${e}`;
});
