//! Partial results of customer-disjoint parts of a log as native objects:
//! each class wraps one core type one to one, computes it from numpy
//! columns, merges a list of them with the core's `merge`, pickles through
//! the core type's serde form (JSON), and returns the finished table as the
//! same dict the single-machine function returns. No formula and no merge
//! lives in Python (docs/metrics.md, "Merging partial results").

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyType};
use retentionkit::cohort::{
    bracket_retention, cohort_matrix, BracketMatrix, CohortMatrix, CohortOptions,
};
use retentionkit::kpi::{kpi_series_between, KpiSeries};
use retentionkit::Error;

use crate::error::check_lengths;
use crate::error::{to_py, IntoPy};
use crate::log::LogArg;
use crate::tables::{bracket_dict, cohort_dict, granularity, kpi_rows, lookback};

/// The core value from its pickled (JSON) state.
fn from_state<T: serde::de::DeserializeOwned>(state: &[u8], what: &str) -> PyResult<T> {
    serde_json::from_slice(state).map_err(|e| {
        to_py(&Error::InvalidArgument {
            name: "state",
            reason: format!("not the pickled state of a {what}: {e}"),
        })
    })
}

/// The pickled (JSON) state of a core value.
fn to_state<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = serde_json::to_vec(value).map_err(|e| {
        to_py(&Error::InvalidArgument {
            name: "state",
            reason: format!("cannot serialize: {e}"),
        })
    })?;
    Ok(PyBytes::new(py, &bytes))
}

/// The KPI series of one part of a log over the whole log's periods: the
/// core's `KpiSeries`, whose counts add over customer-disjoint parts.
#[pyclass(frozen, module = "retentionkit._retentionkit")]
pub struct KpiPartial {
    series: KpiSeries,
}

#[pymethods]
impl KpiPartial {
    /// A partial from its pickled state (`bytes(partial)`, `__reduce__`).
    ///
    /// # Errors
    /// `InvalidArgumentError` for bytes that are not such a state.
    #[new]
    fn new(state: &[u8]) -> PyResult<Self> {
        Ok(Self {
            series: from_state(state, "KpiPartial")?,
        })
    }

    /// The state as bytes (JSON of the core's `KpiSeries`).
    fn __bytes__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        to_state(py, &self.series)
    }

    /// Pickled as the class called with its state.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, (Bound<'py, PyBytes>,))> {
        let state = to_state(slf.py(), &slf.get().series)?;
        Ok((slf.get_type(), (state,)))
    }

    /// The partials of customer-disjoint parts added (`KpiSeries::merge`).
    ///
    /// # Errors
    /// `IncompatibleError` when the parts cover different periods or
    /// look-backs, or only some have revenue; `EmptyError` for no parts.
    #[staticmethod]
    fn merge(py: Python<'_>, parts: Vec<PyRef<'_, KpiPartial>>) -> PyResult<Self> {
        let series: Vec<KpiSeries> = parts.iter().map(|p| p.series.clone()).collect();
        let merged = py.detach(|| KpiSeries::merge(&series)).py_err()?;
        Ok(Self { series: merged })
    }

    /// Number of periods.
    fn __len__(&self) -> usize {
        self.series.rows.len()
    }

    /// The KPI table: the dict of `kpi_series`, rates from the core's `KpiRow`.
    fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        kpi_rows(py, &self.series.rows)
    }
}

/// The KPI partial of one part of a log over the periods holding the whole
/// log's days `first_day..=last_day` (the core's `kpi_series_between`).
///
/// # Errors
/// The core's error for a bad log, day range or look-back.
#[pyfunction]
#[pyo3(signature = (log, granularity_name, first_day, last_day, lookback_days=None, lookback_months=None))]
pub fn kpi_partial<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    granularity_name: &str,
    first_day: i32,
    last_day: i32,
    lookback_days: Option<u32>,
    lookback_months: Option<u32>,
) -> PyResult<KpiPartial> {
    let g = granularity(granularity_name)?;
    let lb = lookback(lookback_days, lookback_months)?;
    let series = log.run(py, |log| {
        kpi_series_between(log, g, lb, first_day, last_day)
    })?;
    Ok(KpiPartial { series })
}

/// The cohort matrix of one part of a log at the whole log's observation
/// end: the core's `CohortMatrix`, whose cells add over customer-disjoint
/// parts.
#[pyclass(frozen, module = "retentionkit._retentionkit")]
pub struct CohortPartial {
    matrix: CohortMatrix,
}

#[pymethods]
impl CohortPartial {
    /// A partial from its pickled state (`bytes(partial)`, `__reduce__`).
    ///
    /// # Errors
    /// `InvalidArgumentError` for bytes that are not such a state.
    #[new]
    fn new(state: &[u8]) -> PyResult<Self> {
        Ok(Self {
            matrix: from_state(state, "CohortPartial")?,
        })
    }

