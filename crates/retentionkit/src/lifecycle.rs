//! Lifecycle (growth) accounting: each period's active customers split into
//! new, returning and resurrecting, and the customers lost since the period
//! before (dormant).
//!
//! A customer is *active* in a period when they ordered in it (no look-back:
//! this is the product-analytics definition, not the one of [`crate::kpi`]).
//! For the period $P_t$ of a [`Granularity`]:
//!
//! | status | active in $P_t$ | active in $P_{t-1}$ | active before $P_{t-1}$ |
//! |---|---|---|---|
//! | new | yes | no | no (first order in $P_t$) |
//! | returning | yes | yes | any |
//! | resurrecting | yes | no | yes |
//! | dormant | no | yes | any |
//!
//! so that, per period, active = new + returning + resurrecting and
//! active($P_{t-1}$) = returning + dormant. Dormant customers are counted
//! once, in the period after their last active one; before their first order
//! a customer is in no status. The quick ratio is
//! (new + resurrecting) / dormant.
//!
//! Source: docs/metrics.md, "Lifecycle and growth accounting".

use crate::error::{invalid_arg, ratio, Error, Result};
use crate::log::TransactionLog;
use crate::period::{check_day, format_day, Granularity, Period};

/// The lifecycle counts of one period. See the [module docs](self) for the
/// definitions.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LifecycleRow {
    /// Period label (`2024-03`, `2024-Q1`, ...).
    pub label: String,
    /// The period `[start, end)`.
    pub period: Period,
    /// Whether the whole period lies within the observed data (its last day
    /// is on or before the observation end). In an incomplete period some
    /// customers counted dormant may still order before it ends.
    pub complete: bool,
    /// Customers whose first order is in the period.
    pub new: u64,
    /// Customers who ordered in the period and in the one before.
    pub returning: u64,
    /// Customers who ordered in the period, not in the one before, but
    /// earlier.
    pub resurrecting: u64,
    /// Customers who ordered in the period before and not in this one: a
    /// count here; the front-ends show it negative (see
    /// [`LifecycleRow::COLUMNS`]).
    pub dormant: u64,
}

/// A named column of a [`LifecycleRow`] as the front-ends show it.
pub type LifecycleColumn = (&'static str, fn(&LifecycleRow) -> i64);

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX) // ok: counts of customers stay far below 2^63
}

impl LifecycleRow {
    /// The columns the front-ends show, in order: `new`, `returning`,
    /// `resurrecting`, `dormant` (**negative**, as growth-accounting charts
    /// draw it below zero) and `active` (new + returning + resurrecting).
    /// Python's columns, the npm package's fields and the CLI's JSON are made
    /// from this list.
    pub const COLUMNS: [LifecycleColumn; 5] = [
        ("new", |r| signed(r.new)),
        ("returning", |r| signed(r.returning)),
        ("resurrecting", |r| signed(r.resurrecting)),
        ("dormant", |r| -signed(r.dormant)),
        ("active", |r| signed(r.active())),
    ];

    /// Customers who ordered in the period: new + returning + resurrecting.
    pub fn active(&self) -> u64 {
        // Saturating: a deserialized row may hold any counts.
        self.new
            .saturating_add(self.returning)
            .saturating_add(self.resurrecting)
    }

