//! Arrow columns into the core's columns: the one set of rules, shared by
//! the command line's Parquet and Arrow IPC readers and the Python
//! package's Arrow input (any object with `__arrow_c_stream__`), for which
//! Arrow types each role accepts, how they are read, and the messages of a
//! column that does not fit or a value that cannot be read.
//!
//! No file I/O: a reader hands over an Arrow schema and record batches.
//! [`Plan::new`] checks the types of the id, date and amount columns once;
//! [`Part::push`] converts a batch column by column (no row-wise step
//! through a generic value); [`concat()`] joins the parts in input order.
//! Inputs are cut into parts (Parquet row groups, IPC record batches, the
//! chunks of a stream) that may be converted in parallel. String ids are
//! numbered in each part and renumbered in order of first appearance in the
//! input when the parts are joined. [`borrow`] gives the columns without a
//! copy when their layout already is the core's.
//!
//! The accepted types (docs/input.md, "File formats (command line)"):
//!
//! | role | Arrow types |
//! |---|---|
//! | customer id | any integer (negative values are bad rows), `utf8`, `large_utf8`, `utf8_view`, a dictionary of those |
//! | order date | `date32`, `date64`, a timestamp of any unit (with a zone: the date in that zone), text (ISO or the given format), `yyyymmdd` integers |
//! | amount | any integer or float, `decimal128`/`decimal256`, text |
//!
//! The text date and amount parsers ([`dates`], [`amount`]), which the
//! command line's CSV reader uses too, need no Arrow: without the default
//! feature `arrow` the crate is only those.
//!
//! # Examples
//! ```
//! use std::sync::Arc;
//! use arrow_array::{Date32Array, Float64Array, Int64Array, RecordBatch};
//! use arrow_schema::{DataType, Field, Schema};
//! use retentionkit_arrow::{concat, Options, Part, PartStart, Picked, Plan};
//!
//! let schema = Arc::new(Schema::new(vec![
//!     Field::new("id", DataType::Int64, false),
//!     Field::new("day", DataType::Date32, false),
//!     Field::new("amount", DataType::Float64, false),
//! ]));
//! let batch = RecordBatch::try_new(schema.clone(), vec![
//!     Arc::new(Int64Array::from(vec![7, 8])),
//!     Arc::new(Date32Array::from(vec![19_723, 19_724])), // 2024-01-01, 2024-01-02
//!     Arc::new(Float64Array::from(vec![9.5, 1.0])),
//! ]).unwrap();
//! let picked = Picked { id: 0, date: 1, amount: Some(2) };
//! let plan = Plan::new(&schema, picked, &Options::default(), None, "batch").unwrap();
//! let mut part = Part::new(PartStart::default(), &plan);
//! part.push(&plan, &batch);
//! let table = concat(&plan, vec![part]).unwrap();
//! assert_eq!(table.ids, [7, 8]);
//! assert_eq!(table.days, [19_723, 19_724]);
//! ```

pub mod amount;
pub mod dates;

#[cfg(feature = "arrow")]
mod convert;
#[cfg(feature = "arrow")]
pub use convert::*;
