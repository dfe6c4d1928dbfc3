//! Kaplan–Meier curves, bands, medians, restricted means and the log-rank
//! test against lifelines 0.30.0 on `data/survival/fixture.csv`.
//!
//! Every expected number is read from `data/survival/expected.json`, written
//! by `data/survival/make_expected.py` (lifelines `KaplanMeierFitter`,
//! `restricted_mean_survival_time`, `multivariate_logrank_test`,
//! `logrank_test`); see `data/SOURCES.md`.

use retentionkit::survival::{
    kaplan_meier, kaplan_meier_by_group, kaplan_meier_with, log_rank, KaplanMeier,
    KaplanMeierOptions,
};
use serde_json::Value;

/// The one tolerance of this file: absolute, on every number.
const TOL: f64 = 1e-9;

fn data(name: &str) -> String {
    let path = format!("{}/data/survival/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// (durations, observed, groups) of the fixture.
fn fixture() -> (Vec<f64>, Vec<bool>, Vec<u64>) {
    let (mut d, mut o, mut g) = (Vec::new(), Vec::new(), Vec::new());
    for line in data("fixture.csv").lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        d.push(f[0].parse::<f64>().unwrap());
        o.push(f[1] == "1");
        g.push(f[2].parse::<u64>().unwrap());
    }
    (d, o, g)
}

fn expected() -> Value {
    serde_json::from_str(&data("expected.json")).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn counts(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

#[track_caller]
fn close_all(what: &str, ours: &[f64], theirs: &[f64]) {
    assert_eq!(ours.len(), theirs.len(), "{what}: lengths");
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        assert!((a - b).abs() <= TOL, "{what}[{i}]: ours {a}, lifelines {b}");
    }
}

/// Every column and summary of one curve equals lifelines'.
#[track_caller]
fn same_curve(what: &str, km: &KaplanMeier, want: &Value) {
    assert_eq!(km.times, floats(&want["times"]), "{what}: times");
    assert_eq!(km.at_risk, counts(&want["at_risk"]), "{what}: at_risk");
    assert_eq!(km.events, counts(&want["events"]), "{what}: events");
    assert_eq!(km.censored, counts(&want["censored"]), "{what}: censored");
    close_all(
        &format!("{what}: survival"),
        &km.survival,
        &floats(&want["survival"]),
    );
    close_all(
        &format!("{what}: greenwood"),
        &km.greenwood,
        &floats(&want["greenwood"]),
    );
    close_all(
        &format!("{what}: lower"),
        &km.lower,
        &floats(&want["lower"]),
    );
    close_all(
        &format!("{what}: upper"),
        &km.upper,
        &floats(&want["upper"]),
    );
    assert_eq!(km.median(), want["median"].as_f64(), "{what}: median");
    for pair in want["restricted_mean"].as_array().unwrap() {
        let (h, rmst) = (pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap());
        let (last_t, last_s) = (*km.times.last().unwrap(), *km.survival.last().unwrap());
        if h > last_t && last_s > 0.0 {
            // lifelines holds the curve at its last value past the data;
            // retentionkit refuses (docs/metrics.md, "Where the spec and the
            // code differ").
            assert!(km.restricted_mean(h).is_err(), "{what}: RMST({h})");
            continue;
        }
        let ours = km.restricted_mean(h).unwrap();
        assert!(
            (ours - rmst).abs() <= TOL,
            "{what}: RMST({h}) ours {ours}, lifelines {rmst}"
        );
    }
    for pair in want["survival_at"].as_array().unwrap() {
        let (t, s) = (pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap());
        let ours = km.survival_at(t).unwrap();
        assert!(
            (ours - s).abs() <= TOL,
            "{what}: S({t}) ours {ours}, lifelines {s}"
        );
    }
}

#[test]
fn fixture_has_the_cases_it_is_meant_to_cover() {
    let (d, o, g) = fixture();
    assert_eq!(d.len(), 60);
    let want = expected();
    assert_eq!(want["lifelines"], "0.30.0");
    let all = &want["all"];
    // Ties between events and censorings, and a tie at the last time (30).
    let ev = counts(&all["events"]);
    let ce = counts(&all["censored"]);
    assert!(
        ev.iter()
            .zip(&ce)
            .filter(|(e, c)| **e > 0 && **c > 0)
            .count()
            >= 3
    );
    assert!(*ev.last().unwrap() > 0 && *ce.last().unwrap() > 0);
    // Group 2 never reaches 0.5; group 1 ends at S = 0.
    assert!(want["groups"]["2"]["median"].is_null());
    assert_eq!(
        *floats(&want["groups"]["1"]["survival"]).last().unwrap(),
        0.0
    );
    // A horizon beyond the last time is covered.
    assert!(floats(&want["horizons"]).iter().any(|&h| h > 30.0));
    assert!(o.iter().any(|&x| !x) && g.contains(&3));
}

#[test]
fn kaplan_meier_equals_lifelines() {
    let (d, o, _) = fixture();
    let want = expected();
    same_curve("all", &kaplan_meier(&d, &o).unwrap(), &want["all"]);
}

#[test]
fn kaplan_meier_at_90_percent_equals_lifelines() {
    let (d, o, _) = fixture();
    let want = expected();
    let opts = KaplanMeierOptions::default().with_confidence_level(0.90);
    same_curve(
        "all, 90 %",
        &kaplan_meier_with(&d, &o, &opts).unwrap(),
        &want["all_90"],
    );
}

#[test]
fn sorted_path_equals_lifelines_too() {
    // Integer durations take the counting pass; adding 0.25 to every
    // duration forces the sort pass. The curve is the same, shifted.
    let (d, o, _) = fixture();
    let want = expected();
    let shifted: Vec<f64> = d.iter().map(|x| x + 0.25).collect();
    let km = kaplan_meier(&shifted, &o).unwrap();
    let times: Vec<f64> = floats(&want["all"]["times"])
        .iter()
        .map(|x| x + 0.25)
        .collect();
    assert_eq!(km.times, times);
    close_all(
        "shifted survival",
        &km.survival,
        &floats(&want["all"]["survival"]),
    );
    close_all("shifted lower", &km.lower, &floats(&want["all"]["lower"]));
    close_all("shifted upper", &km.upper, &floats(&want["all"]["upper"]));
}

#[test]
fn per_group_curves_equal_lifelines() {
    let (d, o, g) = fixture();
    let want = expected();
    let by = kaplan_meier_by_group(&d, &o, &g).unwrap();
    assert_eq!(by.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [1, 2, 3]);
    for (id, km) in &by {
        same_curve(&format!("group {id}"), km, &want["groups"][id.to_string()]);
    }
}

#[test]
fn log_rank_equals_lifelines() {
    let (d, o, g) = fixture();
    let want = expected();
    let t = log_rank(&d, &o, &g).unwrap();
    assert_eq!(t.df, 2);
    assert_eq!(t.df as u64, want["log_rank"]["df"].as_u64().unwrap());
    let (u, p) = (
        want["log_rank"]["statistic"].as_f64().unwrap(),
        want["log_rank"]["p_value"].as_f64().unwrap(),
    );
    assert!((t.statistic - u).abs() <= TOL, "U {} vs {u}", t.statistic);
    assert!((t.p_value - p).abs() <= TOL, "p {} vs {p}", t.p_value);
    // Observed events per group are plain counts of the fixture; expected sum to them.
    let total: u64 = o.iter().map(|&x| u64::from(x)).sum();
    assert_eq!(t.observed.iter().sum::<u64>(), total);
    assert!((t.expected.iter().sum::<f64>() - total as f64).abs() < 1e-9);
}

#[test]
fn two_group_log_rank_equals_lifelines_logrank_test() {
    let (d, o, g) = fixture();
    let want = &expected()["log_rank_1_vs_2"];
    let keep: Vec<usize> = (0..d.len()).filter(|&i| g[i] != 3).collect();
    let d2: Vec<f64> = keep.iter().map(|&i| d[i]).collect();
    let o2: Vec<bool> = keep.iter().map(|&i| o[i]).collect();
    let g2: Vec<u64> = keep.iter().map(|&i| g[i]).collect();
    let t = log_rank(&d2, &o2, &g2).unwrap();
    assert_eq!(t.df, 1);
    let u = want["statistic"].as_f64().unwrap();
    let p = want["p_value"].as_f64().unwrap();
    assert!((t.statistic - u).abs() <= TOL, "U {} vs {u}", t.statistic);
    assert!((t.p_value - p).abs() <= TOL, "p {} vs {p}", t.p_value);
}
