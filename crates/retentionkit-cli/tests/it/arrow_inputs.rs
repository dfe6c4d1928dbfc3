//! Parquet and Arrow IPC of every type family the reader takes (issue 20),
//! and standard input. Each file holds the six orders of
//! tests/data/small.csv, so its `summary` must be `SMALL_SUMMARY`:
//!
//! | customer | date (day since 1970-01-01) | amount |
//! |---|---|---|
//! | a | 2024-01-03 (19725) | 20 |
//! | b | 2024-01-20 (19742) | 35 |
//! | a | 2024-02-02 (19755) | 15 |
//! | c | 2024-02-14 (19767) | 50 |
//! | b | 2024-03-01 (19783) | 40 |
//! | a | 2024-03-09 (19791) | 25 |
//!
//! (2024-01-01 is day 19723: 54 years of 365 days and 13 leap days.)

use std::io::Write;
use std::process::Stdio;
use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, Date32Array, Date64Array, Decimal128Array, Decimal256Array, DictionaryArray,
    Float32Array, Float64Array, Int32Array, Int64Array, LargeStringArray, RecordBatch, StringArray,
    StringViewArray, TimestampMicrosecondArray, TimestampMillisecondArray,
    TimestampNanosecondArray, UInt16Array,
};
use arrow_schema::{Field, Schema};

use super::{bin, btyd_columns, ok, scratch, stderr, stdout, SMALL_SUMMARY};

/// The days of the six orders.
pub const DAYS: [i32; 6] = [19725, 19742, 19755, 19767, 19783, 19791];
const IDS: [&str; 6] = ["a", "b", "a", "c", "b", "a"];
const AMOUNTS: [f64; 6] = [20.0, 35.0, 15.0, 50.0, 40.0, 25.0];
const DAY_MS: i64 = 86_400_000;

/// A batch of the named columns.
pub fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap()
}

/// Write `batch` as Parquet (`rows` rows a row group) into the scratch
/// folder of `test`; its path.
pub fn parquet(test: &str, name: &str, batch: &RecordBatch, rows: usize) -> String {
    let path = scratch(test).join(name);
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(rows))
        .set_compression(parquet::basic::Compression::SNAPPY)
        .build();
    let mut w = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&path).unwrap(),
        batch.schema(),
        Some(props),
    )
    .unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
    path.to_str().unwrap().to_string()
}

/// Write `batch` as an Arrow IPC file into the scratch folder of `test`.
pub fn ipc_file(test: &str, name: &str, batch: &RecordBatch) -> String {
    let path = scratch(test).join(name);
    let mut w = arrow_ipc::writer::FileWriter::try_new(
        std::fs::File::create(&path).unwrap(),
        &batch.schema(),
    )
    .unwrap();
    w.write(batch).unwrap();
    w.finish().unwrap();
    path.to_str().unwrap().to_string()
}

fn strings() -> ArrayRef {
    Arc::new(StringArray::from(IDS.to_vec()))
}

fn date32() -> ArrayRef {
    Arc::new(Date32Array::from(DAYS.to_vec()))
}

fn float64() -> ArrayRef {
    Arc::new(Float64Array::from(AMOUNTS.to_vec()))
}

/// The summary of `path` must be small.csv's (with `ids` for a, b, c).
#[track_caller]
fn summary_is_small(path: &str, ids: [&str; 3]) {
    let o = ok(&["summary", "-q", path]);
    let want = SMALL_SUMMARY
        .replace("\na,", &format!("\n{},", ids[0]))
        .replace("\nb,", &format!("\n{},", ids[1]))
        .replace("\nc,", &format!("\n{},", ids[2]));
    assert_eq!(btyd_columns(&stdout(&o)), want, "{path}");
}

