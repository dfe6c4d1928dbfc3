//! The event table of the columns: one row per distinct duration with its
//! events and censorings, by a counting pass or a sort, and the checks of
//! the columns.

use crate::error::{check_length, Error, Result};

/// Integer durations up to `rows + COUNTING_SLACK` are tabulated by counting.
const COUNTING_SLACK: f64 = 4096.0;

/// Validate the columns: non-empty, equal lengths, durations finite and `>= 0`.
pub(super) fn check_columns(durations: &[f64], observed: &[bool]) -> Result<()> {
    if durations.is_empty() {
        return Err(Error::Empty { what: "durations" });
    }
    check_length("observed", durations.len(), observed.len())?;
    match durations
        .iter()
        .enumerate()
        .find(|(_, d)| !(d.is_finite() && **d >= 0.0))
    {
        Some((row, &d)) => Err(Error::InvalidValue {
            column: "durations",
            row,
            reason: format!("{d} is not a finite duration >= 0"),
        }),
        None => Ok(()),
    }
}

/// (time, events, censored) per distinct duration, increasing.
pub(super) type Table = Vec<(f64, u64, u64)>;

/// Validated table of the columns: one counting pass when every duration is
/// a small integer, else validation and a sort.
pub(super) fn tabulate(durations: &[f64], observed: &[bool]) -> Result<Table> {
    if durations.is_empty() {
        return Err(Error::Empty { what: "durations" });
    }
    check_length("observed", durations.len(), observed.len())?;
    if let Some(table) = tabulate_counting(durations, observed) {
        return Ok(table);
    }
    check_columns(durations, observed)?;
    Ok(tabulate_sorted(
        durations
            .iter()
            .zip(observed)
            .map(|(&d, &o)| (d, o))
            .collect(),
    ))
}

/// One pass that both validates and counts, for durations that are all
/// integers in `0..=rows + COUNTING_SLACK`; `None` at the first duration
/// that is not (NaN, negative, fractional or large), leaving validation and
/// the error message to [`check_columns`].
// The casts are exact: `d` is checked to be in `0..=limit` (far below 2^52)
// before `d as usize`, and `i as f64 == d` then holds exactly for integers.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub(super) fn tabulate_counting(durations: &[f64], observed: &[bool]) -> Option<Table> {
    let limit = durations.len() as f64 + COUNTING_SLACK;
    // counts[2 i] = events at duration i, counts[2 i + 1] = censorings.
    let mut counts: Vec<u64> = Vec::new();
    for (&d, &o) in durations.iter().zip(observed) {
        if !(d >= 0.0 && d <= limit) {
            return None;
        }
        let i = d as usize;
        if i as f64 != d {
            return None;
        }
        let slot = 2 * i + usize::from(!o);
        if slot >= counts.len() {
            // Grow geometrically: increasing durations must not cost O(n²).
            // Always an even length: one (events, censored) pair per duration.
            counts.resize((2 * i + 2).max(2 * counts.len()), 0);
        }
        if let Some(c) = counts.get_mut(slot) {
            *c += 1;
        }
    }
    Some(
        counts
            .chunks_exact(2)
            .enumerate()
            .filter(|(_, c)| c[0] + c[1] > 0)
            .map(|(i, c)| (i as f64, c[0], c[1]))
            .collect(),
    )
}

pub(super) fn tabulate_sorted(mut rows: Vec<(f64, bool)>) -> Table {
    for r in &mut rows {
        r.0 += 0.0; // −0 becomes +0
    }
    rows.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut table: Table = Vec::new();
    for (d, o) in rows {
        match table.last_mut() {
            Some(last) if last.0 == d => {
                last.1 += u64::from(o);
                last.2 += u64::from(!o);
            }
            _ => table.push((d, u64::from(o), u64::from(!o))),
        }
    }
    table
}
