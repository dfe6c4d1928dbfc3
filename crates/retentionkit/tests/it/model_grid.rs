//! Every prediction of every model is finite and in its range at every
//! finite parameter value, or a typed error (issue 19, "never wrong
//! quietly").
//!
//! An explicit grid rather than random draws: every parameter of every
//! model in {1e-12, 1e-6, 1e-2, 1, 1e2, 1e6, 1e12} (all combinations),
//! customers from none to a million repeat purchases, ages and horizons up
//! to 1e4 time units. Probabilities must lie in [0, 1], expectations and
//! values must be ≥ 0; an `Err` is fine (the caller is told), a wrong
//! number is not. Failures are collected and reported together, grouped
//! by model and prediction.

use std::collections::BTreeMap;

use retentionkit::models::bg_bb::BgBbParams;
use retentionkit::models::bg_nbd::BgNbdParams;
use retentionkit::models::check::{clv, clv_values, ClvOptions};
use retentionkit::models::gamma_gamma::GammaGammaParams;
use retentionkit::models::mbg_nbd::MbgNbdParams;
use retentionkit::models::pareto_nbd::ParetoNbdParams;
use retentionkit::models::repeat::{RepeatKind, RepeatModel, RepeatParams};
use retentionkit::models::sbg::SbgParams;
use retentionkit::Result;

const GRID: [f64; 7] = [1e-12, 1e-6, 1e-2, 1.0, 1e2, 1e6, 1e12];

/// (x, t_x, T) of the continuous-time models: no repeat purchase, a
/// typical customer, a last purchase at the age, a very young customer,
/// a million purchases (the case) and an old customer.
const CUSTOMERS: [(u32, f64, f64); 7] = [
    (0, 0.0, 52.0),
    (2, 30.0, 52.0),
    (3, 52.0, 52.0),
    (1, 1e-3, 1e-2),
    (1_000_000, 50.0, 52.0),
    (40, 9_000.0, 1e4),
    (5, 0.0, 1e4),
];

const HORIZONS: [f64; 3] = [0.5, 52.0, 1e4];

/// (x, t_x, n) of BG/BB.
const DISCRETE: [(u32, u32, u32); 5] = [
    (0, 0, 6),
    (3, 5, 6),
    (6, 6, 6),
    (1, 2, 1_000),
    (900, 1_000, 1_000),
];

#[derive(Default)]
struct Failures(BTreeMap<String, (usize, String)>);

impl Failures {
    fn note(&mut self, what: &str, detail: impl FnOnce() -> String) {
        let e = self.0.entry(what.to_owned()).or_insert((0, String::new()));
        if e.0 == 0 {
            e.1 = detail();
        }
        e.0 += 1;
    }

    /// `v` must be an error, or finite and in `[lo, hi]`.
    #[allow(clippy::needless_pass_by_value)] // callers hand over a fresh `Result`
    fn check(&mut self, what: &str, v: Result<f64>, lo: f64, hi: f64, at: impl FnOnce() -> String) {
        if let Ok(v) = v {
            if !(v.is_finite() && v >= lo && v <= hi) {
                self.note(what, || format!("{v} at {}", at()));
            }
        }
    }

    fn probability(&mut self, what: &str, v: Result<f64>, at: impl FnOnce() -> String) {
        self.check(what, v, 0.0, 1.0, at);
    }

    fn non_negative(&mut self, what: &str, v: Result<f64>, at: impl FnOnce() -> String) {
        self.check(what, v, 0.0, f64::INFINITY, at);
    }

    #[track_caller]
    fn assert_none(&self) {
        let report: Vec<String> = self
            .0
            .iter()
            .map(|(what, (n, first))| format!("{what}: {n} failures, first {first}"))
            .collect();
        assert!(report.is_empty(), "{}", report.join("\n"));
    }
}

/// Every combination of four grid values.
fn grid4() -> impl Iterator<Item = [f64; 4]> {
    GRID.iter().flat_map(|&p0| {
        GRID.iter().flat_map(move |&p1| {
            GRID.iter()
                .flat_map(move |&p2| GRID.iter().map(move |&p3| [p0, p1, p2, p3]))
        })
    })
}

