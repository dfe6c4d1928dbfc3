//! Choosing a model: the core's `models::choice` (the scorecard of several
//! repeat models on one calibration/holdout table, and the likelihood-ratio
//! test of nested fits).

use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use retentionkit::models::choice::{
    likelihood_ratio_test as core_lrt, scorecard_columns, HoldoutColumns, InformationCriteria,
    BEST_MODEL_RULE, SCORECARD_MODELS,
};
use retentionkit::models::repeat::RepeatKind;

use crate::error::IntoPy;
use crate::models::options;

/// The core's scorecard on calibration/holdout columns: one dict per model
/// (model, label, status, warning, params, names, log_likelihood,
/// parameters, observations, aic, bic, mae, rmse, bias and `by_frequency`
/// columns), `best` and the `rule` that chose it. `models` `None` is the
/// core's default list.
#[pyfunction]
#[pyo3(signature = (frequency, recency, age, frequency_holdout, duration_holdout, models=None, max_iterations=1000, tolerance=1e-9, penalizer=0.0))]
#[allow(clippy::too_many_arguments)] // the table's five columns, the models and the fit options
pub fn scorecard<'py>(
    py: Python<'py>,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    frequency_holdout: PyReadonlyArray1<'py, u32>,
    duration_holdout: f64,
    models: Option<Vec<String>>,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let kinds: Vec<RepeatKind> = match models {
        None => SCORECARD_MODELS.to_vec(),
        Some(names) => names
            .iter()
            .map(|n| n.parse().py_err())
            .collect::<PyResult<_>>()?,
    };
    let table = HoldoutColumns {
        frequency: frequency.as_slice()?,
        recency: recency.as_slice()?,
        age: age.as_slice()?,
        frequency_holdout: frequency_holdout.as_slice()?,
        duration_holdout,
    };
    let opts = options(max_iterations, tolerance, penalizer);
    let card = py
        .detach(|| scorecard_columns(&table, &kinds, &opts))
        .py_err()?;
    let rows = PyList::empty(py);
    for r in &card.rows {
        let d = PyDict::new(py);
        d.set_item("model", r.model.as_str())?;
        d.set_item("label", r.model.label())?;
        d.set_item("status", r.status.as_str())?;
        d.set_item("warning", r.status.warning())?;
        d.set_item("names", r.model.parameter_names().to_vec())?;
        d.set_item("params", r.params.values().to_vec())?;
        let ic = &r.criteria;
        d.set_item("log_likelihood", ic.log_likelihood)?;
        d.set_item("parameters", ic.parameters)?;
        d.set_item("observations", ic.observations)?;
        d.set_item("aic", ic.aic)?;
        d.set_item("bic", ic.bic)?;
        d.set_item("mae", r.mae)?;
        d.set_item("rmse", r.rmse)?;
        d.set_item("bias", r.bias)?;
        let by = PyDict::new(py);
        let f = &r.by_frequency;
        by.set_item(
            "frequency",
            f.iter()
                .map(|x| x.frequency)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        by.set_item(
            "customers",
            f.iter()
                .map(|x| x.customers)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        by.set_item(
            "mean_actual",
            f.iter()
                .map(|x| x.mean_actual)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        by.set_item(
            "mean_predicted",
            f.iter()
                .map(|x| x.mean_predicted)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        d.set_item("by_frequency", by)?;
        rows.append(d)?;
    }
    let out = PyDict::new(py);
    out.set_item("rows", rows)?;
    out.set_item("best", card.best.map(RepeatKind::as_str))?;
    out.set_item("rule", BEST_MODEL_RULE)?;
    Ok(out)
}

/// The core's likelihood-ratio test of a restricted model nested in a full
/// one, each given as (log-likelihood, free parameters, observations).
#[pyfunction]
#[pyo3(signature = (full, restricted, boundary=false))]
pub fn likelihood_ratio_test(
    py: Python<'_>,
    full: (f64, usize, f64),
    restricted: (f64, usize, f64),
    boundary: bool,
) -> PyResult<Bound<'_, PyDict>> {
    let ic = |(ll, k, n): (f64, usize, f64)| InformationCriteria::new(ll, k, n);
    let t = core_lrt(&ic(full), &ic(restricted), boundary).py_err()?;
    let d = PyDict::new(py);
    d.set_item("statistic", t.statistic)?;
    d.set_item("degrees_of_freedom", t.degrees_of_freedom)?;
    d.set_item("p_value", t.p_value)?;
    d.set_item("boundary", t.boundary)?;
    Ok(d)
}
