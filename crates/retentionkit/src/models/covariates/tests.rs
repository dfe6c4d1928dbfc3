use super::*;
use crate::models::gamma_gamma::{GammaGammaParams, SpendData};
use crate::models::sbg::{SbgCohorts, SbgParams};
use crate::models::{bg_nbd, pareto_nbd};

/// Hardie's CDNOW calibration summary (2,357 customers, weeks), the data
/// of Fader, Hardie & Lee (2005): tests/data/cdnow_customers_summary.csv.
fn cdnow() -> (Vec<u32>, Vec<f64>, Vec<f64>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/cdnow_customers_summary.csv"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let (mut x, mut tx, mut t) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        x.push(f[1].parse::<u32>().unwrap());
        tx.push(f[2].parse::<f64>().unwrap());
        t.push(f[3].parse::<f64>().unwrap());
    }
    (x, tx, t)
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// Uniform on (−√3, √3) (mean 0, variance 1), from `customer_seed`'s bits:
/// deterministic covariate values for the tests.
#[cfg(feature = "simulate")]
#[allow(clippy::cast_precision_loss)]
fn uniform(seed: u64, i: usize) -> f64 {
    let u =
        (crate::models::simulate::customer_seed(seed, i as u64) >> 11) as f64 / (1u64 << 53) as f64;
    (2.0 * u - 1.0) * 3f64.sqrt()
}

#[test]
fn zero_covariates_give_the_fit_and_predictions_without_them_bit_for_bit() {
    // With z = 0 every customer has the population parameters, the γ
    // gradient is exactly 0, and the search takes the steps of the fit
    // without covariates: the same estimates, LL, status and iterations,
    // to the last bit (the constant-column check is skipped here, which the
    // public fits would refuse).
    let (x, tx, t) = cdnow();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    let table = CovariateTable::new(n)
        .with_numeric("z1", &vec![0.0; n])
        .unwrap()
        .with_numeric("z2", &vec![0.0; n])
        .unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["z1"]))
        .with_dropout(names(&["z2"]));

    let plain = pareto_nbd::fit_pareto_nbd(&data, &FitOptions::default()).unwrap();
    let cov: CovariateFit<ParetoNbdParams> = fit_with(&data, &table, &o, false).unwrap();
    assert_eq!(cov.params, plain.params);
    assert_eq!(cov.log_likelihood, plain.log_likelihood);
    assert_eq!(cov.status, plain.status);
    assert_eq!(cov.iterations, plain.iterations);
    assert_eq!(
        (cov.purchase[0].estimate, cov.dropout[0].estimate),
        (0.0, 0.0)
    );
    let own = cov.customer_params(&table).unwrap();
    assert!(own.iter().all(|p| *p == plain.params));
    let (pa, e, new) = (
        cov.probability_alive(&table, &x, &tx, &t).unwrap(),
        cov.expected_purchases(&table, &x, &tx, &t, 39.0).unwrap(),
        cov.expected_purchases_new(&table, 39.0).unwrap(),
    );
    for i in 0..n {
        assert_eq!(
            pa[i],
            plain.params.probability_alive(x[i], tx[i], t[i]).unwrap()
        );
        assert_eq!(
            e[i],
            plain
                .params
                .expected_purchases(x[i], tx[i], t[i], 39.0)
                .unwrap()
        );
        assert_eq!(new[i], plain.params.expected_purchases_new(39.0).unwrap());
    }

    let plain = bg_nbd::fit_bg_nbd(&data, &FitOptions::default()).unwrap();
    let cov: CovariateFit<BgNbdParams> = fit_with(&data, &table, &o, false).unwrap();
    assert_eq!(cov.params, plain.params);
    assert_eq!(cov.log_likelihood, plain.log_likelihood);
    assert_eq!(cov.status, plain.status);
    assert_eq!(cov.iterations, plain.iterations);
    let (pa, e, new) = (
        cov.probability_alive(&table, &x, &tx, &t).unwrap(),
        cov.expected_purchases(&table, &x, &tx, &t, 39.0).unwrap(),
        cov.expected_purchases_new(&table, 39.0).unwrap(),
    );
    for i in 0..n {
        assert_eq!(
            pa[i],
            plain.params.probability_alive(x[i], tx[i], t[i]).unwrap()
        );
        assert_eq!(
            e[i],
            plain
                .params
                .expected_purchases(x[i], tx[i], t[i], 39.0)
                .unwrap()
        );
        assert_eq!(new[i], plain.params.expected_purchases_new(39.0).unwrap());
    }
}

/// Central differences of `like` at `v` against its analytic gradient, to
/// 1e-6 relative (steps 1e-4 relative for the base parameters, 1e-4 for
/// the γ's).
fn check_gradient(like: &Likelihood<'_>, v: &[f64]) {
    let (_, g) = like.eval(v).unwrap();
    let nb = like.links.len();
    for j in 0..v.len() {
        let h = if j < nb { 1e-4 * v[j] } else { 1e-4 };
        let at = |e: f64| {
            let mut w = v.to_vec();
            w[j] += e;
            like.eval(&w).unwrap().0
        };
        let fd = (at(h) - at(-h)) / (2.0 * h);
        assert!(
            (fd - g[j]).abs() <= 1e-6 * g[j].abs().max(1.0),
            "component {j}: analytic {}, finite difference {fd}",
            g[j]
        );
    }
}

#[test]
fn analytic_gradient_equals_central_differences() {
    // CDNOW with a numeric covariate (a smooth function of the customer's
    // row number), a categorical one with three levels and a shared
    // effect; evaluated away from the optimum so every component matters.
    let (x, tx, t) = cdnow();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    #[allow(clippy::cast_precision_loss)]
    let z: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.37).sin()).collect();
    let level: Vec<&str> = (0..n).map(|i| ["a", "b", "c"][i % 3]).collect();
    let table = CovariateTable::new(n)
        .with_numeric("z", &z)
        .unwrap()
        .with_categorical("k", &level, None)
        .unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["z", "k"]))
        .with_dropout(names(&["z", "k"]))
        .with_equal(names(&["k=c"]));
    let problem = Problem::new::<ParetoNbdParams>(&data, &table, &o, true).unwrap();
    // Free γ's: purchase z, k=b, k=c (shared), dropout z, k=b.
    assert_eq!(problem.design.lambda.len(), 5);
    let v = [0.6, 9.0, 0.7, 12.0, 0.3, -0.2, 0.15, -0.25, 0.4];
    check_gradient(&problem.likelihood::<ParetoNbdParams>(&data), &v);
    let v = [0.3, 5.0, 0.8, 2.5, 0.3, -0.2, 0.15, -0.25, 0.4];
    check_gradient(&problem.likelihood::<BgNbdParams>(&data), &v);
}

/// Simulated customers with a numeric purchase effect, a categorical
/// dropout effect and an irrelevant numeric covariate.
#[cfg(feature = "simulate")]
fn simulated<P>(base: &P, gamma_p: f64, gamma_d: f64, n: usize) -> (RepeatData, CovariateTable)
where
    P: CovariateModel + Into<crate::models::repeat::RepeatParams>,
{
    let z: Vec<f64> = (0..n).map(|i| uniform(11, i)).collect();
    let noise: Vec<f64> = (0..n).map(|i| uniform(12, i)).collect();
    let level: Vec<&str> = (0..n).map(|i| ["no", "yes"][i % 2]).collect();
    let purchase: Vec<f64> = z.iter().map(|z| gamma_p * z).collect();
    #[allow(clippy::cast_precision_loss)]
    let dropout: Vec<f64> = (0..n).map(|i| gamma_d * (i % 2) as f64).collect();
    let sim = crate::models::simulate::covariates(base, &purchase, &dropout, &vec![52.0; n], 2026)
        .unwrap();
    let data = RepeatData::new(&sim.frequency, &sim.recency, &sim.age, None).unwrap();
    let table = CovariateTable::new(n)
        .with_numeric("z", &z)
        .unwrap()
        .with_numeric("noise", &noise)
        .unwrap()
        .with_categorical("flag", &level, None)
        .unwrap();
    (data, table)
}

#[cfg(feature = "simulate")]
#[track_caller]
fn within_three_se(e: &Effect, truth: f64) {
    let se = e.standard_error.unwrap();
    assert!(
        (e.estimate - truth).abs() < 3.0 * se,
        "{}: {} ± {se}, truth {truth}",
        e.name,
        e.estimate
    );
}

#[cfg(feature = "simulate")]
#[test]
fn pareto_nbd_recovers_simulated_effects() {
    // Truth: the CDNOW estimates of FHL (2005) as the population, γ_P = 0.5
    // on z, γ_D = −0.7 on flag=yes, nothing on noise (simulate::covariates).
    let base = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap();
    let (data, table) = simulated(&base, 0.5, -0.7, 4000);
    let o = CovariateOptions::default()
        .with_purchase(names(&["z", "noise"]))
        .with_dropout(names(&["flag"]));
    let fit = fit_pareto_nbd(&data, &table, &o).unwrap();
    assert_eq!(fit.status, FitStatus::Converged);
    within_three_se(&fit.purchase[0], 0.5);
    within_three_se(&fit.purchase[1], 0.0);
    within_three_se(&fit.dropout[0], -0.7);
    // The run on 2026-12-07: z 0.508 ± 0.027, noise −0.026 ± 0.027 (z = −0.93),
    // flag=yes −0.805 ± 0.133.
    let se = fit.standard_errors.unwrap();
    for (est, se, truth) in [
        (fit.params.r, se.r, 0.553),
        (fit.params.alpha, se.alpha, 10.578),
        (fit.params.s, se.s, 0.606),
        (fit.params.beta, se.beta, 11.669),
    ] {
        assert!(
            (est - truth).abs() < 3.0 * se,
            "{est} ± {se}, truth {truth}"
        );
    }
    eprintln!(
        "Pareto/NBD: {:?} {:?}, irrelevant z = {:?}",
        fit.purchase,
        fit.dropout,
        fit.purchase[1].z()
    );
}

