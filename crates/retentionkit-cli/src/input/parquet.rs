//! Parquet through the `parquet` crate's record reader (no Arrow): the three
//! columns are projected and read row by row. Dates may be `DATE`,
//! timestamps (UTC date taken), or strings in any format the CSV reader
//! knows; ids integers or strings; amounts any number type.

use std::collections::HashMap;
use std::fs::File;
use std::sync::Arc;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use parquet::schema::types::Type;

use super::dates::DateFormat;
use super::{find_column, BadRow, Columns, ReadOptions, Table};
use crate::error::{CliError, Result};
use crate::progress::Progress;

const ID_NAMES: &[&str] = &["customer_id", "customer", "client_id", "user_id", "id"];
const DATE_NAMES: &[&str] = &["date", "order_date", "ts", "timestamp", "created_at", "day"];
const AMOUNT_NAMES: &[&str] = &["amount", "revenue", "value", "total", "sales", "price"];

fn pick(
    path: &str,
    names: &[String],
    given: Option<&str>,
    guesses: &[&str],
    what: &str,
) -> Result<Option<usize>> {
    if let Some(w) = given {
        return find_column(path, names, w, what).map(Some);
    }
    Ok(guesses
        .iter()
        .find_map(|g| names.iter().position(|n| n.eq_ignore_ascii_case(g))))
}

/// A value that is not usable, as a message.
fn describe(f: &Field) -> String {
    match f {
        Field::Null => "an empty value".into(),
        other => format!("{other}"),
    }
}

/// Read a Parquet file.
#[allow(clippy::too_many_lines)] // to be split like csv::parse
pub fn read(path: &str, opts: &ReadOptions, progress: &Progress) -> Result<Table> {
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
    let hint = "name it with --id, --date or --amount";
    let id = pick(path, &names, opts.id.as_deref(), ID_NAMES, "--id")?
        .ok_or_else(|| CliError::input(format!("{path}: found no customer id column; {hint}")))?;
    let date = pick(path, &names, opts.date.as_deref(), DATE_NAMES, "--date")?
        .ok_or_else(|| CliError::input(format!("{path}: found no date column; {hint}")))?;
    let amount = match opts.amount.as_deref() {
        Some("none") => None,
        given => pick(path, &names, given, AMOUNT_NAMES, "--amount")?,
    };
    let mut chosen = vec![id, date];
    chosen.extend(amount);
    let projection = Type::group_type_builder(root.name())
        .with_fields(chosen.iter().map(|&i| Arc::clone(&fields[i])).collect())
        .build()
        .map_err(bad_file)?;
    let user_format = opts.date_format.as_deref().map(DateFormat::from_arg);
    let mut text_format: Option<DateFormat> = user_format.clone();

    let (mut ids, mut days) = (Vec::with_capacity(total), Vec::with_capacity(total));
    let mut amounts = amount.map(|_| Vec::with_capacity(total));
    let mut string_ids: HashMap<String, u64> = HashMap::new();
    let mut id_names: Vec<String> = Vec::new();
    let mut integer_ids = false;
    let mut bad = Vec::new();
    progress.stage("reading");
    let rows = reader.get_row_iter(Some(projection)).map_err(bad_file)?;
    for (i, row) in rows.enumerate() {
        if i % 65_536 == 0 {
            progress.fraction(i, total);
        }
        let row = row.map_err(bad_file)?;
        let line = i as u64 + 1;
        let cols: Vec<&Field> = row.get_column_iter().map(|(_, f)| f).collect();
        let fail = |bad: &mut Vec<BadRow>, c: usize, m: String| {
            bad.push(BadRow {
                line,
                column: names[c].clone(),
                message: m,
            });
        };
        let (Some(&fid), Some(&fdate)) = (cols.first(), cols.get(1)) else {
            return Err(CliError::input(format!("{path}: row {line} is incomplete")));
        };
        let id_value = match fid {
            Field::Int(v) => u64::try_from(*v).ok(),
            Field::Long(v) => u64::try_from(*v).ok(),
            Field::UInt(v) => Some(u64::from(*v)),
            Field::ULong(v) => Some(*v),
            Field::Short(v) => u64::try_from(*v).ok(),
            Field::Str(s) if !integer_ids => {
                let next = id_names.len() as u64;
                Some(*string_ids.entry(s.clone()).or_insert_with(|| {
                    id_names.push(s.clone());
                    next
                }))
            }
            _ => None,
        };
        let Some(id_value) = id_value else {
            fail(
                &mut bad,
                id,
                format!(
                    "expected a customer id (a non-negative integer or a string), found {}",
                    describe(fid)
                ),
            );
            if opts.skip_bad_rows {
                continue;
            }
            break;
        };
        if !matches!(fid, Field::Str(_)) {
            integer_ids = true;
        }
        let day = match fdate {
            Field::Date(d) => Some(*d),
            Field::TimestampMillis(ms) => i32::try_from(ms.div_euclid(86_400_000)).ok(),
            Field::TimestampMicros(us) => i32::try_from(us.div_euclid(86_400_000_000)).ok(),
            Field::Str(s) => {
                if text_format.is_none() {
                    text_format = DateFormat::guess(&[s.as_bytes()]);
                }
                text_format.as_ref().and_then(|f| f.parse(s.as_bytes()))
            }
            Field::Int(v) if text_format == Some(DateFormat::Compact) || user_format.is_none() => {
                DateFormat::Compact.parse(v.to_string().as_bytes())
            }
            _ => None,
        };
        let Some(day) = day else {
            let want = text_format
                .as_ref()
                .map_or_else(|| "a date".to_string(), DateFormat::example);
            fail(
                &mut bad,
                date,
                format!("expected {want}, found {}", describe(fdate)),
            );
            if opts.skip_bad_rows {
                continue;
            }
            break;
        };
        if let (Some(a), Some(out)) = (amount, amounts.as_mut()) {
            let f = cols.get(2).copied().unwrap_or(&Field::Null);
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
            match v {
                Some(v) if v.is_finite() && v >= 0.0 => out.push(v),
                _ => {
                    fail(
                        &mut bad,
                        a,
                        format!("expected a non-negative amount, found {}", describe(f)),
                    );
                    if opts.skip_bad_rows {
                        continue;
                    }
                    break;
                }
            }
        }
        ids.push(id_value);
        days.push(day);
    }
    if !opts.skip_bad_rows {
        if let Some(b) = bad.first() {
            return Err(CliError::input(format!(
                "{path}: row {}: column \"{}\": {}",
                b.line, b.column, b.message
            )));
        }
    }
    if integer_ids && !id_names.is_empty() {
        return Err(CliError::input(format!(
            "{path}: column \"{}\" mixes integer and string ids",
            names[id]
        )));
    }
    let format_name = match &text_format {
        Some(f) => f.describe(),
        None => "Parquet date/timestamp".into(),
    };
    Ok(Table {
        ids,
        days,
        amounts,
        id_names: (!id_names.is_empty()).then_some(id_names),
        columns: Some(Columns {
            id: names[id].clone(),
            date: names[date].clone(),
            amount: amount.map(|a| names[a].clone()),
            header: true,
            date_format: format_name,
            delimiter: None,
        }),
        bad_rows: bad,
    })
}
