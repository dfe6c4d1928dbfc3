//! Customer ids written as text: the one rule every front-end applies to a
//! CSV field, a string column of a DataFrame or a JavaScript string, so that
//! a customer's identity never depends on the other rows of the file.
//!
//! - A text id is its text with surrounding whitespace removed
//!   ([`str::trim`]), compared exactly: `7`, ` 7` and `7 ` are one customer;
//!   `007`, `7`, `+7` and `7.0` are four.
//! - An id may not be empty and may not hold a control character (NUL, a
//!   line break inside it, ESC, ...): such an id could not be written back
//!   unchanged to a CSV file or a terminal, so it is rejected at its row.
//! - Ids come out as that text. A front-end may read a column whose ids are
//!   all *canonical decimals* ([`canonical_decimal`]: digits, no sign, no
//!   decimal point, no leading zero) as integers, because writing the integer
//!   back gives the same text.
//! - Integer-typed columns (Parquet integers, numpy integers, JS numbers)
//!   are integers, written back in decimal.
//!
//! Source: docs/input.md, "Customer ids".
//!
//! ```
//! use retentionkit::log::ids::{canonical_decimal, code_text_ids, text_id};
//! assert_eq!(text_id(" 7 ", 0)?, "7");
//! assert_eq!(canonical_decimal(b"7"), Some(7));
//! assert_eq!(canonical_decimal(b"007"), None); // "007" is a customer of its own
//! let coded = code_text_ids(&["b", " 7", "007", "7 ", "b"])?;
//! assert_eq!(coded.codes, [0, 1, 2, 1, 0]);
//! assert_eq!(coded.labels, ["b", "7", "007"]);
//! # Ok::<(), retentionkit::Error>(())
//! ```

use std::collections::HashMap;

use crate::error::{Error, Result};

/// The column name in errors about ids.
const COLUMN: &str = "customer_id";

/// The customer id a text stands for: the text without surrounding
/// whitespace.
///
/// # Errors
/// [`Error::InvalidValue`] (column `customer_id`, the given `row`) when the
/// id is empty or holds a control character.
///
/// # Examples
/// ```
/// use retentionkit::log::ids::text_id;
/// assert_eq!(text_id("\tann ", 3)?, "ann");
/// let err = text_id("a\u{0}b", 3).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "column `customer_id`, row 3: id \"a\\0b\" holds a control character (U+0000); ids may not hold control characters"
/// );
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn text_id(text: &str, row: usize) -> Result<&str> {
    let id = text.trim();
    if id.is_empty() {
        return Err(Error::InvalidValue {
            column: COLUMN,
            row,
            reason: "expected a customer id, found an empty value".into(),
        });
    }
    if let Some(c) = id.chars().find(|c| c.is_control()) {
        return Err(Error::InvalidValue {
            column: COLUMN,
            row,
            reason: format!(
                "id {id:?} holds a control character (U+{:04X}); ids may not hold control characters",
                u32::from(c)
            ),
        });
    }
    Ok(id)
}

/// The integer of a canonical decimal id: ASCII digits without sign,
/// decimal point or leading zero (`0` itself is canonical), at most
/// `u64::MAX`. For those, and only those, the integer written in decimal is
/// the text again, so a front-end may hold them as integers.
///
/// # Examples
/// ```
/// use retentionkit::log::ids::canonical_decimal;
/// assert_eq!(canonical_decimal(b"0"), Some(0));
/// assert_eq!(canonical_decimal(b"18446744073709551615"), Some(u64::MAX));
/// for other in ["007", "+7", "7.0", "-1", "", " 7", "18446744073709551616"] {
///     assert_eq!(canonical_decimal(other.as_bytes()), None, "{other}");
/// }
/// ```
pub fn canonical_decimal(text: &[u8]) -> Option<u64> {
    match text {
        [] | [b'0', _, ..] => None,
        _ if text.len() > 20 => None,
        _ => text.iter().try_fold(0u64, |v, &b| {
            if b.is_ascii_digit() {
                v.checked_mul(10)?.checked_add(u64::from(b - b'0'))
            } else {
                None
            }
        }),
    }
}

