//! Days, calendar periods and look-back windows.
//!
//! Dates are days since 1970-01-01 as `i32` (the Arrow `date32` layout).
//! Periods are half-open day ranges `[start, end)`. Month, quarter and year
//! arithmetic goes through [`chrono`], never "30 days": one month before
//! 31 March is 28 (or 29) February.

/// The calendar date type of [`to_date`] (chrono's), re-exported so that a
/// caller needs no `chrono` dependency of its own to name it.
pub use chrono::NaiveDate;
#[cfg(feature = "serde")]
mod iso;
use chrono::{Datelike, Days, Months};
#[cfg(feature = "serde")]
pub use iso::{iso_day, iso_day_option, iso_days};

use crate::error::{invalid_arg, Result};

/// The first supported day, 0001-01-01, as days since 1970-01-01.
///
/// # Examples
/// ```
/// use retentionkit::period::{format_day, MIN_DAY};
/// assert_eq!(format_day(MIN_DAY), "0001-01-01");
/// ```
pub const MIN_DAY: i32 = -719_162;
/// The last supported day, 9999-12-31, as days since 1970-01-01.
///
/// # Examples
/// ```
/// use retentionkit::period::{format_day, MAX_DAY};
/// assert_eq!(format_day(MAX_DAY), "9999-12-31");
/// ```
pub const MAX_DAY: i32 = 2_932_896;

const EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// Day number (days since 1970-01-01) of a calendar date.
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when the date does not exist or lies outside
/// 0001-01-01 ..= 9999-12-31.
///
/// # Examples
/// ```
/// use retentionkit::period::day;
/// assert_eq!(day(1970, 1, 2)?, 1);
/// assert_eq!(day(2024, 2, 29)?, 19_782);
/// assert!(day(2023, 2, 29).is_err());
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn day(year: i32, month: u32, day_of_month: u32) -> Result<i32> {
    let d = NaiveDate::from_ymd_opt(year, month, day_of_month).ok_or_else(|| {
        invalid_arg(
            "date",
            format!("{year:04}-{month:02}-{day_of_month:02} is not a valid date"),
        )
    })?;
    let n = from_date(d);
    check_day(n, "date")?;
    Ok(n)
}

/// Parse an ISO date `YYYY-MM-DD` into a day number.
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when the text is not a valid ISO date in the supported range.
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::period::parse_day("1997-09-30")?, 10_134);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn parse_day(text: &str) -> Result<i32> {
    let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        invalid_arg(
            "date",
            format!("{text:?} is not an ISO date YYYY-MM-DD ({e})"),
        )
    })?;
    let n = from_date(d);
    check_day(n, "date")?;
    Ok(n)
}

/// The calendar date of a day number.
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when `day` is outside [`MIN_DAY`]`..=`[`MAX_DAY`].
///
/// # Examples
/// ```
/// use retentionkit::period::{day, to_date, NaiveDate, MAX_DAY};
/// assert_eq!(to_date(day(2024, 2, 29)?)?, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
/// assert!(to_date(MAX_DAY + 1).is_err());
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn to_date(day: i32) -> Result<NaiveDate> {
    check_day(day, "day")?;
    date_of(day).ok_or_else(|| invalid_arg("day", format!("{day} is outside the supported range")))
}

/// Format a day number as `YYYY-MM-DD` (or the raw number if out of range).
///
/// # Examples
/// ```
/// use retentionkit::period::{format_day, MAX_DAY};
/// assert_eq!(format_day(0), "1970-01-01");
/// assert_eq!(format_day(MAX_DAY + 1), "day 2932897"); // out of range: the number
/// ```
pub fn format_day(day: i32) -> String {
    match date_of(day) {
        Some(d) if (MIN_DAY..=MAX_DAY).contains(&day) => d.format("%Y-%m-%d").to_string(),
        _ => format!("day {day}"),
    }
}

pub(crate) fn check_day(day: i32, name: &'static str) -> Result<()> {
    if (MIN_DAY..=MAX_DAY).contains(&day) {
        Ok(())
    } else {
        Err(invalid_arg(
            name,
            format!("day {day} is outside 0001-01-01..=9999-12-31 ({MIN_DAY}..={MAX_DAY})"),
        ))
    }
}

fn from_date(d: NaiveDate) -> i32 {
    d.num_days_from_ce() - EPOCH_DAYS_FROM_CE
}

/// Date of a day number already known to be in range (None otherwise).
fn date_of(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day.checked_add(EPOCH_DAYS_FROM_CE)?)
}

