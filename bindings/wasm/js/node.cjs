// CommonJS entry for Node (`require('retentionkit')`, and what js/node.mjs
// re-exports): the build wasm-bindgen makes for Node, whose classes are
// given a readable `console.log` / `util.inspect` here. wasm-bindgen's
// objects hold only a pointer into wasm memory (`{ __wbg_ptr }`); Node
// prints instead the class name and what the class's `toJSON()` returns
// (written in Rust for every class, so `JSON.stringify` shows the same).
'use strict';

const rk = require('../pkg/node/retentionkit.js');

const custom = Symbol.for('nodejs.util.inspect.custom');

for (const value of Object.values(rk)) {
  if (typeof value !== 'function' || typeof value.prototype?.toJSON !== 'function') continue;
  const name = value.name;
  Object.defineProperty(value.prototype, custom, {
    value(depth, options, inspect) {
      // A freed object has pointer 0: its methods would throw.
      if (!this.__wbg_ptr) return `${name} <freed>`;
      if (depth < 0) return `[${name}]`;
      return `${name} ${inspect(this.toJSON(), { ...options, depth: options.depth == null ? null : options.depth - 1 })}`;
    },
    writable: true,
    configurable: true,
  });
}

module.exports = rk;
