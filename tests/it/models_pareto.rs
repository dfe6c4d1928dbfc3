//! The Pareto/NBD model against the literature and lifetimes, on CDNOW.

use retentionkit::models::pareto_nbd::{fit_pareto_nbd, ParetoNbdParams};
use retentionkit::models::RepeatData;
use retentionkit::optim::{FitOptions, FitStatus};

use crate::cdnow::weekly_calibration_summary;

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

#[test]
fn pareto_nbd_on_cdnow_reproduces_fader_hardie_lee_2005() {
    let data = RepeatData::from_summary(&weekly_calibration_summary().compress()).unwrap();
    assert_eq!(data.customers(), 2_357.0);
    let t0 = std::time::Instant::now();
    let fit = fit_pareto_nbd(&data, &FitOptions::default()).unwrap();
    eprintln!("{fit:?} {:?}", t0.elapsed());
    assert_eq!(fit.status, FitStatus::Converged);
    let p = fit.params;
    let pubp = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap();
    eprintln!("LL at published {}", pubp.log_likelihood(&data));
    assert_eq!(
        (
            round(p.r, 3),
            round(p.alpha, 3),
            round(p.s, 3),
            round(p.beta, 3)
        ),
        (0.553, 10.578, 0.606, 11.669)
    );
    assert_eq!(round(fit.log_likelihood, 1), -9595.0);
}
