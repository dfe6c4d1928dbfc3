//! Subscriptions: the validated subscription log as a native object (the core
//! keeps its own compact copy of the rows, so it is validated once), its
//! point-in-time numbers, MRR movements, cohorts and lifetimes, and the merge
//! of movements computed on customer-disjoint parts.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::period::{Granularity, Period};
use retentionkit::revenue::{
    mrr_movements, mrr_series, subscription_cohorts, MrrMovements, MrrSeries,
    SubscriptionLog as CoreLog,
};
use retentionkit::Error;

use crate::error::{to_py, IntoPy};
use crate::log::Ids;
use crate::tables::{granularity, rate};

/// A validated subscription log (the Python class `retentionkit.SubscriptionLog` wraps it).
#[pyclass(frozen, module = "retentionkit._retentionkit")]
pub struct SubscriptionLog {
    log: CoreLog,
}

/// Ids and MRR of the active customers at one day.
type ByCustomer<'py> = (Bound<'py, PyArray1<u64>>, Bound<'py, PyArray1<f64>>);

#[pymethods]
impl SubscriptionLog {
    /// Validate the columns; `has_end[i]` is false for a subscription still running.
    #[new]
    fn new(
        py: Python<'_>,
        ids: Ids<'_>,
        start: PyReadonlyArray1<'_, i32>,
        end: PyReadonlyArray1<'_, i32>,
        has_end: PyReadonlyArray1<'_, bool>,
        mrr: PyReadonlyArray1<'_, f64>,
    ) -> PyResult<Self> {
        let ids = ids.as_u64()?;
        let (start, end, has_end, mrr) = (
            start.as_slice()?,
            end.as_slice()?,
            has_end.as_slice()?,
            mrr.as_slice()?,
        );
        if has_end.len() != end.len() {
            return Err(to_py(&Error::LengthMismatch {
                column: "end",
                expected: has_end.len(),
                got: end.len(),
            }));
        }
        let ends: Vec<Option<i32>> = end
            .iter()
            .zip(has_end)
            .map(|(&e, &h)| h.then_some(e))
            .collect();
        let log = py
            .detach(|| CoreLog::new(ids, start, &ends, mrr))
            .py_err()?;
        Ok(Self { log })
    }

    /// Number of rows (subscriptions).
    fn __len__(&self) -> usize {
        self.log.len()
    }

    /// Number of distinct customers.
    #[getter]
    fn num_customers(&self) -> usize {
        self.log.num_customers()
    }

    /// Earliest subscription start (day number).
    #[getter]
    fn first_day(&self) -> i32 {
        self.log.first_day()
    }

    /// Total MRR at day `t`.
    fn mrr_at(&self, t: i32) -> PyResult<f64> {
        self.log.mrr_at(t).py_err()
    }

    /// Customers with a subscription covering day `t`.
    fn active_customers_at(&self, t: i32) -> PyResult<u64> {
        self.log.active_customers_at(t).py_err()
    }

    /// MRR per active customer at day `t`.
    fn arpa_at(&self, t: i32) -> PyResult<f64> {
        self.log.arpa_at(t).py_err()
    }

