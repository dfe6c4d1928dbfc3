//! A plain table of named columns in delimited text (a header line, then one
//! row per line), for the commands that fit regressions (`cox`, `aft`): each
//! requested column is read as numbers, as 0/1 event flags or as labels, and a
//! bad value is reported with its file, line and column.

use super::csv::{detect_delimiter, split, Delimiter, OPEN_QUOTE};
use super::dates::trim;
use super::find_column;
use crate::error::{CliError, Result};

/// How a column's values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Finite numbers.
    Number,
    /// `1`/`0` (or `true`/`false`): whether the event happened.
    Event,
    /// Any text, such as a stratum's name.
    Label,
}

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Of a [`Kind::Number`] column.
    Numbers(Vec<f64>),
    /// Of a [`Kind::Event`] column.
    Events(Vec<bool>),
    /// Of a [`Kind::Label`] column.
    Labels(Vec<String>),
}

/// A delimited text file with a header line.
#[derive(Debug, Clone)]
pub struct Delimited<'a> {
    /// The file's name in messages.
    pub path: &'a str,
    /// The column names of the header line.
    pub names: Vec<String>,
    /// The 1-based line of each data row (blank lines are skipped).
    pub lines: Vec<u64>,
    rows: Vec<&'a [u8]>,
    delim: Delimiter,
}

impl<'a> Delimited<'a> {
    /// Split `data` into its header and rows; `delimiter` as the `--delimiter`
    /// flag (a space: runs of whitespace), detected when `None`.
    ///
    /// # Errors
    /// [`CliError::Input`] for a file without rows or a header quote left open.
    pub fn new(path: &'a str, data: &'a [u8], delimiter: Option<u8>) -> Result<Self> {
        let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
        let mut numbered = lines(data).zip(1u64..).filter(|(l, _)| !trim(l).is_empty());
        let Some((header, _)) = numbered.next() else {
            return Err(CliError::input(format!("{path}: the file has no rows")));
        };
        let (rows, line_numbers): (Vec<&[u8]>, Vec<u64>) = numbered.unzip();
        if rows.is_empty() {
            return Err(CliError::input(format!(
                "{path}: the file has a header line but no data rows"
            )));
        }
        let delim = match delimiter {
            Some(b' ') => Delimiter::Whitespace,
            Some(d) => Delimiter::Byte(d),
            None => {
                let mut sample = vec![header];
                sample.extend(rows.iter().take(19));
                detect_delimiter(&sample)
            }
        };
        let mut fields = Vec::new();
        if let Some(open) = split(header, delim, &mut fields) {
            return Err(CliError::input(format!(
                "{path}:1: field {}: {OPEN_QUOTE}",
                open + 1
            )));
        }
        let names = fields
            .iter()
            .map(|f| String::from_utf8_lossy(trim(f)).into_owned())
            .collect();
        Ok(Self {
            path,
            names,
            lines: line_numbers,
            rows,
            delim,
        })
    }

    /// The index of the column `wanted` (a name, or a 1-based number), for
    /// the flag `flag` in messages.
    ///
    /// # Errors
    /// [`CliError::Input`] listing the columns when there is no such column.
    pub fn column(&self, wanted: &str, flag: &str) -> Result<usize> {
        find_column(self.path, &self.names, wanted, flag)
    }

