//! The result tables of `summary`, `predict` and `cohorts` and their two
//! writers: CSV (to stdout or a file) and Parquet (to a file named
//! `*.parquet`). A file is written next to its target under a temporary
//! name and renamed when complete, so a failed run leaves no half file.

pub mod csv;
pub mod number;
#[cfg(feature = "parquet")]
pub mod parquet;

use std::borrow::Cow;
use std::fs::File;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::error::{CliError, Result};

/// The values of one column, typed.
#[derive(Debug, Clone)]
pub enum Values<'a> {
    /// Unsigned integers (Parquet: `UINT_64`).
    U64(Cow<'a, [u64]>),
    /// Numbers, printed as Rust's `Display` prints them (Parquet: `DOUBLE`).
    F64(Cow<'a, [f64]>),
    /// Days since 1970-01-01, printed `YYYY-MM-DD` (Parquet: `DATE`).
    Day(Cow<'a, [i32]>),
    /// Text, quoted in CSV when it holds a comma, quote or line break
    /// (Parquet: `STRING`).
    Text(Vec<Cow<'a, str>>),
    /// Customer ids: the integers, or indices into the ids the file had
    /// when they were not integers (Parquet: `UINT_64`, or `STRING` with
    /// names).
    Id {
        /// The ids.
        ids: Cow<'a, [u64]>,
        /// The original ids, when `ids` are indices into them.
        names: Option<&'a [String]>,
    },
}

impl Values<'_> {
    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            Values::U64(v) => v.len(),
            Values::F64(v) => v.len(),
            Values::Day(v) => v.len(),
            Values::Text(v) => v.len(),
            Values::Id { ids, .. } => ids.len(),
        }
    }
}

/// One named column; `valid[i] == false` marks row `i` as missing (an
/// empty CSV field, a Parquet null), whatever `values[i]` holds.
#[derive(Debug, Clone)]
pub struct OutColumn<'a> {
    /// The column name (the CSV header).
    pub name: String,
    /// The values, one per row.
    pub values: Values<'a>,
    /// Which rows have a value (`None`: all of them).
    pub valid: Option<Vec<bool>>,
}

impl<'a> OutColumn<'a> {
    /// A column without missing values.
    pub fn new(name: impl Into<String>, values: Values<'a>) -> Self {
        OutColumn {
            name: name.into(),
            values,
            valid: None,
        }
    }

    /// A column with missing values where `valid` is false.
    pub fn with_valid(name: impl Into<String>, values: Values<'a>, valid: Vec<bool>) -> Self {
        let valid = if valid.iter().all(|&v| v) {
            None
        } else {
            Some(valid)
        };
        OutColumn {
            name: name.into(),
            values,
            valid,
        }
    }

    /// A column of numbers, all missing when `values` is `None` (a log
    /// without amounts, a model not fitted).
    pub fn optional_f64(
        name: impl Into<String>,
        values: Option<Cow<'a, [f64]>>,
        rows: usize,
    ) -> Self {
        match values {
            Some(v) => OutColumn::new(name, Values::F64(v)),
            None => OutColumn {
                name: name.into(),
                values: Values::F64(Cow::Owned(vec![0.0; rows])),
                valid: Some(vec![false; rows]),
            },
        }
    }

    /// Whether row `i` has a value.
    pub fn is_valid(&self, i: usize) -> bool {
        self.valid.as_ref().is_none_or(|v| v[i])
    }
}

/// A result table: named, typed columns of equal length.
#[derive(Debug, Clone, Default)]
pub struct OutTable<'a> {
    /// The columns in output order.
    pub columns: Vec<OutColumn<'a>>,
}

impl<'a> OutTable<'a> {
    /// Add a column.
    pub fn push(&mut self, column: OutColumn<'a>) {
        self.columns.push(column);
    }

