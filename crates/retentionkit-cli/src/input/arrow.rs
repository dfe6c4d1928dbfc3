//! Arrow record batches into the columns of a [`Table`], shared by the
//! Parquet and the Arrow IPC readers: the column detector on an Arrow
//! schema here; the checks of each column's type and the column-wise
//! conversion of each batch (no row-wise step) in `retentionkit-arrow`,
//! whose rules the Python package's Arrow input follows too.
//!
//! The readers cut a file into parts (Parquet row groups, IPC record
//! batches) and convert the parts in parallel; [`concat`] joins them in file
//! order. String ids are numbered in each part and renumbered in order of
//! first appearance in the file when the parts are joined.

use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Schema};
use retentionkit_arrow as shared;
pub use retentionkit_arrow::{Part, PartStart};

use super::detect::{by_name, ChosenBy, How, AMOUNT_NAMES, DATE_NAMES, ID_NAMES};
use super::{find_column, BadRow, Columns, ReadOptions, Table};
use crate::error::{CliError, Result};

/// `read` (of the file `path`, a `format` file) under a guard against the
/// decoders' panics: the `parquet` crate's 57.x releases panicked on some
/// damaged footers (apache/arrow-rs#9839), and `arrow-ipc` 60 unwraps a
/// negative block length in an IPC file's footer (the fuzz target
/// `ipc_reader`, fuzz/corpus/ipc_reader/regression-negative-block-length.arrow;
/// the IPC reader now checks the blocks first, see `ipc::file_blocks_fit`).
/// A panic, in this thread or in a reader on rayon's pool (whose panic comes
/// back here), is reported as an unreadable file, exit 2, never a crash. The
/// panic hook is silenced while the file is read, so no panic message
/// reaches the terminal.
pub fn guarded<T>(path: &str, format: &str, read: impl FnOnce() -> Result<T>) -> Result<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    std::panic::set_hook(hook);
    out.unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(CliError::input(format!(
            "{path}: not a readable {format} file (the {format} decoder failed on it: {why})"
        )))
    })
}

/// A column given by its flag, else named like the role.
fn pick(
    path: &str,
    names: &[String],
    given: Option<&str>,
    guesses: &[&str],
    what: &str,
    skip: &[usize],
) -> Result<Option<(usize, How)>> {
    if let Some(w) = given {
        return find_column(path, names, w, what).map(|i| Some((i, How::Flag)));
    }
    Ok(by_name(names, guesses, skip).map(|i| (i, How::Name)))
}

