//! Delimited text: delimiter and header detection, then a parallel byte-level
//! parse of the three columns.
//!
//! The file is read whole (gunzipped when it starts with the gzip magic
//! bytes), cut into chunks at line ends and parsed on rayon's pool; each chunk
//! counts its lines so every bad value is reported with its line number in
//! the file. A field in quotes may hold the delimiter and doubled quotes, but
//! not a line break: a quote left open at the end of its line is reported at
//! that line.

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use retentionkit::log::check_order_day;
use retentionkit::log::ids::{canonical_decimal, text_id};

pub use retentionkit_arrow::amount::parse_amount;
#[cfg(test)]
use retentionkit_arrow::amount::simple_decimal;

use super::dates::{trim, DateFormat};
use super::detect::{guess_columns, Chosen, SampleRows};
use super::{BadRow, Columns, ReadOptions, Table};
use crate::error::{CliError, Result};
use crate::progress::Progress;

/// How fields are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// One byte (`,`, `;`, tab, `|`, ...), with `"` quoting.
    Byte(u8),
    /// Runs of spaces or tabs; leading and trailing blanks ignored.
    Whitespace,
}

impl Delimiter {
    /// For the "reading ..." line.
    pub fn describe(self) -> String {
        match self {
            Delimiter::Byte(b'\t') => "tab".into(),
            Delimiter::Byte(b) => format!("{:?}", char::from(b)),
            Delimiter::Whitespace => "whitespace".into(),
        }
    }
}

/// Read the file's bytes, gunzipping when needed.
pub fn read_bytes(path: &str, progress: &Progress) -> Result<Vec<u8>> {
    let raw = read_whole(path).map_err(|e| CliError::input(format!("{path}: {e}")))?;
    decompress(path, raw, progress)
}

/// Files from this size on are read in [`READ_PIECE`]-byte pieces on
/// rayon's pool: the copy from the page cache and the first touch of the
/// buffer's pages (about a third of the CSV reading time at 10^7 rows) are
/// then shared by the threads.
const PARALLEL_READ: u64 = 16 << 20;

/// The piece of a file one thread reads.
const READ_PIECE: usize = 8 << 20;

/// The whole file, as `std::fs::read` reads it (big files in parallel
/// pieces, each read with `read_exact_at`; a file that shrinks meanwhile
/// is an error, one that grows is read to its size at the start).
fn read_whole(path: &str) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        if file.metadata()?.is_file() && len >= PARALLEL_READ {
            let mut out = vec![0u8; usize::try_from(len).map_err(std::io::Error::other)?];
            out.par_chunks_mut(READ_PIECE)
                .enumerate()
                .try_for_each(|(k, piece)| {
                    // ok: k * READ_PIECE < len, which fits in u64.
                    file.read_exact_at(piece, (k * READ_PIECE) as u64)
                })?;
            return Ok(out);
        }
    }
    std::fs::read(path)
}

