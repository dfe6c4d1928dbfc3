//! Parquet through the `parquet` crate's record reader (no Arrow): the three
//! columns are projected and read row by row. Dates may be `DATE`,
//! timestamps (UTC date taken), or strings in any format the CSV reader
//! knows; ids integers or strings; amounts any number type.

use std::collections::HashMap;
use std::fs::File;
use std::sync::Arc;

use parquet::basic::{LogicalType, Type as PhysicalType};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use parquet::schema::types::Type;

use retentionkit::log::check_order_day;
use retentionkit::log::ids::text_id;

use super::dates::DateFormat;
use super::{find_column, BadRow, Columns, ReadOptions, Table};
use crate::error::{CliError, Result};
use crate::progress::Progress;

use super::detect::{by_name, ChosenBy, How, AMOUNT_NAMES, DATE_NAMES, ID_NAMES};

/// A column given by its flag, else named like the role.
fn pick(
    path: &str,
    names: &[String],
    given: Option<&str>,
    guesses: &[&str],
    what: &str,
    skip: &[usize],
) -> Result<Option<(usize, How)>> {
    if let Some(w) = given {
        return find_column(path, names, w, what).map(|i| Some((i, How::Flag)));
    }
    Ok(by_name(names, guesses, skip).map(|i| (i, How::Name)))
}

/// A value that is not usable, as a message.
fn describe(f: &Field) -> String {
    match f {
        Field::Null => "an empty value".into(),
        other => format!("{other}"),
    }
}

/// The columns read: indices into the file's top-level fields.
struct Picked {
    id: usize,
    date: usize,
    amount: Option<usize>,
    by: ChosenBy,
}

