//! Parquet through the `parquet` crate's Arrow reader: the id, date and
//! amount columns are projected (`ProjectionMask`), the row groups read in
//! parallel on rayon's pool (one reader per row group) and each record
//! batch converted column by column ([`super::arrow`]), the parts joined in
//! file order.
//!
//! Dates may be `DATE`, timestamps of any unit (the date as written; with a
//! zone, the calendar date in that zone), text in any format the CSV reader
//! knows, or `yyyymmdd` integers; ids integers, strings or a dictionary of
//! strings; amounts any number type, decimals included, or text.

use std::fs::File;

use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::reader::ChunkReader;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::arrow::{
    concat, guarded, new_part, part_done, pick_columns, push, Part, PartStart, Plan,
};
use super::{ReadOptions, Table};
use crate::error::{CliError, Result};
use crate::progress::Progress;

/// Rows per record batch.
const BATCH_ROWS: usize = 65_536;

/// Read a Parquet file.
///
/// The `parquet` crate's 57.x releases panicked on some damaged files instead
/// of returning an error (an `unwrap` in the thrift footer decoder,
/// apache/arrow-rs#9839, found again by the fuzz target `parquet_reader`;
/// 60.x returns an error). Should a decoder panic remain (in this thread or
/// in a reader on rayon's pool, whose panic comes back here), it is caught
/// here ([`super::arrow::guarded`]) and reported as an unreadable file, exit
/// 2, never a crash. The panic hook is silenced while the file is read, so no
/// panic message reaches the terminal.
pub fn read(path: &str, opts: &ReadOptions, progress: &Progress) -> Result<Table> {
    guarded(path, "Parquet", || {
        read_from(
            path,
            &|| File::open(path).map_err(|e| CliError::input(format!("{path}: {e}"))),
            opts,
            progress,
        )
    })
}

/// Read Parquet held in memory (standard input); `name` for messages.
pub fn read_bytes(
    name: &str,
    data: Vec<u8>,
    opts: &ReadOptions,
    progress: &Progress,
) -> Result<Table> {
    let data = bytes::Bytes::from(data);
    guarded(name, "Parquet", || {
        read_from(name, &|| Ok(data.clone()), opts, progress)
    })
}

/// The codecs this build decompresses.
fn supported(c: Compression) -> bool {
    matches!(
        c,
        Compression::UNCOMPRESSED
            | Compression::SNAPPY
            | Compression::GZIP(_)
            | Compression::BROTLI(_)
            | Compression::LZ4
            | Compression::LZ4_RAW
            | Compression::ZSTD(_)
    )
}

/// [`read`] without the guard, from whatever `open` opens (a file, bytes);
/// each row group's reader opens its own.
fn read_from<R: ChunkReader + 'static>(
    path: &str,
    open: &(dyn Fn() -> Result<R> + Sync),
    opts: &ReadOptions,
    progress: &Progress,
) -> Result<Table> {
    let bad_file =
        |e: ParquetError| CliError::input(format!("{path}: not a readable Parquet file ({e})"));
    let meta = ArrowReaderMetadata::load(&open()?, ArrowReaderOptions::new()).map_err(bad_file)?;
    let schema = meta.schema().clone();
    let picked = pick_columns(path, &schema, opts)?;
    let parquet = meta.metadata().clone();
    let descr = parquet.file_metadata().schema_descr_ptr();
    let projection = picked.projection();
    let groups = parquet.row_groups();
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    // Every projected column chunk in a codec this build reads, said before
    // any page is decoded.
    for (g, rg) in groups.iter().enumerate() {
        for (leaf, chunk) in rg.columns().iter().enumerate() {
            let root = descr.get_column_root_idx(leaf);
            if projection.contains(&root) && !supported(chunk.compression()) {
                return Err(CliError::input(format!(
                    "{path}: column \"{}\", row group {g} (at byte {}): compressed with {}, \
                     which this reader cannot decompress (it reads uncompressed, snappy, gzip, \
                     brotli, lz4, lz4_raw and zstd)",
                    names[root],
                    chunk.byte_range().0,
                    chunk.compression()
                )));
            }
        }
    }
    let mask = ProjectionMask::roots(&descr, projection.iter().copied());
    let reader = |g: usize, columns: ProjectionMask, rows: usize| {
        ParquetRecordBatchReaderBuilder::new_with_metadata(open()?, meta.clone())
            .with_projection(columns)
            .with_row_groups(vec![g])
            .with_batch_size(rows)
            .build()
            .map_err(|e| group_error(path, &names, &projection, g, &e))
    };
    // A text date column's format is guessed from its first values (in the
    // first row group holding rows).
    let date_type = schema.field(picked.date).data_type().clone();
    let first = groups.iter().position(|rg| rg.num_rows() > 0);
    let sample = match first {
        Some(g) if is_text(&date_type) => {
            let date_only = ProjectionMask::roots(&descr, [picked.date]);
            reader(g, date_only, 200)?
                .next()
                .transpose()
                .map_err(|e| group_error(path, &names, &projection, g, &e))?
                .map(|b| b.column(0).clone())
        }
        _ => None,
    };
    let plan = Plan::new(path, &schema, picked, opts, sample.as_ref(), "row group")?;

    let mut starts = Vec::with_capacity(groups.len());
    let mut first_row = 0u64;
    for (index, rg) in groups.iter().enumerate() {
        starts.push(PartStart { index, first_row });
        first_row = first_row.saturating_add(u64::try_from(rg.num_rows()).unwrap_or(0));
    }
    progress.stage("reading");
    let done = AtomicUsize::new(0);
    let parts: Vec<Part> = starts
        .par_iter()
        .map(|&start| {
            let mut part = new_part(start, &plan);
            part.reserve(usize::try_from(groups[start.index].num_rows()).unwrap_or(0));
            for batch in reader(start.index, mask.clone(), BATCH_ROWS)? {
                let batch =
                    batch.map_err(|e| group_error(path, &names, &projection, start.index, &e))?;
                push(&mut part, &plan, &batch);
                if part_done(&part, &plan) {
                    break;
                }
            }
            progress.fraction(done.fetch_add(1, Ordering::Relaxed) + 1, starts.len());
            Ok(part)
        })
        .collect::<Result<Vec<Part>>>()?;
    concat(path, &plan, parts, &date_type)
}

/// Whether a type is text.
fn is_text(t: &arrow_schema::DataType) -> bool {
    matches!(
        t,
        arrow_schema::DataType::Utf8
            | arrow_schema::DataType::LargeUtf8
            | arrow_schema::DataType::Utf8View
    )
}

/// A row group that could not be decoded: the file, the row group and the
/// columns read from it.
fn group_error(
    path: &str,
    names: &[String],
    projection: &[usize],
    g: usize,
    e: &dyn std::fmt::Display,
) -> CliError {
    let columns: Vec<String> = projection
        .iter()
        .map(|&c| format!("{:?}", names[c]))
        .collect();
    CliError::input(format!(
        "{path}: row group {g}, columns {}: not readable ({e})",
        columns.join(", ")
    ))
}