#[test]
fn ids_integer_string_and_dictionary() {
    let t = "arrow-ids";
    // Integer ids 1, 2, 3 for a, b, c: printed as the integers.
    let ints: ArrayRef = Arc::new(Int64Array::from(vec![1, 2, 1, 3, 2, 1]));
    let p = parquet(
        t,
        "int.parquet",
        &batch(vec![
            ("customer_id", ints),
            ("date", date32()),
            ("amount", float64()),
        ]),
        4,
    );
    summary_is_small(&p, ["1", "2", "3"]);
    let small: ArrayRef = Arc::new(UInt16Array::from(vec![1, 2, 1, 3, 2, 1]));
    let p = parquet(
        t,
        "u16.parquet",
        &batch(vec![
            ("customer_id", small),
            ("date", date32()),
            ("amount", float64()),
        ]),
        4,
    );
    summary_is_small(&p, ["1", "2", "3"]);
    // Strings, large strings, string views and a dictionary of strings,
    // with surrounding blanks trimmed (" a" is a).
    let spaced: ArrayRef = Arc::new(StringArray::from(vec!["a", "b ", " a", "c", "b", "a"]));
    let p = parquet(
        t,
        "str.parquet",
        &batch(vec![
            ("customer_id", spaced),
            ("date", date32()),
            ("amount", float64()),
        ]),
        4,
    );
    summary_is_small(&p, ["a", "b", "c"]);
    let large: ArrayRef = Arc::new(LargeStringArray::from(IDS.to_vec()));
    let p = parquet(
        t,
        "large.parquet",
        &batch(vec![
            ("customer_id", large),
            ("date", date32()),
            ("amount", float64()),
        ]),
        4,
    );
    summary_is_small(&p, ["a", "b", "c"]);
    let view: ArrayRef = Arc::new(StringViewArray::from(IDS.to_vec()));
    let p = ipc_file(
        t,
        "view.arrow",
        &batch(vec![
            ("customer_id", view),
            ("date", date32()),
            ("amount", float64()),
        ]),
    );
    summary_is_small(&p, ["a", "b", "c"]);
    let dict: ArrayRef = Arc::new(IDS.iter().copied().collect::<DictionaryArray<Int32Type>>());
    let p = parquet(
        t,
        "dict.parquet",
        &batch(vec![
            ("customer_id", dict.clone()),
            ("date", date32()),
            ("amount", float64()),
        ]),
        4,
    );
    summary_is_small(&p, ["a", "b", "c"]);
    let p = ipc_file(
        t,
        "dict.feather",
        &batch(vec![
            ("customer_id", dict),
            ("date", date32()),
            ("amount", float64()),
        ]),
    );
    summary_is_small(&p, ["a", "b", "c"]);
}

#[test]
fn dates_and_timestamps_with_and_without_a_zone() {
    let t = "arrow-dates";
    let with = |name: &str, date: ArrayRef| {
        let p = parquet(
            t,
            name,
            &batch(vec![
                ("customer_id", strings()),
                ("date", date),
                ("amount", float64()),
            ]),
            4,
        );
        summary_is_small(&p, ["a", "b", "c"]);
    };
    with(
        "date64.parquet",
        Arc::new(Date64Array::from(
            DAYS.iter()
                .map(|&d| i64::from(d) * DAY_MS)
                .collect::<Vec<_>>(),
        )),
    );
    // No zone: 23:00 on the day as written is that day.
    let late: Vec<i64> = DAYS
        .iter()
        .map(|&d| i64::from(d) * DAY_MS + 23 * 3_600_000)
        .collect();
    with(
        "ms.parquet",
        Arc::new(TimestampMillisecondArray::from(late.clone())),
    );
    with(
        "us.parquet",
        Arc::new(TimestampMicrosecondArray::from(
            late.iter().map(|v| v * 1000).collect::<Vec<_>>(),
        )),
    );
    with(
        "ns.parquet",
        Arc::new(TimestampNanosecondArray::from(
            late.iter().map(|v| v * 1_000_000).collect::<Vec<_>>(),
        )),
    );
    // UTC: the same instants, the same days.
    with(
        "utc.parquet",
        Arc::new(TimestampMillisecondArray::from(late).with_timezone("UTC")),
    );
    // +02:00: 23:00 UTC of the day before is 01:00 of the day in that zone
    // (the UTC date would be a day early).
    let before: Vec<i64> = DAYS
        .iter()
        .map(|&d| i64::from(d) * DAY_MS - 3_600_000)
        .collect();
    with(
        "plus2.parquet",
        Arc::new(TimestampMillisecondArray::from(before.clone()).with_timezone("+02:00")),
    );
    with(
        "plus2us.parquet",
        Arc::new(
            TimestampMicrosecondArray::from(before.iter().map(|v| v * 1000).collect::<Vec<_>>())
                .with_timezone("+02:00"),
        ),
    );
    // Europe/Berlin is UTC+1 until 2024-03-31: 23:30 UTC of the day before
    // is 00:30 of the day in Berlin.
    let half: Vec<i64> = DAYS
        .iter()
        .map(|&d| i64::from(d) * DAY_MS - 1_800_000)
        .collect();
    with(
        "berlin.parquet",
        Arc::new(
            TimestampNanosecondArray::from(half.iter().map(|v| v * 1_000_000).collect::<Vec<_>>())
                .with_timezone("Europe/Berlin"),
        ),
    );
    // Text dates in two of the CSV reader's formats, and yyyymmdd integers.
    let iso = [
        "2024-01-03",
        "2024-01-20",
        "2024-02-02",
        "2024-02-14",
        "2024-03-01",
        "2024-03-09",
    ];
    with("iso.parquet", Arc::new(StringArray::from(iso.to_vec())));
    let dmy: Vec<String> = iso
        .iter()
        .map(|s| format!("{}.{}.{}", &s[8..], &s[5..7], &s[..4]))
        .collect();
    let p = parquet(
        t,
        "dmy.parquet",
        &batch(vec![
            ("customer_id", strings()),
            ("date", Arc::new(StringArray::from(dmy))),
            ("amount", float64()),
        ]),
        4,
    );
    let o = ok(&["summary", "-q", &p, "--date-format", "%d.%m.%Y"]);
    assert_eq!(btyd_columns(&stdout(&o)), SMALL_SUMMARY);
    let compact: Vec<i32> = iso
        .iter()
        .map(|s| s.replace('-', "").parse().unwrap())
        .collect();
    with("compact.parquet", Arc::new(Int32Array::from(compact)));
}

