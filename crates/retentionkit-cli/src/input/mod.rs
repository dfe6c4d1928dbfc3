//! Reading the transaction log: CSV (any delimiter, gzip or not), Parquet,
//! Arrow IPC (Feather), standard input (`-`), or the built-in demo shop.

#[cfg(any(feature = "parquet", feature = "ipc"))]
pub mod arrow;
pub mod column_file;
pub mod columns;
pub mod csv;
pub mod dates;
pub mod detect;
#[cfg(feature = "ipc")]
pub mod ipc;
#[cfg(feature = "parquet")]
pub mod parquet;
#[cfg(feature = "parquet")]
pub mod parquet_columns;

use retentionkit::demo::{shop, DemoOptions};
use serde::Serialize;

use crate::error::{CliError, Result};
use crate::progress::Progress;

/// How to read a file (from the command line).
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Name (or 1-based number) of the customer id column.
    pub id: Option<String>,
    /// Name (or number) of the date column.
    pub date: Option<String>,
    /// Name (or number) of the amount column; `none` for no amounts.
    pub amount: Option<String>,
    /// A date format keyword or chrono pattern.
    pub date_format: Option<String>,
    /// The field delimiter (a space means runs of whitespace).
    pub delimiter: Option<u8>,
    /// Whether the first line is a header (`None`: detect).
    pub header: Option<bool>,
    /// Skip rows that cannot be parsed instead of stopping.
    pub skip_bad_rows: bool,
}

/// A row that could not be parsed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BadRow {
    /// 1-based line number in the file.
    pub line: u64,
    /// The column's name.
    pub column: String,
    /// What was wrong.
    pub message: String,
}

/// Which columns were read, and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Columns {
    /// The id column's name (or 1-based number without a header).
    pub id: String,
    /// The date column.
    pub date: String,
    /// The amount column, if any.
    pub amount: Option<String>,
    /// Whether the file had a header line.
    pub header: bool,
    /// How the dates were read.
    pub date_format: String,
    /// The field delimiter (CSV only).
    pub delimiter: Option<String>,
    /// How each column was chosen: given by a flag, or detected by its
    /// header name or its values.
    pub chosen_by: detect::ChosenBy,
}

/// The columns of the log, owned, ready for `TransactionLog::new`.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Customer ids (integers from the file, or indices into `id_names`).
    pub ids: Vec<u64>,
    /// Order days since 1970-01-01.
    pub days: Vec<i32>,
    /// Order amounts.
    pub amounts: Option<Vec<f64>>,
    /// The original ids when they were not integers (id `k` is `id_names[k]`).
    pub id_names: Option<Vec<String>>,
    /// The columns read (`None` for the demo shop).
    pub columns: Option<Columns>,
    /// Rows skipped with `--skip-bad-rows`.
    pub bad_rows: Vec<BadRow>,
}

impl Table {
    /// The id as the user wrote it.
    pub fn id_label(&self, id: u64) -> String {
        match &self.id_names {
            Some(names) => usize::try_from(id)
                .ok()
                .and_then(|i| names.get(i))
                .cloned()
                .unwrap_or_else(|| id.to_string()),
            None => id.to_string(),
        }
    }
}

/// Where the data came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    /// A file.
    File {
        /// Its path as given.
        path: String,
    },
    /// The built-in demo shop.
    Demo {
        /// Its simulation settings.
        options: DemoOptions,
    },
}

/// Read `path`, or simulate the demo shop when `path` is `None`.
pub fn load(
    path: Option<&str>,
    opts: &ReadOptions,
    progress: &Progress,
) -> Result<(Source, Table)> {
    let Some(path) = path else {
        progress.stage("simulating");
        let options = DemoOptions::default();
        let demo = shop(&options)?;
        return Ok((
            Source::Demo { options },
            Table {
                ids: demo.ids,
                days: demo.days,
                amounts: Some(demo.amounts),
                ..Table::default()
            },
        ));
    };
    progress.stage("reading");
    let source = Source::File {
        path: path.to_string(),
    };
    if path == "-" {
        return Ok((source, read_stdin(opts, progress)?));
    }
    let ext = std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("parquet" | "pq")) {
        #[cfg(feature = "parquet")]
        return Ok((source, parquet::read(path, opts, progress)?));
        #[cfg(not(feature = "parquet"))]
        return Err(CliError::input(format!(
            "{path}: this build reads no Parquet (built without the `parquet` feature)"
        )));
    }
    if matches!(ext.as_deref(), Some("arrow" | "feather" | "ipc" | "arrows")) {
        #[cfg(feature = "ipc")]
        return Ok((source, ipc::read(path, opts, progress)?));
        #[cfg(not(feature = "ipc"))]
        return Err(CliError::input(format!(
            "{path}: this build reads no Arrow IPC (built without the `ipc` feature)"
        )));
    }
    let bytes = csv::read_bytes(path, progress)?;
    if bytes.starts_with(b"PAR1") {
        return Err(CliError::input(format!(
            "{path}: this is a Parquet file; name it with a .parquet extension"
        )));
    }
    if bytes.starts_with(b"ARROW1") {
        return Err(CliError::input(format!(
            "{path}: this is an Arrow IPC (Feather) file; name it with a .arrow or .feather extension"
        )));
    }
    let table = csv::parse(path, &bytes, opts, progress)?;
    Ok((source, table))
}

/// How standard input is named in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// The log on standard input: CSV (gunzipped when it starts with the gzip
/// magic bytes), or, told by their first bytes, Parquet and Arrow IPC.
fn read_stdin(opts: &ReadOptions, progress: &Progress) -> Result<Table> {
    use std::io::Read;
    let mut raw = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut raw)
        .map_err(|e| CliError::input(format!("{STDIN_NAME}: {e}")))?;
    let bytes = csv::decompress(STDIN_NAME, raw, progress)?;
    if bytes.starts_with(b"PAR1") {
        #[cfg(feature = "parquet")]
        return parquet::read_bytes(STDIN_NAME, bytes, opts, progress);
        #[cfg(not(feature = "parquet"))]
        return Err(CliError::input(format!(
            "{STDIN_NAME}: Parquet, but this build reads no Parquet (built without the `parquet` feature)"
        )));
    }
    #[cfg(feature = "ipc")]
    if ipc::looks_like_ipc(&bytes) {
        return ipc::read_bytes(STDIN_NAME, &bytes, opts, progress);
    }
    csv::parse(STDIN_NAME, &bytes, opts, progress)
}

/// Find a column by the user's name (exact, then ignoring case, then a
/// 1-based number).
pub fn find_column(path: &str, names: &[String], wanted: &str, what: &str) -> Result<usize> {
    if let Some(i) = names.iter().position(|n| n == wanted) {
        return Ok(i);
    }
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(wanted)) {
        return Ok(i);
    }
    if let Ok(k) = wanted.parse::<usize>()
        && (1..=names.len()).contains(&k)
    {
        return Ok(k - 1);
    }
    Err(CliError::input(format!(
        "{path}: no column {wanted:?} for {what} (the columns are: {})",
        names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}
