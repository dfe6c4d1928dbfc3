//! Intervals on the repeat models' parameters and predictions, from the
//! core's `models::interval`: the model refitted on its data as
//! `fit_repeat` fits it, then the delta method on the parameter covariance
//! or a seeded customer bootstrap.

use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::models::interval::{
    bootstrap, covariance, BootstrapOptions, Intervals, Quantity,
};
use retentionkit::models::repeat::{self, RepeatKind};
use retentionkit::models::RepeatData;

use crate::error::{IntoPy, InvalidArgumentError};
use crate::models::options;

/// The prediction columns, or none for the parameters.
type Columns<'a> = Option<(&'a [u32], &'a [f64], &'a [f64])>;

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
    let q = match quantity {
        "parameters" => None,
        "expected_purchases" => Some(Quantity::ExpectedPurchases { horizon }),
        "probability_alive" => Some(Quantity::ProbabilityAlive),
        "total_purchases" => Some(Quantity::TotalPurchases { horizon }),
        other => {
            return Err(InvalidArgumentError::new_err(format!(
                "argument `quantity`: {other:?} is not one of parameters, expected_purchases, probability_alive, total_purchases"
            )));
        }
    };
    if method != "delta" && method != "bootstrap" {
        return Err(InvalidArgumentError::new_err(format!(
            "argument `method`: {method:?} is not one of delta, bootstrap"
        )));
    }
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let w = weights
        .as_ref()
        .map(PyReadonlyArray1::as_slice)
        .transpose()?;
    let columns: Columns<'_> = match (&pred_frequency, &pred_recency, &pred_age) {
        (Some(f), Some(r), Some(a)) => Some((f.as_slice()?, r.as_slice()?, a.as_slice()?)),
        (None, None, None) => None,
        _ => {
            return Err(InvalidArgumentError::new_err(
                "argument `pred_frequency`: give the three prediction columns or none",
            ));
        }
    };
    let opts = options(max_iterations, tolerance, penalizer);
    let (out, failed) = py
        .detach(|| -> retentionkit::Result<(Intervals, usize)> {
            let data = RepeatData::grouped(x, tx, t, w)?;
            let fit = repeat::fit_repeat(kind, &data, &opts)?;
            let (x, tx, t) = columns.unwrap_or((x, tx, t));
            if method == "delta" {
                let cov = covariance(&fit, &data)?;
                let out = match &q {
                    None => cov.parameter_intervals(level)?,
                    Some(q) => cov.intervals(q, x, tx, t, level)?,
                };
                Ok((out, 0))
            } else {
                let o = BootstrapOptions::default()
                    .with_replicates(replicates)
                    .with_seed(seed)
                    .with_fit(opts);
                let b = bootstrap(&fit, &data, &o)?;
                let out = match &q {
                    None => b.parameter_intervals(level)?,
                    Some(q) => b.intervals(q, x, tx, t, level)?,
                };
                Ok((out, b.failed()))
            }
        })
        .py_err()?;
    let d = PyDict::new(py);
    d.set_item("level", out.level)?;
    d.set_item("estimate", out.estimate.into_pyarray(py))?;
    d.set_item("standard_error", out.standard_error.into_pyarray(py))?;
    d.set_item("lower", out.lower.into_pyarray(py))?;
    d.set_item("upper", out.upper.into_pyarray(py))?;
    d.set_item("replicates", if method == "delta" { 0 } else { replicates })?;
    d.set_item("failed", failed)?;
    Ok(d)
}
