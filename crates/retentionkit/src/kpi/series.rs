//! The KPI series: every period of a range from one sweep over the log.

use super::{add, KpiRow, KpiSeries, Neumaier};
#[cfg(doc)]
use crate::error::Error;
use crate::error::{invalid_arg, Result};
use crate::log::TransactionLog;
use crate::period::{check_day, format_day, Granularity, Lookback, Period};

/// KPIs for every period of the log at the given granularity: from the
/// period holding the first order to the one holding the last (which is
/// flagged incomplete when the log ends before its last day).
///
/// # Errors
/// [`Error::InvalidArgument`] when the look-back is zero or shorter than a
/// period (then a customer could order in a period without being active at
/// its end, and $E$ = retained + $N$ + reactivated would not hold).
///
/// # Examples
/// ```
/// use retentionkit::{kpi::kpi_series, period::{day, Granularity, Lookback}, TransactionLog};
/// // Customer 1 buys in January and March, customer 2 in January only.
/// let ids = [1, 2, 1];
/// let days = [day(2024, 1, 10)?, day(2024, 1, 20)?, day(2024, 3, 5)?];
/// let log = TransactionLog::new(&ids, &days, None)?;
/// let s = kpi_series(&log, Granularity::Month, Lookback::Months(1))?;
/// let labels: Vec<_> = s.rows.iter().map(|r| r.label.as_str()).collect();
/// assert_eq!(labels, ["2024-01", "2024-02", "2024-03"]);
/// // March: nobody active at March 1 (no February orders); customer 1 is back.
/// let mar = &s.rows[2];
/// assert_eq!((mar.start_customers, mar.end_customers, mar.reactivated), (0, 1, 1));
/// assert!(mar.retention_rate().is_err()); // S = 0: an error, not NaN
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn kpi_series(
    log: &TransactionLog<'_>,
    granularity: Granularity,
    lookback: Lookback,
) -> Result<KpiSeries> {
    kpi_series_between(log, granularity, lookback, log.first_day(), log.last_day())
}

/// KPIs for the periods holding the days `from..=to`, whatever the log's own
/// range: parts of a log computed with the same `from` and `to` cover the
/// same periods, so their series [merge](KpiSeries::merge).
///
/// # Errors
/// [`Error::InvalidArgument`] when `to < from`, a day is out of range, or the
/// look-back is zero or shorter than a period.
///
/// # Examples
/// ```
/// use retentionkit::{kpi::kpi_series_between, period::{day, Granularity, Lookback}, TransactionLog};
/// let days = [day(2024, 2, 10)?];
/// let log = TransactionLog::new(&[1], &days, None)?;
/// let s = kpi_series_between(&log, Granularity::Month, Lookback::Months(1), day(2024, 1, 1)?, day(2024, 3, 31)?)?;
/// assert_eq!(s.rows.len(), 3);
/// assert_eq!(s.rows[0].active_customers, 0); // January: no orders yet
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn kpi_series_between(
    log: &TransactionLog<'_>,
    granularity: Granularity,
    lookback: Lookback,
    from: i32,
    to: i32,
) -> Result<KpiSeries> {
    check_day(from, "from")?;
    check_day(to, "to")?;
    if to < from {
        return Err(invalid_arg(
            "to",
            format!("{} is before {}", format_day(to), format_day(from)),
        ));
    }
    let (first, last) = (granularity.index(from), granularity.index(to));
    let mut bounds = Vec::new();
    let mut labels = Vec::new();
    for i in first..=last.saturating_add(1) {
        bounds.push(granularity.start_of(i)?);
        if i <= last {
            labels.push(granularity.label(i));
        }
    }
    sweep(log, &bounds, labels, Some(granularity), lookback)
}

/// Per-part counters of the sweep, indexed by period (or boundary).
struct Counts {
    active_diff: Vec<i64>,
    retained_diff: Vec<i64>,
    new: Vec<u64>,
    active: Vec<u64>,
    orders: Vec<u64>,
    repeat: Vec<u64>,
    customer_days: Vec<u64>,
    revenue: Vec<Neumaier>,
}

