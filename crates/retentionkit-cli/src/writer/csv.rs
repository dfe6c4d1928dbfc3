//! The CSV writer: blocks of rows formatted into byte buffers on all cores
//! (no `std::fmt` per field), written in order in large chunks.
//!
//! The bytes are those the subcommands printed through `write!` before:
//! header names as given, numbers as `Display` prints them, days as
//! `YYYY-MM-DD`, a missing value as an empty field, text quoted when it
//! holds a comma, quote or line break (quotes doubled), `\n` line ends.

use std::io::{self, Write};

use rayon::prelude::*;

use super::number::{push_day, push_f64, push_u64};
use super::{OutColumn, OutTable, Values};

/// Rows per formatted block.
const BLOCK_ROWS: usize = 16_384;

/// Write `table` as CSV with its header line.
pub fn write(table: &OutTable<'_>, w: &mut dyn Write) -> io::Result<()> {
    let header: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    let mut line = header.join(",").into_bytes();
    line.push(b'\n');
    w.write_all(&line)?;
    let rows = table.rows();
    let blocks: Vec<(usize, usize)> = (0..rows)
        .step_by(BLOCK_ROWS)
        .map(|start| (start, (start + BLOCK_ROWS).min(rows)))
        .collect();
    // A few blocks per thread at a time: parallel, in order, bounded memory.
    let batch = 4 * rayon::current_num_threads().max(1);
    for group in blocks.chunks(batch) {
        let texts: Vec<Vec<u8>> = group
            .par_iter()
            .map(|&(start, end)| block(table, start, end))
            .collect();
        for text in &texts {
            w.write_all(text)?;
        }
    }
    Ok(())
}

/// Rows `start..end` as CSV lines.
fn block(table: &OutTable<'_>, start: usize, end: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity((end - start) * 16 * table.columns.len().max(1));
    for i in start..end {
        for (j, column) in table.columns.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            if column.is_valid(i) {
                cell(&mut out, column, i);
            }
        }
        out.push(b'\n');
    }
    out
}

/// The value of row `i`.
fn cell(out: &mut Vec<u8>, column: &OutColumn<'_>, i: usize) {
    match &column.values {
        Values::U64(v) => push_u64(out, v[i]),
        Values::F64(v) => push_f64(out, v[i]),
        Values::Day(v) => push_day(out, v[i]),
        Values::Text(v) => push_field(out, &v[i]),
        Values::Id { ids, names } => {
            let id = ids[i];
            match names.and_then(|n| usize::try_from(id).ok().and_then(|k| n.get(k))) {
                Some(name) => push_field(out, name),
                None => push_u64(out, id),
            }
        }
    }
}

/// A text field: quoted when it holds a comma, quote or line break.
pub fn push_field(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if !bytes
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    for &b in bytes {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    #[test]
    fn fields_are_quoted_as_before() {
        let mut out = Vec::new();
        for s in ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""] {
            out.clear();
            push_field(&mut out, s);
            // The rule of the `write!` code path this writer replaced.
            let old = if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            };
            assert_eq!(String::from_utf8(out.clone()).unwrap(), old);
        }
    }

    #[test]
    fn a_table_with_missing_values() {
        let names = vec!["x,y".to_string(), "z".to_string()];
        let mut t = OutTable::default();
        t.push(OutColumn::new(
            "id",
            Values::Id {
                ids: Cow::Owned(vec![0, 1, 7]),
                names: Some(&names),
            },
        ));
        t.push(OutColumn::with_valid(
            "n",
            Values::U64(Cow::Owned(vec![1, 2, 3])),
            vec![true, false, true],
        ));
        t.push(OutColumn::optional_f64("m", None, 3));
        t.push(OutColumn::new(
            "day",
            Values::Day(Cow::Owned(vec![0, 19_725, -1])),
        ));
        t.push(OutColumn::new(
            "f",
            Values::F64(Cow::Owned(vec![0.5, 1e-7, 24.0 / 7.0])),
        ));
        let mut out = Vec::new();
        write(&t, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                "id,n,m,day,f\n\"x,y\",1,,1970-01-01,0.5\nz,,,2024-01-03,0.0000001\n7,3,,1969-12-31,{}\n",
                24.0 / 7.0
            )
        );
    }

    #[test]
    fn many_blocks_stay_in_order() {
        let n = 3 * BLOCK_ROWS + 5;
        let v: Vec<u64> = (0..n as u64).collect();
        let mut t = OutTable::default();
        t.push(OutColumn::new("k", Values::U64(Cow::Borrowed(&v))));
        let mut out = Vec::new();
        write(&t, &mut out).unwrap();
        let want: String = std::iter::once("k".to_string())
            .chain(v.iter().map(u64::to_string))
            .map(|l| l + "\n")
            .collect();
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }
}
