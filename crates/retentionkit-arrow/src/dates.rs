//! Date parsing at the edge: text to days since 1970-01-01.
//!
//! The fixed formats (ISO dates and timestamps, `yyyymmdd`, `yyyy/mm/dd`,
//! `dd/mm/yyyy`, `mm/dd/yyyy`, Unix seconds) are parsed byte by byte with
//! the civil-from-days arithmetic of H. Hinnant ("chrono-Compatible
//! Low-Level Date Algorithms", `days_from_civil`); a user's `--date-format`
//! goes through chrono.

use chrono::{NaiveDate, NaiveDateTime};

/// How the dates of a column are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateFormat {
    /// `2024-01-31`, optionally followed by a time (`2024-01-31 13:05:00`,
    /// `2024-01-31T13:05:00Z`, ...): the date part as written.
    Iso,
    /// `20240131`, as in the CDNOW files.
    Compact,
    /// `2024/01/31`.
    YearSlash,
    /// `31/01/2024` (also with `.` or `-`).
    DayFirst,
    /// `01/31/2024`.
    MonthFirst,
    /// Seconds since 1970-01-01 00:00 UTC (the UTC date is taken).
    UnixSeconds,
    /// A chrono `strftime` pattern given with `--date-format`.
    Custom(String),
}

/// First and last supported day (0001-01-01 and 9999-12-31), as in the core.
const MIN_DAY: i32 = -719_162;
const MAX_DAY: i32 = 2_932_896;

impl DateFormat {
    /// The format named by `--date-format`: a keyword or a chrono pattern.
    pub fn from_arg(text: &str) -> DateFormat {
        match text {
            "iso" | "%Y-%m-%d" => DateFormat::Iso,
            "yyyymmdd" | "%Y%m%d" => DateFormat::Compact,
            "%Y/%m/%d" => DateFormat::YearSlash,
            "%d/%m/%Y" => DateFormat::DayFirst,
            "%m/%d/%Y" => DateFormat::MonthFirst,
            "unix" | "epoch" => DateFormat::UnixSeconds,
            other => DateFormat::Custom(other.to_string()),
        }
    }

    /// A short description for the "reading ... with" line and messages.
    pub fn describe(&self) -> String {
        match self {
            DateFormat::Iso => "ISO (2024-01-31, time of day ignored)".into(),
            DateFormat::Compact => "yyyymmdd (20240131)".into(),
            DateFormat::YearSlash => "yyyy/mm/dd".into(),
            DateFormat::DayFirst => "dd/mm/yyyy".into(),
            DateFormat::MonthFirst => "mm/dd/yyyy".into(),
            DateFormat::UnixSeconds => "Unix seconds (UTC date)".into(),
            DateFormat::Custom(p) => format!("{p:?} (--date-format)"),
        }
    }

    /// What a value should look like, for error messages.
    pub fn example(&self) -> String {
        match self {
            DateFormat::Iso => "a date like 2024-01-31".into(),
            DateFormat::Compact => "a date like 20240131".into(),
            DateFormat::YearSlash => "a date like 2024/01/31".into(),
            DateFormat::DayFirst => "a date like 31/01/2024".into(),
            DateFormat::MonthFirst => "a date like 01/31/2024".into(),
            DateFormat::UnixSeconds => "Unix seconds like 1706659200".into(),
            DateFormat::Custom(p) => format!("a date in the format {p:?}"),
        }
    }

    /// Parse one value (surrounding spaces allowed) into a day number.
    pub fn parse(&self, text: &[u8]) -> Option<i32> {
        let t = trim(text);
        let day = match self {
            DateFormat::Iso => parse_iso(t),
            DateFormat::Compact => parse_compact(t),
            DateFormat::YearSlash => {
                let (y, m, d) = three_parts(t, b'/')?;
                (y.len() == 4).then_some(())?;
                civil(digits(y)?, digits(m)?, digits(d)?)
            }
            DateFormat::DayFirst | DateFormat::MonthFirst => {
                let sep = *t.get(2).or_else(|| t.get(1))?;
                if !matches!(sep, b'/' | b'.' | b'-') {
                    return None;
                }
                let (a, b, y) = three_parts(t, sep)?;
                (y.len() == 4).then_some(())?;
                let (m, d) = if *self == DateFormat::DayFirst {
                    (b, a)
                } else {
                    (a, b)
                };
                civil(digits(y)?, digits(m)?, digits(d)?)
            }
            DateFormat::UnixSeconds => {
                let (neg, body) = match t.split_first() {
                    Some((b'-', rest)) => (true, rest),
                    _ => (false, t),
                };
                let s = i64::from(digits(body)?);
                let s = if neg { -s } else { s };
                i32::try_from(s.div_euclid(86_400)).ok()
            }
            DateFormat::Custom(p) => {
                let s = std::str::from_utf8(t).ok()?;
                NaiveDate::parse_from_str(s, p)
                    .ok()
                    .or_else(|| NaiveDateTime::parse_from_str(s, p).ok().map(|dt| dt.date()))
                    .map(days_of)
            }
        }?;
        (MIN_DAY..=MAX_DAY).contains(&day).then_some(day)
    }

