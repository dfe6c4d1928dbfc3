//! Partial results of customer-disjoint parts of a log as native objects:
//! each class wraps one core type one to one (the summary partial: the
//! core's `Summary`, or `KeyedSummary` for string ids), computes it from numpy
//! columns, merges a list of them with the core's `merge`, pickles through
//! the core type's serde form (JSON), and returns the finished table as the
//! same dict the single-machine function returns. No formula and no merge
//! lives in Python (docs/metrics.md, "Merging partial results").

use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyType};
use retentionkit::cohort::{
    bracket_retention, cohort_matrix, BracketMatrix, CohortMatrix, CohortOptions,
};
use retentionkit::kpi::{kpi_series_between, KpiSeries};
use retentionkit::lifecycle::{lifecycle_between, Lifecycle};
use retentionkit::summary::{
    summary as core_summary, CompressedSpend, CompressedSummary, KeyedSummary, Summary,
    SummaryColumns, SummaryOptions,
};
use retentionkit::Error;

use crate::error::check_lengths;
use crate::error::{to_py, IntoPy};
use crate::log::LogArg;
use crate::tables::{
    bracket_dict, cohort_dict, granularity, kpi_rows, lookback, summary_dict, unit,
};

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

/// A picklable class of partial results that wraps the core value `$field:
/// $core` one to one: the struct, and its `#[pymethods]` with the three every
/// partial has (`__new__` from the pickled state, `__bytes__` and
/// `__reduce__`, through the core type's serde form) and the class's own.
macro_rules! partial_class {
    (
        $(#[$doc:meta])*
        $name:ident { $field:ident: $core:ty }
        methods { $($methods:tt)* }
    ) => {
        $(#[$doc])*
        #[pyclass(frozen, module = "retentionkit._retentionkit")]
        pub struct $name {
            $field: $core,
        }

        #[pymethods]
        impl $name {
            /// A partial from its pickled state (`bytes(partial)`, `__reduce__`).
            ///
            /// # Errors
            /// `InvalidArgumentError` for bytes that are not such a state.
            #[new]
            fn new(state: &[u8]) -> PyResult<Self> {
                Ok(Self {
                    $field: from_state(state, stringify!($name))?,
                })
            }

            /// The state as bytes (JSON of the core value).
            fn __bytes__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
                to_state(py, &self.$field)
            }

            /// Pickled as the class called with its state.
            fn __reduce__<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<(Bound<'py, PyType>, (Bound<'py, PyBytes>,))> {
                let state = to_state(slf.py(), &slf.get().$field)?;
                Ok((slf.get_type(), (state,)))
            }

            $($methods)*
        }
    };
}

partial_class! {
    /// The KPI series of one part of a log over the whole log's periods: the
    /// core's `KpiSeries`, whose counts add over customer-disjoint parts.
    KpiPartial { series: KpiSeries }
    methods {
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

partial_class! {
    /// The lifecycle of one part of a log over the whole log's periods: the
    /// core's `Lifecycle`, whose counts add over customer-disjoint parts
    /// that each hold all of their customers' orders.
    LifecyclePartial { lifecycle: Lifecycle }
    methods {
        /// The partials of customer-disjoint parts added (`Lifecycle::merge`).
        ///
        /// # Errors
        /// `IncompatibleError` when the parts cover different periods;
        /// `EmptyError` for no parts.
        #[staticmethod]
        fn merge(py: Python<'_>, parts: Vec<PyRef<'_, LifecyclePartial>>) -> PyResult<Self> {
            let all: Vec<Lifecycle> = parts.iter().map(|p| p.lifecycle.clone()).collect();
            let merged = py.detach(|| Lifecycle::merge(&all)).py_err()?;
            Ok(Self { lifecycle: merged })
        }

        /// Number of periods.
        fn __len__(&self) -> usize {
            self.lifecycle.rows.len()
        }

        /// The lifecycle table: the dict of `lifecycle`.
        fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            crate::lifecycle::lifecycle_rows(py, &self.lifecycle.rows)
        }
    }
}

/// The lifecycle partial of one part of a log over the periods holding the
/// whole log's days `first_day..=last_day` (the core's `lifecycle_between`).
///
/// # Errors
/// The core's error for a bad log or day range.
#[pyfunction]
pub fn lifecycle_partial<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    granularity_name: &str,
    first_day: i32,
    last_day: i32,
) -> PyResult<LifecyclePartial> {
    let g = granularity(granularity_name)?;
    let lifecycle = log.run(py, |log| lifecycle_between(log, g, first_day, last_day))?;
    Ok(LifecyclePartial { lifecycle })
}