/// `raw` gunzipped when it starts with the gzip magic bytes, else as it is
/// (`path` names it in messages).
pub fn decompress(path: &str, raw: Vec<u8>, progress: &Progress) -> Result<Vec<u8>> {
    if raw.starts_with(&[0x1f, 0x8b]) {
        progress.stage("decompressing");
        let mut out = Vec::with_capacity(raw.len().saturating_mul(4));
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| CliError::input(format!("{path}: not a valid gzip file ({e})")))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// The message for a field whose opening quote is not closed on its line.
pub(crate) const OPEN_QUOTE: &str =
    "a quote opened in this field is not closed on its line (a field in \
                          quotes ends with a quote; a quote inside it is written twice; a line \
                          break inside quotes is not supported)";

/// Split one line into fields (byte ranges of `line`), quotes removed.
///
/// Returns the index of a field whose opening quote is not closed on the
/// line (that field then runs to the line's end), or `None`.
pub(crate) fn split<'a>(
    line: &'a [u8],
    delim: Delimiter,
    out: &mut Vec<&'a [u8]>,
) -> Option<usize> {
    out.clear();
    match delim {
        Delimiter::Whitespace => {
            out.extend(
                line.split(|&b| b == b' ' || b == b'\t')
                    .filter(|f| !f.is_empty()),
            );
            None
        }
        Delimiter::Byte(d) => {
            let mut rest = line;
            loop {
                let lead = rest
                    .iter()
                    .position(|b| !matches!(b, b' ' | b'\t'))
                    .unwrap_or(rest.len());
                if rest.get(lead) == Some(&b'"') {
                    // Quoted field: up to the closing quote not followed by another.
                    let body = &rest[lead + 1..];
                    let mut i = 0;
                    let mut end = None;
                    while i < body.len() {
                        if body[i] == b'"' {
                            if body.get(i + 1) == Some(&b'"') {
                                i += 2;
                                continue;
                            }
                            end = Some(i);
                            break;
                        }
                        i += 1;
                    }
                    let Some(end) = end else {
                        out.push(body);
                        return Some(out.len() - 1);
                    };
                    out.push(&body[..end]);
                    let after = &body[end + 1..];
                    match after.iter().position(|&b| b == d) {
                        Some(p) => rest = &after[p + 1..],
                        None => return None,
                    }
                } else if let Some(p) = rest.iter().position(|&b| b == d) {
                    out.push(&rest[..p]);
                    rest = &rest[p + 1..];
                } else {
                    out.push(rest);
                    return None;
                }
            }
        }
    }
}

/// Lines of `data` (without `\n` / `\r\n`); the line ends found with
/// `memchr` (vector instructions), not byte by byte.
fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    let mut rest = Some(body);
    std::iter::from_fn(move || {
        let r = rest?;
        let line = if let Some(p) = memchr::memchr(b'\n', r) {
            rest = Some(&r[p + 1..]);
            &r[..p]
        } else {
            rest = None;
            r
        };
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    })
}

/// The delimiter that splits the first line into the most fields (at
/// least 2) and at least half of the next lines into as many; whitespace
/// when no single byte does.
pub(crate) fn detect_delimiter(sample: &[&[u8]]) -> Delimiter {
    let mut best: Option<(u8, usize)> = None;
    for d in [b',', b'\t', b';', b'|'] {
        let mut fields = Vec::new();
        let counts: Vec<usize> = sample
            .iter()
            .map(|l| {
                let _ = split(l, Delimiter::Byte(d), &mut fields);
                fields.len()
            })
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        let same = counts.iter().filter(|&&c| c == first).count();
        if first >= 2 && same * 2 >= counts.len() && best.is_none_or(|(_, n)| first > n) {
            best = Some((d, first));
        }
    }
    best.map_or(Delimiter::Whitespace, |(d, _)| Delimiter::Byte(d))
}

/// Parse delimited text into the three columns.
pub fn parse(path: &str, data: &[u8], opts: &ReadOptions, progress: &Progress) -> Result<Table> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let (delim, chosen) = sniff(path, data, opts)?;
    let (offset, line_no) = data_start(data, chosen.header);
    progress.stage("parsing");
    let spec = ChunkSpec {
        delim,
        id: chosen.id,
        date: chosen.date,
        amount: chosen.amount,
        format: &chosen.date_format,
        names: &chosen.names,
        header: chosen.header,
        stop_at_first: !opts.skip_bad_rows,
    };
    let (parts, string_ids) = parse_chunks(data, offset, &spec, progress);
    let (bad, n) = bad_rows(&parts, line_no);
    if !opts.skip_bad_rows
        && let Some(b) = bad.first()
    {
        return Err(CliError::at(path, b.line, &b.column, &b.message));
    }
    Ok(Table {
        columns: Some(Columns {
            id: chosen.names.get(chosen.id).cloned().unwrap_or_default(),
            date: chosen.names.get(chosen.date).cloned().unwrap_or_default(),
            amount: chosen.amount.and_then(|a| chosen.names.get(a).cloned()),
            header: chosen.header,
            date_format: chosen.date_format.describe(),
            delimiter: Some(delim.describe()),
            chosen_by: chosen.by,
        }),
        bad_rows: bad,
        ..concat(data, parts, string_ids, n, chosen.amount.is_some())
    })
}

