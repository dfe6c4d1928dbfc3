//! RFM scores (recency, frequency, monetary quintiles 1–5) and named segments.
//!
//! Source: docs/metrics.md, "RFM scores and segments"; the segment grid is the
//! widely used recency × frequency map, spelled out in [`Segment::of`] and in
//! that section.
//!
//! Per customer, up to the observation end: recency = days since the last
//! order (observation end − last order day), frequency = number of orders,
//! monetary = total spend.
//!
//! # Scores and ties
//! With $n$ customers and $L(v)$ the number of customers whose value is
//! strictly worse than $v$ (smaller frequency or spend; larger recency):
//! $$ \text{score}(v) = 1 + \left\lfloor \frac{5\\,L(v)}{n} \right\rfloor $$
//! Equal values always get equal scores (a tie never splits across two
//! scores), so a dimension with many ties uses fewer than five scores: when
//! 40 % of customers ordered once, they all get F = 1 and the next score is 3.

use crate::error::{check_ascending, Error, Result};
use crate::log::TransactionLog;

/// Named RFM segment on the recency × frequency grid.
///
/// # Examples
/// ```
/// use retentionkit::rfm::Segment;
/// assert_eq!(Segment::of(5, 5), Segment::Champions);
/// assert_eq!(Segment::of(1, 5).name(), "cannot lose them");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Segment {
    /// R 5, F 4–5: bought recently and often.
    Champions,
    /// R 3–4, F 4–5: buy often, fairly recently.
    LoyalCustomers,
    /// R 4–5, F 2–3: recent, with a few orders.
    PotentialLoyalists,
    /// R 5, F 1: first order very recently.
    NewCustomers,
    /// R 4, F 1: recent single order.
    Promising,
    /// R 3, F 3: average recency and frequency.
    NeedAttention,
    /// R 3, F 1–2: fading after few orders.
    AboutToSleep,
    /// R 1–2, F 3–4: used to buy often, not lately.
    AtRisk,
    /// R 1–2, F 5: the most frequent buyers, gone quiet.
    CannotLoseThem,
    /// R 1–2, F 1–2: long gone after few orders.
    Hibernating,
}

impl Segment {
    /// The segment of a recency and frequency score (each 1–5).
    ///
    /// | R \ F | 1 | 2 | 3 | 4 | 5 |
    /// |---|---|---|---|---|---|
    /// | 5 | new customers | potential loyalists | potential loyalists | champions | champions |
    /// | 4 | promising | potential loyalists | potential loyalists | loyal customers | loyal customers |
    /// | 3 | about to sleep | about to sleep | need attention | loyal customers | loyal customers |
    /// | 2 | hibernating | hibernating | at risk | at risk | cannot lose them |
    /// | 1 | hibernating | hibernating | at risk | at risk | cannot lose them |
    ///
    /// Scores outside 1–5 are clamped into it.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::rfm::Segment;
    /// assert_eq!(Segment::of(3, 3), Segment::NeedAttention);
    /// assert_eq!(Segment::of(2, 4), Segment::AtRisk);
    /// assert_eq!(Segment::of(9, 0), Segment::NewCustomers); // clamped to (5, 1)
    /// ```
    pub fn of(r: u8, f: u8) -> Segment {
        match (r.clamp(1, 5), f.clamp(1, 5)) {
            (5, 4 | 5) => Segment::Champions,
            (3 | 4, 4 | 5) => Segment::LoyalCustomers,
            (4 | 5, 2 | 3) => Segment::PotentialLoyalists,
            (5, _) => Segment::NewCustomers,
            (4, _) => Segment::Promising,
            (3, 3) => Segment::NeedAttention,
            (3, _) => Segment::AboutToSleep,
            (_, 3 | 4) => Segment::AtRisk,
            (_, 5) => Segment::CannotLoseThem,
            _ => Segment::Hibernating,
        }
    }

    /// Lower-case name with spaces, as in reports (`"cannot lose them"`).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::rfm::Segment;
    /// assert_eq!(Segment::PotentialLoyalists.name(), "potential loyalists");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Segment::Champions => "champions",
            Segment::LoyalCustomers => "loyal customers",
            Segment::PotentialLoyalists => "potential loyalists",
            Segment::NewCustomers => "new customers",
            Segment::Promising => "promising",
            Segment::NeedAttention => "need attention",
            Segment::AboutToSleep => "about to sleep",
            Segment::AtRisk => "at risk",
            Segment::CannotLoseThem => "cannot lose them",
            Segment::Hibernating => "hibernating",
        }
    }
}

