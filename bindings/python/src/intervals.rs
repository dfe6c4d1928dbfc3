//! Intervals on the repeat models' parameters and predictions, from the
//! core's `models::interval::fit_intervals` and `fit_prediction_interval`,
//! and on BG/BB's and Gamma-Gamma's (`bg_bb_intervals`,
//! `gamma_gamma_intervals`)
//! (the quantity and method names are the core's): the model refitted on
//! its data as `fit_repeat` fits it, then the delta method on the
//! parameter covariance or a seeded customer bootstrap.

use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::models::bg_bb::{fit_bg_bb, BgBbData};
use retentionkit::models::check::ClvOptions;
use retentionkit::models::gamma_gamma::{fit_gamma_gamma, SpendData};
use retentionkit::models::interval::{
    bg_bb_intervals_by, fit_intervals, fit_prediction_interval, gamma_gamma_intervals_by,
    BgBbTarget, BootstrapOptions, ClvInputs, Customers, FitIntervals, FitPrediction,
    IntervalRequest, Intervals, Method, SpendTarget, Target,
};
use retentionkit::models::repeat::{self, RepeatKind};
use retentionkit::models::RepeatData;

use crate::error::{IntoPy, InvalidArgumentError};
use crate::models::{gamma_gamma, options};
use crate::tables::unit;

/// The prediction columns: all three or none.
fn prediction_columns<'a>(
    f: Option<&'a PyReadonlyArray1<'_, u32>>,
    r: Option<&'a PyReadonlyArray1<'_, f64>>,
    a: Option<&'a PyReadonlyArray1<'_, f64>>,
) -> PyResult<Option<Customers<'a>>> {
    match (f, r, a) {
        (Some(f), Some(r), Some(a)) => Ok(Some((f.as_slice()?, r.as_slice()?, a.as_slice()?))),
        (None, None, None) => Ok(None),
        _ => Err(InvalidArgumentError::new_err(
            "argument `pred_frequency`: give the three prediction columns or none",
        )),
    }
}

