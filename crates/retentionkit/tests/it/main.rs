//! Integration tests of the transaction metrics, one binary so linking
//! happens once: a naive oracle (`oracle`), random logs (`gen`), property
//! tests against the oracle (`props`) and large logs that take the
//! multi-part parallel path (`large`); deserialization that validates like
//! construction (`serde_checks`).

// Helpers outside `#[test]` functions unwrap and panic like the tests do:
// a failed expectation anywhere in this binary is a test failure.
#![allow(clippy::unwrap_used, clippy::panic)]

mod large;
mod lifecycle_props;
mod model_grid;
mod oracle;
mod overflow;
mod props;
mod revenue_props;
#[cfg(feature = "serde")]
mod serde_checks;
mod survey_props;
mod survival_props;
mod synth;
