//! Model fits and predictions. Parameters cross the boundary as plain lists
//! of floats in each model's published order; the Python classes give them
//! names.

use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::models::bg_bb::{fit_bg_bb, BgBbData, BgBbParams};
use retentionkit::models::check::{self, AtRiskOptions, ClvOptions};
use retentionkit::models::gamma_gamma::{fit_gamma_gamma, GammaGammaParams, SpendData};
use retentionkit::models::repeat::{self, RepeatKind, RepeatModel, RepeatParams};
use retentionkit::models::sbg::{fit_sbg, SbgData, SbgParams};
use retentionkit::models::RepeatData;
use retentionkit::optim::{Fit, FitOptions};
use retentionkit::summary::{summary as core_summary, SummaryOptions};

use crate::error::{check_lengths, IntoPy, InvalidArgumentError};
use crate::log::LogArg;
use crate::tables::unit;

/// Two float arrays of one length (a probability and an expectation per row).
/// Expected (float) and actual (count) values of a curve.
type Curve<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<u64>>);
/// Two float arrays of one length.
type Pair<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);
/// Repeat purchases and recency of simulated customers.
type Counts<'py> = (Bound<'py, PyArray1<u32>>, Bound<'py, PyArray1<f64>>);

/// A model's `N` parameters from a list, in its published order.
fn params<const N: usize>(name: &str, p: &[f64]) -> PyResult<[f64; N]> {
    <[f64; N]>::try_from(p).map_err(|_| {
        InvalidArgumentError::new_err(format!(
            "argument `params`: {name} has {N} parameters, got {}",
            p.len()
        ))
    })
}

/// The repeat model named `model` (the core's names: `"bg_nbd"`, ...) at
/// parameters `p` in its published order.
fn repeat(model: &str, p: &[f64]) -> PyResult<RepeatParams> {
    let kind: RepeatKind = model.parse().py_err()?;
    RepeatParams::new(kind, params(kind.label(), p)?).py_err()
}

pub(crate) fn fit_dict<'py, P>(
    py: Python<'py>,
    fit: &Fit<P>,
    values: impl Fn(&P) -> Vec<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("params", values(&fit.params))?;
    d.set_item("standard_errors", fit.standard_errors.as_ref().map(&values))?;
    d.set_item("log_likelihood", fit.log_likelihood)?;
    let ic = fit.criteria();
    d.set_item("parameters", ic.parameters)?;
    d.set_item("observations", ic.observations)?;
    d.set_item("aic", ic.aic)?;
    d.set_item("bic", ic.bic)?;
    d.set_item("iterations", fit.iterations)?;
    d.set_item("status", fit.status.as_str())?;
    d.set_item("warning", fit.status.warning())?;
    Ok(d)
}

pub(crate) fn options(max_iterations: usize, tolerance: f64, penalizer: f64) -> FitOptions {
    FitOptions::default()
        .with_max_iterations(max_iterations)
        .with_tolerance(tolerance)
        .with_penalizer(penalizer)
}

pub(crate) fn weights_slice<'a>(
    w: Option<&'a PyReadonlyArray1<'_, u64>>,
) -> PyResult<Option<&'a [u64]>> {
    Ok(match w {
        Some(a) => Some(a.as_slice()?),
        None => None,
    })
}

/// Fit BG/NBD, MBG/NBD or Pareto/NBD on (x, t_x, T[, weight]) rows, equal
/// rows grouped first (`RepeatData::grouped`): the fit of the compressed
/// summary, as the CLI and the npm package fit it.
#[pyfunction]
#[pyo3(signature = (model, frequency, recency, age, weights=None, max_iterations=1000, tolerance=1e-9, penalizer=0.0))]
#[allow(clippy::too_many_arguments)] // the data's four columns and the three fit options
pub fn fit_repeat<'py>(
    py: Python<'py>,
    model: &str,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, u64>>,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let kind: RepeatKind = model.parse().py_err()?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let w = weights_slice(weights.as_ref())?;
    let opts = options(max_iterations, tolerance, penalizer);
    let fit = py
        .detach(|| repeat::fit_repeat(kind, &RepeatData::grouped(x, tx, t, w)?, &opts))
        .py_err()?;
    fit_dict(py, &fit, |p| p.values().to_vec())
}

