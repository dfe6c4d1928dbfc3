//! Fits recover the parameters of data simulated from them (feature
//! `simulate`): every estimate within 3 standard errors of the truth, for
//! several seeds and parameter sets. The seeds are fixed, so the test is
//! deterministic; 3 SE is the usual 99.7 % band of an asymptotically normal
//! estimator.

use retentionkit::models::bg_nbd::{fit_bg_nbd, BgNbdParams};
use retentionkit::models::gamma_gamma::{fit_gamma_gamma, GammaGammaParams, SpendData};
use retentionkit::models::sbg::{fit_sbg, SbgData, SbgParams};
use retentionkit::models::{simulate, RepeatData};
use retentionkit::optim::{FitOptions, FitStatus};

#[track_caller]
fn within_3_se(name: &str, estimate: f64, se: f64, truth: f64) {
    assert!(
        (estimate - truth).abs() <= 3.0 * se,
        "{name}: estimate {estimate} ± {se}, truth {truth}"
    );
}

#[test]
fn bg_nbd_fit_recovers_simulated_parameters() {
    // Ages 26..=78 weeks, like a log with a year of acquisitions.
    let ages: Vec<f64> = (0..20_000).map(|i| 26.0 + f64::from(i % 53)).collect();
    for (truth, seed) in [
        (BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap(), 1),
        (BgNbdParams::new(1.5, 10.0, 0.5, 3.0).unwrap(), 2),
        (BgNbdParams::new(0.7, 2.0, 2.0, 8.0).unwrap(), 3),
    ] {
        let sim = simulate::bg_nbd(&truth, &ages, seed).unwrap();
        let data = RepeatData::new(&sim.frequency, &sim.recency, &sim.age, None).unwrap();
        let fit = fit_bg_nbd(&data, &FitOptions::default()).unwrap();
        assert_eq!(fit.status, FitStatus::Converged);
        let (p, se) = (fit.params, fit.standard_errors.unwrap());
        within_3_se("r", p.r, se.r, truth.r);
        within_3_se("alpha", p.alpha, se.alpha, truth.alpha);
        within_3_se("a", p.a, se.a, truth.a);
        within_3_se("b", p.b, se.b, truth.b);
    }
}

#[test]
fn sbg_fit_recovers_simulated_parameters() {
    for (truth, seed) in [
        (SbgParams::new(0.704, 1.182).unwrap(), 4),
        (SbgParams::new(0.668, 3.806).unwrap(), 5),
        (SbgParams::new(3.0, 10.0).unwrap(), 6),
    ] {
        let survivors = simulate::sbg(&truth, 5_000, 10, seed).unwrap();
        let fit = fit_sbg(
            &SbgData::from_survivors(&survivors).unwrap(),
            &FitOptions::default(),
        )
        .unwrap();
        assert_eq!(fit.status, FitStatus::Converged);
        let (p, se) = (fit.params, fit.standard_errors.unwrap());
        within_3_se("alpha", p.alpha, se.alpha, truth.alpha);
        within_3_se("beta", p.beta, se.beta, truth.beta);
    }
}

#[test]
fn gamma_gamma_fit_recovers_simulated_parameters() {
    let frequency: Vec<u32> = (0..5_000).map(|i| 1 + i % 8).collect();
    for (truth, seed) in [
        (GammaGammaParams::new(6.25, 3.74, 15.44).unwrap(), 7),
        (GammaGammaParams::new(2.0, 10.0, 100.0).unwrap(), 8),
    ] {
        let mean = simulate::gamma_gamma(&truth, &frequency, seed).unwrap();
        let data = SpendData::new(&frequency, &mean, None).unwrap();
        let fit = fit_gamma_gamma(&data, &FitOptions::default()).unwrap();
        assert_eq!(fit.status, FitStatus::Converged);
        let (p, se) = (fit.params, fit.standard_errors.unwrap());
        within_3_se("p", p.p, se.p, truth.p);
        within_3_se("q", p.q, se.q, truth.q);
        within_3_se("gamma", p.gamma, se.gamma, truth.gamma);
    }
}

#[test]
fn mbg_nbd_fit_recovers_simulated_parameters() {
    use retentionkit::models::mbg_nbd::{fit_mbg_nbd, MbgNbdParams};
    let ages: Vec<f64> = (0..20_000).map(|i| 26.0 + f64::from(i % 53)).collect();
    for (truth, seed) in [
        (MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap(), 11),
        (MbgNbdParams::new(1.5, 10.0, 0.5, 3.0).unwrap(), 12),
    ] {
        let sim = simulate::mbg_nbd(&truth, &ages, seed).unwrap();
        let data = RepeatData::new(&sim.frequency, &sim.recency, &sim.age, None).unwrap();
        let fit = fit_mbg_nbd(&data, &FitOptions::default()).unwrap();
        assert_eq!(fit.status, FitStatus::Converged);
        let (p, se) = (fit.params, fit.standard_errors.unwrap());
        within_3_se("r", p.r, se.r, truth.r);
        within_3_se("alpha", p.alpha, se.alpha, truth.alpha);
        within_3_se("a", p.a, se.a, truth.a);
        within_3_se("b", p.b, se.b, truth.b);
    }
}

#[test]
fn bg_bb_fit_recovers_simulated_parameters() {
    use retentionkit::models::bg_bb::{fit_bg_bb, BgBbData, BgBbParams};
    for (truth, seed) in [
        (BgBbParams::new(1.204, 0.750, 0.657, 2.783).unwrap(), 13),
        (BgBbParams::new(0.5, 2.0, 2.0, 10.0).unwrap(), 14),
    ] {
        let (x, t_x) = simulate::bg_bb(&truth, 20_000, 8, seed).unwrap();
        let n = vec![8; x.len()];
        let data = BgBbData::new(&x, &t_x, &n, None).unwrap();
        let fit = fit_bg_bb(&data, &FitOptions::default()).unwrap();
        assert_eq!(fit.status, FitStatus::Converged);
        let (p, se) = (fit.params, fit.standard_errors.unwrap());
        within_3_se("alpha", p.alpha, se.alpha, truth.alpha);
        within_3_se("beta", p.beta, se.beta, truth.beta);
        within_3_se("gamma", p.gamma, se.gamma, truth.gamma);
        within_3_se("delta", p.delta, se.delta, truth.delta);
    }
}

#[test]
fn pareto_nbd_fit_recovers_simulated_parameters() {
    use retentionkit::models::pareto_nbd::{fit_pareto_nbd, ParetoNbdParams};
    let ages: Vec<f64> = (0..10_000).map(|i| 26.0 + f64::from(i % 53)).collect();
    for (truth, seed) in [
        (
            ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap(),
            15,
        ),
        (ParetoNbdParams::new(1.5, 5.0, 0.8, 20.0).unwrap(), 16),
    ] {
        let sim = simulate::pareto_nbd(&truth, &ages, seed).unwrap();
        let data = RepeatData::new(&sim.frequency, &sim.recency, &sim.age, None).unwrap();
        let fit = fit_pareto_nbd(&data, &FitOptions::default()).unwrap();
        assert_eq!(fit.status, FitStatus::Converged);
        let (p, se) = (fit.params, fit.standard_errors.unwrap());
        within_3_se("r", p.r, se.r, truth.r);
        within_3_se("alpha", p.alpha, se.alpha, truth.alpha);
        within_3_se("s", p.s, se.s, truth.s);
        within_3_se("beta", p.beta, se.beta, truth.beta);
    }
}
