//! A table of named columns in a file, for the commands that read one
//! besides the transaction log (`cox` and `aft`, and the covariate file of
//! `fit --covariates`): delimited text with a header line (any delimiter,
//! optionally gzip-compressed; "-" reads standard input), or Parquet (a
//! name ending in .parquet or .pq). Bad values are reported with the file,
//! the line (the row for Parquet) and the column.

use super::columns::{Delimited, Kind, Values};
use super::csv;
#[cfg(feature = "parquet")]
use super::parquet_columns::ParquetColumns;
use super::STDIN_NAME;
use crate::error::{CliError, Result};
use crate::progress::Progress;

/// Where the columns come from.
pub enum ColumnFile<'a> {
    /// Delimited text.
    Text(Delimited<'a>),
    /// A Parquet file.
    #[cfg(feature = "parquet")]
    Parquet(ParquetColumns<'a>),
}

impl ColumnFile<'_> {
    /// The column names.
    pub fn names(&self) -> &[String] {
        match self {
            ColumnFile::Text(t) => &t.names,
            #[cfg(feature = "parquet")]
            ColumnFile::Parquet(t) => &t.names,
        }
    }

    /// The index of the column `wanted` (a name, or a 1-based number), for
    /// the flag `flag` in messages.
    ///
    /// # Errors
    /// [`CliError::Input`] listing the columns when there is no such column.
    pub fn column(&self, wanted: &str, flag: &str) -> Result<usize> {
        match self {
            ColumnFile::Text(t) => t.column(wanted, flag),
            #[cfg(feature = "parquet")]
            ColumnFile::Parquet(t) => t.column(wanted, flag),
        }
    }

    /// Read the columns `wanted` (index and kind).
    ///
    /// # Errors
    /// [`CliError::Input`] naming the file, line (row) and column of the
    /// first missing or bad value.
    pub fn read(&self, wanted: &[(usize, Kind)]) -> Result<Vec<Values>> {
        match self {
            ColumnFile::Text(t) => t.read(wanted),
            #[cfg(feature = "parquet")]
            ColumnFile::Parquet(t) => t.read(wanted),
        }
    }

    /// The file line of each row (delimited text); `None` for Parquet,
    /// whose rows are told by their 1-based number.
    #[cfg_attr(not(feature = "parquet"), allow(clippy::unnecessary_wraps))] // None for Parquet
    pub fn lines(&self) -> Option<Vec<u64>> {
        match self {
            ColumnFile::Text(t) => Some(t.lines.clone()),
            #[cfg(feature = "parquet")]
            ColumnFile::Parquet(_) => None,
        }
    }
}

/// The delimiter of a `--delimiter` flag: a character, "tab" or "space";
/// `None` (detected) when the flag is absent.
///
/// # Errors
/// [`CliError::Input`] for anything else.
pub fn delimiter(text: Option<&str>, flag: &str) -> Result<Option<u8>> {
    match text {
        None => Ok(None),
        Some("tab" | "\\t") => Ok(Some(b'\t')),
        Some("space" | "whitespace" | " ") => Ok(Some(b' ')),
        Some(d) if d.len() == 1 => Ok(d.bytes().next()),
        Some(d) => Err(CliError::input(format!(
            "{flag} {d:?}: expected one character, \"tab\" or \"space\""
        ))),
    }
}

/// Open `file` and call `f` with its columns and its name in messages;
/// `who` names the command in the message refusing an Arrow file or a
/// Parquet file without its extension (such as "cox and aft read").
///
/// # Errors
/// [`CliError::Input`] for a file that cannot be read, or has no rows;
/// those of `f`.
pub fn with_column_file<R>(
    file: &str,
    delimiter: Option<u8>,
    who: &str,
    f: impl FnOnce(&ColumnFile<'_>, String) -> Result<R>,
) -> Result<R> {
    let progress = Progress::new(true);
    let ext = std::path::Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    #[cfg(feature = "parquet")]
    if matches!(ext.as_deref(), Some("parquet" | "pq")) {
        let table = ColumnFile::Parquet(ParquetColumns::new(file)?);
        return f(&table, file.to_string());
    }
    let (path, bytes) = if file == "-" {
        use std::io::Read;
        let mut raw = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut raw)
            .map_err(|e| CliError::input(format!("{STDIN_NAME}: {e}")))?;
        (
            STDIN_NAME.to_string(),
            csv::decompress(STDIN_NAME, raw, &progress)?,
        )
    } else {
        (file.to_string(), csv::read_bytes(file, &progress)?)
    };
    if bytes.starts_with(b"PAR1") || bytes.starts_with(b"ARROW1") {
        return Err(CliError::input(format!(
            "{path}: {who} delimited text, and Parquet files named *.parquet \
             (this is a Parquet or Arrow file{})",
            if ext.is_some() || path == STDIN_NAME {
                ""
            } else {
                " without that extension"
            }
        )));
    }
    let table = ColumnFile::Text(Delimited::new(&path, &bytes, delimiter)?);
    f(&table, path.clone())
}
