//! Summaries whose customers are named by keys of the caller's type, and the
//! one merge of summaries of customer-disjoint parts, by key.

use std::fmt::Debug;

use super::Summary;
use crate::error::{Error, Result};

/// A [`Summary`] whose customers are named by keys: row `i` is the customer
/// `keys[summary.customer_id[i]]`.
///
/// For parts of a log whose customers were numbered per part: a front-end
/// that maps string ids to the codes 0, 1, … of one part's distinct ids
/// gives two parts codes that mean different customers. Their keyed
/// summaries merge by key ([`KeyedSummary::merge`]), as summaries with
/// global `u64` ids merge by id ([`Summary::merge`]); see docs/metrics.md,
/// section 17, "Merging partial results".
///
/// Keys no row points at are allowed (and dropped by a merge).
///
/// # Examples
/// ```
/// use retentionkit::summary::{summary, KeyedSummary, SummaryOptions};
/// use retentionkit::TransactionLog;
/// // Two parts of one log, each with its string ids coded 0, 1, … in its own order.
/// // Part 1: "carol" (code 0) buys on days 0 and 10, "alice" (code 1) on day 4.
/// let a = TransactionLog::new(&[0, 1, 0], &[0, 4, 10], None)?;
/// // Part 2: "bob" (code 0) buys on days 2 and 3.
/// let b = TransactionLog::new(&[0, 0], &[2, 3], None)?;
/// let options = SummaryOptions::default().with_observation_end(Some(10));
/// let parts = [
///     KeyedSummary::new(summary(&a, &options)?, vec!["carol".to_string(), "alice".to_string()])?,
///     KeyedSummary::new(summary(&b, &options)?, vec!["bob".to_string()])?,
/// ];
/// let whole = KeyedSummary::merge(&parts)?;
/// assert_eq!(whole.keys, ["alice", "bob", "carol"]); // sorted by key
/// assert_eq!(whole.summary.customer_id, [0, 1, 2]); // row i is keys[i]
/// assert_eq!(whole.summary.frequency, [0, 1, 1]); // 1 day − 1; 2 days − 1; 2 days − 1
/// assert_eq!(whole.summary.age(), [6.0, 8.0, 10.0]); // 10 − first day
///
/// // A customer in two parts: the log was not split by customer.
/// let err = KeyedSummary::merge(&[parts[1].clone(), parts[1].clone()]).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "cannot merge partial results: customer \"bob\" appears in more than one part; \
///      partition the log by customer"
/// );
/// # Ok::<(), retentionkit::Error>(())
/// ```
///
/// Deserialization validates the summary ([`Summary::validate`]) and runs
/// the checks of [`KeyedSummary::new`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        try_from = "KeyedSummaryRaw<K>",
        bound(deserialize = "K: serde::Deserialize<'de> + Ord + Clone + Debug")
    )
)]
pub struct KeyedSummary<K> {
    /// The summary; its `customer_id` are indices into [`keys`](Self::keys).
    pub summary: Summary,
    /// The customers' keys.
    pub keys: Vec<K>,
}

/// The serde form of [`KeyedSummary`], checked by [`KeyedSummary::new`] on
/// its way in.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct KeyedSummaryRaw<K> {
    summary: Summary,
    keys: Vec<K>,
}

#[cfg(feature = "serde")]
impl<K: Ord + Clone + Debug> TryFrom<KeyedSummaryRaw<K>> for KeyedSummary<K> {
    type Error = Error;

    fn try_from(raw: KeyedSummaryRaw<K>) -> Result<Self> {
        Self::new(raw.summary, raw.keys)
    }
}

impl<K: Ord + Clone + Debug> KeyedSummary<K> {
    /// A summary whose ids are indices into `keys`.
    ///
    /// # Errors
    /// The error of [`Summary::validate`] for an invalid summary;
    /// [`Error::InvalidValue`] (column `customer_id`) naming the first row
    /// whose id is not an index into `keys`.
    pub fn new(summary: Summary, keys: Vec<K>) -> Result<Self> {
        summary.validate()?;
        let out = Self { summary, keys };
        for row in 0..out.len() {
            out.key(row)?;
        }
        Ok(out)
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.summary.len()
    }

    /// Whether there are no customers.
    pub fn is_empty(&self) -> bool {
        self.summary.is_empty()
    }

    /// The key of the customer in row `row`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] (column `customer_id`) when the row's id is
    /// not an index into [`keys`](Self::keys).
    ///
    /// # Panics
    /// When `row` is not below [`len`](Self::len).
    pub fn key(&self, row: usize) -> Result<&K> {
        let id = self.summary.customer_id[row];
        usize::try_from(id)
            .ok()
            .and_then(|i| self.keys.get(i))
            .ok_or_else(|| Error::InvalidValue {
                column: "customer_id",
                row,
                reason: format!("id {id} is not an index into the {} keys", self.keys.len()),
            })
    }

