//! `retentionkit fit --covariates FILE`: the BG/NBD with covariates of the
//! command equals the core's `models::covariates::fit_bg_nbd` on the same
//! customers and covariates (called here), and each bad covariate file
//! stops with exit code 2 and a message naming the file, column and line.

use std::fmt::Write;

use retentionkit::demo::{shop, DemoOptions};
use retentionkit::models::covariates::{fit_bg_nbd, CovariateOptions, CovariateTable};
use retentionkit::models::RepeatData;
use retentionkit::period::format_day;
use retentionkit::summary::{summary, SummaryOptions, TimeUnit};
use serde_json::Value;

use super::{data, fails, ok, scratch, stderr, stdout};

/// A covariate of customer `id`: a number in [-0.5, 0.5] and one of three
/// channels, both fixed functions of the id.
fn income(id: u64) -> f64 {
    // Whole hundredths, so the CSV text is the number exactly.
    f64::from(u32::try_from(id * 37 % 11).unwrap()) / 10.0 - 0.5
}

fn channel(id: u64) -> &'static str {
    ["web", "store", "phone"][usize::try_from(id % 3).unwrap()]
}

#[track_caller]
fn close(what: &str, got: f64, want: f64) {
    // serde_json reads a number back to within an ulp or so of the value
    // written: 1e-12 relative is exact up to that.
    assert!(
        (got - want).abs() <= 1e-12 * want.abs().max(1e-300),
        "{what}: CLI {got} vs core {want}"
    );
}

/// The demo shop's first 300 customers as a CSV log, and a covariate file
/// for them (in reverse order, two more customers than the log, ids with
/// leading zeros); their paths.
fn files(test: &str) -> (retentionkit::demo::DemoLog, String, String) {
    let dir = scratch(test);
    let demo = shop(&DemoOptions {
        customers: 300,
        ..DemoOptions::default()
    })
    .unwrap();
    let mut log = String::from("customer_id,order_date,amount\n");
    for ((id, day), amount) in demo.ids.iter().zip(&demo.days).zip(&demo.amounts) {
        writeln!(log, "{id},{},{amount}", format_day(*day)).unwrap();
    }
    let log_path = dir.join("log.csv");
    std::fs::write(&log_path, log).unwrap();
    // The covariate file: customers in reverse order, two of them not in
    // the log (ignored, with a note), ids written with leading zeros.
    let mut cov = String::from("customer_id;income;channel\n");
    for id in (1..=302u64).rev() {
        writeln!(cov, "{id:04};{};{}", income(id), channel(id)).unwrap();
    }
    let cov_path = dir.join("cov.csv");
    std::fs::write(&cov_path, cov).unwrap();
    (
        demo,
        log_path.to_str().unwrap().to_string(),
        cov_path.to_str().unwrap().to_string(),
    )
}

/// The core's fit on the log of `files` with its covariates: income on
/// both processes, channel (reference "web") on the purchase process.
fn core_fit(
    demo: &retentionkit::demo::DemoLog,
) -> (
    retentionkit::summary::Summary,
    CovariateTable,
    retentionkit::models::covariates::CovariateFit<retentionkit::models::bg_nbd::BgNbdParams>,
) {
    let s = summary(
        &demo.log().unwrap(),
        &SummaryOptions::default()
            .with_observation_end(None)
            .with_unit(TimeUnit::Weeks),
    )
    .unwrap();
    let data = RepeatData::new(&s.frequency, &s.recency(), &s.age(), None).unwrap();
    let incomes: Vec<f64> = s.customer_id.iter().map(|&i| income(i)).collect();
    let channels: Vec<&str> = s.customer_id.iter().map(|&i| channel(i)).collect();
    let table = CovariateTable::new(s.len())
        .with_numeric("income", &incomes)
        .unwrap()
        .with_categorical("channel", &channels, Some("web"))
        .unwrap();
    let options = CovariateOptions::default()
        .with_purchase(vec!["income".into(), "channel".into()])
        .with_dropout(vec!["income".into()]);
    let fit = fit_bg_nbd(&data, &table, &options).unwrap();
    (s, table, fit)
}

const FLAGS: [&str; 8] = [
    "--covariate-columns",
    "income",
    "--purchase-covariates",
    "channel",
    "--categorical",
    "channel",
    "--reference",
    "channel=web",
];

