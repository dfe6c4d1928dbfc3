//! The Arrow part of the crate (feature `arrow`): see the crate
//! documentation.

use std::collections::HashMap;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    ArrowDictionaryKeyType, ArrowPrimitiveType, Date32Type, Date64Type, Decimal128Type,
    Decimal256Type, Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type,
    Int8Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, DictionaryArray, PrimitiveArray, RecordBatch};
use arrow_schema::{DataType, Schema, TimeUnit};
use rayon::prelude::*;

use retentionkit::log::check_order_day;
use retentionkit::log::ids::text_id;

use crate::amount::parse_amount;
use crate::dates::DateFormat;

/// A column that does not fit its role, or a value that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The column's type cannot hold its role, or its dates' format or
    /// time zone cannot be read.
    Column {
        /// The column's name.
        column: String,
        /// What is wrong, naming the column (no file name).
        message: String,
    },
    /// The first value that cannot be read, when reading stops at it.
    Value {
        /// Its 1-based row in the whole input.
        line: u64,
        /// What a part of the input is called (`row group`).
        part: &'static str,
        /// The part's 0-based index.
        part_index: usize,
        /// Its 1-based row in the part.
        part_row: u64,
        /// The column's name.
        column: String,
        /// What is wrong with the value.
        message: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Column { message, .. } => f.write_str(message),
            Error::Value {
                line,
                part,
                part_index,
                part_row,
                column,
                message,
            } => write!(
                f,
                "row {line} ({part} {part_index}, row {part_row}): column \"{column}\": {message}"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// The result of a conversion.
pub type Result<T> = std::result::Result<T, Error>;

/// How to read the columns.
#[derive(Debug, Clone)]
pub struct Options {
    /// A date format for text or integer dates (a keyword of
    /// [`DateFormat::from_arg`] or a chrono pattern); `None`: guessed from
    /// the first values of a text column, `yyyymmdd` for integers.
    pub date_format: Option<String>,
    /// Drop the rows that cannot be read (reported in
    /// [`Converted::bad_rows`]) instead of stopping at the first.
    pub skip_bad_rows: bool,
    /// How the caller names the date format setting, for messages
    /// (`--date-format`, `date_format=`).
    pub date_format_name: &'static str,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            date_format: None,
            skip_bad_rows: false,
            date_format_name: "--date-format",
        }
    }
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// Its 1-based row in the whole input.
    pub line: u64,
    /// The column's name.
    pub column: String,
    /// What was wrong.
    pub message: String,
}

/// The core's columns, owned.
#[derive(Debug, Clone, Default)]
pub struct Converted {
    /// Customer ids (the integers, or indices into `id_names`).
    pub ids: Vec<u64>,
    /// Order days since 1970-01-01.
    pub days: Vec<i32>,
    /// Order amounts.
    pub amounts: Option<Vec<f64>>,
    /// The text ids in order of first appearance (id `k` is `id_names[k]`),
    /// when the ids were text.
    pub id_names: Option<Vec<String>>,
    /// Rows dropped with [`Options::skip_bad_rows`].
    pub bad_rows: Vec<BadRow>,
}

/// Whether a column of this type holds numbers (an amount candidate).
pub fn is_number(t: &DataType) -> bool {
    t.is_integer()
        || t.is_floating()
        || matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..))
}

/// The columns read: indices into the schema's top-level fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Picked {
    /// The customer id column.
    pub id: usize,
    /// The order date column.
    pub date: usize,
    /// The amount column, if any.
    pub amount: Option<usize>,
}

impl Picked {
    /// The columns to read, in the file's order (a projection).
    pub fn projection(&self) -> Vec<usize> {
        let mut cols = vec![self.id, self.date];
        cols.extend(self.amount);
        cols.sort_unstable();
        cols
    }

    /// Where column `c` is in a batch of the projected columns.
    pub fn position(&self, c: usize) -> usize {
        self.projection().iter().position(|&p| p == c).unwrap_or(0)
    }
}

/// How the ids of the id column are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdKind {
    /// Integers, as they are (negative ones are bad rows).
    Integer,
    /// Text by the core's rule (`log::ids::text_id`), numbered in order of
    /// first appearance.
    Text,
}

/// How the dates of the date column are read.
#[derive(Debug, Clone, PartialEq)]
enum DateKind {
    /// `date32` / `date64` / a timestamp: the calendar date, shifted by a
    /// zone's offset when the timestamp has one.
    Typed(Zone),
    /// Text in this format.
    Text(DateFormat),
    /// Integers written in this format (`20240131`, or Unix seconds with
    /// `--date-format unix`).
    Integer(DateFormat),
}

/// A timestamp's zone.
#[derive(Debug, Clone, PartialEq)]
enum Zone {
    /// No zone, or UTC: the date as written.
    Fixed(i64),
    /// A named zone (IANA), through arrow's time zone support.
    Named(String),
}

/// Everything the conversion of a batch needs to know, decided once for the
/// file: the columns, their types and the date format.
#[derive(Debug, Clone)]
pub struct Plan {
    names: Vec<String>,
    picked: Picked,
    id_kind: IdKind,
    date_kind: DateKind,
    stop_at_first: bool,
    /// What a part of the file is called in messages (`row group`).
    part: &'static str,
}