/// A half-open range of days `[start, end)`.
///
/// Deserialization checks the bounds as [`Period::new`] does.
///
/// # Examples
/// ```
/// use retentionkit::period::{day, Period};
/// let feb = Period::new(day(2024, 2, 1)?, day(2024, 3, 1)?)?; // end exclusive
/// assert_eq!(feb.days(), 29);
/// assert!(feb.contains(day(2024, 2, 29)?) && !feb.contains(day(2024, 3, 1)?));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PeriodRaw"))]
pub struct Period {
    /// First day in the period.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub start: i32,
    /// First day after the period.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub end: i32,
}

checked_serde!(Period by new, PeriodRaw {
    #[serde(with = "crate::period::iso_day")]
    start: i32,
    #[serde(with = "crate::period::iso_day")]
    end: i32,
});

impl Period {
    /// A period `[start, end)`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when `end <= start` or a bound is out of range.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::period::Period;
    /// assert_eq!(Period::new(10, 17)?.days(), 7);
    /// assert!(Period::new(10, 10).is_err()); // empty
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(start: i32, end: i32) -> Result<Self> {
        check_day(start, "start")?;
        check_day(end.saturating_sub(1), "end")?;
        if end <= start {
            return Err(invalid_arg(
                "end",
                format!("period end {end} must be after its start {start}"),
            ));
        }
        Ok(Self { start, end })
    }

    /// Number of days in the period.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::period::{day, Period};
    /// assert_eq!(Period::new(day(2023, 2, 1)?, day(2023, 3, 1)?)?.days(), 28);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn days(&self) -> i32 {
        self.end - self.start
    }

    /// Whether `day` lies in `[start, end)`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::period::Period;
    /// let p = Period::new(10, 17)?;
    /// assert!(p.contains(10) && p.contains(16) && !p.contains(17));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn contains(&self, day: i32) -> bool {
        (self.start..self.end).contains(&day)
    }
}

/// Calendar granularity of a period.
///
/// # Examples
/// ```
/// use retentionkit::period::{day, Granularity};
/// let g = Granularity::Quarter;
/// assert_eq!(g.label(g.index(day(2023, 5, 10)?)), "2023-Q2");
/// assert_eq!(Granularity::default(), Granularity::Month);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum Granularity {
    /// One calendar day.
    Day,
    /// ISO week, Monday to Sunday.
    Week,
    /// Calendar month.
    #[default]
    Month,
    /// Calendar quarter (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec).
    Quarter,
    /// Calendar year.
    Year,
}

