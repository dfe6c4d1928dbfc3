//! Cox proportional hazards against lifelines 0.30.3 on its `rossi` data set
//! (`data/survival/rossi.csv`, 432 released prisoners, time to re-arrest in weeks).
//!
//! Every expected number is read from `data/survival/rossi_expected.json`, written by
//! `data/survival/rossi_lifelines.py` (lifelines `CoxPHFitter`, `proportional_hazard_test`,
//! `WeibullAFTFitter`); see `data/SOURCES.md`.

use retentionkit::survival::cox::{
    cox_ph, proportional_hazards_test, CoxFit, CoxOptions, RegressionData, TimeTransform,
};
use serde_json::Value;

/// The one tolerance of this file: relative, on every number.
const REL: f64 = 1e-6;

struct Rossi {
    week: Vec<f64>,
    arrest: Vec<bool>,
    /// fin, age, race, wexp, mar, paro, prio
    columns: Vec<Vec<f64>>,
}

fn rossi() -> Rossi {
    let path = format!("{}/data/survival/rossi.csv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut r = Rossi {
        week: Vec::new(),
        arrest: Vec::new(),
        columns: vec![Vec::new(); 7],
    };
    for line in text.lines().skip(1) {
        let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        r.week.push(f[0]);
        r.arrest.push(f[1] == 1.0);
        for (c, v) in r.columns.iter_mut().zip(&f[2..]) {
            c.push(*v);
        }
    }
    assert_eq!(r.week.len(), 432);
    r
}

