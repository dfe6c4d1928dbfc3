//! The core's `lifecycle` module: lifecycle (growth) accounting of a
//! transaction log as a dict of numpy columns.

use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::lifecycle::{lifecycle as core_lifecycle, LifecycleRow};
use retentionkit::period::Granularity;

use crate::log::LogArg;
use crate::tables::{granularity, rate, set_periods};

/// The lifecycle table of `rows`: `period`, `start`, `end`, `complete`,
/// the core's `LifecycleRow::COLUMNS` (dormant negative) and `quick_ratio`
/// (NaN where no customer went dormant).
pub fn lifecycle_rows<'py>(py: Python<'py>, rows: &[LifecycleRow]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    set_periods(&d, rows.iter().map(|r| (&r.label, r.period)))?;
    let complete: Vec<bool> = rows.iter().map(|r| r.complete).collect();
    d.set_item("complete", complete.into_pyarray(py))?;
    for (name, value) in LifecycleRow::COLUMNS {
        let col: Vec<i64> = rows.iter().map(value).collect();
        d.set_item(name, col.into_pyarray(py))?;
    }
    let quick: Vec<f64> = rows.iter().map(|r| rate(r.quick_ratio())).collect();
    d.set_item("quick_ratio", quick.into_pyarray(py))?;
    Ok(d)
}

/// Lifecycle counts of every period of the log (the dict of [`lifecycle_rows`]).
#[pyfunction]
pub fn lifecycle<'py>(
    py: Python<'py>,
    log: LogArg<'py>,
    granularity_name: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let g: Granularity = granularity(granularity_name)?;
    let rows = log.run(py, |log| core_lifecycle(log, g))?.rows;
    lifecycle_rows(py, &rows)
}
