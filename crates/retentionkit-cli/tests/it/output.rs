//! Issue 20, the output side: the result tables of `summary`, `predict` and
//! `cohorts` written by the fast CSV writer (the same bytes as before),
//! `--output FILE` as CSV or Parquet, and errors naming the file.

#[cfg(feature = "parquet")]
use super::{data, run};
use super::{fails, ok, scratch, stderr, stdout};

/// FNV-1a, 64 bits: a fingerprint of an output too large to commit.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The demo shop's outputs as printed by main's binary (commit 6196462,
/// `target/release/retentionkit ARGS -q | wc -c` and FNV-1a of the bytes)
/// before the CSV writer was rewritten with typed columns: the rewrite
/// must not change a byte. Length, fingerprint, the start of the
/// first data line.
const DEMO_OUTPUTS: &[(&[&str], usize, u64, &str)] = &[
    (&["summary"], SUMMARY_LEN, SUMMARY_FNV, SUMMARY_LINE),
    (
        &["summary", "--unit", "weeks"],
        WEEKS_LEN,
        WEEKS_FNV,
        WEEKS_LINE,
    ),
    (&["predict"], PREDICT_LEN, PREDICT_FNV, PREDICT_LINE),
    (&["cohorts"], COHORTS_LEN, COHORTS_FNV, COHORTS_LINE),
    (
        &["cohorts", "--fractions", "--period", "week"],
        FRACTIONS_LEN,
        FRACTIONS_FNV,
        FRACTIONS_LINE,
    ),
    (
        &["cohorts", "--fractions", "--brackets", "0,1-2,3-5,6+"],
        BRACKETS_LEN,
        BRACKETS_FNV,
        BRACKETS_LINE,
    ),
];

const SUMMARY_LEN: usize = 1_490_559;
const SUMMARY_FNV: u64 = 0xcf17_6879_1c40_02b0;
const SUMMARY_LINE: &str =
    "1,9,567,1094,78.86888888888888,2021-01-01,2022-07-22,10,734.5399999999998,2,5,5,cannot los";
const WEEKS_LEN: usize = 1_900_379;
const WEEKS_FNV: u64 = 0x63e4_dbff_a797_1765;
const WEEKS_LINE: &str =
    "1,9,81,156.28571428571428,78.86888888888888,2021-01-01,2022-07-22,10,734.5399999999998,2,5";
/// `predict`'s numbers moved in their last digits when BG/NBD's expected
/// purchases began to multiply the weights of their sum over purchases
/// directly (`models::counts::beta_geometric_mean`, 2026-12-07): 32,390 of
/// its `expected_purchases` and `clv` values differ from commit 6196462's, by
/// at most 2.0e-14 relative (a comparison of the two binaries' CSVs, column by
/// column); every other byte is the same. The fingerprint is now that of the
/// binary of commit 9977866 (the first data line was …0.08353873035914257).
const PREDICT_LEN: usize = 2_086_337;
const PREDICT_FNV: u64 = 0x990a_22e9_ce22_1c8e;
const PREDICT_LINE: &str =
    "1,9,81,156.28571428571428,0.030291679175483453,0.08353873035914261,74.88566018681513,5.893";
const COHORTS_LEN: usize = 3_322;
const COHORTS_FNV: u64 = 0xbda9_ad03_b245_acd9;
const COHORTS_LINE: &str =
    "2021-01,375,375,94,88,70,59,55,59,53,38,47,49,41,41,39,34,34,41,30,37,32,21,28,24,27,24,25";
const FRACTIONS_LEN: usize = 235_032;
const FRACTIONS_FNV: u64 = 0xc034_1fb0_38bc_b4aa;
const FRACTIONS_LINE: &str =
    "2020-W53,34,1,0.20588235294117646,0.11764705882352941,0.11764705882352941,0.08823529411764";
const BRACKETS_LEN: usize = 2_584;
const BRACKETS_FNV: u64 = 0xeb6e_ae92_e550_4d8a;
const BRACKETS_LINE: &str =
    "2021-01,375,1,0.36533333333333334,0.33066666666666666,0.4613333333333333,6+";

#[test]
fn demo_outputs_are_byte_for_byte_as_before() {
    for &(args, len, hash, line) in DEMO_OUTPUTS {
        let mut all = args.to_vec();
        all.push("-q");
        let o = ok(&all);
        let out = &o.stdout;
        let second = stdout(&o).lines().nth(1).unwrap_or_default().to_string();
        assert!(
            second.starts_with(line),
            "{args:?}: first data line {second}"
        );
        assert_eq!(out.len(), len, "{args:?}: length");
        assert_eq!(fnv1a(out), hash, "{args:?}: fingerprint");
    }
}