#[test]
fn fit_with_covariates_equals_the_core() {
    let (demo, log_path, cov_path) = files("covariates-core");
    let mut args = vec![
        "fit",
        &log_path,
        "--holdout",
        "0",
        "--covariates",
        &cov_path,
    ];
    args.extend(FLAGS);
    let o = ok(&args);
    let err = stderr(&o);
    assert!(
        err.contains("2 row(s) for customers without orders in the log, ignored"),
        "{err}"
    );
    let out: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let c = &out["covariates"];
    let (_, _, fit) = core_fit(&demo);

    assert_eq!(c["customers"], 300);
    assert_eq!(c["ignored_rows"], 2);
    assert_eq!(c["status"], fit.status.as_str());
    assert_eq!(c["parameters"], fit.parameters);
    let p = &c["params"];
    for (name, want) in [
        ("r", fit.params.r),
        ("alpha", fit.params.alpha),
        ("a", fit.params.a),
        ("b", fit.params.b),
    ] {
        close(name, p[name].as_f64().unwrap(), want);
    }
    close(
        "log_likelihood",
        c["log_likelihood"].as_f64().unwrap(),
        fit.log_likelihood,
    );
    let effects = c["effects"].as_array().unwrap();
    let want: Vec<(&str, &retentionkit::models::covariates::Effect)> = fit
        .purchase
        .iter()
        .map(|e| ("purchase", e))
        .chain(fit.dropout.iter().map(|e| ("dropout", e)))
        .collect();
    assert_eq!(effects.len(), 4);
    assert_eq!(effects.len(), want.len());
    for (got, (process, e)) in effects.iter().zip(&want) {
        assert_eq!(got["process"], *process);
        assert_eq!(got["name"], e.name.as_str());
        close(&e.name, got["estimate"].as_f64().unwrap(), e.estimate);
        let se = e.standard_error.unwrap();
        close(&e.name, got["se"].as_f64().unwrap(), se);
        close(&e.name, got["z"].as_f64().unwrap(), e.estimate / se);
    }
    // "web" is the reference level: the channel effects are store and phone.
    let names: Vec<&str> = effects
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["income", "channel=phone", "channel=store", "income"]
    );
    // The fit without covariates is still there, as before.
    assert!(out["bg_nbd"]["params"]["r"].as_f64().unwrap() > 0.0);
}

#[test]
fn predict_with_covariates_equals_the_core() {
    let (demo, log_path, cov_path) = files("covariates-predict");
    let mut args = vec![
        "predict",
        &log_path,
        "-q",
        "--horizon",
        "26",
        "--covariates",
        &cov_path,
    ];
    args.extend(FLAGS);
    let text = stdout(&ok(&args));
    let (s, table, fit) = core_fit(&demo);
    let (x, tx, t) = (&s.frequency, s.recency(), s.age());
    let alive = fit.probability_alive(&table, x, &tx, &t).unwrap();
    let expected = fit.expected_purchases(&table, x, &tx, &t, 26.0).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (id, pa, ep, clv) = (
        col("customer_id"),
        col("probability_alive"),
        col("expected_purchases"),
        col("clv"),
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 300);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[id], s.customer_id[i].to_string());
        // The CSV prints the shortest digits that read back as the same f64.
        assert_eq!(r[pa].parse::<f64>().unwrap(), alive[i], "row {i}");
        assert_eq!(r[ep].parse::<f64>().unwrap(), expected[i], "row {i}");
        assert!(r[clv].parse::<f64>().unwrap() >= 0.0, "row {i}");
    }
    // The columns that have no covariate form yet are refused by name.
    let mut args = vec![
        "predict",
        &log_path,
        "--pmf",
        "3",
        "--covariates",
        &cov_path,
    ];
    args.extend(FLAGS);
    fails(&args, 2, "error: --pmf does not take --covariates yet");
}