#[test]
fn amounts_of_every_number_type() {
    let t = "arrow-amounts";
    let with = |name: &str, amount: ArrayRef| {
        let p = parquet(
            t,
            name,
            &batch(vec![
                ("customer_id", strings()),
                ("date", date32()),
                ("amount", amount),
            ]),
            4,
        );
        summary_is_small(&p, ["a", "b", "c"]);
    };
    // 20.00 as the decimal 2000 with scale 2, and so on.
    let cents: Vec<i128> = vec![2000, 3500, 1500, 5000, 4000, 2500];
    with(
        "dec128.parquet",
        Arc::new(
            Decimal128Array::from(cents.clone())
                .with_precision_and_scale(10, 2)
                .unwrap(),
        ),
    );
    with(
        "dec256.parquet",
        Arc::new(
            Decimal256Array::from(
                cents
                    .iter()
                    .map(|&c| arrow_buffer::i256::from_i128(c))
                    .collect::<Vec<_>>(),
            )
            .with_precision_and_scale(40, 2)
            .unwrap(),
        ),
    );
    with(
        "f32.parquet",
        Arc::new(Float32Array::from(vec![
            20.0_f32, 35.0, 15.0, 50.0, 40.0, 25.0,
        ])),
    );
    with(
        "i32.parquet",
        Arc::new(Int32Array::from(vec![20, 35, 15, 50, 40, 25])),
    );
}

#[test]
fn ipc_file_and_stream_read_like_parquet() {
    let t = "arrow-ipc";
    let b = batch(vec![
        ("customer_id", strings()),
        ("date", date32()),
        ("amount", float64()),
    ]);
    summary_is_small(&ipc_file(t, "small.arrow", &b), ["a", "b", "c"]);
    let path = scratch(t).join("small.ipc");
    let mut w = arrow_ipc::writer::StreamWriter::try_new(
        std::fs::File::create(&path).unwrap(),
        &b.schema(),
    )
    .unwrap();
    // Two batches of three rows: the parts are joined in order.
    w.write(&b.slice(0, 3)).unwrap();
    w.write(&b.slice(3, 3)).unwrap();
    w.finish().unwrap();
    summary_is_small(path.to_str().unwrap(), ["a", "b", "c"]);
}

/// Run `args` with `input` on standard input.
fn with_stdin(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_dash_reads_the_log_from_standard_input() {
    let csv = std::fs::read(super::data("small.csv")).unwrap();
    let o = with_stdin(&["summary", "-"], &csv);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(btyd_columns(&stdout(&o)), SMALL_SUMMARY);
    assert!(stderr(&o).contains("read -: 6 rows"), "{}", stderr(&o));
    // gzip-compressed.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&csv).unwrap();
    let o = with_stdin(&["summary", "-q", "-"], &gz.finish().unwrap());
    assert_eq!(btyd_columns(&stdout(&o)), SMALL_SUMMARY);
    // Parquet, told by its magic bytes.
    let b = batch(vec![
        ("customer_id", strings()),
        ("date", date32()),
        ("amount", float64()),
    ]);
    let p = std::fs::read(parquet("arrow-stdin", "small.parquet", &b, 4)).unwrap();
    let o = with_stdin(&["summary", "-q", "-"], &p);
    assert_eq!(btyd_columns(&stdout(&o)), SMALL_SUMMARY);
    // A bad line is named as the standard input's.
    let o = with_stdin(
        &["summary", "-"],
        b"customer_id,date,amount\n1,2024-01-01,x\n",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("<stdin>:2: column \"amount\""),
        "{}",
        stderr(&o)
    );
}
