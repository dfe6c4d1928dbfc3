// The packed package as a user's bundler sees it: scripts/wasm.sh installs
// the `npm pack` tarball into a copy of tests/bundlers/ (an empty project with
// esbuild, Vite and webpack pinned in its lock) and builds page.js with each
// bundler, by the README's recipes, into dist/<bundler>/ (and web.js, the
// same app on `retentionkit/web`, with esbuild). Here each build is
// served on its own origin (as a site would be deployed), loaded in Chromium,
// and the KPIs it shows are compared with those the natively compiled core
// computed from the same CSV (target/wasm-expected.json, written by
// `cargo run -p retentionkit-wasm --example expected`). The plain
// <script type="module"> page (tests/bundlers/plain.html: an import map, no
// bundler) is served from the project itself.
// RK_BUNDLES: the folder of that project (set by scripts/wasm.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, CHROMIUM } from './server.mjs';

const BUNDLES = process.env.RK_BUNDLES;
const FIXTURE = join(ROOT, 'tests/fixtures/shop.csv');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
};
let context;
let profile;

before(async () => {
  assert.ok(BUNDLES, 'RK_BUNDLES: the bundler test project, built by scripts/wasm.sh');
  profile = mkdtempSync(join(tmpdir(), 'rk-chromium-'));
  context = await chromium.launchPersistentContext(profile, { ...CHROMIUM, headless: true });
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Serves `root` on 127.0.0.1 (random port), and the fixture CSV as
 * /shop.csv, the file page.js fetches. */
async function serve(root) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = path === `${sep}shop.csv` ? FIXTURE : join(root, path);
    if (!file.startsWith(root) && file !== FIXTURE) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

async function pageKpi(root, file) {
  const { server, url } = await serve(root);
  const problems = [];
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`); });
  try {
    await page.goto(`${url}/${file}`);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== '');
    const text = await page.textContent('#out');
    assert.deepEqual(problems, []);
    assert.doesNotMatch(text, /^error/);
    return JSON.parse(text);
  } finally {
    await page.close();
    server.close();
  }
}

function check(kpi) {
  const want = JSON.parse(readFileSync(join(ROOT, '../../target/wasm-expected.json'), 'utf8')).kpi;
  // Counts and the rates are the same IEEE operations in wasm and natively: equal.
  for (const key of Object.keys(want)) assert.equal(kpi[key], want[key], key);
}

for (const bundler of ['esbuild', 'vite', 'webpack']) {
  test(`${bundler}: the bundled page shows the native core's KPIs`, async () => {
    check(await pageKpi(join(BUNDLES, 'dist', bundler), 'index.html'));
  });
}

test('esbuild: retentionkit/web with init() finds the copied .wasm', async () => {
  check(await pageKpi(join(BUNDLES, 'dist', 'esbuild'), 'web.html'));
});

test('<script type="module"> with an import map, no bundler', async () => {
  check(await pageKpi(BUNDLES, 'plain.html'));
});
