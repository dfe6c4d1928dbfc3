// The `<script type="module">` build: initialise, then the same API.
import init, { demoShop } from '../../pkg/web/retentionkit.js';

export async function start(wasmUrl: URL): Promise<number> {
  await init({ module_or_path: wasmUrl });
  return demoShop({ customers: 100 }).length;
}