#[cfg(feature = "simulate")]
#[test]
fn bg_nbd_recovers_simulated_effects() {
    // Truth: the CDNOW estimates of FHL (2005), γ_P = 0.5 on z, γ_D = 0.8
    // on flag=yes (a and b e^0.8 times larger), nothing on noise.
    let base = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let (data, table) = simulated(&base, 0.5, 0.8, 4000);
    let o = CovariateOptions::default()
        .with_purchase(names(&["z", "noise"]))
        .with_dropout(names(&["flag"]));
    let fit = fit_bg_nbd(&data, &table, &o).unwrap();
    assert_eq!(fit.status, FitStatus::Converged);
    within_three_se(&fit.purchase[0], 0.5);
    within_three_se(&fit.purchase[1], 0.0);
    within_three_se(&fit.dropout[0], 0.8);
    // The run on 2026-12-07: z 0.561 ± 0.040, noise −0.072 ± 0.040 (z = −1.78),
    // flag=yes 1.08 ± 0.32.
    eprintln!(
        "BG/NBD: {:?} {:?}, irrelevant z = {:?}",
        fit.purchase,
        fit.dropout,
        fit.purchase[1].z()
    );
}

#[cfg(feature = "simulate")]
#[test]
fn a_huge_l2_penalty_drives_the_effects_to_zero_and_equal_shares_one() {
    let base = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap();
    let (data, table) = simulated(&base, 0.5, -0.7, 1000);
    // λ = 1e8: the penalised optimum has |γ| ≤ |∂(LL/n)/∂γ| / (2λ) at
    // γ = 0, and that derivative is O(1) per customer (|z| ≤ √3), so
    // |γ| is below 1e-7.
    let o = CovariateOptions::default()
        .with_purchase(names(&["z"]))
        .with_dropout(names(&["flag"]))
        .with_l2_purchase(1e8)
        .with_l2_dropout(1e8);
    let fit = fit_pareto_nbd(&data, &table, &o).unwrap();
    assert!(fit.purchase[0].estimate.abs() < 1e-7, "{:?}", fit.purchase);
    assert!(fit.dropout[0].estimate.abs() < 1e-7, "{:?}", fit.dropout);
    // Without the penalty the purchase effect is far from 0.
    let free = fit_pareto_nbd(
        &data,
        &table,
        &o.clone().with_l2_purchase(0.0).with_l2_dropout(0.0),
    )
    .unwrap();
    assert!(free.purchase[0].estimate > 0.2, "{:?}", free.purchase);

    // One γ for z in both processes: 4 + 1 parameters, the same estimate twice.
    let o = CovariateOptions::default()
        .with_purchase(names(&["z"]))
        .with_dropout(names(&["z"]))
        .with_equal(names(&["z"]));
    let fit = fit_pareto_nbd(&data, &table, &o).unwrap();
    assert_eq!(fit.parameters, 5);
    assert_eq!(fit.purchase[0].estimate, fit.dropout[0].estimate);
    assert!(fit.purchase[0].shared && fit.dropout[0].shared);
}

#[test]
fn bad_covariates_are_typed_errors() {
    let data = RepeatData::new(&[0, 1, 3], &[0.0, 10.0, 20.0], &[30.0, 30.0, 30.0], None).unwrap();
    assert!(matches!(
        CovariateTable::new(3).with_numeric("z", &[1.0, 2.0]),
        Err(Error::LengthMismatch {
            column: "covariates",
            expected: 3,
            got: 2
        })
    ));
    assert!(matches!(
        CovariateTable::new(2).with_numeric("z", &[1.0, f64::NAN]),
        Err(Error::InvalidValue {
            column: "covariates",
            row: 1,
            ..
        })
    ));
    assert!(matches!(
        CovariateTable::new(2).with_categorical("k", &["a", "b"], Some("c")),
        Err(Error::InvalidArgument {
            name: "reference",
            ..
        })
    ));
    let table = CovariateTable::new(3)
        .with_numeric("z", &[1.0, 2.0, 0.5])
        .unwrap()
        .with_numeric("flat", &[2.0, 2.0, 2.0])
        .unwrap()
        .with_categorical("one", &["a", "a", "a"], None)
        .unwrap();
    assert!(matches!(
        table.clone().with_numeric("z", &[0.0; 3]),
        Err(Error::InvalidArgument {
            name: "covariates",
            ..
        })
    ));
    let fit = |o: CovariateOptions| fit_pareto_nbd(&data, &table, &o).map(|_| ());
    let err = fit(CovariateOptions::default().with_purchase(names(&["flat"]))).unwrap_err();
    assert!(err.to_string().contains("`flat` is constant"), "{err}");
    let err = fit(CovariateOptions::default().with_dropout(names(&["one"]))).unwrap_err();
    assert!(err.to_string().contains("has one level"), "{err}");
    let err = fit(CovariateOptions::default().with_purchase(names(&["zz"]))).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                name: "purchase",
                ..
            }
        ),
        "{err}"
    );
    let err = fit(CovariateOptions::default()
        .with_purchase(names(&["z"]))
        .with_equal(names(&["z"])))
    .unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { name: "equal", .. }),
        "{err}"
    );
    let err = fit(CovariateOptions::default()
        .with_purchase(names(&["z"]))
        .with_l2_purchase(-1.0))
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                name: "l2_purchase",
                ..
            }
        ),
        "{err}"
    );
    let short = CovariateTable::new(2)
        .with_numeric("z", &[1.0, 2.0])
        .unwrap();
    let err = fit_bg_nbd(
        &data,
        &short,
        &CovariateOptions::default().with_purchase(names(&["z"])),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::LengthMismatch {
                expected: 3,
                got: 2,
                ..
            }
        ),
        "{err}"
    );

    // Predictions: a covariate the table lacks, a level the fit did not see.
    let table = CovariateTable::new(3)
        .with_categorical("k", &["a", "b", "a"], None)
        .unwrap();
    let fit = fit_bg_nbd(
        &data,
        &table,
        &CovariateOptions::default().with_purchase(names(&["k"])),
    )
    .unwrap();
    assert_eq!(fit.purchase[0].name, "k=b");
    let other = CovariateTable::new(1).with_numeric("z", &[1.0]).unwrap();
    assert!(fit.customer_params(&other).is_err());
    let new_level = CovariateTable::new(1)
        .with_categorical("k", &["c"], None)
        .unwrap();
    let err = fit.customer_params(&new_level).unwrap_err();
    assert!(err.to_string().contains("level `c`"), "{err}");
    // A table of reference-level customers only is fine: the population.
    let reference = CovariateTable::new(1)
        .with_categorical("k", &["a"], None)
        .unwrap();
    assert_eq!(fit.customer_params(&reference).unwrap(), [fit.params]);
}

#[test]
fn the_likelihood_is_the_sum_of_the_plain_models_over_the_levels() {
    // With one categorical covariate on each process, customers of a level
    // share (r, α_l, s, β_l); LL is then the sum over levels of the model's
    // own row-by-row log_likelihood on that level's customers, an
    // evaluation independent of the grouped, table-driven one of the fit.
    let (x, tx, t) = cdnow();
    let n = x.len();
    let level: Vec<&str> = (0..n).map(|i| ["a", "b", "c"][i % 3]).collect();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let table = CovariateTable::new(n)
        .with_categorical("k", &level, None)
        .unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["k"]))
        .with_dropout(names(&["k"]));
    let problem = Problem::new::<ParetoNbdParams>(&data, &table, &o, true).unwrap();
    // γ: purchase k=b, k=c, dropout k=b, k=c.
    let gamma = [0.3, -0.2, 0.5, -0.4];
    let base = ParetoNbdParams::new(0.55, 10.6, 0.61, 11.7).unwrap();
    let mut v = base.values();
    v.extend(gamma);
    let (ll, _) = problem
        .likelihood::<ParetoNbdParams>(&data)
        .eval(&v)
        .unwrap();
    let mut want = 0.0;
    for (l, (gp, gd)) in [
        (0, (0.0, 0.0)),
        (1, (gamma[0], gamma[2])),
        (2, (gamma[1], gamma[3])),
    ] {
        let rows: Vec<usize> = (0..n).filter(|i| i % 3 == l).collect();
        let pick = |c: &[f64]| rows.iter().map(|&i| c[i]).collect::<Vec<f64>>();
        let xs: Vec<u32> = rows.iter().map(|&i| x[i]).collect();
        let sub = RepeatData::new(&xs, &pick(&tx), &pick(&t), None).unwrap();
        // α_l = α₀ e^{−γ_P}, β_l = β₀ e^{−γ_D} (module doc).
        let own = ParetoNbdParams::new(
            base.r,
            base.alpha * (-gp).exp(),
            base.s,
            base.beta * (-gd).exp(),
        )
        .unwrap();
        want += own.log_likelihood(&sub);
    }
    assert!((ll - want).abs() < 1e-9 * want.abs(), "{ll} against {want}");
}

