// ES module entry for bundlers and browsers (`import … from 'retentionkit'`
// outside Node): the `web` build, initialised here with top-level await, so
// every export is ready when the import resolves. wasm-bindgen's `init()`
// fetches `retentionkit_bg.wasm` from `new URL('retentionkit_bg.wasm',
// import.meta.url)` in pkg/web/retentionkit.js: webpack, Vite and Rollup
// copy the file into the build from that expression; esbuild leaves it as it
// is, so the file must sit next to the bundle (README: "Bundlers").
import init from '../pkg/web/retentionkit.js';

await init();

export * from '../pkg/web/retentionkit.js';