    /// The quick ratio of the period: customers gained over customers lost.
    ///
    /// # Formula
    /// $$ \text{quick ratio} = \frac{\text{new} + \text{resurrecting}}{\text{dormant}} $$
    /// Above 1 the active base grows: active($P_t$) − active($P_{t-1}$) =
    /// new + resurrecting − dormant.
    /// Source: docs/metrics.md, "Lifecycle and growth accounting".
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when no customer went dormant (the first
    /// period of a log always, since nobody was active before it).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{lifecycle::lifecycle, period::{day, Granularity}, TransactionLog};
    /// // 1 buys in Jan and Mar, 2 in Jan and Feb, 3 in Feb.
    /// let days = [day(2024, 1, 3)?, day(2024, 1, 9)?, day(2024, 2, 5)?, day(2024, 2, 7)?, day(2024, 3, 1)?];
    /// let log = TransactionLog::new(&[1, 2, 2, 3, 1], &days, None)?;
    /// let l = lifecycle(&log, Granularity::Month)?;
    /// // March: 1 resurrects; 2 and 3 (active in February) go dormant.
    /// let mar = &l.rows[2];
    /// assert_eq!((mar.new, mar.returning, mar.resurrecting, mar.dormant), (0, 0, 1, 2));
    /// assert_eq!(mar.quick_ratio()?, 0.5); // (0 + 1) / 2
    /// assert!(l.rows[0].quick_ratio().is_err()); // January: nobody dormant
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn quick_ratio(&self) -> Result<f64> {
        ratio(
            self.new as f64 + self.resurrecting as f64,
            self.dormant as f64,
            "dormant customers",
        )
    }
}

/// A [`LifecycleRow`] in the shape every front-end shows: `label`, `start`
/// and `end` (ISO dates, `end` exclusive), `complete`, the columns of
/// [`LifecycleRow::COLUMNS`] (dormant negative) and `quick_ratio` (`null`
/// when no customer went dormant). Field names snake_case (the CLI's JSON) or
/// camelCase (the npm package). From [`LifecycleRow::view`].
#[cfg(feature = "serde")]
#[derive(Debug, Clone, Copy)]
pub struct LifecycleRowView<'a> {
    row: &'a LifecycleRow,
    camel_case: bool,
}

#[cfg(feature = "serde")]
impl serde::Serialize for LifecycleRowView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let r = self.row;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("label", &r.label)?;
        m.serialize_entry("start", &format_day(r.period.start))?;
        m.serialize_entry("end", &format_day(r.period.end))?;
        m.serialize_entry("complete", &r.complete)?;
        for (n, col) in LifecycleRow::COLUMNS {
            m.serialize_entry(n, &col(r))?;
        }
        let key = if self.camel_case {
            "quickRatio"
        } else {
            "quick_ratio"
        };
        m.serialize_entry(key, &r.quick_ratio().ok())?;
        m.end()
    }
}

#[cfg(feature = "serde")]
impl LifecycleRow {
    /// The row as the front-ends show it, see [`LifecycleRowView`].
    ///
    /// ```
    /// use retentionkit::{lifecycle::lifecycle, period::{day, Granularity}, TransactionLog};
    /// let days = [day(2024, 1, 5)?, day(2024, 2, 1)?];
    /// let log = TransactionLog::new(&[7, 8], &days, None)?;
    /// let l = lifecycle(&log, Granularity::Month)?;
    /// let json = serde_json::to_value(l.rows[1].view(true)).unwrap();
    /// assert_eq!(json["label"], "2024-02");
    /// assert_eq!(json["new"], 1); // customer 8
    /// assert_eq!(json["dormant"], -1); // customer 7, shown negative
    /// assert_eq!(json["quickRatio"], 1.0); // (1 + 0) / 1
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn view(&self, camel_case: bool) -> LifecycleRowView<'_> {
        LifecycleRowView {
            row: self,
            camel_case,
        }
    }
}

/// Lifecycle rows for consecutive periods, from one pass over the log.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Lifecycle {
    /// Granularity of the periods.
    pub granularity: Granularity,
    /// Last observed day: the log's last day.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub observation_end: i32,
    /// One row per period, in time order.
    pub rows: Vec<LifecycleRow>,
}