/// Delimiter, header and columns, decided from the first non-empty lines.
fn sniff(path: &str, data: &[u8], opts: &ReadOptions) -> Result<(Delimiter, Chosen)> {
    let (lines_no, sample): (Vec<u64>, Vec<&[u8]>) = lines(data)
        .zip(1u64..)
        .filter(|(l, _)| !trim(l).is_empty())
        .take(200)
        .map(|(l, n)| (n, l))
        .unzip();
    if sample.is_empty() {
        return Err(CliError::input(format!("{path}: the file has no rows")));
    }
    let delim = match opts.delimiter {
        Some(b' ') => Delimiter::Whitespace,
        Some(d) => Delimiter::Byte(d),
        None => detect_delimiter(&sample[..sample.len().min(20)]),
    };
    // The sample ends before a line with a quote left open: the columns are
    // chosen from whole lines, and the parse reports that line by its column.
    let mut fields = Vec::new();
    let mut rows: Vec<Vec<&[u8]>> = Vec::with_capacity(sample.len());
    for (l, &n) in sample.iter().zip(&lines_no) {
        if let Some(open) = split(l, delim, &mut fields) {
            if rows.is_empty() {
                return Err(CliError::input(format!(
                    "{path}:{n}: field {}: {OPEN_QUOTE}",
                    open + 1
                )));
            }
            break;
        }
        rows.push(fields.clone());
    }
    let mut lines_no = lines_no;
    lines_no.truncate(rows.len());
    let sample = SampleRows {
        lines: lines_no,
        rows,
    };
    Ok((delim, guess_columns(path, &sample, opts)?))
}