/// The id, date and amount columns: given by the user or known by name
/// (docs/input.md, "Columns"). Without either for the amount, the file
/// must have no other number column: one would be a candidate, and the
/// command asks rather than leave the amounts out.
pub fn pick_columns(path: &str, schema: &Schema, opts: &ReadOptions) -> Result<Picked> {
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let numeric: Vec<bool> = schema
        .fields()
        .iter()
        .map(|f| shared::is_number(f.data_type()))
        .collect();
    let hint = |flag: &str| {
        format!(
            "name it with {flag} (the columns are {})",
            names
                .iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let (date, date_by) = pick(
        path,
        &names,
        opts.date.as_deref(),
        DATE_NAMES,
        "--date",
        &[],
    )?
    .ok_or_else(|| CliError::input(format!("{path}: found no date column; {}", hint("--date"))))?;
    let (id, id_by) = pick(path, &names, opts.id.as_deref(), ID_NAMES, "--id", &[date])?
        .ok_or_else(|| {
            CliError::input(format!(
                "{path}: found no customer id column; {}",
                hint("--id")
            ))
        })?;
    if id == date {
        return Err(CliError::input(format!(
            "{path}: column {:?} cannot be both the customer id and the order date",
            names[id]
        )));
    }
    let (amount, amount_by) = match opts.amount.as_deref() {
        Some("none") => (None, How::Flag),
        given => {
            if let Some((a, how)) =
                pick(path, &names, given, AMOUNT_NAMES, "--amount", &[id, date])?
            {
                if a == id || a == date {
                    return Err(CliError::input(format!(
                        "{path}: column {:?} cannot be the amount: it is the {}",
                        names[a],
                        if a == id { "customer id" } else { "order date" }
                    )));
                }
                (Some(a), how)
            } else {
                let others: Vec<String> = (0..names.len())
                    .filter(|&i| i != id && i != date && numeric[i])
                    .map(|i| format!("{:?}", names[i]))
                    .collect();
                if let Some(first) = others.first() {
                    return Err(CliError::input(format!(
                        "{path}: no column is named like an amount; cannot tell whether {} {} the \
                         order amounts: name it with --amount {first}, or give --amount none",
                        others.join(", "),
                        if others.len() == 1 { "holds" } else { "hold" }
                    )));
                }
                (None, How::Values)
            }
        }
    };
    Ok(Picked {
        id,
        date,
        amount,
        by: ChosenBy {
            id: id_by,
            date: date_by,
            amount: amount_by,
        },
    })
}

/// The columns read, by their role, and how each was chosen.
#[derive(Debug, Clone, Copy)]
pub struct Picked {
    /// The customer id column.
    pub id: usize,
    /// The order date column.
    pub date: usize,
    /// The amount column, if any.
    pub amount: Option<usize>,
    /// How each was chosen.
    pub by: ChosenBy,
}

impl Picked {
    /// The columns to read, in the file's order (a projection).
    pub fn projection(&self) -> Vec<usize> {
        self.columns().projection()
    }

    fn columns(&self) -> shared::Picked {
        shared::Picked {
            id: self.id,
            date: self.date,
            amount: self.amount,
        }
    }
}

/// The shared conversion's plan (`retentionkit_arrow::Plan`) and how the
/// columns were chosen, for the report.
#[derive(Debug, Clone)]
pub struct Plan {
    inner: shared::Plan,
    by: ChosenBy,
}

impl Plan {
    /// Check the types of the picked columns (the shared rules,
    /// `retentionkit_arrow::Plan::new`); messages name the file `path`.
    ///
    /// # Errors
    /// A column whose type cannot hold its role, a zone that cannot be read,
    /// or text dates in no format the reader knows.
    pub fn new(
        path: &str,
        schema: &Schema,
        picked: Picked,
        opts: &ReadOptions,
        sample: Option<&ArrayRef>,
        part: &'static str,
    ) -> Result<Plan> {
        let options = shared::Options {
            date_format: opts.date_format.clone(),
            skip_bad_rows: opts.skip_bad_rows,
            date_format_name: "--date-format",
        };
        let inner = shared::Plan::new(schema, picked.columns(), &options, sample, part)
            .map_err(|e| in_file(path, &e))?;
        Ok(Plan {
            inner,
            by: picked.by,
        })
    }

    /// The columns read, for the report (`header` and `delimiter` as for
    /// every typed file).
    fn columns(&self, date_type: &DataType) -> Columns {
        let names = self.inner.names();
        let p = self.inner.picked();
        Columns {
            id: names[p.id].clone(),
            date: names[p.date].clone(),
            amount: p.amount.map(|a| names[a].clone()),
            header: true,
            date_format: self.inner.date_format_text(date_type),
            delimiter: None,
            chosen_by: self.by,
        }
    }
}

/// An empty part of the file starting at `start`.
pub fn new_part(start: PartStart, plan: &Plan) -> Part {
    Part::new(start, &plan.inner)
}

/// Append the rows of one batch (of the projected columns) to `part`.
pub fn push(part: &mut Part, plan: &Plan, batch: &RecordBatch) {
    part.push(&plan.inner, batch);
}

/// Whether the reading of `part` can stop (a bad row, and the command
/// stops at the first).
#[cfg_attr(not(feature = "parquet"), allow(dead_code))] // ok: IPC converts a batch a part
pub fn part_done(part: &Part, plan: &Plan) -> bool {
    part.done(&plan.inner)
}

/// The shared conversion's error in the file `path`, exit 2.
fn in_file(path: &str, e: &shared::Error) -> CliError {
    CliError::input(format!("{path}: {e}"))
}

/// The parts, in file order, as one table (`retentionkit_arrow::concat`).
///
/// # Errors
/// The first bad row, unless bad rows are skipped.
pub fn concat(path: &str, plan: &Plan, parts: Vec<Part>, date_type: &DataType) -> Result<Table> {
    let c = shared::concat(&plan.inner, parts).map_err(|e| in_file(path, &e))?;
    Ok(Table {
        ids: c.ids,
        days: c.days,
        amounts: c.amounts,
        id_names: c.id_names,
        columns: Some(plan.columns(date_type)),
        bad_rows: c
            .bad_rows
            .into_iter()
            .map(|b| BadRow {
                line: b.line,
                column: b.column,
                message: b.message,
            })
            .collect(),
    })
}
