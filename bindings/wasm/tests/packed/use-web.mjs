// The `retentionkit/web` build (for <script type="module">), initialised
// here from the .wasm bytes the package ships.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import init, { demoShop } from 'retentionkit/web';

const require = createRequire(import.meta.url);
const bytes = await readFile(require.resolve('retentionkit/web/retentionkit_bg.wasm'));
await init({ module_or_path: bytes });
assert.equal(demoShop({ customers: 50 }).customerCount, 50);
console.log('import "retentionkit/web": ok');
