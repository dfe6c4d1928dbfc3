//! The Parquet writer: the `parquet` crate's column writers (no Arrow),
//! zstd-compressed, in row groups of up to 1,048,576 rows. Types: `UINT_64`
//! integers and ids, `DATE` days, `DOUBLE` numbers, `STRING` text and
//! named ids; columns with missing values are `OPTIONAL` (nulls), the
//! others `REQUIRED`.
//!
//! Every column chunk (one column of one row group) is encoded into its own
//! memory buffer on rayon's pool; the chunks are then appended to the file
//! in order. A column is dictionary-encoded unless an evenly spaced sample
//! of its rows is mostly distinct values (ids, amounts), for which the
//! dictionary would only be built to be dropped.

use std::fs::File;
use std::sync::Arc;

use bytes::Bytes;
use parquet::basic::{
    Compression, Encoding, LogicalType, Repetition, Type as PhysicalType, ZstdLevel,
};
use parquet::column::writer::{
    get_column_writer, ColumnCloseResult, ColumnWriter, ColumnWriterImpl,
};
use parquet::data_type::{ByteArray, ByteArrayType, DataType};
use parquet::errors::ParquetError;
use parquet::file::properties::{WriterProperties, WriterPropertiesPtr};
use parquet::file::writer::{SerializedFileWriter, SerializedPageWriter, TrackedWrite};
use parquet::schema::types::{ColumnDescPtr, ColumnPath, Type, TypePtr};
use rayon::prelude::*;

use super::{OutColumn, OutTable, Values};

/// Rows per row group.
const ROW_GROUP_ROWS: usize = 1 << 20;

/// Rows converted and handed to a column writer at a time (the converted
/// values, levels and text of one block are the writer's only copies).
const BLOCK_ROWS: usize = 1 << 16;