    /// The state as bytes (JSON of the core's `CohortMatrix`).
    fn __bytes__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        to_state(py, &self.matrix)
    }

    /// Pickled as the class called with its state.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, (Bound<'py, PyBytes>,))> {
        let state = to_state(slf.py(), &slf.get().matrix)?;
        Ok((slf.get_type(), (state,)))
    }

    /// The partials of customer-disjoint parts added (`CohortMatrix::merge`).
    ///
    /// # Errors
    /// `IncompatibleError` when the granularities or observation ends
    /// differ, or only some have revenue; `EmptyError` for no parts.
    #[staticmethod]
    fn merge(py: Python<'_>, parts: Vec<PyRef<'_, CohortPartial>>) -> PyResult<Self> {
        let matrices: Vec<CohortMatrix> = parts.iter().map(|p| p.matrix.clone()).collect();
        let merged = py.detach(|| CohortMatrix::merge(&matrices)).py_err()?;
        Ok(Self { matrix: merged })
    }

    /// Number of cohorts.
    fn __len__(&self) -> usize {
        self.matrix.cohorts.len()
    }

    /// The cohort matrices: the dict of `cohort_matrix`.
    fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        cohort_dict(py, &self.matrix)
    }
}

/// The cohort partial of one part of a log at the whole log's observation
/// end (the core's `cohort_matrix`).
///
/// # Errors
/// The core's error for a bad log or granularity.
#[pyfunction]
#[pyo3(signature = (log, granularity_name, observation_end))]
pub fn cohort_partial<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    granularity_name: &str,
    observation_end: i32,
) -> PyResult<CohortPartial> {
    let options = CohortOptions {
        granularity: granularity(granularity_name)?,
        observation_end: Some(observation_end),
    };
    let matrix = log.run(py, |log| cohort_matrix(log, &options))?;
    Ok(CohortPartial { matrix })
}

/// The bracket retention of one part of a log at the whole log's
/// observation end: the core's `BracketMatrix`, whose counts add over
/// customer-disjoint parts.
#[pyclass(frozen, module = "retentionkit._retentionkit")]
pub struct BracketPartial {
    matrix: BracketMatrix,
}

#[pymethods]
impl BracketPartial {
    /// A partial from its pickled state (`bytes(partial)`, `__reduce__`).
    ///
    /// # Errors
    /// `InvalidArgumentError` for bytes that are not such a state.
    #[new]
    fn new(state: &[u8]) -> PyResult<Self> {
        Ok(Self {
            matrix: from_state(state, "BracketPartial")?,
        })
    }

    /// The state as bytes (JSON of the core's `BracketMatrix`).
    fn __bytes__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        to_state(py, &self.matrix)
    }

    /// Pickled as the class called with its state.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, (Bound<'py, PyBytes>,))> {
        let state = to_state(slf.py(), &slf.get().matrix)?;
        Ok((slf.get_type(), (state,)))
    }

    /// The partials of customer-disjoint parts added (`BracketMatrix::merge`).
    ///
    /// # Errors
    /// `IncompatibleError` when the granularities, observation ends or
    /// brackets differ; `EmptyError` for no parts.
    #[staticmethod]
    fn merge(py: Python<'_>, parts: Vec<PyRef<'_, BracketPartial>>) -> PyResult<Self> {
        let matrices: Vec<BracketMatrix> = parts.iter().map(|p| p.matrix.clone()).collect();
        let merged = py.detach(|| BracketMatrix::merge(&matrices)).py_err()?;
        Ok(Self { matrix: merged })
    }

    /// Number of cohorts.
    fn __len__(&self) -> usize {
        self.matrix.cohorts.len()
    }

    /// The bracket counts: the dict of `bracket_retention`.
    fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        bracket_dict(py, &self.matrix)
    }
}

/// The bracket partial of one part of a log at the whole log's observation
/// end (the core's `bracket_retention`).
///
/// # Errors
/// The core's error for a bad log, granularity or bracket.
#[pyfunction]
#[pyo3(signature = (log, granularity_name, starts, ends, observation_end))]
pub fn bracket_partial<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    granularity_name: &str,
    starts: Vec<u32>,
    ends: Vec<u32>,
    observation_end: i32,
) -> PyResult<BracketPartial> {
    check_lengths(starts.len(), &[("ends", ends.len())])?;
    let options = CohortOptions {
        granularity: granularity(granularity_name)?,
        observation_end: Some(observation_end),
    };
    let brackets: Vec<std::ops::Range<u32>> =
        starts.iter().zip(&ends).map(|(&s, &e)| s..e).collect();
    let matrix = log.run(py, |log| bracket_retention(log, &options, &brackets))?;
    Ok(BracketPartial { matrix })
}
