//! Kaplan–Meier curves and the log-rank test.

use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::survival::{kaplan_meier_with, log_rank as core_log_rank, KaplanMeierOptions};

use crate::error::IntoPy;

/// The Kaplan–Meier curve with its confidence band, its median and restricted mean.
#[pyfunction]
#[pyo3(signature = (durations, observed, confidence_level=0.95, horizon=None))]
pub fn kaplan_meier<'py>(
    py: Python<'py>,
    durations: PyReadonlyArray1<'py, f64>,
    observed: PyReadonlyArray1<'py, bool>,
    confidence_level: f64,
    horizon: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let (d, o) = (durations.as_slice()?, observed.as_slice()?);
    let options = KaplanMeierOptions { confidence_level };
    let (km, rmst) = py
        .detach(|| {
            let km = kaplan_meier_with(d, o, &options)?;
            let rmst = horizon.map(|h| km.restricted_mean(h)).transpose()?;
            Ok((km, rmst))
        })
        .py_err()?;
    let out = PyDict::new(py);
    out.set_item("median", km.median())?;
    out.set_item("restricted_mean", rmst)?;
    out.set_item("times", km.times.into_pyarray(py))?;
    out.set_item("at_risk", km.at_risk.into_pyarray(py))?;
    out.set_item("events", km.events.into_pyarray(py))?;
    out.set_item("censored", km.censored.into_pyarray(py))?;
    out.set_item("survival", km.survival.into_pyarray(py))?;
    out.set_item("lower", km.lower.into_pyarray(py))?;
    out.set_item("upper", km.upper.into_pyarray(py))?;
    Ok(out)
}

/// The log-rank test of equal survival across groups: (statistic, df, p-value).
#[pyfunction]
pub fn log_rank(
    py: Python<'_>,
    durations: PyReadonlyArray1<'_, f64>,
    observed: PyReadonlyArray1<'_, bool>,
    groups: PyReadonlyArray1<'_, u64>,
) -> PyResult<(f64, usize, f64)> {
    let (d, o, g) = (
        durations.as_slice()?,
        observed.as_slice()?,
        groups.as_slice()?,
    );
    let r = py.detach(|| core_log_rank(d, o, g)).py_err()?;
    Ok((r.statistic, r.df, r.p_value))
}