    /// Read the columns `wanted` (index and kind), in one pass over the rows.
    ///
    /// # Errors
    /// [`CliError::Input`] naming the file, line and column of the first
    /// missing or bad value.
    pub fn read(&self, wanted: &[(usize, Kind)]) -> Result<Vec<Values>> {
        let n = self.rows.len();
        let mut out: Vec<Values> = wanted
            .iter()
            .map(|&(_, kind)| match kind {
                Kind::Number => Values::Numbers(Vec::with_capacity(n)),
                Kind::Event => Values::Events(Vec::with_capacity(n)),
                Kind::Label => Values::Labels(Vec::with_capacity(n)),
            })
            .collect();
        let mut fields = Vec::new();
        for (row, &line) in self.rows.iter().zip(&self.lines) {
            let open = split(row, self.delim, &mut fields);
            for (&(col, _), values) in wanted.iter().zip(out.iter_mut()) {
                let name = self.names.get(col).map_or("", String::as_str);
                let bad = |message: String| CliError::at(self.path, line, name, &message);
                if open == Some(col) {
                    return Err(bad(OPEN_QUOTE.to_string()));
                }
                let Some(field) = fields.get(col) else {
                    return Err(bad(format!(
                        "missing: the line has {} field(s), the header {}",
                        fields.len(),
                        self.names.len()
                    )));
                };
                let text = String::from_utf8_lossy(trim(field));
                match values {
                    Values::Numbers(v) => v.push(number(&text).map_err(bad)?),
                    Values::Events(v) => v.push(event(&text).map_err(bad)?),
                    Values::Labels(v) => v.push(text.into_owned()),
                }
            }
        }
        Ok(out)
    }
}

/// Lines of `data` (without `\n` / `\r\n`).
fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    body.split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// A finite number.
fn number(text: &str) -> std::result::Result<f64, String> {
    if text.is_empty() {
        return Err("empty: a number is needed".into());
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!("{text:?} is not a finite number")),
        Err(_) => Err(format!("{text:?} is not a number")),
    }
}

/// An event flag: 1 or 0 (also `1.0`, `true`, `false`).
fn event(text: &str) -> std::result::Result<bool, String> {
    if text.eq_ignore_ascii_case("true") {
        return Ok(true);
    }
    if text.eq_ignore_ascii_case("false") {
        return Ok(false);
    }
    let value = text.parse::<f64>().ok();
    if value == Some(1.0) {
        Ok(true)
    } else if value == Some(0.0) {
        Ok(false)
    } else {
        Err(format!(
            "{text:?} is not an event flag: 1 (the event happened) or 0 (censored)"
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn reads_numbers_events_and_labels_by_name() {
        let text = b"t,e,g,x\n3,1,a,0.5\n\n4,0,b,-1\n";
        let d = Delimited::new("f.csv", text, None).unwrap();
        assert_eq!(d.names, ["t", "e", "g", "x"]);
        assert_eq!(d.lines, [2, 4]);
        let cols = d
            .read(&[
                (d.column("t", "--duration").unwrap(), Kind::Number),
                (d.column("e", "--event").unwrap(), Kind::Event),
                (d.column("g", "--strata").unwrap(), Kind::Label),
            ])
            .unwrap();
        assert_eq!(cols[0], Values::Numbers(vec![3.0, 4.0]));
        assert_eq!(cols[1], Values::Events(vec![true, false]));
        assert_eq!(cols[2], Values::Labels(vec!["a".into(), "b".into()]));
    }

    #[test]
    fn bad_values_name_their_line_and_column() {
        let d = Delimited::new("f.csv", b"t,e\n3,1\n4,2\n", None).unwrap();
        let e = d.read(&[(1, Kind::Event)]).unwrap_err().to_string();
        assert!(
            e.starts_with("f.csv:3: column \"e\": \"2\" is not an event flag"),
            "{e}"
        );
        let d = Delimited::new("f.csv", b"t,e\n3,1\nx,0\n", None).unwrap();
        let e = d.read(&[(0, Kind::Number)]).unwrap_err().to_string();
        assert_eq!(e, "f.csv:3: column \"t\": \"x\" is not a number");
        let d = Delimited::new("f.csv", b"t,e\n3\n", None).unwrap();
        let e = d.read(&[(1, Kind::Event)]).unwrap_err().to_string();
        assert!(e.starts_with("f.csv:2: column \"e\": missing"), "{e}");
        let e = d.column("w", "--weights").unwrap_err().to_string();
        assert!(e.contains("no column \"w\" for --weights"), "{e}");
    }
}
