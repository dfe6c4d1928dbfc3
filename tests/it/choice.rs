//! Choosing a model on CDNOW: information criteria against the published
//! log-likelihoods, the likelihood-ratio test against χ² tables, the
//! scorecard, and the frequency–spend correlation against Fader, Hardie &
//! Lee (2005).

use retentionkit::models::bg_bb::fit_bg_bb;
use retentionkit::models::bg_nbd::{fit_bg_nbd, BgNbdParams};
use retentionkit::models::choice::{
    likelihood_ratio, likelihood_ratio_test, scorecard, scorecard_columns, scorecard_with_fit,
    HoldoutColumns, InformationCriteria, BEST_MODEL_RULE, SCORECARD_MODELS,
};
use retentionkit::models::gamma_gamma::{fit_gamma_gamma, SpendData, SPEND_CORRELATION_THRESHOLD};
use retentionkit::models::pareto_nbd::fit_pareto_nbd;
use retentionkit::models::repeat::{fit_repeat, RepeatKind};
use retentionkit::models::sbg::{fit_sbg, SbgData};
use retentionkit::models::simulate;
use retentionkit::models::RepeatData;
use retentionkit::optim::{FitOptions, FitStatus};
use retentionkit::period::day;
use retentionkit::summary::{calibration_holdout, summary, SummaryOptions, TimeUnit};
use retentionkit::{Error, TransactionLog};

use crate::cdnow::{cdnow_sample, weekly_calibration_summary};

fn cdnow() -> RepeatData {
    RepeatData::from_summary(&weekly_calibration_summary().compress()).unwrap()
}

#[test]
fn criteria_of_the_cdnow_fits_match_the_published_log_likelihoods() {
    let data = cdnow();
    let opts = FitOptions::default();
    // Fader, Hardie & Lee (2005): BG/NBD LL = −9582.4, Pareto/NBD LL = −9595.0
    // on the 2,357 CDNOW customers, 4 parameters each. By hand:
    // BG/NBD     AIC = 8 + 2 · 9582.4 = 19,172.8; BIC = 4 ln 2357 + 19,164.8
    //            = 4 · 7.765145 + 19,164.8 = 19,195.86;
    // Pareto/NBD AIC = 8 + 2 · 9595.0 = 19,198.0; BIC = 31.06 + 19,190.0 = 19,221.06.
    // The published LLs are rounded to 0.1, so ours may differ by 0.05 and
    // the criteria by 0.1.
    for (fit, aic, bic) in [
        (
            fit_bg_nbd(&data, &opts).unwrap().criteria(),
            19_172.8,
            19_195.86,
        ),
        (
            fit_pareto_nbd(&data, &opts).unwrap().criteria(),
            19_198.0,
            19_221.06,
        ),
    ] {
        assert_eq!((fit.parameters, fit.observations), (4, 2_357.0));
        assert!(
            (fit.aic - aic).abs() <= 0.1 + 1e-9,
            "AIC {} vs {aic}",
            fit.aic
        );
        assert!(
            (fit.bic - bic).abs() <= 0.1 + 1e-9,
            "BIC {} vs {bic}",
            fit.bic
        );
        assert_eq!(fit.aic, 8.0 - 2.0 * fit.log_likelihood);
    }
}

#[test]
fn each_model_counts_its_parameters_and_observations() {
    let opts = FitOptions::default();
    // BG/BB on the donations data: 11,104 donors (the sum of the weights of
    // tests/data/donations.csv), 4 parameters.
    let f = fit_bg_bb(&crate::models_bgbb::donations(), &opts).unwrap();
    assert_eq!((f.parameters, f.observations), (4, 11_104.0));
    // sBG on Fader & Hardie (2007)'s "Regular" cohort: 1,000 customers, 2 parameters.
    let s = SbgData::from_survivors(&[1000, 631, 468, 382, 326, 289, 262, 241]).unwrap();
    let f = fit_sbg(&s, &opts).unwrap();
    assert_eq!((f.parameters, f.observations), (2, 1_000.0));
    // Gamma-Gamma on CDNOW: the 946 repeat buyers (Fader, Hardie & Lee 2005,
    // "RFM and CLV"), 3 parameters; BIC = 3 ln 946 − 2 LL.
    let spend = SpendData::from_summary(&weekly_calibration_summary()).unwrap();
    let f = fit_gamma_gamma(&spend, &opts).unwrap();
    assert_eq!((f.parameters, f.observations), (3, 946.0));
    assert!((f.bic() - (3.0 * 946f64.ln() - 2.0 * f.log_likelihood)).abs() < 1e-9);
}

