//! Integration tests: one binary, so linking happens once.
mod cdnow;