/// Per-customer RFM values, scores and segments, in ascending id order.
///
/// Deserialization runs [`Rfm::validate`].
///
/// # Examples
/// ```
/// use retentionkit::{rfm::{rfm, Rfm, Segment}, TransactionLog};
/// // Five customers; customer 5 ordered most (days 35, 38, 40) and last, customer 4 on days 30 and 39.
/// let log = TransactionLog::new(&[1, 2, 3, 4, 5, 5, 5, 4], &[0, 10, 20, 30, 35, 38, 40, 39], None)?;
/// let r = rfm(&log, None)?; // observed to day 40; R scores 1..5, F scores 1, 1, 1, 4, 5
/// assert_eq!(r.orders, [1, 1, 1, 2, 3]);
/// assert_eq!(r.segment[3], Segment::LoyalCustomers); // R 4, F 4
/// assert_eq!(r.spend, None); // no amounts
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RfmRaw"))]
pub struct Rfm {
    /// Customer ids, ascending.
    pub customer_id: Vec<u64>,
    /// Days from the last order to the observation end.
    pub recency_days: Vec<i32>,
    /// Orders up to the observation end.
    pub orders: Vec<u64>,
    /// Total spend; `None` without amounts.
    pub spend: Option<Vec<f64>>,
    /// Recency score 1–5 (5 = most recent).
    pub r_score: Vec<u8>,
    /// Frequency score 1–5 (5 = most orders).
    pub f_score: Vec<u8>,
    /// Monetary score 1–5 (5 = most spend); `None` without amounts.
    pub m_score: Option<Vec<u8>>,
    /// Segment from the R and F scores.
    pub segment: Vec<Segment>,
    /// Last observed day (inclusive).
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub observation_end: i32,
}

checked_serde!(Rfm by validate, RfmRaw {
    customer_id: Vec<u64>,
    recency_days: Vec<i32>,
    orders: Vec<u64>,
    spend: Option<Vec<f64>>,
    r_score: Vec<u8>,
    f_score: Vec<u8>,
    m_score: Option<Vec<u8>>,
    segment: Vec<Segment>,
    #[serde(with = "crate::period::iso_day")]
    observation_end: i32,
});

/// `Ok` when `got` equals `want`, else [`Error::InvalidValue`] naming
/// `column` and the first row where they differ (or the first row one of
/// them lacks).
fn check_same<T: PartialEq + std::fmt::Debug>(
    column: &'static str,
    got: &[T],
    want: &[T],
) -> Result<()> {
    let row = got
        .iter()
        .zip(want)
        .position(|(a, b)| a != b)
        .or_else(|| (got.len() != want.len()).then(|| got.len().min(want.len())));
    match row {
        None => Ok(()),
        Some(row) => Err(Error::InvalidValue {
            column,
            row,
            reason: format!(
                "{:?} is not what the values give ({:?})",
                got.get(row),
                want.get(row)
            ),
        }),
    }
}

/// Compute RFM values, scores and segments for every customer with an order
/// on or before `observation_end` (default: the last day of the log).
///
/// # Errors
/// [`Error::InvalidArgument`] when the observation end is before the first purchase.
///
/// # Examples
/// ```
/// use retentionkit::{rfm::{rfm, Segment}, TransactionLog};
/// // Five customers; customer 5 ordered most and last.
/// let ids =  [1, 2, 3, 4, 5, 5, 5, 4];
/// let days = [0, 10, 20, 30, 35, 38, 40, 39];
/// let log = TransactionLog::new(&ids, &days, None)?;
/// let r = rfm(&log, None)?;
/// assert_eq!(r.recency_days, [40, 30, 20, 1, 0]);
/// assert_eq!(r.r_score, [1, 2, 3, 4, 5]);
/// assert_eq!(r.f_score, [1, 1, 1, 4, 5]); // three tied single buyers all score 1
/// assert_eq!(r.segment[4], Segment::Champions);
/// assert_eq!(r.segment[0], Segment::Hibernating);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn rfm(log: &TransactionLog<'_>, observation_end: Option<i32>) -> Result<Rfm> {
    let end = log.observation_end(observation_end)?;
    let rows = log.rows_before(end.saturating_add(1));
    let parts = crate::parts::per_part(log, 0..rows, |part| {
        let mut acc = vec![(i32::MIN, 0u64, 0f64); part.slots.len()];
        part.visit(&mut acc, |c, d, a| {
            c.0 = d;
            c.1 += 1;
            c.2 += a;
        });
        acc
    });
    // The customers' columns straight from the slots (no table of tuples
    // between: at 10^7 orders its fresh pages cost more than filling it).
    let customers = parts.iter().flatten().filter(|c| c.1 > 0).count();
    let mut ids = Vec::with_capacity(customers);
    let mut recency = Vec::with_capacity(customers);
    let mut orders = Vec::with_capacity(customers);
    let mut spend = log.has_amounts().then(|| Vec::with_capacity(customers));
    for (slot, &(last, n, total)) in parts.iter().flatten().enumerate() {
        if n > 0 {
            ids.push(log.slot_id(slot));
            recency.push(end - last);
            orders.push(n);
            if let Some(s) = spend.as_mut() {
                s.push(total);
            }
        }
    }
    if !log.slots_in_id_order() {
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_unstable_by_key(|&i| ids[i]);
        ids = order.iter().map(|&i| ids[i]).collect();
        recency = order.iter().map(|&i| recency[i]).collect();
        orders = order.iter().map(|&i| orders[i]).collect();
        spend = spend.map(|s| order.iter().map(|&i| s[i]).collect());
    }
    Ok(Rfm::scored(ids, recency, orders, spend, end))
}