/// Log-likelihood of a repeat model at given parameters.
#[pyfunction]
#[pyo3(signature = (model, params, frequency, recency, age, weights=None))]
pub fn repeat_log_likelihood(
    py: Python<'_>,
    model: &str,
    params: Vec<f64>,
    frequency: PyReadonlyArray1<'_, u32>,
    recency: PyReadonlyArray1<'_, f64>,
    age: PyReadonlyArray1<'_, f64>,
    weights: Option<PyReadonlyArray1<'_, u64>>,
) -> PyResult<f64> {
    let m = repeat(model, &params)?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let w = weights_slice(weights.as_ref())?;
    py.detach(|| {
        let data = RepeatData::new(x, tx, t, w)?;
        Ok(m.log_likelihood(&data))
    })
    .py_err()
}

/// Probability alive and expected purchases in the next `horizon`, per row.
#[pyfunction]
pub fn repeat_predict<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    horizon: f64,
) -> PyResult<Pair<'py>> {
    let m = repeat(model, &params)?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let p = py
        .detach(|| m.predict_columns(x, tx, t, horizon))
        .py_err()?;
    let (alive, expected) = (p.probability_alive, p.expected_purchases);
    Ok((alive.into_pyarray(py), expected.into_pyarray(py)))
}

/// Predicted against actual holdout purchases: the core's
/// `HoldoutCheck::from_columns` (MAE, RMSE, bias and the table by calibration
/// frequency, rows x = 0..6 and 7+).
#[pyfunction]
pub fn holdout_check<'py>(
    py: Python<'py>,
    predicted: PyReadonlyArray1<'py, f64>,
    actual: PyReadonlyArray1<'py, u32>,
    frequency: PyReadonlyArray1<'py, u32>,
) -> PyResult<Bound<'py, PyDict>> {
    let c = check::HoldoutCheck::from_columns(
        predicted.as_slice()?.to_vec(),
        actual.as_slice()?,
        frequency.as_slice()?,
    )
    .py_err()?;
    let d = PyDict::new(py);
    d.set_item("mae", c.mae)?;
    d.set_item("rmse", c.rmse)?;
    d.set_item("bias", c.bias)?;
    let rows = &c.by_frequency;
    let by = PyDict::new(py);
    by.set_item(
        "frequency",
        rows.iter()
            .map(|r| r.frequency)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    by.set_item(
        "customers",
        rows.iter()
            .map(|r| r.customers)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    by.set_item(
        "mean_actual",
        rows.iter()
            .map(|r| r.mean_actual)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    by.set_item(
        "mean_predicted",
        rows.iter()
            .map(|r| r.mean_predicted)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    d.set_item("by_frequency", by)?;
    Ok(d)
}

/// Simulated customers of a repeat-purchase model observed for `ages` each:
/// the core's `simulate::repeat` (frequency and recency).
#[pyfunction]
pub fn repeat_simulate<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    ages: PyReadonlyArray1<'py, f64>,
    seed: u64,
) -> PyResult<Counts<'py>> {
    let m = repeat(model, &params)?;
    let t = ages.as_slice()?;
    let sim = py
        .detach(|| retentionkit::models::simulate::repeat(&m, t, seed))
        .py_err()?;
    Ok((sim.frequency.into_pyarray(py), sim.recency.into_pyarray(py)))
}

/// Expected repeat purchases of a new customer in each horizon.
#[pyfunction]
pub fn repeat_expected_new<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    horizons: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let m = repeat(model, &params)?;
    let h = horizons.as_slice()?;
    let out = py
        .detach(|| {
            h.iter()
                .map(|&h| m.expected_purchases_new(h))
                .collect::<retentionkit::Result<Vec<f64>>>()
        })
        .py_err()?;
    Ok(out.into_pyarray(py))
}

/// P(exactly `counts[i]` repeat purchases in `horizons[i]`) of a new
/// customer, per pair (the core's `RepeatModel::probability_of_purchases_new`).
#[pyfunction]
pub fn repeat_pmf_new<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    horizons: PyReadonlyArray1<'py, f64>,
    counts: PyReadonlyArray1<'py, u32>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let m = repeat(model, &params)?;
    let (h, n) = (horizons.as_slice()?, counts.as_slice()?);
    check_lengths(h.len(), &[("n", n.len())])?;
    let out = py
        .detach(|| {
            h.iter()
                .zip(n)
                .map(|(&h, &n)| m.probability_of_purchases_new(h, n))
                .collect::<retentionkit::Result<Vec<f64>>>()
        })
        .py_err()?;
    Ok(out.into_pyarray(py))
}

