//! The NBD model (`models::nbd`) on CDNOW, against scipy, and the
//! likelihood-ratio test of drop-out it was added for.
// Reference values are pasted verbatim from scipy_nbd.txt.
#![allow(clippy::unreadable_literal)]

use retentionkit::models::choice::likelihood_ratio_test;
use retentionkit::models::nbd::{fit_nbd, NbdParams};
use retentionkit::models::pareto_nbd::fit_pareto_nbd;
use retentionkit::models::RepeatData;
use retentionkit::optim::{FitOptions, FitStatus};

/// Hardie's published calibration summary (2-dp recency and age):
/// tests/data/cdnow_customers_summary.csv, the data scipy was run on.
fn hardie_summary() -> RepeatData {
    let text = std::fs::read_to_string(format!(
        "{}/data/cdnow_customers_summary.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let (mut x, mut tx, mut t) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        x.push(f[1].parse::<u32>().unwrap());
        tx.push(f[2].parse::<f64>().unwrap());
        t.push(f[3].parse::<f64>().unwrap());
    }
    RepeatData::new(&x, &tx, &t, None).unwrap()
}

#[test]
fn nbd_on_cdnow_matches_scipy_and_loses_to_the_pareto_nbd() {
    let d = hardie_summary();
    // tests/data/models/scipy_nbd.txt (make_nbd_reference.py): the
    // log-likelihood at fixed points, and scipy's maximum.
    for (r, alpha, want) in [
        (0.553, 10.578, -9883.241439854015),
        (1.0, 30.0, -9901.836806219835),
    ] {
        let ll = NbdParams::new(r, alpha).unwrap().log_likelihood(&d);
        assert!((ll - want).abs() < 1e-10 * want.abs(), "{ll} vs {want}");
    }
    let fit = fit_nbd(&d, &FitOptions::default()).unwrap();
    assert_eq!(fit.status, FitStatus::Converged);
    let (r, alpha, ll) = (0.38476767392649985, 12.07208498172625, -9763.660222232771);
    assert!((fit.params.r - r).abs() < 1e-6 * r, "{:?}", fit.params);
    assert!(
        (fit.params.alpha - alpha).abs() < 1e-6 * alpha,
        "{:?}",
        fit.params
    );
    assert!((fit.log_likelihood - ll).abs() < 1e-9 * ll.abs());
    // Do CDNOW's customers drop out? The Pareto/NBD on the same rows has
    // LL −9594.974 (tests/data/models/lifetimes_pareto_nbd.txt): Λ = 2 ×
    // 168.7 = 337.4 on the boundary μ = 0, p far below any level.
    let pareto = fit_pareto_nbd(&d, &FitOptions::default()).unwrap();
    let test = likelihood_ratio_test(&pareto.criteria(), &fit.criteria(), true).unwrap();
    assert!(
        (test.statistic - 2.0 * (-9594.974010 - ll)).abs() < 1e-3,
        "{test:?}"
    );
    assert_eq!(test.degrees_of_freedom, 2);
    assert!(test.p_value < 1e-60, "{test:?}");
}

#[test]
fn identical_customers_are_at_the_boundary_not_an_error() {
    // Four customers with two purchases each in the same 10 weeks: no
    // spread of purchase rates to explain, so the likelihood rises as the
    // gamma concentrates (r → ∞ with r/α = 0.2 fixed) and the fit ends at
    // the shape bound.
    let d = RepeatData::new(&[2, 2, 2, 2], &[5.0, 6.0, 7.0, 8.0], &[10.0; 4], None).unwrap();
    let fit = fit_nbd(&d, &FitOptions::default()).unwrap();
    assert_eq!(fit.status, FitStatus::AtBoundary);
    assert!(
        (fit.params.r / fit.params.alpha - 0.2).abs() < 1e-3,
        "{:?}",
        fit.params
    );
}
