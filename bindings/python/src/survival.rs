//! Kaplan–Meier curves and the log-rank test.

use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::survival::{
    kaplan_meier_with, log_rank as core_log_rank, KaplanMeier, KaplanMeierOptions,
};
use retentionkit::Error;

use crate::error::{check_lengths, to_py, IntoPy};

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
    let options = KaplanMeierOptions::default().with_confidence_level(confidence_level);
    let (km, rmst) = py
        .detach(|| {
            let km = kaplan_meier_with(d, o, &options)?;
            let rmst = horizon.map(|h| km.restricted_mean(h)).transpose()?;
            Ok((km, rmst))
        })
        .py_err()?;
    km_dict(py, km, rmst)
}

fn km_dict(py: Python<'_>, km: KaplanMeier, rmst: Option<f64>) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("median", km.median())?;
    out.set_item("restricted_mean", rmst)?;
    out.set_item("confidence_level", km.confidence_level)?;
    out.set_item("times", km.times.into_pyarray(py))?;
    out.set_item("at_risk", km.at_risk.into_pyarray(py))?;
    out.set_item("events", km.events.into_pyarray(py))?;
    out.set_item("censored", km.censored.into_pyarray(py))?;
    out.set_item("survival", km.survival.into_pyarray(py))?;
    out.set_item("lower", km.lower.into_pyarray(py))?;
    out.set_item("upper", km.upper.into_pyarray(py))?;
    Ok(out)
}

/// The Kaplan–Meier curve of the union of disjoint groups of subjects, from
/// each group's event table (times, events, censored) and confidence level.
#[pyfunction]
#[pyo3(signature = (times, events, censored, confidence_levels, horizon=None))]
pub fn merge_kaplan_meier<'py>(
    py: Python<'py>,
    times: Vec<PyReadonlyArray1<'py, f64>>,
    events: Vec<PyReadonlyArray1<'py, u64>>,
    censored: Vec<PyReadonlyArray1<'py, u64>>,
    confidence_levels: Vec<f64>,
    horizon: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let n = times.len();
    check_lengths(
        n,
        &[
            ("events", events.len()),
            ("censored", censored.len()),
            ("confidence_level", confidence_levels.len()),
        ],
    )?;
    let mut parts = Vec::with_capacity(n);
    for (i, (((t, e), c), &level)) in times
        .iter()
        .zip(&events)
        .zip(&censored)
        .zip(&confidence_levels)
        .enumerate()
    {
        let options = KaplanMeierOptions::default().with_confidence_level(level);
        let part = KaplanMeier::from_table(t.as_slice()?, e.as_slice()?, c.as_slice()?, &options);
        parts.push(part.map_err(|e| to_py(&in_curve(e, i)))?);
    }
    let (km, rmst) = py
        .detach(|| {
            let km = KaplanMeier::merge(&parts)?;
            let rmst = horizon.map(|h| km.restricted_mean(h)).transpose()?;
            Ok((km, rmst))
        })
        .py_err()?;
    km_dict(py, km, rmst)
}

/// A bad value of curve `i`'s table, with the curve named in the reason.
fn in_curve(e: Error, i: usize) -> Error {
    match e {
        Error::InvalidValue {
            column,
            row,
            reason,
        } => Error::InvalidValue {
            column,
            row,
            reason: format!("{reason} (curve {i})"),
        },
        e => e,
    }
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
