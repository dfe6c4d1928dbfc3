//! The names a typical pipeline uses, in one import.
//!
//! `use retentionkit::prelude::*;` brings the log, the period types, the KPI
//! series, cohorts, the BTYD summary, the model fits with their options, and
//! what is computed from a fit (predictions, CLV, the at-risk list). The rest
//! stays in its module (`retentionkit::survival`, `revenue`, `survey`, ...).
//!
//! # Examples
//! ```
//! use retentionkit::prelude::*;
//!
//! // Customer 7 buys on days 0, 14 and 28; customer 9 once, on day 7.
//! let log = TransactionLog::new(&[7, 9, 7, 7], &[0, 7, 14, 28], Some(&[20.0, 35.0, 25.0, 30.0]))?;
//! let s = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?;
//! let purchases = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?; // CDNOW, weeks
//! let spend = GammaGammaParams::new(6.25, 3.74, 15.44)?;
//! let rows = customer_values(&purchases, &spend, &s, &ValueOptions::for_unit(TimeUnit::Weeks))?;
//! assert_eq!(rows.len(), 2);
//! let months = kpi_series(&log, Granularity::Month, Lookback::Months(12))?;
//! assert_eq!(months.rows.len(), 1); // days 0..28 since 1970-01-01: January 1970
//! # Ok::<(), retentionkit::Error>(())
//! ```

pub use crate::cohort::{cohort_matrix, CohortMatrix, CohortOptions};
pub use crate::kpi::{kpi_series, KpiRow, KpiSeries};
pub use crate::models::bg_nbd::{fit_bg_nbd, BgNbdParams};
pub use crate::models::check::{
    at_risk, clv, clv_values, customer_values, AtRiskOptions, ClvOptions, CustomerValue,
    ValueOptions,
};
pub use crate::models::gamma_gamma::{fit_gamma_gamma, GammaGammaParams, SpendData};
pub use crate::models::mbg_nbd::{fit_mbg_nbd, MbgNbdParams};
pub use crate::models::pareto_nbd::{fit_pareto_nbd, ParetoNbdParams};
pub use crate::models::repeat::{fit_repeat, RepeatKind, RepeatModel, RepeatParams};
pub use crate::models::RepeatData;
pub use crate::optim::{Fit, FitOptions, FitStatus};
pub use crate::period::{day, Granularity, Lookback, NaiveDate, Period};
pub use crate::summary::{summary, Summary, SummaryOptions, TimeUnit};
pub use crate::{Error, Result, TransactionLog};