    /// Each active customer's MRR at day `t`: (ids, mrr), ids increasing.
    fn mrr_by_customer_at<'py>(&self, py: Python<'py>, t: i32) -> PyResult<ByCustomer<'py>> {
        let per = py.detach(|| self.log.mrr_by_customer_at(t)).py_err()?;
        let (ids, mrr): (Vec<u64>, Vec<f64>) = per.into_iter().unzip();
        Ok((ids.into_pyarray(py), mrr.into_pyarray(py)))
    }

    /// MRR movements over `[start, end)`, as a dict of one-row arrays.
    fn mrr_movements<'py>(
        &self,
        py: Python<'py>,
        start: i32,
        end: i32,
    ) -> PyResult<Bound<'py, PyDict>> {
        let period = Period::new(start, end).py_err()?;
        let m = py.detach(|| mrr_movements(&self.log, period)).py_err()?;
        movements_dict(py, std::slice::from_ref(&m), None)
    }

    /// MRR movements of every period of a granularity from `first` to `last`.
    fn mrr_series<'py>(
        &self,
        py: Python<'py>,
        granularity_name: &str,
        first: i32,
        last: i32,
    ) -> PyResult<Bound<'py, PyDict>> {
        let g = granularity(granularity_name)?;
        let s = py
            .detach(|| mrr_series(&self.log, g, first, last))
            .py_err()?;
        movements_dict(py, &s.rows, Some(g))
    }

    /// Monthly subscription cohorts up to `observation_end`, as rectangular
    /// arrays with NaN where a month is not fully observed.
    fn cohorts<'py>(&self, py: Python<'py>, observation_end: i32) -> PyResult<Bound<'py, PyDict>> {
        let c = py
            .detach(|| subscription_cohorts(&self.log, observation_end))
            .py_err()?;
        let width = c.rows.iter().map(|r| r.active.len()).max().unwrap_or(0);
        // NaN marks a cell that is not (fully) observed; the ratios are the
        // core's (`retention`, `mrr_retention`), computed for observed cells.
        let mut active = vec![f64::NAN; c.rows.len() * width];
        let mut mrr = vec![f64::NAN; c.rows.len() * width];
        let mut fraction = vec![f64::NAN; c.rows.len() * width];
        let mut mrr_retention = vec![f64::NAN; c.rows.len() * width];
        // Cohorts with no MRR at the end of month 0: revenue retention is
        // undefined (the core's ZeroDenominator), so they have no row there.
        let mut without_mrr = Vec::new();
        for (i, row) in c.rows.iter().enumerate() {
            for (k, v) in row.active.iter().enumerate() {
                if let (Some(v), Some(cell)) = (v, active.get_mut(i * width + k)) {
                    #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
                    let v = *v as f64;
                    *cell = v;
                    fraction[i * width + k] = row.retention(k).py_err()?;
                }
            }
            for (k, v) in row.mrr.iter().enumerate() {
                if let (Some(v), Some(cell)) = (v, mrr.get_mut(i * width + k)) {
                    *cell = *v;
                    match row.mrr_retention(k) {
                        Ok(r) => mrr_retention[i * width + k] = r,
                        Err(Error::ZeroDenominator { .. }) => {}
                        Err(e) => return Err(e).py_err(),
                    }
                }
            }
            if row.mrr.first().copied().flatten() == Some(0.0) {
                without_mrr.push(i);
            }
        }
        let d = PyDict::new(py);
        d.set_item(
            "labels",
            c.rows.iter().map(|r| r.label.clone()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "sizes",
            c.rows
                .iter()
                .map(|r| r.size)
                .collect::<Vec<u64>>()
                .into_pyarray(py),
        )?;
        d.set_item("width", width)?;
        d.set_item("active", active.into_pyarray(py))?;
        d.set_item("mrr", mrr.into_pyarray(py))?;
        d.set_item("fraction", fraction.into_pyarray(py))?;
        d.set_item("mrr_retention", mrr_retention.into_pyarray(py))?;
        d.set_item("without_mrr", without_mrr)?;
        Ok(d)
    }

    /// Each customer's lifetime up to the first churn, censored at `observation_end`.
    fn lifetimes<'py>(
        &self,
        py: Python<'py>,
        observation_end: i32,
    ) -> PyResult<Bound<'py, PyDict>> {
        let l = py.detach(|| self.log.lifetimes(observation_end)).py_err()?;
        let d = PyDict::new(py);
        d.set_item("customer_id", l.customer_id.into_pyarray(py))?;
        d.set_item("first_start", l.first_start.into_pyarray(py))?;
        d.set_item("days", l.days.into_pyarray(py))?;
        d.set_item("churned", l.churned.into_pyarray(py))?;
        Ok(d)
    }
}

/// Rows of movements as columns: the period, the amounts, the counts and the
/// rates (NaN where the denominator is zero), and labels when the periods
/// are calendar periods of `granularity`.
fn movements_dict<'py>(
    py: Python<'py>,
    rows: &[MrrMovements],
    granularity: Option<Granularity>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    if let Some(g) = granularity {
        let labels: Vec<String> = rows
            .iter()
            .map(|r| g.label(g.index(r.period.start)))
            .collect();
        d.set_item("period", labels)?;
    }
    let days = |f: fn(&Period) -> i32| {
        rows.iter()
            .map(|r| f(&r.period))
            .collect::<Vec<i32>>()
            .into_pyarray(py)
    };
    d.set_item("start", days(|p| p.start))?;
    d.set_item("end", days(|p| p.end))?;
    // The names and fields are the core's (MrrMovements::AMOUNTS, COUNTS, RATES).
    for (name, get, _) in MrrMovements::AMOUNTS {
        let col: Vec<f64> = rows.iter().map(get).collect();
        d.set_item(name, col.into_pyarray(py))?;
    }
    for (name, get, _) in MrrMovements::COUNTS {
        let col: Vec<u64> = rows.iter().map(get).collect();
        d.set_item(name, col.into_pyarray(py))?;
    }
    for (name, f) in MrrMovements::RATES {
        let col: Vec<f64> = rows.iter().map(|r| rate(f(r))).collect();
        d.set_item(name, col.into_pyarray(py))?;
    }
    Ok(d)
}

