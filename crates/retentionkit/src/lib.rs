#![doc = include_str!("../README.md")]
//!
//! ## A first KPI
//!
//! ```
//! use retentionkit::{kpi, period::{day, Granularity, Lookback}, TransactionLog};
//!
//! let ids = [1, 2, 1, 3, 2];
//! let days = [day(2024, 1, 3)?, day(2024, 1, 9)?, day(2024, 2, 2)?, day(2024, 2, 5)?, day(2024, 3, 1)?];
//! let amounts = [20.0, 35.0, 15.0, 50.0, 40.0];
//! let log = TransactionLog::new(&ids, &days, Some(&amounts))?;
//!
//! let series = kpi::kpi_series(&log, Granularity::Month, Lookback::Months(1))?;
//! let feb = &series.rows[1];
//! assert_eq!((feb.start_customers, feb.end_customers, feb.new_customers), (2, 2, 1));
//! assert_eq!(feb.retention_rate()?, 0.5); // (E − N) / S = (2 − 1) / 2
//! # Ok::<(), retentionkit::Error>(())
//! ```
//!
//! ## Modules
//!
//! Modules, one concept each: [`log`] (the validated input), [`period`]
//! (calendar periods and look-back windows), [`kpi`] (period KPIs and their
//! formulas), [`lifecycle`] (growth accounting: new, returning, resurrecting
//! and dormant customers, the quick ratio), [`cohort`] (acquisition cohorts, retention matrices and
//! curves), [`summary`] (the BTYD summary and its compressed table), [`rfm`]
//! (RFM scores and segments), [`regularity`] (how regular purchase timing is:
//! Wheat–Morrison, log inter-purchase times), [`revenue`] (subscriptions: MRR, MRR
//! movements, GRR/NRR, logo retention, subscription CLV), [`survey`] (NPS
//! and CSAT, per period and cohort), [`survival`] (Kaplan–Meier curves,
//! median and restricted mean lifetime, the log-rank test), [`whatif`]
//! (retention-lift projections), [`models`] (retention models fitted by
//! maximum likelihood) and [`optim`] (their fit options and results).
//! Every result that a distributed engine would compute per partition has a
//! public `merge`.
//!
//! ## Serde
//!
//! With the `serde` feature (on by default) results, model parameters and
//! options are `Serialize` and `Deserialize`. A deserialized value is checked
//! as a constructed one is: a [`summary::Summary`] whose columns differ in
//! length, a [`cohort::CohortMatrix`] row wider than its cohort's observed
//! periods or a [`models::bg_nbd::BgNbdParams`] with a negative parameter is
//! a serde error carrying this crate's [`Error`] message, never a value that
//! panics later. The checked types have a public `validate()` (or a
//! validating `new`) for values built field by field, and their `merge`
//! runs it on each part. Options and input enums (`FitOptions`,
//! `ClvOptions`, `AtRiskOptions`, `KaplanMeierOptions`, `Scale`, `Lookback`,
//! `Scenario`) are checked where a function uses them, as when built in code.
//! The serialized form is unchanged by the checks.
//!
//! Days (observation ends, first and last purchase days, cohort starts,
//! period bounds) serialize as ISO dates, `"2024-01-05"`, in human-readable
//! formats such as JSON, and as day numbers in binary ones; both forms read
//! back ([`period::iso_day`], which a service's own response types can use
//! too). Per-customer results come row-wise with their ids for responses:
//! [`summary::Summary::rows`] (with recency and T),
//! [`models::check::customer_values`] (P(alive), expected purchases, CLV);
//! [`kpi::KpiRow::view`] adds the period's rates to its counts.

#![cfg_attr(docsrs, feature(doc_cfg))]

/// The serde form of a type with invariants: `$raw`, a private struct with
/// the type's fields that derives `Deserialize`, and `TryFrom<$raw>` for the
/// type, which checks the value as a constructed one is checked: `by
/// validate` builds the value and runs its `validate()`; `by new` passes the
/// fields, in order, to its `new`. The type names `$raw` in
/// `#[serde(try_from = "...")]`; the crate's `Error` becomes the serde
/// error's message.
macro_rules! checked_serde {
    ($ty:ident by validate, $raw:ident { $($(#[$meta:meta])* $field:ident: $fty:ty),+ $(,)? }) => {
        #[doc = concat!("The serde form of [`", stringify!($ty), "`], checked by its `validate` on the way in.")]
        #[cfg(feature = "serde")]
        #[derive(serde::Deserialize)]
        struct $raw {
            $($(#[$meta])* $field: $fty),+
        }

        #[cfg(feature = "serde")]
        impl TryFrom<$raw> for $ty {
            type Error = crate::Error;

            fn try_from(raw: $raw) -> crate::error::Result<Self> {
                let out = $ty { $($field: raw.$field),+ };
                out.validate()?;
                Ok(out)
            }
        }
    };
    ($ty:ident by new, $raw:ident { $($(#[$meta:meta])* $field:ident: $fty:ty),+ $(,)? }) => {
        #[doc = concat!("The serde form of [`", stringify!($ty), "`], checked by its `new` on the way in.")]
        #[cfg(feature = "serde")]
        #[derive(serde::Deserialize)]
        struct $raw {
            $($(#[$meta])* $field: $fty),+
        }

        #[cfg(feature = "serde")]
        impl TryFrom<$raw> for $ty {
            type Error = crate::Error;

            fn try_from(raw: $raw) -> crate::error::Result<Self> {
                Self::new($(raw.$field),+)
            }
        }
    };
}

/// Builder-style setters for an options struct that is `#[non_exhaustive]`
/// (code outside the crate cannot write its struct literal): each
/// `with_field(value)` returns the options with that field set, so that
/// `SummaryOptions::default().with_unit(TimeUnit::Weeks)` keeps compiling
/// when a field is added. An `Option` field's setter takes the value or
/// `None` (`impl Into<Option<T>>`).
macro_rules! with_setters {
    ($module:literal, $ty:ident {
        $($setter:ident($field:ident: $fty:ty) = ($example:expr => $expected:expr)),+ $(,)?
    }) => {
        impl $ty {
            $(
                #[doc = concat!("These options with `", stringify!($field), "` set (see the field).")]
                #[doc = ""]
                #[doc = "# Examples"]
                #[doc = "```"]
                #[doc = concat!("use retentionkit::", $module, "::*;")]
                #[doc = concat!("let o = ", stringify!($ty), "::default().", stringify!($setter), "(", stringify!($example), ");")]
                #[doc = concat!("assert_eq!(o.", stringify!($field), ", ", stringify!($expected), ");")]
                #[doc = "```"]
                #[must_use]
                pub fn $setter(mut self, $field: $fty) -> Self {
                    self.$field = $field.into();
                    self
                }
            )+
        }
    };
}

pub mod cohort;
#[cfg(feature = "simulate")]
#[cfg_attr(docsrs, doc(cfg(feature = "simulate")))]
pub mod demo;
pub mod error;
pub mod kpi;
pub mod lifecycle;
pub mod log;
pub mod models;
pub mod names;
pub mod optim;
mod parts;
pub mod period;
pub mod prelude;
pub mod regularity;
pub mod revenue;
pub mod rfm;
mod special;
pub mod summary;
pub mod survey;
pub mod survival;
pub mod whatif;

pub use error::{Error, Result};
pub use log::TransactionLog;
