//! The scalar rate formulas of docs/metrics.md: each turns period counts
//! (or totals) into one KPI.

#[cfg(doc)]
use crate::error::Error;
use crate::error::{check_non_negative, finite_result, invalid_arg, ratio, Result};

/// Customer retention rate (CRR) over one period.
///
/// # Formula
/// $$ \mathrm{CRR} = \frac{E - N}{S} $$
/// $S$ customers at period start, $E$ at period end, $N$ acquired during the
/// period. Reactivated customers count as retained (use
/// [`cohort_retention`] to exclude them).
/// Source: docs/metrics.md, "Customer-base rates: retention, churn, growth".
///
/// # Errors
/// [`Error::ZeroDenominator`] when $S = 0$; [`Error::InvalidArgument`] when
/// $N > E$ (every customer acquired in the period is active at its end).
///
/// # Examples
/// ```
/// let crr = retentionkit::kpi::retention_rate(100, 90, 10)?;
/// assert_eq!(crr, 0.8);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn retention_rate(start: u64, end: u64, acquired: u64) -> Result<f64> {
    if acquired > end {
        return Err(invalid_arg(
            "acquired",
            format!("{acquired} acquired customers exceed the {end} at period end"),
        ));
    }
    ratio(
        end as f64 - acquired as f64,
        start as f64,
        "customers at period start (S)",
    )
}

/// Cohort retention: the share of the start base still active at period end.
///
/// # Formula
/// $$ \frac{|S \cap E|}{S} $$
/// Source: docs/metrics.md, "Customer-base rates: retention, churn, growth".
///
/// # Errors
/// [`Error::ZeroDenominator`] when $S = 0$; [`Error::InvalidArgument`] when retained > $S$.
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::kpi::cohort_retention(100, 75)?, 0.75);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn cohort_retention(start: u64, retained: u64) -> Result<f64> {
    if retained > start {
        return Err(invalid_arg(
            "retained",
            format!("{retained} retained customers exceed the start base {start}"),
        ));
    }
    ratio(
        retained as f64,
        start as f64,
        "customers at period start (S)",
    )
}

/// Churn rate: the share of the start base no longer active at period end.
///
/// # Formula
/// $$ \frac{S - |S \cap E|}{S} = 1 - \text{cohort retention} $$
/// Source: docs/metrics.md, "Customer-base rates: retention, churn, growth".
///
/// # Errors
/// As [`cohort_retention`].
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::kpi::churn_rate(100, 75)?, 0.25);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn churn_rate(start: u64, retained: u64) -> Result<f64> {
    cohort_retention(start, retained)?;
    ratio(
        (start - retained) as f64,
        start as f64,
        "customers at period start (S)",
    )
}

/// Net customer change rate (the seed's "annual churn"), negative when the base grows.
///
/// # Formula
/// $$ \frac{S - E}{S} $$
/// Source: docs/metrics.md, "Customer-base rates: retention, churn, growth".
///
/// # Errors
/// [`Error::ZeroDenominator`] when $S = 0$.
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::kpi::net_change_rate(200, 150)?, 0.25);
/// assert_eq!(retentionkit::kpi::net_change_rate(200, 250)?, -0.25);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn net_change_rate(start: u64, end: u64) -> Result<f64> {
    ratio(
        start as f64 - end as f64,
        start as f64,
        "customers at period start (S)",
    )
}

/// Customer growth rate.
///
/// # Formula
/// $$ \frac{E - S}{S} $$
/// Source: docs/metrics.md, "Customer-base rates: retention, churn, growth".
///
/// # Errors
/// [`Error::ZeroDenominator`] when $S = 0$.
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::kpi::growth_rate(200, 250)?, 0.25);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn growth_rate(start: u64, end: u64) -> Result<f64> {
    ratio(
        end as f64 - start as f64,
        start as f64,
        "customers at period start (S)",
    )
}

/// Repeat customer rate: customers with two or more orders among customers with one or more.
///
/// # Formula
/// $$ \frac{\\#\\{\text{customers with} \ge 2 \text{ orders}\\}}{\\#\\{\text{customers with} \ge 1 \text{ order}\\}} $$
/// Source: docs/metrics.md, "Order metrics: orders, revenue, AOV, frequency, repeat rates".
///
/// # Errors
/// [`Error::ZeroDenominator`] when no customer ordered; [`Error::InvalidArgument`]
/// when `repeat > active`.
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::kpi::repeat_customer_rate(40, 10)?, 0.25);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn repeat_customer_rate(active: u64, repeat: u64) -> Result<f64> {
    if repeat > active {
        return Err(invalid_arg(
            "repeat",
            format!("{repeat} repeat customers exceed the {active} active ones"),
        ));
    }
    ratio(repeat as f64, active as f64, "customers with an order")
}

/// Purchase frequency: orders per ordering customer.
///
/// # Formula
/// $$ \frac{\text{orders}}{\text{unique customers}} $$
/// Source: docs/metrics.md, "Order metrics: orders, revenue, AOV, frequency, repeat rates".
///
/// # Errors
/// [`Error::ZeroDenominator`] when there are no customers.
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::kpi::purchase_frequency(50, 40)?, 1.25);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn purchase_frequency(orders: u64, customers: u64) -> Result<f64> {
    ratio(orders as f64, customers as f64, "customers with an order")
}

