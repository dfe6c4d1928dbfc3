//! Intervals on the repeat models' parameters and predictions, from the
//! core's `models::interval::fit_intervals` (the quantity and method names
//! are the core's): the model refitted on its data as `fit_repeat` fits
//! it, then the delta method on the parameter covariance or a seeded
//! customer bootstrap.

use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::models::interval::{
    fit_intervals, BootstrapOptions, Customers, FitIntervals, IntervalRequest, Method, Target,
};
use retentionkit::models::repeat::{self, RepeatKind};
use retentionkit::models::RepeatData;

use crate::error::{IntoPy, InvalidArgumentError};
use crate::models::options;

/// Intervals at `level` on `quantity` (`"parameters"`,
/// `"expected_purchases"`, `"probability_alive"` or `"total_purchases"`,
/// the last two over `horizon`) for the customers of the `pred_*` columns,
/// by `method` (`"delta"` or `"bootstrap"`), after fitting `model` on the
/// data columns. Returns `estimate`, `standard_error`, `lower`, `upper`
/// (arrays), `level`, `replicates` and `failed` (bootstrap replicates that
/// did not converge, in no interval; 0 for the delta method).
#[pyfunction]
#[pyo3(signature = (model, frequency, recency, age, weights, quantity, level, method, pred_frequency=None, pred_recency=None, pred_age=None, horizon=0.0, replicates=1000, seed=0, max_iterations=1000, tolerance=1e-9, penalizer=0.0))]
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
) -> PyResult<Bound<'py, PyDict>> {
    let kind: RepeatKind = model.parse().py_err()?;
    let target: Target = quantity.parse().py_err()?;
    let method: Method = method.parse().py_err()?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let w = weights
        .as_ref()
        .map(PyReadonlyArray1::as_slice)
        .transpose()?;
    let columns: Option<Customers<'_>> = match (&pred_frequency, &pred_recency, &pred_age) {
        (Some(f), Some(r), Some(a)) => Some((f.as_slice()?, r.as_slice()?, a.as_slice()?)),
        // Per-customer values for the fit's own rows, in their order; their
        // total is the core's, each row counted by its weight.
        (None, None, None) if target == Target::TotalPurchases => None,
        (None, None, None) => Some((x, tx, t)),
        _ => {
            return Err(InvalidArgumentError::new_err(
                "argument `pred_frequency`: give the three prediction columns or none",
            ));
        }
    };
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
                .with_level(level)
                .with_method(method)
                .with_bootstrap(b);
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
