//! Arrow input: any Python object with `__arrow_c_stream__` (pyarrow tables
//! and record batch readers, polars DataFrames, DuckDB relations, pandas
//! frames of Arrow dtypes) or `__arrow_c_array__` (a record batch), read
//! through the Arrow C stream / C data interface (`arrow_array::ffi_stream`,
//! `arrow_array::ffi`) and converted by `retentionkit-arrow`, the rules the
//! command line's Parquet and IPC readers follow.
//!
//! Without a copy where the layout allows: a single batch of `int64` or
//! `uint64` ids, `date32` dates and `float64` amounts, none with a null, is
//! kept as Arrow imported it and the core borrows its value buffers
//! ([`retentionkit_arrow::borrow`]); several such batches are gathered with
//! one `memcpy` a column; any other layout goes through the column-wise
//! conversion of `retentionkit_arrow::Part`.
//!
//! The C interfaces are foreign function interfaces, so this module is the
//! one in the package with `unsafe` blocks: each takes the pointer of a
//! capsule whose name says what it holds, as the Arrow PyCapsule interface
//! specifies.
#![allow(unsafe_code)] // ok: the Arrow C interface imports below, each with its SAFETY note

use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use arrow_array::{RecordBatch, StructArray};
use arrow_schema::{ArrowError, DataType, Schema, SchemaRef};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyTuple};
use pyo3::PyTypeInfo;
use retentionkit::TransactionLog;
use retentionkit_arrow::{
    borrow, concat, Borrowed, BorrowedIds, Converted, Options, Part, PartStart, Picked, Plan,
};

use crate::error::{IntoPy, InvalidArgumentError, InvalidValueError, MissingColumnError};

/// An exception of class `T` with keyword attributes (`column`, `row`,
/// `argument`), as the Python classes take them.
fn raise<T: PyTypeInfo>(py: Python<'_>, message: &str, attrs: &[(&str, Py<PyAny>)]) -> PyErr {
    let made = (|| {
        let kwargs = PyDict::new(py);
        for (k, v) in attrs {
            kwargs.set_item(k, v)?;
        }
        T::type_object(py).call((message,), Some(&kwargs))
    })();
    match made {
        Ok(e) => PyErr::from_value(e),
        Err(e) => e,
    }
}

fn text(py: Python<'_>, s: &str) -> Py<PyAny> {
    s.into_pyobject(py)
        .map_or_else(|_| py.None(), |o| o.into_any().unbind())
}

/// An `InvalidArgumentError` about the object given (argument `data`).
fn bad_input(py: Python<'_>, message: &str) -> PyErr {
    raise::<InvalidArgumentError>(py, message, &[("argument", text(py, "data"))])
}