/// The type of column `c` in words, for messages.
fn type_name(t: &DataType) -> String {
    match t {
        // The zone is said apart, as the user wrote it.
        DataType::Timestamp(unit, _) => format!(
            "timestamp({})",
            match unit {
                TimeUnit::Second => "s",
                TimeUnit::Millisecond => "ms",
                TimeUnit::Microsecond => "us",
                TimeUnit::Nanosecond => "ns",
            }
        ),
        _ => format!("{t}").to_lowercase(),
    }
}

impl Plan {
    /// Check the types of the picked columns in `schema` and decide how to
    /// read them; `sample` gives the first values of a text or integer date
    /// column (for guessing its format), `part` names a part of the file.
    ///
    /// # Errors
    /// A column whose type cannot hold its role, a zone that cannot be read,
    /// or text dates in no format the reader knows.
    pub fn new(
        schema: &Schema,
        picked: Picked,
        opts: &Options,
        sample: Option<&ArrayRef>,
        part: &'static str,
    ) -> Result<Plan> {
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let ty = |c: usize| schema.field(c).data_type().clone();
        let wrong = |c: usize, want: &str| Error::Column {
            column: names[c].clone(),
            message: format!(
                "column \"{}\" is of type {}; expected {want}",
                names[c],
                type_name(&ty(c))
            ),
        };
        let id_kind = match ty(picked.id) {
            t if t.is_integer() => IdKind::Integer,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => IdKind::Text,
            DataType::Dictionary(k, v)
                if k.is_dictionary_key_type()
                    && matches!(
                        *v,
                        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
                    ) =>
            {
                IdKind::Text
            }
            _ => {
                return Err(wrong(
                    picked.id,
                    "customer ids as integers or strings (or a dictionary of strings)",
                ))
            }
        };
        let user_format = opts.date_format.as_deref().map(DateFormat::from_arg);
        let date_kind = match ty(picked.date) {
            DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, None) => {
                DateKind::Typed(Zone::Fixed(0))
            }
            DataType::Timestamp(_, Some(tz)) => DateKind::Typed(zone(&names[picked.date], &tz)?),
            t if t.is_integer() => DateKind::Integer(user_format.unwrap_or(DateFormat::Compact)),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                let format = match user_format {
                    Some(f) => f,
                    None => guess_format(sample).ok_or_else(|| Error::Column {
                        column: names[picked.date].clone(),
                        message: format!(
                            "column \"{}\": cannot tell how its dates are written; \
                             give {} (iso, yyyymmdd, unix, or a pattern such as %d.%m.%Y)",
                            names[picked.date], opts.date_format_name
                        ),
                    })?,
                };
                DateKind::Text(format)
            }
            _ => {
                return Err(wrong(
                    picked.date,
                    "order dates (date32, date64, a timestamp, text or yyyymmdd integers)",
                ))
            }
        };
        if let Some(a) = picked.amount {
            let t = ty(a);
            if !is_number(&t)
                && !matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
            {
                return Err(wrong(
                    a,
                    "order amounts (integers, floats, decimals or text)",
                ));
            }
        }
        Ok(Plan {
            names,
            picked,
            id_kind,
            date_kind,
            stop_at_first: !opts.skip_bad_rows,
            part,
        })
    }

    /// The names of the input's columns (of its schema).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The columns read.
    pub fn picked(&self) -> &Picked {
        &self.picked
    }

    /// How the dates are read, in words (`date32`, `iso (yyyy-mm-dd)`,
    /// `timestamp(us) (dates in Europe/Berlin)`), for a report; `date_type`
    /// is the date column's type.
    pub fn date_format_text(&self, date_type: &DataType) -> String {
        match &self.date_kind {
            DateKind::Text(f) => f.describe(),
            DateKind::Integer(f) => format!("{} as integers", f.describe()),
            DateKind::Typed(Zone::Fixed(0)) => match date_type {
                DataType::Timestamp(_, Some(_)) => {
                    format!("{} (dates in UTC)", type_name(date_type))
                }
                _ => type_name(date_type),
            },
            DateKind::Typed(Zone::Fixed(s)) => {
                format!("{} (dates at UTC{})", type_name(date_type), offset_text(*s))
            }
            DateKind::Typed(Zone::Named(n)) => format!("{} (dates in {n})", type_name(date_type)),
        }
    }
}

/// `+02:00` for 7200 seconds.
fn offset_text(s: i64) -> String {
    let sign = if s < 0 { '-' } else { '+' };
    let s = s.abs();
    format!("{sign}{:02}:{:02}", s / 3600, s % 3600 / 60)
}

