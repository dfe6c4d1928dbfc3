// The package README's bundler recipes ("## Bundlers and pages") are the
// ones scripts/wasm.sh builds and tests/browser/bundlers.test.mjs loads:
// the webpack configuration and the import map are the test's files, and the
// esbuild command is the one wasm.sh runs (there with dist/esbuild/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { here } from './helpers.mjs';

const readme = readFileSync(here('../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Bundlers and pages'), readme.indexOf('## API'));
const block = (lang, after) => section.slice(section.indexOf(after)).match(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``))[1];
const code = (text) => text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('//')).join('\n');

test('the README shows the webpack configuration the test builds with', () => {
  const file = readFileSync(here('bundlers/webpack.config.js'), 'utf8');
  assert.equal(code(block('js', '**webpack 5**')), code(file));
});

test('the README shows the import map of the page without a bundler', () => {
  const importMap = (text) => text.match(/<script type="importmap">[\s\S]*?<\/script>/)[0];
  const page = readFileSync(here('bundlers/plain.html'), 'utf8');
  assert.equal(importMap(block('html', '**`<script type="module">`')), importMap(page));
});

test('the README shows the esbuild command scripts/wasm.sh runs', () => {
  const script = readFileSync(here('../../../scripts/wasm.sh'), 'utf8');
  const [build, copy] = block('sh', '**esbuild**').trim().split('\n');
  assert.equal(build, 'npx esbuild page.js --bundle --format=esm --outdir=dist');
  assert.ok(script.includes('esbuild page.js --bundle --format=esm --outdir=dist/esbuild '), 'wasm.sh: esbuild');
  assert.equal(copy, 'cp node_modules/retentionkit/pkg/web/retentionkit_bg.wasm dist/');
  assert.ok(script.includes('cp node_modules/retentionkit/pkg/web/retentionkit_bg.wasm index.html dist/esbuild/'), 'wasm.sh: cp');
});