/// P(exactly n purchases in the next `horizon`) for n = 0..=`max_n`, one
/// row per customer (the core's `RepeatModel::purchase_distribution`).
#[pyfunction]
#[allow(clippy::too_many_arguments)] // the model, the customer's three columns, the horizon and N
pub fn repeat_distribution<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    horizon: f64,
    max_n: u32,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let m = repeat(model, &params)?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let d = py
        .detach(|| m.purchase_distribution(x, tx, t, horizon, max_n))
        .py_err()?;
    let (rows, width) = (
        d.rows(),
        usize::try_from(d.max_n).map_or(usize::MAX, |n| n + 1),
    );
    d.probabilities.into_pyarray(py).reshape([rows, width])
}

/// Probability alive at T + `horizon`, per row (the core's
/// `RepeatModel::probability_alive_at_columns`).
#[pyfunction]
pub fn repeat_alive_at<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    horizon: f64,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let m = repeat(model, &params)?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let out = py
        .detach(|| m.probability_alive_at_columns(x, tx, t, horizon))
        .py_err()?;
    Ok(out.into_pyarray(py))
}

/// DERT at a continuous discount rate per time unit, per row (the core's
/// `RepeatModel::dert_columns`).
#[pyfunction]
pub fn repeat_dert<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    discount_rate: f64,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let m = repeat(model, &params)?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let out = py
        .detach(|| m.dert_columns(x, tx, t, discount_rate))
        .py_err()?;
    Ok(out.into_pyarray(py))
}

/// The at-risk list of a log under a repeat model (the core's
/// `check::at_risk`; `None` options take the core's defaults for the unit).
#[pyfunction]
#[pyo3(signature = (model, params, log, unit_name, horizon=None, observation_end=None, threshold=None, lost_below=None, limit=None))]
#[allow(clippy::too_many_arguments)] // the model, the log, the unit and the at-risk options
pub fn repeat_at_risk<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    log: LogArg<'py>,
    unit_name: &str,
    horizon: Option<f64>,
    observation_end: Option<i32>,
    threshold: Option<f64>,
    lost_below: Option<f64>,
    limit: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let m = repeat(model, &params)?;
    let u = unit(unit_name)?;
    let opts = SummaryOptions::default()
        .with_observation_end(observation_end)
        .with_unit(u);
    let d = AtRiskOptions::for_unit(u);
    let risk = AtRiskOptions::default()
        .with_horizon(horizon.unwrap_or(d.horizon))
        .with_threshold(threshold.unwrap_or(d.threshold))
        .with_lost_below(lost_below.unwrap_or(d.lost_below))
        .with_limit(limit);
    let list = log.run(py, |log| {
        let s = core_summary(log, &opts)?;
        check::at_risk(&m, &s, &risk)
    })?;
    let d = PyDict::new(py);
    let col =
        |f: fn(&check::AtRisk) -> f64| list.iter().map(f).collect::<Vec<f64>>().into_pyarray(py);
    d.set_item(
        "customer_id",
        list.iter()
            .map(|r| r.customer_id)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    d.set_item(
        "frequency",
        list.iter()
            .map(|r| r.frequency)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    d.set_item(
        "last_day",
        list.iter()
            .map(|r| r.last_day)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    d.set_item("probability_alive", col(|r| r.probability_alive))?;
    d.set_item("expected_purchases", col(|r| r.expected_purchases))?;
    d.set_item("overdue", col(|r| r.overdue))?;
    d.set_item("value_at_stake", col(|r| r.value_at_stake))?;
    Ok(d)
}

/// The tracking curve: expected and actual cumulative repeat purchases.
#[pyfunction]
pub fn repeat_tracking<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    log: LogArg<'py>,
    unit_name: &str,
    at: PyReadonlyArray1<'py, i32>,
) -> PyResult<Curve<'py>> {
    let m = repeat(model, &params)?;
    let u = unit(unit_name)?;
    let at = at.as_slice()?;
    let t = log.run(py, |log| check::tracking(&m, log, u, at))?;
    Ok((t.expected.into_pyarray(py), t.actual.into_pyarray(py)))
}

/// Discounted CLV per customer: a repeat model for purchases, Gamma-Gamma
/// for spend (the core's `check::clv_values`); `period_length` `None` is a
/// month in `unit_name` (30 days or 4.345 weeks, the core's default).
#[pyfunction]
#[allow(clippy::too_many_arguments)] // two models, the customer's four columns, the horizon
pub fn repeat_clv<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    spend_params: Vec<f64>,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    monetary: PyReadonlyArray1<'py, f64>,
    unit_name: &str,
    periods: u32,
    period_length: Option<f64>,
    discount: f64,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let m = repeat(model, &params)?;
    let g = gamma_gamma(&spend_params)?;
    let options = ClvOptions::default()
        .with_periods(periods)
        .with_period_length(period_length.unwrap_or(ClvOptions::month(unit(unit_name)?)))
        .with_discount(discount);
    let (x, tx, t, mv) = (
        frequency.as_slice()?,
        recency.as_slice()?,
        age.as_slice()?,
        monetary.as_slice()?,
    );
    let out = py
        .detach(|| check::clv_values(&m, &g, x, tx, t, mv, &options))
        .py_err()?;
    Ok(out.into_pyarray(py))
}