#[test]
fn output_csv_file_holds_the_stdout_bytes() {
    let dir = scratch("output-csv");
    for args in [
        &["summary"][..],
        &["predict"],
        &["cohorts", "--brackets", "1-2,3+"],
    ] {
        let path = dir.join("out.csv");
        let path = path.to_str().unwrap();
        let mut with_file = args.to_vec();
        with_file.extend(["--output", path]);
        let o = ok(&with_file);
        assert!(o.stdout.is_empty());
        assert!(
            stderr(&o).contains(&format!("wrote {path}")),
            "{}",
            stderr(&o)
        );
        let mut to_stdout = args.to_vec();
        to_stdout.push("-q");
        assert_eq!(
            std::fs::read(path).unwrap(),
            ok(&to_stdout).stdout,
            "{args:?}"
        );
        // `-` is stdout.
        let mut dash = to_stdout.clone();
        dash.extend(["-o", "-"]);
        assert_eq!(ok(&dash).stdout, ok(&to_stdout).stdout, "{args:?}");
    }
    // No temporary file is left next to the output.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["out.csv"]);
}

#[test]
fn output_that_cannot_be_written_names_the_file() {
    // Not bad input: exit code 1, as `report --html` into a missing folder.
    fails(
        &["summary", "-q", "--output", "/no/such/dir/s.csv"],
        1,
        "cannot write /no/such/dir/s.csv: No such file or directory",
    );
    fails(
        &["cohorts", "-q", "--output", "/no/such/dir/c.parquet"],
        1,
        "cannot write /no/such/dir/c.parquet",
    );
    // The target is a folder: the complete temporary file cannot take its
    // name, and is removed.
    let dir = scratch("output-folder");
    let target = dir.join("taken.csv");
    std::fs::create_dir_all(&target).unwrap();
    let target = target.to_str().unwrap();
    fails(
        &["predict", "-q", "--output", target],
        1,
        &format!("cannot write {target}"),
    );
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["taken.csv"]);
    // An empty name is a usage error, found before the input is read.
    fails(
        &["summary", "--output", "", "/no/such/file.csv"],
        2,
        "--output: give a file name",
    );
}

#[cfg(feature = "parquet")]
mod parquet_output {
    use parquet::basic::{LogicalType, Repetition, Type as PhysicalType};
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    use super::{data, ok, run, scratch, stdout};

    /// A Parquet value as the CSV prints it.
    fn text(f: &Field) -> String {
        match f {
            Field::Null => String::new(),
            Field::ULong(n) => n.to_string(),
            Field::Double(x) => format!("{x}"),
            Field::Str(s) => s.clone(),
            Field::Date(d) => retentionkit::period::format_day(*d),
            other => panic!("unexpected Parquet value {other:?}"),
        }
    }

    /// A column's name, physical and logical type and repetition.
    type ColumnInfo = (String, PhysicalType, Option<LogicalType>, Repetition);

    /// Column names, types and the rows as CSV text.
    fn read(path: &str) -> (Vec<ColumnInfo>, String) {
        let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        let columns = schema
            .columns()
            .iter()
            .map(|c| {
                let t = c.self_type();
                let info = t.get_basic_info();
                (
                    c.name().to_string(),
                    c.physical_type(),
                    info.logical_type_ref().cloned(),
                    info.repetition(),
                )
            })
            .collect::<Vec<_>>();
        let mut csv = columns
            .iter()
            .map(|c| c.0.as_str())
            .collect::<Vec<_>>()
            .join(",")
            + "\n";
        for row in reader.get_row_iter(None).unwrap() {
            let row = row.unwrap();
            let cells: Vec<String> = row.get_column_iter().map(|(_, f)| text(f)).collect();
            csv += &cells.join(",");
            csv.push('\n');
        }
        (columns, csv)
    }

