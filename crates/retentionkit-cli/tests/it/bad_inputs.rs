//! Bad inputs, one table (issue 19): each case is a small file and a command
//! line; the command must exit with the code given (2 for bad input, 1 for
//! an output it cannot write) and its message must hold every fragment
//! listed: the file and line (`name.csv:3`), the column, or the flag the user
//! wrote. A file line counts the header as line 1.

use super::{run, scratch, stderr};

/// One case: what it is, the file's name and bytes, the arguments (`{f}` is
/// the file's path), the exit code and the fragments of the message.
struct Case {
    what: &'static str,
    name: &'static str,
    text: &'static [u8],
    args: &'static [&'static str],
    code: i32,
    want: &'static [&'static str],
}

const OK: &[u8] = b"customer_id,date,amount\n1,2024-01-01,10\n1,2024-02-01,5\n2,2024-01-05,7\n";

#[rustfmt::skip]
const CASES: &[Case] = &[
    // The file as a whole.
    Case { what: "an empty file", name: "empty.csv", text: b"", args: &["report", "{f}"], code: 2, want: &["empty.csv: the file has no rows"] },
    Case { what: "a header without rows", name: "header.csv", text: b"customer_id,date,amount\n", args: &["report", "{f}"], code: 2, want: &["header.csv: the file has a header line but no data rows"] },
    Case { what: "a quote left open at the end of its line", name: "quote.csv", text: b"customer_id,date,amount\n1,2024-01-01,5\n2,\"2024-01-02,6\n", args: &["summary", "{f}"], code: 2, want: &["quote.csv:3: column \"date\": a quote opened in this field is not closed on its line"] },
    Case { what: "a file that is not there", name: "here.csv", text: OK, args: &["summary", "{f}.missing"], code: 2, want: &["here.csv.missing: No such file"] },
    Case { what: "a Parquet footer the decoder panics on (fuzz/corpus/parquet_reader)", name: "thrift.parquet", text: include_bytes!("../../../../fuzz/corpus/parquet_reader/regression-thrift-bool-panic.parquet"), args: &["summary", "{f}"], code: 2, want: &["thrift.parquet: not a readable Parquet file"] },
    Case { what: "a Parquet footer whose list length asks for 71 GB (parquet 57.x aborted on it)", name: "alloc.parquet", text: include_bytes!("../../../../fuzz/corpus/parquet_reader/regression-alloc-abort.parquet"), args: &["summary", "{f}"], code: 2, want: &["alloc.parquet: not a readable Parquet file"] },
    Case { what: "an Arrow IPC footer with a negative block length (arrow-ipc 60 panics on it; fuzz/corpus/ipc_reader)", name: "block.arrow", text: include_bytes!("../../../../fuzz/corpus/ipc_reader/regression-negative-block-length.arrow"), args: &["summary", "{f}"], code: 2, want: &["block.arrow: not a readable Arrow IPC file"] },
    Case { what: "an Arrow IPC footer whose block asks for 2 GB (arrow-ipc 60 allocates it; fuzz/corpus/ipc_reader)", name: "huge.arrow", text: include_bytes!("../../../../fuzz/corpus/ipc_reader/regression-huge-block.arrow"), args: &["summary", "{f}"], code: 2, want: &["huge.arrow: not a readable Arrow IPC file", "lies outside the file"] },
    Case { what: "a Parquet file that is not Parquet", name: "fake.parquet", text: b"not parquet at all", args: &["summary", "{f}"], code: 2, want: &["fake.parquet: not a readable Parquet file"] },
    // Amounts, at their line.
    Case { what: "NaN amount", name: "nan.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n2,2024-01-02,NaN\n", args: &["summary", "{f}"], code: 2, want: &["nan.csv:3", "column \"amount\"", "finite"] },
    Case { what: "negative amount", name: "neg.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n2,2024-01-02,-5\n", args: &["summary", "{f}"], code: 2, want: &["neg.csv:3", "column \"amount\"", "non-negative"] },
    Case { what: "infinite amount", name: "inf.csv", text: b"customer_id,date,amount\n1,2024-01-01,inf\n", args: &["summary", "{f}"], code: 2, want: &["inf.csv:2", "column \"amount\"", "finite"] },
    Case { what: "two amounts of 1e308 (their sum is inf)", name: "big.csv", text: b"customer_id,date,amount\n1,2024-01-01,1e308\n1,2024-01-02,1e308\n", args: &["summary", "{f}"], code: 2, want: &["big.csv:2", "column \"amount\"", "2^53"] },
    Case { what: "an amount in words", name: "words.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n2,2024-01-02,ten\n", args: &["summary", "{f}"], code: 2, want: &["words.csv:3", "column \"amount\"", "\"ten\""] },
    Case { what: "thousands separators", name: "sep.csv", text: b"customer_id,date,amount\n1,2024-01-01,\"1,234.50\"\n", args: &["summary", "{f}"], code: 2, want: &["sep.csv:2", "column \"amount\"", "\"1,234.50\""] },
    Case { what: "a bad amount after a BOM and CRLF lines", name: "bom.csv", text: b"\xef\xbb\xbfcustomer_id,date,amount\r\n1,2024-01-01,10\r\n2,2024-01-02,-1\r\n", args: &["summary", "{f}"], code: 2, want: &["bom.csv:3", "column \"amount\""] },
    Case { what: "a bad amount with ';' as delimiter", name: "semi.csv", text: b"customer_id;date;amount\n1;2024-01-01;10\n2;2024-01-02;x\n", args: &["summary", "{f}"], code: 2, want: &["semi.csv:3", "column \"amount\""] },
    // Dates, at their line.
    Case { what: "a month 13", name: "month13.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n2,2024-13-45,5\n", args: &["summary", "{f}"], code: 2, want: &["month13.csv:3", "column \"date\"", "\"2024-13-45\""] },
    Case { what: "a missing date", name: "nodate.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n2,,5\n", args: &["summary", "{f}"], code: 2, want: &["nodate.csv:3", "column \"date\""] },
    Case { what: "a placeholder 0001-01-01 in report", name: "zero.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n2,0001-01-01,5\n", args: &["report", "{f}"], code: 2, want: &["zero.csv:3", "column \"date\"", "1900-01-01..=2199-12-31"] },
    Case { what: "a placeholder 9999-12-31 in predict", name: "nines.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n2,9999-12-31,5\n", args: &["predict", "{f}"], code: 2, want: &["nines.csv:3", "9999-12-31 is outside"] },
    Case { what: "day-first or month-first", name: "slash.csv", text: b"customer_id,date,amount\n1,01/02/2024,10\n2,03/04/2024,5\n", args: &["summary", "{f}"], code: 2, want: &["slash.csv", "column \"date\"", "--date-format"] },
    Case { what: "a date format that reads nothing", name: "fmt.csv", text: OK, args: &["summary", "{f}", "--date-format", "%Q"], code: 2, want: &["fmt.csv:2", "column \"date\"", "\"%Q\""] },
    // Ids and the shape of a line.
    Case { what: "an empty id", name: "noid.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n,2024-01-02,5\n", args: &["summary", "{f}"], code: 2, want: &["noid.csv:3", "column \"customer_id\"", "empty"] },
    Case { what: "an id with a NUL byte", name: "nul.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\na\0b,2024-01-02,5\n", args: &["summary", "{f}"], code: 2, want: &["nul.csv:3", "column \"customer_id\"", "control character"] },
    Case { what: "an id with an escape character", name: "esc.csv", text: b"customer_id,date,amount\n\x1b[31m,2024-01-01,10\n", args: &["summary", "{f}"], code: 2, want: &["esc.csv:2", "control character"] },
    Case { what: "an extra field", name: "extra.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n2,2024-01-02,5,9\n", args: &["summary", "{f}"], code: 2, want: &["extra.csv:3", "extra field \"9\""] },
    Case { what: "a field too few", name: "short.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n2,2024-01-02\n", args: &["summary", "{f}"], code: 2, want: &["short.csv:3", "column \"amount\"", "missing"] },
    Case { what: "an unterminated quote", name: "quote.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n\"a,2024-01-02,5\n", args: &["summary", "{f}"], code: 2, want: &["quote.csv:3"] },
    // The column detector.
    Case { what: "no id column (date,amount)", name: "noidcol.csv", text: b"date,amount\n2024-01-01,10\n2024-01-02,5\n", args: &["summary", "{f}"], code: 2, want: &["noidcol.csv", "customer id", "--id"] },
    Case { what: "a headerless file with two id candidates", name: "bare.csv", text: b"1,2024-01-01,10\n2,2024-01-02,5\n", args: &["summary", "{f}"], code: 2, want: &["bare.csv", "columns \"1\" and \"3\" could", "--id"] },
    Case { what: "two date columns", name: "twodates.csv", text: b"customer_id,a,b\n1,2024-01-01,2024-02-01\n2,2024-01-02,2024-02-02\n", args: &["summary", "{f}"], code: 2, want: &["twodates.csv", "order date", "--date"] },
    Case { what: "two columns named date", name: "twins.csv", text: b"customer_id,date,date\n1,2024-01-01,2024-01-02\n", args: &["summary", "{f}"], code: 2, want: &["twins.csv", "columns 2 and 3 are both named \"date\"", "--date 2"] },
    Case { what: "--id naming no column", name: "idflag.csv", text: OK, args: &["summary", "{f}", "--id", "nope"], code: 2, want: &["idflag.csv", "no column \"nope\" for --id"] },
    Case { what: "--date naming the amounts", name: "dateflag.csv", text: OK, args: &["summary", "{f}", "--date", "amount"], code: 2, want: &["dateflag.csv:2", "column \"amount\"", "--date"] },
    // Flags, named as the user wrote them.
    Case { what: "--calibration-end after the orders", name: "cal.csv", text: OK, args: &["report", "{f}", "--calibration-end", "2030-01-01"], code: 2, want: &["--calibration-end 2030-01-01", "not before the last order"] },
    Case { what: "--calibration-end before the orders", name: "cal0.csv", text: OK, args: &["report", "{f}", "--calibration-end", "2023-01-01"], code: 2, want: &["--calibration-end 2023-01-01", "before the first order"] },
    Case { what: "--calibration-end that is not a date", name: "cal1.csv", text: OK, args: &["report", "{f}", "--calibration-end", "2024-99-01"], code: 2, want: &["--calibration-end: \"2024-99-01\" is not an ISO date"] },
    Case { what: "--holdout longer than the log", name: "hold.csv", text: OK, args: &["report", "{f}", "--holdout", "99999w"], code: 2, want: &["--holdout 99999w", "longer than the log"] },
    Case { what: "--lookback without a unit", name: "look.csv", text: OK, args: &["report", "{f}", "--lookback", "0"], code: 2, want: &["--lookback \"0\"", "12m", "90d"] },
    Case { what: "--horizon inf", name: "hor.csv", text: OK, args: &["predict", "{f}", "--horizon", "inf"], code: 2, want: &["--horizon inf", "non-negative number of weeks"] },
    Case { what: "--horizon NaN", name: "horn.csv", text: OK, args: &["predict", "{f}", "--horizon", "nan"], code: 2, want: &["--horizon NaN"] },
    Case { what: "--horizon in words", name: "horw.csv", text: OK, args: &["predict", "{f}", "--horizon", "abc"], code: 2, want: &["'abc'", "--horizon"] },
    Case { what: "--unit unknown", name: "unit.csv", text: OK, args: &["summary", "{f}", "--unit", "fortnights"], code: 2, want: &["'fortnights'", "--unit", "days, weeks"] },
    Case { what: "--delimiter of two characters", name: "delim.csv", text: OK, args: &["report", "{f}", "--delimiter", "ab"], code: 2, want: &["--delimiter \"ab\"", "one character"] },
    // Models on data that cannot carry them.
    Case { what: "fit on one-time buyers", name: "once.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n2,2024-02-01,5\n3,2024-01-05,7\n", args: &["fit", "{f}"], code: 2, want: &["no repeat purchases", "cannot be fitted"] },
    Case { what: "predict on one-time buyers", name: "once2.csv", text: b"customer_id,date,amount\n1,2024-01-01,10\n2,2024-02-01,5\n", args: &["predict", "{f}"], code: 2, want: &["no repeat purchases"] },
    // Output that cannot be written.
    Case { what: "an HTML report into a missing folder", name: "out.csv", text: OK, args: &["report", "{f}", "--html", "/nonexistent-retentionkit-dir/r.html"], code: 1, want: &["cannot write /nonexistent-retentionkit-dir/r.html"] },
];