#[test]
fn weights_count_as_repeated_rows() {
    // CDNOW grouped into distinct (x, t_x, T, level) rows with counts as
    // weights fits as the 2,357 rows one by one (the same likelihood,
    // summed in another order: equal estimates up to the search's
    // tolerance).
    let (x, tx, t) = cdnow();
    let n = x.len();
    let level: Vec<&str> = (0..n)
        .map(|i| if x[i] % 2 == 0 { "even" } else { "odd" })
        .collect();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let table = CovariateTable::new(n)
        .with_categorical("k", &level, None)
        .unwrap();
    let mut groups = std::collections::BTreeMap::<(u32, u64, u64), u64>::new();
    for i in 0..n {
        *groups
            .entry((x[i], tx[i].to_bits(), t[i].to_bits()))
            .or_default() += 1;
    }
    let gx: Vec<u32> = groups.keys().map(|k| k.0).collect();
    let gtx: Vec<f64> = groups.keys().map(|k| f64::from_bits(k.1)).collect();
    let gt: Vec<f64> = groups.keys().map(|k| f64::from_bits(k.2)).collect();
    let w: Vec<u64> = groups.values().copied().collect();
    let glevel: Vec<&str> = gx
        .iter()
        .map(|x| if x % 2 == 0 { "even" } else { "odd" })
        .collect();
    let grouped = RepeatData::new(&gx, &gtx, &gt, Some(&w)).unwrap();
    let gtable = CovariateTable::new(gx.len())
        .with_categorical("k", &glevel, None)
        .unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["k"]))
        .with_dropout(names(&["k"]));
    let one = fit_bg_nbd(&data, &table, &o).unwrap();
    let many = fit_bg_nbd(&grouped, &gtable, &o).unwrap();
    assert_eq!(one.observations, many.observations);
    assert!((one.log_likelihood - many.log_likelihood).abs() < 1e-8 * one.log_likelihood.abs());
    let (a, b) = (one.params.values(), many.params.values());
    for j in 0..4 {
        assert!((a[j] - b[j]).abs() < 1e-6 * a[j], "{a:?} against {b:?}");
    }
    for (e, f) in one
        .purchase
        .iter()
        .chain(&one.dropout)
        .zip(many.purchase.iter().chain(&many.dropout))
    {
        assert!(
            (e.estimate - f.estimate).abs() < 1e-6,
            "{e:?} against {f:?}"
        );
    }
}

// ---- Gamma-Gamma with covariates ----

/// The 946 CDNOW repeat buyers (x ≥ 1) of
/// tests/data/cdnow_customers_summary_with_transactions.csv: x and z̄.
fn cdnow_spend() -> (Vec<u32>, Vec<f64>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/cdnow_customers_summary_with_transactions.csv"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let (mut x, mut m) = (Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let xi = f[1].parse::<u32>().unwrap();
        let zi = f[4].parse::<f64>().unwrap();
        if xi > 0 && zi > 0.0 {
            x.push(xi);
            m.push(zi);
        }
    }
    (x, m)
}

#[test]
fn gamma_gamma_zero_covariates_give_the_fit_and_predictions_without_them_bit_for_bit() {
    let (x, m) = cdnow_spend();
    assert_eq!(x.len(), 946); // FHL (2005): 946 repeat buyers
    let data = SpendData::new(&x, &m, None).unwrap();
    let n = data.len();
    let table = CovariateTable::new(n)
        .with_numeric("z", &vec![0.0; n])
        .unwrap();
    let o = CovariateOptions::default().with_spend(names(&["z"]));
    let plain = crate::models::gamma_gamma::fit_gamma_gamma(&data, &FitOptions::default()).unwrap();
    let cov: CovariateFit<GammaGammaParams> = fit_with(&data, &table, &o, false).unwrap();
    assert_eq!(cov.params, plain.params);
    assert_eq!(cov.log_likelihood, plain.log_likelihood);
    assert_eq!(cov.status, plain.status);
    assert_eq!(cov.iterations, plain.iterations);
    assert_eq!(cov.observations, plain.observations);
    assert_eq!(cov.purchase[0].estimate, 0.0);
    assert!(cov.dropout.is_empty());
    let e = cov.expected_mean_spend(&table, &x, &m).unwrap();
    for i in 0..n {
        assert_eq!(e[i], plain.params.expected_mean_spend(x[i], m[i]).unwrap());
    }
}

#[test]
fn gamma_gamma_analytic_gradient_equals_central_differences() {
    let (x, m) = cdnow_spend();
    let data = SpendData::new(&x, &m, None).unwrap();
    let n = data.len();
    #[allow(clippy::cast_precision_loss)]
    let z: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.37).sin()).collect();
    let level: Vec<&str> = (0..n).map(|i| ["a", "b", "c"][i % 3]).collect();
    let table = CovariateTable::new(n)
        .with_numeric("z", &z)
        .unwrap()
        .with_categorical("k", &level, None)
        .unwrap();
    let o = CovariateOptions::default().with_spend(names(&["z", "k"]));
    let problem = Problem::new::<GammaGammaParams>(&data, &table, &o, true).unwrap();
    assert_eq!(problem.design.lambda.len(), 3);
    // Away from the optimum (about p = 6.25, q = 3.74, γ = 15.44).
    let v = [5.0, 4.2, 12.0, 0.3, -0.2, 0.15];
    check_gradient(&problem.likelihood::<GammaGammaParams>(&data), &v);
}

#[test]
fn gamma_gamma_likelihood_is_the_sum_of_the_plain_model_over_the_levels() {
    // Customers of level l share (p, q, γ₀ e^{δ_l}); LL is the sum of the
    // model's own log_likelihood on each level's customers.
    let (x, m) = cdnow_spend();
    let n = x.len();
    let level: Vec<&str> = (0..n).map(|i| ["a", "b", "c"][i % 3]).collect();
    let data = SpendData::new(&x, &m, None).unwrap();
    let table = CovariateTable::new(n)
        .with_categorical("k", &level, None)
        .unwrap();
    let o = CovariateOptions::default().with_spend(names(&["k"]));
    let problem = Problem::new::<GammaGammaParams>(&data, &table, &o, true).unwrap();
    let delta = [0.4, -0.3];
    let base = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    let mut v = base.values();
    v.extend(delta);
    let (ll, _) = problem
        .likelihood::<GammaGammaParams>(&data)
        .eval(&v)
        .unwrap();
    let mut want = 0.0;
    for (l, d) in [(0, 0.0), (1, delta[0]), (2, delta[1])] {
        let rows: Vec<usize> = (0..n).filter(|i| i % 3 == l).collect();
        let xs: Vec<u32> = rows.iter().map(|&i| x[i]).collect();
        let ms: Vec<f64> = rows.iter().map(|&i| m[i]).collect();
        let sub = SpendData::new(&xs, &ms, None).unwrap();
        // γ_l = γ₀ e^{δ_l} (module doc, "Gamma-Gamma").
        let own = GammaGammaParams::new(base.p, base.q, base.gamma * d.exp()).unwrap();
        want += own.log_likelihood(&sub);
    }
    assert!((ll - want).abs() < 1e-9 * want.abs(), "{ll} against {want}");
}

/// Simulated repeat buyers (x = 1..6 repeat transactions) whose γ_i =
/// γ₀ e^{δ z_i}, with an irrelevant numeric covariate and a two-level flag
/// with effect `delta_flag`: each customer drawn by
/// `simulate::gamma_gamma` at its own parameters with its own seed.
#[cfg(feature = "simulate")]
fn simulated_spend(
    base: &GammaGammaParams,
    delta: f64,
    delta_flag: f64,
    n: usize,
) -> (SpendData, CovariateTable) {
    let z: Vec<f64> = (0..n).map(|i| uniform(21, i)).collect();
    let noise: Vec<f64> = (0..n).map(|i| uniform(22, i)).collect();
    let level: Vec<&str> = (0..n).map(|i| ["no", "yes"][i % 2]).collect();
    #[allow(clippy::cast_possible_truncation)]
    let x: Vec<u32> = (0..n).map(|i| 1 + (i % 6) as u32).collect();
    let m: Vec<f64> = (0..n)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let eta = delta * z[i] + delta_flag * (i % 2) as f64;
            let own = customer_params(base, eta, 0.0).unwrap();
            let seed = crate::models::simulate::customer_seed(2026, i as u64);
            crate::models::simulate::gamma_gamma(&own, &[x[i]], seed).unwrap()[0]
        })
        .collect();
    let data = SpendData::new(&x, &m, None).unwrap();
    let table = CovariateTable::new(n)
        .with_numeric("z", &z)
        .unwrap()
        .with_numeric("noise", &noise)
        .unwrap()
        .with_categorical("flag", &level, None)
        .unwrap();
    (data, table)
}

#[cfg(feature = "simulate")]
#[test]
fn gamma_gamma_recovers_simulated_effects() {
    // Truth: FHL's (2005) CDNOW estimates p = 6.25, q = 3.74, γ = 15.44 as
    // the population, δ = 0.4 on z, −0.5 on flag=yes, nothing on noise.
    let base = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    let (data, table) = simulated_spend(&base, 0.4, -0.5, 4000);
    let o = CovariateOptions::default().with_spend(names(&["z", "noise", "flag"]));
    let fit = fit_gamma_gamma(&data, &table, &o).unwrap();
    assert_eq!(fit.status, FitStatus::Converged);
    within_three_se(&fit.purchase[0], 0.4);
    within_three_se(&fit.purchase[1], 0.0);
    within_three_se(&fit.purchase[2], -0.5);
    // The run on 2026-12-07: z 0.383 ± 0.009, noise 0.0001 ± 0.009
    // (z = 0.01), flag=yes −0.487 ± 0.019; p = 5.03, q = 3.83, γ = 19.7.
    let se = fit.standard_errors.unwrap();
    for (est, se, truth) in [
        (fit.params.p, se.p, 6.25),
        (fit.params.q, se.q, 3.74),
        (fit.params.gamma, se.gamma, 15.44),
    ] {
        assert!(
            (est - truth).abs() < 3.0 * se,
            "{est} ± {se}, truth {truth}"
        );
    }
    eprintln!("Gamma-Gamma: {:?} {:?}", fit.params, fit.purchase);
}

#[cfg(feature = "simulate")]
#[test]
fn gamma_gamma_huge_l2_drives_the_effects_to_zero() {
    let base = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    let (data, table) = simulated_spend(&base, 0.4, -0.5, 1000);
    // λ = 1e8: |δ| ≤ |∂(LL/n)/∂δ| / (2λ) at δ = 0, and that derivative is
    // O(q + px) ≤ O(50) per customer times |z| ≤ √3: |δ| below 1e-6.
    let o = CovariateOptions::default()
        .with_spend(names(&["z", "flag"]))
        .with_l2_spend(1e8);
    let fit = fit_gamma_gamma(&data, &table, &o).unwrap();
    for e in &fit.purchase {
        assert!(e.estimate.abs() < 1e-6, "{e:?}");
    }
    let free = fit_gamma_gamma(&data, &table, &o.clone().with_l2_spend(0.0)).unwrap();
    assert!(free.purchase[0].estimate > 0.2, "{:?}", free.purchase);
}

