//! The Parquet writer: the `parquet` crate's column writers (no Arrow),
//! zstd-compressed (level 1), in row groups of up to 1,048,576 rows. Types:
//! `UINT_64` integers and ids, `DATE` days, `DOUBLE` numbers, `STRING` text
//! and named ids; columns with missing values are `OPTIONAL` (nulls), the
//! others `REQUIRED`.
//!
//! Each column chunk (one column of one row group) is encoded into a buffer
//! of its own on rayon's pool; the chunks are then appended to the file in
//! order. Encodings: integers and days `DELTA_BINARY_PACKED`; numbers and
//! text a dictionary (`RLE_DICTIONARY`), or `PLAIN` when a sample of the rows
//! holds mostly distinct values (amounts, text ids). Statistics as the
//! crate's default: per chunk and per page (the page index).

use std::fs::File;
use std::io::Write;
use std::sync::{mpsc, Arc};

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
    write_parquet(table, file, ROW_GROUP_ROWS, BLOCK_ROWS).map_err(|e| e.to_string())
}

/// Write `table` into `sink` in row groups of `group_rows` rows, handing
/// `block_rows` rows at a time to each column writer.
fn write_parquet<W: Write + Send>(
    table: &OutTable<'_>,
    sink: W,
    group_rows: usize,
    block_rows: usize,
) -> Result<(), ParquetError> {
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
    let mut writer = SerializedFileWriter::new(sink, schema, Arc::clone(&properties))?;
    let descriptors = writer.schema_descr().columns().to_vec();
    let rows = table.rows();
    let groups: Vec<(usize, usize)> = (0..rows)
        .step_by(group_rows)
        .map(|start| (start, (start + group_rows).min(rows)))
        .collect();
    // One task per column chunk, in file order (row group, then column),
    // encoded on rayon's pool from a thread of its own while this thread
    // appends each row group as soon as all its chunks are done.
    let columns = table.columns.len();
    let tasks: Vec<(usize, usize)> = (0..groups.len())
        .flat_map(|g| (0..columns).map(move |c| (g, c)))
        .collect();
    let encode = |&(g, c): &(usize, usize)| {
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
            block_rows,
        )
    };
    std::thread::scope(|scope| {
        let (send, receive) = mpsc::channel();
        let tasks = &tasks;
        scope.spawn(move || {
            // A failed send: the appending side stopped at an error.
            tasks
                .par_iter()
                .enumerate()
                .try_for_each_with(send, |send, (k, task)| {
                    send.send((k, encode(task))).map_err(drop)
                })
        });
        let mut done: Vec<Option<EncodedChunk>> = tasks.iter().map(|_| None).collect();
        let mut next_group = 0;
        for (k, chunk) in receive {
            done[k] = Some(chunk?);
            while next_group < groups.len() {
                let slots = &mut done[next_group * columns..(next_group + 1) * columns];
                if slots.iter().any(Option::is_none) {
                    break;
                }
                let mut group = writer.next_row_group()?;
                for (bytes, close) in slots.iter_mut().filter_map(Option::take) {
                    group.append_column(&bytes, close)?;
                }
                group.close()?;
                next_group += 1;
            }
        }
        if next_group < groups.len() {
            return Err(ParquetError::General(
                "a column chunk was not encoded".to_string(),
            ));
        }
        Ok(())
    })?;
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

/// An encoded column chunk: its bytes and what `append_column` needs to
/// place them.
type EncodedChunk = (Bytes, ColumnCloseResult);

