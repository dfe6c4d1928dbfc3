//! The regularity models BG/CNBD-k and MBG/CNBD-k and the regularity
//! statistics of a log. Parameters cross as `k` and a list (r, α, a, b).

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::models::cnbd::{
    fit_cnbd as core_fit, CnbdKind, CnbdOptions, CnbdParams, RegularityData,
};
use retentionkit::regularity;
use retentionkit::summary::SummaryOptions;

use crate::error::{IntoPy, InvalidArgumentError};
use crate::log::LogArg;
use crate::models::{fit_dict, options};
use crate::tables::unit;

/// Two float arrays of one length.
type Pair<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

fn kind(model: &str) -> PyResult<CnbdKind> {
    match model {
        "bg_cnbd" => Ok(CnbdKind::BgCnbd),
        "mbg_cnbd" => Ok(CnbdKind::MbgCnbd),
        other => Err(InvalidArgumentError::new_err(format!(
            "argument `model`: unknown regularity model {other:?} (bg_cnbd, mbg_cnbd)"
        ))),
    }
}

fn cnbd(model: &str, k: u32, p: &[f64]) -> PyResult<CnbdParams> {
    let [r, alpha, a, b] = <[f64; 4]>::try_from(p).map_err(|_| {
        InvalidArgumentError::new_err(format!(
            "argument `params`: (r, alpha, a, b), got {} values",
            p.len()
        ))
    })?;
    CnbdParams::new(kind(model)?, k, r, alpha, a, b).py_err()
}

/// Fit BG/CNBD-k (`"bg_cnbd"`) or MBG/CNBD-k (`"mbg_cnbd"`): the fit dict
/// of the chosen k (params r, α, a, b), with `k` and `candidates` (k,
/// log-likelihood, status per k tried).
#[pyfunction]
#[pyo3(signature = (model, frequency, recency, age, litt, weights=None, k=None, max_k=12, max_iterations=1000, tolerance=1e-9, penalizer=0.0))]
#[allow(clippy::too_many_arguments)] // the data's five columns, k and the fit options
pub fn fit_cnbd<'py>(
    py: Python<'py>,
    model: &str,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    litt: PyReadonlyArray1<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, u64>>,
    k: Option<u32>,
    max_k: u32,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let kind = kind(model)?;
    let (x, tx, t, l) = (
        frequency.as_slice()?,
        recency.as_slice()?,
        age.as_slice()?,
        litt.as_slice()?,
    );
    let w = match weights.as_ref() {
        Some(a) => Some(a.as_slice()?),
        None => None,
    };
    let opts = CnbdOptions::default()
        .with_k(k)
        .with_max_k(max_k)
        .with_fit(options(max_iterations, tolerance, penalizer));
    let f = py
        .detach(|| core_fit(&RegularityData::new(x, tx, t, l, w)?, kind, &opts))
        .py_err()?;
    let d = fit_dict(py, &f.fit, |p| vec![p.r, p.alpha, p.a, p.b])?;
    d.set_item("k", f.fit.params.k)?;
    let candidates: Vec<(u32, f64, &str)> = f
        .candidates
        .iter()
        .map(|c| (c.k, c.log_likelihood, c.status.as_str()))
        .collect();
    d.set_item("candidates", candidates)?;
    Ok(d)
}

/// P(alive) and expected purchases in the next `horizon` per customer.
#[pyfunction]
#[allow(clippy::too_many_arguments)] // the model, its parameters, three columns and the horizon
pub fn cnbd_predict<'py>(
    py: Python<'py>,
    model: &str,
    k: u32,
    params: Vec<f64>,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    horizon: f64,
) -> PyResult<Pair<'py>> {
    let m = cnbd(model, k, &params)?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let p = py.detach(|| m.predict(x, tx, t, horizon)).py_err()?;
    Ok((
        p.probability_alive.into_pyarray(py),
        p.expected_purchases.into_pyarray(py),
    ))
}

/// Expected repeat purchases of a new customer at each horizon.
#[pyfunction]
pub fn cnbd_expected_new<'py>(
    py: Python<'py>,
    model: &str,
    k: u32,
    params: Vec<f64>,
    horizons: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let m = cnbd(model, k, &params)?;
    let h = horizons.as_slice()?;
    let out = py
        .detach(|| {
            h.iter()
                .map(|&t| m.expected_purchases_new(t))
                .collect::<retentionkit::Result<Vec<f64>>>()
        })
        .py_err()?;
    Ok(out.into_pyarray(py))
}

/// The log-likelihood at given parameters, litt term included.
#[pyfunction]
#[pyo3(signature = (model, k, params, frequency, recency, age, litt, weights=None))]
#[allow(clippy::too_many_arguments)] // the model, its parameters and the data's five columns
pub fn cnbd_log_likelihood(
    py: Python<'_>,
    model: &str,
    k: u32,
    params: Vec<f64>,
    frequency: PyReadonlyArray1<'_, u32>,
    recency: PyReadonlyArray1<'_, f64>,
    age: PyReadonlyArray1<'_, f64>,
    litt: PyReadonlyArray1<'_, f64>,
    weights: Option<PyReadonlyArray1<'_, u64>>,
) -> PyResult<f64> {
    let m = cnbd(model, k, &params)?;
    let (x, tx, t, l) = (
        frequency.as_slice()?,
        recency.as_slice()?,
        age.as_slice()?,
        litt.as_slice()?,
    );
    let w = match weights.as_ref() {
        Some(a) => Some(a.as_slice()?),
        None => None,
    };
    py.detach(|| Ok(m.log_likelihood(&RegularityData::new(x, tx, t, l, w)?)))
        .py_err()
}

/// Σ ln(inter-purchase times) per customer of the summary, in its order:
/// `customer_id` and `litt`.
#[pyfunction]
#[pyo3(signature = (log, unit_name, observation_end=None))]
pub fn log_intertransaction_times<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    unit_name: &str,
    observation_end: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let o = SummaryOptions::default()
        .with_observation_end(observation_end)
        .with_unit(unit(unit_name)?);
    let (ids, litt) = log.run(py, |log| {
        let ids = retentionkit::summary::summary(log, &o)?.customer_id;
        Ok((ids, regularity::log_intertransaction_times(log, &o)?))
    })?;
    let d = PyDict::new(py);
    d.set_item("customer_id", ids.into_pyarray(py))?;
    d.set_item("litt", litt.into_pyarray(py))?;
    Ok(d)
}

/// The Wheat–Morrison statistic: customers, mean, variance, k.
#[pyfunction]
#[pyo3(signature = (log, observation_end=None))]
pub fn wheat_morrison<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    observation_end: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let o = SummaryOptions::default().with_observation_end(observation_end);
    let w = log.run(py, |log| regularity::wheat_morrison(log, &o))?;
    let d = PyDict::new(py);
    d.set_item("customers", w.customers)?;
    d.set_item("mean", w.mean)?;
    d.set_item("variance", w.variance)?;
    d.set_item("k", w.k)?;
    Ok(d)
}