#[test]
fn gamma_gamma_refuses_other_processes() {
    let data = SpendData::new(&[1, 2, 3], &[10.0, 20.0, 15.0], None).unwrap();
    let table = CovariateTable::new(3)
        .with_numeric("z", &[1.0, 2.0, 0.5])
        .unwrap();
    let err = fit_gamma_gamma(
        &data,
        &table,
        &CovariateOptions::default().with_purchase(names(&["z"])),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                name: "purchase",
                ..
            }
        ),
        "{err}"
    );
    let err = fit_gamma_gamma(
        &data,
        &table,
        &CovariateOptions::default()
            .with_spend(names(&["z"]))
            .with_equal(names(&["z"])),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { name: "equal", .. }),
        "{err}"
    );
    // And the repeat models refuse spend covariates.
    let repeat =
        RepeatData::new(&[0, 1, 3], &[0.0, 10.0, 20.0], &[30.0, 30.0, 30.0], None).unwrap();
    let err = fit_bg_nbd(
        &repeat,
        &table,
        &CovariateOptions::default().with_spend(names(&["z"])),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { name: "spend", .. }),
        "{err}"
    );
    // A prediction row with a bad mean spend names its row.
    let fit = fit_gamma_gamma(
        &data,
        &table,
        &CovariateOptions::default().with_spend(names(&["z"])),
    )
    .unwrap();
    let err = fit
        .expected_mean_spend(&table, &[1, 2, 3], &[10.0, -1.0, 15.0])
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidValue {
                column: "monetary",
                row: 1,
                ..
            }
        ),
        "{err}"
    );
}

// ---- sBG with covariates ----

/// Fader & Hardie (2007), table 1, years 0..7: "regular" and "high end".
const REGULAR: [u64; 8] = [1000, 631, 468, 382, 326, 289, 262, 241];
const HIGH_END: [u64; 8] = [1000, 869, 743, 653, 593, 551, 517, 491];

#[test]
fn sbg_zero_covariates_give_the_fit_and_predictions_without_them_bit_for_bit() {
    let cohorts = SbgCohorts::from_survivors(&[REGULAR]).unwrap();
    let table = CovariateTable::new(1).with_numeric("z", &[0.0]).unwrap();
    let o = CovariateOptions::default()
        .with_alpha(names(&["z"]))
        .with_beta(names(&["z"]));
    let one = crate::models::sbg::SbgData::from_survivors(&REGULAR).unwrap();
    let plain = crate::models::sbg::fit_sbg(&one, &FitOptions::default()).unwrap();
    let cov: CovariateFit<SbgParams> = fit_with(&cohorts, &table, &o, false).unwrap();
    assert_eq!(cov.params, plain.params);
    assert_eq!(cov.log_likelihood, plain.log_likelihood);
    assert_eq!(cov.status, plain.status);
    assert_eq!(cov.iterations, plain.iterations);
    assert_eq!(cov.observations, plain.observations);
    assert_eq!(
        (cov.purchase[0].estimate, cov.dropout[0].estimate),
        (0.0, 0.0)
    );
    for t in 0..12 {
        assert_eq!(
            cov.survival(&table, t).unwrap()[0],
            plain.params.survival(t)
        );
        assert_eq!(
            cov.retention_rate(&table, t).unwrap()[0],
            plain.params.retention_rate(t)
        );
    }
    assert_eq!(
        cov.derl(&table, 0.1, 3).unwrap()[0],
        plain.params.derl(0.1, 3).unwrap()
    );
}

#[test]
fn sbg_with_a_segment_on_alpha_and_beta_is_the_separate_fits() {
    // One categorical covariate on α and β: the likelihood splits into the
    // cohorts' own, so (α₀, β₀) is the reference cohort's fit and
    // (α₀e^{γ_α}, β₀e^{γ_β}) the other's. Published (FH 2007, p. 83):
    // regular α = 0.704, β = 1.182; high end α = 0.668, β = 3.806.
    let cohorts = SbgCohorts::from_survivors(&[REGULAR, HIGH_END]).unwrap();
    let table = CovariateTable::new(2)
        .with_categorical("segment", &["regular", "high end"], None)
        .unwrap();
    let o = CovariateOptions::default()
        .with_alpha(names(&["segment"]))
        .with_beta(names(&["segment"]));
    let fit = fit_sbg(&cohorts, &table, &o).unwrap();
    assert_eq!(fit.status, FitStatus::Converged);
    let own = fit.customer_params(&table).unwrap();
    let round = |v: f64| (v * 1e3).round() / 1e3;
    assert_eq!((round(own[0].alpha), round(own[0].beta)), (0.704, 1.182));
    assert_eq!((round(own[1].alpha), round(own[1].beta)), (0.668, 3.806));
    // The LL is the sum of the two separate fits' (to the search's tolerance).
    let sep: f64 = [REGULAR, HIGH_END]
        .iter()
        .map(|s| {
            let d = crate::models::sbg::SbgData::from_survivors(s).unwrap();
            crate::models::sbg::fit_sbg(&d, &FitOptions::default())
                .unwrap()
                .log_likelihood
        })
        .sum();
    assert!((fit.log_likelihood - sep).abs() < 1e-8 * sep.abs());
}

#[test]
fn sbg_analytic_gradient_equals_central_differences() {
    // 30 cohorts with a numeric and a three-level covariate, one effect
    // shared by α and β.
    let survivors: Vec<Vec<u64>> = (0..30u64)
        .map(|i| {
            let mut s = vec![500 + 10 * i];
            for t in 1..(4 + i % 5) {
                let last = s[s.len() - 1];
                s.push(last - last / (3 + (i + t) % 4));
            }
            s
        })
        .collect();
    let cohorts = SbgCohorts::from_survivors(&survivors).unwrap();
    let z: Vec<f64> = (0..30).map(|i| (f64::from(i) * 0.37).sin()).collect();
    let level: Vec<&str> = (0..30).map(|i| ["a", "b", "c"][i % 3]).collect();
    let table = CovariateTable::new(30)
        .with_numeric("z", &z)
        .unwrap()
        .with_categorical("k", &level, None)
        .unwrap();
    let o = CovariateOptions::default()
        .with_alpha(names(&["z", "k"]))
        .with_beta(names(&["z", "k"]))
        .with_equal(names(&["k=c"]));
    let problem = Problem::new::<SbgParams>(&cohorts, &table, &o, true).unwrap();
    assert_eq!(problem.design.lambda.len(), 5);
    let v = [0.8, 1.5, 0.3, -0.2, 0.15, -0.25, 0.4];
    check_gradient(&problem.likelihood::<SbgParams>(&cohorts), &v);
}

/// `k` cohorts of 400 customers over 8 periods, cohort i with covariates
/// z_i (numeric), noise_i (irrelevant) and α_i = α₀ e^{ga z_i}, β_i = β₀
/// e^{gb z_i}, each drawn by `simulate::sbg` with its own seed.
#[cfg(feature = "simulate")]
fn simulated_cohorts(base: &SbgParams, ga: f64, gb: f64, k: usize) -> (SbgCohorts, CovariateTable) {
    let z: Vec<f64> = (0..k).map(|i| uniform(31, i)).collect();
    let noise: Vec<f64> = (0..k).map(|i| uniform(32, i)).collect();
    let survivors: Vec<Vec<u64>> = (0..k)
        .map(|i| {
            let own = customer_params(base, ga * z[i], gb * z[i]).unwrap();
            let seed = crate::models::simulate::customer_seed(2026, i as u64);
            crate::models::simulate::sbg(&own, 400, 8, seed).unwrap()
        })
        .collect();
    let cohorts = SbgCohorts::from_survivors(&survivors).unwrap();
    let table = CovariateTable::new(k)
        .with_numeric("z", &z)
        .unwrap()
        .with_numeric("noise", &noise)
        .unwrap();
    (cohorts, table)
}

#[cfg(feature = "simulate")]
#[test]
fn sbg_recovers_simulated_effects() {
    // Truth: FH's (2007) regular cohort α = 0.704, β = 1.182 as the
    // population, γ_α = 0.5 and γ_β = −0.4 on z, nothing on noise.
    let base = SbgParams::new(0.704, 1.182).unwrap();
    let (cohorts, table) = simulated_cohorts(&base, 0.5, -0.4, 60);
    let o = CovariateOptions::default()
        .with_alpha(names(&["z", "noise"]))
        .with_beta(names(&["z", "noise"]));
    let fit = fit_sbg(&cohorts, &table, &o).unwrap();
    assert_eq!(fit.status, FitStatus::Converged);
    within_three_se(&fit.purchase[0], 0.5);
    within_three_se(&fit.purchase[1], 0.0);
    within_three_se(&fit.dropout[0], -0.4);
    within_three_se(&fit.dropout[1], 0.0);
    // The run on 2026-12-07: α: z 0.486 ± 0.024, noise −0.022 ± 0.022
    // (z = −1.04); β: z −0.412 ± 0.034, noise −0.029 ± 0.030 (z = −0.95);
    // α₀ = 0.716, β₀ = 1.198.
    let se = fit.standard_errors.unwrap();
    for (est, se, truth) in [
        (fit.params.alpha, se.alpha, 0.704),
        (fit.params.beta, se.beta, 1.182),
    ] {
        assert!(
            (est - truth).abs() < 3.0 * se,
            "{est} ± {se}, truth {truth}"
        );
    }
    eprintln!("sBG: {:?} {:?} {:?}", fit.params, fit.purchase, fit.dropout);
}

