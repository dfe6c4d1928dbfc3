//! The validated transaction log (the core's `log` module): the native `Log`
//! the Python `TransactionLog` keeps, and the customer-id columns it is
//! built from.
//!
//! A `Log` owns the core's [`TransactionLog`]: the checked columns, the
//! customer numbering and the date order are built once, when the Python
//! `TransactionLog` is made, and every later call starts from them.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1, ToPyArray};
use pyo3::prelude::*;
use retentionkit::{Error, TransactionLog};

use crate::arrow::ArrowColumns;
use crate::error::{to_py, IntoPy};

/// Customer ids: `uint64` as they are, `int64` after a check for negatives
/// (then reinterpreted, still without a copy).
#[derive(FromPyObject)]
pub enum Ids<'py> {
    /// Unsigned ids.
    Unsigned(PyReadonlyArray1<'py, u64>),
    /// Signed ids (pandas' and polars' default integer type).
    Signed(PyReadonlyArray1<'py, i64>),
}

impl Ids<'_> {
    /// The ids as `u64`, borrowed.
    ///
    /// # Errors
    /// `InvalidValueError` naming the first negative id; `ValueError` for a
    /// non-contiguous array.
    pub fn as_u64(&self) -> PyResult<&[u64]> {
        match self {
            Ids::Unsigned(a) => Ok(a.as_slice()?),
            Ids::Signed(a) => {
                let s = a.as_slice()?;
                // A branch-free fold of the sign bits (vectorised) first; the
                // position only when there is a negative id.
                let negative = s.iter().fold(0i64, |acc, &v| acc | v) < 0;
                if let Some(row) = negative.then(|| s.iter().position(|&v| v < 0)).flatten() {
                    return Err(to_py(&Error::InvalidValue {
                        column: "customer_id",
                        row,
                        reason: format!("negative id {}", s[row]),
                    }));
                }
                Ok(bytemuck::cast_slice(s))
            }
        }
    }
}

/// The log a native function works on: the kept [`Log`] of a Python
/// `TransactionLog`, or, for a one-off call on a DataFrame, the columns
/// themselves, borrowed and validated for that call only (no copy).
#[derive(FromPyObject)]
pub enum LogArg<'py> {
    /// A kept, validated log.
    Kept(PyRef<'py, Log>),
    /// Columns read from an Arrow producer, borrowed for one call.
    Arrow(PyRef<'py, ArrowColumns>),
    /// `(ids, days, amounts)`, borrowed for one call.
    Columns(
        (
            Ids<'py>,
            PyReadonlyArray1<'py, i32>,
            Option<PyReadonlyArray1<'py, f64>>,
        ),
    ),
}

impl LogArg<'_> {
    /// Run `f` on the log with the GIL released (validating borrowed
    /// columns first, a negative signed id included).
    ///
    /// # Errors
    /// The core's error for a bad log or of `f`, as its Python class.
    pub fn run<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&TransactionLog<'_>) -> retentionkit::Result<T> + Send,
    ) -> PyResult<T> {
        match self {
            LogArg::Kept(log) => {
                let log: &TransactionLog<'static> = &log.0;
                py.detach(|| f(log)).py_err()
            }
            LogArg::Arrow(columns) => columns.run(py, f),
            LogArg::Columns((ids, days, amounts)) => {
                let (days, amounts) = (days.as_slice()?, amounts_slice(amounts.as_ref())?);
                match ids {
                    Ids::Unsigned(a) => {
                        let ids = a.as_slice()?;
                        py.detach(|| f(&TransactionLog::new(ids, days, amounts)?))
                    }
                    Ids::Signed(a) => {
                        let ids = a.as_slice()?;
                        py.detach(|| f(&TransactionLog::with_signed_ids(ids, days, amounts)?))
                    }
                }
                .py_err()
            }
        }
    }
}

fn amounts_slice<'a>(a: Option<&'a PyReadonlyArray1<'_, f64>>) -> PyResult<Option<&'a [f64]>> {
    Ok(match a {
        Some(a) => Some(a.as_slice()?),
        None => None,
    })
}

