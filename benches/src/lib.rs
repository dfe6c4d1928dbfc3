//! Helpers shared by the benches and the peer runner.
