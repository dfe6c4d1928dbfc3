//! Transaction-log functions: each takes the kept, validated [`Log`], the
//! core runs with the GIL released, and the results go back
//! as dicts of numpy arrays that the Python layer turns into DataFrames.

use numpy::{IntoPyArray, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::cohort::{
    bracket_retention as core_bracket_retention, cohort_matrix as core_cohort_matrix,
    BracketMatrix, CohortMatrix, CohortOptions,
};
use retentionkit::kpi::{
    kpi_series as core_kpi_series, period_kpis as core_period_kpis, KpiRates, KpiRow,
};
use retentionkit::period::{Granularity, Lookback, Period};
use retentionkit::rfm::Rfm;
use retentionkit::summary::{
    calibration_holdout_with, summary_columns as core_summary_columns, HoldoutSpend,
    SummaryColumns, SummaryOptions, TimeUnit,
};

use crate::error::{check_lengths, invalid_argument, IntoPy};
use crate::log::{Ids, LogArg};

/// A granularity from its name.
///
/// # Errors
/// `InvalidArgumentError` for an unknown name.
pub fn granularity(name: &str) -> PyResult<Granularity> {
    name.parse().py_err()
}

/// A time unit from its name.
///
/// # Errors
/// `InvalidArgumentError` for an unknown name.
pub fn unit(name: &str) -> PyResult<TimeUnit> {
    name.parse().py_err()
}

pub fn lookback(days: Option<u32>, months: Option<u32>) -> PyResult<Lookback> {
    match (days, months) {
        (Some(_), Some(_)) => Err(invalid_argument(
            "lookback_days",
            "give lookback_days or lookback_months, not both",
        )),
        (Some(d), None) => Ok(Lookback::Days(d)),
        (None, Some(m)) => Ok(Lookback::Months(m)),
        (None, None) => Ok(Lookback::default()),
    }
}

/// A ratio for a table cell: NaN when undefined.
pub fn rate(x: retentionkit::Result<f64>) -> f64 {
    // In a table an undefined ratio (zero denominator) is a missing cell.
    x.unwrap_or(f64::NAN)
}

/// The `period` (labels), `start` and `end` (day numbers) columns of a
/// table of periods.
pub fn set_periods<'a>(
    d: &Bound<'_, PyDict>,
    rows: impl Iterator<Item = (&'a String, Period)> + Clone,
) -> PyResult<()> {
    let py = d.py();
    d.set_item(
        "period",
        rows.clone().map(|r| r.0.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "start",
        rows.clone()
            .map(|r| r.1.start)
            .collect::<Vec<i32>>()
            .into_pyarray(py),
    )?;
    d.set_item(
        "end",
        rows.map(|r| r.1.end).collect::<Vec<i32>>().into_pyarray(py),
    )?;
    Ok(())
}

pub fn kpi_rows<'py>(py: Python<'py>, rows: &[KpiRow]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let col_u = |f: fn(&KpiRow) -> u64| rows.iter().map(f).collect::<Vec<u64>>().into_pyarray(py);
    let col_f = |f: fn(&KpiRow) -> f64| rows.iter().map(f).collect::<Vec<f64>>().into_pyarray(py);
    set_periods(&d, rows.iter().map(|r| (&r.label, r.period)))?;
    d.set_item(
        "complete",
        rows.iter()
            .map(|r| r.complete)
            .collect::<Vec<bool>>()
            .into_pyarray(py),
    )?;
    for (name, count) in KpiRow::COUNTS {
        d.set_item(name, col_u(count))?;
    }
    d.set_item("revenue", col_f(|r| r.revenue.unwrap_or(f64::NAN)))?;
    // The rates' names and values from the core (NaN where not defined).
    let rates: Vec<_> = rows.iter().map(|r| r.rates().named()).collect();
    for (i, (name, _)) in KpiRates::default().named().into_iter().enumerate() {
        let col: Vec<f64> = rates.iter().map(|r| r[i].1.unwrap_or(f64::NAN)).collect();
        d.set_item(name, col.into_pyarray(py))?;
    }
    Ok(d)
}

/// KPIs of every period of the log.
#[pyfunction]
#[pyo3(signature = (log, granularity_name, lookback_days=None, lookback_months=None))]
pub fn kpi_series<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    granularity_name: &str,
    lookback_days: Option<u32>,
    lookback_months: Option<u32>,
) -> PyResult<Bound<'py, PyDict>> {
    let g = granularity(granularity_name)?;
    let lb = lookback(lookback_days, lookback_months)?;
    let series = log.run(py, |log| core_kpi_series(log, g, lb))?;
    kpi_rows(py, &series.rows)
}

