//! JavaScript columns and option values into the core's slices and scalars.
//!
//! Customer ids: whole numbers `0..=2^53 − 1` (any typed array, `BigUint64Array`
//! or a plain array) or strings (each its text without surrounding
//! whitespace, compared exactly, by the core's `log::ids::text_id`; interned
//! in order of first appearance and reported back as that text). Dates: an `Int32Array` of days since
//! 1970-01-01 (no conversion), any other numeric typed array of whole days,
//! or a plain array of `Date`s (their UTC calendar day), ISO strings
//! (`YYYY-MM-DD`, or a timestamp whose first 10 characters are that date) or
//! day numbers. Amounts: any numeric typed array or an array of numbers.

use std::collections::HashMap;

use js_sys::{Array, BigInt64Array, BigUint64Array, DataView, Date, Float64Array, Int32Array};
use retentionkit::error::Error;
use retentionkit::log::ids::text_id;
use retentionkit::names::Named;
use retentionkit::period::parse_day;
use wasm_bindgen::{JsCast, JsValue};

/// The largest whole number a JS `number` holds exactly.
pub(crate) const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
/// Milliseconds in a UTC day.
const MS_PER_DAY: f64 = 86_400_000.0;

/// Customer ids, with the original strings when they were strings.
pub(crate) struct Ids {
    pub values: Vec<u64>,
    pub names: Option<Vec<String>>,
}

fn bad(column: &'static str, row: usize, reason: impl Into<String>) -> Error {
    Error::InvalidValue {
        column,
        row,
        reason: reason.into(),
    }
}

fn not_a_column(column: &'static str) -> Error {
    Error::InvalidArgument {
        name: column,
        reason: "must be an array or a typed array".into(),
    }
}

/// A whole number in `0..=2^53 − 1` as an id.
pub(crate) fn id_of(x: f64, row: usize) -> Result<u64, Error> {
    if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= MAX_SAFE {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        // ok: checked whole, non-negative and below 2^53 just above
        Ok(x as u64)
    } else {
        Err(bad(
            "customerId",
            row,
            format!("{x} is not an id (ids are strings or whole numbers from 0 to 2^53 - 1)"),
        ))
    }
}

/// A whole number of days since 1970-01-01 in the `i32` range.
pub(crate) fn day_of_number(x: f64, column: &'static str, row: usize) -> Result<i32, Error> {
    if x.is_finite() && x.fract() == 0.0 && x >= f64::from(i32::MIN) && x <= f64::from(i32::MAX) {
        #[allow(clippy::cast_possible_truncation)] // ok: whole and in the i32 range, checked above
        Ok(x as i32)
    } else {
        Err(bad(
            column,
            row,
            format!("{x} is not a whole number of days since 1970-01-01"),
        ))
    }
}

/// The day of an ISO date, or of a timestamp by its written date part.
pub(crate) fn day_of_text(text: &str, column: &'static str, row: usize) -> Result<i32, Error> {
    let t = text.trim();
    let date = match (t.get(..10), t.as_bytes().get(10)) {
        (Some(d), Some(b'T' | b' ')) => d,
        _ => t,
    };
    parse_day(date).map_err(|_| {
        bad(
            column,
            row,
            format!("{t:?} is not a date (expected YYYY-MM-DD)"),
        )
    })
}

/// The UTC calendar day of a time in milliseconds since the epoch.
pub(crate) fn day_of_millis(ms: f64, column: &'static str, row: usize) -> Result<i32, Error> {
    if ms.is_nan() {
        return Err(bad(column, row, "Invalid Date"));
    }
    day_of_number((ms / MS_PER_DAY).floor(), column, row)
}

/// One date-like JS value: `Date`, ISO string or day number.
pub(crate) fn day_of_value(v: &JsValue, column: &'static str, row: usize) -> Result<i32, Error> {
    if let Some(x) = v.as_f64() {
        day_of_number(x, column, row)
    } else if let Some(s) = v.as_string() {
        day_of_text(&s, column, row)
    } else if let Some(d) = v.dyn_ref::<Date>() {
        day_of_millis(d.get_time(), column, row)
    } else {
        Err(bad(
            column,
            row,
            format!(
                "{} is not a Date, an ISO date string or a day number",
                describe(v)
            ),
        ))
    }
}

pub(crate) fn describe(v: &JsValue) -> String {
    if v.is_undefined() {
        "undefined (a missing value)".into()
    } else if v.is_null() {
        "null (a missing value)".into()
    } else if v.is_string() {
        format!("the string {:?}", v.as_string().unwrap_or_default())
    } else if let Some(b) = v.as_bool() {
        format!("the boolean {b}")
    } else {
        v.js_typeof().as_string().unwrap_or_default()
    }
}