/// Average order value.
///
/// # Formula
/// $$ \mathrm{AOV} = \frac{\text{revenue}}{\text{orders}} $$
/// Source: docs/metrics.md, "Order metrics: orders, revenue, AOV, frequency, repeat rates".
///
/// # Errors
/// [`Error::ZeroDenominator`] when there are no orders; [`Error::InvalidArgument`]
/// for a negative or non-finite revenue (NaN included).
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::kpi::average_order_value(500.0, 20)?, 25.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn average_order_value(revenue: f64, orders: u64) -> Result<f64> {
    check_non_negative(revenue, "revenue")?;
    ratio(revenue, orders as f64, "orders")
}

/// Customer value: what an ordering customer spent in the period.
///
/// # Formula
/// $$ \text{customer value} = \mathrm{AOV} \times \text{purchase frequency} = \frac{\text{revenue}}{\text{customers}} $$
/// Source: docs/metrics.md, "Order metrics: orders, revenue, AOV, frequency, repeat rates".
///
/// # Errors
/// [`Error::ZeroDenominator`] when there are no orders or no customers;
/// [`Error::InvalidArgument`] for a negative or non-finite revenue.
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::kpi::customer_value(500.0, 20, 10)?, 50.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn customer_value(revenue: f64, orders: u64, customers: u64) -> Result<f64> {
    Ok(average_order_value(revenue, orders)? * purchase_frequency(orders, customers)?)
}

/// Average customer lifespan in periods under a constant churn rate.
///
/// # Formula
/// $$ \bar L = \frac{1}{\text{churn rate per period}} $$
/// (the mean of a geometric lifetime). The observed alternative is
/// [`Summary::mean_observed_lifespan_days`](crate::summary::Summary::mean_observed_lifespan_days).
/// Source: docs/metrics.md, "Lifespan and historic CLV".
///
/// # Errors
/// [`Error::ZeroDenominator`] when the churn rate is 0; [`Error::InvalidArgument`]
/// when it is not in `[0, 1]`, or so small (below about 5.6e-309) that its
/// inverse overflows.
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::kpi::lifespan_from_churn(0.1)?, 10.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn lifespan_from_churn(churn: f64) -> Result<f64> {
    crate::error::check_fraction(churn, "churn")?;
    finite_result(ratio(1.0, churn, "churn rate")?, "churn")
}

/// Historic customer lifetime value (the seed formula).
///
/// # Formula
/// $$ \mathrm{CLV} = \frac{\text{annual revenue}}{\text{unique customers that year}} \times \text{average lifespan in years} $$
/// Source: docs/metrics.md, "Lifespan and historic CLV".
///
/// # Errors
/// [`Error::ZeroDenominator`] when there are no customers; [`Error::InvalidArgument`]
/// for a negative or non-finite revenue or lifespan, or when the product
/// overflows (naming `annual_revenue`).
///
/// # Examples
/// ```
/// // 1,000 customers spent 600,000 in a year and stay 3 years on average.
/// assert_eq!(retentionkit::kpi::historic_clv(600_000.0, 1_000, 3.0)?, 1_800.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn historic_clv(annual_revenue: f64, customers: u64, lifespan_years: f64) -> Result<f64> {
    check_non_negative(annual_revenue, "annual_revenue")?;
    check_non_negative(lifespan_years, "lifespan_years")?;
    let clv = ratio(annual_revenue, customers as f64, "customers in the year")? * lifespan_years;
    finite_result(clv, "annual_revenue")
}

/// Engagement (participation): the share of the customer base that ordered in the period.
///
/// # Formula
/// $$ \frac{\text{customers with an order in } P}{E} $$
/// The base is $E$, the customers active at period end: with a look-back at
/// least one period long every customer who ordered in $P$ is in it, so the
/// result is a share in $[0, 1]$.
/// Source: docs/metrics.md, "Engagement, stickiness, retention cost".
///
/// # Errors
/// [`Error::ZeroDenominator`] when the base is empty; [`Error::InvalidArgument`] when active > base.
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::kpi::engagement(30, 120)?, 0.25);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn engagement(active: u64, base: u64) -> Result<f64> {
    if active > base {
        return Err(invalid_arg(
            "active",
            format!("{active} active customers exceed the base of {base}"),
        ));
    }
    ratio(active as f64, base as f64, "customer base")
}

/// Stickiness: mean daily active customers over the period's active customers.
///
/// # Formula
/// $$ \frac{\frac{1}{\text{days}}\sum_{d \in P} \mathrm{DAU}_d}{\text{customers active in } P}
///    = \frac{\text{distinct (customer, day) pairs}}{\text{days} \times \text{active customers}} $$
/// Source: docs/metrics.md, "Engagement, stickiness, retention cost".
///
/// # Errors
/// [`Error::ZeroDenominator`] when no customer was active or the period has no days.
///
/// # Examples
/// ```
/// // 30-day month, 10 customers, 60 customer-days: mean DAU 2, stickiness 0.2.
/// assert_eq!(retentionkit::kpi::stickiness(60, 30, 10)?, 0.2);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn stickiness(customer_days: u64, days: u32, active: u64) -> Result<f64> {
    let dau = ratio(customer_days as f64, f64::from(days), "days in the period")?;
    ratio(dau, active as f64, "customers active in the period")
}

/// Customer retention cost: retention spend per retained customer.
///
/// # Formula
/// $$ \frac{\text{retention spend in } P}{|S \cap E|} $$
/// Source: docs/metrics.md, "Engagement, stickiness, retention cost".
///
/// # Errors
/// [`Error::ZeroDenominator`] when no customer was retained; [`Error::InvalidArgument`]
/// for a negative or non-finite spend.
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::kpi::retention_cost(2_000.0, 80)?, 25.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn retention_cost(spend: f64, retained: u64) -> Result<f64> {
    check_non_negative(spend, "spend")?;
    ratio(spend, retained as f64, "retained customers")
}