#[cfg(feature = "simulate")]
#[test]
fn sbg_huge_l2_drives_the_effects_to_zero() {
    let base = SbgParams::new(0.704, 1.182).unwrap();
    let (cohorts, table) = simulated_cohorts(&base, 0.5, -0.4, 60);
    // λ = 1e8: |γ| ≤ |∂(LL/n)/∂γ| / (2λ) at γ = 0, that derivative O(1)
    // per customer (a few periods' 1/α and 1/β terms times |z| ≤ √3).
    let o = CovariateOptions::default()
        .with_alpha(names(&["z"]))
        .with_beta(names(&["z"]))
        .with_l2_alpha(1e8)
        .with_l2_beta(1e8);
    let fit = fit_sbg(&cohorts, &table, &o).unwrap();
    for e in fit.purchase.iter().chain(&fit.dropout) {
        assert!(e.estimate.abs() < 1e-6, "{e:?}");
    }
    let free = fit_sbg(
        &cohorts,
        &table,
        &o.clone().with_l2_alpha(0.0).with_l2_beta(0.0),
    )
    .unwrap();
    assert!(free.purchase[0].estimate > 0.2, "{:?}", free.purchase);
    // One γ scaling α and β together: 2 + 1 parameters.
    let o = CovariateOptions::default()
        .with_alpha(names(&["z"]))
        .with_beta(names(&["z"]))
        .with_equal(names(&["z"]));
    let fit = fit_sbg(&cohorts, &table, &o).unwrap();
    assert_eq!(fit.parameters, 3);
    assert_eq!(fit.purchase[0].estimate, fit.dropout[0].estimate);
}

#[test]
fn sbg_refuses_other_processes_and_bad_cohorts() {
    let cohorts = SbgCohorts::from_survivors(&[REGULAR, HIGH_END]).unwrap();
    let table = CovariateTable::new(2)
        .with_numeric("z", &[0.0, 1.0])
        .unwrap();
    let err = fit_sbg(
        &cohorts,
        &table,
        &CovariateOptions::default().with_dropout(names(&["z"])),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                name: "dropout",
                ..
            }
        ),
        "{err}"
    );
    let short = CovariateTable::new(3)
        .with_numeric("z", &[0.0, 1.0, 2.0])
        .unwrap();
    let err = fit_sbg(
        &cohorts,
        &short,
        &CovariateOptions::default().with_alpha(names(&["z"])),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::LengthMismatch {
                expected: 2,
                got: 3,
                ..
            }
        ),
        "{err}"
    );
    let empty: [[u64; 3]; 0] = [];
    assert!(matches!(
        SbgCohorts::from_survivors(&empty),
        Err(Error::Empty { .. })
    ));
}

#[test]
fn sbg_cohorts_are_checked_together() {
    // A young cohort (one period) and a small one where nobody churned
    // are fine next to a full one; their likelihood terms are FH's eq. 5:
    // for (80, 60) at α = β = 1: 20 ln P(T = 1) + 60 ln S(1) = 80 ln(1/2);
    // for (10, 10, 10): 10 ln S(2) = 10 ln(1/3).
    let c =
        SbgCohorts::from_survivors(&[vec![100, 50, 30], vec![80, 60], vec![10, 10, 10]]).unwrap();
    assert_eq!((c.len(), c.customers()), (3, 190.0));
    let ll = crate::models::sbg::log_likelihood_fn(&c)(&[1.0, 1.0])
        .unwrap()
        .0;
    let first = 50.0 * 0.5f64.ln() + 20.0 * (1.0f64 / 6.0).ln() + 30.0 * (1.0f64 / 3.0).ln();
    let want = first + 80.0 * 0.5f64.ln() + 10.0 * (1.0f64 / 3.0).ln();
    assert!(
        (ll - want).abs() < 1e-12 * want.abs(),
        "{ll} against {want}"
    );
    let table = CovariateTable::new(3)
        .with_categorical("k", &["a", "b", "b"], None)
        .unwrap();
    let fit = fit_sbg(
        &c,
        &table,
        &CovariateOptions::default().with_alpha(names(&["k"])),
    )
    .unwrap();
    assert!(fit.log_likelihood.is_finite());
    // Together the cohorts must still identify the model.
    for (cohorts, what) in [
        (vec![vec![100, 50], vec![80, 60]], "two periods"),
        (vec![vec![100, 100, 100], vec![80, 80]], "nobody churned"),
        (vec![vec![100, 0, 0], vec![80, 0]], "first period"),
        (vec![vec![100, 50, 30], vec![0, 0]], "cohort 1"),
        (vec![vec![100, 50, 30], vec![7]], "cohort 1"),
    ] {
        let err = SbgCohorts::from_survivors(&cohorts).unwrap_err();
        assert!(err.to_string().contains(what), "{err}");
    }
}

#[test]
fn gamma_gamma_weights_count_as_repeated_rows() {
    // The first 300 CDNOW repeat buyers, row i repeated 1 + i % 3 times,
    // against the 300 rows with those counts as weights: the same
    // likelihood summed in another order, so equal estimates up to the
    // search's tolerance.
    let (x, m) = cdnow_spend();
    let (x, m) = (&x[..300], &m[..300]);
    let level = |i: usize| ["a", "b", "c"][i % 3];
    let (mut rx, mut rm, mut rl) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..300 {
        for _ in 0..=(i % 3) {
            rx.push(x[i]);
            rm.push(m[i]);
            rl.push(level(i));
        }
    }
    let o = CovariateOptions::default().with_spend(names(&["k"]));
    let many = fit_gamma_gamma(
        &SpendData::new(&rx, &rm, None).unwrap(),
        &CovariateTable::new(rx.len())
            .with_categorical("k", &rl, None)
            .unwrap(),
        &o,
    )
    .unwrap();
    let w: Vec<u64> = (0..300u64).map(|i| 1 + i % 3).collect();
    let levels: Vec<&str> = (0..300).map(level).collect();
    let one = fit_gamma_gamma(
        &SpendData::new(x, m, Some(&w)).unwrap(),
        &CovariateTable::new(300)
            .with_categorical("k", &levels, None)
            .unwrap(),
        &o,
    )
    .unwrap();
    assert_eq!(one.observations, many.observations);
    assert!((one.log_likelihood - many.log_likelihood).abs() < 1e-8 * one.log_likelihood.abs());
    let (a, b) = (one.params.values(), many.params.values());
    for j in 0..3 {
        assert!((a[j] - b[j]).abs() < 1e-5 * a[j], "{a:?} against {b:?}");
    }
    for (e, f) in one.purchase.iter().zip(&many.purchase) {
        assert!(
            (e.estimate - f.estimate).abs() < 1e-5,
            "{e:?} against {f:?}"
        );
    }
}

// ---- Every repeat-model prediction with covariates ----

/// All of CDNOW's customers with their mean repeat spend z̄ (0 without a
/// repeat purchase): tests/data/cdnow_customers_summary_with_transactions.csv.
#[allow(clippy::type_complexity)]
fn cdnow_with_spend() -> (Vec<u32>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/cdnow_customers_summary_with_transactions.csv"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let (mut x, mut tx, mut t, mut m) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        x.push(f[1].parse::<u32>().unwrap());
        tx.push(f[2].parse::<f64>().unwrap());
        t.push(f[3].parse::<f64>().unwrap());
        m.push(f[4].parse::<f64>().unwrap());
    }
    (x, tx, t, m)
}

/// Every prediction of the fit `cov` on `table` against the plain model
/// `plain(i)` of each row, bit for bit (the plain model's column methods
/// on the rows of each segment, or its one-customer functions).
#[allow(clippy::too_many_arguments)]
fn predictions_equal<P: CovariateModel>(
    cov: &CovariateFit<P>,
    table: &CovariateTable,
    plain: &dyn Fn(usize) -> P,
    x: &[u32],
    tx: &[f64],
    t: &[f64],
    m: &[f64],
    spend: GammaGammaParams,
) {
    use crate::models::check::clv_values;
    let n = x.len();
    let o = ClvOptions::monthly(crate::summary::TimeUnit::Weeks);
    let alive_at = cov.probability_alive_at(table, x, tx, t, 26.0).unwrap();
    let pmf: Vec<Vec<f64>> = (0..3)
        .map(|k| {
            cov.probability_of_purchases(table, x, tx, t, 39.0, k)
                .unwrap()
        })
        .collect();
    let pmf_new = cov.probability_of_purchases_new(table, 39.0, 1).unwrap();
    let disc = cov.discounted_purchases(table, x, tx, t, &o).unwrap();
    let value = cov
        .clv(table, x, tx, t, m, Spend::Plain(spend), &o)
        .unwrap();
    let dert = cov.dert(table, x, tx, t, 0.01).unwrap();
    // The plain model's column methods, on all the rows of each segment.
    let mut segments: Vec<(P, Vec<usize>)> = Vec::new();
    for i in 0..n {
        let p = plain(i);
        match segments.iter_mut().find(|(q, _)| bits(q) == bits(&p)) {
            Some((_, rows)) => rows.push(i),
            None => segments.push((p, vec![i])),
        }
    }
    for (p, rows) in &segments {
        let pick = |v: &[f64]| rows.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        let xs: Vec<u32> = rows.iter().map(|&i| x[i]).collect();
        let (txs, ts, ms) = (pick(tx), pick(t), pick(m));
        let want_at = p
            .probability_alive_at_columns(&xs, &txs, &ts, 26.0)
            .unwrap();
        let want_disc = p.discounted_purchases(&xs, &txs, &ts, &o).unwrap();
        let want_dert = p.dert_columns(&xs, &txs, &ts, 0.01).unwrap();
        let want_clv = clv_values(p, &spend, &xs, &txs, &ts, &ms, &o).unwrap();
        for (j, &i) in rows.iter().enumerate() {
            assert_eq!(alive_at[i], want_at[j], "row {i}");
            assert_eq!(disc[i], want_disc[j], "row {i}");
            assert_eq!(dert[i], want_dert[j], "row {i}");
            assert_eq!(value[i], want_clv[j], "row {i}");
            for (k, row) in (0u32..).zip(&pmf) {
                let want = p.probability_of_purchases(x[i], tx[i], t[i], 39.0, k);
                assert_eq!(row[i], want.unwrap(), "row {i}, n = {k}");
            }
            assert_eq!(pmf_new[i], p.probability_of_purchases_new(39.0, 1).unwrap());
        }
    }
}