/// The record batches of an Arrow PyCapsule producer, and their schema.
fn import(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<(SchemaRef, Vec<RecordBatch>)> {
    let arrow_err =
        |e: &ArrowError| bad_input(py, &format!("cannot read the Arrow data of the table: {e}"));
    if data.hasattr("__arrow_c_stream__")? {
        let capsule = data.call_method0("__arrow_c_stream__")?;
        let capsule = capsule.cast::<PyCapsule>()?;
        let ptr = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
        // SAFETY: a capsule named "arrow_array_stream" holds an
        // `ArrowArrayStream` (the Arrow PyCapsule interface); `from_raw`
        // moves it out and leaves a released stream behind, which the
        // capsule's destructor then leaves alone.
        let stream = unsafe { FFI_ArrowArrayStream::from_raw(ptr.as_ptr().cast()) };
        let reader = RecordBatchStreamReader::try_new(stream).map_err(|e| arrow_err(&e))?;
        let schema = arrow_array::RecordBatchReader::schema(&reader);
        let batches = reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| arrow_err(&e))?;
        return Ok((schema, batches));
    }
    if data.hasattr("__arrow_c_array__")? {
        let pair = data.call_method0("__arrow_c_array__")?;
        let pair = pair.cast::<PyTuple>()?;
        let schema_capsule = pair.get_item(0)?;
        let schema_capsule = schema_capsule.cast::<PyCapsule>()?;
        let array_capsule = pair.get_item(1)?;
        let array_capsule = array_capsule.cast::<PyCapsule>()?;
        let schema_ptr = schema_capsule.pointer_checked(Some(c"arrow_schema"))?;
        let array_ptr = array_capsule.pointer_checked(Some(c"arrow_array"))?;
        // SAFETY: capsules named "arrow_schema" and "arrow_array" hold an
        // `ArrowSchema` and an `ArrowArray` (the Arrow PyCapsule
        // interface). The schema is only read, and stays the capsule's; the
        // array is moved out (a released array is left behind, which the
        // capsule's destructor leaves alone) and imported with its schema.
        let imported = unsafe {
            let schema: &FFI_ArrowSchema = &*schema_ptr.as_ptr().cast::<FFI_ArrowSchema>();
            let array = FFI_ArrowArray::from_raw(array_ptr.as_ptr().cast());
            from_ffi(array, schema)
        }
        .map_err(|e| arrow_err(&e))?;
        if !matches!(imported.data_type(), DataType::Struct(_)) {
            return Err(bad_input(
                py,
                &format!(
                    "the Arrow array given is of type {}; expected a table (a struct array or record batch)",
                    imported.data_type()
                ),
            ));
        }
        let batch = RecordBatch::from(StructArray::from(imported));
        return Ok((batch.schema(), vec![batch]));
    }
    Err(bad_input(
        py,
        "the object has neither __arrow_c_stream__ nor __arrow_c_array__",
    ))
}

/// The columns of a table read from Arrow, for the core: Arrow's own
/// buffers (borrowed by every call, no copy) or converted columns.
enum Held {
    /// One batch whose layout is the core's.
    Arrow { batch: RecordBatch, plan: Box<Plan> },
    /// Gathered or converted columns.
    Owned {
        ids: OwnedIds,
        days: Vec<i32>,
        amounts: Option<Vec<f64>>,
    },
}

/// Owned customer ids: `int64` ones are checked by the core
/// (`TransactionLog::with_signed_ids`), as borrowed ones are.
enum OwnedIds {
    Unsigned(Vec<u64>),
    Signed(Vec<i64>),
}

/// The log's columns taken from an Arrow producer (what
/// `retentionkit.TransactionLog` keeps for a table given through the Arrow
/// PyCapsule interface): see the module documentation.
#[pyclass(frozen, module = "retentionkit._retentionkit")]
pub struct ArrowColumns {
    held: Held,
    labels: Option<Vec<String>>,
}

impl ArrowColumns {
    /// Run `f` on a log borrowing the held columns, with the GIL released.
    ///
    /// # Errors
    /// The core's error for a bad log or of `f`, as its Python class.
    pub fn run<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&TransactionLog<'_>) -> retentionkit::Result<T> + Send,
    ) -> PyResult<T> {
        py.detach(|| f(&self.log()?)).py_err()
    }

    /// A log borrowing the held columns (checked by the core).
    ///
    /// # Errors
    /// The core's error for a bad log.
    pub fn log(&self) -> retentionkit::Result<TransactionLog<'_>> {
        let (ids, days, amounts) = match &self.held {
            Held::Arrow { batch, plan } => {
                // ok: a batch is held as it is only when it borrows.
                let b = borrow(plan, batch).ok_or(retentionkit::Error::Empty {
                    what: "transaction log",
                })?;
                (b.ids, b.days, b.amounts)
            }
            Held::Owned { ids, days, amounts } => (
                match ids {
                    OwnedIds::Unsigned(u) => BorrowedIds::Unsigned(u),
                    OwnedIds::Signed(s) => BorrowedIds::Signed(s),
                },
                &days[..],
                amounts.as_deref(),
            ),
        };
        match ids {
            BorrowedIds::Unsigned(ids) => TransactionLog::new(ids, days, amounts),
            BorrowedIds::Signed(ids) => TransactionLog::with_signed_ids(ids, days, amounts),
        }
    }
}