    #[test]
    fn parquet_holds_the_csv_values_with_their_types() {
        let dir = scratch("output-parquet");
        let path = dir.join("out.parquet");
        let path = path.to_str().unwrap();
        for args in [
            &["summary"][..],
            &["predict"],
            &["cohorts"],
            &["cohorts", "--fractions", "--brackets", "0,1-2,3+"],
        ] {
            let mut with_file = args.to_vec();
            with_file.extend(["-q", "--output", path]);
            ok(&with_file);
            let mut plain = args.to_vec();
            plain.push("-q");
            let csv = stdout(&ok(&plain));
            let (columns, back) = read(path);
            assert_eq!(back, csv, "{args:?}");
            if args[0] != "cohorts" {
                let id = &columns[0];
                assert_eq!(id.0, "customer_id");
                assert_eq!(id.1, PhysicalType::INT64);
                assert_eq!(id.2, Some(LogicalType::integer(64, false)));
                assert_eq!(id.3, Repetition::REQUIRED);
            }
        }
        // The summary's days are DATEs, its amounts DOUBLEs; in a log
        // without amounts, the spend columns are all nulls.
        ok(&["summary", "-q", "--output", path]);
        let (columns, _) = read(path);
        let first = columns.iter().find(|c| c.0 == "first_order").unwrap();
        assert_eq!(
            (first.1, first.2.clone()),
            (PhysicalType::INT32, Some(LogicalType::Date))
        );
        let spend = columns.iter().find(|c| c.0 == "monetary_value").unwrap();
        assert_eq!(
            (spend.1, spend.3),
            (PhysicalType::DOUBLE, Repetition::REQUIRED)
        );
        ok(&[
            "summary",
            "-q",
            &data("small.csv"),
            "--amount",
            "none",
            "--output",
            path,
        ]);
        let (columns, back) = read(path);
        let spend = columns.iter().find(|c| c.0 == "monetary_value").unwrap();
        assert_eq!(spend.3, Repetition::OPTIONAL);
        let csv = stdout(&ok(&[
            "summary",
            "-q",
            &data("small.csv"),
            "--amount",
            "none",
        ]));
        assert_eq!(back, csv);
    }

    #[test]
    fn text_ids_are_strings() {
        // ids.parquet holds text ids (tests/data/SOURCES.md).
        let dir = scratch("output-parquet-ids");
        let path = dir.join("ids.parquet");
        let path = path.to_str().unwrap();
        ok(&["summary", "-q", &data("ids.parquet"), "--output", path]);
        let (columns, back) = read(path);
        assert_eq!(columns[0].1, PhysicalType::BYTE_ARRAY);
        assert_eq!(columns[0].2, Some(LogicalType::String));
        let o = run(&["summary", "-q", &data("ids.parquet")]);
        assert_eq!(back, stdout(&o));
    }
}

#[test]
fn predict_pmf_and_dert_add_columns_after_the_unchanged_ones() {
    // CDNOW sample (2,357 customers): the default columns keep their bytes,
    // then p_purchases_0..3, probability_alive_at_horizon and dert.
    let file = super::cdnow();
    let plain = stdout(&ok(&["predict", &file, "--id", "2", "-q"]));
    let more = stdout(&ok(&[
        "predict", &file, "--id", "2", "-q", "--pmf", "3", "--dert", "0.00269",
    ]));
    let (plain_lines, more_lines): (Vec<&str>, Vec<&str>) =
        (plain.lines().collect(), more.lines().collect());
    assert_eq!(plain_lines.len(), more_lines.len());
    let header: Vec<&str> = more_lines[0].split(',').collect();
    let base = plain_lines[0].split(',').count();
    assert_eq!(
        header[base..],
        [
            "p_purchases_0",
            "p_purchases_1",
            "p_purchases_2",
            "p_purchases_3",
            "probability_alive_at_horizon",
            "dert"
        ]
    );
    let alive = header
        .iter()
        .position(|&h| h == "probability_alive")
        .unwrap();
    for (a, b) in plain_lines.iter().zip(&more_lines).skip(1) {
        assert!(b.starts_with(&format!("{a},")), "{a} / {b}");
        let v: Vec<f64> = b
            .split(',')
            .skip(base)
            .map(|x| x.parse().unwrap())
            .collect();
        let p_alive: f64 = b.split(',').nth(alive).unwrap().parse().unwrap();
        // Probabilities of disjoint counts: at most 1 together; no purchase
        // is at least the chance of being gone already; alive later is at
        // most alive now; DERT is positive.
        assert!(v[..4].iter().all(|p| (0.0..=1.0).contains(p)));
        assert!(v[..4].iter().sum::<f64>() <= 1.0 + 1e-12);
        assert!(v[0] >= 1.0 - p_alive - 1e-12);
        assert!(v[4] <= p_alive && v[4] > 0.0);
        assert!(v[5] > 0.0);
    }
    fails(
        &["predict", &file, "--id", "2", "-q", "--dert", "0"],
        2,
        "discount_rate",
    );
    fails(
        &["predict", &file, "--id", "2", "-q", "--pmf", "100001"],
        2,
        "max_n",
    );
}
