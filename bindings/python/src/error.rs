//! One Python exception class per core error variant, all subclasses of
//! `retentionkit.RetentionError` (itself a `ValueError`), raised with the
//! core's message and the variant's fields as attributes: the fields the
//! wasm binding's errors carry (`bindings/wasm/src/error.rs`), plus `got` of
//! `TooLarge`.

use std::marker::PhantomData;

use pyo3::import_exception;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use pyo3::{PyErrArguments, PyTypeInfo};
use retentionkit::Error;

// The classes are defined in Python (`python/retentionkit/_errors.py`) so that
// they belong to the `retentionkit` package and pickle; these are their
// handles on the Rust side, imported on first use.
import_exception!(retentionkit._errors, RetentionError);
import_exception!(retentionkit._errors, EmptyError);
import_exception!(retentionkit._errors, LengthMismatchError);
import_exception!(retentionkit._errors, InvalidValueError);
import_exception!(retentionkit._errors, ZeroDenominatorError);
import_exception!(retentionkit._errors, InvalidArgumentError);
import_exception!(retentionkit._errors, MissingColumnError);
import_exception!(retentionkit._errors, IncompatibleError);
import_exception!(retentionkit._errors, TooLargeError);

/// `LengthMismatchError` naming the first of `cols` (column, length) whose
/// length is not `n`.
///
/// # Errors
/// As said.
pub fn check_lengths(n: usize, cols: &[(&'static str, usize)]) -> PyResult<()> {
    for &(column, got) in cols {
        if got != n {
            return Err(to_py(&Error::LengthMismatch {
                column,
                expected: n,
                got,
            }));
        }
    }
    Ok(())
}

/// The message and the attributes (`column`, `row`, `argument`, `expected`,
/// `got`) of the Python exception `T` for a core error. The core carries no
/// bad value, so `value` stays `None`.
///
/// The attributes are keyword arguments of the class, and pyo3 calls the
/// class with positional arguments only; so the lazy error's "arguments" are
/// a ready instance of `T`, which Python raises as it is (`PyErr_SetObject`).
/// It is made when the error is raised, with the GIL held.
struct Raised<T> {
    message: String,
    column: Option<&'static str>,
    row: Option<usize>,
    argument: Option<&'static str>,
    expected: Option<usize>,
    got: Option<usize>,
    class: PhantomData<fn() -> T>,
}

impl<T: PyTypeInfo + 'static> Raised<T> {
    fn new(err: &Error) -> Self {
        let mut raised = Self {
            message: err.to_string(),
            column: None,
            row: None,
            argument: None,
            expected: None,
            got: None,
            class: PhantomData,
        };
        match *err {
            Error::LengthMismatch {
                column,
                expected,
                got,
            } => {
                raised.column = Some(column);
                raised.expected = Some(expected);
                raised.got = Some(got);
            }
            Error::InvalidValue { column, row, .. } => {
                raised.column = Some(column);
                raised.row = Some(row);
            }
            Error::InvalidArgument { name, .. } => raised.argument = Some(name),
            Error::MissingColumn { column, .. } => raised.column = Some(column),
            Error::TooLarge { got, .. } => raised.got = Some(got),
            _ => {}
        }
        raised
    }

    fn err(err: &Error) -> PyErr {
        PyErr::new::<T, _>(Self::new(err))
    }

    fn instance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("column", self.column)?;
        kwargs.set_item("row", self.row)?;
        kwargs.set_item("argument", self.argument)?;
        kwargs.set_item("expected", self.expected)?;
        kwargs.set_item("got", self.got)?;
        py.get_type::<T>().call((&self.message,), Some(&kwargs))
    }
}

impl<T: PyTypeInfo + 'static> PyErrArguments for Raised<T> {
    fn arguments(self, py: Python<'_>) -> Py<PyAny> {
        match self.instance(py) {
            Ok(instance) => instance.unbind(),
            // Cannot happen with the classes of _errors.py; if it did, the
            // class would still be raised, with the message alone.
            Err(_) => PyString::new(py, &self.message).into_any().unbind(),
        }
    }
}

/// The Python exception for a core error: its class, the core message
/// unchanged, and the variant's fields as attributes.
pub fn to_py(err: &Error) -> PyErr {
    match err {
        Error::Empty { .. } => Raised::<EmptyError>::err(err),
        Error::LengthMismatch { .. } => Raised::<LengthMismatchError>::err(err),
        Error::InvalidValue { .. } => Raised::<InvalidValueError>::err(err),
        Error::ZeroDenominator { .. } => Raised::<ZeroDenominatorError>::err(err),
        Error::InvalidArgument { .. } => Raised::<InvalidArgumentError>::err(err),
        Error::MissingColumn { .. } => Raised::<MissingColumnError>::err(err),
        Error::Incompatible { .. } => Raised::<IncompatibleError>::err(err),
        Error::TooLarge { .. } => Raised::<TooLargeError>::err(err),
        _ => Raised::<RetentionError>::err(err),
    }
}

/// `InvalidArgumentError` for an argument the binding itself checks (a name
/// such as a granularity), raised as the core's `Error::InvalidArgument`:
/// message "argument `name`: reason", attribute `argument`.
pub fn invalid_argument(name: &'static str, reason: impl Into<String>) -> PyErr {
    to_py(&Error::InvalidArgument {
        name,
        reason: reason.into(),
    })
}

/// `Result<T, core::Error>` into `PyResult<T>`.
pub trait IntoPy<T> {
    /// Map the core error to its Python class.
    ///
    /// # Errors
    /// The mapped error.
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for retentionkit::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(|e| to_py(&e))
    }
}

/// Put the exception classes on the native module too (the same class
/// objects as `retentionkit.RetentionError` and so on), for the package's
/// Python code that raises them as `_rk.InvalidArgumentError(...)`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("RetentionError", py.get_type::<RetentionError>())?;
    m.add("EmptyError", py.get_type::<EmptyError>())?;
    m.add("LengthMismatchError", py.get_type::<LengthMismatchError>())?;
    m.add("InvalidValueError", py.get_type::<InvalidValueError>())?;
    m.add(
        "ZeroDenominatorError",
        py.get_type::<ZeroDenominatorError>(),
    )?;
    m.add(
        "InvalidArgumentError",
        py.get_type::<InvalidArgumentError>(),
    )?;
    m.add("MissingColumnError", py.get_type::<MissingColumnError>())?;
    m.add("IncompatibleError", py.get_type::<IncompatibleError>())?;
    m.add("TooLargeError", py.get_type::<TooLargeError>())?;
    Ok(())
}
