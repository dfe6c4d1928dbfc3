//! One Python exception class per core error variant, all subclasses of
//! `retentionkit.RetentionError` (itself a `ValueError`).

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use retentionkit::Error;

create_exception!(
    _retentionkit,
    RetentionError,
    PyValueError,
    "Base class of every retentionkit error (a ValueError)."
);
create_exception!(
    _retentionkit,
    EmptyError,
    RetentionError,
    "An input that must hold at least one row holds none."
);
create_exception!(
    _retentionkit,
    LengthMismatchError,
    RetentionError,
    "Two columns that must have the same length do not."
);
create_exception!(
    _retentionkit,
    InvalidValueError,
    RetentionError,
    "A value in a column is not allowed; the message names the column and row."
);
create_exception!(
    _retentionkit,
    ZeroDenominatorError,
    RetentionError,
    "A ratio was asked for whose denominator is zero."
);
create_exception!(
    _retentionkit,
    InvalidArgumentError,
    RetentionError,
    "A scalar argument is out of its allowed range."
);
create_exception!(
    _retentionkit,
    MissingColumnError,
    RetentionError,
    "The computation needs a column the input does not have."
);
create_exception!(
    _retentionkit,
    IncompatibleError,
    RetentionError,
    "Partial results computed with different settings cannot be merged."
);
create_exception!(
    _retentionkit,
    TooLargeError,
    RetentionError,
    "The input is larger than retentionkit supports."
);

/// The Python exception for a core error.
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

pub fn to_py(err: &Error) -> PyErr {
    let msg = err.to_string();
    match err {
        Error::Empty { .. } => EmptyError::new_err(msg),
        Error::LengthMismatch { .. } => LengthMismatchError::new_err(msg),
        Error::InvalidValue { .. } => InvalidValueError::new_err(msg),
        Error::ZeroDenominator { .. } => ZeroDenominatorError::new_err(msg),
        Error::InvalidArgument { .. } => InvalidArgumentError::new_err(msg),
        Error::MissingColumn { .. } => MissingColumnError::new_err(msg),
        Error::Incompatible { .. } => IncompatibleError::new_err(msg),
        Error::TooLarge { .. } => TooLargeError::new_err(msg),
        _ => RetentionError::new_err(msg),
    }
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

/// Register the exception classes on the module.
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
