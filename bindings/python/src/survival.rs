//! Kaplan–Meier curves and the log-rank test (`retentionkit::survival`), Cox
//! proportional hazards (`survival::cox`) and the Weibull AFT model (`survival::aft`).

use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::survival::aft::{weibull_aft as core_weibull_aft, AftCoefficient, AftOptions};
use retentionkit::survival::cox::{
    cox_ph as core_cox_ph, proportional_hazards_test, CoxCoefficient, CoxOptions, RegressionData,
    Ties, TimeTransform,
};
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

/// Borrowed slices of the covariate columns.
fn column_slices<'a>(columns: &'a [PyReadonlyArray1<'_, f64>]) -> PyResult<Vec<&'a [f64]>> {
    columns
        .iter()
        .map(|c| c.as_slice().map_err(PyErr::from))
        .collect()
}

/// Cox proportional hazards (`retentionkit::survival::cox`): the fit, its
/// summary columns, baselines and the test of proportional hazards.
#[pyfunction]
#[pyo3(signature = (durations, events, covariates, weights=None, strata=None, ties="efron", robust=false, confidence_level=0.95, time_transform="rank"))]
#[allow(clippy::too_many_arguments)] // one keyword argument per core option
pub fn cox_ph<'py>(
    py: Python<'py>,
    durations: PyReadonlyArray1<'py, f64>,
    events: PyReadonlyArray1<'py, bool>,
    covariates: Vec<PyReadonlyArray1<'py, f64>>,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    strata: Option<PyReadonlyArray1<'py, u32>>,
    ties: &str,
    robust: bool,
    confidence_level: f64,
    time_transform: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let ties: Ties = ties.parse().map_err(|e| to_py(&e))?;
    let transform: TimeTransform = time_transform.parse().map_err(|e| to_py(&e))?;
    let cols = column_slices(&covariates)?;
    let w = weights
        .as_ref()
        .map(PyReadonlyArray1::as_slice)
        .transpose()?;
    let s = strata
        .as_ref()
        .map(PyReadonlyArray1::as_slice)
        .transpose()?;
    let data = RegressionData {
        durations: durations.as_slice()?,
        events: events.as_slice()?,
        covariates: &cols,
        weights: w,
        strata: s,
    };
    let options = CoxOptions {
        ties,
        robust,
        confidence_level,
        ..CoxOptions::default()
    };
    let (fit, summary, ph) = py
        .detach(|| {
            let fit = core_cox_ph(&data, &options)?;
            let summary = fit.summary()?;
            let ph = proportional_hazards_test(&fit, &data, transform)?;
            Ok((fit, summary, ph))
        })
        .py_err()?;
    let out = PyDict::new(py);
    let col = |f: fn(&CoxCoefficient) -> f64| summary.iter().map(f).collect::<Vec<f64>>();
    out.set_item("coef", col(|c| c.coef).into_pyarray(py))?;
    out.set_item("hazard_ratio", col(|c| c.hazard_ratio).into_pyarray(py))?;
    out.set_item("se", col(|c| c.se).into_pyarray(py))?;
    out.set_item("coef_lower", col(|c| c.coef_lower).into_pyarray(py))?;
    out.set_item("coef_upper", col(|c| c.coef_upper).into_pyarray(py))?;
    out.set_item(
        "hazard_ratio_lower",
        col(|c| c.hazard_ratio_lower).into_pyarray(py),
    )?;
    out.set_item(
        "hazard_ratio_upper",
        col(|c| c.hazard_ratio_upper).into_pyarray(py),
    )?;
    out.set_item("z", col(|c| c.z).into_pyarray(py))?;
    out.set_item("p_value", col(|c| c.p_value).into_pyarray(py))?;
    out.set_item("model_se", fit.standard_errors.clone().into_pyarray(py))?;
    out.set_item(
        "ph_statistic",
        ph.iter()
            .map(|t| t.statistic)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    out.set_item(
        "ph_p_value",
        ph.iter()
            .map(|t| t.p_value)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    let lr = fit.likelihood_ratio_test();
    out.set_item("lr_statistic", lr.statistic)?;
    out.set_item("lr_p_value", lr.p_value)?;
    out.set_item("log_likelihood", fit.log_likelihood)?;
    out.set_item("null_log_likelihood", fit.null_log_likelihood)?;
    out.set_item("concordance", fit.concordance)?;
    out.set_item("rows", fit.rows)?;
    out.set_item("events", fit.events)?;
    out.set_item("iterations", fit.iterations)?;
    out.set_item("status", fit.status.as_str())?;
    out.set_item("warning", fit.status.warning())?;
    out.set_item("means", fit.means.clone().into_pyarray(py))?;
    let baselines = fit
        .baselines
        .into_iter()
        .map(|b| (b.stratum, b.times, b.cumulative_hazard))
        .collect::<Vec<_>>();
    out.set_item("baselines", baselines)?;
    Ok(out)
}

/// The Weibull AFT model (`retentionkit::survival::aft`).
#[pyfunction]
#[pyo3(signature = (durations, events, covariates, weights=None, confidence_level=0.95))]
pub fn weibull_aft<'py>(
    py: Python<'py>,
    durations: PyReadonlyArray1<'py, f64>,
    events: PyReadonlyArray1<'py, bool>,
    covariates: Vec<PyReadonlyArray1<'py, f64>>,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    confidence_level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let cols = column_slices(&covariates)?;
    let w = weights
        .as_ref()
        .map(PyReadonlyArray1::as_slice)
        .transpose()?;
    let data = RegressionData {
        durations: durations.as_slice()?,
        events: events.as_slice()?,
        covariates: &cols,
        weights: w,
        strata: None,
    };
    let fit = py
        .detach(|| core_weibull_aft(&data, &AftOptions::default()))
        .py_err()?;
    // The summary of every parameter: the covariates, the intercept, ln ρ.
    let summary = fit.summary(confidence_level).py_err()?;
    let col = |f: fn(&AftCoefficient) -> f64| summary.iter().map(f).collect::<Vec<f64>>();
    let out = PyDict::new(py);
    out.set_item("exp_coef", col(|c| c.exp_coef).into_pyarray(py))?;
    out.set_item("coef_lower", col(|c| c.coef_lower).into_pyarray(py))?;
    out.set_item("coef_upper", col(|c| c.coef_upper).into_pyarray(py))?;
    out.set_item("z", col(|c| c.z).into_pyarray(py))?;
    out.set_item("p_value", col(|c| c.p_value).into_pyarray(py))?;
    out.set_item("concordance", fit.concordance)?;
    out.set_item("coef", fit.coefficients.into_pyarray(py))?;
    out.set_item("se", fit.standard_errors.into_pyarray(py))?;
    out.set_item("intercept", fit.intercept)?;
    out.set_item("intercept_se", fit.intercept_se)?;
    out.set_item("log_rho", fit.log_rho)?;
    out.set_item("log_rho_se", fit.log_rho_se)?;
    out.set_item("log_likelihood", fit.log_likelihood)?;
    out.set_item("iterations", fit.iterations)?;
    out.set_item("status", fit.status.as_str())?;
    Ok(out)
}