    /// The number of rows (that of the first column).
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    /// Check that every column has as many values (and flags) as the first:
    /// a bug, not bad input, when not.
    fn check(&self) -> Result<()> {
        let rows = self.rows();
        for c in &self.columns {
            let flags = c.valid.as_ref().map_or(rows, Vec::len);
            if c.values.len() != rows || flags != rows {
                return Err(CliError::other(format!(
                    "internal error: column {:?} has {} values for {rows} rows",
                    c.name,
                    c.values.len()
                )));
            }
        }
        Ok(())
    }
}

/// Where a result table goes (`--output`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// CSV on standard output (no `--output`, or `--output -`).
    Stdout,
    /// A CSV file.
    Csv(String),
    /// A Parquet file (the name ends in `.parquet`).
    Parquet(String),
}

impl Destination {
    /// The destination of `--output`: checked before any input is read, so
    /// a Parquet name in a build without Parquet fails at once (exit 2).
    pub fn of(output: Option<&str>) -> Result<Self> {
        let Some(path) = output.filter(|p| *p != "-") else {
            return Ok(Destination::Stdout);
        };
        if path.is_empty() {
            return Err(CliError::input("--output: give a file name"));
        }
        let parquet = Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
        if !parquet {
            return Ok(Destination::Csv(path.to_string()));
        }
        if cfg!(feature = "parquet") {
            Ok(Destination::Parquet(path.to_string()))
        } else {
            Err(CliError::input(format!(
                "--output {path}: this build writes no Parquet (built without the `parquet` \
                 feature); give a .csv name"
            )))
        }
    }
}

/// Write `table` to `destination`; a file's name goes to stderr unless
/// `quiet`.
pub fn write_table(table: &OutTable<'_>, destination: &Destination, quiet: bool) -> Result<()> {
    table.check()?;
    match destination {
        Destination::Stdout => {
            let stdout = std::io::stdout();
            let mut w = stdout.lock();
            match csv::write(table, &mut w).and_then(|()| w.flush()) {
                Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(CliError::other(format!("cannot write the output: {e}"))),
                Ok(()) => Ok(()),
            }
        }
        Destination::Csv(path) => write_file(path, quiet, |file| {
            let mut file = file;
            csv::write(table, &mut file)
                .and_then(|()| file.flush())
                .map_err(|e| e.to_string())
        }),
        #[cfg(feature = "parquet")]
        Destination::Parquet(path) => write_file(path, quiet, |file| parquet::write(table, file)),
        #[cfg(not(feature = "parquet"))]
        Destination::Parquet(path) => Err(CliError::input(format!(
            "--output {path}: this build writes no Parquet"
        ))),
    }
}

/// Write a file through a temporary file in the same folder, renamed to
/// `path` when `write` succeeded; removed when it did not. Errors name
/// `path` (exit code 1, as the other output errors).
fn write_file(
    path: &str,
    quiet: bool,
    write: impl FnOnce(&mut File) -> std::result::Result<(), String>,
) -> Result<()> {
    let fail = |why: &dyn std::fmt::Display| CliError::other(format!("cannot write {path}: {why}"));
    let target = Path::new(path);
    let Some(name) = target.file_name() else {
        return Err(fail(&"not a file name"));
    };
    let folder = target.parent().filter(|p| !p.as_os_str().is_empty());
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".{}.tmp", std::process::id()));
    let temporary: PathBuf = folder.map_or_else(
        || PathBuf::from(&temporary_name),
        |f| f.join(&temporary_name),
    );
    let mut file = File::create(&temporary).map_err(|e| fail(&e))?;
    let written = write(&mut file);
    drop(file);
    let result = written
        .map_err(|e| fail(&e))
        .and_then(|()| std::fs::rename(&temporary, target).map_err(|e| fail(&e)));
    if result.is_err() {
        // ok: best effort; the error that matters is already in `result`.
        let _ = std::fs::remove_file(&temporary);
    } else if !quiet {
        eprintln!("wrote {path}");
    }
    result
}
