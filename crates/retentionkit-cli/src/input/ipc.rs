//! Arrow IPC: the file format (Feather v2, `.arrow`, `.feather`, `.ipc`)
//! and the stream format, through `arrow-ipc`. The id, date and amount
//! columns are projected; the record batches are converted in parallel by
//! the same code as Parquet's row groups ([`super::arrow`]).

use std::io::Cursor;

use arrow_array::RecordBatch;
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_schema::{ArrowError, SchemaRef};
use rayon::prelude::*;

use super::arrow::{concat, guarded, pick_columns, Part, PartStart, Plan};
use super::{ReadOptions, Table};
use crate::error::{CliError, Result};
use crate::progress::Progress;

/// The magic bytes at the start of an IPC file (the stream format has none).
const FILE_MAGIC: &[u8] = b"ARROW1";

/// Read an Arrow IPC file (or stream) at `path`.
///
/// # Errors
/// A file that cannot be read, is not Arrow IPC, or whose columns do not
/// fit (as for Parquet).
pub fn read(path: &str, opts: &ReadOptions, progress: &Progress) -> Result<Table> {
    let data = std::fs::read(path).map_err(|e| CliError::input(format!("{path}: {e}")))?;
    read_bytes(path, &data, opts, progress)
}

/// Whether `data` starts like Arrow IPC: the file format's magic, or a
/// stream's first message (a continuation marker `0xFFFFFFFF`).
pub fn looks_like_ipc(data: &[u8]) -> bool {
    data.starts_with(FILE_MAGIC) || data.starts_with(&[0xff, 0xff, 0xff, 0xff])
}

/// Read Arrow IPC held in memory; `path` names it in messages. A decoder
/// panic is an unreadable file ([`super::arrow::guarded`]).
///
/// # Errors
/// As [`read`].
pub fn read_bytes(
    path: &str,
    data: &[u8],
    opts: &ReadOptions,
    progress: &Progress,
) -> Result<Table> {
    guarded(path, "Arrow IPC", || {
        read_unguarded(path, data, opts, progress)
    })
}

/// [`read_bytes`] without the guard against the decoder's panics.
fn read_unguarded(
    path: &str,
    data: &[u8],
    opts: &ReadOptions,
    progress: &Progress,
) -> Result<Table> {
    let bad =
        |e: ArrowError| CliError::input(format!("{path}: not a readable Arrow IPC file ({e})"));
    let file = data.starts_with(FILE_MAGIC);
    let schema: SchemaRef = if file {
        FileReader::try_new(Cursor::new(data), None)
            .map_err(bad)?
            .schema()
    } else {
        StreamReader::try_new(Cursor::new(data), None)
            .map_err(bad)?
            .schema()
    };
    let picked = pick_columns(path, &schema, opts)?;
    let projection = picked.projection();
    progress.stage("reading");
    let batch_error = |i: usize, e: ArrowError| {
        CliError::input(format!("{path}: record batch {i}: not readable ({e})"))
    };
    let batches: Vec<RecordBatch> = if file {
        FileReader::try_new(Cursor::new(data), Some(projection.clone()))
            .map_err(bad)?
            .enumerate()
            .map(|(i, b)| b.map_err(|e| batch_error(i, e)))
            .collect::<Result<_>>()?
    } else {
        StreamReader::try_new(Cursor::new(data), Some(projection.clone()))
            .map_err(bad)?
            .enumerate()
            .map(|(i, b)| b.map_err(|e| batch_error(i, e)))
            .collect::<Result<_>>()?
    };
    let date_at = projection
        .iter()
        .position(|&c| c == picked.date)
        .unwrap_or(0);
    let sample = batches.first().map(|b| b.column(date_at).clone());
    let date_type = schema.field(picked.date).data_type().clone();
    let plan = Plan::new(path, &schema, picked, opts, sample.as_ref(), "record batch")?;
    let mut first_row = 0u64;
    let starts: Vec<PartStart> = batches
        .iter()
        .enumerate()
        .map(|(index, b)| {
            let s = PartStart { index, first_row };
            first_row += b.num_rows() as u64;
            s
        })
        .collect();
    let parts: Vec<Part> = batches
        .par_iter()
        .zip(starts)
        .map(|(b, start)| {
            let mut part = Part::new(start, &plan);
            part.push(&plan, b);
            part
        })
        .collect();
    concat(path, &plan, parts, &date_type)
}
