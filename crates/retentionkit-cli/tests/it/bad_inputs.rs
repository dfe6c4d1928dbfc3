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
