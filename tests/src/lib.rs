//! Test-only crate: reference-data tests live in `it/`, and the Rust code
//! blocks of the README and of `docs/` run here as doctests, so the docs
//! cannot drift from the code.

#[doc = include_str!("../../README.md")]
mod readme {}

#[doc = include_str!("../../docs/metrics.md")]
mod metrics_doc {}