#[test]
fn bad_inputs_exit_with_their_code_and_a_message_that_locates_them() {
    let dir = scratch("bad-inputs");
    let mut failures = Vec::new();
    for c in CASES {
        let path = dir.join(c.name);
        std::fs::write(&path, c.text).unwrap();
        let path = path.to_str().unwrap();
        let args: Vec<String> = c.args.iter().map(|a| a.replace("{f}", path)).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&args);
        let err = stderr(&o);
        let code = o.status.code();
        let missing: Vec<&&str> = c.want.iter().filter(|w| !err.contains(**w)).collect();
        if code != Some(c.code) || !missing.is_empty() {
            failures.push(format!(
                "{}: exit {code:?} (want {}), missing {missing:?} in: {err}",
                c.what, c.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_table_has_the_forty_cases_issue_19_asks_for() {
    assert!(CASES.len() >= 40, "{}", CASES.len());
}

/// One typed-file case (issue 20): what it is, the file it writes into the
/// scratch folder (returning its path), extra arguments, and the fragments
/// of the exit-2 message.
#[cfg(all(feature = "parquet", feature = "ipc"))]
struct Typed {
    what: &'static str,
    make: fn(&str) -> String,
    args: &'static [&'static str],
    want: &'static [&'static str],
}

#[cfg(all(feature = "parquet", feature = "ipc"))]
mod typed {
    use std::sync::Arc;

    use arrow_array::{
        ArrayRef, BooleanArray, Date32Array, Decimal128Array, Float64Array, Int32Array, Int64Array,
        StringArray, TimestampMillisecondArray,
    };

    use super::super::arrow_inputs::{batch, ipc_file, parquet, DAYS};

    fn ids() -> ArrayRef {
        Arc::new(StringArray::from(vec!["a", "b", "a", "c", "b", "a"]))
    }
    fn dates() -> ArrayRef {
        Arc::new(Date32Array::from(DAYS.to_vec()))
    }
    fn amounts() -> ArrayRef {
        Arc::new(Float64Array::from(vec![20.0, 35.0, 15.0, 50.0, 40.0, 25.0]))
    }

    /// The six orders with one column replaced, two rows a row group.
    pub fn with(test: &str, name: &str, column: &str, array: ArrayRef) -> String {
        let mut array = Some(array);
        let cols: Vec<(&str, ArrayRef)> = [
            ("customer_id", ids()),
            ("date", dates()),
            ("amount", amounts()),
        ]
        .into_iter()
        .map(|(n, a)| match array.take_if(|_| n == column) {
            Some(given) => (n, given),
            None => (n, a),
        })
        .collect();
        parquet(test, name, &batch(cols), 2)
    }

    pub fn bool_amount(t: &str) -> String {
        with(
            t,
            "bool.parquet",
            "amount",
            Arc::new(BooleanArray::from(vec![true; 6])),
        )
    }
    pub fn float_id(t: &str) -> String {
        with(t, "floatid.parquet", "customer_id", amounts())
    }
    pub fn null_amount(t: &str) -> String {
        // Row 4 of the file: row group 1 (rows 3 and 4), its row 2.
        let a = Float64Array::from(vec![
            Some(20.0),
            Some(35.0),
            Some(15.0),
            None,
            Some(40.0),
            Some(25.0),
        ]);
        with(t, "nullamount.parquet", "amount", Arc::new(a))
    }
    pub fn null_id(t: &str) -> String {
        // Row 5: row group 2, its row 1.
        let a = StringArray::from(vec![
            Some("a"),
            Some("b"),
            Some("a"),
            Some("c"),
            None,
            Some("a"),
        ]);
        with(t, "nullid.parquet", "customer_id", Arc::new(a))
    }
    pub fn negative_id(t: &str) -> String {
        with(
            t,
            "negid.parquet",
            "customer_id",
            Arc::new(Int64Array::from(vec![1, 2, -1, 3, 2, 1])),
        )
    }
    pub fn old_date(t: &str) -> String {
        // Day -719162 is 0001-01-01, a placeholder: row 6, row group 2, its row 2.
        let mut d = DAYS.to_vec();
        d[5] = -719_162;
        with(t, "olddate.parquet", "date", Arc::new(Date32Array::from(d)))
    }
    pub fn negative_decimal(t: &str) -> String {
        let a = Decimal128Array::from(vec![2000, 3500, -1500, 5000, 4000, 2500])
            .with_precision_and_scale(10, 2)
            .unwrap();
        with(t, "negdec.parquet", "amount", Arc::new(a))
    }
    pub fn unknown_zone(t: &str) -> String {
        let ts = TimestampMillisecondArray::from(
            DAYS.iter()
                .map(|&d| i64::from(d) * 86_400_000)
                .collect::<Vec<_>>(),
        )
        .with_timezone("Mars/Olympus_Mons");
        with(t, "mars.parquet", "date", Arc::new(ts))
    }
    pub fn text_dates(t: &str) -> String {
        with(
            t,
            "words.parquet",
            "date",
            Arc::new(StringArray::from(vec!["soon"; 6])),
        )
    }
    pub fn no_rows(t: &str) -> String {
        // yyyymmdd integer dates: nothing to guess from, nothing to read.
        let dates: ArrayRef = Arc::new(Int32Array::from(vec![20_240_103; 6]));
        let b = batch(vec![
            ("customer_id", ids()),
            ("date", dates),
            ("amount", amounts()),
        ]);
        parquet(t, "norows.parquet", &b.slice(0, 0), 2)
    }
    pub fn truncated(t: &str) -> String {
        let p = with(t, "cut.parquet", "", amounts());
        let bytes = std::fs::read(&p).unwrap();
        std::fs::write(&p, &bytes[..bytes.len() - 12]).unwrap();
        p
    }
    /// The codec of the amount column's chunks edited in the footer: in the
    /// thrift compact encoding, the path "amount" is followed by field 4
    /// (codec, i32: header byte 0x15) whose zigzag value is 2 for snappy
    /// (1), then field 5 (0x16). `codec` is the new zigzag byte.
    pub fn codec(t: &str, name: &str, codec: u8) -> String {
        let p = with(t, name, "", amounts());
        let mut bytes = std::fs::read(&p).unwrap();
        let pattern = b"amount\x15\x02\x16";
        let mut found = 0;
        let mut i = 0;
        while i + pattern.len() <= bytes.len() {
            if &bytes[i..i + pattern.len()] == pattern {
                bytes[i + 7] = codec;
                found += 1;
            }
            i += 1;
        }
        assert!(found > 0, "no codec field found in {p}");
        std::fs::write(&p, bytes).unwrap();
        p
    }
    pub fn lzo(t: &str) -> String {
        codec(t, "lzo.parquet", 6) // LZO = 3
    }
    pub fn unknown_codec(t: &str) -> String {
        codec(t, "codec50.parquet", 100) // 50: no codec
    }
    pub fn ipc_wrong_type(t: &str) -> String {
        let b = batch(vec![
            ("customer_id", ids()),
            ("date", Arc::new(BooleanArray::from(vec![true; 6]))),
            ("amount", amounts()),
        ]);
        ipc_file(t, "booldate.arrow", &b)
    }
    pub fn ipc_truncated(t: &str) -> String {
        let b = batch(vec![
            ("customer_id", ids()),
            ("date", dates()),
            ("amount", amounts()),
        ]);
        let p = ipc_file(t, "cut.feather", &b);
        let bytes = std::fs::read(&p).unwrap();
        std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
        p
    }
}

#[cfg(all(feature = "parquet", feature = "ipc"))]
#[rustfmt::skip]
const TYPED: &[Typed] = &[
    Typed { what: "a boolean amount column", make: typed::bool_amount, args: &[], want: &["bool.parquet: column \"amount\" is of type boolean", "expected order amounts"] },
    Typed { what: "float ids", make: typed::float_id, args: &[], want: &["floatid.parquet: column \"customer_id\" is of type float64", "customer ids"] },
    Typed { what: "a null amount in row group 1", make: typed::null_amount, args: &[], want: &["nullamount.parquet: row 4 (row group 1, row 2): column \"amount\": expected an amount, found an empty value"] },
    Typed { what: "a null id in row group 2", make: typed::null_id, args: &[], want: &["nullid.parquet: row 5 (row group 2, row 1): column \"customer_id\"", "empty value"] },
    Typed { what: "a negative integer id", make: typed::negative_id, args: &[], want: &["negid.parquet: row 3 (row group 1, row 1): column \"customer_id\"", "found -1"] },
    Typed { what: "a placeholder date 0001-01-01", make: typed::old_date, args: &[], want: &["olddate.parquet: row 6 (row group 2, row 2): column \"date\"", "1900-01-01..=2199-12-31"] },
    Typed { what: "a negative decimal amount", make: typed::negative_decimal, args: &[], want: &["negdec.parquet: row 3 (row group 1, row 1): column \"amount\"", "non-negative", "-15"] },
    Typed { what: "a time zone no one knows", make: typed::unknown_zone, args: &[], want: &["mars.parquet: column \"date\"", "time zone \"Mars/Olympus_Mons\""] },
    Typed { what: "text dates in no format", make: typed::text_dates, args: &[], want: &["words.parquet: column \"date\"", "--date-format"] },
    Typed { what: "text dates not in the format given", make: typed::text_dates, args: &["--date-format", "iso"], want: &["words.parquet: row 1 (row group 0, row 1): column \"date\"", "\"soon\""] },
    Typed { what: "a Parquet file without rows", make: typed::no_rows, args: &[], want: &["norows.parquet: no rows left to analyse"] },
    Typed { what: "a truncated footer", make: typed::truncated, args: &[], want: &["cut.parquet: not a readable Parquet file"] },
    Typed { what: "an LZO-compressed column", make: typed::lzo, args: &[], want: &["lzo.parquet: column \"amount\", row group 0 (at byte", "LZO"] },
    Typed { what: "a codec number no Parquet writer uses", make: typed::unknown_codec, args: &[], want: &["codec50.parquet: not a readable Parquet file"] },
    Typed { what: "an Arrow IPC file with boolean dates", make: typed::ipc_wrong_type, args: &[], want: &["booldate.arrow: column \"date\" is of type boolean"] },
    Typed { what: "a truncated Arrow IPC file", make: typed::ipc_truncated, args: &[], want: &["cut.feather: not a readable Arrow IPC file"] },
];

#[cfg(all(feature = "parquet", feature = "ipc"))]
#[test]
fn typed_files_exit_2_naming_the_file_the_column_and_the_row_group() {
    let mut failures = Vec::new();
    for c in TYPED {
        let path = (c.make)("bad-typed");
        let mut args = vec!["summary", path.as_str()];
        args.extend_from_slice(c.args);
        let o = run(&args);
        let err = stderr(&o);
        let missing: Vec<&&str> = c.want.iter().filter(|w| !err.contains(**w)).collect();
        if o.status.code() != Some(2) || !missing.is_empty() {
            failures.push(format!(
                "{}: exit {:?}, missing {missing:?} in: {err}",
                c.what,
                o.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[cfg(all(feature = "parquet", feature = "ipc"))]
#[test]
fn skipped_typed_rows_are_listed_by_their_row_in_the_file() {
    // The null amount of row 4 is skipped: 5 orders left.
    let path = typed::null_amount("skip-typed");
    let o = run(&["summary", &path, "--skip-bad-rows"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("5 rows"), "{err}");
    assert!(err.contains("skipped 1 bad row(s), at line(s) 4"), "{err}");
}
