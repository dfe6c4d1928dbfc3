//! Which column is the customer id, which the date and which the amount,
//! from the command line, the header and the first rows of a file.
//!
//! The rules (docs/input.md, "Columns"):
//!
//! 1. A flag (`--id`, `--date`, `--amount`) decides its column.
//! 2. Then header names: known names for each role (`customer_id`, `date`,
//!    `amount`, ... in the lists below) decide, before any value is looked at.
//!    A column named like a date is the date column even when a value does
//!    not parse: the first such value is reported at its line.
//! 3. A role still open goes to the one remaining column whose values fit it
//!    and never to a column whose values contradict it (an amount with a
//!    decimal point is not an id; a column of dates is not an id or an
//!    amount). When two or more columns fit, or none fits the id or the date,
//!    the command stops (exit code 2) naming the candidate columns and the
//!    flag to give. The amount is left out only when no remaining column
//!    holds numbers; a remaining column of whole numbers alone is a
//!    candidate, not a choice.

use serde::Serialize;

use super::dates::{trim, DateFormat};
use super::{csv, find_column, ReadOptions};
use crate::error::{CliError, Result};

/// How a column was chosen (recorded in the report JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// Given on the command line (`--id`, `--date`, `--amount`, `--amount none`).
    Flag,
    /// Detected from the header name.
    Name,
    /// Detected from the values (the one column whose values fit), or, for
    /// the amount, none because no remaining column holds numbers.
    Values,
}

/// How each column was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChosenBy {
    /// The id column.
    pub id: How,
    /// The date column.
    pub date: How,
    /// The amount column (or its absence).
    pub amount: How,
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
    /// How each column was chosen.
    pub by: ChosenBy,
}

pub(crate) const ID_NAMES: &[&str] = &[
    "customer_id",
    "customerid",
    "customer",
    "client_id",
    "clientid",
    "client",
    "user_id",
    "userid",
    "user",
    "cust_id",
    "member_id",
    "account_id",
    "id",
];
pub(crate) const DATE_NAMES: &[&str] = &[
    "date",
    "order_date",
    "orderdate",
    "ts",
    "timestamp",
    "invoicedate",
    "invoice_date",
    "purchase_date",
    "created_at",
    "time",
    "day",
];
pub(crate) const AMOUNT_NAMES: &[&str] = &[
    "amount",
    "revenue",
    "value",
    "total",
    "sales",
    "price",
    "spend",
    "order_value",
];

/// A header name as compared with the known names.
pub(crate) fn norm(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

/// A column whose name matches one of `wanted` (in their order of
/// preference), other than the columns in `skip`.
pub(crate) fn by_name(names: &[String], wanted: &[&str], skip: &[usize]) -> Option<usize> {
    wanted.iter().find_map(|w| {
        names
            .iter()
            .enumerate()
            .position(|(i, n)| !skip.contains(&i) && norm(n) == *w)
    })
}

/// The column named like one of `list` (see [`by_name`]), other than those
/// `taken`; two columns of that one name are as uncertain as two columns
/// whose values fit, so the command stops and asks for `flag` by number.
fn by_unique_name(
    s: &Sample<'_>,
    list: &[&str],
    taken: &[usize],
    flag: &str,
) -> Result<Option<usize>> {
    let Some(i) = by_name(&s.names, list, taken) else {
        return Ok(None);
    };
    let twins: Vec<usize> = (0..s.names.len())
        .filter(|&j| !taken.contains(&j) && norm(&s.names[j]) == norm(&s.names[i]))
        .collect();
    if let [first, second, ..] = twins[..] {
        return Err(CliError::input(format!(
            "{}: columns {} and {} are both named {:?}; name the one to use by its \
             number with {flag}, for example {flag} {}",
            s.path,
            first + 1,
            second + 1,
            s.names[i],
            first + 1
        )));
    }
    Ok(Some(i))
}

/// The first lines of a file, split into fields, with their 1-based line
/// numbers.
pub struct SampleRows<'a> {
    /// Line number of each row.
    pub lines: Vec<u64>,
    /// Fields of each row.
    pub rows: Vec<Vec<&'a [u8]>>,
}

/// The data rows of the sample, and the column names.
struct Sample<'a> {
    path: &'a str,
    names: Vec<String>,
    lines: Vec<u64>,
    data: Vec<&'a Vec<&'a [u8]>>,
}

impl Sample<'_> {
    /// The non-empty values of column `i`, with their lines.
    fn column(&self, i: usize) -> Vec<(u64, &[u8])> {
        self.data
            .iter()
            .zip(&self.lines)
            .filter_map(|(r, &l)| r.get(i).map(|f| (l, *f)))
            .filter(|(_, f)| !trim(f).is_empty())
            .collect()
    }

    fn values(&self, i: usize) -> Vec<&[u8]> {
        self.column(i).into_iter().map(|(_, v)| v).collect()
    }

    fn name(&self, i: usize) -> String {
        self.names.get(i).cloned().unwrap_or_default()
    }

    /// `"a", "b" and "c"`.
    fn list(&self, cols: &[usize]) -> String {
        let quoted: Vec<String> = cols
            .iter()
            .map(|&i| format!("{:?}", self.name(i)))
            .collect();
        match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => quoted.join(""),
        }
    }

    /// `(the columns are: "a", "b")`.
    fn all(&self) -> String {
        let all: Vec<usize> = (0..self.names.len()).collect();
        format!("the columns are {}", self.list(&all))
    }
}

