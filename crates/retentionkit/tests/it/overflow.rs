//! Scalar functions whose result would overflow to infinity (or be NaN)
//! return a typed error naming the argument to fix, never `inf` or `NaN`.

use retentionkit::kpi::{average_order_value, customer_value, historic_clv, lifespan_from_churn};
use retentionkit::revenue::{discounted_clv, subscription_clv};
use retentionkit::whatif::Scenario;
use retentionkit::{Error, Result};

/// The `name` of an `InvalidArgument` error, or a description of what came instead.
fn argument_named(r: Result<f64>) -> String {
    match r {
        Err(Error::InvalidArgument { name, .. }) => name.to_string(),
        other => format!("not an InvalidArgument: {other:?}"),
    }
}

#[test]
fn overflowing_or_nan_results_are_errors_naming_the_argument() {
    // Each input is finite and in its documented range; the result of the
    // formula in f64 is inf (1e308 × 10 > f64::MAX ≈ 1.8e308; 1 / 1e-320
    // = 1e320 > f64::MAX) or NaN (NaN revenue).
    let scenario = |customers, value| Scenario {
        customers,
        value_per_period: value,
        retention: 0.9,
        discount_rate: 0.0,
        horizon: None,
    };
    let cases: Vec<(&str, Result<f64>, &str)> = vec![
        (
            "AOV of NaN revenue",
            average_order_value(f64::NAN, 3),
            "revenue",
        ),
        ("AOV of -1 revenue", average_order_value(-1.0, 3), "revenue"),
        (
            "customer value of NaN revenue",
            customer_value(f64::NAN, 3, 2),
            "revenue",
        ),
        (
            "lifespan of churn 1e-320",
            lifespan_from_churn(1e-320),
            "churn",
        ),
        (
            "historic CLV 1e308 × 10 years",
            historic_clv(1e308, 1, 10.0),
            "annual_revenue",
        ),
        (
            "subscription CLV 1e308 / 0.01",
            subscription_clv(1e308, 1.0, 0.01),
            "arpa",
        ),
        (
            "discounted CLV 1e308 × 0.9 / 0.1",
            discounted_clv(1e308, 0.9, 0.0),
            "margin",
        ),
        // CLV = 1e308 / (1 − 0.9) = 1e309: overflows.
        (
            "scenario CLV",
            scenario(1.0, 1e308).outcome().map(|o| o.clv),
            "value_per_period",
        ),
        // CLV = 1e300 × 10 = 1e301 is finite; revenue = 1e10 × 1e301 is not.
        (
            "scenario revenue",
            scenario(1e10, 1e300).outcome().map(|o| o.revenue),
            "customers",
        ),
        (
            "lift of scenario revenue",
            scenario(1e10, 1e300).lift(0.01).map(|l| l.after.revenue),
            "customers",
        ),
    ];
    for (case, got, want) in cases {
        assert_eq!(argument_named(got), want, "{case}");
    }
    // Just below the edges the same functions answer: 1e307 × 10 = 1e308.
    assert_eq!(historic_clv(1e307, 1, 10.0).unwrap(), 1e307 * 10.0);
    assert!(scenario(1.0, 1e307).outcome().unwrap().clv.is_finite());
}