    /// Guess the format from sample values: the fixed format that parses
    /// the most of them, and at least 80 % (so one bad value in the first
    /// rows is reported at its line instead of hiding the column).
    /// Day-first and month-first are told apart by a first or second part
    /// above 12; with neither, the guess fails, so the user names the format.
    pub fn guess(samples: &[&[u8]]) -> Option<DateFormat> {
        let n = samples.len();
        if n == 0 {
            return None;
        }
        let score = |f: &DateFormat| samples.iter().filter(|s| f.parse(s).is_some()).count();
        let enough = |k: usize| k > 0 && k * 5 >= n * 4;
        let mut best: Option<(DateFormat, usize)> = None;
        for f in [DateFormat::Iso, DateFormat::Compact, DateFormat::YearSlash] {
            let k = score(&f);
            if enough(k) && best.as_ref().is_none_or(|(_, b)| k > *b) {
                best = Some((f, k));
            }
        }
        if let Some((f, _)) = best {
            return Some(f);
        }
        let (day_first, month_first) =
            (score(&DateFormat::DayFirst), score(&DateFormat::MonthFirst));
        if enough(day_first) && day_first > month_first {
            return Some(DateFormat::DayFirst);
        }
        if enough(month_first) && month_first > day_first {
            return Some(DateFormat::MonthFirst);
        }
        if enough(day_first) {
            // Both parse everything: ambiguous.
            return None;
        }
        // Unix seconds: 9 to 11 digits (1973 to 5138).
        let unix = samples
            .iter()
            .filter(|s| {
                let t = trim(s);
                (9..=11).contains(&t.len()) && t.iter().all(u8::is_ascii_digit)
            })
            .count();
        enough(unix).then_some(DateFormat::UnixSeconds)
    }
}

impl DateFormat {
    /// The fixed format (other than Unix seconds) that reads the most of
    /// `samples`, however few: the format a column was meant to have when
    /// [`DateFormat::guess`] finds none reading enough of it, so that its
    /// first unreadable value can be reported. `None` when no fixed format
    /// reads any value, or day-first and month-first read as many.
    pub fn best(samples: &[&[u8]]) -> Option<DateFormat> {
        let score = |f: &DateFormat| samples.iter().filter(|s| f.parse(s).is_some()).count();
        let mut best: Option<(DateFormat, usize)> = None;
        for f in [DateFormat::Iso, DateFormat::Compact, DateFormat::YearSlash] {
            let k = score(&f);
            if k > 0 && best.as_ref().is_none_or(|(_, b)| k > *b) {
                best = Some((f, k));
            }
        }
        if let Some((f, _)) = best {
            return Some(f);
        }
        let (d, m) = (score(&DateFormat::DayFirst), score(&DateFormat::MonthFirst));
        match d.cmp(&m) {
            std::cmp::Ordering::Greater => Some(DateFormat::DayFirst),
            std::cmp::Ordering::Less => Some(DateFormat::MonthFirst),
            std::cmp::Ordering::Equal => None,
        }
    }

    /// Whether some fixed format reads `value`.
    pub fn reads_any(value: &[u8]) -> bool {
        [
            DateFormat::Iso,
            DateFormat::Compact,
            DateFormat::YearSlash,
            DateFormat::DayFirst,
            DateFormat::MonthFirst,
        ]
        .iter()
        .any(|f| f.parse(value).is_some())
    }
}

/// Strip ASCII spaces and tabs at both ends.
pub fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !matches!(b, b' ' | b'\t'));
    let Some(start) = start else {
        return &[];
    };
    let end = s
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(start, |e| e + 1);
    &s[start..end]
}

fn parse_iso(t: &[u8]) -> Option<i32> {
    if t.len() < 10 {
        return None;
    }
    let (date, rest) = t.split_at(10);
    if date[4] != b'-' || date[7] != b'-' {
        return None;
    }
    if let Some(&c) = rest.first()
        && c != b'T'
        && c != b' '
    {
        return None;
    }
    civil(
        digits(&date[0..4])?,
        digits(&date[5..7])?,
        digits(&date[8..10])?,
    )
}

fn parse_compact(t: &[u8]) -> Option<i32> {
    if t.len() != 8 {
        return None;
    }
    civil(digits(&t[0..4])?, digits(&t[4..6])?, digits(&t[6..8])?)
}