/// Most (≥ 80 %) of the values satisfy `ok`.
fn mostly(c: &[&[u8]], ok: &dyn Fn(&[u8]) -> bool) -> bool {
    let k = c.iter().filter(|v| ok(v)).count();
    k > 0 && k * 5 >= c.len() * 4
}

/// Decide header, columns and date format from the first rows of a file.
pub fn guess_columns(path: &str, sample: &SampleRows<'_>, opts: &ReadOptions) -> Result<Chosen> {
    let Some(first) = sample.rows.first() else {
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
    let width = sample.rows.iter().map(Vec::len).max().unwrap_or(0);
    let names: Vec<String> = if header {
        first
            .iter()
            .map(|f| String::from_utf8_lossy(trim(f)).into_owned())
            .collect()
    } else {
        (1..=width).map(|k| k.to_string()).collect()
    };
    let skip = usize::from(header);
    let s = Sample {
        path,
        names,
        lines: sample.lines.iter().skip(skip).copied().collect(),
        data: sample.rows.iter().skip(skip).collect(),
    };
    if s.data.is_empty() {
        return Err(CliError::input(format!(
            "{path}: the file has a header line but no data rows"
        )));
    }
    let parses_as_date = |i: usize| parses_as_date(&s, user_format.as_ref(), i);
    let decimal = |i: usize| decimal(&s, i);
    // 1. Flags.
    let flag = |w: &Option<String>, f: &str| {
        w.as_deref()
            .map(|w| find_column(path, &s.names, w, f))
            .transpose()
    };
    let id_flag = flag(&opts.id, "--id")?;
    let date_flag = flag(&opts.date, "--date")?;
    let amount_flag = match opts.amount.as_deref() {
        Some("none") => Some(None),
        _ => flag(&opts.amount, "--amount")?.map(Some),
    };
    // 2. Header names, for the roles no flag decided.
    let mut taken: Vec<usize> = [id_flag, date_flag, amount_flag.flatten()]
        .into_iter()
        .flatten()
        .collect();
    let mut named = |given: Option<usize>, list: &[&str], flag: &str| -> Result<Option<usize>> {
        if given.is_some() || !header {
            return Ok(None);
        }
        let i = by_unique_name(&s, list, &taken, flag)?;
        taken.extend(i);
        Ok(i)
    };
    let date_named = named(date_flag, DATE_NAMES, "--date")?;
    let id_named = named(id_flag, ID_NAMES, "--id")?;
    let amount_named = if amount_flag.is_some() {
        None
    } else {
        named(None, AMOUNT_NAMES, "--amount")?
    };
    // 3. Values, for the roles still open, among the columns not taken.
    let free = |taken: &[usize]| -> Vec<usize> {
        (0..s.names.len())
            .filter(|i| !taken.contains(i) && !s.values(*i).is_empty())
            .collect()
    };
    let (date, date_by) = match (date_flag, date_named) {
        (Some(i), _) => (i, How::Flag),
        (None, Some(i)) => (i, How::Name),
        (None, None) => {
            let dates: Vec<usize> = free(&taken)
                .into_iter()
                .filter(|&i| parses_as_date(i))
                .collect();
            let i = one(&s, &dates, "the order date", "--date")?.ok_or_else(|| {
                CliError::input(format!(
                    "{path}: found no column of dates in the first rows ({}); name it with --date \
                     (and give its format with --date-format)",
                    s.all()
                ))
            })?;
            taken.push(i);
            (i, How::Values)
        }
    };
    let date_format = match &user_format {
        Some(f) => f.clone(),
        None => date_format(&s, date)?,
    };
    let (id, id_by) = match (id_flag, id_named) {
        (Some(i), _) => (i, How::Flag),
        (None, Some(i)) => (i, How::Name),
        (None, None) => {
            // Anything can be an id, except amounts with a decimal point and dates.
            let ids: Vec<usize> = free(&taken)
                .into_iter()
                .filter(|&i| !decimal(i) && !parses_as_date(i))
                .collect();
            let i = one(&s, &ids, "the customer id", "--id")?.ok_or_else(|| {
                CliError::input(format!(
                    "{path}: found no column for the customer id ({}; an id is neither a date nor \
                     an amount with a decimal point); name it with --id",
                    s.all()
                ))
            })?;
            taken.push(i);
            (i, How::Values)
        }
    };
    if id == date {
        return Err(CliError::input(format!(
            "{path}: the id and the date cannot be the same column {:?}; name them with --id and --date",
            s.name(id)
        )));
    }
    let (amount, amount_by) = match (amount_flag, amount_named) {
        (Some(a), _) => (a, How::Flag),
        (None, Some(i)) => (Some(i), How::Name),
        (None, None) => (
            amount_from_values(&s, &free(&taken), user_format.as_ref())?,
            How::Values,
        ),
    };
    if amount.is_some_and(|a| a == id || a == date) {
        return Err(CliError::input(format!(
            "{path}: the amount must be a column of its own; name the columns with --id, --date and --amount"
        )));
    }
    Ok(Chosen {
        header,
        names: s.names,
        id,
        date,
        amount,
        date_format,
        by: ChosenBy {
            id: id_by,
            date: date_by,
            amount: amount_by,
        },
    })
}

/// Most values of column `i` parse as dates (in the user's format if given).
fn parses_as_date(s: &Sample<'_>, user_format: Option<&DateFormat>, i: usize) -> bool {
    let c = s.values(i);
    match user_format {
        Some(f) => mostly(&c, &|v| f.parse(v).is_some()),
        None => DateFormat::guess(&c).is_some(),
    }
}

/// Most values of column `i` are amounts.
fn numbers(s: &Sample<'_>, i: usize) -> bool {
    mostly(&s.values(i), &|v| csv::parse_amount(v).is_ok())
}

/// Column `i` holds amounts, some with a decimal point.
fn decimal(s: &Sample<'_>, i: usize) -> bool {
    numbers(s, i) && s.values(i).iter().any(|v| v.contains(&b'.'))
}

/// The amount among the `free` columns: the one column of numbers with a
/// decimal point; none when no free column holds numbers; otherwise the
/// candidates are named and the command stops.
fn amount_from_values(
    s: &Sample<'_>,
    free: &[usize],
    user_format: Option<&DateFormat>,
) -> Result<Option<usize>> {
    let numeric: Vec<usize> = free
        .iter()
        .copied()
        .filter(|&i| numbers(s, i) && !parses_as_date(s, user_format, i))
        .collect();
    let decimals: Vec<usize> = numeric.iter().copied().filter(|&i| decimal(s, i)).collect();
    match (decimals.is_empty(), numeric.first()) {
        // Whole numbers may be amounts, counts or other ids: ask.
        (true, Some(&first)) => Err(CliError::input(format!(
            "{}: cannot tell whether {} holds the order amounts (whole numbers); \
             name the amount with --amount {:?}, or give --amount none for a log without amounts",
            s.path,
            plural(s, &numeric),
            s.name(first)
        ))),
        _ => one(s, &decimals, "the amount", "--amount"),
    }
}

/// `column "a"` or `columns "a" and "b"`.
fn plural(s: &Sample<'_>, cols: &[usize]) -> String {
    if cols.len() == 1 {
        format!("column {}", s.list(cols))
    } else {
        format!("columns {}", s.list(cols))
    }
}

/// The one candidate, none, or an error naming the candidates and the flag.
fn one(s: &Sample<'_>, candidates: &[usize], role: &str, flag: &str) -> Result<Option<usize>> {
    match candidates {
        [] => Ok(None),
        [i] => Ok(Some(*i)),
        [first, ..] => Err(CliError::input(format!(
            "{}: cannot tell which column holds {role}: {} could; name it with {flag}, \
             for example {flag} {:?}",
            s.path,
            plural(s, candidates),
            s.name(*first)
        ))),
    }
}

/// The date format of column `date`, guessed from its values; when no
/// format reads enough of them, the first value the best format does not
/// read, at its line (or a request for `--date-format` when the values are
/// dates that could be read day-first or month-first).
fn date_format(s: &Sample<'_>, date: usize) -> Result<DateFormat> {
    let values = s.values(date);
    if let Some(f) = DateFormat::guess(&values) {
        return Ok(f);
    }
    let column = s.name(date);
    let best = DateFormat::best(&values);
    let example = |v: &[u8]| String::from_utf8_lossy(trim(v)).into_owned();
    if let Some(f) = &best
        && let Some((line, v)) = s
            .column(date)
            .into_iter()
            .find(|(_, v)| f.parse(v).is_none())
    {
        return Err(CliError::at(
            s.path,
            line,
            &column,
            &format!("expected {}, found {:?}", f.example(), example(v)),
        ));
    }
    let first = values.first().map(|v| example(v)).unwrap_or_default();
    if best.is_none()
        && !values.iter().any(|v| DateFormat::reads_any(v))
        && let Some((line, v)) = s.column(date).first()
    {
        return Err(CliError::at(
            s.path,
            *line,
            &column,
            &format!(
                "expected a date (such as 2024-01-31), found {:?}; give the format with \
                     --date-format if it is one, or name the date column with --date",
                example(v)
            ),
        ));
    }
    Err(CliError::input(format!(
        "{}: column {column:?}: could not recognise the date format of values like {first:?}; \
         give it with --date-format (for example %d/%m/%Y or %m/%d/%Y)",
        s.path
    )))
}
