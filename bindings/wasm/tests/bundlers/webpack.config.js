// The webpack recipe of the README (tests/recipes.test.mjs checks that the
// README shows this file, comments aside): nothing retentionkit-specific, as
// webpack 5 handles the package's top-level await and `new URL('….wasm',
// import.meta.url)` by default; entry and output named for the test.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  entry: './page.js',
  output: { path: fileURLToPath(new URL('dist/webpack', import.meta.url)), filename: 'page.js' },
  // The .wasm (about 675 KiB) is above webpack's 244 KiB advice for an asset:
  // a warning only, turned off so that build-webpack.mjs fails on any other.
  performance: { hints: false },
};
