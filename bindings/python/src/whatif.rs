//! What-if projections of a retention lift.

use pyo3::prelude::*;
use retentionkit::whatif::{Outcome, Scenario};

use crate::error::IntoPy;

/// An outcome as (lifespan, clv, revenue, customers_remaining).
type Four = (f64, f64, f64, f64);

fn four(o: &Outcome) -> Four {
    (o.lifespan, o.clv, o.revenue, o.customers_remaining)
}

fn scenario(
    customers: f64,
    value_per_period: f64,
    retention: f64,
    discount_rate: f64,
    horizon: Option<u32>,
) -> Scenario {
    Scenario {
        customers,
        value_per_period,
        retention,
        discount_rate,
        horizon,
    }
}

/// The retention of a scenario whose expected lifespan is `lifespan` periods.
#[pyfunction]
pub fn whatif_retention_of_lifespan(
    customers: f64,
    value_per_period: f64,
    lifespan: f64,
) -> PyResult<f64> {
    Ok(
        Scenario::from_lifespan(customers, value_per_period, lifespan)
            .py_err()?
            .retention,
    )
}

/// The outcome of a scenario.
#[pyfunction]
#[pyo3(signature = (customers, value_per_period, retention, discount_rate=0.0, horizon=None))]
pub fn whatif_outcome(
    customers: f64,
    value_per_period: f64,
    retention: f64,
    discount_rate: f64,
    horizon: Option<u32>,
) -> PyResult<Four> {
    let s = scenario(
        customers,
        value_per_period,
        retention,
        discount_rate,
        horizon,
    );
    Ok(four(&s.outcome().py_err()?))
}

/// The outcomes before and after raising retention by `points`.
#[pyfunction]
#[pyo3(signature = (customers, value_per_period, retention, points, discount_rate=0.0, horizon=None))]
pub fn whatif_lift(
    customers: f64,
    value_per_period: f64,
    retention: f64,
    points: f64,
    discount_rate: f64,
    horizon: Option<u32>,
) -> PyResult<(Four, Four)> {
    let s = scenario(
        customers,
        value_per_period,
        retention,
        discount_rate,
        horizon,
    );
    let lift = s.lift(points).py_err()?;
    Ok((four(&lift.before), four(&lift.after)))
}