/// The id, date and amount columns: given by the user or known by name
/// (docs/input.md, "Columns"). Without either for the amount, the file
/// must have no other number column: one would be a candidate, and the
/// command asks rather than leave the amounts out.
fn pick_columns(
    path: &str,
    names: &[String],
    numeric: &[bool],
    opts: &ReadOptions,
) -> Result<Picked> {
    let hint = |flag: &str| {
        format!(
            "name it with {flag} (the columns are {})",
            names
                .iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let (date, date_by) = pick(path, names, opts.date.as_deref(), DATE_NAMES, "--date", &[])?
        .ok_or_else(|| {
            CliError::input(format!("{path}: found no date column; {}", hint("--date")))
        })?;
    let (id, id_by) = pick(path, names, opts.id.as_deref(), ID_NAMES, "--id", &[date])?
        .ok_or_else(|| {
            CliError::input(format!(
                "{path}: found no customer id column; {}",
                hint("--id")
            ))
        })?;
    let (amount, amount_by) = match opts.amount.as_deref() {
        Some("none") => (None, How::Flag),
        given => {
            if let Some((a, how)) = pick(path, names, given, AMOUNT_NAMES, "--amount", &[id, date])?
            {
                (Some(a), how)
            } else {
                let others: Vec<String> = (0..names.len())
                    .filter(|&i| i != id && i != date && numeric.get(i) == Some(&true))
                    .map(|i| format!("{:?}", names[i]))
                    .collect();
                if let Some(first) = others.first() {
                    return Err(CliError::input(format!(
                        "{path}: no column is named like an amount; cannot tell whether {} {} the \
                         order amounts: name it with --amount {first}, or give --amount none",
                        others.join(", "),
                        if others.len() == 1 { "holds" } else { "hold" }
                    )));
                }
                (None, How::Values)
            }
        }
    };
    Ok(Picked {
        id,
        date,
        amount,
        by: ChosenBy {
            id: id_by,
            date: date_by,
            amount: amount_by,
        },
    })
}

/// Turns the fields of one row into an id, a day and an amount, keeping
/// what the rows before it decided: the string ids seen so far, whether ids
/// are integers, and the format of text dates.
struct RowReader<'a> {
    names: &'a [String],
    picked: &'a Picked,
    user_format: Option<DateFormat>,
    text_format: Option<DateFormat>,
    string_ids: HashMap<String, u64>,
    id_names: Vec<String>,
    integer_ids: bool,
}

impl RowReader<'_> {
    /// The id, day and amount (when an amount column is read) of row `line`,
    /// or what is wrong with it.
    fn row(
        &mut self,
        line: u64,
        id: &Field,
        date: &Field,
        amount: Option<&Field>,
    ) -> std::result::Result<(u64, i32, Option<f64>), BadRow> {
        let fail = |c: usize, message: String| BadRow {
            line,
            column: self.names[c].clone(),
            message,
        };
        let Some(id_value) = self.id(id) else {
            let message = match id {
                Field::Str(s) => match text_id(s, 0) {
                    Err(retentionkit::Error::InvalidValue { reason, .. }) => reason,
                    _ => format!("expected a customer id, found {s:?}"),
                },
                other => format!(
                    "expected a customer id (a non-negative integer or a string), found {}",
                    describe(other)
                ),
            };
            return Err(fail(self.picked.id, message));
        };
        let Some(day) = self.day(date) else {
            let want = self
                .text_format
                .as_ref()
                .map_or_else(|| "a date".to_string(), DateFormat::example);
            return Err(fail(
                self.picked.date,
                format!("expected {want}, found {}", describe(date)),
            ));
        };
        if let Err(retentionkit::Error::InvalidValue { reason, .. }) = check_order_day(day, 0) {
            return Err(fail(self.picked.date, reason));
        }
        let amount = match self.picked.amount {
            None => None,
            Some(a) => {
                let f = amount.unwrap_or(&Field::Null);
                let Some(v) = amount_of(f) else {
                    return Err(fail(
                        a,
                        format!(
                            "expected a non-negative amount of at most 2^53, found {}",
                            describe(f)
                        ),
                    ));
                };
                Some(v)
            }
        };
        Ok((id_value, day, amount))
    }

    /// An integer id as it is; a string id numbered in order of first
    /// appearance (unless the ids so far were integers).
    fn id(&mut self, f: &Field) -> Option<u64> {
        let value = match f {
            Field::Int(v) => u64::try_from(*v).ok(),
            Field::Long(v) => u64::try_from(*v).ok(),
            Field::UInt(v) => Some(u64::from(*v)),
            Field::ULong(v) => Some(*v),
            Field::Short(v) => u64::try_from(*v).ok(),
            Field::Str(s) if !self.integer_ids => {
                // The core's rule for text ids (docs/input.md, "Customer ids").
                let s = text_id(s, 0).ok()?;
                let next = self.id_names.len() as u64;
                Some(*self.string_ids.entry(s.to_string()).or_insert_with(|| {
                    self.id_names.push(s.to_string());
                    next
                }))
            }
            _ => None,
        };
        if value.is_some() && !matches!(f, Field::Str(_)) {
            self.integer_ids = true;
        }
        value
    }

    /// A `DATE`, a timestamp (its UTC day), or text in the user's format or
    /// the one guessed from the first text date.
    fn day(&mut self, f: &Field) -> Option<i32> {
        match f {
            Field::Date(d) => Some(*d),
            Field::TimestampMillis(ms) => i32::try_from(ms.div_euclid(86_400_000)).ok(),
            Field::TimestampMicros(us) => i32::try_from(us.div_euclid(86_400_000_000)).ok(),
            Field::Str(s) => {
                if self.text_format.is_none() {
                    self.text_format = DateFormat::guess(&[s.as_bytes()]);
                }
                self.text_format
                    .as_ref()
                    .and_then(|f| f.parse(s.as_bytes()))
            }
            Field::Int(v)
                if self.text_format == Some(DateFormat::Compact) || self.user_format.is_none() =>
            {
                DateFormat::Compact.parse(v.to_string().as_bytes())
            }
            _ => None,
        }
    }
}

/// A finite, non-negative amount of any number type (or a number as text),
/// at most the core's `log::MAX_AMOUNT` (2^53).
fn amount_of(f: &Field) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)] // ok: amounts are far below 2^53
    let v = match f {
        Field::Double(v) => Some(*v),
        Field::Float(v) => Some(f64::from(*v)),
        Field::Int(v) => Some(f64::from(*v)),
        Field::Long(v) => Some(*v as f64),
        Field::Str(s) => s.trim().parse::<f64>().ok(),
        Field::Decimal(_) => format!("{f}").parse::<f64>().ok(),
        _ => None,
    };
    v.filter(|v| retentionkit::log::check_amount(*v, 0).is_ok())
}

/// Read a Parquet file.
///
/// The `parquet` crate's 57.x releases panicked on some damaged files instead
/// of returning an error (an `unwrap` in the thrift footer decoder,
/// apache/arrow-rs#9839, found again by the fuzz target `parquet_reader`;
/// 60.x returns an error). Should a decoder panic remain, it is caught here
/// and reported as an unreadable file, exit 2, never a crash. The panic hook
/// is silenced while the file is read, so no panic message reaches the
/// terminal.
pub fn read(path: &str, opts: &ReadOptions, progress: &Progress) -> Result<Table> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_file(path, opts, progress)
    }));
    std::panic::set_hook(hook);
    out.unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(CliError::input(format!(
            "{path}: not a readable Parquet file (the Parquet decoder failed on it: {why})"
        )))
    })
}