/// The zone of a timestamp column: UTC and fixed offsets (`+02:00`) always,
/// IANA names (`Europe/Berlin`) through arrow's `chrono-tz` support.
fn zone(column: &str, tz: &str) -> Result<Zone> {
    let t = tz.trim();
    if matches!(t, "UTC" | "utc" | "Z" | "Etc/UTC" | "GMT" | "Etc/GMT") {
        return Ok(Zone::Fixed(0));
    }
    match t.parse::<arrow_array::timezone::Tz>() {
        Ok(_) => {
            if let Some(s) = fixed_offset(t) {
                Ok(Zone::Fixed(s))
            } else {
                Ok(Zone::Named(t.to_string()))
            }
        }
        Err(e) => Err(Error::Column {
            column: column.to_string(),
            message: format!(
                "column \"{column}\": cannot read the time zone {tz:?} of its timestamps ({e})"
            ),
        }),
    }
}

/// `+02:00`, `-0530`, `+02` as seconds east of UTC.
fn fixed_offset(t: &str) -> Option<i64> {
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i64>().ok()?, 0),
        4 => (
            digits[..2].parse::<i64>().ok()?,
            digits[2..].parse::<i64>().ok()?,
        ),
        _ => return None,
    };
    Some(sign * (h * 3600 + m * 60))
}

/// The format of a text date column from its first values (the format
/// reading at least 80 % of them, else the one reading most).
fn guess_format(sample: Option<&ArrayRef>) -> Option<DateFormat> {
    let sample = sample?;
    let texts: Vec<String> = (0..sample.len().min(200))
        .filter_map(|i| text_at(sample.as_ref(), i))
        .filter(|s| !s.trim().is_empty())
        .collect();
    let bytes: Vec<&[u8]> = texts.iter().map(std::string::String::as_bytes).collect();
    DateFormat::guess(&bytes).or_else(|| DateFormat::best(&bytes))
}

/// The text at row `i` of a string array (`None` for a null or another type).
fn text_at(a: &dyn Array, i: usize) -> Option<String> {
    if a.is_null(i) {
        return None;
    }
    match a.data_type() {
        DataType::Utf8 => Some(a.as_string::<i32>().value(i).to_string()),
        DataType::LargeUtf8 => Some(a.as_string::<i64>().value(i).to_string()),
        DataType::Utf8View => Some(a.as_string_view().value(i).to_string()),
        _ => None,
    }
}

/// Where a part of the file starts: its index (row group, record batch) and
/// its first row's 0-based number in the file.
#[derive(Debug, Clone, Copy, Default)]
pub struct PartStart {
    /// The part's 0-based index.
    pub index: usize,
    /// Rows in the file before the part.
    pub first_row: u64,
}

/// The columns of one part of the file.
#[derive(Debug, Default)]
pub struct Part {
    start: PartStart,
    ids: Vec<u64>,
    days: Vec<i32>,
    amounts: Option<Vec<f64>>,
    /// String ids of this part, numbered in order of first appearance in
    /// it: `ids` index them.
    names: Vec<String>,
    /// `names` by text.
    codes: HashMap<String, u64>,
    /// Rows read (good and bad).
    rows: u64,
    /// Bad rows, each with its 0-based row in the part.
    bad: Vec<(u64, BadRow)>,
}

/// A value that could not be read: its 0-based row in the batch and why.
type Fault = (usize, String);

impl Part {
    /// An empty part starting at `start`.
    pub fn new(start: PartStart, plan: &Plan) -> Part {
        Part {
            start,
            amounts: plan.picked.amount.map(|_| Vec::new()),
            ..Part::default()
        }
    }

    /// Make room for `rows` more rows (the part's length when the file
    /// says it, a row group's), so its columns grow once, not batch by
    /// batch.
    pub fn reserve(&mut self, rows: usize) {
        self.ids.reserve(rows);
        self.days.reserve(rows);
        if let Some(a) = self.amounts.as_mut() {
            a.reserve(rows);
        }
    }

    /// Whether the reading of this part can stop: a bad row was found and
    /// the command stops at the first.
    pub fn done(&self, plan: &Plan) -> bool {
        plan.stop_at_first && !self.bad.is_empty()
    }

    /// Append the rows of one batch (of the projected columns).
    pub fn push(&mut self, plan: &Plan, batch: &RecordBatch) {
        let n = batch.num_rows();
        let col = |c: usize| batch.column(plan.picked.position(c));
        let before = self.days.len();
        let mut faults: Vec<(usize, usize, String)> = Vec::new();
        let mut note = |column: usize, f: Vec<Fault>| {
            faults.extend(f.into_iter().map(|(r, m)| (r, column, m)));
        };
        let f = self.push_ids(plan, col(plan.picked.id));
        note(plan.picked.id, f);
        let f = push_days(&plan.date_kind, col(plan.picked.date), &mut self.days);
        note(plan.picked.date, f);
        if let (Some(a), Some(out)) = (plan.picked.amount, self.amounts.as_mut()) {
            let f = push_amounts(col(a), out);
            note(a, f);
        }
        if !faults.is_empty() {
            self.drop_bad(plan, before, n, faults);
        }
        self.rows += n as u64;
    }