impl Rfm {
    /// The RFM table of customers whose values were computed elsewhere
    /// (another partition's [`rfm`] output as columns, or a database query):
    /// days since the last order, orders and total spend per customer, all
    /// as of `observation_end`. Rows may come in any order; the table is in
    /// id order, scored and segmented as [`rfm`] scores them.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when a column is not as long as
    /// `customer_id`; [`Error::InvalidValue`] naming the column and row of a
    /// negative recency, a customer without orders, a spend that is NaN,
    /// infinite or negative, or the second row of a customer id.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::rfm::{rfm, Rfm};
    /// use retentionkit::TransactionLog;
    /// let log = TransactionLog::new(&[1, 2, 3, 4, 5, 5, 5, 4], &[0, 10, 20, 30, 35, 38, 40, 39], None)?;
    /// let r = rfm(&log, None)?;
    /// // The same values in another order give the same table.
    /// let again = Rfm::from_values(&[5, 4, 3, 2, 1], &[0, 1, 20, 30, 40], &[3, 2, 1, 1, 1], None, 40)?;
    /// assert_eq!(again, r);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn from_values(
        customer_id: &[u64],
        recency_days: &[i32],
        orders: &[u64],
        spend: Option<&[f64]>,
        observation_end: i32,
    ) -> Result<Rfm> {
        let n = customer_id.len();
        for (column, len) in [
            ("recency_days", recency_days.len()),
            ("orders", orders.len()),
            ("spend", spend.map_or(n, <[f64]>::len)),
        ] {
            if len != n {
                return Err(Error::LengthMismatch {
                    column,
                    expected: n,
                    got: len,
                });
            }
        }
        let bad = |column, row, reason: String| Error::InvalidValue {
            column,
            row,
            reason,
        };
        if let Some(row) = recency_days.iter().position(|&d| d < 0) {
            let d = recency_days[row];
            return Err(bad("recency_days", row, format!("negative recency {d}")));
        }
        if let Some(row) = orders.iter().position(|&k| k == 0) {
            return Err(bad(
                "orders",
                row,
                "a customer in an RFM table has at least one order".into(),
            ));
        }
        if let Some(s) = spend {
            if let Some(row) = s.iter().position(|&x| !(0.0..=f64::MAX).contains(&x)) {
                let x = s[row];
                return Err(bad("spend", row, format!("{x} is not a finite spend >= 0")));
            }
        }
        let mut rows: Vec<usize> = (0..n).collect();
        rows.sort_by_key(|&i| customer_id[i]);
        if let Some(w) = rows
            .windows(2)
            .find(|w| customer_id[w[0]] == customer_id[w[1]])
        {
            let (id, row) = (customer_id[w[1]], w[1]);
            return Err(bad(
                "customer_id",
                row,
                format!("customer {id} has more than one row"),
            ));
        }
        Ok(Rfm::scored(
            rows.iter().map(|&i| customer_id[i]).collect(),
            rows.iter().map(|&i| recency_days[i]).collect(),
            rows.iter().map(|&i| orders[i]).collect(),
            spend.map(|s| rows.iter().map(|&i| s[i]).collect()),
            observation_end,
        ))
    }

    /// Scores and segments of values in id order.
    fn scored(
        customer_id: Vec<u64>,
        recency_days: Vec<i32>,
        orders: Vec<u64>,
        spend: Option<Vec<f64>>,
        observation_end: i32,
    ) -> Rfm {
        // Recency: fewer days is better, so score the negated days. The
        // three dimensions are scored side by side.
        let ((r_score, f_score), m_score) = crate::log::join(
            || {
                crate::log::join(
                    || scores_of(recency_days.iter().map(|&d| -f64::from(d))),
                    || scores_of(orders.iter().map(|&n| n as f64)),
                )
            },
            || spend.as_deref().map(|s| scores_of(s.iter().copied())),
        );
        let segment = r_score
            .iter()
            .zip(&f_score)
            .map(|(&r, &f)| Segment::of(r, f))
            .collect();
        Rfm {
            customer_id,
            recency_days,
            orders,
            spend,
            r_score,
            f_score,
            m_score,
            segment,
            observation_end,
        }
    }

    /// Check that the table is the one its values give: the values pass
    /// the checks of [`Rfm::from_values`], the ids are ascending, and the
    /// scores and segments are those [`Rfm::from_values`] computes from the
    /// values (scores are whole numbers, so they are compared exactly).
    /// [`rfm`] and [`Rfm::from_values`] always return a valid table;
    /// deserialization and [`merge`](Self::merge) run this check.
    ///
    /// # Errors
    /// The errors of [`Rfm::from_values`]; [`Error::InvalidValue`] naming
    /// the first id not above the one before it, or the first score or
    /// segment that is not the one the values give (`m_score` is present
    /// exactly when `spend` is).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{rfm::{rfm, Rfm, Segment}, TransactionLog};
    /// // Five customers; customer 5 ordered most (days 35, 38, 40) and last, customer 4 on days 30 and 39.
    /// let log = TransactionLog::new(&[1, 2, 3, 4, 5, 5, 5, 4], &[0, 10, 20, 30, 35, 38, 40, 39], None)?;
    /// let r = rfm(&log, None)?; // observed to day 40; R scores 1..5, F scores 1, 1, 1, 4, 5
    /// let mut bad = r.clone();
    /// assert!(bad.validate().is_ok());
    /// bad.r_score[0] = 5; // customer 1 is the least recent: its score is 1
    /// assert!(bad.validate().is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        let again = Rfm::from_values(
            &self.customer_id,
            &self.recency_days,
            &self.orders,
            self.spend.as_deref(),
            self.observation_end,
        )?;
        check_ascending("customer_id", &self.customer_id)?;
        check_same("r_score", &self.r_score, &again.r_score)?;
        check_same("f_score", &self.f_score, &again.f_score)?;
        match (&self.m_score, &again.m_score) {
            (Some(got), Some(want)) => check_same("m_score", got, want)?,
            (None, None) => {}
            (got, _) => {
                return Err(Error::InvalidValue {
                    column: "m_score",
                    row: 0,
                    reason: format!(
                        "the column is {} but spend is {}",
                        if got.is_some() { "present" } else { "absent" },
                        if got.is_some() { "absent" } else { "present" }
                    ),
                })
            }
        }
        check_same("segment", &self.segment, &again.segment)
    }

    /// Number of customers.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{rfm::{rfm, Rfm, Segment}, TransactionLog};
    /// // Five customers; customer 5 ordered most (days 35, 38, 40) and last, customer 4 on days 30 and 39.
    /// let log = TransactionLog::new(&[1, 2, 3, 4, 5, 5, 5, 4], &[0, 10, 20, 30, 35, 38, 40, 39], None)?;
    /// let r = rfm(&log, None)?; // observed to day 40; R scores 1..5, F scores 1, 1, 1, 4, 5
    /// assert_eq!(r.len(), 5);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.customer_id.len()
    }

    /// Whether there are no customers.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{rfm::{rfm, Rfm, Segment}, TransactionLog};
    /// // Five customers; customer 5 ordered most (days 35, 38, 40) and last, customer 4 on days 30 and 39.
    /// let log = TransactionLog::new(&[1, 2, 3, 4, 5, 5, 5, 4], &[0, 10, 20, 30, 35, 38, 40, 39], None)?;
    /// let r = rfm(&log, None)?; // observed to day 40; R scores 1..5, F scores 1, 1, 1, 4, 5
    /// assert!(!r.is_empty());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.customer_id.is_empty()
    }

    /// Number of customers in each segment, in the order of [`Segment`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{rfm::{rfm, Rfm, Segment}, TransactionLog};
    /// // Five customers; customer 5 ordered most (days 35, 38, 40) and last, customer 4 on days 30 and 39.
    /// let log = TransactionLog::new(&[1, 2, 3, 4, 5, 5, 5, 4], &[0, 10, 20, 30, 35, 38, 40, 39], None)?;
    /// let r = rfm(&log, None)?; // observed to day 40; R scores 1..5, F scores 1, 1, 1, 4, 5
    /// // Customers 1 and 2 (R 1-2, F 1) hibernate, 3 (R 3, F 1) is about to sleep.
    /// assert_eq!(r.segment_counts(), [(Segment::Champions, 1), (Segment::LoyalCustomers, 1),
    ///     (Segment::AboutToSleep, 1), (Segment::Hibernating, 2)]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn segment_counts(&self) -> Vec<(Segment, u64)> {
        let mut counts: Vec<(Segment, u64)> = Vec::new();
        let mut segs = self.segment.clone();
        segs.sort_unstable();
        for s in segs {
            match counts.last_mut() {
                Some((last, n)) if *last == s => *n += 1,
                _ => counts.push((s, 1)),
            }
        }
        counts
    }

    /// Merge the RFM values of customer-disjoint parts and rescore the whole:
    /// quintiles depend on every customer, so scores are recomputed, not added.
    ///
    /// # Errors
    /// [`Error::Incompatible`] when observation ends or the presence of
    /// amounts differ, or a customer is in two parts; [`Error::Empty`] for no
    /// parts; the error of [`validate`](Self::validate) for a part that fails it.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{rfm::{rfm, Rfm, Segment}, TransactionLog};
    /// // Five customers; customer 5 ordered most (days 35, 38, 40) and last, customer 4 on days 30 and 39.
    /// let log = TransactionLog::new(&[1, 2, 3, 4, 5, 5, 5, 4], &[0, 10, 20, 30, 35, 38, 40, 39], None)?;
    /// let r = rfm(&log, None)?; // observed to day 40; R scores 1..5, F scores 1, 1, 1, 4, 5
    /// // Partitioned by customer and observed to the same day: merged and rescored, the whole.
    /// let a = TransactionLog::new(&[1, 2, 3], &[0, 10, 20], None)?;
    /// let b = TransactionLog::new(&[4, 5, 5, 5, 4], &[30, 35, 38, 40, 39], None)?;
    /// assert_eq!(Rfm::merge(&[rfm(&a, Some(40))?, rfm(&b, Some(40))?])?, r);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn merge(parts: &[Rfm]) -> Result<Rfm> {
        let first = parts.first().ok_or(Error::Empty {
            what: "list of RFM tables to merge",
        })?;
        for p in parts {
            p.validate()?;
        }
        let mut rows: Vec<(u64, i32, u64, f64)> = Vec::new();
        for p in parts {
            if p.observation_end != first.observation_end
                || p.spend.is_some() != first.spend.is_some()
            {
                return Err(Error::Incompatible {
                    reason: "RFM tables differ in observation end or amounts".into(),
                });
            }
            for i in 0..p.len() {
                let spend = p.spend.as_ref().map_or(0.0, |s| s[i]);
                rows.push((p.customer_id[i], p.recency_days[i], p.orders[i], spend));
            }
        }
        rows.sort_unstable_by_key(|r| r.0);
        if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::Incompatible {
                reason: format!("customer {} is in more than one part", w[0].0),
            });
        }
        Ok(Rfm::scored(
            rows.iter().map(|r| r.0).collect(),
            rows.iter().map(|r| r.1).collect(),
            rows.iter().map(|r| r.2).collect(),
            first
                .spend
                .as_ref()
                .map(|_| rows.iter().map(|r| r.3).collect()),
            first.observation_end,
        ))
    }
}

