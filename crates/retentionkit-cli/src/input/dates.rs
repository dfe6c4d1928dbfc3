//! Date parsing at the edge: text to days since 1970-01-01. The rules live
//! in `retentionkit-arrow` (shared with the Python package's Arrow input).

pub use retentionkit_arrow::dates::*;
