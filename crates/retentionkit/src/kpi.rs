//! Period KPIs: the counts of one pass over the log, and the formulas that
//! turn them into rates.
//!
//! Source: docs/metrics.md, "Activity: S, E, N, retained, reactivated", and
//! the sections after it up to "Engagement, stickiness, retention cost", each
//! formula with a worked example.
//!
//! A customer is *active* at day `t` when they bought in `[t − lookback, t)`.
//! For a period `P = [p0, p1)`: $S$ = customers active at `p0`, $E$ =
//! customers active at `p1`, $N$ = customers whose first purchase falls in
//! `P`, retained = $|S \cap E|$, reactivated = $E$ − retained − $N$. Every
//! function here that divides returns [`Error::ZeroDenominator`] instead of a
//! NaN.

mod one_period;
mod purchases;
mod rates;
mod series;

pub use one_period::period_kpis;
pub use purchases::{purchase_counts, PurchaseCounts};
pub use rates::{
    average_order_value, churn_rate, cohort_retention, customer_value, engagement, growth_rate,
    historic_clv, lifespan_from_churn, net_change_rate, purchase_frequency, repeat_customer_rate,
    retention_cost, retention_rate, stickiness,
};
pub use series::{kpi_series, kpi_series_between};

use crate::error::{Error, Result};
use crate::period::{Granularity, Lookback, Period};

/// The counts of one period, from which every period KPI follows.
///
/// # Examples
/// ```
/// # use retentionkit::{kpi::KpiRow, period::Period};
/// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
/// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
/// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
/// #     revenue: Some(300.0) };
/// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
/// // 1 repeat customer, 6 customer-days, revenue 300.
/// assert_eq!(row.rates().churn_rate, Some(0.25)); // (S − retained) / S
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KpiRow {
    /// Period label (`2023-06`, `2023-Q2`, ... or `start..end` for a custom period).
    pub label: String,
    /// The period `[start, end)`.
    pub period: Period,
    /// Whether the whole period lies within the observed data (its last day
    /// is on or before the observation end).
    pub complete: bool,
    /// $S$: customers active at period start.
    pub start_customers: u64,
    /// $E$: customers active at period end.
    pub end_customers: u64,
    /// $N$: customers whose first purchase falls in the period.
    pub new_customers: u64,
    /// $|S \cap E|$.
    pub retained: u64,
    /// $E$ − retained − $N$: customers back after a gap longer than the look-back.
    pub reactivated: u64,
    /// Customers with at least one order in the period.
    pub active_customers: u64,
    /// Orders (rows) in the period.
    pub orders: u64,
    /// Customers with two or more orders in the period.
    pub repeat_customers: u64,
    /// Distinct (customer, day) pairs in the period (sum of daily actives).
    pub customer_days: u64,
    /// Revenue of the period's orders; `None` when the log has no amounts.
    pub revenue: Option<f64>,
}

/// The rates of one period that every front-end shows next to its counts,
/// `None` where a rate is not defined (a zero denominator, or no amounts
/// for the AOV): [`KpiRow::rates`]. Named here once; the CLI's JSON
/// flattens it into its KPI rows, Python and the npm package take their
/// column and field names from [`KpiRates::named`]. Formulas: the functions
/// of this module of the same names (docs/metrics.md, "Customer-base
/// rates: retention, churn, growth" and "Order metrics: orders, revenue,
/// AOV, frequency, repeat rates").
///
/// # Examples
/// ```
/// # use retentionkit::{kpi::KpiRow, period::Period};
/// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
/// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
/// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
/// #     revenue: Some(300.0) };
/// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
/// // 1 repeat customer, 6 customer-days, revenue 300.
/// let r = row.rates();
/// assert_eq!((r.retention_rate, r.average_order_value), (Some(0.75), Some(50.0)));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KpiRates {
    /// $(E − N)/S$.
    pub retention_rate: Option<f64>,
    /// $|S \cap E|/S$.
    pub cohort_retention: Option<f64>,
    /// $(S − |S \cap E|)/S$.
    pub churn_rate: Option<f64>,
    /// $(E − S)/S$.
    pub growth_rate: Option<f64>,
    /// Customers with two or more orders in the period / active customers.
    pub repeat_customer_rate: Option<f64>,
    /// Orders / active customers.
    pub purchase_frequency: Option<f64>,
    /// Revenue / orders.
    pub average_order_value: Option<f64>,
}