    /// Remove the rows of `faults` (rows of the batch appended at `before`)
    /// and record them as bad rows; a row's first column in the order id,
    /// date, amount is the one reported.
    fn drop_bad(
        &mut self,
        plan: &Plan,
        before: usize,
        n: usize,
        mut faults: Vec<(usize, usize, String)>,
    ) {
        let rank = |c: usize| {
            if c == plan.picked.id {
                0
            } else if c == plan.picked.date {
                1
            } else {
                2
            }
        };
        faults.sort_by_key(|(r, c, _)| (*r, rank(*c)));
        faults.dedup_by_key(|(r, _, _)| *r);
        let mut keep = vec![true; n];
        for (r, c, message) in faults {
            keep[r] = false;
            let row = self.rows + r as u64;
            self.bad.push((
                row,
                BadRow {
                    line: self.start.first_row + row + 1,
                    column: plan.names[c].clone(),
                    message,
                },
            ));
        }
        filter_vec(&mut self.ids, before, &keep);
        filter_vec(&mut self.days, before, &keep);
        if let Some(a) = self.amounts.as_mut() {
            filter_vec(a, before, &keep);
        }
    }

    /// Append the ids of a batch.
    fn push_ids(&mut self, plan: &Plan, a: &ArrayRef) -> Vec<Fault> {
        let mut faults = Vec::new();
        match plan.id_kind {
            IdKind::Integer => push_integer_ids(a.as_ref(), &mut self.ids, &mut faults),
            IdKind::Text => match a.data_type() {
                DataType::Utf8 => {
                    let s = a.as_string::<i32>();
                    self.push_texts(
                        s.len(),
                        |i| (!s.is_null(i)).then(|| s.value(i)),
                        &mut faults,
                    );
                }
                DataType::LargeUtf8 => {
                    let s = a.as_string::<i64>();
                    self.push_texts(
                        s.len(),
                        |i| (!s.is_null(i)).then(|| s.value(i)),
                        &mut faults,
                    );
                }
                DataType::Utf8View => {
                    let s = a.as_string_view();
                    self.push_texts(
                        s.len(),
                        |i| (!s.is_null(i)).then(|| s.value(i)),
                        &mut faults,
                    );
                }
                DataType::Dictionary(k, _) => match k.as_ref() {
                    DataType::Int8 => self.push_dictionary::<Int8Type>(a.as_ref(), &mut faults),
                    DataType::Int16 => self.push_dictionary::<Int16Type>(a.as_ref(), &mut faults),
                    DataType::Int32 => self.push_dictionary::<Int32Type>(a.as_ref(), &mut faults),
                    DataType::Int64 => self.push_dictionary::<Int64Type>(a.as_ref(), &mut faults),
                    DataType::UInt8 => self.push_dictionary::<UInt8Type>(a.as_ref(), &mut faults),
                    DataType::UInt16 => {
                        self.push_dictionary::<UInt16Type>(a.as_ref(), &mut faults);
                    }
                    DataType::UInt32 => {
                        self.push_dictionary::<UInt32Type>(a.as_ref(), &mut faults);
                    }
                    DataType::UInt64 => {
                        self.push_dictionary::<UInt64Type>(a.as_ref(), &mut faults);
                    }
                    _ => unexpected(a.len(), &mut self.ids, &mut faults, a.data_type()),
                },
                _ => unexpected(a.len(), &mut self.ids, &mut faults, a.data_type()),
            },
        }
        faults
    }

    /// The part's code of text id `t` (checked by the core's rule).
    fn code(&mut self, t: &str) -> std::result::Result<u64, String> {
        let t = text_id(t, 0).map_err(core_reason)?;
        if let Some(&c) = self.codes.get(t) {
            return Ok(c);
        }
        let c = self.names.len() as u64;
        self.names.push(t.to_string());
        self.codes.insert(t.to_string(), c);
        Ok(c)
    }

    /// Append `n` text ids, `value(i)` the text of row `i` (`None`: null).
    fn push_texts<'a>(
        &mut self,
        n: usize,
        value: impl Fn(usize) -> Option<&'a str>,
        faults: &mut Vec<Fault>,
    ) {
        self.ids.reserve(n);
        for i in 0..n {
            let code = match value(i) {
                None => Err("expected a customer id, found an empty value".to_string()),
                Some(t) => self.code(t),
            };
            match code {
                Ok(c) => self.ids.push(c),
                Err(m) => {
                    self.ids.push(0);
                    faults.push((i, m));
                }
            }
        }
    }

    /// Append the ids of a dictionary of strings: each dictionary value is
    /// checked and numbered once, when a row first uses it.
    fn push_dictionary<K: ArrowDictionaryKeyType>(
        &mut self,
        a: &dyn Array,
        faults: &mut Vec<Fault>,
    ) {
        let d: &DictionaryArray<K> = a.as_dictionary::<K>();
        let values = d.values();
        let mut known: Vec<Option<std::result::Result<u64, String>>> = vec![None; values.len()];
        self.ids.reserve(d.len());
        for i in 0..d.len() {
            let code = if let Some(k) = d.key(i) {
                match known.get(k) {
                    Some(Some(c)) => c.clone(),
                    Some(None) => {
                        let c = match text_at(values.as_ref(), k) {
                            Some(t) => self.code(&t),
                            None => Err("expected a customer id, found an empty value".to_string()),
                        };
                        known[k] = Some(c.clone());
                        c
                    }
                    None => Err("a dictionary key outside its dictionary".to_string()),
                }
            } else {
                Err(NO_ID.to_string())
            };
            match code {
                Ok(c) => self.ids.push(c),
                Err(m) => {
                    self.ids.push(0);
                    faults.push((i, m));
                }
            }
        }
    }
}