impl Lifecycle {
    /// Merge the lifecycles of customer-disjoint parts of one log, computed
    /// over the same periods ([`lifecycle_between`] with the same `from` and
    /// `to`), by adding their counts.
    ///
    /// Every status is a property of one customer's own orders, so the
    /// counts add up exactly when each customer's orders are all in one part
    /// (a customer split over two parts would be new twice, or dormant in one
    /// part while returning in the other). The observation end of the merge
    /// is the latest of the parts'; `complete` is recomputed from it.
    ///
    /// # Errors
    /// [`Error::Incompatible`] when the parts' granularities or periods
    /// differ, or a sum overflows (parts deserialized with absurd counts);
    /// [`Error::Empty`] for no parts.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{lifecycle::{lifecycle, lifecycle_between, Lifecycle}, period::{day, Granularity}, TransactionLog};
    /// let (a, b) = ([day(2024, 1, 5)?, day(2024, 3, 2)?], [day(2024, 2, 9)?]);
    /// let (from, to) = (day(2024, 1, 5)?, day(2024, 3, 2)?); // the whole log's range
    /// let part1 = lifecycle_between(&TransactionLog::new(&[1, 1], &a, None)?, Granularity::Month, from, to)?;
    /// let part2 = lifecycle_between(&TransactionLog::new(&[2], &b, None)?, Granularity::Month, from, to)?;
    /// let all_days = [a[0], b[0], a[1]];
    /// let whole = TransactionLog::new(&[1, 2, 1], &all_days, None)?;
    /// assert_eq!(Lifecycle::merge(&[part1, part2])?, lifecycle(&whole, Granularity::Month)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn merge(parts: &[Lifecycle]) -> Result<Lifecycle> {
        let first = parts.first().ok_or(Error::Empty {
            what: "list of lifecycles to merge",
        })?;
        let mut out = first.clone();
        for p in &parts[1..] {
            let same_periods = p.rows.len() == out.rows.len()
                && p.rows
                    .iter()
                    .zip(&out.rows)
                    .all(|(a, b)| a.period == b.period);
            if p.granularity != out.granularity || !same_periods {
                return Err(Error::Incompatible {
                    reason: "lifecycles have different periods".into(),
                });
            }
            out.observation_end = out.observation_end.max(p.observation_end);
            for (o, r) in out.rows.iter_mut().zip(&p.rows) {
                for (sum, add) in [
                    (&mut o.new, r.new),
                    (&mut o.returning, r.returning),
                    (&mut o.resurrecting, r.resurrecting),
                    (&mut o.dormant, r.dormant),
                ] {
                    // Counts of real logs cannot overflow; deserialized parts can.
                    *sum = sum.checked_add(add).ok_or_else(|| Error::Incompatible {
                        reason: format!("lifecycle counts of {} overflow when added", o.label),
                    })?;
                }
            }
        }
        for r in &mut out.rows {
            r.complete = r.period.end <= out.observation_end + 1;
        }
        Ok(out)
    }
}

/// Lifecycle accounting of every period of the log at the given granularity:
/// from the period holding the first order to the one holding the last.
///
/// The first period has only new customers (nobody ordered before it) and
/// no dormant ones, so its quick ratio is undefined. The last period is
/// flagged incomplete when the log ends before its last day.
///
/// # Errors
/// None for a valid log; the `Result` is that of [`lifecycle_between`].
///
/// # Examples
/// ```
/// use retentionkit::{lifecycle::lifecycle, period::{day, Granularity}, TransactionLog};
/// // Customer 1 buys in January and March, customer 2 in January only.
/// let days = [day(2024, 1, 10)?, day(2024, 1, 20)?, day(2024, 3, 5)?];
/// let log = TransactionLog::new(&[1, 2, 1], &days, None)?;
/// let l = lifecycle(&log, Granularity::Month)?;
/// let counts: Vec<_> = l.rows.iter().map(|r| (r.new, r.returning, r.resurrecting, r.dormant)).collect();
/// assert_eq!(counts, [(2, 0, 0, 0), (0, 0, 0, 2), (0, 0, 1, 0)]);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn lifecycle(log: &TransactionLog<'_>, granularity: Granularity) -> Result<Lifecycle> {
    lifecycle_between(log, granularity, log.first_day(), log.last_day())
}