/// Intervals at `level` on `quantity` (`"parameters"`,
/// `"expected_purchases"`, `"probability_alive"`, `"total_purchases"`,
/// the purchases over `horizon`, or `"clv"`, `"total_clv"`, which need the
/// Gamma-Gamma parameters `spend` and a `monetary` mean spend per
/// prediction row, over `clv_periods` periods of `clv_period_length`
/// (default a month in `unit_name`) at `clv_discount` per period) for the
/// customers of the `pred_*` columns, by `method` (`"delta"` or
/// `"bootstrap"`), after fitting `model` on the data columns. Returns
/// `estimate`, `standard_error`, `lower`, `upper` (arrays), `level`,
/// `replicates` and `failed` (bootstrap replicates that did not converge,
/// in no interval; 0 for the delta method). `pred_weights`: how many
/// customers each prediction row stands for in the totals (default one).
#[pyfunction]
#[pyo3(signature = (model, frequency, recency, age, weights, quantity, level, method, pred_frequency=None, pred_recency=None, pred_age=None, horizon=0.0, replicates=1000, seed=0, max_iterations=1000, tolerance=1e-9, penalizer=0.0, spend=None, monetary=None, unit_name="days", clv_periods=12, clv_period_length=None, clv_discount=0.01, pred_weights=None))]
#[allow(clippy::too_many_arguments)] // the data, the prediction columns and the settings
pub fn repeat_intervals<'py>(
    py: Python<'py>,
    model: &str,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, u64>>,
    quantity: &str,
    level: f64,
    method: &str,
    pred_frequency: Option<PyReadonlyArray1<'py, u32>>,
    pred_recency: Option<PyReadonlyArray1<'py, f64>>,
    pred_age: Option<PyReadonlyArray1<'py, f64>>,
    horizon: f64,
    replicates: usize,
    seed: u64,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
    spend: Option<Vec<f64>>,
    monetary: Option<PyReadonlyArray1<'py, f64>>,
    unit_name: &str,
    clv_periods: u32,
    clv_period_length: Option<f64>,
    clv_discount: f64,
    pred_weights: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let kind: RepeatKind = model.parse().py_err()?;
    let target: Target = quantity.parse().py_err()?;
    let method: Method = method.parse().py_err()?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let w = weights
        .as_ref()
        .map(PyReadonlyArray1::as_slice)
        .transpose()?;
    let columns = match prediction_columns(
        pred_frequency.as_ref(),
        pred_recency.as_ref(),
        pred_age.as_ref(),
    )? {
        Some(c) => Some(c),
        // Per-customer values for the fit's own rows, in their order; their
        // total is the core's, each row counted by its weight.
        None if target == Target::TotalPurchases => None,
        None => Some((x, tx, t)),
    };
    let clv =
        match (spend, monetary.as_ref()) {
            (Some(p), Some(m)) => {
                let o = ClvOptions::default()
                    .with_periods(clv_periods)
                    .with_period_length(
                        clv_period_length.unwrap_or(ClvOptions::month(unit(unit_name)?)),
                    )
                    .with_discount(clv_discount);
                Some(ClvInputs::new(gamma_gamma(&p)?, m.as_slice()?, o))
            }
            (None, None) => None,
            _ => return Err(InvalidArgumentError::new_err(
                "argument `spend`: give the Gamma-Gamma parameters and the mean spends together",
            )),
        };
    let pw = pred_weights
        .as_ref()
        .map(PyReadonlyArray1::as_slice)
        .transpose()?;
    let opts = options(max_iterations, tolerance, penalizer);
    let b = BootstrapOptions::default()
        .with_replicates(replicates)
        .with_seed(seed)
        .with_fit(opts);
    let out = py
        .detach(|| -> retentionkit::Result<FitIntervals> {
            let data = RepeatData::grouped(x, tx, t, w)?;
            let fit = repeat::fit_repeat(kind, &data, &opts)?;
            let request = IntervalRequest::default()
                .with_horizon(horizon)
                .with_customers(columns)
                .with_weights(pw)
                .with_level(level)
                .with_method(method)
                .with_bootstrap(b)
                .with_clv(clv);
            fit_intervals(&fit, &data, &[target], &request)?
                .pop()
                .ok_or(retentionkit::Error::Empty { what: "intervals" })
        })
        .py_err()?;
    let d = PyDict::new(py);
    let iv = out.intervals;
    d.set_item("level", iv.level)?;
    d.set_item("estimate", iv.estimate.into_pyarray(py))?;
    d.set_item("standard_error", iv.standard_error.into_pyarray(py))?;
    d.set_item("lower", iv.lower.into_pyarray(py))?;
    d.set_item("upper", iv.upper.into_pyarray(py))?;
    d.set_item("replicates", out.replicates)?;
    d.set_item("failed", out.failed)?;
    Ok(d)
}