#[test]
fn likelihood_ratio_p_values_match_chi_square_tables() {
    // 5 % critical values (scipy.stats.chi2.ppf(0.95, d)): 3.841458820694124
    // for d = 1, 5.991464547107979 for d = 2, 9.487729036781154 for d = 4.
    for (lambda, d) in [
        (3.841_458_820_694_124, 1),
        (5.991_464_547_107_979, 2),
        (9.487_729_036_781_154, 4),
    ] {
        let t = likelihood_ratio(-1000.0, 4, -1000.0 - lambda / 2.0, 4 - d, false).unwrap();
        assert_eq!(t.degrees_of_freedom, d);
        assert!((t.statistic - lambda).abs() < 1e-9);
        assert!((t.p_value - 0.05).abs() < 1e-9, "d = {d}: {}", t.p_value);
    }
    // d = 2 has a closed form: P(χ²₂ ≥ Λ) = exp(−Λ/2); Λ = 6 gives e⁻³ = 0.049787068367863944.
    let t = likelihood_ratio(-10.0, 4, -13.0, 2, false).unwrap();
    assert!((t.p_value - 0.049_787_068_367_863_944).abs() < 1e-12);
    // Self & Liang's 50:50 mixture, one boundary parameter, d = 1: χ²₀ has
    // no tail, so p = ½ P(χ²₁ ≥ 2.705543) = ½ · 0.10 (chi2.ppf(0.9, 1)).
    let lambda = 2.705_543_454_095_404;
    let t = likelihood_ratio(-10.0, 3, -10.0 - lambda / 2.0, 2, true).unwrap();
    assert!((t.p_value - 0.05).abs() < 1e-9);
    // d = 2: ½ P(χ²₁ ≥ Λ) + ½ P(χ²₂ ≥ Λ) = ½ erfc(√(Λ/2)) + ½ exp(−Λ/2)
    // = 0.17926135614354116 (Python's math.erfc and math.exp).
    let t = likelihood_ratio(-10.0, 4, -10.0 - lambda / 2.0, 2, true).unwrap();
    assert!((t.p_value - 0.179_261_356_143_541_16).abs() < 1e-9);
    // Λ = 0 (equal LL): p = 1 either way.
    assert_eq!(
        likelihood_ratio(-5.0, 4, -5.0, 0, true).unwrap().p_value,
        1.0
    );
}

#[test]
fn likelihood_ratio_refuses_what_is_not_a_nested_pair() {
    let bad = |r: retentionkit::Result<_>, name: &str| match r {
        Err(Error::InvalidArgument { name: n, .. }) => assert_eq!(n, name),
        other => panic!("{other:?}"),
    };
    bad(likelihood_ratio(-10.0, 2, -12.0, 2, false), "parameters");
    bad(likelihood_ratio(-10.0, 4, -9.0, 2, false), "log_likelihood");
    bad(
        likelihood_ratio(f64::NAN, 4, -9.0, 2, false),
        "log_likelihood",
    );
    // Fits of different data: the BG/NBD of CDNOW against the sBG of 1,000 customers.
    let bg = fit_bg_nbd(&cdnow(), &FitOptions::default()).unwrap();
    let s = SbgData::from_survivors(&[1000, 631, 468]).unwrap();
    let sbg = fit_sbg(&s, &FitOptions::default()).unwrap();
    bad(
        likelihood_ratio_test(&bg.criteria(), &sbg.criteria(), false),
        "observations",
    );
}

/// A typed-in parameter vector as a restricted model with no free parameter.
fn typed_in(p: BgNbdParams, data: &RepeatData) -> InformationCriteria {
    InformationCriteria::new(p.log_likelihood(data), 0, data.customers())
}

#[test]
fn likelihood_ratio_keeps_its_size_on_simulated_bg_nbd_data() {
    // H0: the CDNOW parameters (FHL 2005) generated the data; the fit is the
    // full model (d = 4). 200 data sets of 1,000 customers aged 39 weeks:
    // at the 5 % level the test should reject about 10 times; a binomial(200,
    // 0.05) falls in 3..=19 with probability above 99.5 %.
    let truth = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let ages = vec![39.0; 1_000];
    let mut rejected = 0;
    for seed in 0..200 {
        let s = simulate::bg_nbd(&truth, &ages, seed).unwrap();
        let data = RepeatData::new(&s.frequency, &s.recency, &s.age, None).unwrap();
        let full = fit_bg_nbd(&data, &FitOptions::default()).unwrap();
        let t = likelihood_ratio_test(&full.criteria(), &typed_in(truth, &data), false).unwrap();
        assert_eq!(t.degrees_of_freedom, 4);
        if t.p_value < 0.05 {
            rejected += 1;
        }
    }
    assert!((3..=19).contains(&rejected), "{rejected} of 200 rejected");
}