/// Quintile scores, higher value = higher score; ties share a score.
///
/// A value's score is $1 + \lfloor 5L/n \rfloor$, $L$ the number of values
/// smaller than it (docs/metrics.md, "RFM scores and segments"). It reaches $s + 1$ exactly when
/// $L \ge m_s = \lceil s n / 5 \rceil$, that is when the value is above the
/// $m_s$-th smallest value; so four selections (`select_nth_unstable`, each
/// in the part of the keys the previous one left above it) find the four
/// cut values, and each score is one plus the number of cuts below its
/// value. Linear time, where a sort of the values was $n \log n$; values
/// compare as [`f64::total_cmp`] orders them (as unsigned keys).
fn scores_of(values: impl ExactSizeIterator<Item = f64>) -> Vec<u8> {
    let keys: Vec<u64> = values.map(total_order_key).collect();
    scores_of_keys(&keys)
}

/// [`scores_of`] of a column.
#[cfg(test)]
fn scores(values: &[f64]) -> Vec<u8> {
    scores_of(values.iter().copied())
}

/// [`scores_of`] of values given as their [`total_order_key`]s.
fn scores_of_keys(given: &[u64]) -> Vec<u8> {
    let n = given.len();
    if n == 0 {
        return Vec::new();
    }
    let mut keys = given.to_vec();
    let mut cuts = [0u64; 4];
    // keys[..low] are no greater than any of keys[low..].
    let mut low = 0;
    for (s, cut) in (1..=4).zip(&mut cuts) {
        let pos = (s * n).div_ceil(5) - 1; // m_s - 1: n >= 1, so m_s >= 1
        let (_, nth, _) = keys[low..].select_nth_unstable(pos - low);
        *cut = *nth;
        low = pos;
    }
    given
        .iter()
        .map(|&k| {
            1 + u8::from(k > cuts[0])
                + u8::from(k > cuts[1])
                + u8::from(k > cuts[2])
                + u8::from(k > cuts[3])
        })
        .collect()
}