/// A named count of a [`KpiRow`]: its name and how to read it.
///
/// # Examples
/// ```
/// # use retentionkit::{kpi::KpiRow, period::Period};
/// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
/// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
/// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
/// #     revenue: Some(300.0) };
/// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
/// // 1 repeat customer, 6 customer-days, revenue 300.
/// let (name, count) = KpiRow::COUNTS[0];
/// assert_eq!((name, count(&row)), ("start_customers", 4));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub type KpiCount = (&'static str, fn(&KpiRow) -> u64);

impl KpiRates {
    /// The rates with their names, in the order the front-ends show them.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.rates().named()[2], ("churn_rate", Some(0.25)));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn named(&self) -> [(&'static str, Option<f64>); 7] {
        [
            ("retention_rate", self.retention_rate),
            ("cohort_retention", self.cohort_retention),
            ("churn_rate", self.churn_rate),
            ("growth_rate", self.growth_rate),
            ("repeat_customer_rate", self.repeat_customer_rate),
            ("purchase_frequency", self.purchase_frequency),
            ("average_order_value", self.average_order_value),
        ]
    }
}

impl KpiRow {
    /// The per-period counts the front-ends show, with their names, in
    /// order ($S$, $E$, $N$, retained, reactivated, active customers,
    /// orders, repeat customers): Python's columns and the npm package's
    /// fields are made from this list.
    pub const COUNTS: [KpiCount; 8] = [
        ("start_customers", |r| r.start_customers),
        ("end_customers", |r| r.end_customers),
        ("new_customers", |r| r.new_customers),
        ("retained", |r| r.retained),
        ("reactivated", |r| r.reactivated),
        ("active_customers", |r| r.active_customers),
        ("orders", |r| r.orders),
        ("repeat_customers", |r| r.repeat_customers),
    ];

    /// Every rate of [`KpiRates`], `None` where it is not defined.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::kpi::{KpiRow, KpiRates};
    /// use retentionkit::period::Period;
    /// let row = KpiRow {
    ///     label: "2024-02".into(),
    ///     period: Period { start: 19_754, end: 19_783 },
    ///     complete: true,
    ///     start_customers: 4, end_customers: 5, new_customers: 2,
    ///     retained: 3, reactivated: 0, active_customers: 4, orders: 6,
    ///     repeat_customers: 1, customer_days: 6, revenue: None,
    /// };
    /// let r = row.rates();
    /// assert_eq!(r.retention_rate, Some(0.75)); // (5 - 2) / 4
    /// assert_eq!(r.purchase_frequency, Some(1.5)); // 6 / 4
    /// assert_eq!(r.average_order_value, None); // no amounts
    /// # let _ = KpiRates::default();
    /// ```
    pub fn rates(&self) -> KpiRates {
        KpiRates {
            retention_rate: self.retention_rate().ok(),
            cohort_retention: self.cohort_retention().ok(),
            churn_rate: self.churn_rate().ok(),
            growth_rate: self.growth_rate().ok(),
            repeat_customer_rate: self.repeat_customer_rate().ok(),
            purchase_frequency: self.purchase_frequency().ok(),
            average_order_value: self.average_order_value().ok(),
        }
    }
}