/// Keep the values of `v` before `before` and those after it whose row is
/// kept.
fn filter_vec<T>(v: &mut Vec<T>, before: usize, keep: &[bool]) {
    let mut i = 0;
    v.retain(|_| {
        let k = i < before || keep.get(i - before).copied().unwrap_or(true);
        i += 1;
        k
    });
}

/// The reason of a core error about one value (its message otherwise).
fn core_reason(e: retentionkit::Error) -> String {
    match e {
        retentionkit::Error::InvalidValue { reason, .. } => reason,
        other => other.to_string(),
    }
}

/// A batch whose column has a type the plan did not expect (a schema that
/// changed between batches): every row is bad.
fn unexpected<T: Default>(n: usize, out: &mut Vec<T>, faults: &mut Vec<Fault>, t: &DataType) {
    for i in 0..n {
        out.push(T::default());
        faults.push((
            i,
            format!("a value of type {} in this part of the file", type_name(t)),
        ));
    }
}

/// Apply `f` to every value of a primitive array; a null is a fault with
/// message `null`.
fn each<T: ArrowPrimitiveType, O: Default>(
    a: &dyn Array,
    out: &mut Vec<O>,
    faults: &mut Vec<Fault>,
    null: &str,
    f: impl Fn(T::Native) -> std::result::Result<O, String>,
) {
    let p: &PrimitiveArray<T> = a.as_primitive::<T>();
    out.reserve(p.len());
    if p.null_count() == 0 {
        for (i, &v) in p.values().iter().enumerate() {
            match f(v) {
                Ok(o) => out.push(o),
                Err(m) => {
                    out.push(O::default());
                    faults.push((i, m));
                }
            }
        }
    } else {
        for (i, &v) in p.values().iter().enumerate() {
            let r = if p.is_null(i) {
                Err(null.to_string())
            } else {
                f(v)
            };
            match r {
                Ok(o) => out.push(o),
                Err(m) => {
                    out.push(O::default());
                    faults.push((i, m));
                }
            }
        }
    }
}

const NO_ID: &str = "expected a customer id, found an empty value";

/// Integer ids: as they are; negative ones are faults.
fn push_integer_ids(a: &dyn Array, out: &mut Vec<u64>, faults: &mut Vec<Fault>) {
    fn signed(v: i64) -> std::result::Result<u64, String> {
        u64::try_from(v).map_err(|_| {
            format!("expected a customer id (a non-negative integer or a string), found {v}")
        })
    }
    match a.data_type() {
        DataType::Int8 => each::<Int8Type, _>(a, out, faults, NO_ID, |v| signed(v.into())),
        DataType::Int16 => each::<Int16Type, _>(a, out, faults, NO_ID, |v| signed(v.into())),
        DataType::Int32 => each::<Int32Type, _>(a, out, faults, NO_ID, |v| signed(v.into())),
        DataType::Int64 => each::<Int64Type, _>(a, out, faults, NO_ID, signed),
        DataType::UInt8 => each::<UInt8Type, _>(a, out, faults, NO_ID, |v| Ok(v.into())),
        DataType::UInt16 => each::<UInt16Type, _>(a, out, faults, NO_ID, |v| Ok(v.into())),
        DataType::UInt32 => each::<UInt32Type, _>(a, out, faults, NO_ID, |v| Ok(v.into())),
        DataType::UInt64 => each::<UInt64Type, _>(a, out, faults, NO_ID, Ok),
        t => unexpected(a.len(), out, faults, t),
    }
}

const NO_DATE: &str = "expected a date, found an empty value";

/// The day of `v` units since 1970-01-01 00:00 (`per_day` units a day)
/// shifted by `offset` seconds, checked against the core's order dates.
fn day_of_instant(v: i64, per_second: i64, offset: i64) -> std::result::Result<i32, String> {
    let shifted = i128::from(v) + i128::from(offset) * i128::from(per_second);
    let day = shifted.div_euclid(i128::from(per_second) * 86_400);
    let day =
        i32::try_from(day).map_err(|_| format!("the timestamp {v} is outside every calendar"))?;
    check_order_day(day, 0).map(|()| day).map_err(core_reason)
}

/// A typed day, checked against the core's order dates.
fn checked(day: i32) -> std::result::Result<i32, String> {
    check_order_day(day, 0).map(|()| day).map_err(core_reason)
}

