//! Arrow IPC: the file format (Feather v2, `.arrow`, `.feather`, `.ipc`)
//! and the stream format, through `arrow-ipc`. The id, date and amount
//! columns are projected; the record batches are converted in parallel by
//! the same code as Parquet's row groups ([`super::arrow`]).

use std::io::Cursor;

use arrow_array::RecordBatch;
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_schema::{ArrowError, SchemaRef};
use rayon::prelude::*;

use super::arrow::{concat, guarded, new_part, pick_columns, push, Part, PartStart, Plan};
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
    let lengths = if file {
        file_blocks_fit(data)
    } else {
        stream_messages_fit(data)
    };
    lengths
        .map_err(|why| CliError::input(format!("{path}: not a readable Arrow IPC file ({why})")))?;
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
            let mut part = new_part(start, &plan);
            push(&mut part, &plan, b);
            part
        })
        .collect();
    concat(path, &plan, parts, &date_type)
}

/// Whether `start + lengths` lies inside `size` bytes, every part non-negative.
fn inside(size: usize, start: i64, lengths: &[i64]) -> bool {
    let Ok(mut end) = u64::try_from(start) else {
        return false;
    };
    for &l in lengths {
        match u64::try_from(l).ok().and_then(|l| end.checked_add(l)) {
            Some(e) => end = e,
            None => return false,
        }
    }
    end <= size as u64
}

/// Check the blocks an IPC file's footer lists against the file's size
/// before `arrow-ipc` reads them: it allocates a block's lengths as given
/// (a damaged footer asked for gigabytes; fuzz target `ipc_reader`) and
/// unwraps a negative one. A footer that does not parse is left to
/// `arrow-ipc`, which reports it.
fn file_blocks_fit(data: &[u8]) -> std::result::Result<(), String> {
    let n = data.len();
    let Some(len) = n
        .checked_sub(10)
        .and_then(|at| data.get(at..at + 4))
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(i32::from_le_bytes)
    else {
        return Ok(());
    };
    let Some(footer) = usize::try_from(len)
        .ok()
        .and_then(|l| (n - 10).checked_sub(l).map(|start| &data[start..n - 10]))
    else {
        return Ok(());
    };
    let Ok(footer) = arrow_ipc::root_as_footer(footer) else {
        return Ok(());
    };
    let blocks = footer
        .recordBatches()
        .into_iter()
        .flatten()
        .chain(footer.dictionaries().into_iter().flatten());
    for (i, b) in blocks.enumerate() {
        if !inside(
            n,
            b.offset(),
            &[i64::from(b.metaDataLength()), b.bodyLength()],
        ) {
            return Err(format!(
                "block {i} of the footer (offset {}, {} + {} bytes) lies outside the file of {n} bytes",
                b.offset(),
                b.metaDataLength(),
                b.bodyLength()
            ));
        }
    }
    Ok(())
}

/// Check each message of an IPC stream: its body must fit in the bytes
/// after it (`arrow-ipc` allocates a message's body length as given). A
/// message that does not parse is left to `arrow-ipc`.
fn stream_messages_fit(data: &[u8]) -> std::result::Result<(), String> {
    let word = |at: usize| {
        data.get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(i32::from_le_bytes)
    };
    let mut at = 0usize;
    for i in 0.. {
        let Some(mut len) = word(at) else {
            return Ok(());
        };
        at += 4;
        if len == -1 {
            // The continuation marker, then the length.
            let Some(l) = word(at) else {
                return Ok(());
            };
            len = l;
            at += 4;
        }
        let Ok(len) = usize::try_from(len) else {
            return Err(format!("message {i} has a negative length {len}"));
        };
        if len == 0 {
            return Ok(());
        }
        let Some(meta) = at.checked_add(len).and_then(|end| data.get(at..end)) else {
            return Ok(());
        };
        let Ok(message) = arrow_ipc::root_as_message(meta) else {
            return Ok(());
        };
        at += len;
        let body = message.bodyLength();
        if !inside(data.len(), i64::try_from(at).unwrap_or(i64::MAX), &[body]) {
            return Err(format!(
                "message {i} announces a body of {body} bytes, beyond the {} bytes left",
                data.len() - at
            ));
        }
        at += usize::try_from(body).unwrap_or(0);
    }
    Ok(())
}