/// A [`KpiRow`] in the shape every front-end shows: `label`, `start` and
/// `end` (ISO dates, `end` exclusive), `complete`, the counts of
/// [`KpiRow::COUNTS`], `revenue` and the rates of [`KpiRates`] (`null`
/// where not defined). Field names snake_case (the CLI's JSON) or camelCase
/// (the npm package). From [`KpiRow::view`].
///
/// # Examples
/// ```
/// # use retentionkit::{kpi::KpiRow, period::Period};
/// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
/// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
/// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
/// #     revenue: Some(300.0) };
/// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
/// // 1 repeat customer, 6 customer-days, revenue 300.
/// let json = serde_json::to_value(row.view(false)).unwrap();
/// assert_eq!((json["end"].as_str(), json["growth_rate"].as_f64()), (Some("2024-03-01"), Some(0.25)));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[cfg(feature = "serde")]
#[derive(Debug, Clone, Copy)]
pub struct KpiRowView<'a> {
    row: &'a KpiRow,
    camel_case: bool,
}

#[cfg(feature = "serde")]
impl serde::Serialize for KpiRowView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let name = |n: &'static str| {
            if self.camel_case {
                std::borrow::Cow::Owned(crate::names::camel_case(n))
            } else {
                std::borrow::Cow::Borrowed(n)
            }
        };
        let r = self.row;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("label", &r.label)?;
        m.serialize_entry("start", &crate::period::format_day(r.period.start))?;
        m.serialize_entry("end", &crate::period::format_day(r.period.end))?;
        m.serialize_entry("complete", &r.complete)?;
        for (n, count) in KpiRow::COUNTS {
            m.serialize_entry(&name(n), &count(r))?;
        }
        m.serialize_entry("revenue", &r.revenue)?;
        for (n, rate) in r.rates().named() {
            m.serialize_entry(&name(n), &rate)?;
        }
        m.end()
    }
}

#[cfg(feature = "serde")]
impl KpiRow {
    /// The row as the front-ends show it, see [`KpiRowView`].
    ///
    /// ```
    /// use retentionkit::{kpi::kpi_series, period::{day, Granularity, Lookback}, TransactionLog};
    /// let days = [day(2024, 1, 5)?, day(2024, 2, 1)?];
    /// let log = TransactionLog::new(&[7, 7], &days, None)?;
    /// let s = kpi_series(&log, Granularity::Month, Lookback::Months(1))?;
    /// let json = serde_json::to_value(s.rows[1].view(true)).unwrap();
    /// assert_eq!(json["label"], "2024-02");
    /// assert_eq!(json["start"], "2024-02-01");
    /// assert_eq!(json["startCustomers"], 1); // active in the month before 1 Feb
    /// assert_eq!(json["retentionRate"], 1.0); // (E - N) / S = (1 - 0) / 1
    /// assert!(json["averageOrderValue"].is_null()); // no amounts
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn view(&self, camel_case: bool) -> KpiRowView<'_> {
        KpiRowView {
            row: self,
            camel_case,
        }
    }
}