/// Every `stride`-th combination of [`grid4`] for the costly predictions
/// (`RK_GRID_STRIDE` overrides; 1 runs all 2,401, about ten minutes in the
/// dev profile). The stride is coprime to 7, so each parameter still takes
/// every grid value, next to every value of the others over the strides.
fn sample4(default_stride: usize) -> impl Iterator<Item = (bool, [f64; 4])> {
    let stride = std::env::var("RK_GRID_STRIDE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default_stride);
    grid4().enumerate().map(move |(i, v)| (i % stride == 0, v))
}

/// The default stride; Pareto/NBD's predictions cost more (a hypergeometric
/// series of up to 10⁵ terms and a quadrature per call), so it takes every
/// 50th.
const STRIDE: usize = 20;
const PARETO_STRIDE: usize = 50;

/// The predictions every repeat model offers through [`RepeatModel`]
/// and CLV, on one parameter vector.
/// `full` false: only the cheap P(alive).
fn repeat_model(kind: RepeatKind, v: [f64; 4], full: bool, f: &mut Failures) {
    let m = RepeatParams::new(kind, v).unwrap();
    let name = kind.as_str();
    let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    let clv_options = ClvOptions::default()
        .with_periods(3)
        .with_period_length(30.0)
        .with_discount(0.01);
    for &(x, tx, t) in &CUSTOMERS {
        let at = || format!("{v:?}, (x, t_x, T) = ({x}, {tx}, {t})");
        f.probability(
            &format!("{name} probability_alive"),
            m.probability_alive(x, tx, t),
            at,
        );
        if !full {
            continue;
        }
        for &h in &HORIZONS {
            let at = || format!("{v:?}, (x, t_x, T) = ({x}, {tx}, {t}), t = {h}");
            f.non_negative(
                &format!("{name} expected_purchases"),
                m.expected_purchases(x, tx, t, h),
                at,
            );
        }
    }
    if !full {
        return;
    }
    // One customer through `clv`; every customer through `clv_values`
    // (which is `discounted_purchases` times the spend) below.
    let (x, tx, t) = CUSTOMERS[1];
    f.non_negative(
        &format!("{name} clv"),
        clv(&m, &spend, x, tx, t, 20.0, &clv_options),
        || format!("{v:?}"),
    );
    for &h in &HORIZONS {
        f.non_negative(
            &format!("{name} expected_purchases_new"),
            m.expected_purchases_new(h),
            || format!("{v:?}, t = {h}"),
        );
    }
    let (xs, txs, ts): (Vec<u32>, Vec<f64>, Vec<f64>) = (
        CUSTOMERS.iter().map(|c| c.0).collect(),
        CUSTOMERS.iter().map(|c| c.1).collect(),
        CUSTOMERS.iter().map(|c| c.2).collect(),
    );
    if let Ok(p) = m.predict_columns(&xs, &txs, &ts, 52.0) {
        for (i, (a, e)) in p
            .probability_alive
            .iter()
            .zip(&p.expected_purchases)
            .enumerate()
        {
            let at = || format!("{v:?}, row {i}");
            f.probability(&format!("{name} predict_columns alive"), Ok(*a), at);
            f.non_negative(&format!("{name} predict_columns expected"), Ok(*e), at);
        }
    }
    let monetary = vec![20.0; xs.len()];
    if let Ok(c) = clv_values(&m, &spend, &xs, &txs, &ts, &monetary, &clv_options) {
        for (i, c) in c.iter().enumerate() {
            f.non_negative(&format!("{name} clv_values"), Ok(*c), || {
                format!("{v:?}, row {i}")
            });
        }
    }
}

/// Probabilities of n purchases (conditional and new), for the models that
/// offer them, at n in {0, 1, 3}.
fn counts(
    name: &str,
    v: [f64; 4],
    f: &mut Failures,
    new: impl Fn(f64, u32) -> Result<f64>,
    cond: impl Fn(u32, f64, f64, f64, u32) -> Result<f64>,
) {
    for &h in &[0.5, 1e4] {
        for n in [0, 1, 3] {
            f.probability(
                &format!("{name} probability_of_purchases_new"),
                new(h, n),
                || format!("{v:?}, t = {h}, n = {n}"),
            );
            for &(x, tx, t) in &[CUSTOMERS[1], CUSTOMERS[4], CUSTOMERS[6]] {
                f.probability(
                    &format!("{name} probability_of_purchases"),
                    cond(x, tx, t, h, n),
                    || format!("{v:?}, (x, t_x, T) = ({x}, {tx}, {t}), t = {h}, n = {n}"),
                );
            }
        }
    }
}

#[test]
fn bg_nbd_predictions_are_finite_and_in_range_on_the_grid() {
    let mut f = Failures::default();
    for (full, v) in sample4(STRIDE) {
        repeat_model(RepeatKind::BgNbd, v, full, &mut f);
        if !full {
            continue;
        }
        let m = BgNbdParams::new(v[0], v[1], v[2], v[3]).unwrap();
        counts(
            "bg_nbd",
            v,
            &mut f,
            |h, n| m.probability_of_purchases_new(h, n),
            |x, tx, t, h, n| m.probability_of_purchases(x, tx, t, h, n),
        );
    }
    f.assert_none();
}

#[test]
fn mbg_nbd_predictions_are_finite_and_in_range_on_the_grid() {
    let mut f = Failures::default();
    for (full, v) in sample4(STRIDE) {
        repeat_model(RepeatKind::MbgNbd, v, full, &mut f);
        if !full {
            continue;
        }
        let m = MbgNbdParams::new(v[0], v[1], v[2], v[3]).unwrap();
        counts(
            "mbg_nbd",
            v,
            &mut f,
            |h, n| m.probability_of_purchases_new(h, n),
            |x, tx, t, h, n| m.probability_of_purchases(x, tx, t, h, n),
        );
    }
    f.assert_none();
}

#[test]
fn pareto_nbd_predictions_are_finite_and_in_range_on_the_grid() {
    let mut f = Failures::default();
    for (full, v) in sample4(PARETO_STRIDE) {
        repeat_model(RepeatKind::ParetoNbd, v, full, &mut f);
        if !full {
            continue;
        }
        let m = ParetoNbdParams::new(v[0], v[1], v[2], v[3]).unwrap();
        counts(
            "pareto_nbd",
            v,
            &mut f,
            |h, n| m.probability_of_purchases_new(h, n),
            |x, tx, t, h, n| m.probability_of_purchases(x, tx, t, h, n),
        );
    }
    f.assert_none();
}

#[test]
fn bg_bb_predictions_are_finite_and_in_range_on_the_grid() {
    let mut f = Failures::default();
    for (full, v) in sample4(STRIDE) {
        let m = BgBbParams::new(v[0], v[1], v[2], v[3]).unwrap();
        for &(x, tx, n) in &DISCRETE {
            let at = || format!("{v:?}, (x, t_x, n) = ({x}, {tx}, {n})");
            f.probability("bg_bb probability_alive", m.probability_alive(x, tx, n), at);
            if !full {
                continue;
            }
            for future in [1, 10, 1_000] {
                let at = || format!("{v:?}, (x, t_x, n) = ({x}, {tx}, {n}), n* = {future}");
                f.non_negative(
                    "bg_bb expected_transactions",
                    m.expected_transactions(x, tx, n, future),
                    at,
                );
                for k in [0, 1, future] {
                    f.probability(
                        "bg_bb probability_of_transactions",
                        m.probability_of_transactions(x, tx, n, future, k),
                        || format!("{}, x* = {k}", at()),
                    );
                }
            }
        }
        if !full {
            continue;
        }
        for n in [1, 10, 1_000] {
            f.non_negative(
                "bg_bb expected_transactions_new",
                m.expected_transactions_new(n),
                || format!("{v:?}, n = {n}"),
            );
            for k in [0, 1, n] {
                f.probability(
                    "bg_bb probability_of_transactions_new",
                    m.probability_of_transactions_new(n, k),
                    || format!("{v:?}, n = {n}, x = {k}"),
                );
            }
        }
    }
    f.assert_none();
}

#[test]
fn sbg_predictions_are_finite_and_in_range_on_the_grid() {
    let mut f = Failures::default();
    for &a in &GRID {
        for &b in &GRID {
            let m = SbgParams::new(a, b).unwrap();
            for t in [0, 1, 12, 10_000] {
                let at = || format!("(α, β) = ({a}, {b}), t = {t}");
                f.probability("sbg survival", Ok(m.survival(t)), at);
                f.probability("sbg churn_probability", Ok(m.churn_probability(t)), at);
                f.probability("sbg retention_rate", Ok(m.retention_rate(t)), at);
            }
            for d in [1e-3, 0.1, 10.0] {
                for n in [0, 5, 10_000] {
                    f.non_negative("sbg derl", m.derl(d, n), || {
                        format!("(α, β) = ({a}, {b}), d = {d}, renewals = {n}")
                    });
                }
            }
        }
    }
    f.assert_none();
}

#[test]
fn gamma_gamma_predictions_are_finite_and_in_range_on_the_grid() {
    let mut f = Failures::default();
    let bg = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let o = ClvOptions::default();
    for &p in &GRID {
        for &q in &GRID {
            for &g in &GRID {
                let m = GammaGammaParams::new(p, q, g).unwrap();
                for x in [0, 1, 5, 1_000_000] {
                    for z in [0.0, 1e-3, 20.0, 1e6] {
                        let at = || format!("(p, q, v) = ({p}, {q}, {g}), x = {x}, z̄ = {z}");
                        f.non_negative(
                            "gamma_gamma expected_mean_spend",
                            m.expected_mean_spend(x, z),
                            at,
                        );
                        if x < 1_000_000 {
                            // The spend times BG/NBD's discounted purchases
                            // (a million purchases: covered by the BG/NBD grid).
                            let v = clv(&bg, &m, x, 30.0, 52.0, z, &o);
                            f.non_negative("gamma_gamma clv", v, at);
                        }
                    }
                }
            }
        }
    }
    f.assert_none();
}
