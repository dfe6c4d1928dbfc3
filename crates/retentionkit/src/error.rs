//! The one error type of the crate.

/// Everything that can be wrong with the input of a retentionkit function.
///
/// Each variant carries what the caller needs to fix the input: the column
/// and row of a bad value, the quantity that was zero, the argument that was
/// out of range. The enum is `#[non_exhaustive]`: match with a wildcard arm.
///
/// # Examples
/// ```
/// use retentionkit::{Error, TransactionLog};
/// match TransactionLog::new(&[1, 2], &[0, 1], Some(&[4.0, f64::NAN])) {
///     Err(Error::InvalidValue { column, row, .. }) => assert_eq!((column, row), ("amount", 1)),
///     other => panic!("expected a bad amount, got {other:?}"),
/// }
/// // Errors work with `?` and any error-reporting crate: Send + Sync + 'static.
/// fn is_std_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
/// is_std_error(&Error::Empty { what: "transaction log" });
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input that must hold at least one row holds none.
    #[error("{what} is empty")]
    Empty {
        /// What was empty, for example `"transaction log"`.
        what: &'static str,
    },
    /// Two columns that must have the same length do not.
    #[error(
        "column `{column}` has {got} rows, expected {expected} (the length of the first column)"
    )]
    LengthMismatch {
        /// The column with the wrong length.
        column: &'static str,
        /// The length it should have.
        expected: usize,
        /// The length it has.
        got: usize,
    },
    /// A value in a column is not allowed (NaN, negative, out of range, ...).
    #[error("column `{column}`, row {row}: {reason}")]
    InvalidValue {
        /// The column holding the value.
        column: &'static str,
        /// The 0-based row index of the first bad value.
        row: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A ratio was asked for whose denominator is zero.
    #[error("{what} is zero, so the ratio is undefined")]
    ZeroDenominator {
        /// The quantity that was zero, for example `"customers at period start (S)"`.
        what: &'static str,
    },
    /// A scalar argument is out of its allowed range.
    #[error("argument `{name}`: {reason}")]
    InvalidArgument {
        /// The argument's name.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The computation needs a column the input does not have.
    #[error("column `{column}` is required for {needed_for} but was not given")]
    MissingColumn {
        /// The missing column.
        column: &'static str,
        /// What needed it.
        needed_for: &'static str,
    },
    /// Partial results that were computed with different settings cannot be merged.
    #[error("cannot merge partial results: {reason}")]
    Incompatible {
        /// Which setting differs.
        reason: String,
    },
    /// The input is larger than the crate supports.
    #[error("{what}: {got} is more than the supported maximum of {max}")]
    TooLarge {
        /// What is too large.
        what: &'static str,
        /// Its size.
        got: usize,
        /// The largest supported size.
        max: usize,
    },
}

/// `Result` with [`Error`] as its error type.
///
/// # Examples
/// ```
/// fn customers(ids: &[u64], days: &[i32]) -> retentionkit::Result<usize> {
///     Ok(retentionkit::TransactionLog::new(ids, days, None)?.num_customers())
/// }
/// assert_eq!(customers(&[4, 4, 5], &[0, 1, 2])?, 2);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `Ok` when column `column` has the `expected` number of rows, else
/// [`Error::LengthMismatch`] with both lengths: the check of every function
/// that takes several columns (also the bindings').
///
/// # Errors
/// [`Error::LengthMismatch`] when `got != expected`.
///
/// # Examples
/// ```
/// use retentionkit::error::{check_length, Error};
/// assert!(check_length("amount", 3, 3).is_ok());
/// let err = check_length("amount", 3, 2).unwrap_err();
/// assert!(matches!(err, Error::LengthMismatch { column: "amount", expected: 3, got: 2 }));
/// ```
pub fn check_length(column: &'static str, expected: usize, got: usize) -> Result<()> {
    if got == expected {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            column,
            expected,
            got,
        })
    }
}

pub(crate) fn invalid_arg(name: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        name,
        reason: reason.into(),
    }
}

/// `num / den` for counts, or [`Error::ZeroDenominator`] naming `what`.
pub(crate) fn ratio(num: f64, den: f64, what: &'static str) -> Result<f64> {
    if den == 0.0 {
        Err(Error::ZeroDenominator { what })
    } else {
        Ok(num / den)
    }
}

/// `Ok(x)` for a finite result `x`; else [`Error::InvalidArgument`] naming
/// `name`, the argument whose size made the result overflow to infinity.
pub(crate) fn finite_result(x: f64, name: &'static str) -> Result<f64> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(invalid_arg(
            name,
            "too large: the result overflows a 64-bit float (it would be infinite); \
             scale the inputs down (for example amounts in thousands)",
        ))
    }
}

/// `Ok` for a finite, non-negative `x`, else [`Error::InvalidArgument`] naming `name`.
pub(crate) fn check_non_negative(x: f64, name: &'static str) -> Result<()> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(invalid_arg(
            name,
            format!("{x} must be finite and non-negative"),
        ))
    }
}

/// `Ok` for `x` in `[0, 1]`, else [`Error::InvalidArgument`] naming `name`
/// (NaN is not in the range).
pub(crate) fn check_fraction(x: f64, name: &'static str) -> Result<()> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(invalid_arg(
            name,
            format!("{x} must be a fraction in [0, 1]"),
        ))
    }
}

/// `Ok` when `values` is strictly increasing (ascending, each value once),
/// else [`Error::InvalidValue`] naming the first row that is not above the
/// row before it: the check of result columns documented as ascending
/// (customer ids, cohorts) when a value is deserialized or validated.
pub(crate) fn check_ascending<T: PartialOrd + std::fmt::Debug>(
    column: &'static str,
    values: &[T],
) -> Result<()> {
    match values
        .windows(2)
        .position(|w| w[0].partial_cmp(&w[1]) != Some(std::cmp::Ordering::Less))
    {
        None => Ok(()),
        Some(i) => Err(Error::InvalidValue {
            column,
            row: i + 1,
            reason: format!(
                "{:?} is not above the previous value {:?}; the column must be ascending with each value once",
                values[i + 1],
                values[i]
            ),
        }),
    }
}

/// [`check_length`] for the rows of an optional column: `Ok` for `None`.
pub(crate) fn check_optional_length<T>(
    column: &'static str,
    expected: usize,
    values: Option<&[T]>,
) -> Result<()> {
    values.map_or(Ok(()), |v| check_length(column, expected, v.len()))
}
