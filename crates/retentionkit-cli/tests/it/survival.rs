//! `retentionkit cox` and `retentionkit aft` on lifelines' `rossi` data
//! (`tests/data/survival/rossi.csv`), against lifelines 0.30.3's numbers kept
//! in `tests/data/survival/rossi_expected.json` (how they were made:
//! `tests/data/SOURCES.md`, "Cox and Weibull AFT references"), to 1e-6
//! relative as the core's tests; and the bad inputs of the two commands.

use std::fmt::Write;

use serde_json::Value;

use super::{fails, ok, scratch, stdout};

fn rossi() -> String {
    format!(
        "{}/../../tests/data/survival/rossi.csv",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn expected() -> Value {
    let path = format!(
        "{}/../../tests/data/survival/rossi_expected.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&stdout(&ok(args))).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(f).collect()
}

#[track_caller]
fn close(what: &str, got: f64, want: f64) {
    let tol = 1e-6 * want.abs().max(1e-12);
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} vs lifelines {want} (rel {:e})",
        (got - want).abs() / want.abs()
    );
}

#[track_caller]
fn all_close(what: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        close(&format!("{what}[{i}]"), *g, *w);
    }
}

/// One field of every row of `out["coefficients"]`.
fn column(out: &Value, field: &str) -> Vec<f64> {
    out["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| f(&c[field]))
        .collect()
}

/// A step function's value at the last time `<= t` (lifelines' baseline at
/// the weeks of `rossi_expected.json`), 1 before the first time.
fn step(times: &[f64], values: &[f64], t: f64) -> f64 {
    let k = times.partition_point(|&s| s <= t);
    if k == 0 {
        1.0
    } else {
        values[k - 1]
    }
}

/// The coefficients, standard errors, log-likelihoods and concordance of
/// a Cox fit against one lifelines fit of `rossi_expected.json`.
#[track_caller]
fn check_cox(out: &Value, want: &Value, se_field: &str) {
    let names: Vec<&str> = out["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["covariate"].as_str().unwrap())
        .collect();
    let want_names: Vec<&str> = want["covariates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(names, want_names);
    all_close("coef", &column(out, "coef"), &floats(&want["coef"]));
    all_close(se_field, &column(out, "se"), &floats(&want[se_field]));
    close(
        "log_likelihood",
        f(&out["log_likelihood"]),
        f(&want["log_likelihood"]),
    );
    close(
        "null_log_likelihood",
        f(&out["null_log_likelihood"]),
        f(&want["null_log_likelihood"]),
    );
    close(
        "concordance",
        f(&out["concordance"]),
        f(&want["concordance"]),
    );
}

#[test]
fn cox_on_rossi_equals_lifelines() {
    let out = json(&[
        "cox",
        &rossi(),
        "--duration",
        "week",
        "--event",
        "arrest",
        "--covariates",
        "fin,age,race,wexp,mar,paro,prio",
        "--json",
    ]);
    let all = expected();
    let want = &all["efron"];
    check_cox(&out, want, "se");
    assert_eq!(out["rows"], 432);
    assert_eq!(out["ties"], "efron");
    assert_eq!(out["status"], "converged");
    let s = &want["summary"];
    all_close(
        "hazard_ratio",
        &column(&out, "hazard_ratio"),
        &floats(&s["exp_coef"]),
    );
    all_close(
        "hazard_ratio_lower",
        &column(&out, "hazard_ratio_lower"),
        &floats(&s["exp_coef_lower_95"]),
    );
    all_close(
        "hazard_ratio_upper",
        &column(&out, "hazard_ratio_upper"),
        &floats(&s["exp_coef_upper_95"]),
    );
    all_close("z", &column(&out, "z"), &floats(&s["z"]));
    all_close("p", &column(&out, "p_value"), &floats(&s["p"]));
    all_close("means", &column(&out, "mean"), &floats(&want["means"]));
    let lr = &want["log_likelihood_ratio_test"];
    close(
        "lr statistic",
        f(&out["likelihood_ratio_test"]["statistic"]),
        f(&lr["statistic"]),
    );
    close(
        "lr p",
        f(&out["likelihood_ratio_test"]["p_value"]),
        f(&lr["p_value"]),
    );
    assert_eq!(out["likelihood_ratio_test"]["degrees_of_freedom"], 7);
    // The baseline at the weeks lifelines was asked for.
    let b = &out["baselines"][0];
    let (times, hazard, survival) = (
        floats(&b["times"]),
        floats(&b["cumulative_hazard"]),
        floats(&b["survival"]),
    );
    for (i, t) in floats(&all["times"]).into_iter().enumerate() {
        close(
            &format!("H0({t})"),
            step(&times, &hazard, t),
            f(&want["baseline_cumulative_hazard"][i]),
        );
        close(
            &format!("S0({t})"),
            step(&times, &survival, t),
            f(&want["baseline_survival"][i]),
        );
    }
    // The test of proportional hazards, every time transform lifelines has.
    for transform in ["rank", "identity", "log", "km"] {
        let out = json(&[
            "cox",
            &rossi(),
            "--duration",
            "week",
            "--event",
            "arrest",
            "--time-transform",
            transform,
            "--json",
        ]);
        assert_eq!(out["time_transform"], transform);
        let want = &want["proportional_hazard_test"][transform];
        let tests = out["proportional_hazards_test"].as_array().unwrap();
        let stat: Vec<f64> = tests.iter().map(|t| f(&t["statistic"])).collect();
        let p: Vec<f64> = tests.iter().map(|t| f(&t["p_value"])).collect();
        all_close(
            &format!("{transform} statistic"),
            &stat,
            &floats(&want["statistic"]),
        );
        all_close(&format!("{transform} p"), &p, &floats(&want["p_value"]));
    }
}

#[test]
fn cox_with_strata_equals_lifelines() {
    // Without --covariates: every column but the duration, event and strata.
    let out = json(&[
        "cox",
        &rossi(),
        "--duration",
        "week",
        "--event",
        "arrest",
        "--strata",
        "wexp",
        "--json",
    ]);
    let all = expected();
    let want = &all["strata_wexp"];
    check_cox(&out, want, "se");
    let baselines = out["baselines"].as_array().unwrap();
    assert_eq!(baselines.len(), 2);
    for b in baselines {
        let stratum = b["stratum"].as_str().unwrap();
        let (times, survival) = (floats(&b["times"]), floats(&b["survival"]));
        let want_s = &want["baseline_survival_by_stratum"][stratum];
        for (i, t) in floats(&all["times"]).into_iter().enumerate() {
            close(
                &format!("S0({t}) of stratum {stratum}"),
                step(&times, &survival, t),
                f(&want_s[i]),
            );
        }
    }
}

/// rossi.csv with two more columns: `w` = 1 + (row mod 3) / 2 and `t` =
/// week + row / 1000 (row counted from 0), as `rossi_lifelines.py` makes
/// its weighted and distinct-times fits.
fn rossi_extended(test: &str) -> String {
    let text = std::fs::read_to_string(rossi()).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            writeln!(out, "{line},w,t").unwrap();
            continue;
        }
        let row = i - 1;
        let week: f64 = line.split(',').next().unwrap().parse().unwrap();
        let w = 1.0 + (row % 3) as f64 / 2.0;
        let t = week + row as f64 / 1000.0;
        writeln!(out, "{line},{w},{t}").unwrap();
    }
    let path = scratch(test).join("rossi_extended.csv");
    std::fs::write(&path, out).unwrap();
    path.to_string_lossy().into_owned()
}

const COVARIATES: &str = "fin,age,race,wexp,mar,paro,prio";

#[test]
fn cox_with_weights_equals_lifelines() {
    let file = rossi_extended("cox-weights");
    let out = json(&[
        "cox",
        &file,
        "--duration",
        "week",
        "--event",
        "arrest",
        "--covariates",
        COVARIATES,
        "--weights",
        "w",
        "--json",
    ]);
    check_cox(&out, &expected()["weighted"], "se");
    assert_eq!(out["weights"], "w");
}

#[test]
fn cox_robust_and_breslow_on_distinct_times_equal_lifelines() {
    // With distinct times Breslow's and Efron's likelihoods are one, so
    // both equal lifelines (which has Efron only).
    let file = rossi_extended("cox-robust");
    let want = &expected()["distinct"];
    for ties in ["efron", "breslow"] {
        let out = json(&[
            "cox",
            &file,
            "--duration",
            "t",
            "--event",
            "arrest",
            "--covariates",
            COVARIATES,
            "--ties",
            ties,
            "--json",
        ]);
        assert_eq!(out["ties"], ties);
        check_cox(&out, want, "se");
    }
    let out = json(&[
        "cox",
        &file,
        "--duration",
        "t",
        "--event",
        "arrest",
        "--covariates",
        COVARIATES,
        "--robust",
        "--json",
    ]);
    assert_eq!(out["robust"], true);
    check_cox(&out, want, "robust_se");
    all_close("model_se", &column(&out, "model_se"), &floats(&want["se"]));
}

#[test]
fn aft_on_rossi_equals_lifelines() {
    let out = json(&[
        "aft",
        &rossi(),
        "--duration",
        "week",
        "--event",
        "arrest",
        "--json",
    ]);
    let want = &expected()["weibull_aft"];
    all_close("coef", &column(&out, "coef"), &floats(&want["lambda_coef"]));
    all_close("se", &column(&out, "se"), &floats(&want["lambda_se"]));
    close(
        "intercept",
        f(&out["intercept"]),
        f(&want["lambda_intercept"]),
    );
    close(
        "intercept_se",
        f(&out["intercept_se"]),
        f(&want["lambda_intercept_se"]),
    );
    close("log_rho", f(&out["log_rho"]), f(&want["rho_intercept"]));
    close(
        "log_rho_se",
        f(&out["log_rho_se"]),
        f(&want["rho_intercept_se"]),
    );
    close(
        "log_likelihood",
        f(&out["log_likelihood"]),
        f(&want["log_likelihood"]),
    );
    close(
        "concordance",
        f(&out["concordance"]),
        f(&want["concordance"]),
    );
    // z = coef / se of lifelines' estimates; every parameter in `summary`.
    let z: Vec<f64> = floats(&want["lambda_coef"])
        .iter()
        .zip(floats(&want["lambda_se"]))
        .map(|(b, se)| b / se)
        .collect();
    all_close("z", &column(&out, "z"), &z);
    let summary = out["summary"].as_array().unwrap();
    assert_eq!(summary.len(), 9);
    assert_eq!(summary[8]["parameter"], "log_rho");
    close(
        "log_rho z",
        f(&summary[8]["z"]),
        f(&want["rho_intercept"]) / f(&want["rho_intercept_se"]),
    );
    assert_eq!(out["confidence_level"], 0.95);
}

#[test]
fn the_tables_show_the_coefficients() {
    let o = ok(&["cox", &rossi(), "--duration", "week", "--event", "arrest"]);
    let text = stdout(&o);
    // lifelines: fin coef -0.3794221657, exp 0.6842566820, se 0.1913794807.
    assert!(
        text.contains("Cox proportional hazards: 432 rows, 114 events"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("fin ") && l.contains("-0.3794") && l.contains("0.6843")),
        "{text}"
    );
    assert!(text.contains("concordance: 0.6403"), "{text}");
    let o = ok(&["aft", &rossi(), "--duration", "week", "--event", "arrest"]);
    let text = stdout(&o);
    // lifelines: lambda_ intercept 3.9901348288, rho_ intercept 0.3391082547.
    assert!(
        text.lines()
            .any(|l| l.starts_with("intercept") && l.contains("3.9901")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("log_rho") && l.contains("0.3391")),
        "{text}"
    );
    // lifelines' concordance_index_ 0.6401... (rossi_expected.json).
    assert!(text.contains("concordance: 0.6401"), "{text}");
}

/// Writes `text` to a scratch file named `name` and returns its path.
fn file(test: &str, name: &str, text: &str) -> String {
    let path = scratch(test).join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn bad_inputs_name_the_column_and_line() {
    let good = "t,e,x,g\n1,1,0.5,a\n2,0,1.5,b\n3,1,0.2,a\n4,1,2.5,b\n";
    let f0 = file("surv-bad", "good.csv", good);
    let base = |f: &str| -> Vec<String> {
        [
            "cox",
            f,
            "--duration",
            "t",
            "--event",
            "e",
            "--covariates",
            "x",
        ]
        .map(String::from)
        .to_vec()
    };
    let run_fails = |args: Vec<String>, want: &str| {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        fails(&a, 2, want);
    };
    // A column that is not there, for each flag.
    let mut a = base(&f0);
    a[3] = "time".into();
    run_fails(a, "no column \"time\" for --duration");
    let mut a = base(&f0);
    a[7] = "x,y".into();
    run_fails(a, "no column \"y\" for --covariates");
    let mut a = base(&f0);
    a.extend(["--weights".into(), "w".into()]);
    run_fails(a, "no column \"w\" for --weights");
    // Values, at their line (the header is line 1).
    let cases = [
        (
            "text.csv",
            "t,e,x\n1,1,0.5\n2,0,abc\n",
            "text.csv:3: column \"x\": \"abc\" is not a number",
        ),
        (
            "neg.csv",
            "t,e,x\n1,1,0.5\n2,0,1\n-3,1,2\n",
            "neg.csv:4: column \"t\": -3 is not a finite value >= 0",
        ),
        (
            "event.csv",
            "t,e,x\n1,1,0.5\n2,2,1\n",
            "event.csv:3: column \"e\": \"2\" is not an event flag",
        ),
        (
            "empty.csv",
            "t,e,x\n1,1,0.5\n2,,1\n",
            "empty.csv:3: column \"e\": \"\" is not an event flag",
        ),
        (
            "nan.csv",
            "t,e,x\n1,1,NaN\n2,0,1\n",
            "nan.csv:2: column \"x\": \"NaN\" is not a finite number",
        ),
        (
            "short.csv",
            "t,e,x\n1,1,0.5\n2,0\n",
            "short.csv:3: column \"x\": missing",
        ),
        (
            "const.csv",
            "t,e,x\n1,1,2\n2,0,2\n3,1,2\n",
            "const.csv: column \"x\": the covariate is constant",
        ),
        (
            "none.csv",
            "t,e,x\n1,0,2\n2,0,1\n",
            "argument `events`: no row has the event",
        ),
        (
            "header.csv",
            "t,e,x\n",
            "header.csv: the file has a header line but no data rows",
        ),
    ];
    for (name, text, want) in cases {
        let path = file("surv-bad", name, text);
        run_fails(base(&path), want);
    }
    // A zero duration is fine for cox, not for aft (the Weibull log-likelihood needs t > 0).
    let zero = file(
        "surv-bad",
        "zero.csv",
        "t,e,x\n0,1,0.5\n2,0,1\n3,1,2\n4,1,0\n",
    );
    let mut a = base(&zero);
    a[0] = "aft".into();
    run_fails(a, "zero.csv:2: column \"t\"");
    // Flags.
    let mut a = base(&f0);
    a.extend(["--ties".into(), "exact".into()]);
    run_fails(a, "--ties: \"exact\" is not one of efron, breslow");
    let mut a = base(&f0);
    a.extend(["--level".into(), "95".into()]);
    run_fails(a, "--level 95");
    let mut a = base(&f0);
    a[7] = "t".into();
    run_fails(a, "--covariates: column \"t\" is already");
}

/// rossi as Parquet in row groups of 100 rows: `week` Int64, `arrest`
/// Boolean, `age` and `prio` Float64, the other covariates Int32, and
/// `wexp_label`: `wexp` as the strings "no"/"yes".
#[cfg(feature = "parquet")]
fn rossi_parquet(test: &str) -> String {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, StringArray};

    let text = std::fs::read_to_string(rossi()).unwrap();
    let mut lines = text.lines();
    let names: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<i64>> = lines
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    let col = |name: &str| -> Vec<i64> {
        let j = names.iter().position(|n| *n == name).unwrap();
        rows.iter().map(|r| r[j]).collect()
    };
    let int32 = |name: &str| -> ArrayRef {
        Arc::new(Int32Array::from(
            col(name)
                .into_iter()
                .map(|v| i32::try_from(v).unwrap())
                .collect::<Vec<_>>(),
        ))
    };
    let float = |name: &str| -> ArrayRef {
        Arc::new(Float64Array::from(
            col(name).into_iter().map(|v| v as f64).collect::<Vec<_>>(),
        ))
    };
    let batch = super::arrow_inputs::batch(vec![
        ("week", Arc::new(Int64Array::from(col("week"))) as ArrayRef),
        (
            "arrest",
            Arc::new(BooleanArray::from(
                col("arrest")
                    .into_iter()
                    .map(|v| v == 1)
                    .collect::<Vec<_>>(),
            )),
        ),
        ("fin", int32("fin")),
        ("age", float("age")),
        ("race", int32("race")),
        ("wexp", int32("wexp")),
        (
            "wexp_label",
            Arc::new(StringArray::from(
                col("wexp")
                    .into_iter()
                    .map(|v| if v == 1 { "yes" } else { "no" })
                    .collect::<Vec<_>>(),
            )),
        ),
        ("mar", int32("mar")),
        ("paro", int32("paro")),
        ("prio", float("prio")),
    ]);
    super::arrow_inputs::parquet(test, "rossi.parquet", &batch, 100)
}

#[cfg(feature = "parquet")]
#[test]
fn cox_and_aft_read_parquet() {
    let file = rossi_parquet("surv-parquet");
    let args = |cmd: &'static str| {
        vec![
            cmd,
            &file,
            "--duration",
            "week",
            "--event",
            "arrest",
            "--json",
        ]
    };
    let mut a = args("cox");
    a.extend([
        "--covariates",
        "fin,age,race,mar,paro,prio",
        "--strata",
        "wexp_label",
    ]);
    let out = json(&a);
    let all = expected();
    check_cox(&out, &all["strata_wexp"], "se");
    let strata: Vec<&str> = out["baselines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["stratum"].as_str().unwrap())
        .collect();
    assert_eq!(strata, ["no", "yes"]);
    let mut a = args("aft");
    a.extend(["--covariates", COVARIATES]);
    let out = json(&a);
    let want = &all["weibull_aft"];
    all_close("coef", &column(&out, "coef"), &floats(&want["lambda_coef"]));
    all_close("se", &column(&out, "se"), &floats(&want["lambda_se"]));
    close(
        "log_likelihood",
        f(&out["log_likelihood"]),
        f(&want["log_likelihood"]),
    );
    // A text column is not a covariate.
    let e = fails(
        &args("cox"),
        2,
        "column \"wexp_label\": type Utf8 is not a number type",
    );
    assert!(e.contains("rossi.parquet"), "{e}");
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_nulls_name_their_row() {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, Float64Array};

    let batch = super::arrow_inputs::batch(vec![
        (
            "t",
            Arc::new(Float64Array::from(vec![1.0, 2.0, 3.0, 4.0])) as ArrayRef,
        ),
        (
            "e",
            Arc::new(Float64Array::from(vec![1.0, 0.0, 1.0, 1.0])) as ArrayRef,
        ),
        (
            "x",
            Arc::new(Float64Array::from(vec![
                Some(0.5),
                Some(1.5),
                None,
                Some(2.5),
            ])) as ArrayRef,
        ),
    ]);
    // Row groups of 2 rows: the null is the first row of the second group.
    let file = super::arrow_inputs::parquet("surv-parquet-null", "null.parquet", &batch, 2);
    fails(
        &["cox", &file, "--duration", "t", "--event", "e"],
        2,
        "null.parquet: row 3: column \"x\": null",
    );
    let batch = super::arrow_inputs::batch(vec![
        (
            "t",
            Arc::new(Float64Array::from(vec![1.0, -2.0, 3.0, 4.0])) as ArrayRef,
        ),
        (
            "e",
            Arc::new(Float64Array::from(vec![1.0, 0.0, 1.0, 1.0])) as ArrayRef,
        ),
        (
            "x",
            Arc::new(Float64Array::from(vec![0.5, 1.5, 0.2, 2.5])) as ArrayRef,
        ),
    ]);
    let file = super::arrow_inputs::parquet("surv-parquet-neg", "neg.parquet", &batch, 2);
    fails(
        &["cox", &file, "--duration", "t", "--event", "e"],
        2,
        "neg.parquet: row 2: column \"t\": -2 is not a finite value >= 0",
    );
}