/// A validated transaction log, owned (the core's
/// `TransactionLog::into_owned`): what the Python `TransactionLog` holds.
#[pyclass(frozen, module = "retentionkit._retentionkit")]
pub struct Log(TransactionLog<'static>);

#[pymethods]
impl Log {
    /// Validate the columns (a negative signed id included) and keep them:
    /// the core copies them once and builds the customer numbering and the
    /// date order.
    ///
    /// # Errors
    /// The core's error for a bad log (the first bad row, an empty log).
    #[new]
    #[pyo3(signature = (ids, days, amounts=None))]
    fn new(
        py: Python<'_>,
        ids: Ids<'_>,
        days: PyReadonlyArray1<'_, i32>,
        amounts: Option<PyReadonlyArray1<'_, f64>>,
    ) -> PyResult<Self> {
        let (days, amounts) = (days.as_slice()?, amounts_slice(amounts.as_ref())?);
        match &ids {
            Ids::Unsigned(a) => {
                let ids = a.as_slice()?;
                py.detach(|| {
                    TransactionLog::new(ids, days, amounts).map(TransactionLog::into_owned)
                })
            }
            Ids::Signed(a) => {
                let ids = a.as_slice()?;
                py.detach(|| {
                    TransactionLog::with_signed_ids(ids, days, amounts)
                        .map(TransactionLog::into_owned)
                })
            }
        }
        .py_err()
        .map(Log)
    }

    /// Validate and keep columns read from an Arrow producer (copied once
    /// by the core, as the columns given to the constructor are).
    ///
    /// # Errors
    /// The core's error for a bad log.
    #[staticmethod]
    fn from_arrow(py: Python<'_>, columns: PyRef<'_, ArrowColumns>) -> PyResult<Self> {
        let columns: &ArrowColumns = &columns;
        py.detach(|| columns.log().map(TransactionLog::into_owned))
            .py_err()
            .map(Log)
    }

    /// Number of orders.
    #[getter]
    fn num_rows(&self) -> usize {
        self.0.len()
    }

    /// Number of distinct customers.
    #[getter]
    fn num_customers(&self, py: Python<'_>) -> usize {
        // Counted on first use (a pass over the customer numbering).
        py.detach(|| self.0.num_customers())
    }

    /// Day number (days since 1970-01-01) of the first order.
    #[getter]
    fn first_day(&self) -> i32 {
        self.0.first_day()
    }

    /// Day number of the last order.
    #[getter]
    fn last_day(&self) -> i32 {
        self.0.last_day()
    }

    /// Whether the log has amounts.
    #[getter]
    fn has_amounts(&self) -> bool {
        self.0.has_amounts()
    }

    /// A copy of the customer ids (`uint64`: a string id is its code).
    #[getter]
    fn ids<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        self.0.ids().to_pyarray(py)
    }

    /// A copy of the order days (`int32` day numbers).
    #[getter]
    fn days<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i32>> {
        self.0.days().to_pyarray(py)
    }

    /// A copy of the amounts (`float64`); None without amounts.
    #[getter]
    fn amounts<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyArray1<f64>>> {
        self.0.amounts().map(|a| a.to_pyarray(py))
    }
}

/// Text customer ids coded by the core's rule (`log::ids::code_text_ids`,
/// docs/input.md "Customer ids": the text without surrounding whitespace,
/// compared exactly), with codes in the sorted order of the ids: `(codes,
/// labels)`, `labels[codes[i]]` being row `i`'s id.
///
/// # Errors
/// `InvalidValueError` (column `customer_id`) at the first empty id or id
/// holding a control character.
#[pyfunction]
pub fn code_text_ids(
    py: Python<'_>,
    texts: Vec<String>,
) -> PyResult<(Bound<'_, PyArray1<i64>>, Vec<String>)> {
    let coded = py
        .detach(|| {
            retentionkit::log::ids::code_text_ids(&texts)
                .map(retentionkit::log::ids::TextIds::sorted)
        })
        .py_err()?;
    // ok: codes index the labels, so they are below 2^63.
    let codes: Vec<i64> = coded
        .codes
        .iter()
        .map(|&c| i64::try_from(c).unwrap_or(i64::MAX))
        .collect();
    Ok((codes.into_pyarray(py), coded.labels))
}