/// Rows sampled for a column's dictionary decision.
const SAMPLE_ROWS: usize = 4096;

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
    let mut properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_created_by(format!("retentionkit {}", env!("CARGO_PKG_VERSION")));
    for column in &table.columns {
        let path = || ColumnPath::from(column.name.as_str());
        match encoding(column) {
            ColumnEncoding::Dictionary => {}
            ColumnEncoding::Plain => {
                properties = properties.set_column_dictionary_enabled(path(), false);
            }
            ColumnEncoding::Delta => {
                properties = properties
                    .set_column_dictionary_enabled(path(), false)
                    .set_column_encoding(path(), Encoding::DELTA_BINARY_PACKED);
            }
        }
    }
    let properties = Arc::new(properties.build());
    let mut writer = SerializedFileWriter::new(file, schema, Arc::clone(&properties))?;
    let descriptors = writer.schema_descr().columns().to_vec();
    let rows = table.rows();
    let groups: Vec<(usize, usize)> = (0..rows)
        .step_by(ROW_GROUP_ROWS)
        .map(|start| (start, (start + ROW_GROUP_ROWS).min(rows)))
        .collect();
    // One task per column chunk, in file order (row group, then column).
    let tasks: Vec<(usize, usize)> = (0..groups.len())
        .flat_map(|g| (0..table.columns.len()).map(move |c| (g, c)))
        .collect();
    let chunks = tasks
        .par_iter()
        .map(|&(g, c)| {
            let (start, end) = groups[g];
            let descriptor = descriptors.get(c).ok_or_else(|| {
                ParquetError::General(format!(
                    "no column descriptor for {:?}",
                    table.columns[c].name
                ))
            })?;
            encode_chunk(
                Arc::clone(descriptor),
                Arc::clone(&properties),
                &table.columns[c],
                start,
                end,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut chunks = chunks.into_iter();
    for _ in &groups {
        let mut group = writer.next_row_group()?;
        for (bytes, close) in chunks.by_ref().take(table.columns.len()) {
            group.append_column(&bytes, close)?;
        }
        group.close()?;
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

/// How a column's values are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnEncoding {
    /// A dictionary page and each row's index into it (`RLE_DICTIONARY`).
    Dictionary,
    /// The values themselves (`PLAIN`).
    Plain,
    /// Bit-packed differences between successive values
    /// (`DELTA_BINARY_PACKED`).
    Delta,
}

/// The encoding of `column`: integers and days as deltas (sorted ids take
/// next to no space, small scores a few bits each, and the encoder does not
/// hash values as a dictionary does); numbers and text as a dictionary,
/// unless more than half of up to [`SAMPLE_ROWS`] evenly spaced rows hold
/// distinct values (amounts, text ids). For those the `parquet` crate would
/// hash every value into a dictionary until the dictionary page outgrows its
/// limit (1 MiB) and then fall back to plain values, for no gain in size.
fn encoding(column: &OutColumn<'_>) -> ColumnEncoding {
    let rows = column.values.len();
    let step = rows.div_ceil(SAMPLE_ROWS).max(1);
    let sample = (0..rows).step_by(step);
    let (distinct, sampled) = match &column.values {
        Values::U64(_) | Values::Day(_) | Values::Id { names: None, .. } => {
            return ColumnEncoding::Delta;
        }
        Values::F64(v) => distinct(sample.map(|i| v[i].to_bits()).collect()),
        Values::Text(v) => distinct(sample.map(|i| v[i].as_ref()).collect()),
        Values::Id {
            ids,
            names: Some(_),
        } => distinct(sample.map(|i| ids[i]).collect()),
    };
    if distinct * 2 > sampled {
        ColumnEncoding::Plain
    } else {
        ColumnEncoding::Dictionary
    }
}

/// The number of distinct values in `values`, and the number of values.
fn distinct<T: Ord>(mut values: Vec<T>) -> (usize, usize) {
    let n = values.len();
    values.sort_unstable();
    values.dedup();
    (values.len(), n)
}

/// Rows `start..end` of `column` encoded as one column chunk: its bytes and
/// what `append_column` needs to place them.
fn encode_chunk(
    descriptor: ColumnDescPtr,
    properties: WriterPropertiesPtr,
    column: &OutColumn<'_>,
    start: usize,
    end: usize,
) -> Result<(Bytes, ColumnCloseResult), ParquetError> {
    let mut sink = TrackedWrite::new(Vec::new());
    let close = {
        let pages = SerializedPageWriter::new(&mut sink);
        let mut writer = get_column_writer(descriptor, properties, Box::new(pages));
        for block in (start..end).step_by(BLOCK_ROWS) {
            write_block(&mut writer, column, block, (block + BLOCK_ROWS).min(end))?;
        }
        writer.close()?
    };
    Ok((Bytes::from(sink.into_inner()?), close))
}

/// Rows `start..end` of `column` into its column writer.
fn write_block(
    writer: &mut ColumnWriter<'_>,
    column: &OutColumn<'_>,
    start: usize,
    end: usize,
) -> Result<(), ParquetError> {
    let valid = column.valid.as_deref().map(|v| &v[start..end]);
    match (&column.values, writer) {
        (
            Values::U64(v)
            | Values::Id {
                ids: v,
                names: None,
            },
            ColumnWriter::Int64ColumnWriter(w),
        ) => {
            let v: Vec<i64> = v[start..end].iter().map(|&x| x.cast_signed()).collect();
            put(w, &v, valid)
        }
        (Values::F64(v), ColumnWriter::DoubleColumnWriter(w)) => put(w, &v[start..end], valid),
        (Values::Day(v), ColumnWriter::Int32ColumnWriter(w)) => put(w, &v[start..end], valid),
        (Values::Text(v), ColumnWriter::ByteArrayColumnWriter(w)) => {
            let v = byte_arrays(v[start..end].iter().map(|s| s.as_bytes()));
            put::<ByteArrayType>(w, &v, valid)
        }
        (
            Values::Id {
                ids,
                names: Some(names),
            },
            ColumnWriter::ByteArrayColumnWriter(w),
        ) => {
            let labels: Vec<std::borrow::Cow<'_, [u8]>> = ids[start..end]
                .iter()
                .map(
                    |&id| match usize::try_from(id).ok().and_then(|k| names.get(k)) {
                        Some(name) => std::borrow::Cow::Borrowed(name.as_bytes()),
                        None => std::borrow::Cow::Owned(id.to_string().into_bytes()),
                    },
                )
                .collect();
            let v = byte_arrays(labels.iter().map(AsRef::as_ref));
            put::<ByteArrayType>(w, &v, valid)
        }
        _ => Err(ParquetError::General(format!(
            "column {:?}: its writer does not match its values",
            column.name
        ))),
    }
}

/// Byte strings as `ByteArray`s that share one buffer (one allocation for
/// the block, not one per value).
fn byte_arrays<'a>(texts: impl Iterator<Item = &'a [u8]>) -> Vec<ByteArray> {
    let mut ends = Vec::new();
    let mut buffer = Vec::new();
    for text in texts {
        buffer.extend_from_slice(text);
        ends.push(buffer.len());
    }
    let buffer = Bytes::from(buffer);
    let mut start = 0;
    ends.into_iter()
        .map(|end| {
            let value = ByteArray::from(buffer.slice(start..end));
            start = end;
            value
        })
        .collect()
}

/// Write the values of the valid rows, with definition levels when the
/// column has missing values.
fn put<T: DataType>(
    writer: &mut ColumnWriterImpl<'_, T>,
    values: &[T::T],
    valid: Option<&[bool]>,
) -> Result<(), ParquetError>
where
    T::T: Clone,
{
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