#[pymethods]
impl ArrowColumns {
    /// Read the columns `customer_id`, `date` and (given) `amount` of an
    /// Arrow PyCapsule producer `data` by the rules of `retentionkit-arrow`.
    ///
    /// # Errors
    /// `MissingColumnError` for a column the table lacks;
    /// `InvalidArgumentError` naming a column whose type cannot hold its
    /// role (or an object that is no Arrow table); `InvalidValueError`
    /// naming the column and the (0-based) row of the first value that
    /// cannot be read.
    #[new]
    #[pyo3(signature = (data, customer_id, date, amount=None, date_format=None))]
    fn new(
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        customer_id: &str,
        date: &str,
        amount: Option<&str>,
        date_format: Option<String>,
    ) -> PyResult<Self> {
        let (schema, batches) = import(py, data)?;
        let picked = Picked {
            id: column_index(py, &schema, customer_id, "customer_id")?,
            date: column_index(py, &schema, date, "date")?,
            amount: amount
                .map(|a| column_index(py, &schema, a, "amount"))
                .transpose()?,
        };
        let options = Options {
            date_format,
            skip_bad_rows: false,
            date_format_name: "date_format=",
        };
        let sample = batches.first().map(|b| b.column(picked.date).clone());
        let plan = Plan::new(&schema, picked, &options, sample.as_ref(), "chunk")
            .map_err(|e| shared_error(py, &e))?;
        if let [batch] = batches.as_slice()
            && borrow(&plan, batch).is_some()
        {
            return Ok(ArrowColumns {
                held: Held::Arrow {
                    batch: batch.clone(),
                    plan: Box::new(plan),
                },
                labels: None,
            });
        }
        let gathered = py.detach(|| gather(&plan, &batches));
        if let Some(held) = gathered {
            return Ok(ArrowColumns { held, labels: None });
        }
        let converted = py
            .detach(|| convert(&plan, &batches))
            .map_err(|e| shared_error(py, &e))?;
        let (ids, labels) = sorted_ids(converted.ids, converted.id_names);
        Ok(ArrowColumns {
            held: Held::Owned {
                ids: OwnedIds::Unsigned(ids),
                days: converted.days,
                amounts: converted.amounts,
            },
            labels,
        })
    }

    /// The text ids in code order (a code indexes them, sorted as the numpy
    /// route sorts them); None for integer ids.
    #[getter]
    fn labels(&self) -> Option<Vec<String>> {
        self.labels.clone()
    }

    /// Whether the core borrows Arrow's own buffers (no copy).
    #[getter]
    fn zero_copy(&self) -> bool {
        matches!(self.held, Held::Arrow { .. })
    }

    /// The address of the first customer id the core reads (for a check
    /// that no copy was made: with [`Self::zero_copy`], it is the address
    /// of the Arrow array's value buffer).
    #[getter]
    fn ids_address(&self) -> PyResult<usize> {
        let log = self.log().py_err()?;
        Ok(log.ids().as_ptr() as usize)
    }

    /// The number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        match &self.held {
            Held::Arrow { batch, .. } => batch.num_rows(),
            Held::Owned { days, .. } => days.len(),
        }
    }
}

/// Column `name` of `schema`: exact, as the DataFrame routes look it up.
fn column_index(py: Python<'_>, schema: &Schema, name: &str, role: &str) -> PyResult<usize> {
    schema.index_of(name).map_err(|_| {
        let have: Vec<String> = schema
            .fields()
            .iter()
            .map(|f| format!("'{}'", f.name()))
            .collect();
        raise::<MissingColumnError>(
            py,
            &format!(
                "column `{name}` is required for the transaction log but is not in the table; \
                 the table's columns are {} (name another with `{role}=`)",
                have.join(", ")
            ),
            &[("column", text(py, name))],
        )
    })
}

