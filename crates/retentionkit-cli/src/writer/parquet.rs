//! The Parquet writer: the `parquet` crate's column writers (no Arrow),
//! zstd-compressed, in row groups of up to 1,048,576 rows. Types: `UINT_64`
//! integers and ids, `DATE` days, `DOUBLE` numbers, `STRING` text and
//! named ids; columns with missing values are `OPTIONAL` (nulls), the
//! others `REQUIRED`.

use std::fs::File;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DataType, DoubleType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{Type, TypePtr};

use super::{OutColumn, OutTable, Values};

/// Rows per row group.
const ROW_GROUP_ROWS: usize = 1 << 20;

/// Write `table` as a Parquet file into `file`.
pub fn write(table: &OutTable<'_>, file: &mut File) -> Result<(), String> {
    write_parquet(table, file).map_err(|e| e.to_string())
}

fn write_parquet(table: &OutTable<'_>, file: &mut File) -> Result<(), ParquetError> {
    let fields = table
        .columns
        .iter()
        .map(field_type)
        .collect::<Result<Vec<TypePtr>, _>>()?;
    let schema = Arc::new(
        Type::group_type_builder("schema")
            .with_fields(fields)
            .build()?,
    );
    let properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_created_by(format!("retentionkit {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut writer = SerializedFileWriter::new(file, schema, Arc::new(properties))?;
    let rows = table.rows();
    let mut start = 0;
    while start < rows {
        let end = (start + ROW_GROUP_ROWS).min(rows);
        let mut group = writer.next_row_group()?;
        for column in &table.columns {
            let Some(mut out) = group.next_column()? else {
                return Err(ParquetError::General(format!(
                    "no column writer for {:?}",
                    column.name
                )));
            };
            write_column(&mut out, column, start, end)?;
            out.close()?;
        }
        group.close()?;
        start = end;
    }
    writer.close()?;
    Ok(())
}

/// The Parquet type of a column.
fn field_type(column: &OutColumn<'_>) -> Result<TypePtr, ParquetError> {
    let (physical, logical) = match &column.values {
        Values::U64(_) | Values::Id { names: None, .. } => {
            (PhysicalType::INT64, Some(LogicalType::integer(64, false)))
        }
        Values::F64(_) => (PhysicalType::DOUBLE, None),
        Values::Day(_) => (PhysicalType::INT32, Some(LogicalType::Date)),
        Values::Text(_) | Values::Id { names: Some(_), .. } => {
            (PhysicalType::BYTE_ARRAY, Some(LogicalType::String))
        }
    };
    // Columns with missing values are OPTIONAL.
    let repetition = if column.valid.is_some() {
        Repetition::OPTIONAL
    } else {
        Repetition::REQUIRED
    };
    Ok(Arc::new(
        Type::primitive_type_builder(&column.name, physical)
            .with_repetition(repetition)
            .with_logical_type(logical)
            .build()?,
    ))
}

/// Rows `start..end` of `column` into its column chunk.
fn write_column(
    out: &mut parquet::file::writer::SerializedColumnWriter<'_>,
    column: &OutColumn<'_>,
    start: usize,
    end: usize,
) -> Result<(), ParquetError> {
    let valid = column.valid.as_deref().map(|v| &v[start..end]);
    match &column.values {
        Values::U64(v)
        | Values::Id {
            ids: v,
            names: None,
        } => {
            let v: Vec<i64> = v[start..end].iter().map(|&x| x.cast_signed()).collect();
            put::<Int64Type>(out, &v, valid)
        }
        Values::F64(v) => put::<DoubleType>(out, &v[start..end], valid),
        Values::Day(v) => put::<Int32Type>(out, &v[start..end], valid),
        Values::Text(v) => {
            let v: Vec<ByteArray> = v[start..end]
                .iter()
                .map(|s| ByteArray::from(s.as_ref()))
                .collect();
            put::<ByteArrayType>(out, &v, valid)
        }
        Values::Id {
            ids,
            names: Some(names),
        } => {
            let v: Vec<ByteArray> = ids[start..end]
                .iter()
                .map(
                    |&id| match usize::try_from(id).ok().and_then(|k| names.get(k)) {
                        Some(name) => ByteArray::from(name.as_str()),
                        None => ByteArray::from(id.to_string().into_bytes()),
                    },
                )
                .collect();
            put::<ByteArrayType>(out, &v, valid)
        }
    }
}

/// Write the values of the valid rows, with definition levels when the
/// column has missing values.
fn put<T: DataType>(
    out: &mut parquet::file::writer::SerializedColumnWriter<'_>,
    values: &[T::T],
    valid: Option<&[bool]>,
) -> Result<(), ParquetError>
where
    T::T: Clone,
{
    let writer = out.typed::<T>();
    match valid {
        None => {
            writer.write_batch(values, None, None)?;
        }
        Some(valid) => {
            let levels: Vec<i16> = valid.iter().map(|&v| i16::from(v)).collect();
            let present: Vec<T::T> = values
                .iter()
                .zip(valid)
                .filter(|&(_, &v)| v)
                .map(|(x, _)| x.clone())
                .collect();
            writer.write_batch(&present, Some(&levels), None)?;
        }
    }
    Ok(())
}