#[test]
fn zero_covariates_give_every_prediction_without_them_bit_for_bit() {
    // The crate-internal route of the test above (constant columns
    // allowed): every customer has the population parameters, which are
    // the plain fit's to the bit.
    let (x, tx, t, m) = cdnow_with_spend();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    let table = CovariateTable::new(n)
        .with_numeric("z1", &vec![0.0; n])
        .unwrap()
        .with_numeric("z2", &vec![0.0; n])
        .unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["z1"]))
        .with_dropout(names(&["z2"]));
    // FHL (2005)'s Gamma-Gamma CDNOW estimates, as in check::clv's example.
    let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();

    let plain = pareto_nbd::fit_pareto_nbd(&data, &FitOptions::default()).unwrap();
    let cov: CovariateFit<ParetoNbdParams> = fit_with(&data, &table, &o, false).unwrap();
    assert_eq!(cov.params, plain.params);
    predictions_equal(&cov, &table, &|_| plain.params, &x, &tx, &t, &m, spend);

    let plain = bg_nbd::fit_bg_nbd(&data, &FitOptions::default()).unwrap();
    let cov: CovariateFit<BgNbdParams> = fit_with(&data, &table, &o, false).unwrap();
    assert_eq!(cov.params, plain.params);
    predictions_equal(&cov, &table, &|_| plain.params, &x, &tx, &t, &m, spend);
    // All rows share one set of parameters: one call of the plain column
    // methods on the columns themselves, so even the BG/NBD's own
    // discounted-purchases pass gives the same bits as clv_values.
    let o_clv = ClvOptions::default().with_period_length(4.0);
    assert_eq!(
        cov.clv(&table, &x, &tx, &t, &m, Spend::Plain(spend), &o_clv)
            .unwrap(),
        crate::models::check::clv_values(&plain.params, &spend, &x, &tx, &t, &m, &o_clv).unwrap()
    );

    // A Gamma-Gamma fit with a zero spend covariate is the plain fit, and
    // the CLV with it the plain CLV.
    let buyers: Vec<usize> = (0..n).filter(|&i| x[i] > 0).collect();
    let sx: Vec<u32> = buyers.iter().map(|&i| x[i]).collect();
    let sm: Vec<f64> = buyers.iter().map(|&i| m[i]).collect();
    let spend_data = SpendData::new(&sx, &sm, None).unwrap();
    let spend_table = CovariateTable::new(buyers.len())
        .with_numeric("w", &vec![0.0; buyers.len()])
        .unwrap();
    let so = CovariateOptions::default().with_spend(names(&["w"]));
    let spend_fit: CovariateFit<GammaGammaParams> =
        fit_with(&spend_data, &spend_table, &so, false).unwrap();
    let plain_spend =
        crate::models::gamma_gamma::fit_gamma_gamma(&spend_data, &FitOptions::default()).unwrap();
    assert_eq!(spend_fit.params, plain_spend.params);
    let all_w = CovariateTable::new(n)
        .with_numeric("w", &vec![0.0; n])
        .unwrap();
    let with_cov = cov
        .clv(
            &table,
            &x,
            &tx,
            &t,
            &m,
            Spend::Covariates {
                fit: &spend_fit,
                covariates: &all_w,
            },
            &o_clv,
        )
        .unwrap();
    assert_eq!(
        with_cov,
        crate::models::check::clv_values(
            &plain.params,
            &plain_spend.params,
            &x,
            &tx,
            &t,
            &m,
            &o_clv
        )
        .unwrap()
    );
}

#[test]
fn with_a_categorical_covariate_each_customer_gets_the_plain_prediction_of_its_segment() {
    // CDNOW with a three-level segment on both processes; each customer's
    // predictions are the plain model's at its segment's parameters,
    // computed here from the fitted γ's by the module doc's formulas:
    // Pareto/NBD α₀e^{−γ_P}, β₀e^{−γ_D}; BG/NBD α₀e^{−γ_P}, a₀e^{γ_D},
    // b₀e^{γ_D}; level "a" (the reference) at (α₀, β₀) / (α₀, a₀, b₀).
    let (x, tx, t, m) = cdnow_with_spend();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    let level: Vec<&str> = (0..n).map(|i| ["a", "b", "c"][i % 3]).collect();
    let table = CovariateTable::new(n)
        .with_categorical("k", &level, None)
        .unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["k"]))
        .with_dropout(names(&["k"]));
    let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();

    let fit = fit_pareto_nbd(&data, &table, &o).unwrap();
    let (gp, gd) = (
        [0.0, fit.purchase[0].estimate, fit.purchase[1].estimate],
        [0.0, fit.dropout[0].estimate, fit.dropout[1].estimate],
    );
    assert!(gp[1] != 0.0 && gd[2] != 0.0);
    let b = fit.params;
    let segment = |i: usize| {
        let k = i % 3;
        ParetoNbdParams {
            alpha: b.alpha * (-gp[k]).exp(),
            beta: b.beta * (-gd[k]).exp(),
            ..b
        }
    };
    predictions_equal(&fit, &table, &segment, &x, &tx, &t, &m, spend);

    let fit = fit_bg_nbd(&data, &table, &o).unwrap();
    let (gp, gd) = (
        [0.0, fit.purchase[0].estimate, fit.purchase[1].estimate],
        [0.0, fit.dropout[0].estimate, fit.dropout[1].estimate],
    );
    let b = fit.params;
    let segment = |i: usize| {
        let k = i % 3;
        BgNbdParams {
            alpha: b.alpha * (-gp[k]).exp(),
            a: b.a * gd[k].exp(),
            b: b.b * gd[k].exp(),
            ..b
        }
    };
    predictions_equal(&fit, &table, &segment, &x, &tx, &t, &m, spend);
}

#[test]
fn the_purchase_pmf_with_covariates_sums_to_one_with_the_expected_purchases_as_mean() {
    // A numeric covariate on both processes: P(X(T, T+39] = n) for
    // n = 0..=400 of a few customers sums to 1 and has mean
    // expected_purchases (both 1e-9; the tail beyond 400 is negligible
    // at CDNOW's rates, about 0.05 a week).
    let (x, tx, t) = cdnow();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    #[allow(clippy::cast_precision_loss)]
    let z: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.37).sin()).collect();
    let table = CovariateTable::new(n).with_numeric("z", &z).unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["z"]))
        .with_dropout(names(&["z"]));
    let rows = [0usize, 1, 17, 123, 1000];
    let pick_t = CovariateTable::new(rows.len())
        .with_numeric("z", &rows.map(|i| z[i]))
        .unwrap();
    let (xs, txs, ts) = (rows.map(|i| x[i]), rows.map(|i| tx[i]), rows.map(|i| t[i]));
    let check = |pmf: &dyn Fn(u32) -> Vec<f64>, expected: Vec<f64>| {
        let (mut total, mut mean) = (vec![0.0; rows.len()], vec![0.0; rows.len()]);
        for k in 0..=400u32 {
            for (j, p) in pmf(k).iter().enumerate() {
                total[j] += p;
                mean[j] += f64::from(k) * p;
            }
        }
        for j in 0..rows.len() {
            assert!((total[j] - 1.0).abs() < 1e-9, "row {j}: sum {}", total[j]);
            assert!(
                (mean[j] - expected[j]).abs() < 1e-9 * expected[j].max(1.0),
                "row {j}: mean {} expected {}",
                mean[j],
                expected[j]
            );
        }
    };
    let fit = fit_pareto_nbd(&data, &table, &o).unwrap();
    check(
        &|k| {
            fit.probability_of_purchases(&pick_t, &xs, &txs, &ts, 39.0, k)
                .unwrap()
        },
        fit.expected_purchases(&pick_t, &xs, &txs, &ts, 39.0)
            .unwrap(),
    );
    check(
        &|k| fit.probability_of_purchases_new(&pick_t, 39.0, k).unwrap(),
        fit.expected_purchases_new(&pick_t, 39.0).unwrap(),
    );
    let fit = fit_bg_nbd(&data, &table, &o).unwrap();
    check(
        &|k| {
            fit.probability_of_purchases(&pick_t, &xs, &txs, &ts, 39.0, k)
                .unwrap()
        },
        fit.expected_purchases(&pick_t, &xs, &txs, &ts, 39.0)
            .unwrap(),
    );
    check(
        &|k| fit.probability_of_purchases_new(&pick_t, 39.0, k).unwrap(),
        fit.expected_purchases_new(&pick_t, 39.0).unwrap(),
    );
}

