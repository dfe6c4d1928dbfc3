//! Survey scores (NPS, CSAT, thumbs): overall, per period and per acquisition cohort.

use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::survey::{PeriodScore, Scale, Score, SurveyLog};

use crate::error::{invalid_argument, IntoPy};
use crate::log::{Ids, LogArg};
use crate::tables::{granularity, set_periods};

/// A scale from its name (`csat_max` and `satisfied_from` only for CSAT).
///
/// # Errors
/// `InvalidArgumentError` for an unknown name.
fn scale(name: &str, csat_max: u8, satisfied_from: u8) -> PyResult<Scale> {
    match name {
        "nps" => Ok(Scale::Nps),
        "csat" => Ok(Scale::Csat {
            max: csat_max,
            satisfied_from,
        }),
        "thumbs" => Ok(Scale::Thumbs),
        _ => Err(invalid_argument(
            "scale",
            format!("{name:?} is not one of 'nps', 'csat', 'thumbs'"),
        )),
    }
}

fn score_dict<'py>(py: Python<'py>, s: &Score) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("responses", s.responses)?;
    d.set_item("positive", s.positive)?;
    d.set_item("neutral", s.neutral)?;
    d.set_item("negative", s.negative)?;
    d.set_item("value", s.value)?;
    d.set_item("standard_error", s.standard_error)?;
    d.set_item("lower", s.lower)?;
    d.set_item("upper", s.upper)?;
    Ok(d)
}

fn scores_dict<'py>(py: Python<'py>, rows: &[PeriodScore]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let u = |f: fn(&Score) -> u64| {
        rows.iter()
            .map(|r| f(&r.score))
            .collect::<Vec<u64>>()
            .into_pyarray(py)
    };
    let x = |f: fn(&Score) -> f64| {
        rows.iter()
            .map(|r| f(&r.score))
            .collect::<Vec<f64>>()
            .into_pyarray(py)
    };
    set_periods(&d, rows.iter().map(|r| (&r.label, r.period)))?;
    d.set_item("responses", u(|s| s.responses))?;
    d.set_item("positive", u(|s| s.positive))?;
    d.set_item("neutral", u(|s| s.neutral))?;
    d.set_item("negative", u(|s| s.negative))?;
    d.set_item("value", x(|s| s.value))?;
    d.set_item("standard_error", x(|s| s.standard_error))?;
    d.set_item("lower", x(|s| s.lower))?;
    d.set_item("upper", x(|s| s.upper))?;
    Ok(d)
}

/// The score of all responses.
#[pyfunction]
#[pyo3(signature = (days, scores, scale_name, csat_max=5, satisfied_from=4))]
pub fn survey_score<'py>(
    py: Python<'py>,
    days: PyReadonlyArray1<'py, i32>,
    scores: PyReadonlyArray1<'py, u8>,
    scale_name: &str,
    csat_max: u8,
    satisfied_from: u8,
) -> PyResult<Bound<'py, PyDict>> {
    let sc = scale(scale_name, csat_max, satisfied_from)?;
    let (d, s) = (days.as_slice()?, scores.as_slice()?);
    let score = py
        .detach(|| Ok(SurveyLog::new(None, d, s, sc)?.score()))
        .py_err()?;
    score_dict(py, &score)
}

/// The score of the responses of each calendar period.
#[pyfunction]
#[pyo3(signature = (days, scores, scale_name, granularity_name, csat_max=5, satisfied_from=4))]
pub fn survey_by_period<'py>(
    py: Python<'py>,
    days: PyReadonlyArray1<'py, i32>,
    scores: PyReadonlyArray1<'py, u8>,
    scale_name: &str,
    granularity_name: &str,
    csat_max: u8,
    satisfied_from: u8,
) -> PyResult<Bound<'py, PyDict>> {
    let sc = scale(scale_name, csat_max, satisfied_from)?;
    let g = granularity(granularity_name)?;
    let (d, s) = (days.as_slice()?, scores.as_slice()?);
    let rows = py
        .detach(|| SurveyLog::new(None, d, s, sc)?.by_period(g))
        .py_err()?;
    scores_dict(py, &rows)
}

/// The score of the responses of each acquisition cohort of a transaction log.
#[pyfunction]
#[pyo3(signature = (ids, days, scores, scale_name, log, granularity_name, csat_max=5, satisfied_from=4))]
#[allow(clippy::too_many_arguments)] // the survey's three columns, its scale, the orders' log
pub fn survey_by_cohort<'py>(
    py: Python<'py>,
    ids: Ids<'py>,
    days: PyReadonlyArray1<'py, i32>,
    scores: PyReadonlyArray1<'py, u8>,
    scale_name: &str,
    log: LogArg<'py>,
    granularity_name: &str,
    csat_max: u8,
    satisfied_from: u8,
) -> PyResult<Bound<'py, PyDict>> {
    let sc = scale(scale_name, csat_max, satisfied_from)?;
    let g = granularity(granularity_name)?;
    let (i, d, s) = (ids.as_u64()?, days.as_slice()?, scores.as_slice()?);
    let rows = log.run(py, |log| {
        SurveyLog::new(Some(i), d, s, sc)?.by_cohort(log, g)
    })?;
    scores_dict(py, &rows)
}
