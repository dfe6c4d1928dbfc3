//! The `retentionkit` command's file readers (`input`, with the column
//! detector) as a library, for the fuzz targets in `fuzz/` only: it is not a
//! public API and has no stability promise. `main.rs` declares the same
//! modules for the binary, which does not use this library.

// The modules are written as the binary's private modules; made public here
// for the fuzz targets, their items have no `# Errors` sections.
#![allow(missing_docs, clippy::missing_errors_doc)]

pub mod error;
pub mod input;
pub mod progress;
