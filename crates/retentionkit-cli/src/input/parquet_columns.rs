//! A Parquet table of named columns for `cox` and `aft`: the requested
//! columns are projected and read as numbers, as 0/1 (or boolean) event
//! flags or as labels; a null or a value of the wrong type is reported with
//! the file, the 1-based row and the column.

use std::fs::File;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;

use super::arrow::guarded;
use super::columns::{Kind, Values};
use super::find_column;
use crate::error::{CliError, Result};

/// A Parquet file's column names, read from its footer.
#[derive(Debug, Clone)]
pub struct ParquetColumns<'a> {
    /// The file's name in messages.
    pub path: &'a str,
    /// The top-level column names.
    pub names: Vec<String>,
    /// Rows in the file.
    pub rows: usize,
}

fn unreadable(path: &str, e: &impl std::fmt::Display) -> CliError {
    CliError::input(format!("{path}: not a readable Parquet file ({e})"))
}

fn open(path: &str) -> Result<ParquetRecordBatchReaderBuilder<File>> {
    let file = File::open(path).map_err(|e| CliError::input(format!("{path}: {e}")))?;
    ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| unreadable(path, &e))
}

impl<'a> ParquetColumns<'a> {
    /// Read the footer of `path`.
    ///
    /// # Errors
    /// [`CliError::Input`] for a file that cannot be opened or is not Parquet.
    pub fn new(path: &'a str) -> Result<Self> {
        guarded(path, "Parquet", || {
            let b = open(path)?;
            let names = b
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect();
            let rows = usize::try_from(b.metadata().file_metadata().num_rows()).unwrap_or(0);
            Ok(Self { path, names, rows })
        })
    }

    /// The index of the column `wanted` (a name, or a 1-based number).
    ///
    /// # Errors
    /// [`CliError::Input`] listing the columns when there is no such column.
    pub fn column(&self, wanted: &str, flag: &str) -> Result<usize> {
        find_column(self.path, &self.names, wanted, flag)
    }

    /// Read the columns `wanted` (index and kind).
    ///
    /// # Errors
    /// [`CliError::Input`] naming the file, row and column of the first null
    /// or bad value, or a column type that cannot be read as asked.
    pub fn read(&self, wanted: &[(usize, Kind)]) -> Result<Vec<Values>> {
        let path = self.path;
        guarded(path, "Parquet", || {
            let b = open(path)?;
            let mask = ProjectionMask::roots(
                b.parquet_schema(),
                wanted.iter().map(|&(c, _)| c).collect::<Vec<_>>(),
            );
            let reader = b
                .with_projection(mask)
                .build()
                .map_err(|e| unreadable(path, &e))?;
            let mut out: Vec<Values> = wanted
                .iter()
                .map(|&(_, kind)| match kind {
                    Kind::Number => Values::Numbers(Vec::with_capacity(self.rows)),
                    Kind::Event => Values::Events(Vec::with_capacity(self.rows)),
                    Kind::Label => Values::Labels(Vec::with_capacity(self.rows)),
                })
                .collect();
            let mut first = 0usize;
            for batch in reader {
                let batch = batch.map_err(|e| unreadable(path, &e))?;
                for (&(c, _), values) in wanted.iter().zip(out.iter_mut()) {
                    let name = &self.names[c];
                    let array = batch.column_by_name(name).ok_or_else(|| {
                        CliError::input(format!("{path}: column \"{name}\" is not a flat column"))
                    })?;
                    append(path, name, array, first, values)?;
                }
                first += batch.num_rows();
            }
            Ok(out)
        })
    }
}

/// The values of a numeric array as `f64` (`None` for a non-numeric type).
fn numbers(a: &ArrayRef) -> Option<Vec<Option<f64>>> {
    macro_rules! prim {
        ($t:ty) => {
            a.as_primitive_opt::<$t>()
                .map(|p| p.iter().map(|v| v.map(|x| x as f64)).collect())
        };
    }
    #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
    // ok: integers to f64, as any reader
    match a.data_type() {
        DataType::Float64 => prim!(Float64Type),
        DataType::Float32 => prim!(Float32Type),
        DataType::Int8 => prim!(Int8Type),
        DataType::Int16 => prim!(Int16Type),
        DataType::Int32 => prim!(Int32Type),
        DataType::Int64 => prim!(Int64Type),
        DataType::UInt8 => prim!(UInt8Type),
        DataType::UInt16 => prim!(UInt16Type),
        DataType::UInt32 => prim!(UInt32Type),
        DataType::UInt64 => prim!(UInt64Type),
        DataType::Boolean => a.as_boolean_opt().map(|b| {
            b.iter()
                .map(|v| v.map(|x| if x { 1.0 } else { 0.0 }))
                .collect()
        }),
        _ => None,
    }
}

fn append(path: &str, name: &str, a: &ArrayRef, first: usize, values: &mut Values) -> Result<()> {
    let at = |i: usize, message: &str| {
        CliError::input(format!(
            "{path}: row {}: column \"{name}\": {message}",
            first + i + 1
        ))
    };
    if let Values::Labels(v) = values {
        for i in 0..a.len() {
            if a.is_null(i) {
                return Err(at(i, "null: a stratum label is needed"));
            }
        }
        if let Some(s) = a.as_string_opt::<i32>() {
            v.extend(s.iter().map(|x| x.unwrap_or_default().to_string()));
        } else if let Some(s) = a.as_string_opt::<i64>() {
            v.extend(s.iter().map(|x| x.unwrap_or_default().to_string()));
        } else if let Some(n) = numbers(a) {
            v.extend(n.into_iter().map(|x| x.unwrap_or_default().to_string()));
        } else {
            return Err(CliError::input(format!(
                "{path}: column \"{name}\": type {} cannot be read as labels (strings or numbers)",
                a.data_type()
            )));
        }
        return Ok(());
    }
    let Some(n) = numbers(a) else {
        return Err(CliError::input(format!(
            "{path}: column \"{name}\": type {} is not a number type",
            a.data_type()
        )));
    };
    for (i, x) in n.into_iter().enumerate() {
        let Some(x) = x else {
            return Err(at(i, "null: a value is needed"));
        };
        match values {
            Values::Numbers(v) => {
                if !x.is_finite() {
                    return Err(at(i, &format!("{x} is not a finite number")));
                }
                v.push(x);
            }
            Values::Events(v) => {
                if x == 1.0 {
                    v.push(true);
                } else if x == 0.0 {
                    v.push(false);
                } else {
                    return Err(at(
                        i,
                        &format!(
                            "{x} is not an event flag: 1 (the event happened) or 0 (censored)"
                        ),
                    ));
                }
            }
            Values::Labels(_) => {}
        }
    }
    Ok(())
}
