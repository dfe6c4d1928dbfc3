use super::*;
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