partial_class! {
    /// The cohort matrix of one part of a log at the whole log's observation
    /// end: the core's `CohortMatrix`, whose cells add over customer-disjoint
    /// parts.
    CohortPartial { matrix: CohortMatrix }
    methods {
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
    let options = CohortOptions::default()
        .with_granularity(granularity(granularity_name)?)
        .with_observation_end(Some(observation_end));
    let matrix = log.run(py, |log| cohort_matrix(log, &options))?;
    Ok(CohortPartial { matrix })
}

partial_class! {
    /// The bracket retention of one part of a log at the whole log's
    /// observation end: the core's `BracketMatrix`, whose counts add over
    /// customer-disjoint parts.
    BracketPartial { matrix: BracketMatrix }
    methods {
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
    let options = CohortOptions::default()
        .with_granularity(granularity(granularity_name)?)
        .with_observation_end(Some(observation_end));
    let brackets: Vec<std::ops::Range<u32>> =
        starts.iter().zip(&ends).map(|(&s, &e)| s..e).collect();
    let matrix = log.run(py, |log| bracket_retention(log, &options, &brackets))?;
    Ok(BracketPartial { matrix })
}

/// The core summary of one part, its customers named by integer ids (the
/// same customer in every part: the core's `Summary`) or by string ids coded
/// per part (the core's `KeyedSummary<String>`). The serde form of the
/// pickled state.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum PartSummary {
    /// Integer ids.
    Ids(Summary),
    /// String ids: the summary's ids index the keys.
    Keys(KeyedSummary<String>),
}

impl PartSummary {
    fn summary(&self) -> &Summary {
        match self {
            PartSummary::Ids(s) => s,
            PartSummary::Keys(k) => &k.summary,
        }
    }
}

partial_class! {
    /// The per-customer summary of one part of a log at the whole log's
    /// observation end: the core's `Summary` (integer ids) or `KeyedSummary`
    /// (string ids, coded per part), merged by the core, by id or by key.
    SummaryPartial { summary: PartSummary }
    methods {
        /// The summaries of customer-disjoint parts merged, sorted by customer
        /// id (`Summary::merge`, or `KeyedSummary::merge` for string ids).
        ///
        /// # Errors
        /// `IncompatibleError` when the parts differ in observation end, unit or
        /// amounts, share a customer (named in the message), or some have
        /// integer ids and some string ids; `EmptyError` for no parts.
        #[staticmethod]
        fn merge(py: Python<'_>, parts: Vec<PyRef<'_, SummaryPartial>>) -> PyResult<Self> {
            let mut ids = Vec::new();
            let mut keyed = Vec::new();
            for p in &parts {
                match &p.summary {
                    PartSummary::Ids(s) => ids.push(s.clone()),
                    PartSummary::Keys(k) => keyed.push(k.clone()),
                }
            }
            let merged = py
                .detach(|| match (ids.is_empty(), keyed.is_empty()) {
                    (_, true) => Summary::merge(&ids).map(PartSummary::Ids),
                    (true, false) => KeyedSummary::merge(&keyed).map(PartSummary::Keys),
                    (false, false) => Err(Error::Incompatible {
                        reason: "some parts have integer customer ids and some string ids".into(),
                    }),
                })
                .py_err()?;
            Ok(Self { summary: merged })
        }

        /// Number of customers.
        fn __len__(&self) -> usize {
            self.summary.summary().len()
        }

        /// The summary: the dict of `summary` (`values`, `customer_id`,
        /// `observation_end`) with `labels`, the string ids that `customer_id`
        /// indexes (None for integer ids), and `unit`, the unit's name.
        fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            let s = self.summary.summary();
            let d = summary_dict(py, SummaryColumns::from(s))?;
            match &self.summary {
                PartSummary::Ids(_) => d.set_item("labels", py.None())?,
                PartSummary::Keys(k) => d.set_item("labels", k.keys.clone())?,
            }
            d.set_item("unit", s.unit.as_str())?;
            Ok(d)
        }

        /// The compressed (x, t_x, T) table of these customers (`Summary::compress`).
        fn compress(&self) -> CompressedPartial {
            CompressedPartial {
                table: self.summary.summary().compress(),
            }
        }

        /// The compressed (x, m) table of these customers (`Summary::compress_spend`).
        ///
        /// # Errors
        /// `MissingColumnError` when the log has no amounts.
        fn compress_spend(&self) -> PyResult<CompressedSpendPartial> {
            Ok(CompressedSpendPartial {
                table: self.summary.summary().compress_spend().py_err()?,
            })
        }
    }
}