/// `fit` of `small.csv` (customers a, b, c; `tests/it/main.rs`) with the
/// covariate file `text`, numeric covariate x.
fn bad(test: &str, text: &str, extra: &[&str], want: &str) {
    let dir = scratch(test);
    let path = dir.join("cov.csv");
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap().to_string();
    let mut args = vec!["fit", "-q", "--holdout", "0"];
    let log = data("small.csv");
    args.push(&log);
    args.extend(["--covariates", &p, "--covariate-columns", "x"]);
    args.extend(extra);
    let err = fails(&args, 2, &want.replace("FILE", &p));
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_customer_of_the_log_missing_from_the_file() {
    // c (line 4 of the log) has no row.
    bad(
        "covariates-missing-id",
        "customer_id,x\na,1\nb,2\n",
        &[],
        "error: FILE: column \"customer_id\": no row for customer \"c\" of the log",
    );
}

#[test]
fn a_duplicate_id() {
    // Line 4 repeats a (line 2).
    bad(
        "covariates-duplicate",
        "customer_id,x\na,1\nb,2\na,3\nc,4\n",
        &[],
        "error: FILE:4: column \"customer_id\": duplicate id \"a\" (first at line 2)",
    );
}

#[test]
fn a_non_numeric_value() {
    bad(
        "covariates-not-a-number",
        "customer_id,x\na,1\nb,high\nc,4\n",
        &[],
        "error: FILE:3: column \"x\": \"high\" is not a number",
    );
}

#[test]
fn a_missing_column() {
    bad(
        "covariates-no-column",
        "customer_id,y\na,1\nb,2\nc,4\n",
        &[],
        "error: FILE: no column \"x\" for the covariates (the columns are: \"customer_id\", \"y\")",
    );
    // The id column: the log's name by default, or --covariate-id.
    bad(
        "covariates-no-id",
        "id,x\na,1\nb,2\nc,4\n",
        &[],
        "error: FILE: no column \"customer_id\" for --covariate-id",
    );
}

#[test]
fn bad_flags() {
    let text = "customer_id,x,g\na,1,u\nb,2,v\nc,4,u\n";
    bad(
        "covariates-categorical",
        text,
        &["--categorical", "g"],
        "error: --categorical g: not one of the covariates (x)",
    );
    bad(
        "covariates-reference",
        text,
        &["--reference", "x"],
        "error: --reference \"x\": expected COL=LEVEL",
    );
    // --equal needs the covariate on both processes (the core's rule,
    // told with the flag's name).
    let path = scratch("covariates-equal").join("cov.csv");
    std::fs::write(&path, text).unwrap();
    let log = data("small.csv");
    fails(
        &[
            "fit",
            "-q",
            &log,
            "--covariates",
            path.to_str().unwrap(),
            "--purchase-covariates",
            "x",
            "--equal",
            "x",
        ],
        2,
        "error: --equal: `x` must be a purchase and a dropout covariate",
    );
    bad(
        "covariates-l2",
        text,
        &["--l2=0.5,-1"],
        "error: --l2 0.5,-1: expected numbers >= 0",
    );
}

#[test]
fn fit_tests_drop_out_with_the_nbd_as_the_core() {
    // `fit`'s drop_out_test: the core's NBD (models::nbd) and BG/NBD on the
    // same customers (called here, on the uncompressed rows: the same
    // optimum, both polished to about 1e-13), and Λ = 2 (LL_BG/NBD − LL_NBD).
    let (demo, log_path, _) = files("drop-out-test");
    let o = ok(&["fit", &log_path, "--holdout", "0", "-q"]);
    let out: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let t = &out["drop_out_test"];
    let (s, _, _) = core_fit(&demo);
    let data = RepeatData::new(&s.frequency, &s.recency(), &s.age(), None).unwrap();
    let o = retentionkit::optim::FitOptions::default();
    let nbd = retentionkit::models::nbd::fit_nbd(&data, &o).unwrap();
    let bg = retentionkit::models::bg_nbd::fit_bg_nbd(&data, &o).unwrap();
    let near = |what: &str, got: &Value, want: f64| {
        let got = got.as_f64().unwrap();
        assert!(
            (got - want).abs() <= 1e-9 * want.abs(),
            "{what}: CLI {got} vs core {want}"
        );
    };
    near("r", &t["nbd"]["params"]["r"], nbd.params.r);
    near("alpha", &t["nbd"]["params"]["alpha"], nbd.params.alpha);
    near(
        "statistic",
        &t["test"]["statistic"],
        2.0 * (bg.log_likelihood - nbd.log_likelihood),
    );
    assert_eq!(t["test"]["degrees_of_freedom"], 2);
    assert_eq!(t["test"]["boundary"], true);
}