impl Granularity {
    /// The number of the period containing `day`, counted from a fixed origin:
    /// days since 1970-01-01, ISO weeks since the week of 1970-01-01,
    /// `year * 12 + month - 1`, `year * 4 + quarter - 1`, or the year.
    ///
    /// Consecutive periods have consecutive numbers, so "`k` periods after"
    /// is a subtraction.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::period::{day, Granularity};
    /// let d = day(2023, 6, 15)?;
    /// assert_eq!(Granularity::Month.index(d), 2023 * 12 + 5);
    /// assert_eq!(Granularity::Quarter.index(d), 2023 * 4 + 1);
    /// assert_eq!(Granularity::Month.index(day(2023, 7, 1)?) - Granularity::Month.index(d), 1);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn index(self, day: i32) -> i32 {
        let Some(d) = date_of(day) else {
            // Out-of-range days never reach here from validated inputs; keep
            // the function total with a monotone fallback.
            return day;
        };
        let m0 = i32::try_from(d.month0()).unwrap_or(0); // ok: month0 < 12
        match self {
            Granularity::Day => day,
            // 1970-01-01 is a Thursday; its ISO week starts on day -3.
            Granularity::Week => (day + 3).div_euclid(7),
            Granularity::Month => d.year() * 12 + m0,
            Granularity::Quarter => d.year() * 4 + m0 / 3,
            Granularity::Year => d.year(),
        }
    }

    /// First day of the period with number `index` (see [`Granularity::index`]).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when the period lies outside the supported dates.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::period::{day, Granularity};
    /// let g = Granularity::Month;
    /// assert_eq!(g.start_of(g.index(day(2023, 6, 15)?))?, day(2023, 6, 1)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn start_of(self, index: i32) -> Result<i32> {
        let out = || {
            invalid_arg(
                "period index",
                format!("{index} is outside the supported dates"),
            )
        };
        let day = match self {
            Granularity::Day => index,
            Granularity::Week => index
                .checked_mul(7)
                .and_then(|d| d.checked_sub(3))
                .ok_or_else(out)?,
            Granularity::Month => from_date(
                NaiveDate::from_ymd_opt(
                    index.div_euclid(12),
                    month_u32(index.rem_euclid(12)) + 1,
                    1,
                )
                .ok_or_else(out)?,
            ),
            Granularity::Quarter => from_date(
                NaiveDate::from_ymd_opt(
                    index.div_euclid(4),
                    month_u32(index.rem_euclid(4)) * 3 + 1,
                    1,
                )
                .ok_or_else(out)?,
            ),
            Granularity::Year => from_date(NaiveDate::from_ymd_opt(index, 1, 1).ok_or_else(out)?),
        };
        check_day(day, "period index")?;
        Ok(day)
    }

    /// The period with number `index`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when the period lies outside the supported dates.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::period::{day, Granularity};
    /// // ISO weeks run Monday to Sunday: 3 January 2024 (a Wednesday) is in the week of 1 January.
    /// let g = Granularity::Week;
    /// let p = g.period_of_index(g.index(day(2024, 1, 3)?))?;
    /// assert_eq!((p.start, p.end), (day(2024, 1, 1)?, day(2024, 1, 8)?));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn period_of_index(self, index: i32) -> Result<Period> {
        let start = self.start_of(index)?;
        let end = match index.checked_add(1) {
            Some(next) => self.start_of(next).or_else(|_| {
                // The last period before 10000-01-01.
                MAX_DAY
                    .checked_add(1)
                    .ok_or_else(|| invalid_arg("period index", "overflow"))
            })?,
            None => return Err(invalid_arg("period index", "overflow")),
        };
        Ok(Period { start, end })
    }

    /// The period containing `day`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when `day` is out of the supported range.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::period::{day, Granularity, Period};
    /// let p = Granularity::Week.period(day(2024, 1, 3)?)?; // a Wednesday
    /// assert_eq!(p, Period { start: day(2024, 1, 1)?, end: day(2024, 1, 8)? });
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn period(self, day: i32) -> Result<Period> {
        check_day(day, "day")?;
        self.period_of_index(self.index(day))
    }

    /// A human label for the period with number `index`: `2023-06-15`,
    /// `2023-W24` (ISO week-year), `2023-06`, `2023-Q2` or `2023`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::period::{day, Granularity};
    /// let d = day(2024, 1, 3)?;
    /// assert_eq!(Granularity::Week.label(Granularity::Week.index(d)), "2024-W01");
    /// assert_eq!(Granularity::Month.label(Granularity::Month.index(d)), "2024-01");
    /// assert_eq!(Granularity::Day.label(Granularity::Day.index(d)), "2024-01-03");
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn label(self, index: i32) -> String {
        match self {
            Granularity::Day => format_day(index),
            Granularity::Week => match self.start_of(index).ok().and_then(date_of) {
                Some(d) => {
                    let w = d.iso_week();
                    format!("{:04}-W{:02}", w.year(), w.week())
                }
                None => format!("week {index}"),
            },
            Granularity::Month => format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            ),
            Granularity::Quarter => {
                format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1)
            }
            Granularity::Year => format!("{index:04}"),
        }
    }
}

fn month_u32(m: i32) -> u32 {
    u32::try_from(m).unwrap_or(0) // ok: callers pass rem_euclid results, never negative
}

/// How far back "active" looks: a customer is active at `t` when they bought
/// in `[t − lookback, t)`.
///
/// Source: docs/metrics.md, "Days, periods and look-back windows"; default 12 calendar
/// months.
///
/// # Examples
/// ```
/// use retentionkit::period::Lookback;
/// assert_eq!(Lookback::default(), Lookback::Months(12));
/// assert_eq!((Lookback::Days(90).days(), Lookback::Days(90).months()), (Some(90), None));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum Lookback {
    /// A number of days (at least 1).
    Days(u32),
    /// A number of calendar months (at least 1), through chrono:
    /// one month before 31 March is 28/29 February.
    Months(u32),
}

impl Default for Lookback {
    fn default() -> Self {
        Lookback::Months(12)
    }
}

impl Lookback {
    /// The window's length in calendar months, when it is given in months.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::period::Lookback;
    /// assert_eq!(Lookback::Months(3).months(), Some(3));
    /// assert_eq!(Lookback::Days(30).months(), None);
    /// ```
    pub fn months(self) -> Option<u32> {
        match self {
            Lookback::Months(m) => Some(m),
            Lookback::Days(_) => None,
        }
    }

    /// The window's length in days, when it is given in days.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::period::Lookback;
    /// assert_eq!(Lookback::Days(30).days(), Some(30));
    /// assert_eq!(Lookback::Months(3).days(), None);
    /// ```
    pub fn days(self) -> Option<u32> {
        match self {
            Lookback::Days(d) => Some(d),
            Lookback::Months(_) => None,
        }
    }