/// The prediction interval at `level` of the total purchases in the next
/// `horizon` of the customers of the `pred_*` columns (default: the data's
/// rows, each counted by its weight), the purchase process's noise
/// included (`draws` simulated totals, seeded by `seed`), after fitting
/// `model` on the data columns; `method="bootstrap"` adds the parameters'
/// uncertainty from `replicates` refits (the core's
/// `fit_prediction_interval`). Returns `expected`, `standard_deviation` (of the
/// simulated totals), `lower`, `upper`, `draws` (array), `level`, `replicates` and `failed`.
/// `pred_weights`: how many customers each `pred_*` row stands for (whole
/// numbers; default one).
#[pyfunction]
#[pyo3(signature = (model, frequency, recency, age, weights, horizon, level, method, pred_frequency=None, pred_recency=None, pred_age=None, draws=1000, replicates=1000, seed=0, max_iterations=1000, tolerance=1e-9, penalizer=0.0, pred_weights=None))]
#[allow(clippy::too_many_arguments)] // the data, the prediction columns and the settings
pub fn repeat_prediction_interval<'py>(
    py: Python<'py>,
    model: &str,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, u64>>,
    horizon: f64,
    level: f64,
    method: &str,
    pred_frequency: Option<PyReadonlyArray1<'py, u32>>,
    pred_recency: Option<PyReadonlyArray1<'py, f64>>,
    pred_age: Option<PyReadonlyArray1<'py, f64>>,
    draws: usize,
    replicates: usize,
    seed: u64,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
    pred_weights: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let kind: RepeatKind = model.parse().py_err()?;
    let method: Method = method.parse().py_err()?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let w = weights
        .as_ref()
        .map(PyReadonlyArray1::as_slice)
        .transpose()?;
    let pw = pred_weights
        .as_ref()
        .map(PyReadonlyArray1::as_slice)
        .transpose()?;
    let columns = prediction_columns(
        pred_frequency.as_ref(),
        pred_recency.as_ref(),
        pred_age.as_ref(),
    )?;
    let opts = options(max_iterations, tolerance, penalizer);
    let b = BootstrapOptions::default()
        .with_replicates(replicates)
        .with_seed(seed)
        .with_fit(opts);
    let out = py
        .detach(|| -> retentionkit::Result<FitPrediction> {
            let data = RepeatData::grouped(x, tx, t, w)?;
            let fit = repeat::fit_repeat(kind, &data, &opts)?;
            let request = IntervalRequest::default()
                .with_horizon(horizon)
                .with_customers(columns)
                .with_weights(pw)
                .with_level(level)
                .with_method(method)
                .with_bootstrap(b);
            fit_prediction_interval(&fit, &data, &request, draws)
        })
        .py_err()?;
    let d = PyDict::new(py);
    let p = out.prediction;
    d.set_item("level", p.level)?;
    d.set_item("expected", p.expected)?;
    d.set_item("standard_deviation", p.standard_deviation())?;
    d.set_item("lower", p.lower)?;
    d.set_item("upper", p.upper)?;
    d.set_item("draws", p.draws.into_pyarray(py))?;
    d.set_item("replicates", out.replicates)?;
    d.set_item("failed", out.failed)?;
    Ok(d)
}

/// The `estimate`, `standard_error`, `lower`, `upper` arrays and `level`
/// of intervals.
fn interval_dict(py: Python<'_>, iv: Intervals) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("level", iv.level)?;
    d.set_item("estimate", iv.estimate.into_pyarray(py))?;
    d.set_item("standard_error", iv.standard_error.into_pyarray(py))?;
    d.set_item("lower", iv.lower.into_pyarray(py))?;
    d.set_item("upper", iv.upper.into_pyarray(py))?;
    Ok(d)
}

