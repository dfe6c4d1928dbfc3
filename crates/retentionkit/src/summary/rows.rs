//! The summary one customer at a time, in the shape a response or a table
//! row wants: the id, the purchase dates, x, t_x, T and the mean spend.

use super::{Summary, TimeUnit};

/// One customer of a [`Summary`], with the recency and age the summary
/// computes ([`Summary::recency`], [`Summary::age`]) as fields. From
/// [`Summary::rows`]. Serializes with ISO dates and lifetimes' column
/// names (`frequency`, `recency`, `T`, `monetary_value`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct SummaryRow {
    /// The customer's id.
    pub customer_id: u64,
    /// Day of the first purchase.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub first_day: i32,
    /// Day of the last purchase up to the observation end.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub last_day: i32,
    /// Repeat purchase days $x$.
    pub frequency: u32,
    /// $t_x$ in [`SummaryRow::unit`]s.
    pub recency: f64,
    /// $T$ in [`SummaryRow::unit`]s.
    #[cfg_attr(feature = "serde", serde(rename = "T"))]
    pub age: f64,
    /// Mean spend of the repeat purchase days; `None` without amounts.
    pub monetary_value: Option<f64>,
    /// Unit of recency and T.
    pub unit: TimeUnit,
}

impl Summary {
    /// The customers one row each, in the summary's order (ascending id):
    /// what a service returns per customer, or a writer streams.
    ///
    /// # Errors
    /// Those of [`Summary::validate`] (checked first: the fields are public,
    /// and a summary edited into columns of different lengths is refused
    /// here rather than cut short or indexed past its end).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::day, summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// let days = [day(2024, 1, 1)?, day(2024, 1, 15)?, day(2024, 1, 10)?];
    /// let log = TransactionLog::new(&[7, 7, 9], &days, Some(&[10.0, 30.0, 5.0]))?;
    /// let options = SummaryOptions::default().with_observation_end(Some(day(2024, 1, 29)?)).with_unit(TimeUnit::Weeks);
    /// let s = summary(&log, &options)?;
    /// let first = s.rows()?.next().expect("two customers");
    /// // Customer 7: one repeat day (15 Jan) 2 weeks after the first, 4 weeks old.
    /// assert_eq!((first.customer_id, first.frequency, first.recency, first.age), (7, 1, 2.0, 4.0));
    /// let json = serde_json::to_value(first).unwrap();
    /// assert_eq!(json["first_day"], "2024-01-01");
    /// assert_eq!(json["T"], 4.0);
    /// assert_eq!(json["monetary_value"], 30.0); // the repeat day's spend
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn rows(&self) -> crate::Result<impl ExactSizeIterator<Item = SummaryRow> + '_> {
        self.validate()?;
        let u = self.unit.days();
        Ok((0..self.len()).map(move |i| SummaryRow {
            customer_id: self.customer_id[i],
            first_day: self.first_day[i],
            last_day: self.last_day[i],
            frequency: self.frequency[i],
            recency: f64::from(self.last_day[i] - self.first_day[i]) / u,
            age: f64::from(self.observation_end - self.first_day[i]) / u,
            monetary_value: self.monetary_value.as_ref().map(|m| m[i]),
            unit: self.unit,
        }))
    }
}