impl KpiRow {
    /// $(E − N)/S$, see [`retention_rate`].
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when $S = 0$.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.retention_rate()?, 0.75); // (5 − 2) / 4
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn retention_rate(&self) -> Result<f64> {
        retention_rate(self.start_customers, self.end_customers, self.new_customers)
    }
    /// $|S \cap E|/S$, see [`cohort_retention`].
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when $S = 0$.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.cohort_retention()?, 0.75); // 3 / 4
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn cohort_retention(&self) -> Result<f64> {
        cohort_retention(self.start_customers, self.retained)
    }
    /// $(S − |S \cap E|)/S$, see [`churn_rate`].
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when $S = 0$.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.churn_rate()?, 0.25); // (4 − 3) / 4: not 1 − retention_rate
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn churn_rate(&self) -> Result<f64> {
        churn_rate(self.start_customers, self.retained)
    }
    /// $(S − E)/S$, see [`net_change_rate`].
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when $S = 0$.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.net_change_rate()?, -0.25); // (4 − 5) / 4
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn net_change_rate(&self) -> Result<f64> {
        net_change_rate(self.start_customers, self.end_customers)
    }
    /// $(E − S)/S$, see [`growth_rate`].
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when $S = 0$.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.growth_rate()?, 0.25); // (5 − 4) / 4
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn growth_rate(&self) -> Result<f64> {
        growth_rate(self.start_customers, self.end_customers)
    }
    /// Repeat customers / active customers in the period, see [`repeat_customer_rate`].
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when nobody ordered.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.repeat_customer_rate()?, 0.25); // 1 / 4
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn repeat_customer_rate(&self) -> Result<f64> {
        repeat_customer_rate(self.active_customers, self.repeat_customers)
    }
    /// Orders / active customers, see [`purchase_frequency`].
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when nobody ordered.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.purchase_frequency()?, 1.5); // 6 / 4
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn purchase_frequency(&self) -> Result<f64> {
        purchase_frequency(self.orders, self.active_customers)
    }
    /// Revenue / orders, see [`average_order_value`].
    ///
    /// # Errors
    /// [`Error::MissingColumn`] without amounts; [`Error::ZeroDenominator`] without orders.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.average_order_value()?, 50.0); // 300 / 6
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn average_order_value(&self) -> Result<f64> {
        average_order_value(self.revenue_or_err()?, self.orders)
    }
    /// AOV × purchase frequency, see [`customer_value`].
    ///
    /// # Errors
    /// [`Error::MissingColumn`] without amounts; [`Error::ZeroDenominator`] without orders.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.customer_value()?, 75.0); // 50 × 1.5
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn customer_value(&self) -> Result<f64> {
        customer_value(self.revenue_or_err()?, self.orders, self.active_customers)
    }
    /// Active customers / $E$, see [`engagement`].
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when $E = 0$.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.engagement()?, 0.8); // 4 / 5
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn engagement(&self) -> Result<f64> {
        engagement(self.active_customers, self.end_customers)
    }
    /// Mean daily actives / active customers, see [`stickiness`].
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when nobody ordered.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.stickiness()?, 6.0 / 29.0 / 4.0); // mean daily actives / active
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn stickiness(&self) -> Result<f64> {
        stickiness(
            self.customer_days,
            u32::try_from(self.period.days()).unwrap_or(0),
            self.active_customers,
        )
    }
    /// Retention spend / retained customers, see [`retention_cost`].
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when nobody was retained.
    ///
    /// # Examples
    /// ```
    /// # use retentionkit::{kpi::KpiRow, period::Period};
    /// # let row = KpiRow { label: "2024-02".into(), period: Period { start: 19_754, end: 19_783 },
    /// #     complete: true, start_customers: 4, end_customers: 5, new_customers: 2, retained: 3,
    /// #     reactivated: 0, active_customers: 4, orders: 6, repeat_customers: 1, customer_days: 6,
    /// #     revenue: Some(300.0) };
    /// // February 2024 (29 days): S = 4, E = 5, N = 2, retained 3, 4 active with 6 orders,
    /// // 1 repeat customer, 6 customer-days, revenue 300.
    /// assert_eq!(row.retention_cost(120.0)?, 40.0); // 120 / 3 retained
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn retention_cost(&self, spend: f64) -> Result<f64> {
        retention_cost(spend, self.retained)
    }

    fn revenue_or_err(&self) -> Result<f64> {
        self.revenue.ok_or(Error::MissingColumn {
            column: "amount",
            needed_for: "revenue KPIs",
        })
    }
}

/// KPI rows for consecutive periods, from one pass over the log.
///
/// # Examples
/// ```
/// use retentionkit::{kpi::{kpi_series, KpiSeries}, period::{Granularity, Lookback}, TransactionLog};
/// // Customer 1 orders on days 0 and 40, customer 2 on day 35 (January and February 1970).
/// let log = TransactionLog::new(&[1, 2, 1], &[0, 35, 40], None)?;
/// let s = kpi_series(&log, Granularity::Month, Lookback::Months(1))?;
/// assert_eq!(s.rows.len(), 2);
/// // On 1 February customer 1 (January order) is active; on 1 March both are.
/// assert_eq!((s.rows[1].start_customers, s.rows[1].end_customers), (1, 2));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KpiSeries {
    /// Granularity of the periods (`None` for a single custom period).
    pub granularity: Option<Granularity>,
    /// The look-back that defines "active".
    pub lookback: Lookback,
    /// Last observed day: the log's last day.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub observation_end: i32,
    /// One row per period, in time order.
    pub rows: Vec<KpiRow>,
}

