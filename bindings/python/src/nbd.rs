//! The NBD model (no drop-out) of the core's `models::nbd`: the restricted
//! model of the likelihood-ratio test "do customers drop out at all?".

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::models::nbd::{fit_nbd as core_fit_nbd, NbdParams};
use retentionkit::models::repeat::RepeatModel;
use retentionkit::models::RepeatData;

use crate::error::IntoPy;
use crate::models::{fit_dict, options, weights_slice};

/// Fit the NBD on (frequency, recency, T) columns with optional whole-number
/// weights; the fit as `fit_repeat` returns it, params (r, alpha).
#[pyfunction]
#[pyo3(signature = (frequency, recency, age, weights, max_iterations, tolerance, penalizer))]
#[allow(clippy::too_many_arguments)] // the columns and the fit options, as fit_repeat
pub fn fit_nbd<'py>(
    py: Python<'py>,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, u64>>,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let w = weights_slice(weights.as_ref())?;
    let opts = options(max_iterations, tolerance, penalizer);
    let fit = py
        .detach(|| core_fit_nbd(&RepeatData::grouped(x, tx, t, w)?, &opts))
        .py_err()?;
    fit_dict(py, &fit, |p| vec![p.r, p.alpha])
}

/// Expected purchases in the next `horizon` of each customer (x, t_x, T)
/// under the NBD with parameters (r, alpha).
#[pyfunction]
pub fn nbd_expected<'py>(
    py: Python<'py>,
    params: (f64, f64),
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    horizon: f64,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let p = NbdParams::new(params.0, params.1).py_err()?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let out = py
        .detach(|| p.predict_columns(x, tx, t, horizon))
        .py_err()?;
    Ok(out.expected_purchases.into_pyarray(py))
}

/// Expected repeat purchases of a new customer in `horizon` under the NBD.
#[pyfunction]
pub fn nbd_expected_new(params: (f64, f64), horizon: f64) -> PyResult<f64> {
    NbdParams::new(params.0, params.1)
        .and_then(|p| p.expected_purchases_new(horizon))
        .py_err()
}
