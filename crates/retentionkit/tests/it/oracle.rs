//! A deliberately naive re-implementation of the transaction metrics, written
//! straight from the definitions in docs/metrics.md, "Activity: S, E, N,
//! retained, reactivated" to "RFM scores and segments", and the
//! doc comments of the core, with `BTreeMap`/`BTreeSet` and no cleverness:
//! no one-pass sweeps, no difference arrays, no slots, no fast paths.
//!
//! From the core it uses only the calendar arithmetic
//! ([`Lookback::window_start`], [`Granularity::index`],
//! [`Granularity::period_of_index`], [`Granularity::label`]) and
//! [`Segment::of`] (a lookup table with its own test), so every count below is
//! computed independently of the code under test.

use std::collections::{BTreeMap, BTreeSet};

use retentionkit::period::{Granularity, Lookback, Period};
use retentionkit::rfm::Segment;

/// An owned transaction log: the three input columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    pub ids: Vec<u64>,
    pub days: Vec<i32>,
    pub amounts: Option<Vec<f64>>,
}

/// One order.
#[derive(Debug, Clone, Copy)]
struct Order {
    day: i32,
    amount: f64,
}

impl Rows {
    /// Orders per customer, in input order (the oracle never relies on order).
    fn by_customer(&self) -> BTreeMap<u64, Vec<Order>> {
        let mut out: BTreeMap<u64, Vec<Order>> = BTreeMap::new();
        for (i, (&id, &day)) in self.ids.iter().zip(&self.days).enumerate() {
            let amount = self.amounts.as_ref().map_or(0.0, |a| a[i]);
            out.entry(id).or_default().push(Order { day, amount });
        }
        out
    }

    /// Distinct order days per customer.
    fn days_by_customer(&self) -> BTreeMap<u64, BTreeSet<i32>> {
        let mut out: BTreeMap<u64, BTreeSet<i32>> = BTreeMap::new();
        for (&id, &day) in self.ids.iter().zip(&self.days) {
            out.entry(id).or_default().insert(day);
        }
        out
    }

    pub fn first_day(&self) -> i32 {
        *self.days.iter().min().unwrap()
    }

    pub fn last_day(&self) -> i32 {
        *self.days.iter().max().unwrap()
    }

    /// The rows whose customer satisfies `keep`.
    pub fn filter(&self, keep: impl Fn(u64) -> bool) -> Rows {
        let idx: Vec<usize> = (0..self.ids.len()).filter(|&i| keep(self.ids[i])).collect();
        Rows {
            ids: idx.iter().map(|&i| self.ids[i]).collect(),
            days: idx.iter().map(|&i| self.days[i]).collect(),
            amounts: self
                .amounts
                .as_ref()
                .map(|a| idx.iter().map(|&i| a[i]).collect()),
        }
    }

    /// The rows in the order of the permutation `perm`.
    pub fn permute(&self, perm: &[usize]) -> Rows {
        Rows {
            ids: perm.iter().map(|&i| self.ids[i]).collect(),
            days: perm.iter().map(|&i| self.days[i]).collect(),
            amounts: self
                .amounts
                .as_ref()
                .map(|a| perm.iter().map(|&i| a[i]).collect()),
        }
    }
}

/// Active at `t`: at least one order in `[window_start(t), t)`
/// (docs/metrics.md, "Activity: S, E, N, retained, reactivated").
fn active_at(days: &BTreeSet<i32>, lookback: Lookback, t: i32) -> bool {
    let w = lookback.window_start(t).unwrap();
    days.range(w..t).next().is_some()
}

/// The customer base at `t`.
fn base_at(days: &BTreeMap<u64, BTreeSet<i32>>, lookback: Lookback, t: i32) -> BTreeSet<u64> {
    days.iter()
        .filter(|(_, d)| active_at(d, lookback, t))
        .map(|(&id, _)| id)
        .collect()
}

/// The counts of one period, as sets first and then as sizes.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodCounts {
    pub start_customers: u64,
    pub end_customers: u64,
    pub new_customers: u64,
    pub retained: u64,
    pub reactivated: u64,
    pub active_customers: u64,
    pub orders: u64,
    pub repeat_customers: u64,
    pub customer_days: u64,
    pub revenue: Option<f64>,
}