/// Text ids coded as integers: `labels[codes[i]]` is row `i`'s id.
///
/// # Examples
/// ```
/// use retentionkit::log::ids::code_text_ids;
/// let ids = code_text_ids(&["bob", "alice", "bob"])?;
/// assert_eq!((ids.codes, ids.labels), (vec![0, 1, 0], vec!["bob".to_string(), "alice".into()]));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextIds {
    /// One code per row.
    pub codes: Vec<u64>,
    /// The distinct ids ([`text_id`] of the texts), indexed by code.
    pub labels: Vec<String>,
}

impl TextIds {
    /// The same ids with codes given in the sorted order of the labels
    /// (byte order of the UTF-8 text), as a table sorted by id wants them.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::log::ids::code_text_ids;
    /// let ids = code_text_ids(&["bob", "alice", "bob"])?.sorted();
    /// assert_eq!((ids.codes, ids.labels), (vec![1, 0, 1], vec!["alice".to_string(), "bob".into()]));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    #[must_use]
    pub fn sorted(self) -> TextIds {
        let mut order: Vec<usize> = (0..self.labels.len()).collect();
        order.sort_unstable_by(|&a, &b| self.labels[a].cmp(&self.labels[b]));
        let mut new_code = vec![0u64; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_code[old] = new as u64;
        }
        let mut old_labels: Vec<Option<String>> = self.labels.into_iter().map(Some).collect();
        let labels = order
            .iter()
            .map(|&old| old_labels[old].take().unwrap_or_default())
            .collect();
        let codes = self
            .codes
            .iter()
            .map(|&c| usize::try_from(c).map_or(0, |c| new_code[c]))
            .collect();
        TextIds { codes, labels }
    }
}

/// Code a column of text ids ([`text_id`] of each) by order of first
/// appearance.
///
/// # Errors
/// The first error of [`text_id`], at its row.
///
/// # Examples
/// ```
/// use retentionkit::log::ids::code_text_ids;
/// assert_eq!(code_text_ids(&["c-9", "c-2", "c-9", "c-7"])?.codes, [0, 1, 0, 2]); // first appearance
/// assert!(code_text_ids(&["a", ""]).is_err()); // an empty id, at row 1
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn code_text_ids<S: AsRef<str>>(texts: &[S]) -> Result<TextIds> {
    let mut index: HashMap<&str, u64> = HashMap::new();
    let mut codes = Vec::with_capacity(texts.len());
    let mut labels: Vec<String> = Vec::new();
    for (row, t) in texts.iter().enumerate() {
        let id = text_id(t.as_ref(), row)?;
        let next = labels.len() as u64;
        let code = *index.entry(id).or_insert_with(|| {
            labels.push(id.to_string());
            next
        });
        codes.push(code);
    }
    Ok(TextIds { codes, labels })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_never_depends_on_other_rows() {
        // The examples of issue 19: with and without a string id elsewhere
        // in the column, "007" and "7" stay two customers, and whitespace
        // around an id never makes a new one.
        let alone = code_text_ids(&["007", "7"]).unwrap();
        let with_text = code_text_ids(&["007", "7", "x"]).unwrap();
        assert_eq!(alone.codes, [0, 1]);
        assert_eq!(with_text.codes[..2], alone.codes[..]);
        assert_eq!(
            code_text_ids(&["7", " 7", "7 ", "+7", "7.0"])
                .unwrap()
                .codes,
            [0, 0, 0, 1, 2]
        );
    }

    #[test]
    fn sorted_renumbers_by_label() {
        let s = code_text_ids(&["b", "a", "c", "a"]).unwrap().sorted();
        assert_eq!(s.labels, ["a", "b", "c"]);
        assert_eq!(s.codes, [1, 0, 2, 0]);
    }

    #[test]
    fn bad_ids_are_reported_at_their_row() {
        let cases = [
            (vec!["a", "  "], 1, "expected a customer id, found an empty value"),
            (
                vec!["a", "b", "x\u{1b}[31m"],
                2,
                "id \"x\\u{1b}[31m\" holds a control character (U+001B); ids may not hold control characters",
            ),
            (
                vec!["a\nb"],
                0,
                "id \"a\\nb\" holds a control character (U+000A); ids may not hold control characters",
            ),
        ];
        for (texts, row, reason) in cases {
            assert_eq!(
                code_text_ids(&texts).unwrap_err(),
                Error::InvalidValue {
                    column: "customer_id",
                    row,
                    reason: reason.into()
                }
            );
        }
    }
}