/// KPIs of one period `[start, end)`.
#[pyfunction]
#[pyo3(signature = (log, start, end, lookback_days=None, lookback_months=None))]
pub fn period_kpis<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    start: i32,
    end: i32,
    lookback_days: Option<u32>,
    lookback_months: Option<u32>,
) -> PyResult<Bound<'py, PyDict>> {
    let lb = lookback(lookback_days, lookback_months)?;
    let period = Period::new(start, end).py_err()?;
    let row = log.run(py, |log| core_period_kpis(log, period, lb))?;
    kpi_rows(py, &[row])
}

/// The cohort matrices as rectangular arrays, NaN where a cell is not observed.
#[pyfunction]
#[pyo3(signature = (log, granularity_name, observation_end=None))]
pub fn cohort_matrix<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    granularity_name: &str,
    observation_end: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let options = CohortOptions::default()
        .with_granularity(granularity(granularity_name)?)
        .with_observation_end(observation_end);
    let m = log.run(py, |log| core_cohort_matrix(log, &options))?;
    cohort_dict(py, &m)
}

/// The dict of `cohort_matrix` for a core matrix: rectangular arrays, NaN
/// where a cell is not observed.
pub fn cohort_dict<'py>(py: Python<'py>, m: &CohortMatrix) -> PyResult<Bound<'py, PyDict>> {
    let width = m.active.iter().map(Vec::len).max().unwrap_or(0);
    let rect_u = |rows: &[Vec<u64>]| {
        let mut out = vec![f64::NAN; rows.len() * width];
        for (c, row) in rows.iter().enumerate() {
            for (k, v) in row.iter().enumerate() {
                out[c * width + k] = *v as f64;
            }
        }
        out
    };
    let d = PyDict::new(py);
    d.set_item("labels", m.labels.clone())?;
    d.set_item("cohorts", m.cohorts.clone().into_pyarray(py))?;
    d.set_item("sizes", m.sizes.clone().into_pyarray(py))?;
    d.set_item("width", width)?;
    d.set_item("active", rect_u(&m.active).into_pyarray(py))?;
    d.set_item("unbounded", rect_u(&m.unbounded).into_pyarray(py))?;
    if let Some(rev) = &m.revenue {
        let mut out = vec![f64::NAN; rev.len() * width];
        for (c, row) in rev.iter().enumerate() {
            for (k, v) in row.iter().enumerate() {
                out[c * width + k] = *v;
            }
        }
        d.set_item("revenue", out.into_pyarray(py))?;
    } else {
        d.set_item("revenue", py.None())?;
    }
    d.set_item("observation_end", m.observation_end)?;
    d.set_item("last_period_complete", m.last_period_complete)?;
    Ok(d)
}