impl KpiSeries {
    /// Merge series computed on customer-disjoint parts of one log, with the
    /// same periods and look-back, by adding their counts.
    ///
    /// The observation end of the merged series is the latest of the parts';
    /// `complete` is recomputed from it.
    ///
    /// # Errors
    /// [`Error::Incompatible`] when the parts' periods or look-backs differ;
    /// [`Error::Empty`] for no parts.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{kpi::{kpi_series, KpiSeries}, period::{Granularity, Lookback}, TransactionLog};
    /// // Customer 1 orders on days 0 and 40, customer 2 on day 35 (January and February 1970).
    /// let log = TransactionLog::new(&[1, 2, 1], &[0, 35, 40], None)?;
    /// let s = |l: &TransactionLog| kpi_series(l, Granularity::Month, Lookback::Months(1));
    /// // Partitioned by customer, the same two months: the counts add up.
    /// let (a, b) = (TransactionLog::new(&[1, 1], &[0, 40], None)?, TransactionLog::new(&[2, 2], &[0, 35], None)?);
    /// let all = TransactionLog::new(&[1, 2, 1, 2], &[0, 0, 40, 35], None)?;
    /// assert_eq!(KpiSeries::merge(&[s(&a)?, s(&b)?])?, s(&all)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn merge(parts: &[KpiSeries]) -> Result<KpiSeries> {
        let first = parts.first().ok_or(Error::Empty {
            what: "list of KPI series to merge",
        })?;
        let mut out = first.clone();
        for p in &parts[1..] {
            let same_periods = p.rows.len() == out.rows.len()
                && p.rows
                    .iter()
                    .zip(&out.rows)
                    .all(|(a, b)| a.period == b.period);
            if p.lookback != out.lookback || p.granularity != out.granularity || !same_periods {
                return Err(Error::Incompatible {
                    reason: "KPI series have different periods or look-backs".into(),
                });
            }
            out.observation_end = out.observation_end.max(p.observation_end);
            for (o, r) in out.rows.iter_mut().zip(&p.rows) {
                o.start_customers += r.start_customers;
                o.end_customers += r.end_customers;
                o.new_customers += r.new_customers;
                o.retained += r.retained;
                o.reactivated += r.reactivated;
                o.active_customers += r.active_customers;
                o.orders += r.orders;
                o.repeat_customers += r.repeat_customers;
                o.customer_days += r.customer_days;
                o.revenue = match (o.revenue, r.revenue) {
                    (Some(a), Some(b)) => Some(a + b),
                    (None, None) => None,
                    _ => {
                        return Err(Error::Incompatible {
                            reason: "some KPI series have revenue and some do not".into(),
                        })
                    }
                };
            }
        }
        for r in &mut out.rows {
            r.complete = r.period.end <= out.observation_end + 1;
        }
        Ok(out)
    }
}

#[derive(Clone, Copy, Default)]
struct Neumaier {
    sum: f64,
    comp: f64,
}

impl Neumaier {
    #[inline]
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if t.is_infinite() {
            // Amounts summing past f64::MAX: the correction would be −inf
            // and sum + correction NaN; the sum stays +inf instead.
        } else if self.sum.abs() >= x.abs() {
            self.comp += (self.sum - t) + x;
        } else {
            self.comp += (x - t) + self.sum;
        }
        self.sum = t;
    }
    fn value(self) -> f64 {
        self.sum + self.comp
    }
}

fn add<T: Copy + std::ops::AddAssign>(into: &mut [T], from: &[T]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += *b;
    }
}

#[cfg(test)]
mod tests;