    /// First day of the look-back window ending (exclusively) at `t`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a zero-length look-back or a window
    /// start before 0001-01-01.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::period::{day, Lookback};
    /// let t = day(2023, 3, 31)?;
    /// assert_eq!(Lookback::Months(1).window_start(t)?, day(2023, 2, 28)?);
    /// assert_eq!(Lookback::Days(30).window_start(t)?, day(2023, 3, 1)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn window_start(self, t: i32) -> Result<i32> {
        let date = to_date(t)?;
        let out = || {
            invalid_arg(
                "lookback",
                format!(
                    "the window before {} starts before 0001-01-01",
                    format_day(t)
                ),
            )
        };
        let start = match self {
            Lookback::Days(0) | Lookback::Months(0) => {
                return Err(invalid_arg("lookback", "must be at least 1 day or 1 month"))
            }
            Lookback::Days(n) => date
                .checked_sub_days(Days::new(u64::from(n)))
                .ok_or_else(out)?,
            Lookback::Months(n) => date.checked_sub_months(Months::new(n)).ok_or_else(out)?,
        };
        let s = from_date(start);
        check_day(s, "lookback").map_err(|_| out())?;
        Ok(s)
    }

    /// Check the look-back is at least one day or month.
    pub(crate) fn validate(self) -> Result<()> {
        match self {
            Lookback::Days(0) | Lookback::Months(0) => {
                Err(invalid_arg("lookback", "must be at least 1 day or 1 month"))
            }
            _ => Ok(()),
        }
    }
}

/// Period numbers for every day of a range, computed once through chrono so
/// passes over millions of rows index a table instead of calling the calendar.
pub(crate) struct PeriodTable {
    first_day: i32,
    index: Vec<i32>,
}

impl PeriodTable {
    pub(crate) fn new(granularity: Granularity, first_day: i32, last_day: i32) -> Self {
        let index = (first_day..=last_day)
            .map(|d| granularity.index(d))
            .collect();
        Self { first_day, index }
    }

    /// Period number of `day`; `day` must lie in the table's range.
    #[inline]
    pub(crate) fn get(&self, day: i32) -> i32 {
        let off = usize::try_from(day - self.first_day).unwrap_or(0); // ok: callers pass days of the validated range
        self.index.get(off).copied().unwrap_or(i32::MIN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_match_the_calendar() {
        assert_eq!(day(1970, 1, 1).unwrap(), 0);
        assert_eq!(day(1969, 12, 31).unwrap(), -1);
        assert_eq!(day(1, 1, 1).unwrap(), MIN_DAY);
        assert_eq!(day(9999, 12, 31).unwrap(), MAX_DAY);
        assert_eq!(
            to_date(19_782).unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert!(to_date(MAX_DAY + 1).is_err());
        assert!(parse_day("2023-13-01").is_err());
    }

    #[test]
    fn periods_round_trip_for_every_granularity() {
        let grans = [
            Granularity::Day,
            Granularity::Week,
            Granularity::Month,
            Granularity::Quarter,
            Granularity::Year,
        ];
        for g in grans {
            for d in (day(1999, 12, 20).unwrap()..day(2001, 1, 10).unwrap()).step_by(3) {
                let p = g.period(d).unwrap();
                assert!(p.contains(d), "{g:?} {d}");
                assert_eq!(g.index(p.start), g.index(d));
                assert_eq!(g.index(p.end), g.index(d) + 1);
                assert_eq!(g.index(p.end - 1), g.index(d));
            }
        }
    }

    #[test]
    fn iso_weeks_start_on_monday_and_label_by_iso_year() {
        // 2021-01-03 is a Sunday in ISO week 2020-W53.
        let sunday = day(2021, 1, 3).unwrap();
        let p = Granularity::Week.period(sunday).unwrap();
        assert_eq!(p.start, day(2020, 12, 28).unwrap());
        assert_eq!(
            Granularity::Week.label(Granularity::Week.index(sunday)),
            "2020-W53"
        );
        assert_eq!(Granularity::Quarter.label(2023 * 4 + 1), "2023-Q2");
        assert_eq!(Granularity::Month.label(2023 * 12 + 5), "2023-06");
    }

    #[test]
    fn month_lookback_clamps_to_month_end() {
        let t = day(2024, 3, 31).unwrap();
        assert_eq!(
            Lookback::Months(1).window_start(t).unwrap(),
            day(2024, 2, 29).unwrap()
        );
        assert_eq!(
            Lookback::Months(12)
                .window_start(day(2024, 2, 29).unwrap())
                .unwrap(),
            day(2023, 2, 28).unwrap()
        );
        assert!(Lookback::Months(0).window_start(t).is_err());
        assert!(Lookback::Days(1).window_start(MIN_DAY).is_err());
    }
}