#[derive(Clone, Copy)]
struct CustomerState {
    last: i32,
    covered_to: i32,
    orders_in_period: u32,
}

const NEVER: i32 = i32::MIN;

/// One pass over the rows before the last boundary.
///
/// For boundaries $t_0 < \dots < t_B$ (periods $P_j = [t_j, t_{j+1})$) and
/// window starts $w_j = t_j - \text{lookback}$, an order on day $d$ makes its
/// customer active at the boundaries $j$ with $w_j \le d < t_j$, a contiguous
/// range because both sequences increase. Per customer the ranges of
/// successive orders are merged (they only move right), and each newly covered
/// range is added to a difference array over boundaries; a range that extends
/// the previous one also extends its run of consecutive active boundaries,
/// which counts $|S_j \cap S_{j+1}|$.
#[allow(clippy::too_many_lines)] // one pass over the log: split, it would hide the data flow
fn sweep(
    log: &TransactionLog<'_>,
    bounds: &[i32],
    labels: Vec<String>,
    granularity: Option<Granularity>,
    lookback: Lookback,
) -> Result<KpiSeries> {
    lookback.validate()?;
    let nb = bounds.len(); // B + 1 boundaries
    let np = nb - 1; // B periods
    for &b in bounds {
        check_day(b, "period bound")?;
    }
    let windows: Vec<i32> = bounds
        .iter()
        .map(|&t| lookback.window_start(t))
        .collect::<Result<_>>()?;
    for j in 0..np {
        if windows[j + 1] > bounds[j] {
            return Err(invalid_arg(
                "lookback",
                format!(
                    "{lookback:?} is shorter than the period {}..{}; use a look-back of at least one period",
                    format_day(bounds[j]),
                    format_day(bounds[j + 1])
                ),
            ));
        }
    }
    let t_end = bounds[nb - 1];
    let rows = log.rows_before(t_end);
    // Day tables over [first_day, min(last_day, t_end − 1)].
    let lo = log.first_day();
    let hi = log.last_day().min(t_end - 1);
    let table_len = usize::try_from(i64::from(hi) - i64::from(lo) + 1).unwrap_or(0);
    let (mut period_of, mut first_active, mut last_active) = (
        Vec::with_capacity(table_len),
        Vec::with_capacity(table_len),
        Vec::with_capacity(table_len),
    );
    let as_i32 = |j: usize| i32::try_from(j).unwrap_or(i32::MAX); // ok: boundary counts are small
    let (mut p, mut a, mut b) = (0usize, 0usize, 0usize);
    for d in lo..=hi {
        while p < nb && bounds[p] <= d {
            p += 1;
        } // p = number of boundaries <= d
        while a < nb && bounds[a] <= d {
            a += 1;
        } // a = first boundary > d
        while b < nb && windows[b] <= d {
            b += 1;
        } // b - 1 = last boundary whose window starts on or before d
        period_of.push(if p == 0 { -1 } else { as_i32(p - 1) });
        first_active.push(as_i32(a));
        last_active.push(as_i32(b) - 1);
    }
    let off = |d: i32| usize::try_from(d - lo).unwrap_or(0); // ok: lo <= d <= hi for visited rows
    let parts = crate::parts::per_part(log, 0..rows, |part| {
        let mut st = vec![
            CustomerState {
                last: NEVER,
                covered_to: -1,
                orders_in_period: 0
            };
            part.slots.len()
        ];
        let mut c = Counts {
            active_diff: vec![0; nb + 1],
            retained_diff: vec![0; nb + 1],
            new: vec![0; np],
            active: vec![0; np],
            orders: vec![0; np],
            repeat: vec![0; np],
            customer_days: vec![0; np],
            revenue: vec![Neumaier::default(); np],
        };
        part.visit(&mut st, |cs, d, amount| {
            let k = off(d);
            let j = period_of[k];
            let first = cs.last == NEVER;
            // Activity at boundaries [x, y] from this order, merged with what is covered.
            let (x, y) = (first_active[k], last_active[k]);
            if x <= y && y > cs.covered_to {
                let prev = cs.covered_to;
                let start = x.max(prev + 1);
                let start_u = usize::try_from(start).unwrap_or(0);
                let end_u = usize::try_from(y).unwrap_or(0);
                c.active_diff[start_u] += 1;
                c.active_diff[end_u + 1] -= 1;
                // Consecutive active pairs (i, i+1): from start (or start − 1
                // when this range continues the covered run) to y − 1.
                let pair_from = if prev >= 0 && start == prev + 1 {
                    start - 1
                } else {
                    start
                };
                if pair_from < y {
                    c.retained_diff[usize::try_from(pair_from).unwrap_or(0)] += 1;
                    c.retained_diff[end_u] -= 1;
                }
                cs.covered_to = y;
            }
            if j >= 0 {
                let ju = usize::try_from(j).unwrap_or(0);
                c.orders[ju] += 1;
                c.revenue[ju].add(amount);
                if first {
                    c.new[ju] += 1;
                }
                if first || period_of[off(cs.last)] != j {
                    c.active[ju] += 1;
                    c.customer_days[ju] += 1;
                    cs.orders_in_period = 1;
                } else {
                    if d != cs.last {
                        c.customer_days[ju] += 1;
                    }
                    cs.orders_in_period = cs.orders_in_period.saturating_add(1);
                    if cs.orders_in_period == 2 {
                        c.repeat[ju] += 1;
                    }
                }
            }
            cs.last = d;
        });
        c
    });
    // Add the parts and turn differences into counts.
    let mut total = Counts {
        active_diff: vec![0; nb + 1],
        retained_diff: vec![0; nb + 1],
        new: vec![0; np],
        active: vec![0; np],
        orders: vec![0; np],
        repeat: vec![0; np],
        customer_days: vec![0; np],
        revenue: vec![Neumaier::default(); np],
    };
    for part in parts {
        add(&mut total.active_diff, &part.active_diff);
        add(&mut total.retained_diff, &part.retained_diff);
        add(&mut total.new, &part.new);
        add(&mut total.active, &part.active);
        add(&mut total.orders, &part.orders);
        add(&mut total.repeat, &part.repeat);
        add(&mut total.customer_days, &part.customer_days);
        for (t, r) in total.revenue.iter_mut().zip(&part.revenue) {
            t.add(r.sum);
            t.add(r.comp);
        }
    }
    let base = prefix(&total.active_diff);
    let retained = prefix(&total.retained_diff);
    let observation_end = log.last_day();
    let rows = labels
        .into_iter()
        .enumerate()
        .map(|(j, label)| {
            let (s, e, n, r) = (base[j], base[j + 1], total.new[j], retained[j]);
            KpiRow {
                label,
                period: Period {
                    start: bounds[j],
                    end: bounds[j + 1],
                },
                complete: bounds[j + 1] <= observation_end + 1,
                start_customers: s,
                end_customers: e,
                new_customers: n,
                retained: r,
                reactivated: e - r - n,
                active_customers: total.active[j],
                orders: total.orders[j],
                repeat_customers: total.repeat[j],
                customer_days: total.customer_days[j],
                revenue: log.has_amounts().then(|| total.revenue[j].value()),
            }
        })
        .collect();
    Ok(KpiSeries {
        granularity,
        lookback,
        observation_end,
        rows,
    })
}

/// Running sums of a difference array, as counts.
fn prefix(diff: &[i64]) -> Vec<u64> {
    let mut run = 0i64;
    diff.iter()
        .map(|d| {
            run += d;
            u64::try_from(run).unwrap_or(0) // ok: a running count of customers is never negative
        })
        .collect()
}