    /// Merge keyed summaries of customer-disjoint parts of one log (with the
    /// same observation end and unit) into the keyed summary of the whole:
    /// the rows in ascending key order, `keys` those of the rows (each once,
    /// ascending) and `customer_id` 0, 1, …, n − 1, so row `i` is `keys[i]`.
    ///
    /// # Errors
    /// As [`Summary::merge`]: [`Error::Incompatible`] when the parts differ
    /// in observation end, unit or the presence of amounts, or two rows have
    /// the same key (a customer in two parts; the message names it);
    /// [`Error::Empty`] for no parts. [`Error::InvalidValue`] for a row whose
    /// id is not an index into its part's keys.
    pub fn merge(parts: &[KeyedSummary<K>]) -> Result<KeyedSummary<K>> {
        let summaries: Vec<&Summary> = parts.iter().map(|p| &p.summary).collect();
        let (mut summary, keys) = merge_by_key(&summaries, |p, row| parts[p].key(row))?;
        summary.customer_id = (0..keys.len() as u64).collect();
        Ok(KeyedSummary {
            summary,
            keys: keys.into_iter().cloned().collect(),
        })
    }
}

/// The rows of `parts` in ascending order of `key(part, row)`, and those
/// keys: the merge of [`Summary::merge`] and [`KeyedSummary::merge`]. The
/// summary's `customer_id` is left empty for the caller to fill.
///
/// # Errors
/// [`Error::Empty`] for no parts; the error of [`Summary::validate`] for a
/// part that fails it; [`Error::Incompatible`] when the parts
/// differ in observation end, unit or the presence of amounts, or two rows
/// have the same key; the first error of `key`.
pub(super) fn merge_by_key<'a, K: Ord + Debug + 'a>(
    parts: &[&Summary],
    key: impl Fn(usize, usize) -> Result<&'a K>,
) -> Result<(Summary, Vec<&'a K>)> {
    let first = parts.first().ok_or(Error::Empty {
        what: "list of summaries to merge",
    })?;
    for p in parts {
        p.validate()?;
        if p.observation_end != first.observation_end || p.unit != first.unit {
            return Err(Error::Incompatible {
                reason: "summaries have different observation ends or units".into(),
            });
        }
        if p.monetary_value.is_some() != first.monetary_value.is_some() {
            return Err(Error::Incompatible {
                reason: "some summaries have amounts and some do not".into(),
            });
        }
    }
    let n = parts.iter().map(|p| p.len()).sum();
    let mut rows: Vec<(&'a K, usize, usize)> = Vec::with_capacity(n);
    for (p, part) in parts.iter().enumerate() {
        for row in 0..part.len() {
            rows.push((key(p, row)?, p, row));
        }
    }
    rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
    if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Error::Incompatible {
            reason: format!(
                "customer {:?} appears in more than one part; partition the log by customer",
                w[0].0
            ),
        });
    }
    let out = Summary {
        customer_id: Vec::new(),
        first_day: rows
            .iter()
            .map(|&(_, p, i)| parts[p].first_day[i])
            .collect(),
        last_day: rows.iter().map(|&(_, p, i)| parts[p].last_day[i]).collect(),
        frequency: rows
            .iter()
            .map(|&(_, p, i)| parts[p].frequency[i])
            .collect(),
        monetary_value: first.monetary_value.as_ref().map(|_| {
            rows.iter()
                .map(|&(_, p, i)| parts[p].monetary_value.as_ref().map_or(0.0, |m| m[i]))
                .collect()
        }),
        observation_end: first.observation_end,
        unit: first.unit,
    };
    Ok((out, rows.into_iter().map(|r| r.0).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::{summary, SummaryOptions, TimeUnit};
    use crate::TransactionLog;

    fn keys(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn parts_coded_locally_merge_into_the_summary_of_the_whole() {
        // The whole log with global ids 0 = "ann", 1 = "ben", 2 = "cat", 3 = "dan"
        // (codes in key order, so the whole's id order is the key order).
        let ids = [2, 0, 2, 1, 3, 0, 1];
        let days = [0, 3, 7, 7, 9, 12, 14];
        let amounts = [5.0, 8.0, 6.0, 4.0, 9.0, 2.0, 3.0];
        let options = SummaryOptions {
            observation_end: Some(14),
            unit: TimeUnit::Weeks,
        };
        let whole = summary(
            &TransactionLog::new(&ids, &days, Some(&amounts)).unwrap(),
            &options,
        )
        .unwrap();
        // Part 1 holds "cat" and "ann", coded 0 and 1 in that (not key) order; an
        // unused key "zed" rides along. Part 2 holds "dan" (0) and "ben" (1).
        let a = TransactionLog::new(&[0, 1, 0, 1], &[0, 3, 7, 12], Some(&[5.0, 8.0, 6.0, 2.0]))
            .unwrap();
        let b = TransactionLog::new(&[1, 0, 1], &[7, 9, 14], Some(&[4.0, 9.0, 3.0])).unwrap();
        let pa = KeyedSummary::new(summary(&a, &options).unwrap(), keys(&["cat", "ann", "zed"]))
            .unwrap();
        let pb = KeyedSummary::new(summary(&b, &options).unwrap(), keys(&["dan", "ben"])).unwrap();
        let merged = KeyedSummary::merge(&[pb, pa]).unwrap();
        assert_eq!(merged.keys, keys(&["ann", "ben", "cat", "dan"]));
        // Row i of the merge is global id i of the whole: the same summary, exactly.
        assert_eq!(merged.summary, whole);
        // By hand, "ann": days 3 and 12, so x = 1, t_x = 9 / 7, T = 11 / 7, m = 2.
        assert_eq!(merged.summary.frequency[0], 1);
        assert_eq!(merged.summary.recency()[0], 9.0 / 7.0);
        assert_eq!(merged.summary.age()[0], 11.0 / 7.0);
        assert_eq!(merged.summary.monetary_value.as_ref().unwrap()[0], 2.0);
    }

    #[test]
    fn integer_keys_merge_as_summary_merge_does() {
        let log = TransactionLog::new(&[7, 9, 7], &[0, 1, 5], None).unwrap();
        let s = summary(&log, &SummaryOptions::default()).unwrap();
        // The same summary coded locally: ids 7, 9 as indices 1, 0 into [9, 7].
        let mut coded = s.clone();
        coded.customer_id = vec![1, 0];
        let k = KeyedSummary::new(coded, vec![9u64, 7]).unwrap();
        let merged = KeyedSummary::merge(&[k]).unwrap();
        assert_eq!(merged.keys, [7, 9]);
        assert_eq!(merged.summary.frequency, s.frequency);
        assert_eq!(Summary::merge(std::slice::from_ref(&s)).unwrap(), s);
    }

    #[test]
    fn a_key_in_two_parts_ids_outside_the_keys_and_other_settings_are_refused() {
        let log = TransactionLog::new(&[0, 1], &[0, 1], None).unwrap();
        let options = SummaryOptions::default();
        let s = summary(&log, &options).unwrap();
        let a = KeyedSummary::new(s.clone(), keys(&["x", "y"])).unwrap();
        let b = KeyedSummary::new(s.clone(), keys(&["z", "y"])).unwrap();
        let err = KeyedSummary::merge(&[a.clone(), b]).unwrap_err();
        assert!(
            matches!(&err, Error::Incompatible { reason } if reason.contains("customer \"y\"")),
            "{err}"
        );
        // Id 1 with one key.
        let err = KeyedSummary::new(s.clone(), keys(&["x"])).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidValue {
                    column: "customer_id",
                    row: 1,
                    ..
                }
            ),
            "{err}"
        );
        let broken = KeyedSummary {
            summary: s.clone(),
            keys: keys(&["x"]),
        };
        assert!(matches!(
            KeyedSummary::merge(&[broken]),
            Err(Error::InvalidValue { row: 1, .. })
        ));
        // Another observation end; amounts in one part only; no parts.
        let later = summary(
            &log,
            &SummaryOptions {
                observation_end: Some(5),
                ..options
            },
        )
        .unwrap();
        let c = KeyedSummary::new(later, keys(&["p", "q"])).unwrap();
        assert!(matches!(
            KeyedSummary::merge(&[a.clone(), c]),
            Err(Error::Incompatible { .. })
        ));
        let money = TransactionLog::new(&[0], &[1], Some(&[3.0])).unwrap();
        let d = KeyedSummary::new(summary(&money, &options).unwrap(), keys(&["r"])).unwrap();
        assert!(matches!(
            KeyedSummary::merge(&[a, d]),
            Err(Error::Incompatible { .. })
        ));
        assert!(matches!(
            KeyedSummary::<String>::merge(&[]),
            Err(Error::Empty { .. })
        ));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_round_trip() {
        let log = TransactionLog::new(&[1, 0], &[0, 2], Some(&[1.5, 2.0])).unwrap();
        let s = summary(&log, &SummaryOptions::default()).unwrap();
        let k = KeyedSummary::new(s, keys(&["b", "a"])).unwrap();
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(
            serde_json::from_str::<KeyedSummary<String>>(&json).unwrap(),
            k
        );
    }
}