/// Append the days of a batch's date column.
fn push_days(kind: &DateKind, a: &ArrayRef, out: &mut Vec<i32>) -> Vec<Fault> {
    let mut faults = Vec::new();
    let a = a.as_ref();
    match (kind, a.data_type()) {
        (_, DataType::Date32) => each::<Date32Type, _>(a, out, &mut faults, NO_DATE, checked),
        (_, DataType::Date64) => {
            each::<Date64Type, _>(a, out, &mut faults, NO_DATE, |v| day_of_instant(v, 1000, 0));
        }
        (DateKind::Typed(zone), DataType::Timestamp(unit, _)) => {
            let per_second = match unit {
                TimeUnit::Second => 1,
                TimeUnit::Millisecond => 1_000,
                TimeUnit::Microsecond => 1_000_000,
                TimeUnit::Nanosecond => 1_000_000_000,
            };
            let named = match zone {
                Zone::Named(n) => n.parse::<arrow_array::timezone::Tz>().ok(),
                Zone::Fixed(_) => None,
            };
            let offset = |v: i64| -> i64 {
                match (zone, &named) {
                    (Zone::Fixed(s), _) => *s,
                    (Zone::Named(_), Some(tz)) => named_offset(*tz, v.div_euclid(per_second)),
                    (Zone::Named(_), None) => 0,
                }
            };
            let f = |v: i64| day_of_instant(v, per_second, offset(v));
            match unit {
                TimeUnit::Second => each::<TimestampSecondType, _>(a, out, &mut faults, NO_DATE, f),
                TimeUnit::Millisecond => {
                    each::<TimestampMillisecondType, _>(a, out, &mut faults, NO_DATE, f);
                }
                TimeUnit::Microsecond => {
                    each::<TimestampMicrosecondType, _>(a, out, &mut faults, NO_DATE, f);
                }
                TimeUnit::Nanosecond => {
                    each::<TimestampNanosecondType, _>(a, out, &mut faults, NO_DATE, f);
                }
            }
        }
        (DateKind::Text(format), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
            out.reserve(a.len());
            for i in 0..a.len() {
                let r = match a.data_type() {
                    DataType::Utf8 => text_day(format, a.as_string::<i32>(), i),
                    DataType::LargeUtf8 => text_day(format, a.as_string::<i64>(), i),
                    _ => {
                        let s = a.as_string_view();
                        if s.is_null(i) {
                            Err(NO_DATE.to_string())
                        } else {
                            parse_day(format, s.value(i))
                        }
                    }
                };
                match r {
                    Ok(d) => out.push(d),
                    Err(m) => {
                        out.push(0);
                        faults.push((i, m));
                    }
                }
            }
        }
        (DateKind::Integer(format), t) if t.is_integer() => {
            let f = |v: i64| parse_day(format, &v.to_string());
            match t {
                DataType::Int8 => {
                    each::<Int8Type, _>(a, out, &mut faults, NO_DATE, |v| f(v.into()));
                }
                DataType::Int16 => {
                    each::<Int16Type, _>(a, out, &mut faults, NO_DATE, |v| f(v.into()));
                }
                DataType::Int32 => {
                    each::<Int32Type, _>(a, out, &mut faults, NO_DATE, |v| f(v.into()));
                }
                DataType::Int64 => each::<Int64Type, _>(a, out, &mut faults, NO_DATE, f),
                DataType::UInt8 => {
                    each::<UInt8Type, _>(a, out, &mut faults, NO_DATE, |v| f(v.into()));
                }
                DataType::UInt16 => {
                    each::<UInt16Type, _>(a, out, &mut faults, NO_DATE, |v| f(v.into()));
                }
                DataType::UInt32 => {
                    each::<UInt32Type, _>(a, out, &mut faults, NO_DATE, |v| f(v.into()));
                }
                _ => each::<UInt64Type, _>(a, out, &mut faults, NO_DATE, |v| {
                    parse_day(format, &v.to_string())
                }),
            }
        }
        (_, t) => unexpected(a.len(), out, &mut faults, t),
    }
    faults
}

/// Seconds east of UTC of zone `tz` at `secs` seconds since 1970.
fn named_offset(tz: arrow_array::timezone::Tz, secs: i64) -> i64 {
    use chrono::{Offset, TimeZone};
    chrono::DateTime::from_timestamp(secs, 0).map_or(0, |utc| {
        i64::from(
            tz.offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc(),
        )
    })
}

/// The day of text `s` in `format`, checked against the core's order dates.
fn parse_day(format: &DateFormat, s: &str) -> std::result::Result<i32, String> {
    match format.parse(s.as_bytes()) {
        Some(d) => checked(d),
        None => Err(format!("expected {}, found {s:?}", format.example())),
    }
}

/// The day at row `i` of a string array.
fn text_day<O: arrow_array::OffsetSizeTrait>(
    format: &DateFormat,
    s: &arrow_array::GenericStringArray<O>,
    i: usize,
) -> std::result::Result<i32, String> {
    if s.is_null(i) {
        Err(NO_DATE.to_string())
    } else {
        parse_day(format, s.value(i))
    }
}

const NO_AMOUNT: &str = "expected an amount, found an empty value";