/// The rows of one part (a dict of the columns of [`movements_dict`]).
fn movements_of(part: &Bound<'_, PyDict>) -> PyResult<Vec<MrrMovements>> {
    fn column<'py, T: numpy::Element + Copy>(
        part: &Bound<'py, PyDict>,
        name: &'static str,
        n: Option<usize>,
    ) -> PyResult<Vec<T>> {
        let Some(item) = part.get_item(name)? else {
            return Err(to_py(&Error::MissingColumn {
                column: name,
                needed_for: "merging MRR movements",
            }));
        };
        let arr: PyReadonlyArray1<'py, T> = item.extract()?;
        let values = arr.as_slice()?.to_vec();
        if let Some(expected) = n {
            if values.len() != expected {
                return Err(to_py(&Error::LengthMismatch {
                    column: name,
                    expected,
                    got: values.len(),
                }));
            }
        }
        Ok(values)
    }
    let start: Vec<i32> = column(part, "start", None)?;
    let n = Some(start.len());
    let end: Vec<i32> = column(part, "end", n)?;
    let mut rows = Vec::with_capacity(start.len());
    for (&s, &e) in start.iter().zip(&end) {
        rows.push(MrrMovements::empty(Period::new(s, e).py_err()?));
    }
    for (name, _, field) in MrrMovements::AMOUNTS {
        let values: Vec<f64> = column(part, name, n)?;
        if let Some(row) = values.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(to_py(&Error::InvalidValue {
                column: name,
                row,
                reason: format!("{} is not a finite non-negative MRR amount", values[row]),
            }));
        }
        for (r, v) in rows.iter_mut().zip(values) {
            *field(r) = v;
        }
    }
    for (name, _, field) in MrrMovements::COUNTS {
        let values: Vec<u64> = column(part, name, n)?;
        for (r, v) in rows.iter_mut().zip(values) {
            *field(r) = v;
        }
    }
    Ok(rows)
}

/// Merge MRR movements of customer-disjoint parts: one period each
/// (`granularity_name` None, [`MrrMovements::merge`]) or series of one
/// granularity ([`MrrSeries::merge`]).
#[pyfunction]
#[pyo3(signature = (parts, granularity_name=None))]
pub fn merge_mrr_movements<'py>(
    py: Python<'py>,
    parts: Vec<Bound<'py, PyDict>>,
    granularity_name: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let rows = parts
        .iter()
        .map(movements_of)
        .collect::<PyResult<Vec<_>>>()?;
    match granularity_name {
        None => {
            let mut single = Vec::with_capacity(rows.len());
            for (i, r) in rows.into_iter().enumerate() {
                let [m]: [MrrMovements; 1] = r.try_into().map_err(|r: Vec<MrrMovements>| {
                    to_py(&Error::Incompatible {
                        reason: format!(
                            "part {i} holds {} periods; merge one period's movements, or series with their granularity",
                            r.len()
                        ),
                    })
                })?;
                single.push(m);
            }
            let m = MrrMovements::merge(&single).py_err()?;
            movements_dict(py, std::slice::from_ref(&m), None)
        }
        Some(name) => {
            let g = granularity(name)?;
            let series: Vec<MrrSeries> = rows
                .into_iter()
                .map(|rows| MrrSeries {
                    granularity: g,
                    rows,
                })
                .collect();
            let merged = MrrSeries::merge(&series).py_err()?;
            movements_dict(py, &merged.rows, Some(g))
        }
    }
}

/// Simple subscription CLV: ARPA × gross margin / churn rate.
#[pyfunction]
pub fn subscription_clv(arpa: f64, gross_margin: f64, churn_rate: f64) -> PyResult<f64> {
    retentionkit::revenue::subscription_clv(arpa, gross_margin, churn_rate).py_err()
}

/// Discounted subscription CLV: margin × r / (1 + d − r).
#[pyfunction]
pub fn discounted_clv(margin: f64, retention: f64, discount: f64) -> PyResult<f64> {
    retentionkit::revenue::discounted_clv(margin, retention, discount).py_err()
}

/// Customer retention cost: spend per retained customer.
#[pyfunction]
pub fn retention_cost(spend: f64, retained: u64) -> PyResult<f64> {
    retentionkit::kpi::retention_cost(spend, retained).py_err()
}
