//! retentionkit for JavaScript: the npm package `retentionkit`.
//!
//! A thin wasm-bindgen layer over the core crate: columns in (typed arrays or
//! plain arrays), results out as plain objects with typed-array columns;
//! the log, the summary and fitted models stay in wasm memory as classes.
//! Every core error becomes a thrown JS `Error` whose `name` is the core
//! variant plus `Error` (`InvalidValueError`, ...), and whose message names
//! the column and row. Dates given as `Date` objects count by their UTC
//! calendar day. The TypeScript types of options and results are in
//! `types.rs`.

// Every export that can fail throws a JS `Error` named after the core
// variant (module doc above); repeating that on each one adds nothing.
#![allow(clippy::missing_errors_doc)]

mod bgbb;
mod choice;
mod columns;
mod covariates;
mod error;
mod fit;
mod lifecycle;
mod log;
mod models;
mod nbd;
mod out;
mod regularity;
mod sbg;
mod spend;
mod subscriptions;
mod survival;
mod types;

pub use bgbb::BgBb;
pub use choice::likelihood_ratio_test;
pub use covariates::CovariateFit;
pub use log::{demo_shop, Summary, TransactionLog};
pub use models::{BgNbd, MbgNbd, ParetoNbd};
pub use nbd::Nbd;
pub use regularity::{log_intertransaction_times, wheat_morrison, BgCnbd, MbgCnbd};
pub use sbg::Sbg;
pub use spend::GammaGamma;
pub use subscriptions::SubscriptionLog;
pub use survival::{cox_ph, weibull_aft};

use wasm_bindgen::prelude::*;

/// Days since 1970-01-01 of an ISO date `YYYY-MM-DD`, a `Date` (its UTC
/// calendar day) or a day number.
///
/// # Errors
/// `InvalidArgumentError` for anything else.
#[wasm_bindgen(js_name = toDay)]
pub fn to_day(
    #[wasm_bindgen(unchecked_param_type = "DateLike")] date: &JsValue,
) -> Result<i32, JsValue> {
    columns::Options::day_value(date).map_err(|e| error::to_js(&e))
}

/// The ISO date `YYYY-MM-DD` of a day number.
#[wasm_bindgen(js_name = formatDay)]
pub fn format_day(day: i32) -> String {
    retentionkit::period::format_day(day)
}