/// Split `a<sep>b<sep>c` (a time after a space or `T` in the last part is ignored).
fn three_parts(t: &[u8], sep: u8) -> Option<(&[u8], &[u8], &[u8])> {
    let t = match t.iter().position(|&b| b == b' ' || b == b'T') {
        Some(i) => &t[..i],
        None => t,
    };
    let mut parts = t.split(|&b| b == sep);
    let a = parts.next()?;
    let b = parts.next()?;
    let c = parts.next()?;
    if parts.next().is_some() || a.is_empty() || b.is_empty() || a.len() > 4 || b.len() > 2 {
        return None;
    }
    Some((a, b, c))
}

/// A run of 1 to 9 ASCII digits as a number.
fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 11 {
        return None;
    }
    let mut v: u64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    u32::try_from(v).ok()
}

/// Days since 1970-01-01 of a valid proleptic Gregorian date, `None` for an
/// impossible one (month 13, 30 February, ...).
fn civil(y: u32, m: u32, d: u32) -> Option<i32> {
    if !(1..=12).contains(&m) || d == 0 || y > 9999 || y == 0 {
        return None;
    }
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let len = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d > len {
        return None;
    }
    // Hinnant's days_from_civil.
    let (y, m, d) = (i64::from(y), i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

fn days_of(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from(d.signed_duration_since(epoch).num_days()).unwrap_or(i32::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_formats_agree_with_chrono() {
        // Every day of 1899..=2101 through each fixed format equals chrono's day count.
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let mut d = NaiveDate::from_ymd_opt(1899, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2101, 12, 31).unwrap();
        while d <= end {
            let want = i32::try_from((d - epoch).num_days()).unwrap();
            let iso = d.format("%Y-%m-%d").to_string();
            assert_eq!(DateFormat::Iso.parse(iso.as_bytes()), Some(want), "{iso}");
            let c = d.format("%Y%m%d").to_string();
            assert_eq!(DateFormat::Compact.parse(c.as_bytes()), Some(want), "{c}");
            let f = d.format("%d/%m/%Y").to_string();
            assert_eq!(DateFormat::DayFirst.parse(f.as_bytes()), Some(want), "{f}");
            d = d.succ_opt().unwrap();
        }
    }

    #[test]
    fn timestamps_and_bad_values() {
        // 2024-01-31 is day 19753 (19723 for 2024-01-01, per the core's `day`, + 30).
        for ok in [
            "2024-01-31",
            "2024-01-31 23:59:59",
            "2024-01-31T00:00:00Z",
            " 2024-01-31 ",
        ] {
            assert_eq!(DateFormat::Iso.parse(ok.as_bytes()), Some(19_753), "{ok}");
        }
        for bad in [
            "2024-02-30",
            "2024-13-01",
            "2024-1-31",
            "abc",
            "",
            "2024-01-31x",
        ] {
            assert_eq!(DateFormat::Iso.parse(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(DateFormat::Compact.parse(b"20240131"), Some(19_753));
        assert_eq!(DateFormat::Compact.parse(b"2024013"), None);
        // 1706659200 s = 19753 days × 86400 s exactly.
        assert_eq!(DateFormat::UnixSeconds.parse(b"1706659200"), Some(19_753));
        assert_eq!(DateFormat::UnixSeconds.parse(b"1706745599"), Some(19_753));
        assert_eq!(
            DateFormat::Custom("%d %b %Y".into()).parse(b"31 Jan 2024"),
            Some(19_753)
        );
    }

    #[test]
    fn guesses() {
        let g = |v: &[&str]| {
            let b: Vec<&[u8]> = v.iter().map(|s| s.as_bytes()).collect();
            DateFormat::guess(&b)
        };
        assert_eq!(
            g(&["2024-01-31", "2024-02-01 10:00"]),
            Some(DateFormat::Iso)
        );
        assert_eq!(g(&["19970101", "19971212"]), Some(DateFormat::Compact));
        assert_eq!(g(&["31/01/2024", "01/02/2024"]), Some(DateFormat::DayFirst));
        assert_eq!(
            g(&["01/31/2024", "02/01/2024"]),
            Some(DateFormat::MonthFirst)
        );
        assert_eq!(g(&["01/02/2024"]), None); // ambiguous
        assert_eq!(g(&["1706659200"]), Some(DateFormat::UnixSeconds));
        assert_eq!(g(&["abc"]), None);
        // One bad value in five still gives the format (the bad row is reported later).
        assert_eq!(
            g(&[
                "2024-01-01",
                "2024-13-01",
                "2024-01-03",
                "2024-01-04",
                "2024-01-05"
            ]),
            Some(DateFormat::Iso)
        );
        assert_eq!(g(&["2024-01-01", "x", "y"]), None);
    }
}
