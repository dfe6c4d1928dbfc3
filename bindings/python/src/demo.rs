//! The core's seeded demo shop (`retentionkit::demo`), for examples and for
//! comparing front-ends on one data set.

use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::demo::{shop, DemoOptions};

use crate::error::IntoPy;

/// The simulated log as a dict of numpy arrays: `customer_id` (uint64),
/// `day` (int32, days since 1970-01-01), `amount` (float64). A `None`
/// option takes the core's default (`DemoOptions::default()`).
#[pyfunction]
#[pyo3(signature = (seed=None, customers=None, start=None, days=None))]
pub fn demo_shop(
    py: Python<'_>,
    seed: Option<u64>,
    customers: Option<u32>,
    start: Option<i32>,
    days: Option<u32>,
) -> PyResult<Bound<'_, PyDict>> {
    let d = DemoOptions::default();
    let options = DemoOptions {
        seed: seed.unwrap_or(d.seed),
        customers: customers.unwrap_or(d.customers),
        start: start.unwrap_or(d.start),
        days: days.unwrap_or(d.days),
    };
    let log = py.detach(|| shop(&options)).py_err()?;
    let out = PyDict::new(py);
    out.set_item("customer_id", log.ids.into_pyarray(py))?;
    out.set_item("day", log.days.into_pyarray(py))?;
    out.set_item("amount", log.amounts.into_pyarray(py))?;
    Ok(out)
}
