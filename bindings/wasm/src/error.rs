//! Core errors as JavaScript `Error` objects, one `name` per core variant.

use retentionkit::Error;
use wasm_bindgen::JsValue;

/// The `name` of the JavaScript `Error` thrown for a core error.
pub(crate) fn error_name(e: &Error) -> &'static str {
    match e {
        Error::Empty { .. } => "EmptyError",
        Error::LengthMismatch { .. } => "LengthMismatchError",
        Error::InvalidValue { .. } => "InvalidValueError",
        Error::ZeroDenominator { .. } => "ZeroDenominatorError",
        Error::InvalidArgument { .. } => "InvalidArgumentError",
        Error::MissingColumn { .. } => "MissingColumnError",
        Error::Incompatible { .. } => "IncompatibleError",
        Error::TooLarge { .. } => "TooLargeError",
        _ => "RetentionError",
    }
}

/// A JavaScript `Error` whose `name` is [`error_name`], whose `message` is the
/// core message (naming column and row), and which carries the variant's
/// fields (`column`, `row`, `argument`, `expected`, `got`) as properties.
pub(crate) fn to_js(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name(error_name(e));
    let set = |key: &str, value: JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str(key), &value);
    };
    match e {
        Error::InvalidValue { column, row, .. } => {
            set("column", JsValue::from_str(column));
            set("row", JsValue::from_f64(*row as f64));
        }
        Error::LengthMismatch {
            column,
            expected,
            got,
        } => {
            set("column", JsValue::from_str(column));
            set("expected", JsValue::from_f64(*expected as f64));
            set("got", JsValue::from_f64(*got as f64));
        }
        Error::MissingColumn { column, .. } => set("column", JsValue::from_str(column)),
        Error::InvalidArgument { name, .. } => set("argument", JsValue::from_str(name)),
        // As in Python: `got` is the size that is too large.
        Error::TooLarge { got, .. } => set("got", JsValue::from_f64(*got as f64)),
        _ => {}
    }
    err.into()
}

/// An `IncompatibleError` raised by the binding itself, with its own
/// message: the core's `Incompatible` speaks of merging partial results,
/// which a model given a summary in another time unit is not.
pub(crate) fn incompatible(message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("IncompatibleError");
    err.into()
}

/// A core error with the JS (camelCase) names of the core's snake_case
/// arguments and columns.
pub(crate) fn js_names(e: Error) -> Error {
    let js = |name: &'static str| match name {
        "period_length" => "periodLength",
        "monetary_value" => "monetaryValue",
        "lost_below" => "lostBelow",
        "customer_id" => "customerId",
        other => other,
    };
    match e {
        Error::InvalidArgument { name, reason } => Error::InvalidArgument {
            name: js(name),
            reason,
        },
        Error::InvalidValue {
            column,
            row,
            reason,
        } => Error::InvalidValue {
            column: js(column),
            row,
            reason,
        },
        Error::LengthMismatch {
            column,
            expected,
            got,
        } => Error::LengthMismatch {
            column: js(column),
            expected,
            got,
        },
        other => other,
    }
}

/// Results of the exported functions: a thrown `Error` on the JS side.
pub(crate) type JsResult<T> = Result<T, JsValue>;

/// `?` from a core result into a thrown JS error.
pub(crate) trait OrThrow<T> {
    /// The value, or the error converted by [`to_js`].
    fn or_throw(self) -> JsResult<T>;
}

impl<T> OrThrow<T> for retentionkit::Result<T> {
    fn or_throw(self) -> JsResult<T> {
        self.map_err(|e| to_js(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_its_own_name() {
        // The names are the variant names plus "Error", as documented in
        // bindings/wasm/README.md and checked from JS in tests/api.test.mjs.
        let cases = [
            (Error::Empty { what: "log" }, "EmptyError"),
            (
                Error::LengthMismatch {
                    column: "date",
                    expected: 2,
                    got: 1,
                },
                "LengthMismatchError",
            ),
            (
                Error::InvalidValue {
                    column: "amount",
                    row: 3,
                    reason: "NaN".into(),
                },
                "InvalidValueError",
            ),
            (Error::ZeroDenominator { what: "S" }, "ZeroDenominatorError"),
            (
                Error::InvalidArgument {
                    name: "horizon",
                    reason: "negative".into(),
                },
                "InvalidArgumentError",
            ),
            (
                Error::MissingColumn {
                    column: "customerId",
                    needed_for: "a log",
                },
                "MissingColumnError",
            ),
            (
                Error::Incompatible {
                    reason: "units".into(),
                },
                "IncompatibleError",
            ),
            (
                Error::TooLarge {
                    what: "periods",
                    got: 2,
                    max: 1,
                },
                "TooLargeError",
            ),
        ];
        for (e, name) in cases {
            assert_eq!(error_name(&e), name);
        }
    }
}