#[test]
fn the_new_predictions_refuse_a_table_of_another_length() {
    let (x, tx, t) = cdnow();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    #[allow(clippy::cast_precision_loss)]
    let z: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.37).sin()).collect();
    let table = CovariateTable::new(n).with_numeric("z", &z).unwrap();
    let fit = fit_bg_nbd(
        &data,
        &table,
        &CovariateOptions::default().with_purchase(names(&["z"])),
    )
    .unwrap();
    let short = CovariateTable::new(2)
        .with_numeric("z", &[0.1, 0.2])
        .unwrap();
    let (x3, tx3, t3) = ([1, 2, 0], [5.0, 10.0, 0.0], [20.0, 20.0, 20.0]);
    let mismatch = |r: Result<Vec<f64>>| {
        assert!(
            matches!(
                r,
                Err(Error::LengthMismatch {
                    column: "covariates",
                    expected: 3,
                    got: 2
                })
            ),
            "{r:?}"
        );
    };
    let o = ClvOptions::default();
    mismatch(fit.probability_alive_at(&short, &x3, &tx3, &t3, 10.0));
    mismatch(fit.probability_of_purchases(&short, &x3, &tx3, &t3, 10.0, 1));
    mismatch(fit.discounted_purchases(&short, &x3, &tx3, &t3, &o));
    mismatch(fit.dert(&short, &x3, &tx3, &t3, 0.01));
    let spend = Spend::Plain(GammaGammaParams::new(6.25, 3.74, 15.44).unwrap());
    mismatch(fit.clv(&short, &x3, &tx3, &t3, &[1.0, 2.0, 0.0], spend, &o));
    let three = CovariateTable::new(3)
        .with_numeric("z", &[0.1, 0.2, 0.3])
        .unwrap();
    let r = fit.clv(&three, &x3, &tx3, &t3, &[1.0, 2.0], spend, &o);
    assert!(
        matches!(
            r,
            Err(Error::LengthMismatch {
                column: "monetary_value",
                ..
            })
        ),
        "{r:?}"
    );
    // A spend table of another length.
    let (sx, sm) = cdnow_spend();
    let sdata = SpendData::new(&sx, &sm, None).unwrap();
    let sz: Vec<f64> = (0..sx.len())
        .map(|i| f64::from(u32::try_from(i % 2).unwrap()))
        .collect();
    let stable = CovariateTable::new(sx.len())
        .with_numeric("w", &sz)
        .unwrap();
    let sfit = fit_gamma_gamma(
        &sdata,
        &stable,
        &CovariateOptions::default().with_spend(names(&["w"])),
    )
    .unwrap();
    let short_w = CovariateTable::new(2)
        .with_numeric("w", &[0.0, 1.0])
        .unwrap();
    mismatch(fit.clv(
        &three,
        &x3,
        &tx3,
        &t3,
        &[1.0, 2.0, 0.0],
        Spend::Covariates {
            fit: &sfit,
            covariates: &short_w,
        },
        &o,
    ));
    // A bad mean spend at its row; an impossible customer at its row.
    let r = fit.clv(&three, &x3, &tx3, &t3, &[1.0, -2.0, 0.0], spend, &o);
    assert!(
        matches!(
            r,
            Err(Error::InvalidValue {
                column: "monetary_value",
                row: 1,
                ..
            })
        ),
        "{r:?}"
    );
    let r = fit.probability_alive_at(&three, &x3, &[5.0, 30.0, 0.0], &t3, 10.0);
    assert!(
        matches!(
            r,
            Err(Error::InvalidValue {
                column: "recency",
                row: 1,
                ..
            })
        ),
        "{r:?}"
    );
}

// ---- Delta-method intervals with covariates ----

#[test]
fn delta_method_intervals_with_covariates_are_the_hand_gradient_times_the_covariance() {
    use crate::models::interval::Quantity;
    // CDNOW, a numeric covariate on both Pareto/NBD processes. The test's
    // gradient: central differences of the one-customer functions at the
    // customer's parameters built by hand (α_i = α₀e^{−γ_P z},
    // β_i = β₀e^{−γ_D z}), steps 10⁻⁴ relative for the population
    // parameters and 10⁻⁴ for the γ's (the method's are 10⁻⁵); SE² =
    // gᵀ Σ g with the fit's covariance.
    let (x, tx, t) = cdnow();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    #[allow(clippy::cast_precision_loss)]
    let z: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.37).sin()).collect();
    let table = CovariateTable::new(n).with_numeric("z", &z).unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["z"]))
        .with_dropout(names(&["z"]));
    let fit = fit_pareto_nbd(&data, &table, &o).unwrap();
    assert_eq!(fit.status, FitStatus::Converged);
    let cov = fit.covariance().unwrap().to_vec();
    assert_eq!(
        fit.covariance_names(),
        ["r", "alpha", "s", "beta", "purchase:z", "dropout:z"]
    );
    let rows = [0usize, 1, 17, 123, 1000];
    let sub = CovariateTable::new(rows.len())
        .with_numeric("z", &rows.map(|i| z[i]))
        .unwrap();
    let (xs, txs, ts) = (rows.map(|i| x[i]), rows.map(|i| tx[i]), rows.map(|i| t[i]));
    let b = fit.params;
    let theta = [
        b.r,
        b.alpha,
        b.s,
        b.beta,
        fit.purchase[0].estimate,
        fit.dropout[0].estimate,
    ];
    let own = |v: &[f64], zi: f64| {
        let base = ParetoNbdParams {
            r: v[0],
            alpha: v[1],
            s: v[2],
            beta: v[3],
        };
        customer_params(&base, v[4] * zi, v[5] * zi).unwrap()
    };
    let hand_se = |q: &dyn Fn(&ParetoNbdParams, usize) -> f64| -> Vec<f64> {
        (0..=rows.len())
            .map(|j| {
                // j = rows.len(): the total over the customers.
                let value = |v: &[f64]| -> f64 {
                    if j == rows.len() {
                        (0..rows.len()).map(|k| q(&own(v, z[rows[k]]), k)).sum()
                    } else {
                        q(&own(v, z[rows[j]]), j)
                    }
                };
                let g: Vec<f64> = (0..6)
                    .map(|k| {
                        let h = if k < 4 { 1e-4 * theta[k] } else { 1e-4 };
                        let (mut up, mut down) = (theta, theta);
                        up[k] += h;
                        down[k] -= h;
                        (value(&up) - value(&down)) / (2.0 * h)
                    })
                    .collect();
                let mut v = 0.0;
                for a in 0..6 {
                    for c in 0..6 {
                        v += g[a] * cov[a][c] * g[c];
                    }
                }
                v.sqrt()
            })
            .collect()
    };
    let close = |got: &[f64], want: &[f64]| {
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() <= 1e-5 * w, "{g} vs {w}");
            assert!(*w > 0.0);
        }
    };
    let expected = hand_se(&|p, k| p.expected_purchases(xs[k], txs[k], ts[k], 39.0).unwrap());
    let iv = fit
        .intervals(
            &Quantity::ExpectedPurchases { horizon: 39.0 },
            &sub,
            &xs,
            &txs,
            &ts,
            0.9,
        )
        .unwrap();
    assert_eq!(
        iv.estimate,
        fit.expected_purchases(&sub, &xs, &txs, &ts, 39.0).unwrap()
    );
    close(&iv.standard_error, &expected[..rows.len()]);
    let total = fit
        .intervals(
            &Quantity::TotalPurchases { horizon: 39.0 },
            &sub,
            &xs,
            &txs,
            &ts,
            0.9,
        )
        .unwrap();
    close(&total.standard_error, &expected[rows.len()..]);
    assert!((total.estimate[0] - iv.estimate.iter().sum::<f64>()).abs() < 1e-12);
    let alive = hand_se(&|p, k| p.probability_alive(xs[k], txs[k], ts[k]).unwrap());
    let iv = fit
        .intervals(&Quantity::ProbabilityAlive, &sub, &xs, &txs, &ts, 0.9)
        .unwrap();
    close(&iv.standard_error, &alive[..rows.len()]);
    // The logit-scale interval: q ± in logit, z = 1.6449 (90 %).
    let (q, se) = (iv.estimate[0], iv.standard_error[0]);
    let w = crate::special::normal_quantile(0.95) * se / (q * (1.0 - q));
    let logit = (q / (1.0 - q)).ln();
    assert!((iv.upper[0] - 1.0 / (1.0 + (-(logit + w)).exp())).abs() < 1e-15);

    // Zero covariance: the intervals collapse onto the estimates.
    let mut zero = fit.clone();
    zero.covariance = Some(vec![vec![0.0; 6]; 6]);
    let iv = zero
        .intervals(
            &Quantity::ExpectedPurchases { horizon: 39.0 },
            &sub,
            &xs,
            &txs,
            &ts,
            0.9,
        )
        .unwrap();
    assert!(iv.standard_error.iter().all(|s| *s == 0.0));
    assert_eq!(iv.lower, iv.estimate);
    assert_eq!(iv.upper, iv.estimate);

    // No covariance, or a fit that did not converge: refused by name.
    let mut none = fit.clone();
    none.covariance = None;
    let mut stopped = fit.clone();
    stopped.status = FitStatus::MaxIterations;
    for f in [&none, &stopped] {
        let r = f.intervals(&Quantity::ProbabilityAlive, &sub, &xs, &txs, &ts, 0.9);
        assert!(
            matches!(r, Err(Error::InvalidArgument { name: "fit", .. })),
            "{r:?}"
        );
    }
    let r = fit.intervals(&Quantity::ProbabilityAlive, &table, &xs, &txs, &ts, 0.9);
    assert!(matches!(r, Err(Error::LengthMismatch { .. })), "{r:?}");
}

#[test]
fn delta_method_with_zero_covariates_is_the_plain_models_interval() {
    use crate::models::interval::{ParameterCovariance, Quantity};
    use crate::models::repeat::RepeatParams;
    // For customers whose covariate is 0 the γ's gradient component is 0,
    // so the SE is the plain delta method's (ParameterCovariance) at the
    // population parameters with the fit's 4 × 4 covariance block: same
    // steps, same gradient, the zero terms adding nothing.
    let (x, tx, t) = cdnow();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    #[allow(clippy::cast_precision_loss)]
    let z: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.37).sin()).collect();
    let table = CovariateTable::new(n).with_numeric("z", &z).unwrap();
    let o = CovariateOptions::default().with_purchase(names(&["z"]));
    let fit = fit_bg_nbd(&data, &table, &o).unwrap();
    let sub = CovariateTable::new(3)
        .with_numeric("z", &[0.0, 0.0, 0.0])
        .unwrap();
    let (xs, txs, ts) = ([0, 2, 7], [0.0, 30.43, 35.0], [38.86, 38.86, 37.0]);
    let iv = fit
        .intervals(
            &Quantity::ExpectedPurchases { horizon: 39.0 },
            &sub,
            &xs,
            &txs,
            &ts,
            0.9,
        )
        .unwrap();
    // The plain delta method at the covariate fit's population
    // parameters, with its 4 × 4 covariance block.
    let c = fit.covariance().unwrap();
    let mut matrix = [[0.0; 4]; 4];
    for i in 0..4 {
        for j in 0..4 {
            matrix[i][j] = c[i][j];
        }
    }
    let plain = ParameterCovariance {
        params: RepeatParams::from(fit.params),
        matrix,
    };
    let want = plain
        .intervals(
            &Quantity::ExpectedPurchases { horizon: 39.0 },
            &xs,
            &txs,
            &ts,
            0.9,
        )
        .unwrap();
    assert_eq!(iv.estimate, want.estimate);
    for (a, b) in iv.standard_error.iter().zip(&want.standard_error) {
        assert!((a - b).abs() <= 1e-12 * b, "{a} vs {b}");
    }
}