/// Bracket retention as a rectangular `(cohorts, brackets)` block of counts,
/// NaN where a bracket's first period is not observed, and the partial flags
/// (`BracketMatrix::is_partial`, true for those NaN cells too).
#[pyfunction]
#[pyo3(signature = (log, granularity_name, starts, ends, observation_end=None))]
pub fn bracket_retention<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    granularity_name: &str,
    starts: Vec<u32>,
    ends: Vec<u32>,
    observation_end: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    check_lengths(starts.len(), &[("ends", ends.len())])?;
    let options = CohortOptions::default()
        .with_granularity(granularity(granularity_name)?)
        .with_observation_end(observation_end);
    let brackets: Vec<std::ops::Range<u32>> =
        starts.iter().zip(&ends).map(|(&s, &e)| s..e).collect();
    let m = log.run(py, |log| core_bracket_retention(log, &options, &brackets))?;
    bracket_dict(py, &m)
}

/// The dict of `bracket_retention` for a core matrix, with the brackets'
/// `starts` and `ends`.
pub fn bracket_dict<'py>(py: Python<'py>, m: &BracketMatrix) -> PyResult<Bound<'py, PyDict>> {
    let nb = m.brackets.len();
    let mut counts = vec![f64::NAN; m.counts.len() * nb];
    let mut partial = vec![false; m.counts.len() * nb];
    for (c, row) in m.counts.iter().enumerate() {
        for (b, &v) in row.iter().enumerate() {
            counts[c * nb + b] = v as f64;
        }
        for b in 0..nb {
            partial[c * nb + b] = m.is_partial(c, b);
        }
    }
    let d = PyDict::new(py);
    d.set_item("cohorts", m.cohorts.clone().into_pyarray(py))?;
    d.set_item("labels", m.labels.clone())?;
    d.set_item("sizes", m.sizes.clone().into_pyarray(py))?;
    d.set_item("counts", counts.into_pyarray(py))?;
    d.set_item("partial", partial.into_pyarray(py))?;
    d.set_item(
        "starts",
        m.brackets.iter().map(|b| b.start).collect::<Vec<u32>>(),
    )?;
    d.set_item(
        "ends",
        m.brackets.iter().map(|b| b.end).collect::<Vec<u32>>(),
    )?;
    d.set_item("last_period_complete", m.last_period_complete)?;
    Ok(d)
}

/// A summary for Python: `values`, the `(k, n)` float block of
/// [`SummaryColumns`] (a reshaped view, no copy: one pandas block), and
/// `customer_id` and `observation_end`.
pub fn summary_dict(py: Python<'_>, s: SummaryColumns) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    let (n, k) = (s.len(), s.names().len());
    d.set_item("values", s.values.into_pyarray(py).reshape([k, n])?)?;
    d.set_item("customer_id", s.customer_id.into_pyarray(py))?;
    d.set_item("observation_end", s.observation_end)?;
    Ok(d)
}

/// The per-customer BTYD summary.
#[pyfunction]
#[pyo3(signature = (log, unit_name, observation_end=None))]
pub fn summary<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    unit_name: &str,
    observation_end: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let options = SummaryOptions::default()
        .with_observation_end(observation_end)
        .with_unit(unit(unit_name)?);
    let s = log.run(py, |log| core_summary_columns(log, &options))?;
    summary_dict(py, s)
}

/// The calibration summary and holdout counts.
#[pyfunction]
#[pyo3(signature = (log, calibration_end, observation_end, unit_name, holdout_spend = "per_day"))]
pub fn calibration_holdout<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    calibration_end: i32,
    observation_end: Option<i32>,
    unit_name: &str,
    holdout_spend: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let u = unit(unit_name)?;
    let spend: HoldoutSpend = holdout_spend.parse().py_err()?;
    let (ch, columns) = log.run(py, |log| {
        let ch = calibration_holdout_with(log, calibration_end, observation_end, u, spend)?;
        let columns = SummaryColumns::from(&ch.calibration);
        Ok((ch, columns))
    })?;
    let d = summary_dict(py, columns)?;
    d.set_item("frequency_holdout", ch.frequency_holdout.into_pyarray(py))?;
    match ch.monetary_value_holdout {
        Some(m) => d.set_item("monetary_value_holdout", m.into_pyarray(py))?,
        None => d.set_item("monetary_value_holdout", py.None())?,
    }
    d.set_item("duration_holdout", ch.duration_holdout)?;
    Ok(d)
}