/// Lifecycle accounting of the periods holding the days `from..=to`,
/// whatever the log's own range: parts of a log computed with the same
/// `from` and `to` cover the same periods, so they
/// [merge](Lifecycle::merge).
///
/// Orders before the first period still count: a customer who ordered
/// before it is not new, and one who ordered in the period just before it
/// is returning or dormant in it. Orders after the last period are ignored.
///
/// # Errors
/// [`Error::InvalidArgument`] when `to < from` or a day is out of range.
///
/// # Examples
/// ```
/// use retentionkit::{lifecycle::lifecycle_between, period::{day, Granularity}, TransactionLog};
/// let days = [day(2024, 1, 30)?, day(2024, 2, 10)?];
/// let log = TransactionLog::new(&[1, 1], &days, None)?;
/// // From February only: customer 1 returns (active in January too) and is dormant in March.
/// let l = lifecycle_between(&log, Granularity::Month, day(2024, 2, 1)?, day(2024, 3, 31)?)?;
/// assert_eq!((l.rows[0].new, l.rows[0].returning), (0, 1));
/// assert_eq!(l.rows[1].dormant, 1);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn lifecycle_between(
    log: &TransactionLog<'_>,
    granularity: Granularity,
    from: i32,
    to: i32,
) -> Result<Lifecycle> {
    check_day(from, "from")?;
    check_day(to, "to")?;
    if to < from {
        return Err(invalid_arg(
            "to",
            format!("{} is before {}", format_day(to), format_day(from)),
        ));
    }
    let (first, last) = (granularity.index(from), granularity.index(to));
    // Periods are counted from `base`, the earlier of the first output
    // period and the log's first period, so history before `from` counts.
    let base = first.min(granularity.index(log.first_day()));
    let t_end = granularity.period_of_index(last)?.end;
    let n = usize::try_from(i64::from(last) - i64::from(base) + 1).unwrap_or(0);
    let counts = count(log, granularity, base, n, t_end);
    let observation_end = log.last_day();
    let skip = usize::try_from(first - base).unwrap_or(0); // ok: base <= first
    let rows = (first..=last)
        .zip(skip..)
        .map(|(i, k)| {
            let period = granularity.period_of_index(i)?;
            Ok(LifecycleRow {
                label: granularity.label(i),
                period,
                complete: period.end <= observation_end + 1,
                new: counts.new[k],
                returning: counts.returning[k],
                resurrecting: counts.resurrecting[k],
                dormant: counts.dormant[k],
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Lifecycle {
        granularity,
        observation_end,
        rows,
    })
}

/// Per-period counters, indexed by period number minus `base`.
struct Counts {
    new: Vec<u64>,
    returning: Vec<u64>,
    resurrecting: Vec<u64>,
    dormant: Vec<u64>,
}

impl Counts {
    fn zeros(n: usize) -> Self {
        Self {
            new: vec![0; n],
            returning: vec![0; n],
            resurrecting: vec![0; n],
            dormant: vec![0; n],
        }
    }

    fn add(&mut self, other: &Counts) {
        let add = |into: &mut [u64], from: &[u64]| {
            for (a, b) in into.iter_mut().zip(from) {
                *a += *b;
            }
        };
        add(&mut self.new, &other.new);
        add(&mut self.returning, &other.returning);
        add(&mut self.resurrecting, &other.resurrecting);
        add(&mut self.dormant, &other.dormant);
    }
}

/// No order seen yet.
const NEVER: i32 = -1;

/// One pass over the rows before `t_end` (in date order, each customer's in
/// turn): a customer's status changes only when they order in a new period,
/// so each customer keeps the number of their last active period. An order
/// in period $k$ after one in period $l < k$ makes them returning
/// ($k = l + 1$) or resurrecting ($k > l + 1$, and dormant in $l + 1$); after
/// the pass, each customer is dormant in the period after their last one.
fn count(
    log: &TransactionLog<'_>,
    granularity: Granularity,
    base: i32,
    n: usize,
    t_end: i32,
) -> Counts {
    let rows = log.rows_before(t_end);
    if rows == 0 {
        return Counts::zeros(n);
    }
    // Period of each day of [first_day, min(last_day, t_end − 1)].
    let lo = log.first_day();
    let hi = log.last_day().min(t_end - 1);
    let period_of: Vec<i32> = (lo..=hi).map(|d| granularity.index(d) - base).collect();
    let off = |d: i32| usize::try_from(d - lo).unwrap_or(0); // ok: lo <= d <= hi for visited rows
    let at = |k: i32| usize::try_from(k).unwrap_or(usize::MAX); // ok: 0 <= k < n
    let n_i32 = i32::try_from(n).unwrap_or(i32::MAX);
    let parts = crate::parts::per_part(log, 0..rows, |part| {
        let mut last = vec![NEVER; part.slots.len()];
        let mut c = Counts::zeros(n);
        part.visit(&mut last, |l, d, _| {
            let k = period_of[off(d)];
            if *l == k {
                return;
            }
            if *l == NEVER {
                c.new[at(k)] += 1;
            } else if k == *l + 1 {
                c.returning[at(k)] += 1;
            } else {
                c.resurrecting[at(k)] += 1;
                c.dormant[at(*l + 1)] += 1;
            }
            *l = k;
        });
        for &l in &last {
            if l != NEVER && l + 1 < n_i32 {
                c.dormant[at(l + 1)] += 1;
            }
        }
        c
    });
    let mut total = Counts::zeros(n);
    for p in &parts {
        total.add(p);
    }
    total
}

#[cfg(test)]
mod tests;
