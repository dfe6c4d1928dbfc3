//! Reading the transaction log: CSV (any delimiter, gzip or not), Parquet,
//! or the built-in demo shop.

pub mod csv;
pub mod dates;
#[cfg(feature = "parquet")]
pub mod parquet;

use dates::{trim, DateFormat};
use retentionkit::demo::{shop, DemoOptions};
use serde::Serialize;

use crate::error::{CliError, Result};
use crate::progress::Progress;

/// How to read a file (from the command line).
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Name (or 1-based number) of the customer id column.
    pub id: Option<String>,
    /// Name (or number) of the date column.
    pub date: Option<String>,
    /// Name (or number) of the amount column; `none` for no amounts.
    pub amount: Option<String>,
    /// A date format keyword or chrono pattern.
    pub date_format: Option<String>,
    /// The field delimiter (a space means runs of whitespace).
    pub delimiter: Option<u8>,
    /// Whether the first line is a header (`None`: detect).
    pub header: Option<bool>,
    /// Skip rows that cannot be parsed instead of stopping.
    pub skip_bad_rows: bool,
}

/// A row that could not be parsed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BadRow {
    /// 1-based line number in the file.
    pub line: u64,
    /// The column's name.
    pub column: String,
    /// What was wrong.
    pub message: String,
}

/// Which columns were read, and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Columns {
    /// The id column's name (or 1-based number without a header).
    pub id: String,
    /// The date column.
    pub date: String,
    /// The amount column, if any.
    pub amount: Option<String>,
    /// Whether the file had a header line.
    pub header: bool,
    /// How the dates were read.
    pub date_format: String,
    /// The field delimiter (CSV only).
    pub delimiter: Option<String>,
}

/// The columns of the log, owned, ready for `TransactionLog::new`.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Customer ids (integers from the file, or indices into `id_names`).
    pub ids: Vec<u64>,
    /// Order days since 1970-01-01.
    pub days: Vec<i32>,
    /// Order amounts.
    pub amounts: Option<Vec<f64>>,
    /// The original ids when they were not integers (id `k` is `id_names[k]`).
    pub id_names: Option<Vec<String>>,
    /// The columns read (`None` for the demo shop).
    pub columns: Option<Columns>,
    /// Rows skipped with `--skip-bad-rows`.
    pub bad_rows: Vec<BadRow>,
}

impl Table {
    /// The id as the user wrote it.
    pub fn id_label(&self, id: u64) -> String {
        match &self.id_names {
            Some(names) => usize::try_from(id)
                .ok()
                .and_then(|i| names.get(i))
                .cloned()
                .unwrap_or_else(|| id.to_string()),
            None => id.to_string(),
        }
    }
}

/// Where the data came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    /// A file.
    File {
        /// Its path as given.
        path: String,
    },
    /// The built-in demo shop.
    Demo {
        /// Its simulation settings.
        options: DemoOptions,
    },
}

/// Read `path`, or simulate the demo shop when `path` is `None`.
pub fn load(
    path: Option<&str>,
    opts: &ReadOptions,
    progress: &Progress,
) -> Result<(Source, Table)> {
    let Some(path) = path else {
        progress.stage("simulating");
        let options = DemoOptions::default();
        let demo = shop(&options)?;
        return Ok((
            Source::Demo { options },
            Table {
                ids: demo.ids,
                days: demo.days,
                amounts: Some(demo.amounts),
                ..Table::default()
            },
        ));
    };
    progress.stage("reading");
    let source = Source::File {
        path: path.to_string(),
    };
    let ext = std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("parquet" | "pq")) {
        #[cfg(feature = "parquet")]
        return Ok((source, parquet::read(path, opts, progress)?));
        #[cfg(not(feature = "parquet"))]
        return Err(CliError::input(format!(
            "{path}: this build reads no Parquet (built without the `parquet` feature)"
        )));
    }
    let bytes = csv::read_bytes(path, progress)?;
    if bytes.starts_with(b"PAR1") {
        return Err(CliError::input(format!(
            "{path}: this is a Parquet file; name it with a .parquet extension"
        )));
    }
    let table = csv::parse(path, &bytes, opts, progress)?;
    Ok((source, table))
}