/// A number read as an amount: finite, non-negative, at most the core's
/// bound (2^53).
fn amount(v: f64) -> std::result::Result<f64, String> {
    if !v.is_finite() {
        return Err(format!("expected a finite amount, found {v}"));
    }
    if v < 0.0 {
        return Err(format!(
            "expected a non-negative amount (net refunds before reading), found {v}"
        ));
    }
    retentionkit::log::check_amount(v, 0)
        .map(|()| v)
        .map_err(core_reason)
}

/// Powers of ten exactly representable in `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A decimal `v × 10^-scale` as the nearest `f64`: one correctly rounded
/// division when both numbers are exact in `f64`, else through its decimal
/// text.
fn decimal(v: i128, scale: i8) -> f64 {
    let exact = v.unsigned_abs() < (1u128 << 53);
    if let (true, Some(&power)) = (
        exact,
        usize::try_from(scale).ok().and_then(|s| POW10.get(s)),
    ) {
        #[allow(clippy::cast_precision_loss)] // ok: below 2^53, exact
        return v as f64 / power;
    }
    format!("{v}e{}", -i32::from(scale))
        .parse::<f64>()
        .unwrap_or(f64::NAN)
}

/// Append the amounts of a batch's amount column.
fn push_amounts(a: &ArrayRef, out: &mut Vec<f64>) -> Vec<Fault> {
    let mut faults = Vec::new();
    let a = a.as_ref();
    #[allow(clippy::cast_precision_loss)] // ok: amounts above 2^53 are rejected anyway
    match a.data_type() {
        DataType::Float64 => each::<Float64Type, _>(a, out, &mut faults, NO_AMOUNT, amount),
        DataType::Float32 => {
            each::<Float32Type, _>(a, out, &mut faults, NO_AMOUNT, |v| amount(v.into()));
        }
        DataType::Float16 => {
            each::<Float16Type, _>(a, out, &mut faults, NO_AMOUNT, |v| amount(v.to_f64()));
        }
        DataType::Int8 => each::<Int8Type, _>(a, out, &mut faults, NO_AMOUNT, |v| amount(v.into())),
        DataType::Int16 => {
            each::<Int16Type, _>(a, out, &mut faults, NO_AMOUNT, |v| amount(v.into()));
        }
        DataType::Int32 => {
            each::<Int32Type, _>(a, out, &mut faults, NO_AMOUNT, |v| amount(v.into()));
        }
        DataType::Int64 => {
            each::<Int64Type, _>(a, out, &mut faults, NO_AMOUNT, |v| amount(v as f64));
        }
        DataType::UInt8 => {
            each::<UInt8Type, _>(a, out, &mut faults, NO_AMOUNT, |v| amount(v.into()));
        }
        DataType::UInt16 => {
            each::<UInt16Type, _>(a, out, &mut faults, NO_AMOUNT, |v| amount(v.into()));
        }
        DataType::UInt32 => {
            each::<UInt32Type, _>(a, out, &mut faults, NO_AMOUNT, |v| amount(v.into()));
        }
        DataType::UInt64 => {
            each::<UInt64Type, _>(a, out, &mut faults, NO_AMOUNT, |v| amount(v as f64));
        }
        DataType::Decimal128(_, s) => {
            let s = *s;
            each::<Decimal128Type, _>(a, out, &mut faults, NO_AMOUNT, |v| amount(decimal(v, s)));
        }
        DataType::Decimal256(_, s) => {
            let s = *s;
            each::<Decimal256Type, _>(a, out, &mut faults, NO_AMOUNT, |v| {
                let x = match v.to_i128() {
                    Some(v) => decimal(v, s),
                    None => format!("{v}e{}", -i32::from(s))
                        .parse::<f64>()
                        .unwrap_or(f64::NAN),
                };
                amount(x)
            });
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            out.reserve(a.len());
            for i in 0..a.len() {
                let r = match text_at(a, i) {
                    None => Err(NO_AMOUNT.to_string()),
                    Some(t) => parse_amount(t.as_bytes()),
                };
                match r {
                    Ok(v) => out.push(v),
                    Err(m) => {
                        out.push(0.0);
                        faults.push((i, m));
                    }
                }
            }
        }
        t => unexpected(a.len(), out, &mut faults, t),
    }
    faults
}