/// Where the data starts: the byte offset and the number of lines before it
/// (empty lines and the header).
fn data_start(data: &[u8], header: bool) -> (usize, u64) {
    let mut offset = 0usize;
    let mut line_no = 0u64;
    let mut header_left = header;
    while offset < data.len() {
        let end = data[offset..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(data.len(), |p| offset + p + 1);
        let blank = lines(&data[offset..end]).all(|l| trim(l).is_empty());
        if !blank && !header_left {
            break;
        }
        header_left &= blank;
        offset = end;
        line_no += 1;
    }
    (offset, line_no)
}

/// Parse the data from `offset` on in chunks on rayon's pool, with integer
/// ids, and once more with string ids when some id is not a canonical
/// decimal (so that `007` and `7` are two customers in every file).
/// Returns the chunks and whether the ids are strings.
fn parse_chunks(
    data: &[u8],
    offset: usize,
    spec: &ChunkSpec<'_>,
    progress: &Progress,
) -> (Vec<Chunk>, bool) {
    let body = &data[offset..];
    let chunks = cut(body, 1 << 22);
    let done = AtomicUsize::new(0);
    let total = chunks.len();
    let parse_all = |string_ids: bool| -> Vec<Chunk> {
        chunks
            .par_iter()
            .map(|c| {
                let out = parse_chunk(c, spec, string_ids, data.as_ptr() as usize);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress.fraction(n, total);
                out
            })
            .collect()
    };
    let mut parts = parse_all(false);
    let string_ids = parts.iter().any(|p| p.needs_strings);
    if string_ids {
        done.store(0, Ordering::Relaxed);
        parts = parse_all(true);
    }
    (parts, string_ids)
}

/// The bad rows of every chunk, numbered by their line in the file (the data
/// starts after line `first`), and the number of good rows.
fn bad_rows(parts: &[Chunk], first: u64) -> (Vec<BadRow>, usize) {
    // Each chunk starts after the lines of the ones before it.
    let mut bad = Vec::new();
    let mut start = first;
    let mut n = 0;
    for p in parts {
        for b in &p.bad {
            bad.push(BadRow {
                line: start + b.line,
                ..b.clone()
            });
        }
        start += p.lines;
        n += p.days.len();
    }
    (bad, n)
}

/// The chunks' `n` rows as one table (without `columns` and `bad_rows`);
/// string ids are numbered in order of first appearance.
fn concat(data: &[u8], parts: Vec<Chunk>, string_ids: bool, n: usize, amount: bool) -> Table {
    let mut days = Vec::with_capacity(n);
    let mut amounts = amount.then(|| Vec::with_capacity(n));
    let mut ids = Vec::with_capacity(n);
    let mut id_names = None;
    if string_ids {
        let mut map: std::collections::HashMap<&[u8], u64> = std::collections::HashMap::new();
        let mut names: Vec<String> = Vec::new();
        for p in &parts {
            for r in &p.spans {
                let key = match r {
                    IdRef::Span(s, len) => &data[*s..*s + *len],
                    IdRef::Owned(s) => s.as_bytes(),
                };
                let next = names.len() as u64;
                let id = *map.entry(key).or_insert_with(|| {
                    names.push(String::from_utf8_lossy(key).into_owned());
                    next
                });
                ids.push(id);
            }
        }
        id_names = Some(names);
    }
    for p in parts {
        if !string_ids {
            ids.extend_from_slice(&p.ids);
        }
        days.extend_from_slice(&p.days);
        if let (Some(a), Some(pa)) = (amounts.as_mut(), p.amounts.as_ref()) {
            a.extend_from_slice(pa);
        }
    }
    Table {
        ids,
        days,
        amounts,
        id_names,
        columns: None,
        bad_rows: Vec::new(),
    }
}

/// Cut `data` into pieces of about `size` bytes, each ending after a `\n`.
fn cut(data: &[u8], size: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while rest.len() > size {
        match rest[size..].iter().position(|&b| b == b'\n') {
            Some(p) => {
                let (a, b) = rest.split_at(size + p + 1);
                out.push(a);
                rest = b;
            }
            None => break,
        }
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

struct ChunkSpec<'a> {
    delim: Delimiter,
    id: usize,
    date: usize,
    amount: Option<usize>,
    format: &'a DateFormat,
    names: &'a [String],
    header: bool,
    stop_at_first: bool,
}

/// A text id: its bytes in the file (offset and length), or, for a quoted
/// id with doubled quotes, the id itself.
enum IdRef {
    Span(usize, usize),
    Owned(String),
}

/// Whether `field` (a slice of `line` from [`split`]) was written in quotes:
/// a quoted field's body starts right after its opening quote, any other
/// field at the line's start or after a delimiter or a blank.
fn was_quoted(line: &[u8], field: &[u8]) -> bool {
    let start = (field.as_ptr() as usize).wrapping_sub(line.as_ptr() as usize);
    start
        .checked_sub(1)
        .and_then(|i| line.get(i))
        .is_some_and(|&b| b == b'"')
}

/// The body of a quoted field with each doubled quote made one.
fn unescape(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while let Some(&b) = body.get(i) {
        out.push(b);
        i += if b == b'"' && body.get(i + 1) == Some(&b'"') {
            2
        } else {
            1
        };
    }
    out
}

#[derive(Default)]
struct Chunk {
    ids: Vec<u64>,
    /// Byte offset (from the start of the file) and length of each id, in
    /// string mode.
    spans: Vec<IdRef>,
    days: Vec<i32>,
    amounts: Option<Vec<f64>>,
    /// Lines in the chunk (for the numbering of the next one).
    lines: u64,
    /// Bad rows, `line` counted from 1 within the chunk.
    bad: Vec<BadRow>,
    /// An id was not a canonical decimal (`log::ids::canonical_decimal`).
    needs_strings: bool,
}

/// The reason of a core error about one value (its message otherwise).
fn core_reason(e: retentionkit::Error) -> String {
    match e {
        retentionkit::Error::InvalidValue { reason, .. } => reason,
        other => other.to_string(),
    }
}

/// The day of a date field, or why it is not one.
fn order_day(format: &DateFormat, text: &[u8]) -> std::result::Result<i32, String> {
    format
        .parse(text)
        .ok_or_else(|| {
            let found = String::from_utf8_lossy(trim(text)).into_owned();
            format!("expected {}, found {found:?}", format.example())
        })
        // The core's range of order dates, checked here to report the line.
        .and_then(|d| check_order_day(d, 0).map(|()| d).map_err(core_reason))
}

fn parse_chunk(chunk: &[u8], spec: &ChunkSpec<'_>, string_ids: bool, base: usize) -> Chunk {
    let cap = chunk.len() / 24 + 1;
    let mut out = Chunk {
        ids: Vec::with_capacity(if string_ids { 0 } else { cap }),
        spans: Vec::with_capacity(if string_ids { cap } else { 0 }),
        days: Vec::with_capacity(cap),
        amounts: spec.amount.map(|_| Vec::with_capacity(cap)),
        ..Chunk::default()
    };
    let need = spec.id.max(spec.date).max(spec.amount.unwrap_or(0)) + 1;
    let mut fields: Vec<&[u8]> = Vec::with_capacity(need + 4);
    // A field past the last column is named by its 1-based number.
    let name = |i: usize| {
        spec.names
            .get(i)
            .cloned()
            .unwrap_or_else(|| (i + 1).to_string())
    };
    let mut last_date: Option<(&[u8], i32)> = None;
    for line in lines(chunk) {
        out.lines += 1;
        if trim(line).is_empty() {
            continue;
        }
        let mut fail = |column: usize, message: String| {
            out.bad.push(BadRow {
                line: out.lines,
                column: name(column),
                message,
            });
        };
        let open = split(line, spec.delim, &mut fields);
        if open.is_some() || fields.len() < need {
            let missing = [Some(spec.id), Some(spec.date), spec.amount]
                .into_iter()
                .flatten()
                .find(|&c| c >= fields.len());
            fail(
                open.or(missing).unwrap_or(need - 1),
                if open.is_some() {
                    OPEN_QUOTE.into()
                } else {
                    format!(
                        "missing: the line has {} field(s), expected at least {need}",
                        fields.len()
                    )
                },
            );
            if spec.stop_at_first {
                break;
            }
            continue;
        }
        let id_text = trim(fields[spec.id]);
        if id_text.is_empty() {
            fail(
                spec.id,
                "expected a customer id, found an empty field".into(),
            );
            if spec.stop_at_first {
                break;
            }
            continue;
        }
        if fields.len() > spec.names.len() {
            let extra = String::from_utf8_lossy(fields[spec.names.len()]).into_owned();
            fail(
                spec.names.len(),
                format!(
                    "an extra field {extra:?}: the line has {} fields, {} {}; quote a field that \
                     holds the delimiter",
                    fields.len(),
                    if spec.header {
                        "the header names"
                    } else {
                        "the first lines have"
                    },
                    spec.names.len()
                ),
            );
            if spec.stop_at_first {
                break;
            }
            continue;
        }
        // Logs often hold runs of rows of one date: the text of the last good
        // date and its day are kept, and an equal text is not parsed again.
        let date_text = fields[spec.date];
        let day = if let Some((text, d)) = last_date
            && text == date_text
        {
            Ok(d)
        } else {
            order_day(spec.format, date_text)
        };
        let day = match day {
            Ok(d) => {
                last_date = Some((date_text, d));
                d
            }
            Err(m) => {
                fail(spec.date, m);
                if spec.stop_at_first {
                    break;
                }
                continue;
            }
        };
        let amount = match spec.amount {
            Some(a) => match parse_amount(fields[a]) {
                Ok(v) => Some(v),
                Err(m) => {
                    fail(a, m);
                    if spec.stop_at_first {
                        break;
                    }
                    continue;
                }
            },
            None => None,
        };
        if string_ids {
            // A quoted id with a doubled quote ("a""b"): the id is a"b
            // (RFC 4180), held as an owned string.
            let unquoted = (was_quoted(line, fields[spec.id])
                && id_text.windows(2).any(|w| w == b"\"\""))
            .then(|| unescape(fields[spec.id]));
            // The core's rule for text ids (docs/input.md, "Customer ids").
            let id = std::str::from_utf8(unquoted.as_deref().unwrap_or(id_text))
                .map_err(|_| "expected a customer id in UTF-8 text, found other bytes".to_string())
                .and_then(|t| text_id(t, 0).map_err(core_reason))
                .map(|t| match &unquoted {
                    Some(_) => IdRef::Owned(t.to_string()),
                    None => IdRef::Span(t.as_ptr() as usize - base, t.len()),
                });
            match id {
                Ok(r) => out.spans.push(r),
                Err(m) => {
                    fail(spec.id, m);
                    if spec.stop_at_first {
                        break;
                    }
                    continue;
                }
            }
        } else if let Some(v) = canonical_decimal(id_text) {
            out.ids.push(v);
        } else {
            // Not every id is a canonical decimal: read them all as text.
            out.needs_strings = true;
            return out;
        }
        out.days.push(day);
        if let (Some(a), Some(v)) = (out.amounts.as_mut(), amount) {
            a.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_file_read_in_pieces_is_the_file() {
        // Above the parallel threshold and not a whole number of pieces: two
        // full 8 MiB pieces and a partial one, every byte position-dependent,
        // so a piece placed at the wrong offset shows.
        let len = usize::try_from(PARALLEL_READ).unwrap() + READ_PIECE + 12_345;
        let bytes: Vec<u8> = (0..len)
            .map(|i| u8::try_from(i * 31 % 251).unwrap())
            .collect();
        let path = std::env::temp_dir().join(format!("rk-read-{}.bin", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        let got = read_whole(path.to_str().unwrap()).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(got.len(), len);
        assert!(got == bytes);
    }

    #[test]
    fn splits_quoted_and_whitespace() {
        let mut f = Vec::new();
        assert_eq!(
            split(br#"a,"b,c","d""e",,f"#, Delimiter::Byte(b','), &mut f),
            None
        );
        assert_eq!(f, [&b"a"[..], b"b,c", br#"d""e"#, b"", b"f"]);
        // An opening quote with no closing one: the third field runs to the end.
        assert_eq!(
            split(br#"1,2024-01-01,"5,6"#, Delimiter::Byte(b','), &mut f),
            Some(2)
        );
        assert_eq!(f, [&b"1"[..], b"2024-01-01", b"5,6"]);
        let _ = split(
            b"  00004 0001 19970101  2   29.33",
            Delimiter::Whitespace,
            &mut f,
        );
        assert_eq!(f, [&b"00004"[..], b"0001", b"19970101", b"2", b"29.33"]);
    }

    #[test]
    fn detects_delimiters() {
        let d = |s: &[&str]| detect_delimiter(&s.iter().map(|l| l.as_bytes()).collect::<Vec<_>>());
        assert_eq!(
            d(&["id;date;amount", "1;2024-01-01;3,5"]),
            Delimiter::Byte(b';')
        );
        assert_eq!(d(&["id\tdate", "1\t2024-01-01"]), Delimiter::Byte(b'\t'));
        assert_eq!(d(&["1 2024-01-01 3.5"]), Delimiter::Whitespace);
        assert_eq!(d(&["id,date", "1,2024-01-01"]), Delimiter::Byte(b','));
    }

    #[test]
    fn cuts_at_line_ends() {
        let data = b"aaaa\nbb\ncccccc\nd";
        let parts = cut(data, 3);
        assert_eq!(parts, [&b"aaaa\n"[..], b"bb\ncccccc\n", b"d"]);
        assert_eq!(parts.concat(), data);
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount(b" 29.33 "), Ok(29.33));
        // The fast path equals the standard library's correctly rounded parse.
        for t in [
            "0",
            "0.1",
            "45.58",
            "135.79",
            "1.",
            ".5",
            "123456789012.345",
            "0.00000000000001",
        ] {
            assert_eq!(
                simple_decimal(t.as_bytes()),
                Some(t.parse::<f64>().unwrap()),
                "{t}"
            );
        }
        assert_eq!(simple_decimal(b"1e5"), None);
        assert_eq!(simple_decimal(b"1234567890123456"), None); // 16 digits: general parser
        assert_eq!(simple_decimal(b"."), None);
        assert!(parse_amount(b"-1").unwrap_err().contains("non-negative"));
        // Above 2^53 (the core's log::MAX_AMOUNT): two such amounts would sum to inf.
        assert!(parse_amount(b"1e308").unwrap_err().contains("2^53"));
        assert_eq!(
            parse_amount(b"9007199254740992"),
            Ok(9_007_199_254_740_992.0)
        );
        assert!(parse_amount(b"abc").unwrap_err().contains("12.50"));
        assert!(parse_amount(b"NaN").is_err());
    }
}