/// BG/BB delta-method intervals at `level` on `quantity` (`"parameters"`,
/// `"probability_alive"`, `"expected_transactions"` or
/// `"total_transactions"`, over the next `future` opportunities) for the
/// customers (x, t_x, n) of the `pred_*` columns (default the data's
/// rows), after fitting BG/BB on the data, by `method` (`"delta"` or
/// `"bootstrap"`, `replicates` refits seeded by `seed`; the core's
/// `models::interval::bg_bb_intervals_by`). Adds `failed`, the
/// replicates that did not converge.
#[pyfunction]
#[pyo3(signature = (frequency, recency, opportunities, weights, quantity, level, pred_frequency=None, pred_recency=None, pred_opportunities=None, future=0, max_iterations=1000, tolerance=1e-9, penalizer=0.0, method="delta", replicates=1000, seed=0))]
#[allow(clippy::too_many_arguments)] // the data, the prediction columns and the settings
pub fn bgbb_intervals<'py>(
    py: Python<'py>,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, u32>,
    opportunities: PyReadonlyArray1<'py, u32>,
    weights: Option<PyReadonlyArray1<'py, u64>>,
    quantity: &str,
    level: f64,
    pred_frequency: Option<PyReadonlyArray1<'py, u32>>,
    pred_recency: Option<PyReadonlyArray1<'py, u32>>,
    pred_opportunities: Option<PyReadonlyArray1<'py, u32>>,
    future: u32,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
    method: &str,
    replicates: usize,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let target: BgBbTarget = quantity.parse().py_err()?;
    let method: Method = method.parse().py_err()?;
    let (x, tx, n) = (
        frequency.as_slice()?,
        recency.as_slice()?,
        opportunities.as_slice()?,
    );
    let w = weights
        .as_ref()
        .map(PyReadonlyArray1::as_slice)
        .transpose()?;
    let customers = match (&pred_frequency, &pred_recency, &pred_opportunities) {
        (Some(f), Some(r), Some(o)) => (f.as_slice()?, r.as_slice()?, o.as_slice()?),
        (None, None, None) => (x, tx, n),
        _ => {
            return Err(InvalidArgumentError::new_err(
                "argument `pred_frequency`: give the three prediction columns or none",
            ))
        }
    };
    let opts = options(max_iterations, tolerance, penalizer);
    let b = BootstrapOptions::default()
        .with_replicates(replicates)
        .with_seed(seed)
        .with_fit(opts);
    let (iv, failed) = py
        .detach(|| -> retentionkit::Result<(Intervals, usize)> {
            let data = BgBbData::new(x, tx, n, w)?;
            let fit = fit_bg_bb(&data, &opts)?;
            bg_bb_intervals_by(&fit, &data, target, future, customers, level, method, &b)
        })
        .py_err()?;
    let d = interval_dict(py, iv)?;
    d.set_item("failed", failed)?;
    Ok(d)
}

/// Gamma-Gamma delta-method intervals at `level` on `quantity`
/// (`"parameters"` or `"mean_spend"`, each customer's conditional expected
/// mean spend) for the customers (x, m̄) of the `pred_*` columns (default
/// the data's rows), after fitting Gamma-Gamma on the repeat buyers' rows,
/// by `method` as `bgbb_intervals` (the core's
/// `models::interval::gamma_gamma_intervals_by`).
#[pyfunction]
#[pyo3(signature = (frequency, monetary, weights, quantity, level, pred_frequency=None, pred_monetary=None, max_iterations=1000, tolerance=1e-9, penalizer=0.0, method="delta", replicates=1000, seed=0))]
#[allow(clippy::too_many_arguments)] // the data, the prediction columns and the settings
pub fn spend_intervals<'py>(
    py: Python<'py>,
    frequency: PyReadonlyArray1<'py, u32>,
    monetary: PyReadonlyArray1<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, u64>>,
    quantity: &str,
    level: f64,
    pred_frequency: Option<PyReadonlyArray1<'py, u32>>,
    pred_monetary: Option<PyReadonlyArray1<'py, f64>>,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
    method: &str,
    replicates: usize,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let target: SpendTarget = quantity.parse().py_err()?;
    let method: Method = method.parse().py_err()?;
    let (x, m) = (frequency.as_slice()?, monetary.as_slice()?);
    let w = weights
        .as_ref()
        .map(PyReadonlyArray1::as_slice)
        .transpose()?;
    let customers = match (&pred_frequency, &pred_monetary) {
        (Some(f), Some(v)) => (f.as_slice()?, v.as_slice()?),
        (None, None) => (x, m),
        _ => {
            return Err(InvalidArgumentError::new_err(
                "argument `pred_frequency`: give both prediction columns or none",
            ))
        }
    };
    let opts = options(max_iterations, tolerance, penalizer);
    let b = BootstrapOptions::default()
        .with_replicates(replicates)
        .with_seed(seed)
        .with_fit(opts);
    let (iv, failed) = py
        .detach(|| -> retentionkit::Result<(Intervals, usize)> {
            let data = SpendData::new(x, m, w)?;
            let fit = fit_gamma_gamma(&data, &opts)?;
            gamma_gamma_intervals_by(&fit, &data, target, customers, level, method, &b)
        })
        .py_err()?;
    let d = interval_dict(py, iv)?;
    d.set_item("failed", failed)?;
    Ok(d)
}