/// The parts, in file order, as one table; string ids renumbered in order
/// of first appearance in the file. `Err` for the first bad row when the
/// reading stops at it.
///
/// # Errors
/// The first bad row, unless bad rows are skipped.
pub fn concat(plan: &Plan, parts: Vec<Part>) -> Result<Converted> {
    if plan.stop_at_first
        && let Some(p) = parts.iter().find(|p| !p.bad.is_empty())
    {
        let (row, b) = &p.bad[0];
        return Err(Error::Value {
            line: b.line,
            part: plan.part,
            part_index: p.start.index,
            part_row: row + 1,
            column: b.column.clone(),
            message: b.message.clone(),
        });
    }
    let mut names: Vec<String> = Vec::new();
    let mut parts = parts;
    if plan.id_kind == IdKind::Text {
        // Each part's codes to the file's, in order of first appearance.
        let mut global: HashMap<String, u64> = HashMap::new();
        let maps: Vec<Vec<u64>> = parts
            .iter_mut()
            .map(|p| {
                std::mem::take(&mut p.names)
                    .into_iter()
                    .map(|name| {
                        let next = names.len() as u64;
                        *global.entry(name).or_insert_with_key(|k| {
                            names.push(k.clone());
                            next
                        })
                    })
                    .collect()
            })
            .collect();
        parts.par_iter_mut().zip(maps).for_each(|(p, map)| {
            for id in &mut p.ids {
                // ok: every code of a part indexes its names.
                *id = map
                    .get(usize::try_from(*id).unwrap_or(usize::MAX))
                    .copied()
                    .unwrap_or(*id);
            }
        });
    }
    let n: usize = parts.iter().map(|p| p.ids.len()).sum();
    let mut ids = Vec::with_capacity(n);
    let mut days = Vec::with_capacity(n);
    let mut amounts = plan.picked.amount.map(|_| Vec::with_capacity(n));
    let mut bad = Vec::new();
    for p in parts {
        ids.extend_from_slice(&p.ids);
        days.extend_from_slice(&p.days);
        if let (Some(a), Some(pa)) = (amounts.as_mut(), p.amounts.as_ref()) {
            a.extend_from_slice(pa);
        }
        bad.extend(p.bad.into_iter().map(|(_, b)| b));
    }
    Ok(Converted {
        ids,
        days,
        amounts,
        id_names: (!names.is_empty()).then_some(names),
        bad_rows: bad,
    })
}

/// Customer ids borrowed from an Arrow column.
#[derive(Debug, Clone, Copy)]
pub enum BorrowedIds<'a> {
    /// A `uint64` column's values.
    Unsigned(&'a [u64]),
    /// An `int64` column's values (the core rejects a negative one).
    Signed(&'a [i64]),
}

/// The core's columns borrowed from a record batch ([`borrow`]).
#[derive(Debug, Clone, Copy)]
pub struct Borrowed<'a> {
    /// The customer ids.
    pub ids: BorrowedIds<'a>,
    /// The order days since 1970-01-01.
    pub days: &'a [i32],
    /// The amounts, when the plan reads an amount column.
    pub amounts: Option<&'a [f64]>,
}

/// The columns of `batch` (a batch of the whole schema `plan` was made
/// for) as the core's slices, without a copy: Arrow's value buffers are
/// the slices. Only when the layout already is the core's: `int64` or
/// `uint64` ids, `date32` dates, `float64` amounts (or none), none of them
/// with a null. `None` otherwise; then [`Part::push`] converts the batch.
///
/// The values are not checked here: `TransactionLog::new` (or
/// `with_signed_ids`) checks them, at the same rows, as it checks any
/// slices (a negative id, a date outside the supported range, a negative
/// or non-finite amount).
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use arrow_array::{Array, Date32Array, Int64Array, RecordBatch};
/// use arrow_schema::{DataType, Field, Schema};
/// use retentionkit_arrow::{borrow, BorrowedIds, Options, Picked, Plan};
///
/// let schema = Arc::new(Schema::new(vec![
///     Field::new("id", DataType::Int64, false),
///     Field::new("day", DataType::Date32, false),
/// ]));
/// let ids = Int64Array::from(vec![3, 1]);
/// let days = Date32Array::from(vec![19_723, 19_724]);
/// let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(ids), Arc::new(days)]).unwrap();
/// let plan = Plan::new(&schema, Picked { id: 0, date: 1, amount: None }, &Options::default(), None, "batch").unwrap();
/// let b = borrow(&plan, &batch).unwrap();
/// let BorrowedIds::Signed(ids) = b.ids else { unreachable!() };
/// // The very buffer of the Arrow array: no copy.
/// assert_eq!(ids.as_ptr(), batch.column(0).to_data().buffers()[0].as_ptr().cast());
/// assert_eq!((ids, b.days, b.amounts), (&[3i64, 1][..], &[19_723, 19_724][..], None));
/// ```
pub fn borrow<'a>(plan: &Plan, batch: &'a RecordBatch) -> Option<Borrowed<'a>> {
    let p = &plan.picked;
    let col = |c: usize| batch.columns().get(c).filter(|a| a.null_count() == 0);
    let id = col(p.id)?;
    let ids = match id.data_type() {
        DataType::Int64 => BorrowedIds::Signed(&id.as_primitive::<Int64Type>().values()[..]),
        DataType::UInt64 => BorrowedIds::Unsigned(&id.as_primitive::<UInt64Type>().values()[..]),
        _ => return None,
    };
    let date = col(p.date)?;
    if date.data_type() != &DataType::Date32 {
        return None;
    }
    let days: &[i32] = &date.as_primitive::<Date32Type>().values()[..];
    let amounts = match p.amount {
        None => None,
        Some(a) => {
            let a = col(a)?;
            if a.data_type() != &DataType::Float64 {
                return None;
            }
            Some(&a.as_primitive::<Float64Type>().values()[..])
        }
    };
    Some(Borrowed { ids, days, amounts })
}
