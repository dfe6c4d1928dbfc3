//! The `retentionkit` binary run on small files: every subcommand and every
//! error path (exit code and message).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output};

#[cfg(all(feature = "parquet", feature = "ipc"))]
mod arrow_inputs;
mod bad_inputs;
mod covariates;
#[cfg(all(feature = "parquet", feature = "ipc"))]
mod fuzz_corpora;
mod input;
mod output;
mod survival;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_retentionkit"))
}

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn cdnow() -> String {
    format!(
        "{}/../../tests/data/CDNOW_sample.txt",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A fresh scratch folder for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("retentionkit-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[track_caller]
fn ok(args: &[&str]) -> Output {
    let o = run(args);
    assert!(
        o.status.success(),
        "{args:?} failed: {}\n{}",
        stderr(&o),
        stdout(&o)
    );
    o
}

/// Runs `args`, expects exit code `code` and an error message containing `want`.
#[track_caller]
fn fails(args: &[&str], code: i32, want: &str) -> String {
    let o = run(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
    assert!(err.contains(want), "{args:?}: expected {want:?} in {err:?}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("RUST_BACKTRACE"), "{err}");
    err
}

// small.csv: a orders on 2024-01-03, 02-02, 03-09 (20, 15, 25); b on 01-20,
// 03-01 (35, 40); c on 02-14 (50). Observation end 2024-03-09 (2024 is a leap year).
// By hand, in days: a: x = 2, t_x = T = 28 + 29 + 9 = 66, mean repeat spend
// (15 + 25) / 2 = 20; b: x = 1, t_x = 11 + 29 + 1 = 41, T = 11 + 29 + 9 = 49,
// 40; c: x = 0, t_x = 0, T = 15 + 9 = 24, 0.
const SMALL_SUMMARY: &str = "\
customer_id,frequency,recency,T,monetary_value,first_order,last_order
a,2,66,66,20,2024-01-03,2024-03-09
b,1,41,49,40,2024-01-20,2024-03-01
c,0,0,24,0,2024-02-14,2024-02-14
";

/// The BTYD columns of `summary` output (the RFM scores are the core's, tested there).
fn btyd_columns(csv: &str) -> String {
    csv.lines()
        .map(|l| l.split(',').take(7).collect::<Vec<_>>().join(",") + "\n")
        .collect()
}

#[test]
fn summary_of_a_small_csv() {
    let o = ok(&["summary", &data("small.csv")]);
    assert_eq!(btyd_columns(&stdout(&o)), SMALL_SUMMARY);
    // The columns read are named on stderr.
    let err = stderr(&o);
    assert!(
        err.contains(r#"id = "customer_id", date = "order_date""#),
        "{err}"
    );
    assert!(err.contains(r#"amount = "amount""#), "{err}");
}

#[test]
fn summary_in_weeks() {
    let o = ok(&["summary", "--unit", "weeks", "-q", &data("small.csv")]);
    let out = stdout(&o);
    let c = out.lines().nth(3).unwrap(); // customer c: T = 24 days = 24/7 weeks
    assert!(c.starts_with(&format!("c,0,0,{},0,", 24.0 / 7.0)), "{c}");
}

#[test]
fn parquet_and_gzip_read_like_the_csv() {
    let o = ok(&["summary", "-q", &data("small.parquet")]);
    assert_eq!(btyd_columns(&stdout(&o)), SMALL_SUMMARY);

    // The same file, semicolon-separated, with CRLF line ends, gzip-compressed.
    let dir = scratch("gzip");
    let text = std::fs::read_to_string(data("small.csv"))
        .unwrap()
        .replace(',', ";")
        .replace('\n', "\r\n");
    let path = dir.join("small.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
    let o = ok(&["summary", path.to_str().unwrap()]);
    assert_eq!(btyd_columns(&stdout(&o)), SMALL_SUMMARY);
    assert!(stderr(&o).contains("delimiter ';'"), "{}", stderr(&o));
}

#[test]
fn headerless_file_with_named_columns_and_date_format() {
    // Day-first dates, no header, columns chosen by number.
    let dir = scratch("headerless");
    let path = dir.join("orders.txt");
    std::fs::write(
        &path,
        "x|a|03.01.2024|20\nx|b|20.01.2024|35\nx|a|02.02.2024|15\nx|c|14.02.2024|50\nx|b|01.03.2024|40\nx|a|09.03.2024|25\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let o = ok(&[
        "summary",
        p,
        "--id",
        "2",
        "--date",
        "3",
        "--amount",
        "4",
        "--date-format",
        "%d.%m.%Y",
    ]);
    assert_eq!(btyd_columns(&stdout(&o)), SMALL_SUMMARY);
    assert!(stderr(&o).contains("no header"), "{}", stderr(&o));
}

#[test]
fn cohorts_counts_and_fractions() {
    // By hand: January cohort {a, b}: January 2, February 1 (a), March 2 (a, b);
    // February cohort {c}: February 1, March 0; cells after the end are empty.
    let o = ok(&["cohorts", "-q", &data("small.csv")]);
    assert_eq!(
        stdout(&o),
        "cohort,size,0,1,2\n2024-01,2,2,1,2\n2024-02,1,1,0,\n"
    );
    let o = ok(&["cohorts", "-q", "--fractions", &data("small.csv")]);
    assert_eq!(
        stdout(&o),
        "cohort,size,0,1,2\n2024-01,2,1,0.5,1\n2024-02,1,1,0,\n"
    );
    // Quarterly: one cohort of 3 in 2024-Q1.
    let o = ok(&["cohorts", "-q", "--period", "quarter", &data("small.csv")]);
    assert_eq!(stdout(&o), "cohort,size,0\n2024-Q1,3,3\n");
}

#[test]
fn cohorts_read_no_amounts_unless_named() {
    // small.csv with a's February amount negative: cohorts count orders, so
    // the same matrix as small.csv's; named with --amount, the column is
    // read and the bad value stops the run.
    let dir = scratch("cohorts_amounts");
    let file = dir.join("negative.csv");
    let text = std::fs::read_to_string(data("small.csv"))
        .unwrap()
        .replace("a,2024-02-02,15.00", "a,2024-02-02,-15.00");
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap();
    let o = ok(&["cohorts", path]);
    assert_eq!(
        stdout(&o),
        "cohort,size,0,1,2\n2024-01,2,2,1,2\n2024-02,1,1,0,\n"
    );
    assert!(stderr(&o).contains("amount = none"), "{}", stderr(&o));
    fails(&["cohorts", "--amount", "amount", path], 2, "-15");
}

#[test]
fn cohorts_in_brackets() {
    // By hand on small.csv (observed to Mar 9, so March is partly observed):
    // January's cohort {a, b}: months 1-2 (Feb, Mar) a and b; 2+ (Mar on) a and b.
    // February's {c}: months 1-2 (Mar, Apr) nobody; 2+ starts in April: empty.
    // Every bracket holding March or later is partial.
    let o = ok(&[
        "cohorts",
        "-q",
        "--brackets",
        "0, 1-2,2+",
        &data("small.csv"),
    ]);
    assert_eq!(
        stdout(&o),
        "cohort,size,0,1-2,2+,partial\n2024-01,2,2,2,2,1-2;2+\n2024-02,1,1,0,,1-2;2+\n"
    );
    let o = ok(&[
        "cohorts",
        "-q",
        "--fractions",
        "--brackets",
        "1-2",
        &data("small.csv"),
    ]);
    assert_eq!(
        stdout(&o),
        "cohort,size,1-2,partial\n2024-01,2,1,1-2\n2024-02,1,0,1-2\n"
    );
    for bad in ["", "3-1", "x", "1,,2", "-1", "1-", "+2", "4294967294"] {
        fails(
            &[
                "cohorts",
                "-q",
                &format!("--brackets={bad}"),
                &data("small.csv"),
            ],
            2,
            "is not a bracket",
        );
    }
    // Order and count are the core's checks.
    fails(
        &["cohorts", "-q", "--brackets", "2,1", &data("small.csv")],
        2,
        "order them by start",
    );
}

#[test]
fn report_terminal_json_and_html() {
    let dir = scratch("report");
    let html = dir.join("report.html");
    let o = ok(&[
        "report",
        "-q",
        &data("small.csv"),
        "--html",
        html.to_str().unwrap(),
    ]);
    let text = stdout(&o);
    // 20 + 35 + 15 + 50 + 40 + 25 = 185.
    assert!(
        text.contains("6 orders, 3 customers, 2024-01-03 to 2024-03-09, revenue 185"),
        "{text}"
    );
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "wider than 100 columns: {line}"
        );
    }
    // Lifecycle of the complete months (a: Jan Feb Mar; b: Jan Mar; c: Feb):
    // February: c new, a returning, b dormant; quick ratio (1 + 0) / 1.
    assert!(
        text.contains("Lifecycle of the last 2 complete months"),
        "{text}"
    );
    let feb = text
        .lines()
        .find(|l| l.starts_with("2024-02") && l.ends_with("1.00"));
    let cells: Vec<&str> = feb.unwrap_or_default().split_whitespace().collect();
    assert_eq!(
        cells,
        ["2024-02", "1", "1", "0", "-1", "2", "1.00"],
        "{text}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<svg"));
    // The lifecycle chart: stacked bars, dormant below the zero line.
    assert!(page.contains("<h2>Lifecycle</h2>"));
    assert!(page.contains(r#"aria-label="Growth accounting per month""#));
    assert!(page.contains("<title>2024-02: dormant -1</title>"));
    // Self-contained: no script, no link, no image or stylesheet to fetch.
    for banned in ["<script", "<link", " src=", " href="] {
        assert!(!page.contains(banned), "{banned} in the report");
    }

    let o = ok(&["report", "--json", "-q", &data("small.csv")]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["data"]["orders"], 6);
    assert_eq!(v["data"]["customers"], 3);
    assert_eq!(v["data"]["revenue"], 185.0);
    assert_eq!(v["cohorts"]["sizes"], serde_json::json!([2, 1]));
    assert_eq!(
        v["cohorts"]["active"],
        serde_json::json!([[2, 1, 2], [1, 0]])
    );
    // Lifecycle: January a, b new; February as above; March (incomplete, to
    // 9 March) a returning, b resurrecting (January, not February), c dormant.
    let lifecycle: Vec<_> = v["lifecycle"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_i64().unwrap();
            (
                n("new"),
                n("returning"),
                n("resurrecting"),
                n("dormant"),
                n("active"),
            )
        })
        .collect();
    assert_eq!(
        lifecycle,
        [(2, 0, 0, 0, 2), (1, 1, 0, -1, 2), (0, 1, 1, -1, 2)]
    );
    assert!(v["lifecycle"][0]["quick_ratio"].is_null()); // nobody dormant in January
    assert_eq!(v["lifecycle"][2]["quick_ratio"], 1.0); // (0 + 1) / 1
    assert_eq!(v["lifecycle"][2]["complete"], false);
    // Two months of data: no holdout check, and the report says why.
    assert!(v["holdout"].is_null());
    assert!(v["notes"].to_string().contains("holdout check skipped"));
}

#[test]
fn demo_report_without_a_file() {
    let o = ok(&["report", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // DemoOptions::default(): 20,000 customers from 2021-01-01 for 1,095 days, seed 42.
    assert_eq!(v["source"]["kind"], "demo");
    assert_eq!(v["source"]["options"]["seed"], 42);
    assert_eq!(v["data"]["customers"], 20_000);
    assert_eq!(v["data"]["first_day"], "2021-01-01");
    assert!(v["data"]["last_day"].as_str().unwrap() <= "2023-12-31");
    // Three years: the default holdout is the last 26 weeks (182 days before 2023-12-31).
    assert_eq!(v["settings"]["calibration_end"], "2023-07-02");
    assert_eq!(v["holdout"]["holdout_weeks"], 26.0);
    assert!(stderr(&o).contains("built-in demo shop"));
    // The tracking curve's band: the 90 % delta-method interval of the
    // calibration fit's expected curve, symmetric on the log scale, so
    // lower · upper = expected² at every point (E e^{-w} · E e^{w}).
    let t = &v["tracking"];
    assert_eq!(t["model"], "calibration");
    assert_eq!(
        (t["band"]["level"].as_f64(), t["band"]["method"].as_str()),
        (Some(0.9), Some("delta"))
    );
    let col = |k: &str, s: &serde_json::Value| -> Vec<f64> {
        s[k].as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    let (e, lo, hi) = (
        col("expected", t),
        col("lower", &t["band"]),
        col("upper", &t["band"]),
    );
    assert_eq!((lo.len(), hi.len()), (e.len(), e.len()));
    for k in 0..e.len() {
        assert!(
            lo[k] <= e[k] && e[k] <= hi[k],
            "point {k}: {} {} {}",
            lo[k],
            e[k],
            hi[k]
        );
        assert!(
            (lo[k] * hi[k] - e[k] * e[k]).abs() <= 1e-9 * e[k] * e[k],
            "point {k}"
        );
    }
    let last = e.len() - 1;
    assert!(lo[last] < e[last] && e[last] < hi[last]);
    // The total CLV's band: the same construction on the full fit, on all
    // 20,000 customers (the subsample size: all of them).
    let c = &v["clv"];
    let (total, b) = (c["total"].as_f64().unwrap(), &c["total_band"]);
    assert_eq!(
        (
            b["level"].as_f64(),
            b["method"].as_str(),
            b["customers"].as_u64()
        ),
        (Some(0.9), Some("delta"), Some(20_000))
    );
    let (lo, hi) = (b["lower"].as_f64().unwrap(), b["upper"].as_f64().unwrap());
    assert!(lo < total && total < hi);
    assert!((lo * hi - total * total).abs() <= 1e-9 * total * total);
    let dir = scratch("demo-band");
    let html = dir.join("demo.html");
    ok(&["report", "-q", "--html", html.to_str().unwrap()]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<title>90 % interval of the expected curve</title>"));
    assert!(page.contains("The shaded band is the 90 % interval of the expected curve"));
    assert!(page.contains("(90 % interval "));
    // The terminal summary of the demo fits a 100-column terminal.
    let o = ok(&["report", "-q"]);
    for line in stdout(&o).lines() {
        assert!(
            line.chars().count() <= 100,
            "wider than 100 columns: {line}"
        );
    }
}

#[test]
fn cdnow_fit_with_regularity_chooses_k1_and_equals_bg_nbd() {
    // BG/CNBD-k at k = 1 is the BG/NBD (Platzer & Reutterer 2016), so on the
    // whole CDNOW log the regularity fit, which chooses k = 1 (BTYDplus's
    // demo/cdnow.R: "no regularity detected for CDNow"), has the BG/NBD's
    // parameters and log-likelihood.
    let o = ok(&[
        "fit",
        "-q",
        &cdnow(),
        "--id",
        "2",
        "--regularity",
        "bg-cnbd",
        "--max-k",
        "4",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let r = &v["regularity"];
    assert_eq!(r["model"], "BG/CNBD-k");
    let f = &r["fit"]["fit"];
    assert_eq!(
        (f["params"]["k"].as_u64(), f["parameters"].as_u64()),
        (Some(1), Some(5))
    );
    assert_eq!(r["fit"]["candidates"].as_array().unwrap().len(), 4);
    let rel = |a: &serde_json::Value, b: &serde_json::Value| {
        let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
        (a - b).abs() / b.abs()
    };
    assert!(rel(&f["log_likelihood"], &v["bg_nbd"]["log_likelihood"]) < 1e-9);
    for name in ["r", "alpha", "a", "b"] {
        assert!(
            rel(&f["params"][name], &v["bg_nbd"]["params"][name]) < 1e-9,
            "{name}"
        );
    }
    assert!(r["wheat_morrison"]["customers"].as_u64().unwrap() > 0);
    // Without --regularity the JSON has no such part.
    let plain: serde_json::Value =
        serde_json::from_str(&stdout(&ok(&["fit", "-q", &cdnow(), "--id", "2"]))).unwrap();
    assert!(plain.get("regularity").is_none());
}

#[test]
fn cdnow_fit_reproduces_the_published_estimates() {
    // CDNOW sample (whitespace-separated, no header, yyyymmdd), calibration to
    // 1997-09-30 as in Fader, Hardie & Lee (2005), "Counting Your Customers
    // the Easy Way", section 4: r = 0.243, α = 4.414, a = 0.793, b = 2.426,
    // LL = −9582.4 on the 2,357 customers.
    let o = ok(&[
        "fit",
        &cdnow(),
        "--id",
        "2",
        "--calibration-end",
        "1997-09-30",
    ]);
    let err = stderr(&o);
    assert!(err.contains(r#"date = "3" (yyyymmdd"#), "{err}");
    assert!(err.contains(r#"amount = "5""#), "{err}");
    assert!(err.contains("delimiter whitespace, no header"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let h = &v["holdout"];
    let p = &h["fit"]["params"];
    let r3 = |x: &serde_json::Value| (x.as_f64().unwrap() * 1000.0).round() / 1000.0;
    assert_eq!(
        (r3(&p["r"]), r3(&p["alpha"]), r3(&p["a"]), r3(&p["b"])),
        (0.243, 4.414, 0.793, 2.426)
    );
    let ll = h["fit"]["log_likelihood"].as_f64().unwrap();
    assert_eq!((ll * 10.0).round() / 10.0, -9582.4);
    assert_eq!(h["fit"]["customers"], 2_357);
    // 1997-10-01..1998-06-30 is 273 days = 39 weeks.
    assert_eq!(h["holdout_weeks"], 39.0);
    assert_eq!(v["bg_nbd"]["customers"], 2_357);
    // AIC = 2k − 2 LL with k = 4: 8 + 2 · 9582.4 = 19,172.8 from the published
    // LL (rounded to 0.1, so the AIC to within 0.1).
    let f = &h["fit"];
    assert_eq!(f["parameters"], 4);
    assert!((f["aic"].as_f64().unwrap() - 19_172.8).abs() <= 0.1 + 1e-9);
    // BIC = 4 ln 2357 + 19,164.8 = 19,195.86.
    assert!((f["bic"].as_f64().unwrap() - 19_195.86).abs() <= 0.1 + 1e-9);
    // The scorecard on the same split: BG/NBD's row is the holdout fit;
    // Pareto/NBD's LL is FHL 2005's −9595.0; the report keeps BG/NBD.
    let card = &v["scorecard"];
    assert_eq!(card["report_model"], "bg_nbd");
    let rows = card["rows"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["model"].as_str().unwrap()).collect();
    assert_eq!(names, ["bg_nbd", "mbg_nbd", "pareto_nbd"]);
    assert_eq!(rows[0]["criteria"]["log_likelihood"], f["log_likelihood"]);
    assert_eq!(rows[0]["mae"], h["mae"]);
    let pareto = rows[2]["criteria"]["log_likelihood"].as_f64().unwrap();
    assert_eq!((pareto * 10.0).round() / 10.0, -9595.0);
    let best = card["best"].as_str().unwrap();
    let lowest = rows
        .iter()
        .min_by(|a, b| {
            let bic = |r: &serde_json::Value| r["criteria"]["bic"].as_f64().unwrap();
            bic(a).total_cmp(&bic(b))
        })
        .unwrap();
    assert_eq!(lowest["model"], best);
    assert!(card["rule"].as_str().unwrap().starts_with("lowest BIC"));
    // Gamma-Gamma: k = 3, and FHL 2005 ("RFM and CLV")'s 0.11 correlation of
    // frequency and mean spend (here over the whole log's repeat buyers, so
    // only its sign and size are checked: below the 0.3 warning threshold).
    let g = &v["gamma_gamma"];
    assert_eq!(g["parameters"], 3);
    let r = g["spend_correlation"].as_f64().unwrap();
    assert!(r > 0.0 && r < 0.3, "{r}");
    assert!(g["spend_warning"].is_null());
}

#[test]
fn cdnow_report_shows_the_scorecard_and_the_model_it_used() {
    let dir = scratch("scorecard");
    let html = dir.join("report.html");
    let o = ok(&[
        "report",
        "-q",
        &cdnow(),
        "--id",
        "2",
        "--calibration-end",
        "1997-09-30",
        "--html",
        html.to_str().unwrap(),
    ]);
    let text = stdout(&o);
    assert!(text.contains("scorecard, same split"), "{text}");
    for model in ["BG/NBD", "MBG/NBD", "Pareto/NBD"] {
        assert!(text.contains(&format!("  {model} ")), "{model}: {text}");
    }
    assert!(text.contains("This report uses BG/NBD"), "{text}");
    assert!(text.contains("(best)"), "{text}");
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "wider than 100 columns: {line}"
        );
    }
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<h3>Which model</h3>"));
    assert!(page.contains("This report uses BG/NBD"));
    assert!(page.contains("<th>AIC</th><th>BIC</th>"));
    let o = ok(&[
        "report",
        "--json",
        "-q",
        &cdnow(),
        "--id",
        "2",
        "--calibration-end",
        "1997-09-30",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["scorecard"]["report_model"], "bg_nbd");
    assert_eq!(v["scorecard"]["rows"].as_array().unwrap().len(), 3);
    assert_eq!(v["scorecard"]["customers"], 2_357);
}

#[test]
fn cdnow_predictions() {
    // Without a header, columns 1 (the master file's id), 2 (the sample's
    // id) and 4 (the quantity) could each be the id: it is named.
    let o = ok(&["predict", "-q", &cdnow(), "--id", "2", "--horizon", "39"]);
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "customer_id,frequency,recency_weeks,T_weeks,probability_alive,expected_purchases,expected_mean_spend,clv"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2_357);
    for r in &rows {
        let alive: f64 = r[4].parse().unwrap();
        assert!((0.0..=1.0).contains(&alive));
        // BG/NBD: a customer without repeat purchases is alive with probability 1
        // (Fader, Hardie & Lee 2005, eq. 11 with x = 0).
        if r[1] == "0" {
            assert_eq!(alive, 1.0);
        }
        let clv: f64 = r[7].parse().unwrap();
        assert!(clv.is_finite() && clv >= 0.0);
    }
}

#[test]
fn cdnow_predictions_with_intervals() {
    let o = ok(&[
        "predict",
        "-q",
        &cdnow(),
        "--id",
        "2",
        "--horizon",
        "39",
        "--interval",
        "0.9",
    ]);
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "customer_id,frequency,recency_weeks,T_weeks,probability_alive,expected_purchases,expected_mean_spend,clv,\
         probability_alive_lower,probability_alive_upper,expected_purchases_lower,expected_purchases_upper,\
         clv_lower,clv_upper"
    );
    for l in lines {
        let r: Vec<f64> = l.split(',').skip(4).map(|v| v.parse().unwrap()).collect();
        // Each interval holds its estimate; P(alive)'s stays in [0, 1]
        // (the logit scale of docs/metrics.md, "Intervals on parameters and
        // predictions").
        assert!(r[4] <= r[0] && r[0] <= r[5] && r[5] <= 1.0, "{l}");
        assert!(r[6] <= r[1] && r[1] <= r[7] && r[6] > 0.0, "{l}");
        // The CLV's is symmetric on the log scale: lower × upper = CLV²
        // (q e^{−w} · q e^{w}, same section).
        assert!(r[8] <= r[3] && r[3] <= r[9] && r[8] > 0.0, "{l}");
        assert!(
            (r[8] * r[9] - r[3] * r[3]).abs() <= 1e-9 * r[3] * r[3],
            "{l}"
        );
    }
    // A level outside (0, 1) is an input error, not a panic.
    let o = run(&["predict", "-q", &cdnow(), "--id", "2", "--interval", "1.5"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("level"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

#[test]
fn cdnow_clv_intervals_are_the_cores() {
    // The CLV interval with the spend model held fixed is M̄ times the
    // interval of the discounted purchases, so its relative ends
    // clv_lower/clv and clv_upper/clv do not depend on the spend model:
    // the core's, for the same customers (the output's frequency, recency
    // and T) and the same BG/NBD fit, with any Gamma-Gamma model and mean
    // spend, must give the same ratios.
    use retentionkit::models::check::ClvOptions;
    use retentionkit::models::gamma_gamma::GammaGammaParams;
    use retentionkit::models::interval::{fit_intervals, ClvInputs, IntervalRequest, Target};
    use retentionkit::models::repeat::{fit_repeat, RepeatKind};
    use retentionkit::models::RepeatData;
    use retentionkit::optim::FitOptions;
    use retentionkit::summary::TimeUnit;
    let o = ok(&["predict", "-q", &cdnow(), "--id", "2", "--interval", "0.9"]);
    let out = stdout(&o);
    let rows: Vec<Vec<f64>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').skip(1).map(|v| v.parse().unwrap()).collect())
        .collect();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // whole counts
    let x: Vec<u32> = rows.iter().map(|r| r[0] as u32).collect();
    let tx: Vec<f64> = rows.iter().map(|r| r[1]).collect();
    let t: Vec<f64> = rows.iter().map(|r| r[2]).collect();
    let data = RepeatData::grouped(&x, &tx, &t, None).unwrap();
    let fit = fit_repeat(RepeatKind::BgNbd, &data, &FitOptions::default()).unwrap();
    let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    let monetary = vec![20.0; x.len()];
    // The CLI's CLV: 12 months of 4.345 weeks at 1 % a month (docs/cli.md).
    let clv = ClvInputs::new(spend, &monetary, ClvOptions::monthly(TimeUnit::Weeks));
    let r = IntervalRequest::default()
        .with_customers(Some((&x, &tx, &t)))
        .with_clv(Some(clv));
    let core = fit_intervals(&fit, &data, &[Target::Clv], &r)
        .unwrap()
        .remove(0)
        .intervals;
    // Columns after the id: 6 clv, 11 clv_lower, 12 clv_upper.
    for (i, row) in rows.iter().enumerate() {
        let (cli_lo, cli_hi) = (row[11] / row[6], row[12] / row[6]);
        let (lo, hi) = (
            core.lower[i] / core.estimate[i],
            core.upper[i] / core.estimate[i],
        );
        // The two fits agree to the optimiser's tolerance, not to the bit.
        assert!(
            (cli_lo - lo).abs() <= 1e-5,
            "row {i}: {cli_lo} against {lo}"
        );
        assert!(
            (cli_hi - hi).abs() <= 1e-5,
            "row {i}: {cli_hi} against {hi}"
        );
    }
}

#[test]
fn cdnow_bootstrap_intervals_are_seeded() {
    let file = cdnow();
    let run_with = |seed: &str| {
        stdout(&ok(&[
            "predict",
            "-q",
            &file,
            "--id",
            "2",
            "--horizon",
            "39",
            "--interval",
            "0.9",
            "--interval-method",
            "bootstrap",
            "--replicates",
            "20",
            "--seed",
            seed,
        ]))
    };
    let (a, b, c) = (run_with("5"), run_with("5"), run_with("6"));
    assert_eq!(a, b, "the same seed gives the same intervals");
    assert_ne!(a, c);
    for l in a.lines().skip(1) {
        let r: Vec<f64> = l.split(',').skip(4).map(|v| v.parse().unwrap()).collect();
        assert!(r[4] <= r[5] && r[5] <= 1.0 && r[6] <= r[7], "{l}");
        // The CLV's bootstrap interval (the spend model held fixed).
        assert!(r[8] <= r[9] && r[8] > 0.0, "{l}");
    }
    // An unknown method is an input error naming the known ones.
    let o = run(&[
        "predict",
        "-q",
        &cdnow(),
        "--id",
        "2",
        "--interval",
        "0.9",
        "--interval-method",
        "jackknife",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("delta, bootstrap"), "{}", stderr(&o));
    // The bootstrap's settings without --interval are refused by the parser.
    let o = run(&["predict", "-q", &cdnow(), "--id", "2", "--replicates", "5"]);
    assert!(!o.status.success());
}

#[test]
fn bad_value_names_file_line_and_column() {
    let path = data("bad_date.csv");
    fails(
        &["summary", &path],
        2,
        &format!(
            r#"error: {path}:4: column "order_date": expected a date like 2024-01-31, found "2024-13-01""#
        ),
    );
    // Skipped on request, and reported with its line number.
    let o = ok(&["cohorts", &path, "--skip-bad-rows"]);
    assert!(
        stderr(&o).contains("skipped 1 bad row(s), at line(s) 4;"),
        "{}",
        stderr(&o)
    );
    // Without row 4 (a's February order), the January cohort has nobody in February.
    assert_eq!(
        stdout(&o),
        "cohort,size,0,1,2\n2024-01,2,2,0,2\n2024-02,1,1,0,\n"
    );
}

#[test]
fn error_paths() {
    let dir = scratch("errors");
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let neg = write(
        "neg.csv",
        "id,date,amount\n1,2024-01-01,5\n2,2024-01-02,-3\n",
    );
    fails(
        &["summary", &neg],
        2,
        &format!(r#"{neg}:3: column "amount": expected a non-negative amount"#),
    );
    let short = write(
        "short.csv",
        "id,date,amount\n1,2024-01-01,5\n2,2024-01-02\n",
    );
    fails(
        &["summary", &short],
        2,
        &format!(r#"{short}:3: column "amount": missing"#),
    );
    let word = write(
        "word.csv",
        "id,date,amount\n1,2024-01-01,5\n2,2024-01-02,abc\n",
    );
    fails(
        &["summary", &word],
        2,
        &format!(r#"{word}:3: column "amount": expected an amount like 12.50, found "abc""#),
    );
    let empty = write("empty.csv", "");
    fails(&["summary", &empty], 2, "the file has no rows");
    let header_only = write("header.csv", "id,date,amount\n");
    fails(&["summary", &header_only], 2, "no data rows");
    let ambiguous = write("amb.csv", "id,date\n1,01/02/2024\n2,03/04/2024\n");
    fails(&["summary", &ambiguous], 2, "--date-format");
    let gz = dir.join("bad.csv.gz");
    std::fs::write(&gz, b"\x1f\x8bnot gzip at all").unwrap();
    let gz = gz.to_str().unwrap().to_string();
    fails(&["summary", &gz], 2, "not a valid gzip file");
    fails(
        &["summary", &data("small.csv"), "--id", "nope"],
        2,
        r#"no column "nope" for --id (the columns are: "customer_id", "order_date", "amount")"#,
    );
    fails(&["summary", "/no/such/file.csv"], 2, "/no/such/file.csv");
    fails(&["report", "--lookback", "12x"], 2, "--lookback");
    fails(&["report", "--holdout", "w"], 2, "--holdout");
    fails(
        &["report", "--calibration-end", "2023-02-30"],
        2,
        "--calibration-end",
    );
    fails(&["report", "--period", "decade"], 2, "decade");
    fails(&["frobnicate"], 2, "unrecognized subcommand");
    fails(&["predict", "--horizon=-1", "-q"], 2, "--horizon");
    // Not bad input: the output cannot be written.
    fails(
        &[
            "report",
            "-q",
            &data("small.csv"),
            "--html",
            "/no/such/dir/r.html",
        ],
        1,
        "cannot write /no/such/dir/r.html",
    );
}

/// Issue 19: a tiny log (tests/data/boundary.csv, the four customers of the
/// core's `fit_bg_nbd` example in weeks plus one new customer) whose BG/NBD
/// fit runs off to a → 0 (no drop-out): `fit` has the status in its JSON
/// and warns on stderr; `report` prints the warning under the fit and the
/// HTML report shows it.
#[test]
fn a_fit_at_the_boundary_is_reported_with_a_warning() {
    let file = data("boundary.csv");
    let o = ok(&["fit", "--holdout", "0", &file]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["bg_nbd"]["status"], "at_boundary");
    assert!(
        stderr(&o).contains("warning: BG/NBD fit: the estimate ran off"),
        "{}",
        stderr(&o)
    );
    let o = ok(&["report", "--holdout", "0", &file]);
    let out = stdout(&o);
    assert!(out.contains("at_boundary"), "{out}");
    assert!(
        out.contains("  warning: BG/NBD fit: the estimate ran off"),
        "{out}"
    );
    let dir = scratch("boundary");
    let html = dir.join("r.html");
    ok(&[
        "report",
        "--holdout",
        "0",
        &file,
        "--html",
        html.to_str().unwrap(),
    ]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(r#"<p class="warning" role="alert"><strong>Warning:</strong> BG/NBD (all data) fit: the estimate ran off"#));
}