fn expected() -> Value {
    let path = format!(
        "{}/data/survival/rossi_expected.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[track_caller]
fn close(what: &str, ours: f64, theirs: f64) {
    assert!(
        (ours - theirs).abs() <= REL * theirs.abs().max(1e-300),
        "{what}: ours {ours}, lifelines {theirs}, relative {}",
        ((ours - theirs) / theirs).abs()
    );
}

#[track_caller]
fn close_all(what: &str, ours: &[f64], theirs: &[f64]) {
    assert_eq!(ours.len(), theirs.len(), "{what}: lengths");
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        close(&format!("{what}[{i}]"), *a, *b);
    }
}

/// The numbers every fit of the script records.
#[track_caller]
fn same_fit(what: &str, fit: &CoxFit, want: &Value) {
    close_all(
        &format!("{what}: coef"),
        &fit.coefficients,
        &floats(&want["coef"]),
    );
    close_all(
        &format!("{what}: se"),
        &fit.standard_errors,
        &floats(&want["se"]),
    );
    close(
        &format!("{what}: log-likelihood"),
        fit.log_likelihood,
        want["log_likelihood"].as_f64().unwrap(),
    );
    close(
        &format!("{what}: null log-likelihood"),
        fit.null_log_likelihood,
        want["null_log_likelihood"].as_f64().unwrap(),
    );
    close(
        &format!("{what}: concordance"),
        fit.concordance.unwrap(),
        want["concordance"].as_f64().unwrap(),
    );
    close_all(
        &format!("{what}: means"),
        &fit.means,
        &floats(&want["means"]),
    );
    assert_eq!(
        fit.status,
        retentionkit::optim::FitStatus::Converged,
        "{what}: status"
    );
}

fn fit_rossi(
    r: &Rossi,
    covs: &[usize],
    weights: Option<&[f64]>,
    strata: Option<&[u32]>,
    robust: bool,
) -> CoxFit {
    let columns: Vec<&[f64]> = covs.iter().map(|&j| r.columns[j].as_slice()).collect();
    let data = RegressionData {
        durations: &r.week,
        events: &r.arrest,
        covariates: &columns,
        weights,
        strata,
    };
    cox_ph(
        &data,
        &CoxOptions {
            robust,
            ..CoxOptions::default()
        },
    )
    .unwrap()
}

/// The values at the probe times that are weeks of the data (all but 35.5):
/// lifelines' `predict_survival_function(times=...)` interpolates the cumulative hazard
/// linearly between the data's times, where retentionkit (and R's `survfit`) keep
/// Breslow's step function; at the data's times both are the same number.
fn on_grid(times: &[f64], values: &[f64]) -> Vec<f64> {
    times
        .iter()
        .zip(values)
        .filter(|(t, _)| t.fract() == 0.0)
        .map(|(_, v)| *v)
        .collect()
}

const ALL: [usize; 7] = [0, 1, 2, 3, 4, 5, 6];

#[test]
fn efron_fit_equals_lifelines() {
    let (r, e) = (rossi(), expected());
    let want = &e["efron"];
    let fit = fit_rossi(&r, &ALL, None, None, false);
    same_fit("efron", &fit, want);
    let s = fit.summary().unwrap();
    let col = |f: fn(&retentionkit::survival::cox::CoxCoefficient) -> f64| {
        s.iter().map(f).collect::<Vec<_>>()
    };
    let ws = &want["summary"];
    close_all(
        "exp(coef)",
        &col(|c| c.hazard_ratio),
        &floats(&ws["exp_coef"]),
    );
    close_all(
        "exp(coef) lower",
        &col(|c| c.hazard_ratio_lower),
        &floats(&ws["exp_coef_lower_95"]),
    );
    close_all(
        "exp(coef) upper",
        &col(|c| c.hazard_ratio_upper),
        &floats(&ws["exp_coef_upper_95"]),
    );
    close_all("z", &col(|c| c.z), &floats(&ws["z"]));
    close_all("p", &col(|c| c.p_value), &floats(&ws["p"]));
    let lr = fit.likelihood_ratio_test();
    close(
        "LR statistic",
        lr.statistic,
        want["log_likelihood_ratio_test"]["statistic"]
            .as_f64()
            .unwrap(),
    );
    close(
        "LR p",
        lr.p_value,
        want["log_likelihood_ratio_test"]["p_value"]
            .as_f64()
            .unwrap(),
    );
}

#[test]
fn baseline_and_predictions_equal_lifelines() {
    let (r, e) = (rossi(), expected());
    let want = &e["efron"];
    let times = floats(&e["times"]);
    let fit = fit_rossi(&r, &ALL, None, None, false);
    let base = &fit.baselines[0];
    let h: Vec<f64> = times
        .iter()
        .map(|&t| base.cumulative_hazard_at(t))
        .collect();
    let s: Vec<f64> = times.iter().map(|&t| base.survival_at(t)).collect();
    close_all(
        "baseline cumulative hazard",
        &h,
        &floats(&want["baseline_cumulative_hazard"]),
    );
    close_all("baseline survival", &s, &floats(&want["baseline_survival"]));
    for (k, row_want) in want["predict_survival"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let row: Vec<f64> = r.columns.iter().map(|c| c[k]).collect();
        let ours = fit.predict_survival(&row, 0, &times).unwrap();
        close_all(
            &format!("predicted survival of row {k}"),
            &on_grid(&times, &ours),
            &on_grid(&times, &floats(row_want)),
        );
    }
}

#[test]
fn proportional_hazards_test_equals_lifelines() {
    let (r, e) = (rossi(), expected());
    let fit = fit_rossi(&r, &ALL, None, None, false);
    let columns: Vec<&[f64]> = r.columns.iter().map(Vec::as_slice).collect();
    let data = RegressionData {
        durations: &r.week,
        events: &r.arrest,
        covariates: &columns,
        weights: None,
        strata: None,
    };
    for (name, transform) in [
        ("rank", TimeTransform::Rank),
        ("identity", TimeTransform::Identity),
        ("log", TimeTransform::Log),
        ("km", TimeTransform::Km),
    ] {
        let want = &e["efron"]["proportional_hazard_test"][name];
        let t = proportional_hazards_test(&fit, &data, transform).unwrap();
        let stat: Vec<f64> = t.iter().map(|x| x.statistic).collect();
        let p: Vec<f64> = t.iter().map(|x| x.p_value).collect();
        close_all(
            &format!("{name}: statistic"),
            &stat,
            &floats(&want["statistic"]),
        );
        close_all(&format!("{name}: p"), &p, &floats(&want["p_value"]));
    }
}

/// rossi with week + row / 1000: distinct durations, where lifelines' score residuals
/// (which do not handle ties) are Lin & Wei's, so its robust standard errors apply.
#[test]
fn robust_standard_errors_equal_lifelines_on_distinct_times() {
    let (mut r, e) = (rossi(), expected());
    for (i, w) in r.week.iter_mut().enumerate() {
        *w += i as f64 / 1000.0;
    }
    let want = &e["distinct"];
    for ties in [
        retentionkit::survival::cox::Ties::Efron,
        retentionkit::survival::cox::Ties::Breslow,
    ] {
        let columns: Vec<&[f64]> = r.columns.iter().map(Vec::as_slice).collect();
        let data = RegressionData {
            durations: &r.week,
            events: &r.arrest,
            covariates: &columns,
            weights: None,
            strata: None,
        };
        let fit = cox_ph(
            &data,
            &CoxOptions {
                robust: true,
                ties,
                ..CoxOptions::default()
            },
        )
        .unwrap();
        same_fit("distinct", &fit, want);
        close_all(
            "robust se",
            fit.robust_standard_errors.as_ref().unwrap(),
            &floats(&want["robust_se"]),
        );
        close_all(
            "summary se",
            &fit.summary()
                .unwrap()
                .iter()
                .map(|c| c.se)
                .collect::<Vec<_>>(),
            &floats(&want["robust_se"]),
        );
    }
}

#[test]
fn stratified_fit_equals_lifelines() {
    let (r, e) = (rossi(), expected());
    let want = &e["strata_wexp"];
    let strata: Vec<u32> = r.columns[3].iter().map(|&v| u32::from(v == 1.0)).collect();
    let fit = fit_rossi(&r, &[0, 1, 2, 4, 5, 6], None, Some(&strata), false);
    same_fit("strata", &fit, want);
    let times = floats(&e["times"]);
    for b in &fit.baselines {
        let s: Vec<f64> = times.iter().map(|&t| b.survival_at(t)).collect();
        let key = b.stratum.to_string();
        close_all(
            &format!("baseline survival, stratum {key}"),
            &s,
            &floats(&want["baseline_survival_by_stratum"][&key]),
        );
    }
    assert_eq!(fit.baselines.len(), 2);
    for (k, row_want) in want["predict_survival"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let row: Vec<f64> = [0, 1, 2, 4, 5, 6]
            .iter()
            .map(|&j| r.columns[j][k])
            .collect();
        let ours = fit.predict_survival(&row, strata[k], &times).unwrap();
        close_all(
            &format!("stratified predicted survival of row {k}"),
            &on_grid(&times, &ours),
            &on_grid(&times, &floats(row_want)),
        );
    }
}

#[test]
fn weighted_fit_equals_lifelines() {
    let (r, e) = (rossi(), expected());
    let weights: Vec<f64> = (0..432u32).map(|i| 1.0 + f64::from(i % 3) / 2.0).collect();
    let fit = fit_rossi(&r, &ALL, Some(&weights), None, false);
    same_fit("weighted", &fit, &e["weighted"]);
}

#[test]
fn weibull_aft_equals_lifelines() {
    use retentionkit::survival::aft::{weibull_aft, AftOptions};
    let (r, e) = (rossi(), expected());
    let want = &e["weibull_aft"];
    let columns: Vec<&[f64]> = r.columns.iter().map(Vec::as_slice).collect();
    let data = RegressionData {
        durations: &r.week,
        events: &r.arrest,
        covariates: &columns,
        weights: None,
        strata: None,
    };
    let fit = weibull_aft(&data, &AftOptions::default()).unwrap();
    assert_eq!(fit.status, retentionkit::optim::FitStatus::Converged);
    close_all("AFT coef", &fit.coefficients, &floats(&want["lambda_coef"]));
    close(
        "AFT intercept",
        fit.intercept,
        want["lambda_intercept"].as_f64().unwrap(),
    );
    close(
        "AFT log rho",
        fit.log_rho,
        want["rho_intercept"].as_f64().unwrap(),
    );
    close_all("AFT se", &fit.standard_errors, &floats(&want["lambda_se"]));
    close(
        "AFT intercept se",
        fit.intercept_se,
        want["lambda_intercept_se"].as_f64().unwrap(),
    );
    close(
        "AFT log rho se",
        fit.log_rho_se,
        want["rho_intercept_se"].as_f64().unwrap(),
    );
    close(
        "AFT log-likelihood",
        fit.log_likelihood,
        want["log_likelihood"].as_f64().unwrap(),
    );
    close(
        "AFT concordance",
        fit.concordance.unwrap(),
        want["concordance"].as_f64().unwrap(),
    );
    // The summary: z, p and the 95 % interval from lifelines' own
    // estimates and standard errors (z = coef/se, p = 2(1 − Φ(|z|)), coef ±
    // 1.959963984540054 se: the formulas of lifelines' `summary`, with
    // Φ⁻¹(0.975) to 16 digits).
    let rows = fit.summary(0.95).unwrap();
    let mut coef = floats(&want["lambda_coef"]);
    coef.push(want["lambda_intercept"].as_f64().unwrap());
    coef.push(want["rho_intercept"].as_f64().unwrap());
    let mut se = floats(&want["lambda_se"]);
    se.push(want["lambda_intercept_se"].as_f64().unwrap());
    se.push(want["rho_intercept_se"].as_f64().unwrap());
    assert_eq!(rows.len(), coef.len());
    for (i, row) in rows.iter().enumerate() {
        let z = coef[i] / se[i];
        close(&format!("AFT z[{i}]"), row.z, z);
        // An end near 0 is a difference of two near-equal numbers: 1e-6
        // relative to |coef| + 1.96 se, the size of its terms.
        let half = 1.959_963_984_540_054 * se[i];
        let scale = 1e-6 * (coef[i].abs() + half);
        for (what, got, want) in [
            ("lower", row.coef_lower, coef[i] - half),
            ("upper", row.coef_upper, coef[i] + half),
        ] {
            assert!(
                (got - want).abs() <= scale,
                "AFT {what}[{i}]: ours {got}, from lifelines {want}"
            );
        }
        close(&format!("AFT exp(coef)[{i}]"), row.exp_coef, coef[i].exp());
        // p = erfc(|z|/√2) at our z (p moves ~z² times faster than z, so
        // not at lifelines' z to 1e-6), by the complementary error
        // function's continued fraction, independent of the crate's
        // chi-square.
        let p = two_sided_p(row.z);
        assert!(
            (row.p_value - p).abs() <= 1e-10 * p,
            "AFT p[{i}]: {} vs erfc {p}",
            row.p_value
        );
    }
}

/// Two-sided normal p-value 2(1 − Φ(|z|)) = erfc(|z|/√2), by the Lentz
/// continued fraction of erfc for |z|/√2 ≥ 0.5 and the Taylor series of
/// erf below (Abramowitz & Stegun 7.1.5 and 7.1.14).
fn two_sided_p(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    if x < 0.5 {
        // erf x = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
        let (mut term, mut sum) = (x, x);
        for n in 1..60 {
            let nf = f64::from(n);
            term *= -x * x / nf;
            sum += term / (2.0 * nf + 1.0);
        }
        return 1.0 - 2.0 / std::f64::consts::PI.sqrt() * sum;
    }
    // erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
    let mut f = 0.0;
    for k in (1..200).rev() {
        f = f64::from(k) / 2.0 / (x + f);
    }
    (-x * x).exp() / std::f64::consts::PI.sqrt() / (x + f)
}