/// Numeric typed arrays other than the BigInt ones (which cannot convert to
/// `Float64Array`).
fn numeric_view(v: &JsValue) -> bool {
    js_sys::ArrayBuffer::is_view(v)
        && !v.is_instance_of::<DataView>()
        && !v.is_instance_of::<BigInt64Array>()
        && !v.is_instance_of::<BigUint64Array>()
}

/// The customer id column.
pub(crate) fn ids(v: &JsValue) -> Result<Ids, Error> {
    const COLUMN: &str = "customerId";
    if let Some(a) = v.dyn_ref::<BigUint64Array>() {
        let values = a.to_vec();
        if let Some(row) = values.iter().position(|&x| x as f64 > MAX_SAFE) {
            return Err(bad(
                COLUMN,
                row,
                format!("{} is above 2^53 - 1", values[row]),
            ));
        }
        return Ok(Ids {
            values,
            names: None,
        });
    }
    if let Some(a) = v.dyn_ref::<BigInt64Array>() {
        let values = a.to_vec();
        let mut out = Vec::with_capacity(values.len());
        for (row, &x) in values.iter().enumerate() {
            match u64::try_from(x) {
                Ok(u) if u as f64 <= MAX_SAFE => out.push(u),
                _ => {
                    return Err(bad(
                        COLUMN,
                        row,
                        format!("{x} is not an id from 0 to 2^53 - 1"),
                    ))
                }
            }
        }
        return Ok(Ids {
            values: out,
            names: None,
        });
    }
    if numeric_view(v) {
        let f = Float64Array::new(v).to_vec();
        let values = f
            .iter()
            .enumerate()
            .map(|(row, &x)| id_of(x, row))
            .collect::<Result<_, _>>()?;
        return Ok(Ids {
            values,
            names: None,
        });
    }
    let Some(arr) = v.dyn_ref::<Array>() else {
        return Err(not_a_column(COLUMN));
    };
    let n = arr.length() as usize;
    let mut values = Vec::with_capacity(n);
    if arr.get(0).is_string() {
        let mut index: HashMap<String, u64> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        for (row, e) in arr.iter().enumerate() {
            let Some(text) = e.as_string() else {
                return Err(bad(
                    COLUMN,
                    row,
                    format!("{} in a column of string ids", describe(&e)),
                ));
            };
            // The core's rule for text ids (docs/input.md, "Customer ids").
            let s = text_id(&text, row).map_err(|e| match e {
                Error::InvalidValue { row, reason, .. } => bad(COLUMN, row, reason),
                other => other,
            })?;
            let id = if let Some(&id) = index.get(s) {
                id
            } else {
                let id = names.len() as u64;
                names.push(s.to_string());
                index.insert(s.to_string(), id);
                id
            };
            values.push(id);
        }
        return Ok(Ids {
            values,
            names: Some(names),
        });
    }
    for (row, e) in arr.iter().enumerate() {
        let Some(x) = e.as_f64() else {
            return Err(bad(
                COLUMN,
                row,
                format!("{} in a column of numeric ids", describe(&e)),
            ));
        };
        values.push(id_of(x, row)?);
    }
    Ok(Ids {
        values,
        names: None,
    })
}

/// A date column (named `column` in errors) as days since 1970-01-01.
pub(crate) fn days(v: &JsValue, column: &'static str) -> Result<Vec<i32>, Error> {
    if let Some(a) = v.dyn_ref::<Int32Array>() {
        return Ok(a.to_vec());
    }
    if numeric_view(v) {
        return Float64Array::new(v)
            .to_vec()
            .iter()
            .enumerate()
            .map(|(row, &x)| day_of_number(x, column, row))
            .collect();
    }
    let Some(arr) = v.dyn_ref::<Array>() else {
        return Err(not_a_column(column));
    };
    arr.iter()
        .enumerate()
        .map(|(row, e)| day_of_value(&e, column, row))
        .collect()
}

/// A date column whose `null`/`undefined` entries mean "none" (a
/// subscription still running); `n` rows of `None` when the column is not given.
pub(crate) fn optional_days(
    v: Option<&JsValue>,
    column: &'static str,
    n: usize,
) -> Result<Vec<Option<i32>>, Error> {
    let Some(v) = v else {
        return Ok(vec![None; n]);
    };
    if numeric_view(v) {
        return Ok(days(v, column)?.into_iter().map(Some).collect());
    }
    let Some(arr) = v.dyn_ref::<Array>() else {
        return Err(not_a_column(column));
    };
    arr.iter()
        .enumerate()
        .map(|(row, e)| {
            if e.is_null() || e.is_undefined() {
                Ok(None)
            } else {
                day_of_value(&e, column, row).map(Some)
            }
        })
        .collect()
}