fn len(s: &BTreeSet<u64>) -> u64 {
    s.len() as u64
}

/// S, E, N, retained, reactivated and the order counts of `[p0, p1)`.
pub fn period_counts(rows: &Rows, period: Period, lookback: Lookback) -> PeriodCounts {
    let (p0, p1) = (period.start, period.end);
    let days = rows.days_by_customer();
    let s = base_at(&days, lookback, p0);
    let e = base_at(&days, lookback, p1);
    let n: BTreeSet<u64> = days
        .iter()
        .filter(|(_, d)| period.contains(*d.first().unwrap()))
        .map(|(&id, _)| id)
        .collect();
    let retained: BTreeSet<u64> = s.intersection(&e).copied().collect();
    // Reactivated as a set: active at the end, not at the start, not new.
    let reactivated: BTreeSet<u64> = e
        .iter()
        .filter(|id| !s.contains(id) && !n.contains(id))
        .copied()
        .collect();
    let mut orders_of: BTreeMap<u64, u64> = BTreeMap::new();
    let mut customer_days: BTreeSet<(u64, i32)> = BTreeSet::new();
    let mut revenue = 0.0;
    for (i, (&id, &d)) in rows.ids.iter().zip(&rows.days).enumerate() {
        if period.contains(d) {
            *orders_of.entry(id).or_default() += 1;
            customer_days.insert((id, d));
            revenue += rows.amounts.as_ref().map_or(0.0, |a| a[i]);
        }
    }
    PeriodCounts {
        start_customers: len(&s),
        end_customers: len(&e),
        new_customers: len(&n),
        retained: len(&retained),
        reactivated: len(&reactivated),
        active_customers: orders_of.len() as u64,
        orders: orders_of.values().sum(),
        repeat_customers: orders_of.values().filter(|&&k| k >= 2).count() as u64,
        customer_days: customer_days.len() as u64,
        revenue: rows.amounts.as_ref().map(|_| revenue),
    }
}

/// Whether a look-back can be used with `period`: every customer who orders
/// in the period must be active at its end, i.e. `window_start(p1) <= p0`.
pub fn lookback_covers(period: Period, lookback: Lookback) -> bool {
    lookback.window_start(period.end).unwrap() <= period.start
}

/// One row of the oracle's KPI series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    pub label: String,
    pub period: Period,
    pub complete: bool,
    pub counts: PeriodCounts,
}

/// Every period from the one holding the first order to the one holding the
/// last; `None` when the look-back is shorter than one of them.
pub fn kpi_series(rows: &Rows, g: Granularity, lookback: Lookback) -> Option<Vec<SeriesRow>> {
    kpi_series_between(rows, g, lookback, rows.first_day(), rows.last_day())
}

/// Every period from the one holding `from` to the one holding `to`.
pub fn kpi_series_between(
    rows: &Rows,
    g: Granularity,
    lookback: Lookback,
    from: i32,
    to: i32,
) -> Option<Vec<SeriesRow>> {
    let (first, last) = (g.index(from), g.index(to));
    let periods: Vec<(i32, Period)> = (first..=last)
        .map(|i| (i, g.period_of_index(i).unwrap()))
        .collect();
    if !periods.iter().all(|&(_, p)| lookback_covers(p, lookback)) {
        return None;
    }
    Some(
        periods
            .into_iter()
            .map(|(i, p)| SeriesRow {
                label: g.label(i),
                period: p,
                complete: p.end - 1 <= rows.last_day(),
                counts: period_counts(rows, p, lookback),
            })
            .collect(),
    )
}

/// The oracle's cohort matrices (docs/metrics.md, "Acquisition cohorts and
/// retention matrices"), with the field names of `CohortMatrix`.
#[allow(clippy::struct_field_names)]
#[derive(Debug, Clone, PartialEq)]
pub struct Cohorts {
    pub last_period_complete: bool,
    pub cohorts: Vec<i32>,
    pub labels: Vec<String>,
    pub sizes: Vec<u64>,
    pub active: Vec<Vec<u64>>,
    pub unbounded: Vec<Vec<u64>>,
    pub revenue: Option<Vec<Vec<f64>>>,
}

