//! The regularity models BG/CNBD-k and MBG/CNBD-k and the Wheat–Morrison
//! statistic: k = 1 against the BG/NBD and MBG/NBD fits on CDNOW
//! (tests/data/SOURCES.md), the choice of k on CDNOW, and recovery of
//! simulated truths.

use retentionkit::models::bg_nbd::fit_bg_nbd;
use retentionkit::models::cnbd::{fit_cnbd, CnbdKind, CnbdOptions, CnbdParams, RegularityData};
use retentionkit::models::mbg_nbd::fit_mbg_nbd;
use retentionkit::models::{simulate, RepeatData};
use retentionkit::optim::{FitOptions, FitStatus};
use retentionkit::period::day;
use retentionkit::regularity::{log_intertransaction_times, wheat_morrison};
use retentionkit::summary::{summary, SummaryOptions, TimeUnit};
use retentionkit::TransactionLog;

fn calibration() -> SummaryOptions {
    SummaryOptions::default()
        .with_unit(TimeUnit::Weeks)
        .with_observation_end(Some(day(1997, 9, 30).unwrap()))
}

fn cdnow() -> (RegularityData, retentionkit::summary::Summary) {
    let (ids, days, amounts) = crate::cdnow::cdnow_sample();
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let s = summary(&log, &calibration()).unwrap();
    (RegularityData::from_log(&log, &calibration()).unwrap(), s)
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// The rows of the regularity data are the BG/NBD's rows of the same
/// summary, and the litt column has one value per summary customer.
#[test]
fn cdnow_regularity_data_has_the_summary_rows() {
    let (ids, days, _) = crate::cdnow::cdnow_sample();
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let s = summary(&log, &calibration()).unwrap();
    let litt = log_intertransaction_times(&log, &calibration()).unwrap();
    assert_eq!(litt.len(), 2357);
    let (d, _) = cdnow();
    assert_eq!(d.repeat(), &RepeatData::from_summary(&s).unwrap());
    // Customers with one repeat purchase: litt = ln t_x (hand rule: one gap).
    for i in (0..s.frequency.len()).filter(|&i| s.frequency[i] == 1) {
        assert!((litt[i] - s.recency()[i].ln()).abs() < 1e-12);
    }
}

/// Fixed k = 1 gives the BG/NBD and MBG/NBD fits: parameters,
/// log-likelihood and predictions within 1e-9 relative.
#[test]
fn cdnow_k1_is_bg_nbd_and_mbg_nbd() {
    let (d, s) = cdnow();
    let one = CnbdOptions::default().with_k(1);
    let bg = fit_bg_nbd(d.repeat(), &FitOptions::default()).unwrap();
    let c = fit_cnbd(&d, CnbdKind::BgCnbd, &one).unwrap().fit;
    let mbg = fit_mbg_nbd(d.repeat(), &FitOptions::default()).unwrap();
    let m = fit_cnbd(&d, CnbdKind::MbgCnbd, &one).unwrap().fit;
    assert_eq!(
        (c.status, m.status),
        (FitStatus::Converged, FitStatus::Converged)
    );
    let cp = [c.params.r, c.params.alpha, c.params.a, c.params.b];
    let bp = [bg.params.r, bg.params.alpha, bg.params.a, bg.params.b];
    let mp = [m.params.r, m.params.alpha, m.params.a, m.params.b];
    let mbp = [mbg.params.r, mbg.params.alpha, mbg.params.a, mbg.params.b];
    for j in 0..4 {
        assert!(
            rel(cp[j], bp[j]) < 1e-9,
            "BG/CNBD-1 {cp:?} vs BG/NBD {bp:?}"
        );
        assert!(
            rel(mp[j], mbp[j]) < 1e-9,
            "MBG/CNBD-1 {mp:?} vs MBG/NBD {mbp:?}"
        );
    }
    assert!(rel(c.log_likelihood, bg.log_likelihood) < 1e-12);
    assert!(rel(m.log_likelihood, mbg.log_likelihood) < 1e-12);
    let (x, tx, t) = (&s.frequency, s.recency(), s.age());
    let pc = c.params.predict(x, &tx, &t, 39.0).unwrap();
    let pb = bg.params.predict(&s, 39.0).unwrap();
    let pm = m.params.predict(x, &tx, &t, 39.0).unwrap();
    for i in 0..x.len() {
        assert!(rel(pc.expected_purchases[i], pb.expected_purchases[i]) < 1e-9);
        assert!(rel(pc.probability_alive[i], pb.probability_alive[i]) < 1e-9);
        let e = mbg
            .params
            .expected_purchases(x[i], tx[i], t[i], 39.0)
            .unwrap();
        assert!(rel(pm.expected_purchases[i], e) < 1e-9);
        let a = mbg.params.probability_alive(x[i], tx[i], t[i]).unwrap();
        assert!(rel(pm.probability_alive[i], a) < 1e-9);
    }
}

/// CDNOW selects k = 1 for both models (BTYDplus's `demo/cdnow.R` says
/// the same of MBG/CNBD-k: "k=1 -> no regularity detected for CDNow").
#[test]
fn cdnow_selects_k1() {
    let (d, _) = cdnow();
    for kind in [CnbdKind::BgCnbd, CnbdKind::MbgCnbd] {
        let f = fit_cnbd(&d, kind, &CnbdOptions::default()).unwrap();
        assert_eq!(f.candidates.len(), 12);
        assert_eq!(f.fit.params.k, 1, "{kind:?}: {:?}", f.candidates);
        assert_eq!(f.fit.parameters, 5);
        // The likelihood falls with k: CDNOW's timing is, if anything, less
        // regular than Poisson.
        assert!(f.candidates[1].log_likelihood < f.candidates[0].log_likelihood);
    }
}

fn within_3_se(name: &str, estimate: f64, se: f64, truth: f64) {
    assert!(
        (estimate - truth).abs() <= 3.0 * se,
        "{name}: estimate {estimate} ± {se}, truth {truth}"
    );
}

/// A simulated k = 3 world (the parameters of BTYDplus's own BG/CNBD-k
/// test, 4,000 customers observed 36 to 96 weeks): k = 3 is selected and
/// (r, α, a, b) are within 3 standard errors of the truth.
#[test]
fn simulated_k3_is_recovered() {
    let ages: Vec<f64> = (0..4000).map(|i| 36.0 + 12.0 * f64::from(i % 6)).collect();
    for (kind, seed) in [(CnbdKind::BgCnbd, 21), (CnbdKind::MbgCnbd, 22)] {
        let truth = CnbdParams::new(kind, 3, 0.85, 1.45, 0.79, 2.42).unwrap();
        let sim = simulate::cnbd(&truth, &ages, seed).unwrap();
        let d =
            RegularityData::new(&sim.frequency, &sim.recency, &sim.age, &sim.litt, None).unwrap();
        let f = fit_cnbd(&d, kind, &CnbdOptions::default()).unwrap();
        assert_eq!(f.fit.params.k, 3, "{kind:?}: {:?}", f.candidates);
        assert_eq!(f.fit.status, FitStatus::Converged);
        let (p, se) = (f.fit.params, f.fit.standard_errors.unwrap());
        within_3_se("r", p.r, se.r, truth.r);
        within_3_se("alpha", p.alpha, se.alpha, truth.alpha);
        within_3_se("a", p.a, se.a, truth.a);
        within_3_se("b", p.b, se.b, truth.b);
    }
}

/// Simulated Erlang-k timing on whole days gives a Wheat–Morrison k near
/// the truth: λ ~ gamma(8, 80) per day (mean gap k/λ about 30k/8... days),
/// little drop-out, two years observed. The estimate's standard error is
/// about 0.1 here (V = 1/(4(2k + 1)), n in the thousands); 0.4 is the bound.
#[test]
fn wheat_morrison_recovers_simulated_k() {
    for k in [1u32, 3] {
        let truth =
            CnbdParams::new(CnbdKind::BgCnbd, k, 8.0, 80.0 / f64::from(k), 0.5, 20.0).unwrap();
        let sim =
            simulate::cnbd_transactions(&truth, &vec![0.0; 3000], &vec![730.0; 3000], 5).unwrap();
        let (mut ids, mut days) = (Vec::new(), Vec::new());
        for c in 0..sim.customers() {
            for &t in &sim.time[sim.offsets[c]..sim.offsets[c + 1]] {
                ids.push(c as u64);
                #[allow(clippy::cast_possible_truncation)]
                days.push(t.floor() as i32);
            }
        }
        let log = TransactionLog::new(&ids, &days, None).unwrap();
        let wm = wheat_morrison(
            &log,
            &SummaryOptions::default().with_observation_end(Some(730)),
        )
        .unwrap();
        assert!(wm.customers > 2000, "{wm:?}");
        assert!((wm.k - f64::from(k)).abs() < 0.4, "k = {k}: {wm:?}");
    }
}