/// RFM scores and segments.
#[pyfunction]
#[pyo3(signature = (log, observation_end=None))]
pub fn rfm<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    observation_end: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let r = log.run(py, |log| retentionkit::rfm::rfm(log, observation_end))?;
    rfm_dict(py, r)
}

fn rfm_dict(py: Python<'_>, r: Rfm) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    let segments: Vec<&str> = r.segment.iter().map(|s| s.name()).collect();
    d.set_item("segment", segments)?;
    d.set_item("customer_id", r.customer_id.into_pyarray(py))?;
    d.set_item("recency_days", r.recency_days.into_pyarray(py))?;
    d.set_item("orders", r.orders.into_pyarray(py))?;
    match r.spend {
        Some(m) => d.set_item("spend", m.into_pyarray(py))?,
        None => d.set_item("spend", py.None())?,
    }
    d.set_item("r_score", r.r_score.into_pyarray(py))?;
    d.set_item("f_score", r.f_score.into_pyarray(py))?;
    match r.m_score {
        Some(m) => d.set_item("m_score", m.into_pyarray(py))?,
        None => d.set_item("m_score", py.None())?,
    }
    d.set_item("observation_end", r.observation_end)?;
    Ok(d)
}

/// RFM values of customer-disjoint parts merged and scored as one table.
#[pyfunction]
pub fn merge_rfm<'py>(
    py: Python<'py>,
    customer_id: Vec<Ids<'py>>,
    recency_days: Vec<PyReadonlyArray1<'py, i32>>,
    orders: Vec<PyReadonlyArray1<'py, u64>>,
    spend: Vec<Option<PyReadonlyArray1<'py, f64>>>,
    observation_end: Vec<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let n = customer_id.len();
    check_lengths(
        n,
        &[
            ("recency_days", recency_days.len()),
            ("orders", orders.len()),
            ("spend", spend.len()),
            ("observation_end", observation_end.len()),
        ],
    )?;
    let mut parts = Vec::with_capacity(n);
    for ((((ids, rec), ord), sp), &end) in customer_id
        .iter()
        .zip(&recency_days)
        .zip(&orders)
        .zip(&spend)
        .zip(&observation_end)
    {
        let sp = match sp {
            Some(a) => Some(a.as_slice()?),
            None => None,
        };
        parts.push(
            Rfm::from_values(ids.as_u64()?, rec.as_slice()?, ord.as_slice()?, sp, end).py_err()?,
        );
    }
    let merged = py.detach(|| Rfm::merge(&parts)).py_err()?;
    rfm_dict(py, merged)
}

/// Parse an ISO date (`YYYY-MM-DD`) into days since 1970-01-01.
#[pyfunction]
pub fn parse_day(text: &str) -> PyResult<i32> {
    retentionkit::period::parse_day(text).py_err()
}

/// Customer retention rate (E − N) / S.
#[pyfunction]
pub fn retention_rate(start: u64, end: u64, acquired: u64) -> PyResult<f64> {
    retentionkit::kpi::retention_rate(start, end, acquired).py_err()
}

/// Churn rate 1 − retained / S.
#[pyfunction]
pub fn churn_rate(start: u64, retained: u64) -> PyResult<f64> {
    retentionkit::kpi::churn_rate(start, retained).py_err()
}

/// Repeat customer rate: repeat customers over active customers.
#[pyfunction]
pub fn repeat_customer_rate(active: u64, repeat: u64) -> PyResult<f64> {
    retentionkit::kpi::repeat_customer_rate(active, repeat).py_err()
}

/// Average order value: revenue over orders.
#[pyfunction]
pub fn average_order_value(revenue: f64, orders: u64) -> PyResult<f64> {
    retentionkit::kpi::average_order_value(revenue, orders).py_err()
}