/// Cohort `c` = period of the first order; column `k` = period `c + k`, up to
/// the period holding `end`; only orders on or before `end` count.
pub fn cohorts(rows: &Rows, g: Granularity, end: i32) -> Cohorts {
    let p_last = g.index(end);
    // Per customer: cohort, set of active periods, revenue per period.
    let mut cohort_of: BTreeMap<u64, i32> = BTreeMap::new();
    let mut periods_of: BTreeMap<u64, BTreeSet<i32>> = BTreeMap::new();
    let mut revenue_of: BTreeMap<(u64, i32), f64> = BTreeMap::new();
    for (id, orders) in rows.by_customer() {
        let seen: Vec<Order> = orders.into_iter().filter(|o| o.day <= end).collect();
        let Some(first) = seen.iter().map(|o| o.day).min() else {
            continue;
        };
        cohort_of.insert(id, g.index(first));
        for o in seen {
            let p = g.index(o.day);
            periods_of.entry(id).or_default().insert(p);
            *revenue_of.entry((id, p)).or_default() += o.amount;
        }
    }
    let cohort_set: BTreeSet<i32> = cohort_of.values().copied().collect();
    let mut out = Cohorts {
        last_period_complete: g.period_of_index(p_last).unwrap().end == end + 1,
        cohorts: Vec::new(),
        labels: Vec::new(),
        sizes: Vec::new(),
        active: Vec::new(),
        unbounded: Vec::new(),
        revenue: rows.amounts.as_ref().map(|_| Vec::new()),
    };
    for c in cohort_set {
        let members: Vec<u64> = cohort_of
            .iter()
            .filter(|&(_, &k)| k == c)
            .map(|(&id, _)| id)
            .collect();
        let width = usize::try_from(p_last - c + 1).unwrap();
        let mut active = vec![0u64; width];
        let mut unbounded = vec![0u64; width];
        let mut revenue = vec![0.0; width];
        for (k, p) in (c..=p_last).enumerate() {
            for id in &members {
                let ps = &periods_of[id];
                active[k] += u64::from(ps.contains(&p));
                unbounded[k] += u64::from(ps.range(p..).next().is_some());
                revenue[k] += revenue_of.get(&(*id, p)).copied().unwrap_or(0.0);
            }
        }
        out.cohorts.push(c);
        out.labels.push(g.label(c));
        out.sizes.push(members.len() as u64);
        out.active.push(active);
        out.unbounded.push(unbounded);
        if let Some(r) = out.revenue.as_mut() {
            r.push(revenue);
        }
    }
    out
}

/// The oracle's BTYD summary row of one customer (docs/metrics.md, "The BTYD
/// summary: frequency, recency, T, monetary value").
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub id: u64,
    pub frequency: u32,
    pub recency: f64,
    pub age: f64,
    pub monetary: Option<f64>,
}

/// Same-day purchases are one purchase; x = distinct days − 1; t_x = last −
/// first; T = end − first; monetary = mean of the repeat days' spend.
pub fn summary(rows: &Rows, end: i32, unit_days: f64) -> Vec<SummaryRow> {
    let mut out = Vec::new();
    for (id, orders) in rows.by_customer() {
        let mut spend_by_day: BTreeMap<i32, f64> = BTreeMap::new();
        for o in orders.iter().filter(|o| o.day <= end) {
            *spend_by_day.entry(o.day).or_default() += o.amount;
        }
        let (Some((&first, _)), Some((&last, _))) = (
            spend_by_day.first_key_value(),
            spend_by_day.last_key_value(),
        ) else {
            continue;
        };
        let x = u32::try_from(spend_by_day.len() - 1).unwrap();
        let repeat: f64 = spend_by_day.iter().skip(1).map(|(_, s)| s).sum();
        out.push(SummaryRow {
            id,
            frequency: x,
            recency: f64::from(last - first) / unit_days,
            age: f64::from(end - first) / unit_days,
            monetary: rows
                .amounts
                .as_ref()
                .map(|_| if x == 0 { 0.0 } else { repeat / f64::from(x) }),
        });
    }
    out
}