/// The canonical name of a time unit (`InvalidArgumentError` for an
/// unknown one): the core's names.
#[pyfunction]
pub fn unit_name(name: &str) -> PyResult<&'static str> {
    Ok(unit(name)?.as_str())
}

pub(crate) fn gamma_gamma(p: &[f64]) -> PyResult<GammaGammaParams> {
    let [p, q, g] = params("Gamma-Gamma", p)?;
    GammaGammaParams::new(p, q, g).py_err()
}

/// Fit Gamma-Gamma on (x, m[, weight]) rows; rows with x = 0 are left out.
#[pyfunction]
#[pyo3(signature = (frequency, monetary, weights=None, max_iterations=1000, tolerance=1e-9, penalizer=0.0))]
pub fn fit_spend<'py>(
    py: Python<'py>,
    frequency: PyReadonlyArray1<'py, u32>,
    monetary: PyReadonlyArray1<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, u64>>,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let (x, m) = (frequency.as_slice()?, monetary.as_slice()?);
    let w = weights_slice(weights.as_ref())?;
    let opts = options(max_iterations, tolerance, penalizer);
    let (fit, correlation, warning) = py
        .detach(|| {
            let data = SpendData::new(x, m, w)?;
            let fit = fit_gamma_gamma(&data, &opts)?;
            Ok::<_, retentionkit::Error>((
                fit,
                data.frequency_spend_correlation(),
                data.spend_correlation_warning(),
            ))
        })
        .py_err()?;
    let d = fit_dict(py, &fit, |p| vec![p.p, p.q, p.gamma])?;
    d.set_item("spend_correlation", correlation)?;
    d.set_item("spend_warning", warning)?;
    Ok(d)
}

/// Expected mean spend per transaction, per row.
#[pyfunction]
pub fn spend_expected<'py>(
    py: Python<'py>,
    params: Vec<f64>,
    frequency: PyReadonlyArray1<'py, u32>,
    monetary: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let g = gamma_gamma(&params)?;
    let (x, m) = (frequency.as_slice()?, monetary.as_slice()?);
    check_lengths(x.len(), &[("monetary_value", m.len())])?;
    let out = py
        .detach(|| {
            x.iter()
                .zip(m)
                .map(|(&x, &m)| g.expected_mean_spend(x, m))
                .collect::<retentionkit::Result<Vec<f64>>>()
        })
        .py_err()?;
    Ok(out.into_pyarray(py))
}

/// Gamma-Gamma log-likelihood at given parameters.
#[pyfunction]
#[pyo3(signature = (params, frequency, monetary, weights=None))]
pub fn spend_log_likelihood(
    params: Vec<f64>,
    frequency: PyReadonlyArray1<'_, u32>,
    monetary: PyReadonlyArray1<'_, f64>,
    weights: Option<PyReadonlyArray1<'_, u64>>,
) -> PyResult<f64> {
    let g = gamma_gamma(&params)?;
    let (x, m) = (frequency.as_slice()?, monetary.as_slice()?);
    let w = weights_slice(weights.as_ref())?;
    let data = SpendData::new(x, m, w).py_err()?;
    Ok(g.log_likelihood(&data))
}

fn bg_bb(p: &[f64]) -> PyResult<BgBbParams> {
    let [a, b, c, d] = params("BG/BB", p)?;
    BgBbParams::new(a, b, c, d).py_err()
}

/// Fit BG/BB on (x, t_x, n[, weight]) rows.
#[pyfunction]
#[pyo3(signature = (frequency, recency, opportunities, weights=None, max_iterations=1000, tolerance=1e-9, penalizer=0.0))]
#[allow(clippy::too_many_arguments)] // the data's four columns and the three fit options
pub fn fit_bgbb<'py>(
    py: Python<'py>,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, u32>,
    opportunities: PyReadonlyArray1<'py, u32>,
    weights: Option<PyReadonlyArray1<'py, u64>>,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let (x, tx, n) = (
        frequency.as_slice()?,
        recency.as_slice()?,
        opportunities.as_slice()?,
    );
    let w = weights_slice(weights.as_ref())?;
    let opts = options(max_iterations, tolerance, penalizer);
    let fit = py
        .detach(|| fit_bg_bb(&BgBbData::new(x, tx, n, w)?, &opts))
        .py_err()?;
    fit_dict(py, &fit, |p| vec![p.alpha, p.beta, p.gamma, p.delta])
}