/// The summary partial of one part of a log at the whole log's observation
/// end (the core's `summary`). With `labels`, the log's ids are indices into them
/// (string ids coded per part) and the partial is keyed by the labels.
///
/// # Errors
/// The core's error for a bad log, unit or observation end, or an id that
/// is not an index into `labels`.
#[pyfunction]
#[pyo3(signature = (log, labels, unit_name, observation_end))]
pub fn summary_partial<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    labels: Option<Vec<String>>,
    unit_name: &str,
    observation_end: i32,
) -> PyResult<SummaryPartial> {
    let options = SummaryOptions::default()
        .with_observation_end(Some(observation_end))
        .with_unit(unit(unit_name)?);
    let summary = log.run(py, |log| {
        let s = core_summary(log, &options)?;
        match labels {
            None => Ok(PartSummary::Ids(s)),
            Some(keys) => KeyedSummary::new(s, keys).map(PartSummary::Keys),
        }
    })?;
    Ok(SummaryPartial { summary })
}

/// The names and columns of a compressed table, then its `count`.
fn compressed_dict<'py>(
    py: Python<'py>,
    columns: Vec<(&str, Vec<f64>)>,
    count: &[u64],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, values) in columns {
        d.set_item(name, values.into_pyarray(py))?;
    }
    d.set_item("count", count.to_vec().into_pyarray(py))?;
    Ok(d)
}

partial_class! {
    /// The compressed (x, t_x, T) table of one part: the core's
    /// `CompressedSummary`, whose counts of equal rows add over
    /// customer-disjoint parts.
    CompressedPartial { table: CompressedSummary }
    methods {
        /// The grouped columns (`CompressedSummary::COLUMNS`).
        #[classattr]
        #[pyo3(name = "COLUMNS")]
        fn columns() -> (&'static str, &'static str, &'static str) {
            let [x, t_x, t] = CompressedSummary::COLUMNS;
            (x, t_x, t)
        }

        /// The tables of customer-disjoint parts added (`CompressedSummary::merge`).
        ///
        /// # Errors
        /// `IncompatibleError` when the units differ; `EmptyError` for no parts.
        #[staticmethod]
        fn merge(py: Python<'_>, parts: Vec<PyRef<'_, CompressedPartial>>) -> PyResult<Self> {
            let tables: Vec<CompressedSummary> = parts.iter().map(|p| p.table.clone()).collect();
            let merged = py.detach(|| CompressedSummary::merge(&tables)).py_err()?;
            Ok(Self { table: merged })
        }

        /// Number of distinct rows.
        fn __len__(&self) -> usize {
            self.table.len()
        }

        /// The table: `frequency`, `recency` and `T` in the summary's unit (as
        /// floats, as in the summary) and `count`, sorted by (x, t_x, T).
        fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            let t = &self.table;
            let [x, t_x, age] = CompressedSummary::COLUMNS;
            let frequency = t.frequency.iter().map(|&v| f64::from(v)).collect();
            compressed_dict(
                py,
                vec![(x, frequency), (t_x, t.recency()), (age, t.age())],
                &t.count,
            )
        }
    }
}

partial_class! {
    /// The compressed (x, m) table of one part: the core's `CompressedSpend`,
    /// whose counts of equal rows add over customer-disjoint parts.
    CompressedSpendPartial { table: CompressedSpend }
    methods {
        /// The grouped columns (`CompressedSpend::COLUMNS`).
        #[classattr]
        #[pyo3(name = "COLUMNS")]
        fn columns() -> (&'static str, &'static str) {
            let [x, m] = CompressedSpend::COLUMNS;
            (x, m)
        }

        /// The tables of customer-disjoint parts added (`CompressedSpend::merge`).
        ///
        /// # Errors
        /// `EmptyError` for no parts.
        #[staticmethod]
        fn merge(py: Python<'_>, parts: Vec<PyRef<'_, CompressedSpendPartial>>) -> PyResult<Self> {
            let tables: Vec<CompressedSpend> = parts.iter().map(|p| p.table.clone()).collect();
            let merged = py.detach(|| CompressedSpend::merge(&tables)).py_err()?;
            Ok(Self { table: merged })
        }

        /// Number of distinct rows.
        fn __len__(&self) -> usize {
            self.table.len()
        }

        /// The table: `frequency` (as floats, as in the summary),
        /// `monetary_value` and `count`, sorted by (x, m).
        fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            let t = &self.table;
            let [x, m] = CompressedSpend::COLUMNS;
            let frequency = t.frequency.iter().map(|&v| f64::from(v)).collect();
            compressed_dict(
                py,
                vec![(x, frequency), (m, t.monetary_value.clone())],
                &t.count,
            )
        }
    }
}