/// An amount column (named `column` in errors); `None` when not given.
pub(crate) fn amounts(v: &JsValue, column: &'static str) -> Result<Option<Vec<f64>>, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if let Some(a) = v.dyn_ref::<Float64Array>() {
        return Ok(Some(a.to_vec()));
    }
    if numeric_view(v) {
        return Ok(Some(Float64Array::new(v).to_vec()));
    }
    let Some(arr) = v.dyn_ref::<Array>() else {
        return Err(not_a_column(column));
    };
    arr.iter()
        .enumerate()
        .map(|(row, e)| {
            e.as_f64()
                .ok_or_else(|| bad(column, row, format!("{} is not a number", describe(&e))))
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

/// A required numeric column (named `column` in errors): any numeric typed
/// array or an array of numbers. Values are not checked here.
pub(crate) fn numbers(v: &JsValue, column: &'static str) -> Result<Vec<f64>, Error> {
    amounts(v, column)?.ok_or(Error::MissingColumn {
        column,
        needed_for: "this call",
    })
}

/// A column of whole numbers in `0..=max` (counts, weights).
pub(crate) fn whole_numbers(
    v: &JsValue,
    column: &'static str,
    max: f64,
) -> Result<Vec<u64>, Error> {
    if let Some(a) = v.dyn_ref::<js_sys::Uint32Array>() {
        let values: Vec<u64> = a.to_vec().into_iter().map(u64::from).collect();
        if let Some(row) = values.iter().position(|&x| x as f64 > max) {
            return Err(bad(column, row, format!("{} is above {max}", values[row])));
        }
        return Ok(values);
    }
    numbers(v, column)?
        .iter()
        .enumerate()
        .map(|(row, &x)| {
            if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= max {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                // ok: whole, non-negative and at most max <= 2^53, checked above
                Ok(x as u64)
            } else {
                Err(bad(
                    column,
                    row,
                    format!("{x} is not a whole number from 0 to {max}"),
                ))
            }
        })
        .collect()
}

/// A column of repeat-purchase counts (`u32`).
pub(crate) fn counts(v: &JsValue, column: &'static str) -> Result<Vec<u32>, Error> {
    Ok(whole_numbers(v, column, f64::from(u32::MAX))?
        .into_iter()
        .map(|x| u32::try_from(x).unwrap_or(u32::MAX))
        .collect())
}

/// An options object: `undefined`/`null` (all defaults) or a plain object
/// whose keys are all known.
pub(crate) struct Options(Option<JsValue>);

impl Options {
    /// Check `v` and its keys against `allowed`.
    pub(crate) fn new(v: &JsValue, allowed: &[&str]) -> Result<Self, Error> {
        Self::keyed(v, "options", "option", allowed)
    }

    /// The column names of a log (`{ customerId: 'user', date: 'day' }`):
    /// an unknown key is an unknown column, named as the user wrote it.
    pub(crate) fn column_names(v: &JsValue, allowed: &[&str]) -> Result<Self, Error> {
        Self::keyed(v, "columns", "column", allowed)
    }

    /// Check `v` (the argument `name`) and its keys (each a `noun`)
    /// against `allowed`.
    fn keyed(v: &JsValue, name: &'static str, noun: &str, allowed: &[&str]) -> Result<Self, Error> {
        if v.is_undefined() || v.is_null() {
            return Ok(Options(None));
        }
        if !v.is_object() || Array::is_array(v) {
            return Err(Error::InvalidArgument {
                name,
                reason: format!("must be an object, got {}", describe(v)),
            });
        }
        for key in js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>()).iter() {
            let key = key.as_string().unwrap_or_default();
            if !allowed.contains(&key.as_str()) {
                return Err(Error::InvalidArgument {
                    name,
                    reason: format!("unknown {noun} {key:?} (known: {})", allowed.join(", ")),
                });
            }
        }
        Ok(Options(Some(v.clone())))
    }

    /// Columns by name: a plain object, whose keys must all be in
    /// `allowed`, or an instance of a class with getters of those names
    /// (such as `Summary`), read by name with its other properties ignored.
    /// `name` is the argument named in the error for anything else.
    pub(crate) fn columns(
        v: &JsValue,
        name: &'static str,
        allowed: &[&str],
    ) -> Result<Self, Error> {
        if !v.is_object() || Array::is_array(v) || numeric_view(v) {
            return Err(Error::InvalidArgument {
                name,
                reason: format!("must be an object of columns, got {}", describe(v)),
            });
        }
        let proto = js_sys::Object::get_prototype_of(v);
        let plain = proto.is_null()
            || js_sys::Object::is(
                &proto,
                &js_sys::Object::get_prototype_of(&js_sys::Object::new()),
            );
        if plain {
            Self::new(v, allowed)
        } else {
            Ok(Options(Some(v.clone())))
        }
    }

    /// The value of `key`, `None` when missing, `undefined` or `null`.
    pub(crate) fn get(&self, key: &str) -> Option<JsValue> {
        let obj = self.0.as_ref()?;
        let v = js_sys::Reflect::get(obj, &JsValue::from_str(key)).ok()?;
        (!v.is_undefined() && !v.is_null()).then_some(v)
    }

    /// A number option.
    pub(crate) fn number(&self, key: &'static str) -> Result<Option<f64>, Error> {
        self.get(key)
            .map(|v| {
                v.as_f64().ok_or_else(|| Error::InvalidArgument {
                    name: key,
                    reason: format!("must be a number, got {}", describe(&v)),
                })
            })
            .transpose()
    }

    /// A whole-number option in `0..=max`.
    pub(crate) fn whole(&self, key: &'static str, max: f64) -> Result<Option<u64>, Error> {
        self.number(key)?
            .map(|x| {
                if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= max {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    // ok: whole, non-negative and at most max <= 2^53, checked above
                    Ok(x as u64)
                } else {
                    Err(Error::InvalidArgument {
                        name: key,
                        reason: format!("{x} must be a whole number from 0 to {max}"),
                    })
                }
            })
            .transpose()
    }

    /// A string option that must be the name of a `T` (the core's names).
    pub(crate) fn named<T: Named>(&self, key: &'static str) -> Result<Option<T>, Error> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let s = v.as_string().unwrap_or_default();
        T::ALL
            .iter()
            .copied()
            .find(|a| a.name() == s)
            .map(Some)
            .ok_or_else(|| Error::InvalidArgument {
                name: key,
                reason: format!("{} is not one of {}", describe(&v), T::names().join(", ")),
            })
    }

    /// A date option (`Date`, ISO string or day number).
    pub(crate) fn day(&self, key: &'static str) -> Result<Option<i32>, Error> {
        self.get(key).map(|v| date_argument(&v, key)).transpose()
    }

    /// A lone date-like value, as an argument named `date`.
    pub(crate) fn day_value(v: &JsValue) -> Result<i32, Error> {
        date_argument(v, "date")
    }
}

fn date_argument(v: &JsValue, key: &'static str) -> Result<i32, Error> {
    day_of_value(v, key, 0).map_err(|e| match e {
        Error::InvalidValue { reason, .. } => Error::InvalidArgument { name: key, reason },
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_must_be_safe_whole_numbers() {
        assert_eq!(id_of(0.0, 0), Ok(0));
        // 2^53 - 1, the largest exact JS integer (Number.MAX_SAFE_INTEGER).
        assert_eq!(id_of(MAX_SAFE, 0), Ok(9_007_199_254_740_991));
        for x in [-1.0, 1.5, f64::NAN, f64::INFINITY, MAX_SAFE + 1.0] {
            assert!(
                matches!(
                    id_of(x, 4),
                    Err(Error::InvalidValue {
                        column: "customerId",
                        row: 4,
                        ..
                    })
                ),
                "{x}"
            );
        }
    }

    #[test]
    fn dates_from_text_and_time() {
        // 2024-03-01 is day 19,783: 54 years of 365 days plus 13 leap days
        // (1972..=2020) = 19,723, plus Jan (31) + Feb 2024 (29) = 19,783.
        assert_eq!(day_of_text("2024-03-01", "date", 0), Ok(19_783));
        assert_eq!(
            day_of_text(" 2024-03-01T23:59:59-05:00", "date", 0),
            Ok(19_783)
        );
        assert_eq!(day_of_text("2024-03-01 08:00", "date", 0), Ok(19_783));
        assert!(matches!(
            day_of_text("01/03/2024", "date", 7),
            Err(Error::InvalidValue {
                column: "date",
                row: 7,
                ..
            })
        ));
        // UTC days: 1 ms before midnight of 1970-01-02 is day 0, midnight is day 1,
        // 1 ms before the epoch is day -1.
        assert_eq!(day_of_millis(86_399_999.0, "date", 0), Ok(0));
        assert_eq!(day_of_millis(86_400_000.0, "date", 0), Ok(1));
        assert_eq!(day_of_millis(-1.0, "date", 0), Ok(-1));
        assert!(day_of_millis(f64::NAN, "date", 0).is_err());
        assert!(day_of_number(0.5, "date", 0).is_err());
    }
}
