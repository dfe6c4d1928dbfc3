//! Days as ISO dates in serde forms: `"2024-01-05"` out; `"2024-01-05"` or
//! the day number (days since 1970-01-01, the form before ISO dates) in.
//! Formats that are not human-readable (serde's `is_human_readable`, false
//! for binary formats such as bincode) keep the day number both ways.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{format_day, parse_day};

/// One day, serialized as its ISO date.
#[derive(Clone, Copy)]
struct IsoDay(i32);

impl Serialize for IsoDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&format_day(self.0))
        } else {
            s.serialize_i32(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for IsoDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            d.deserialize_any(IsoDayVisitor)
        } else {
            d.deserialize_i32(IsoDayVisitor)
        }
    }
}

struct IsoDayVisitor;

impl Visitor<'_> for IsoDayVisitor {
    type Value = IsoDay;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an ISO date YYYY-MM-DD or a day number (days since 1970-01-01)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<IsoDay, E> {
        parse_day(v).map(IsoDay).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<IsoDay, E> {
        // The range of days is the reading type's check (it names the column
        // and row); here only what fits an i32.
        i32::try_from(v)
            .map(IsoDay)
            .map_err(|_| E::custom(format!("day {v} is out of range")))
    }

    fn visit_i32<E: de::Error>(self, v: i32) -> Result<IsoDay, E> {
        self.visit_i64(i64::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<IsoDay, E> {
        let v = i64::try_from(v).map_err(|_| E::custom(format!("day {v} is out of range")))?;
        self.visit_i64(v)
    }
}

/// Serde `with` module for a day number (`i32`, days since 1970-01-01) as
/// an ISO date: `#[serde(with = "retentionkit::period::iso_day")]` on a field
/// of your own response type writes `"2024-01-05"`, and reads that or the
/// day number. The crate's own types serialize their days this way.
///
/// # Examples
/// ```
/// use retentionkit::period::day;
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Reply {
///     #[serde(with = "retentionkit::period::iso_day")]
///     last_order: i32,
/// }
/// let json = serde_json::to_string(&Reply { last_order: day(2024, 1, 5)? }).unwrap();
/// assert_eq!(json, r#"{"last_order":"2024-01-05"}"#);
/// let back: Reply = serde_json::from_str(r#"{"last_order":19727}"#).unwrap();
/// assert_eq!(back.last_order, day(2024, 1, 5)?); // 19,727 days after 1970-01-01
/// assert!(serde_json::from_str::<Reply>(r#"{"last_order":"2024-13-01"}"#).is_err());
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub mod iso_day {
    use super::{Deserialize, Deserializer, IsoDay, Serialize, Serializer};

    /// Write the day as `YYYY-MM-DD`.
    ///
    /// # Errors
    /// Those of the serializer.
    #[allow(clippy::trivially_copy_pass_by_ref)] // ok: serde's `with` passes a reference
    pub fn serialize<S: Serializer>(day: &i32, s: S) -> Result<S::Ok, S::Error> {
        IsoDay(*day).serialize(s)
    }

    /// Read `YYYY-MM-DD` or a day number.
    ///
    /// # Errors
    /// A serde error for anything else, an ISO date outside the supported
    /// range, or a number beyond `i32` (the range of day numbers is the
    /// reading type's check).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
        IsoDay::deserialize(d).map(|x| x.0)
    }
}

/// Serde `with` module for a column of day numbers as ISO dates, as
/// [`iso_day`] for one.
///
/// # Examples
/// ```
/// use retentionkit::period::day;
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Reply {
///     #[serde(with = "retentionkit::period::iso_days")]
///     cohorts: Vec<i32>,
/// }
/// let json = serde_json::to_string(&Reply { cohorts: vec![day(2024, 1, 1)?, day(2024, 2, 1)?] }).unwrap();
/// assert_eq!(json, r#"{"cohorts":["2024-01-01","2024-02-01"]}"#);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub mod iso_days {
    use super::{Deserialize, Deserializer, IsoDay, Serializer};

    /// Write the days as `YYYY-MM-DD` strings.
    ///
    /// # Errors
    /// Those of the serializer.
    #[allow(clippy::ptr_arg)] // ok: serde's `with` passes the field's type
    pub fn serialize<S: Serializer>(days: &Vec<i32>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(days.iter().map(|&d| IsoDay(d)))
    }

    /// Read a list of `YYYY-MM-DD` strings or day numbers.
    ///
    /// # Errors
    /// A serde error at the first element that is neither, or is out of range.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i32>, D::Error> {
        Vec::<IsoDay>::deserialize(d).map(|v| v.into_iter().map(|x| x.0).collect())
    }
}

/// Serde `with` module for an optional day (`Option<i32>`) as an ISO date
/// or `null`, as [`iso_day`] for one; pair it with `#[serde(default)]` so
/// that a missing field reads as `None`.
///
/// # Examples
/// ```
/// use retentionkit::summary::SummaryOptions;
/// let o: SummaryOptions = serde_json::from_str(r#"{"observation_end":"1997-09-30","unit":"weeks"}"#).unwrap();
/// assert_eq!(o.observation_end, Some(10_134)); // 1997-09-30, see period::parse_day
/// let o: SummaryOptions = serde_json::from_str(r#"{"unit":"days"}"#).unwrap();
/// assert_eq!(o.observation_end, None);
/// ```
pub mod iso_day_option {
    use super::{Deserialize, Deserializer, IsoDay, Serialize, Serializer};

    /// Write the day as `YYYY-MM-DD`, `None` as the format's null.
    ///
    /// # Errors
    /// Those of the serializer.
    #[allow(clippy::ref_option)] // ok: serde's `with` passes a reference to the field
    pub fn serialize<S: Serializer>(day: &Option<i32>, s: S) -> Result<S::Ok, S::Error> {
        day.map(IsoDay).serialize(s)
    }

    /// Read `YYYY-MM-DD`, a day number or null.
    ///
    /// # Errors
    /// A serde error for anything else, or a day outside the supported range.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
        Option::<IsoDay>::deserialize(d).map(|o| o.map(|x| x.0))
    }
}
