//! Integration tests: one binary, so linking happens once.

// Test helpers outside #[test] functions may unwrap and panic: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod cdnow;
mod choice;
mod doc_sources;
mod intervals;
mod models;
mod models_bgbb;
mod models_counts;
mod models_distribution;
mod models_mbgnbd;
mod models_nbd;
mod models_pareto;
mod regularity;
mod simulate;
mod survival;
mod survival_cox;