/// `v`'s bits as an unsigned number ordered as [`f64::total_cmp`] orders the
/// values (negative values' magnitude bits flipped, then the sign bit).
fn total_order_key(v: f64) -> u64 {
    let bits = v.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_orders_as_total_cmp() {
        let v = [
            f64::NEG_INFINITY,
            -1e300,
            -1.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            5e-324,
            1.0,
            1.5,
            f64::MAX,
            f64::INFINITY,
        ];
        for a in v {
            for b in v {
                assert_eq!(
                    total_order_key(a).cmp(&total_order_key(b)),
                    a.total_cmp(&b),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn scores_split_distinct_values_into_quintiles() {
        let v: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(scores(&v), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        assert_eq!(scores(&[3.0; 4]), [1, 1, 1, 1]);
        // 6 ties at the bottom of 10: L = 0 for them, 6 for the next -> 1 + 30/10 = 4.
        assert_eq!(
            scores(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0]),
            [1, 1, 1, 1, 1, 1, 4, 4, 5, 5]
        );
    }

    /// The definition read directly: $1 + \lfloor 5L/n \rfloor$ with $L$
    /// counted by comparing every pair (quadratic; for the test only).
    fn scores_by_counting(values: &[f64]) -> Vec<u8> {
        let n = values.len();
        values
            .iter()
            .map(|v| {
                let below = values.iter().filter(|w| w.total_cmp(v).is_lt()).count();
                u8::try_from(1 + 5 * below / n).unwrap()
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn scores_equal_the_definition(
            // Few distinct values (many ties) and any values, NaN and signed zeros included.
            small in proptest::collection::vec(0u8..6, 0..60),
            any in proptest::collection::vec(proptest::num::f64::ANY, 0..60),
        ) {
            let small: Vec<f64> = small.into_iter().map(f64::from).collect();
            proptest::prop_assert_eq!(scores(&small), scores_by_counting(&small));
            proptest::prop_assert_eq!(scores(&any), scores_by_counting(&any));
        }
    }

    #[test]
    fn every_grid_cell_has_one_segment() {
        use Segment::*;
        let grid = [
            [
                NewCustomers,
                PotentialLoyalists,
                PotentialLoyalists,
                Champions,
                Champions,
            ],
            [
                Promising,
                PotentialLoyalists,
                PotentialLoyalists,
                LoyalCustomers,
                LoyalCustomers,
            ],
            [
                AboutToSleep,
                AboutToSleep,
                NeedAttention,
                LoyalCustomers,
                LoyalCustomers,
            ],
            [Hibernating, Hibernating, AtRisk, AtRisk, CannotLoseThem],
            [Hibernating, Hibernating, AtRisk, AtRisk, CannotLoseThem],
        ];
        for (i, row) in grid.iter().enumerate() {
            for (j, &want) in row.iter().enumerate() {
                let (r, f) = (5 - u8::try_from(i).unwrap(), 1 + u8::try_from(j).unwrap());
                assert_eq!(Segment::of(r, f), want, "R{r} F{f}");
            }
        }
    }
}
