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
    let options = KaplanMeierOptions { confidence_level };
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

/// One part for [`KaplanMeier::merge`]: only its event table is read.
fn km_part(
    i: usize,
    times: &[f64],
    events: &[u64],
    censored: &[u64],
    confidence_level: f64,
) -> PyResult<KaplanMeier> {
    check_lengths(
        times.len(),
        &[("events", events.len()), ("censored", censored.len())],
    )?;
    let bad = times
        .iter()
        .enumerate()
        .find(|&(r, &t)| !(t.is_finite() && t >= 0.0) || (r > 0 && times[r - 1] >= t));
    if let Some((row, t)) = bad {
        return Err(to_py(&Error::InvalidValue {
            column: "time",
            row,
            reason: format!("{t} in curve {i}: times must be finite, >= 0 and increasing"),
        }));
    }
    Ok(KaplanMeier {
        times: times.to_vec(),
        at_risk: Vec::new(),
        events: events.to_vec(),
        censored: censored.to_vec(),
        survival: Vec::new(),
        greenwood: Vec::new(),
        lower: Vec::new(),
        upper: Vec::new(),
        confidence_level,
    })
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
        parts.push(km_part(
            i,
            t.as_slice()?,
            e.as_slice()?,
            c.as_slice()?,
            level,
        )?);
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