#[test]
fn scorecard_on_cdnow_fits_three_models_and_picks_the_lowest_bic() {
    let (ids, days, amounts) = cdnow_sample();
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    // FHL 2005's split: calibration to 1997-09-30, holdout of 39 weeks to 1998-06-30.
    let split = calibration_holdout(
        &log,
        day(1997, 9, 30).unwrap(),
        Some(day(1998, 6, 30).unwrap()),
        TimeUnit::Weeks,
    )
    .unwrap();
    let card = scorecard(&split, &SCORECARD_MODELS, &FitOptions::default()).unwrap();
    let kinds: Vec<RepeatKind> = card.rows.iter().map(|r| r.model).collect();
    assert_eq!(kinds, SCORECARD_MODELS);
    for r in &card.rows {
        assert_eq!(r.status, FitStatus::Converged, "{:?}", r.model);
        assert_eq!(
            (r.criteria.parameters, r.criteria.observations),
            (4, 2_357.0)
        );
    }
    // The published LLs (FHL 2005), to their 0.1 rounding.
    assert!((card.rows[0].criteria.log_likelihood + 9_582.4).abs() <= 0.05 + 1e-9);
    assert!((card.rows[2].criteria.log_likelihood + 9_595.0).abs() <= 0.05 + 1e-9);
    // Holdout errors of BG/NBD at its own estimates, close to lifetimes' at the
    // published (rounded) parameters: MAE 0.78561, RMSE 1.60798, bias −0.09676
    // (tests/it/models.rs); the estimates differ in the 4th digit.
    let bg = &card.rows[0];
    assert!((bg.mae - 0.785_61).abs() < 2e-3, "{}", bg.mae);
    assert!((bg.rmse - 1.607_98).abs() < 2e-3, "{}", bg.rmse);
    assert!((bg.bias + 0.096_76).abs() < 2e-3, "{}", bg.bias);
    // The rule: the lowest BIC among converged fits (all three here).
    let lowest = card
        .rows
        .iter()
        .min_by(|a, b| a.criteria.bic.total_cmp(&b.criteria.bic))
        .unwrap();
    assert_eq!(card.best, Some(lowest.model));
    assert_eq!(card.best_row().map(|r| r.model), card.best);
    assert!(BEST_MODEL_RULE.starts_with("lowest BIC"));
    // The same table as columns gives the same card (the Python and npm path).
    let cal = &split.calibration;
    let columns = HoldoutColumns {
        frequency: &cal.frequency,
        recency: &cal.recency(),
        age: &cal.age(),
        frequency_holdout: &split.frequency_holdout,
        duration_holdout: split.duration_holdout,
    };
    let again = scorecard_columns(&columns, &SCORECARD_MODELS, &FitOptions::default()).unwrap();
    assert_eq!(again, card);
    let short = HoldoutColumns {
        frequency_holdout: &split.frequency_holdout[1..],
        ..columns
    };
    assert!(matches!(
        scorecard_columns(&short, &SCORECARD_MODELS, &FitOptions::default()),
        Err(Error::LengthMismatch {
            column: "frequency_holdout",
            ..
        })
    ));
    // A BG/NBD fit made elsewhere on the same calibration period stands in
    // for the card's own: the same card. A fit on other rows (the whole log)
    // or of a model not on the list is refused by name.
    let o = FitOptions::default();
    let bg = fit_repeat(
        RepeatKind::BgNbd,
        &RepeatData::from_summary(cal).unwrap(),
        &o,
    )
    .unwrap();
    assert_eq!(
        scorecard_with_fit(&split, &SCORECARD_MODELS, &o, &bg).unwrap(),
        card
    );
    let everyone = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks)).unwrap();
    let other = fit_repeat(
        RepeatKind::BgNbd,
        &RepeatData::from_summary(&everyone).unwrap(),
        &o,
    )
    .unwrap();
    for (known, models) in [
        (&other, &SCORECARD_MODELS[..]),
        (&bg, &[RepeatKind::ParetoNbd][..]),
    ] {
        let e = scorecard_with_fit(&split, models, &o, known).unwrap_err();
        assert!(
            matches!(e, Error::InvalidArgument { name: "known", .. }),
            "{e:?}"
        );
    }
    // Bad lists of models.
    assert!(scorecard(&split, &[], &FitOptions::default()).is_err());
    let twice = [RepeatKind::BgNbd, RepeatKind::BgNbd];
    assert!(scorecard(&split, &twice, &FitOptions::default()).is_err());
}

#[test]
fn frequency_spend_correlation_on_cdnow_is_fhls_0_11() {
    // Fader, Hardie & Lee (2005), "RFM and CLV": 0.11 between x and z̄ over the
    // 946 repeat buyers. Python's statistics.correlation on Hardie's published
    // x and zbar (tests/data/cdnow_customers_summary_with_transactions.csv,
    // z̄ rounded to cents) gives 0.1138839104860045.
    let spend = SpendData::from_summary(&weekly_calibration_summary()).unwrap();
    let r = spend.frequency_spend_correlation().unwrap();
    assert!((r - 0.113_883_910_486).abs() < 1e-4, "{r}");
    assert_eq!((r * 100.0).round() / 100.0, 0.11);
    assert!(r < SPEND_CORRELATION_THRESHOLD);
    assert_eq!(spend.spend_correlation_warning(), None);
    // The grouped table gives the same correlation (weights counted).
    let grouped =
        SpendData::from_compressed(&weekly_calibration_summary().compress_spend().unwrap())
            .unwrap();
    let rg = grouped.frequency_spend_correlation().unwrap();
    assert!((rg - r).abs() < 1e-12);
    // No variation in x: not defined.
    let flat = SpendData::new(&[2, 2], &[10.0, 30.0], None).unwrap();
    assert_eq!(flat.frequency_spend_correlation(), None);
}
