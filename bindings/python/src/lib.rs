//! Python bindings of retentionkit: the native module `retentionkit._retentionkit`.
//!
//! Thin by design: every function borrows numpy arrays, calls the core with
//! the GIL released and returns numpy arrays in dicts. Input conversion
//! (pandas, polars, dates, string ids) and DataFrame building live in the
//! Python package (`python/retentionkit`).

// pyo3 hands #[pyfunction] arguments over by value (extracted from Python
// objects); borrowing them is how the arrays are read without a copy.
#![allow(clippy::needless_pass_by_value)]

use pyo3::prelude::*;

mod arrow;
mod choice;
mod covariates;
mod demo;
mod error;
mod intervals;
mod lifecycle;
mod log;
mod models;
mod nbd;
mod partials;
mod regularity;
mod revenue;
mod survey;
mod survival;
mod tables;
mod whatif;

/// The native module.
#[pymodule]
fn _retentionkit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    error::register(m)?;
    m.add_function(wrap_pyfunction!(demo::demo_shop, m)?)?;
    m.add_function(wrap_pyfunction!(tables::kpi_series, m)?)?;
    m.add_function(wrap_pyfunction!(tables::period_kpis, m)?)?;
    m.add_function(wrap_pyfunction!(lifecycle::lifecycle, m)?)?;
    m.add_function(wrap_pyfunction!(tables::cohort_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(tables::bracket_retention, m)?)?;
    m.add_function(wrap_pyfunction!(tables::summary, m)?)?;
    m.add_function(wrap_pyfunction!(tables::calibration_holdout, m)?)?;
    m.add_function(wrap_pyfunction!(tables::rfm, m)?)?;
    m.add_function(wrap_pyfunction!(tables::parse_day, m)?)?;
    m.add_class::<log::Log>()?;
    m.add_class::<arrow::ArrowColumns>()?;
    m.add_function(wrap_pyfunction!(log::code_text_ids, m)?)?;
    m.add_function(wrap_pyfunction!(tables::retention_rate, m)?)?;
    m.add_function(wrap_pyfunction!(tables::churn_rate, m)?)?;
    m.add_function(wrap_pyfunction!(tables::repeat_customer_rate, m)?)?;
    m.add_function(wrap_pyfunction!(tables::average_order_value, m)?)?;
    m.add_function(wrap_pyfunction!(models::fit_repeat, m)?)?;
    m.add_function(wrap_pyfunction!(nbd::fit_nbd, m)?)?;
    m.add_function(wrap_pyfunction!(nbd::nbd_expected, m)?)?;
    m.add_function(wrap_pyfunction!(nbd::nbd_expected_new, m)?)?;
    m.add_function(wrap_pyfunction!(covariates::fit_repeat_covariates, m)?)?;
    m.add_function(wrap_pyfunction!(covariates::fit_spend_covariates, m)?)?;
    m.add_function(wrap_pyfunction!(covariates::fit_sbg_covariates, m)?)?;
    m.add_class::<covariates::CovariateFit>()?;
    m.add_function(wrap_pyfunction!(intervals::repeat_intervals, m)?)?;
    m.add_function(wrap_pyfunction!(intervals::repeat_prediction_interval, m)?)?;
    m.add_function(wrap_pyfunction!(intervals::bgbb_intervals, m)?)?;
    m.add_function(wrap_pyfunction!(intervals::spend_intervals, m)?)?;
    m.add_function(wrap_pyfunction!(choice::scorecard, m)?)?;
    m.add_function(wrap_pyfunction!(choice::likelihood_ratio_test, m)?)?;
    m.add_function(wrap_pyfunction!(models::repeat_log_likelihood, m)?)?;
    m.add_function(wrap_pyfunction!(models::repeat_predict, m)?)?;
    m.add_function(wrap_pyfunction!(models::holdout_check, m)?)?;
    m.add_function(wrap_pyfunction!(models::repeat_simulate, m)?)?;
    m.add_function(wrap_pyfunction!(models::repeat_expected_new, m)?)?;
    m.add_function(wrap_pyfunction!(models::repeat_pmf_new, m)?)?;
    m.add_function(wrap_pyfunction!(models::repeat_distribution, m)?)?;
    m.add_function(wrap_pyfunction!(models::repeat_alive_at, m)?)?;
    m.add_function(wrap_pyfunction!(models::repeat_dert, m)?)?;
    m.add_function(wrap_pyfunction!(models::repeat_at_risk, m)?)?;
    m.add_function(wrap_pyfunction!(models::repeat_tracking, m)?)?;
    m.add_function(wrap_pyfunction!(models::repeat_clv, m)?)?;
    m.add_function(wrap_pyfunction!(models::unit_name, m)?)?;
    m.add_function(wrap_pyfunction!(models::fit_spend, m)?)?;
    m.add_function(wrap_pyfunction!(models::spend_expected, m)?)?;
    m.add_function(wrap_pyfunction!(models::spend_log_likelihood, m)?)?;
    m.add_function(wrap_pyfunction!(regularity::fit_cnbd, m)?)?;
    m.add_function(wrap_pyfunction!(regularity::cnbd_predict, m)?)?;
    m.add_function(wrap_pyfunction!(regularity::cnbd_expected_new, m)?)?;
    m.add_function(wrap_pyfunction!(regularity::cnbd_log_likelihood, m)?)?;
    m.add_function(wrap_pyfunction!(regularity::log_intertransaction_times, m)?)?;
    m.add_function(wrap_pyfunction!(regularity::wheat_morrison, m)?)?;
    m.add_function(wrap_pyfunction!(models::fit_bgbb, m)?)?;
    m.add_function(wrap_pyfunction!(models::bgbb_log_likelihood, m)?)?;
    m.add_function(wrap_pyfunction!(models::bgbb_predict, m)?)?;
    m.add_function(wrap_pyfunction!(models::fit_sbg_py, m)?)?;
    m.add_function(wrap_pyfunction!(models::sbg_curves, m)?)?;
    m.add_function(wrap_pyfunction!(models::sbg_log_likelihood, m)?)?;
    m.add_function(wrap_pyfunction!(models::sbg_derl, m)?)?;
    m.add_function(wrap_pyfunction!(survival::kaplan_meier, m)?)?;
    m.add_function(wrap_pyfunction!(survival::log_rank, m)?)?;
    m.add_function(wrap_pyfunction!(survival::cox_ph, m)?)?;
    m.add_function(wrap_pyfunction!(survival::weibull_aft, m)?)?;
    m.add_function(wrap_pyfunction!(survival::merge_kaplan_meier, m)?)?;
    m.add_function(wrap_pyfunction!(tables::merge_rfm, m)?)?;
    // The KPI counts, which add across partitions, named once in the core.
    let counts: Vec<&str> = retentionkit::kpi::KpiRow::COUNTS
        .iter()
        .map(|(name, _)| *name)
        .collect();
    m.add("KPI_COUNTS", pyo3::types::PyTuple::new(m.py(), counts)?)?;
    m.add_class::<partials::KpiPartial>()?;
    m.add_function(wrap_pyfunction!(partials::kpi_partial, m)?)?;
    m.add_class::<partials::LifecyclePartial>()?;
    m.add_function(wrap_pyfunction!(partials::lifecycle_partial, m)?)?;
    m.add_class::<partials::CohortPartial>()?;
    m.add_function(wrap_pyfunction!(partials::cohort_partial, m)?)?;
    m.add_class::<partials::BracketPartial>()?;
    m.add_function(wrap_pyfunction!(partials::bracket_partial, m)?)?;
    m.add_class::<partials::SummaryPartial>()?;
    m.add_function(wrap_pyfunction!(partials::summary_partial, m)?)?;
    m.add_class::<partials::CompressedPartial>()?;
    m.add_class::<partials::CompressedSpendPartial>()?;
    m.add_class::<revenue::SubscriptionLog>()?;
    m.add_function(wrap_pyfunction!(revenue::merge_mrr_movements, m)?)?;
    m.add_function(wrap_pyfunction!(revenue::subscription_clv, m)?)?;
    m.add_function(wrap_pyfunction!(revenue::discounted_clv, m)?)?;
    m.add_function(wrap_pyfunction!(revenue::retention_cost, m)?)?;
    m.add_function(wrap_pyfunction!(survey::survey_score, m)?)?;
    m.add_function(wrap_pyfunction!(survey::survey_by_period, m)?)?;
    m.add_function(wrap_pyfunction!(survey::survey_by_cohort, m)?)?;
    m.add_function(wrap_pyfunction!(whatif::whatif_retention_of_lifespan, m)?)?;
    m.add_function(wrap_pyfunction!(whatif::whatif_outcome, m)?)?;
    m.add_function(wrap_pyfunction!(whatif::whatif_lift, m)?)?;
    Ok(())
}