// ---- MBG/NBD with covariates ----

#[test]
fn mbg_nbd_zero_covariates_give_the_fit_and_predictions_without_them_bit_for_bit() {
    use crate::models::mbg_nbd::{self, MbgNbdParams};
    let (x, tx, t, m) = cdnow_with_spend();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    let table = CovariateTable::new(n)
        .with_numeric("z1", &vec![0.0; n])
        .unwrap()
        .with_numeric("z2", &vec![0.0; n])
        .unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["z1"]))
        .with_dropout(names(&["z2"]));
    let plain = mbg_nbd::fit_mbg_nbd(&data, &FitOptions::default()).unwrap();
    let cov: CovariateFit<MbgNbdParams> = fit_with(&data, &table, &o, false).unwrap();
    assert_eq!(cov.params, plain.params);
    assert_eq!(cov.log_likelihood, plain.log_likelihood);
    assert_eq!(cov.status, plain.status);
    assert_eq!(cov.iterations, plain.iterations);
    let (pa, e, new) = (
        cov.probability_alive(&table, &x, &tx, &t).unwrap(),
        cov.expected_purchases(&table, &x, &tx, &t, 39.0).unwrap(),
        cov.expected_purchases_new(&table, 39.0).unwrap(),
    );
    for i in 0..n {
        let p = plain.params;
        assert_eq!(pa[i], p.probability_alive(x[i], tx[i], t[i]).unwrap());
        assert_eq!(e[i], p.expected_purchases(x[i], tx[i], t[i], 39.0).unwrap());
        assert_eq!(new[i], p.expected_purchases_new(39.0).unwrap());
    }
    let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    predictions_equal(&cov, &table, &|_| plain.params, &x, &tx, &t, &m, spend);
}

#[test]
fn mbg_nbd_analytic_gradient_equals_central_differences() {
    use crate::models::mbg_nbd::MbgNbdParams;
    // As for the Pareto/NBD and BG/NBD above: a numeric covariate, a
    // three-level categorical one and a shared effect, away from the
    // optimum.
    let (x, tx, t) = cdnow();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    #[allow(clippy::cast_precision_loss)]
    let z: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.37).sin()).collect();
    let level: Vec<&str> = (0..n).map(|i| ["a", "b", "c"][i % 3]).collect();
    let table = CovariateTable::new(n)
        .with_numeric("z", &z)
        .unwrap()
        .with_categorical("k", &level, None)
        .unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["z", "k"]))
        .with_dropout(names(&["z", "k"]))
        .with_equal(names(&["k=c"]));
    let problem = Problem::new::<MbgNbdParams>(&data, &table, &o, true).unwrap();
    let v = [0.3, 5.0, 0.8, 2.5, 0.3, -0.2, 0.15, -0.25, 0.4];
    check_gradient(&problem.likelihood::<MbgNbdParams>(&data), &v);
}

#[cfg(feature = "simulate")]
#[test]
fn mbg_nbd_recovers_simulated_effects() {
    use crate::models::mbg_nbd::MbgNbdParams;
    // Truth: the CDNOW BG/NBD estimates of FHL (2005) as the MBG/NBD
    // population (simulate::covariates draws from the MBG/NBD), γ_P = 0.5
    // on z, γ_D = 0.8 on flag=yes, nothing on noise.
    let base = MbgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let (data, table) = simulated(&base, 0.5, 0.8, 4000);
    let o = CovariateOptions::default()
        .with_purchase(names(&["z", "noise"]))
        .with_dropout(names(&["flag"]));
    let fit = fit_mbg_nbd(&data, &table, &o).unwrap();
    assert_eq!(fit.status, FitStatus::Converged);
    within_three_se(&fit.purchase[0], 0.5);
    within_three_se(&fit.purchase[1], 0.0);
    within_three_se(&fit.dropout[0], 0.8);
    // The run on 2026-12-07: z 0.568 ± 0.046, noise −0.004 ± 0.046
    // (z = −0.10), flag=yes 1.10 ± 0.33.
    let se = fit.standard_errors.unwrap();
    for (est, se, truth) in [
        (fit.params.r, se.r, 0.243),
        (fit.params.alpha, se.alpha, 4.414),
        (fit.params.a, se.a, 0.793),
        (fit.params.b, se.b, 2.426),
    ] {
        assert!(
            (est - truth).abs() < 3.0 * se,
            "{est} ± {se}, truth {truth}"
        );
    }
    eprintln!(
        "MBG/NBD: {:?} {:?}, irrelevant z = {:?}",
        fit.purchase,
        fit.dropout,
        fit.purchase[1].z()
    );
}

#[test]
fn mbg_nbd_with_a_categorical_covariate_is_the_plain_model_per_segment() {
    use crate::models::mbg_nbd::MbgNbdParams;
    // Each segment's parameters by hand from the fitted γ's: α₀e^{−γ_P},
    // a₀e^{γ_D}, b₀e^{γ_D} (module doc, "MBG/NBD").
    let (x, tx, t, m) = cdnow_with_spend();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    let level: Vec<&str> = (0..n).map(|i| ["a", "b"][i % 2]).collect();
    let table = CovariateTable::new(n)
        .with_categorical("k", &level, None)
        .unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["k"]))
        .with_dropout(names(&["k"]));
    let fit = fit_mbg_nbd(&data, &table, &o).unwrap();
    let (gp, gd) = (
        [0.0, fit.purchase[0].estimate],
        [0.0, fit.dropout[0].estimate],
    );
    let b = fit.params;
    let segment = |i: usize| MbgNbdParams {
        alpha: b.alpha * (-gp[i % 2]).exp(),
        a: b.a * gd[i % 2].exp(),
        b: b.b * gd[i % 2].exp(),
        ..b
    };
    let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    predictions_equal(&fit, &table, &segment, &x, &tx, &t, &m, spend);
}

#[test]
fn delta_method_intervals_with_covariates_on_clv_and_weighted_totals() {
    use crate::models::interval::Quantity;
    // The CLV quantity at each customer's own parameters is CovariateFit::clv
    // with the plain spend model, to the bit (the same clv_values per group);
    // the totals are the sums of the per-customer values.
    let (x, tx, t, m) = cdnow_with_spend();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let n = data.len();
    let level: Vec<&str> = (0..n).map(|i| ["a", "b", "c"][i % 3]).collect();
    let table = CovariateTable::new(n)
        .with_categorical("k", &level, None)
        .unwrap();
    let o = CovariateOptions::default()
        .with_purchase(names(&["k"]))
        .with_dropout(names(&["k"]));
    let fit = fit_bg_nbd(&data, &table, &o).unwrap();
    let rows: Vec<usize> = (0..12).collect();
    let sub_levels: Vec<&str> = rows.iter().map(|&i| level[i]).collect();
    let sub = CovariateTable::new(rows.len())
        .with_categorical("k", &sub_levels, None)
        .unwrap();
    let pick = |v: &[f64]| rows.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let xs: Vec<u32> = rows.iter().map(|&i| x[i]).collect();
    let (txs, ts, ms) = (pick(&tx), pick(&t), pick(&m));
    let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    let options = ClvOptions::monthly(crate::summary::TimeUnit::Weeks);
    let clv = Quantity::Clv {
        spend,
        monetary: &ms,
        options,
    };
    let iv = fit.intervals(&clv, &sub, &xs, &txs, &ts, 0.9).unwrap();
    let want = fit
        .clv(&sub, &xs, &txs, &ts, &ms, Spend::Plain(spend), &options)
        .unwrap();
    assert_eq!(iv.estimate, want);
    for i in 0..rows.len() {
        assert!(iv.standard_error[i] > 0.0);
        assert!(iv.lower[i] < iv.estimate[i] && iv.estimate[i] < iv.upper[i]);
    }
    let total = Quantity::TotalClv {
        spend,
        monetary: &ms,
        options,
    };
    let tot = fit.intervals(&total, &sub, &xs, &txs, &ts, 0.9).unwrap();
    assert!((tot.estimate[0] - want.iter().sum::<f64>()).abs() <= 1e-12 * tot.estimate[0]);
    // Weights: row i stands for i + 1 customers.
    #[allow(clippy::cast_precision_loss)]
    let weights: Vec<f64> = (0..rows.len()).map(|i| (i + 1) as f64).collect();
    let weighted = Quantity::WeightedTotalPurchases {
        horizon: 39.0,
        weights: &weights,
    };
    let w = fit.intervals(&weighted, &sub, &xs, &txs, &ts, 0.9).unwrap();
    let each = fit.expected_purchases(&sub, &xs, &txs, &ts, 39.0).unwrap();
    let want: f64 = each.iter().zip(&weights).map(|(e, w)| e * w).sum();
    assert!((w.estimate[0] - want).abs() <= 1e-12 * want);
    // Bad weights and a monetary column of another length: typed errors.
    let short = Quantity::WeightedTotalPurchases {
        horizon: 39.0,
        weights: &weights[1..],
    };
    let r = fit.intervals(&short, &sub, &xs, &txs, &ts, 0.9);
    assert!(
        matches!(
            r,
            Err(Error::LengthMismatch {
                column: "weights",
                ..
            })
        ),
        "{r:?}"
    );
    let bad = Quantity::Clv {
        spend,
        monetary: &ms[1..],
        options,
    };
    let r = fit.intervals(&bad, &sub, &xs, &txs, &ts, 0.9);
    assert!(
        matches!(
            r,
            Err(Error::LengthMismatch {
                column: "monetary_value",
                ..
            })
        ),
        "{r:?}"
    );
    let r = fit.intervals(&Quantity::ProbabilityAlive, &sub, &xs, &txs, &ts, 1.0);
    assert!(
        matches!(r, Err(Error::InvalidArgument { name: "level", .. })),
        "{r:?}"
    );
}