/// The columns chosen for a file.
#[derive(Debug, Clone)]
pub struct Chosen {
    /// Whether the first line is a header.
    pub header: bool,
    /// Column names (1-based numbers without a header).
    pub names: Vec<String>,
    /// Index of the id column.
    pub id: usize,
    /// Index of the date column.
    pub date: usize,
    /// Index of the amount column.
    pub amount: Option<usize>,
    /// How the dates are written.
    pub date_format: DateFormat,
}

const ID_NAMES: &[&str] = &[
    "customer_id",
    "customerid",
    "customer",
    "client_id",
    "user_id",
    "cust_id",
    "member_id",
    "id",
];
const DATE_NAMES: &[&str] = &[
    "date",
    "order_date",
    "ts",
    "timestamp",
    "invoicedate",
    "invoice_date",
    "purchase_date",
    "created_at",
    "time",
    "day",
];
const AMOUNT_NAMES: &[&str] = &[
    "amount",
    "revenue",
    "value",
    "total",
    "sales",
    "price",
    "spend",
    "order_value",
];

/// Find a column by the user's name (exact, then ignoring case, then a
/// 1-based number).
pub fn find_column(path: &str, names: &[String], wanted: &str, what: &str) -> Result<usize> {
    if let Some(i) = names.iter().position(|n| n == wanted) {
        return Ok(i);
    }
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(wanted)) {
        return Ok(i);
    }
    if let Ok(k) = wanted.parse::<usize>() {
        if (1..=names.len()).contains(&k) {
            return Ok(k - 1);
        }
    }
    Err(CliError::input(format!(
        "{path}: no column {wanted:?} for {what} (the columns are: {})",
        names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// A column whose name matches one of `wanted` (in their order of preference).
fn by_name(names: &[String], wanted: &[&str], skip: &[usize]) -> Option<usize> {
    let norm = |s: &str| s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    for w in wanted {
        if let Some(i) = names
            .iter()
            .enumerate()
            .position(|(i, n)| !skip.contains(&i) && norm(n) == *w)
        {
            return Some(i);
        }
    }
    None
}

/// Decide header, columns and date format from the first rows of a file
/// (already split into fields).
pub fn guess_columns(path: &str, rows: &[Vec<&[u8]>], opts: &ReadOptions) -> Result<Chosen> {
    let Some(first) = rows.first() else {
        return Err(CliError::input(format!("{path}: the file has no rows")));
    };
    let user_format = opts.date_format.as_deref().map(DateFormat::from_arg);
    let is_date = |f: &[u8]| match &user_format {
        Some(fmt) => fmt.parse(f).is_some(),
        None => DateFormat::guess(&[f]).is_some(),
    };
    // A header names columns; a data row holds a date.
    let header = opts
        .header
        .unwrap_or_else(|| !first.iter().any(|f| is_date(f)));
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let names: Vec<String> = if header {
        first
            .iter()
            .map(|f| String::from_utf8_lossy(trim(f)).into_owned())
            .collect()
    } else {
        (1..=width).map(|k| k.to_string()).collect()
    };
    let data: Vec<&Vec<&[u8]>> = rows.iter().skip(usize::from(header)).collect();
    if data.is_empty() {
        return Err(CliError::input(format!(
            "{path}: the file has a header line but no data rows"
        )));
    }
    let sample = Sample { path, names, data };
    let (date, date_format) = date_column(&sample, opts, user_format)?;
    let id = id_column(&sample, opts, date)?;
    let amount = amount_column(&sample, opts, id, date)?;
    Ok(Chosen {
        header,
        names: sample.names,
        id,
        date,
        amount,
        date_format,
    })
}

const HINT: &str = "name the columns with --id, --date and --amount";

/// The first data rows of a file, and its column names.
struct Sample<'a> {
    path: &'a str,
    names: Vec<String>,
    data: Vec<&'a Vec<&'a [u8]>>,
}

impl Sample<'_> {
    /// The non-empty values of column `i`.
    fn column(&self, i: usize) -> Vec<&[u8]> {
        self.data
            .iter()
            .filter_map(|r| r.get(i).copied())
            .filter(|f| !trim(f).is_empty())
            .collect()
    }
}

/// Most (≥ 80 %) of the sample values satisfy `ok`: one bad value in the
/// first rows is reported at its line instead of hiding the column.
fn mostly(c: &[&[u8]], ok: &dyn Fn(&[u8]) -> bool) -> bool {
    let k = c.iter().filter(|v| ok(v)).count();
    k > 0 && k * 5 >= c.len() * 4
}

/// The date column (named, else the first named like a date whose values
/// parse, else the first whose values parse) and its format.
fn date_column(
    s: &Sample<'_>,
    opts: &ReadOptions,
    user_format: Option<DateFormat>,
) -> Result<(usize, DateFormat)> {
    let (path, names) = (s.path, &s.names);
    let date = if let Some(w) = &opts.date {
        find_column(path, names, w, "--date")?
    } else {
        let parses = |i: usize| {
            let c = s.column(i);
            match &user_format {
                Some(f) => mostly(&c, &|v| f.parse(v).is_some()),
                None => DateFormat::guess(&c).is_some(),
            }
        };
        by_name(names, DATE_NAMES, &[])
            .filter(|&i| parses(i))
            .or_else(|| (0..names.len()).find(|&i| parses(i)))
            .ok_or_else(|| {
                CliError::input(format!(
                    "{path}: found no column of dates in the first rows; {HINT} (and --date-format)"
                ))
            })?
    };
    let date_format = if let Some(f) = user_format {
        f
    } else {
        let c = s.column(date);
        DateFormat::guess(&c).ok_or_else(|| {
                let example = c
                    .first()
                    .map(|v| String::from_utf8_lossy(trim(v)).into_owned())
                    .unwrap_or_default();
                CliError::input(format!(
                    "{path}: column {:?}: could not recognise the date format of values like {example:?}; \
                     give it with --date-format (for example %d.%m.%Y)",
                    names.get(date).cloned().unwrap_or_default()
                ))
            })?
    };
    Ok((date, date_format))
}

/// The id column: named, else named like an id, else the first other than
/// the date that holds integers, else the first other than the date.
fn id_column(s: &Sample<'_>, opts: &ReadOptions, date: usize) -> Result<usize> {
    let (path, names) = (s.path, &s.names);
    let id = if let Some(w) = &opts.id {
        find_column(path, names, w, "--id")?
    } else {
        let integers = |i: usize| {
            let c = s.column(i);
            mostly(&c, &|v| trim(v).iter().all(u8::is_ascii_digit))
        };
        by_name(names, ID_NAMES, &[date])
            .or_else(|| (0..names.len()).find(|&i| i != date && integers(i)))
            .or_else(|| (0..names.len()).find(|&i| i != date))
            .ok_or_else(|| {
                CliError::input(format!(
                    "{path}: found no column for the customer id; {HINT}"
                ))
            })?
    };
    if id == date {
        return Err(CliError::input(format!(
            "{path}: the id and the date cannot be the same column; {HINT}"
        )));
    }
    Ok(id)
}

/// The amount column: none on request, named, else named like an amount,
/// else the last other column of decimal numbers.
fn amount_column(
    s: &Sample<'_>,
    opts: &ReadOptions,
    id: usize,
    date: usize,
) -> Result<Option<usize>> {
    let (path, names) = (s.path, &s.names);
    let amount = match opts.amount.as_deref() {
        Some("none") => None,
        Some(w) => Some(find_column(path, names, w, "--amount")?),
        None => {
            let decimal = |i: usize| {
                let c = s.column(i);
                mostly(&c, &|v| csv::parse_amount(v).is_ok()) && c.iter().any(|v| v.contains(&b'.'))
            };
            by_name(names, AMOUNT_NAMES, &[id, date]).or_else(|| {
                (0..names.len())
                    .rev()
                    .find(|&i| i != id && i != date && decimal(i))
            })
        }
    };
    if amount.is_some_and(|a| a == id || a == date) {
        return Err(CliError::input(format!(
            "{path}: the amount must be a column of its own; {HINT}"
        )));
    }
    Ok(amount)
}
