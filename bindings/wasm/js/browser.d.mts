// Types of js/browser.mjs: the `web` build's exports, already initialised
// (no default `init` export; `initSync` stays, and does nothing once loaded).
export * from '../pkg/web/retentionkit.js';