/// The shared conversion's error as the package's exception: a column that
/// does not fit is an `InvalidArgumentError` naming it, a value that
/// cannot be read an `InvalidValueError` naming its column and row.
fn shared_error(py: Python<'_>, e: &retentionkit_arrow::Error) -> PyErr {
    match e {
        retentionkit_arrow::Error::Column { column, message } => raise::<InvalidArgumentError>(
            py,
            message,
            &[("argument", text(py, column)), ("column", text(py, column))],
        ),
        retentionkit_arrow::Error::Value {
            line,
            column,
            message,
            ..
        } => {
            let row = line.saturating_sub(1);
            let row_obj = row
                .into_pyobject(py)
                .map_or_else(|_| py.None(), |o| o.into_any().unbind());
            raise::<InvalidValueError>(
                py,
                &format!("column `{column}`, row {row}: {message}"),
                &[("column", text(py, column)), ("row", row_obj)],
            )
        }
    }
}

/// Several batches that each borrow, gathered into owned columns (one copy
/// of each buffer); `None` when one does not borrow or the id types differ.
fn gather(plan: &Plan, batches: &[RecordBatch]) -> Option<Held> {
    let borrowed: Vec<Borrowed<'_>> = batches
        .iter()
        .map(|b| borrow(plan, b))
        .collect::<Option<_>>()?;
    let n: usize = borrowed.iter().map(|b| b.days.len()).sum();
    let all_signed = borrowed
        .iter()
        .all(|b| matches!(b.ids, BorrowedIds::Signed(_)));
    let all_unsigned = borrowed
        .iter()
        .all(|b| matches!(b.ids, BorrowedIds::Unsigned(_)));
    if !(all_signed || all_unsigned) {
        return None;
    }
    // Each column allocated once at its full length (one copy of each buffer).
    let mut unsigned: Vec<u64> = Vec::with_capacity(if all_unsigned { n } else { 0 });
    let mut signed: Vec<i64> = Vec::with_capacity(if all_signed { n } else { 0 });
    let mut days = Vec::with_capacity(n);
    let mut amounts = plan.picked().amount.map(|_| Vec::with_capacity(n));
    for b in &borrowed {
        match b.ids {
            BorrowedIds::Signed(s) => signed.extend_from_slice(s),
            BorrowedIds::Unsigned(u) => unsigned.extend_from_slice(u),
        }
        days.extend_from_slice(b.days);
        if let (Some(out), Some(a)) = (amounts.as_mut(), b.amounts) {
            out.extend_from_slice(a);
        }
    }
    Some(Held::Owned {
        ids: if all_signed {
            OwnedIds::Signed(signed)
        } else {
            OwnedIds::Unsigned(unsigned)
        },
        days,
        amounts,
    })
}

/// Every batch through the shared column-wise conversion.
fn convert(plan: &Plan, batches: &[RecordBatch]) -> retentionkit_arrow::Result<Converted> {
    let mut first_row = 0u64;
    let mut parts = Vec::with_capacity(batches.len());
    for (index, b) in batches.iter().enumerate() {
        let mut part = Part::new(PartStart { index, first_row }, plan);
        part.push(plan, b);
        first_row += b.num_rows() as u64;
        let stop = part.done(plan);
        parts.push(part);
        if stop {
            break;
        }
    }
    concat(plan, parts)
}

/// Text ids numbered in order of first appearance, renumbered in the
/// sorted order of the ids (`log::ids::TextIds::sorted`), as the numpy
/// route codes them.
fn sorted_ids(ids: Vec<u64>, names: Option<Vec<String>>) -> (Vec<u64>, Option<Vec<String>>) {
    match names {
        None => (ids, None),
        Some(labels) => {
            let sorted = retentionkit::log::ids::TextIds { codes: ids, labels }.sorted();
            (sorted.codes, Some(sorted.labels))
        }
    }
}