/// BG/BB log-likelihood at given parameters.
#[pyfunction]
#[pyo3(signature = (params, frequency, recency, opportunities, weights=None))]
pub fn bgbb_log_likelihood(
    params: Vec<f64>,
    frequency: PyReadonlyArray1<'_, u32>,
    recency: PyReadonlyArray1<'_, u32>,
    opportunities: PyReadonlyArray1<'_, u32>,
    weights: Option<PyReadonlyArray1<'_, u64>>,
) -> PyResult<f64> {
    let m = bg_bb(&params)?;
    let w = weights_slice(weights.as_ref())?;
    let data = BgBbData::new(
        frequency.as_slice()?,
        recency.as_slice()?,
        opportunities.as_slice()?,
        w,
    )
    .py_err()?;
    Ok(m.log_likelihood(&data))
}

/// BG/BB probability alive at the next opportunity and expected
/// transactions in the next `future` opportunities, per row.
#[pyfunction]
pub fn bgbb_predict<'py>(
    py: Python<'py>,
    params: Vec<f64>,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, u32>,
    opportunities: PyReadonlyArray1<'py, u32>,
    future: u32,
) -> PyResult<Pair<'py>> {
    let m = bg_bb(&params)?;
    let (x, tx, n) = (
        frequency.as_slice()?,
        recency.as_slice()?,
        opportunities.as_slice()?,
    );
    check_lengths(x.len(), &[("recency", tx.len()), ("n", n.len())])?;
    let (alive, expected) = py
        .detach(|| {
            let mut alive = Vec::with_capacity(x.len());
            let mut expected = Vec::with_capacity(x.len());
            for ((&x, &tx), &n) in x.iter().zip(tx).zip(n) {
                alive.push(m.probability_alive(x, tx, n)?);
                expected.push(m.expected_transactions(x, tx, n, future)?);
            }
            Ok((alive, expected))
        })
        .py_err()?;
    Ok((alive.into_pyarray(py), expected.into_pyarray(py)))
}

fn sbg(p: &[f64]) -> PyResult<SbgParams> {
    let [a, b] = params("sBG", p)?;
    SbgParams::new(a, b).py_err()
}

/// Fit sBG on survivor counts.
#[pyfunction]
#[pyo3(name = "fit_sbg", signature = (survivors, max_iterations=1000, tolerance=1e-9, penalizer=0.0))]
pub fn fit_sbg_py(
    py: Python<'_>,
    survivors: Vec<u64>,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
) -> PyResult<Bound<'_, PyDict>> {
    let opts = options(max_iterations, tolerance, penalizer);
    let fit = py
        .detach(|| fit_sbg(&SbgData::from_survivors(&survivors)?, &opts))
        .py_err()?;
    fit_dict(py, &fit, |p| vec![p.alpha, p.beta])
}

/// sBG survival S(t) and retention rate r(t) for t = 0..=periods
/// (r(0) is NaN: there is no period before the first).
#[pyfunction]
pub fn sbg_curves(py: Python<'_>, params: Vec<f64>, periods: u32) -> PyResult<Pair<'_>> {
    let m = sbg(&params)?;
    let survival: Vec<f64> = (0..=periods).map(|t| m.survival(t)).collect();
    let retention: Vec<f64> = (0..=periods)
        .map(|t| {
            if t == 0 {
                f64::NAN
            } else {
                m.retention_rate(t)
            }
        })
        .collect();
    Ok((survival.into_pyarray(py), retention.into_pyarray(py)))
}

/// sBG log-likelihood of survivor counts at given parameters.
#[pyfunction]
pub fn sbg_log_likelihood(params: Vec<f64>, survivors: Vec<u64>) -> PyResult<f64> {
    let m = sbg(&params)?;
    let data = SbgData::from_survivors(&survivors).py_err()?;
    Ok(m.log_likelihood(&data))
}

/// sBG discounted expected residual lifetime.
#[pyfunction]
pub fn sbg_derl(params: Vec<f64>, discount: f64, renewals: u32) -> PyResult<f64> {
    sbg(&params)?.derl(discount, renewals).py_err()
}