/// [`read`] without the guard against the decoder's panics.
fn read_file(path: &str, opts: &ReadOptions, progress: &Progress) -> Result<Table> {
    let bad_file = |e: parquet::errors::ParquetError| {
        CliError::input(format!("{path}: not a readable Parquet file ({e})"))
    };
    let file = File::open(path).map_err(|e| CliError::input(format!("{path}: {e}")))?;
    let reader = SerializedFileReader::new(file).map_err(bad_file)?;
    let meta = reader.metadata().file_metadata();
    let total = usize::try_from(meta.num_rows()).unwrap_or(0);
    let root = meta.schema_descr().root_schema();
    let fields = root.get_fields();
    let names: Vec<String> = fields.iter().map(|f| f.name().to_string()).collect();
    let numeric: Vec<bool> = fields
        .iter()
        .map(|f| {
            f.is_primitive()
                && matches!(
                    f.get_physical_type(),
                    PhysicalType::INT32
                        | PhysicalType::INT64
                        | PhysicalType::FLOAT
                        | PhysicalType::DOUBLE
                        | PhysicalType::FIXED_LEN_BYTE_ARRAY
                )
                && !matches!(
                    f.get_basic_info().logical_type_ref(),
                    Some(LogicalType::Date | LogicalType::Timestamp { .. })
                )
        })
        .collect();
    let picked = pick_columns(path, &names, &numeric, opts)?;
    let mut projected = vec![picked.id, picked.date];
    projected.extend(picked.amount);
    let projection = Type::group_type_builder(root.name())
        .with_fields(projected.iter().map(|&i| Arc::clone(&fields[i])).collect())
        .build()
        .map_err(bad_file)?;
    let user_format = opts.date_format.as_deref().map(DateFormat::from_arg);
    let mut rows = RowReader {
        names: &names,
        picked: &picked,
        text_format: user_format.clone(),
        user_format,
        string_ids: HashMap::new(),
        id_names: Vec::new(),
        integer_ids: false,
    };

    // The row count is the footer's word, not the file's: a damaged footer
    // can claim 2^55 rows, so at most 2^20 are reserved ahead (fuzz target
    // parquet_reader; fuzz/corpus/parquet_reader/huge-row-count.parquet).
    let reserve = total.min(1 << 20);
    let (mut ids, mut days) = (Vec::with_capacity(reserve), Vec::with_capacity(reserve));
    let mut amounts = picked.amount.map(|_| Vec::with_capacity(reserve));
    let mut bad = Vec::new();
    progress.stage("reading");
    let iter = reader.get_row_iter(Some(projection)).map_err(bad_file)?;
    for (i, row) in iter.enumerate() {
        if i % 65_536 == 0 {
            progress.fraction(i, total);
        }
        let row = row.map_err(bad_file)?;
        let line = i as u64 + 1;
        let cols: Vec<&Field> = row.get_column_iter().map(|(_, f)| f).collect();
        let (Some(&fid), Some(&fdate)) = (cols.first(), cols.get(1)) else {
            return Err(CliError::input(format!("{path}: row {line} is incomplete")));
        };
        match rows.row(line, fid, fdate, cols.get(2).copied()) {
            Ok((id, day, amount)) => {
                if let (Some(out), Some(a)) = (amounts.as_mut(), amount) {
                    out.push(a);
                }
                ids.push(id);
                days.push(day);
            }
            Err(b) => {
                bad.push(b);
                if !opts.skip_bad_rows {
                    break;
                }
            }
        }
    }
    if !opts.skip_bad_rows {
        if let Some(b) = bad.first() {
            return Err(CliError::input(format!(
                "{path}: row {}: column \"{}\": {}",
                b.line, b.column, b.message
            )));
        }
    }
    if rows.integer_ids && !rows.id_names.is_empty() {
        return Err(CliError::input(format!(
            "{path}: column \"{}\" mixes integer and string ids",
            names[picked.id]
        )));
    }
    let format_name = match &rows.text_format {
        Some(f) => f.describe(),
        None => "Parquet date/timestamp".into(),
    };
    let id_names = rows.id_names;
    Ok(Table {
        ids,
        days,
        amounts,
        id_names: (!id_names.is_empty()).then_some(id_names),
        columns: Some(Columns {
            id: names[picked.id].clone(),
            date: names[picked.date].clone(),
            amount: picked.amount.map(|a| names[a].clone()),
            header: true,
            date_format: format_name,
            delimiter: None,
            chosen_by: picked.by,
        }),
        bad_rows: bad,
    })
}