/// Rows `start..end` of `column` encoded as one column chunk: its bytes and
/// what `append_column` needs to place them.
fn encode_chunk(
    descriptor: ColumnDescPtr,
    properties: WriterPropertiesPtr,
    column: &OutColumn<'_>,
    start: usize,
    end: usize,
    block_rows: usize,
) -> Result<EncodedChunk, ParquetError> {
    let mut sink = TrackedWrite::new(Vec::new());
    let close = {
        let pages = SerializedPageWriter::new(&mut sink);
        let mut writer = get_column_writer(descriptor, properties, Box::new(pages));
        for block in (start..end).step_by(block_rows) {
            write_block(&mut writer, column, block, (block + block_rows).min(end))?;
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

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use arrow_array::cast::AsArray;
    use arrow_array::types::{Date32Type, Float64Type, UInt64Type};
    use arrow_array::Array;
    use bytes::Bytes;
    use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
    use parquet::basic::{Encoding, LogicalType, Repetition, Type as PhysicalType};
    use parquet::file::metadata::RowGroupMetaData;
    use parquet::file::statistics::Statistics;

    use super::{write_parquet, OutColumn, OutTable, Values};

    /// Rows of the test table: three row groups of 1,000 rows (the last
    /// one 500), each written in blocks of 300 rows.
    const ROWS: usize = 2_500;

    /// Row `i` is missing in the columns with gaps: every seventh row.
    fn present(i: usize) -> bool {
        i % 7 != 3
    }

    fn as_f64(i: usize) -> f64 {
        f64::from(u32::try_from(i).unwrap())
    }

    #[test]
    fn columns_round_trip_with_their_types_nulls_and_encodings() {
        let names: Vec<String> = (0..ROWS).map(|i| format!("c{i}")).collect();
        let valid: Vec<bool> = (0..ROWS).map(present).collect();
        let segments = ["Champions", "Loyal", "At risk"];
        let mut table = OutTable::default();
        // Sorted integer ids: delta-encoded.
        table.push(OutColumn::new(
            "id",
            Values::U64((0..ROWS as u64).map(|i| 1000 + i).collect()),
        ));
        // Text ids, all distinct: plain.
        table.push(OutColumn::new(
            "name",
            Values::Id {
                ids: (0..ROWS as u64).collect(),
                names: Some(&names),
            },
        ));
        // Amounts, all distinct, with gaps: plain.
        table.push(OutColumn::with_valid(
            "amount",
            Values::F64((0..ROWS).map(|i| as_f64(i) * 1.25 + 0.5).collect()),
            valid.clone(),
        ));
        // Three distinct numbers, with gaps: a dictionary.
        table.push(OutColumn::with_valid(
            "age",
            Values::F64((0..ROWS).map(|i| as_f64(i % 3)).collect()),
            valid.clone(),
        ));
        // Small scores: delta-encoded.
        table.push(OutColumn::new(
            "score",
            Values::U64((0..ROWS as u64).map(|i| i % 5 + 1).collect()),
        ));
        // Days with gaps: delta-encoded.
        table.push(OutColumn::with_valid(
            "day",
            Values::Day(
                (0..ROWS)
                    .map(|i| 19_000 + i32::try_from(i % 400).unwrap())
                    .collect(),
            ),
            valid.clone(),
        ));
        // Three segment names, with gaps: a dictionary.
        table.push(OutColumn::with_valid(
            "segment",
            Values::Text((0..ROWS).map(|i| Cow::Borrowed(segments[i % 3])).collect()),
            valid.clone(),
        ));
        // No values at all.
        table.push(OutColumn::optional_f64("spend", None, ROWS));

        let mut out = Vec::new();
        write_parquet(&table, &mut out, 1_000, 300).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(Bytes::from(out)).unwrap();

        // The schema: types, logical types and nullability, in table order.
        let metadata = builder.metadata().clone();
        let schema = metadata.file_metadata().schema_descr();
        let expected = [
            (
                "id",
                PhysicalType::INT64,
                Some(LogicalType::integer(64, false)),
                Repetition::REQUIRED,
            ),
            (
                "name",
                PhysicalType::BYTE_ARRAY,
                Some(LogicalType::String),
                Repetition::REQUIRED,
            ),
            ("amount", PhysicalType::DOUBLE, None, Repetition::OPTIONAL),
            ("age", PhysicalType::DOUBLE, None, Repetition::OPTIONAL),
            (
                "score",
                PhysicalType::INT64,
                Some(LogicalType::integer(64, false)),
                Repetition::REQUIRED,
            ),
            (
                "day",
                PhysicalType::INT32,
                Some(LogicalType::Date),
                Repetition::OPTIONAL,
            ),
            (
                "segment",
                PhysicalType::BYTE_ARRAY,
                Some(LogicalType::String),
                Repetition::OPTIONAL,
            ),
            ("spend", PhysicalType::DOUBLE, None, Repetition::OPTIONAL),
        ];
        assert_eq!(schema.num_columns(), expected.len());
        for (column, (name, physical, logical, repetition)) in
            schema.columns().iter().zip(&expected)
        {
            let info = column.self_type().get_basic_info();
            assert_eq!(column.name(), *name);
            assert_eq!(column.physical_type(), *physical, "{name}");
            assert_eq!(info.logical_type_ref(), logical.as_ref(), "{name}");
            assert_eq!(info.repetition(), *repetition, "{name}");
        }

        // The row groups, and each chunk's encoding and null count.
        let groups: Vec<i64> = metadata
            .row_groups()
            .iter()
            .map(RowGroupMetaData::num_rows)
            .collect();
        assert_eq!(groups, [1_000, 1_000, 500]);
        let gaps = |range: std::ops::Range<usize>| range.filter(|&i| !present(i)).count() as u64;
        for (g, group) in metadata.row_groups().iter().enumerate() {
            let range = g * 1_000..(g * 1_000 + 1_000).min(ROWS);
            for (c, (name, ..)) in expected.iter().enumerate() {
                let chunk = group.column(c);
                let mask = chunk.encodings_mask();
                let dictionary = chunk.dictionary_page_offset().is_some();
                let (want_dictionary, want) = match *name {
                    "id" | "score" | "day" => (false, Encoding::DELTA_BINARY_PACKED),
                    "name" | "amount" => (false, Encoding::PLAIN),
                    // "spend": no values, so no distinct ones either.
                    _ => (true, Encoding::RLE_DICTIONARY),
                };
                assert_eq!(dictionary, want_dictionary, "{name}, group {g}");
                assert!(mask.is_set(want), "{name}, group {g}");
                assert_eq!(
                    mask.is_set(Encoding::RLE_DICTIONARY),
                    want_dictionary,
                    "{name}"
                );
                let nulls = chunk.statistics().and_then(Statistics::null_count_opt);
                let want_nulls = match *name {
                    "amount" | "age" | "day" | "segment" => gaps(range.clone()),
                    "spend" => range.len() as u64,
                    _ => 0,
                };
                assert_eq!(nulls, Some(want_nulls), "{name}, group {g}");
            }
        }

        check_values(builder.build().unwrap(), &segments);
    }

    /// The values of the test table, back through the Arrow reader: what
    /// the table holds, with nulls where it has none.
    fn check_values(reader: ParquetRecordBatchReader, segments: &[&str]) {
        let batches: Vec<_> = reader.map(Result::unwrap).collect();
        let mut row = 0;
        for batch in &batches {
            let id = batch.column(0).as_primitive::<UInt64Type>();
            let name = batch.column(1).as_string::<i32>();
            let amount = batch.column(2).as_primitive::<Float64Type>();
            let age = batch.column(3).as_primitive::<Float64Type>();
            let score = batch.column(4).as_primitive::<UInt64Type>();
            let day = batch.column(5).as_primitive::<Date32Type>();
            let segment = batch.column(6).as_string::<i32>();
            let spend = batch.column(7);
            for k in 0..batch.num_rows() {
                let i = row + k;
                assert_eq!(id.value(k), 1000 + i as u64);
                assert_eq!(name.value(k), format!("c{i}"));
                assert_eq!(score.value(k), i as u64 % 5 + 1);
                assert!(spend.is_null(k));
                if present(i) {
                    assert_eq!(amount.value(k), as_f64(i) * 1.25 + 0.5);
                    assert_eq!(age.value(k), as_f64(i % 3));
                    assert_eq!(day.value(k), 19_000 + i32::try_from(i % 400).unwrap());
                    assert_eq!(segment.value(k), segments[i % 3]);
                } else {
                    assert!(amount.is_null(k) && age.is_null(k), "row {i}");
                    assert!(day.is_null(k) && segment.is_null(k), "row {i}");
                }
            }
            row += batch.num_rows();
        }
        assert_eq!(row, ROWS);
    }

    #[test]
    fn extreme_integers_survive_delta_encoding() {
        // Deltas between 0 and u64::MAX overflow an i64: the encoding wraps
        // (Parquet format, Encodings.md, DELTA_BINARY_PACKED).
        let values = vec![0, u64::MAX, 1, u64::MAX - 1, 1 << 63, (1 << 63) - 1, 7];
        let mut table = OutTable::default();
        table.push(OutColumn::new("n", Values::U64(Cow::Borrowed(&values))));
        let mut out = Vec::new();
        write_parquet(&table, &mut out, 1_000, 3).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(Bytes::from(out))
            .unwrap()
            .build()
            .unwrap();
        let back: Vec<u64> = reader
            .map(Result::unwrap)
            .flat_map(|b| b.column(0).as_primitive::<UInt64Type>().values().to_vec())
            .collect();
        assert_eq!(back, values);
    }

    #[test]
    fn an_empty_table_is_a_file_without_row_groups() {
        let mut table = OutTable::default();
        table.push(OutColumn::new("n", Values::U64(Cow::Owned(Vec::new()))));
        let mut out = Vec::new();
        write_parquet(&table, &mut out, 1_000, 300).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(Bytes::from(out)).unwrap();
        assert_eq!(builder.metadata().num_row_groups(), 0);
        assert_eq!(builder.metadata().file_metadata().num_rows(), 0);
    }
}