/// The oracle's compressed summary: (x, t_x days, T days) -> customers.
pub fn compressed(rows: &Rows, end: i32) -> BTreeMap<(u32, i32, i32), u64> {
    let mut out = BTreeMap::new();
    for (_, days) in rows.days_by_customer() {
        let seen: Vec<i32> = days.into_iter().filter(|&d| d <= end).collect();
        let (Some(&first), Some(&last)) = (seen.first(), seen.last()) else {
            continue;
        };
        let x = u32::try_from(seen.len() - 1).unwrap();
        *out.entry((x, last - first, end - first)).or_default() += 1;
    }
    out
}

/// `customers[n]` = customers with exactly `n` orders (rows), index 0 = 0.
pub fn purchase_counts(rows: &Rows) -> Vec<u64> {
    let mut orders: BTreeMap<u64, usize> = BTreeMap::new();
    for &id in &rows.ids {
        *orders.entry(id).or_default() += 1;
    }
    let max = orders.values().copied().max().unwrap_or(0);
    let mut out = vec![0u64; max + 1];
    for n in orders.values() {
        out[*n] += 1;
    }
    out
}

/// The oracle's RFM table.
#[derive(Debug, Clone, PartialEq)]
pub struct RfmTable {
    pub ids: Vec<u64>,
    pub recency_days: Vec<i32>,
    pub orders: Vec<u64>,
    pub spend: Option<Vec<f64>>,
    pub r_score: Vec<u8>,
    pub f_score: Vec<u8>,
    pub m_score: Option<Vec<u8>>,
    pub segment: Vec<Segment>,
}

/// Score = 1 + ⌊5 L / n⌋ with L the number of customers strictly worse
/// (the rfm module docs), by counting, not by sorting.
fn scores(values: &[f64], better_is_larger: bool) -> Vec<u8> {
    let n = values.len();
    values
        .iter()
        .map(|&v| {
            let worse = values
                .iter()
                .filter(|&&w| if better_is_larger { w < v } else { w > v })
                .count();
            u8::try_from(1 + 5 * worse / n).unwrap()
        })
        .collect()
}

/// Recency = end − last order day; orders = rows; spend = total amount; all
/// up to `end`.
pub fn rfm(rows: &Rows, end: i32) -> RfmTable {
    let mut ids = Vec::new();
    let (mut recency_days, mut orders, mut spend) = (Vec::new(), Vec::new(), Vec::new());
    for (id, os) in rows.by_customer() {
        let seen: Vec<Order> = os.into_iter().filter(|o| o.day <= end).collect();
        let Some(last) = seen.iter().map(|o| o.day).max() else {
            continue;
        };
        ids.push(id);
        recency_days.push(end - last);
        orders.push(seen.len() as u64);
        spend.push(seen.iter().map(|o| o.amount).sum::<f64>());
    }
    let r_score = scores(
        &recency_days
            .iter()
            .map(|&d| f64::from(d))
            .collect::<Vec<_>>(),
        false,
    );
    let f_score = scores(&orders.iter().map(|&n| n as f64).collect::<Vec<_>>(), true);
    let has = rows.amounts.is_some();
    let m_score = has.then(|| scores(&spend, true));
    let segment = r_score
        .iter()
        .zip(&f_score)
        .map(|(&r, &f)| Segment::of(r, f))
        .collect();
    RfmTable {
        ids,
        recency_days,
        orders,
        spend: has.then_some(spend),
        r_score,
        f_score,
        m_score,
        segment,
    }
}

/// Per calibration customer (ascending id): distinct purchase days in the
/// holdout `(calibration_end, observation_end]` and their mean spend per day
/// (0 when none), as lifetimes' `calibration_and_holdout_data`.
pub fn holdout(rows: &Rows, calibration_end: i32, observation_end: i32) -> Vec<(u64, u32, f64)> {
    let mut out = Vec::new();
    for (id, orders) in rows.by_customer() {
        if !orders.iter().any(|o| o.day <= calibration_end) {
            continue;
        }
        let mut spend_by_day: BTreeMap<i32, f64> = BTreeMap::new();
        for o in &orders {
            if calibration_end < o.day && o.day <= observation_end {
                *spend_by_day.entry(o.day).or_default() += o.amount;
            }
        }
        let n = u32::try_from(spend_by_day.len()).unwrap();
        let total: f64 = spend_by_day.values().sum();
        out.push((id, n, if n == 0 { 0.0 } else { total / f64::from(n) }));
    }
    out
}
