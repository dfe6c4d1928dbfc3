//! Every prediction of every model (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, sBG,
//! Gamma-Gamma) at arbitrary finite positive parameters and an arbitrary
//! customer (x, t_x, T) with 0 ≤ t_x ≤ T and horizon: each result is an
//! error or finite, probabilities in [0, 1] and expectations ≥ 0.

#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use retentionkit::models::bg_bb::BgBbParams;
use retentionkit::models::bg_nbd::BgNbdParams;
use retentionkit::models::check::ClvOptions;
use retentionkit::models::gamma_gamma::GammaGammaParams;
use retentionkit::models::mbg_nbd::MbgNbdParams;
use retentionkit::models::pareto_nbd::ParetoNbdParams;
use retentionkit::models::repeat::RepeatModel;
use retentionkit::models::sbg::SbgParams;
use retentionkit_fuzz::{assert_expectation, assert_probability};

/// The decoded input, printed with a failed check.
#[derive(Debug)]
struct Case {
    /// Four finite positive parameters, shared by all models (the first two
    /// for sBG, the first three for Gamma-Gamma).
    params: [f64; 4],
    /// Repeat purchases x.
    x: u32,
    /// Recency t_x, at most `age`.
    recency: f64,
    /// Age T.
    age: f64,
    /// Prediction horizon t.
    horizon: f64,
    /// A purchase count for the count probabilities.
    n: u32,
    /// Discrete-time (BG/BB) recency, opportunities and future opportunities.
    bb: [u32; 3],
    /// sBG period, renewals and discount rate; Gamma-Gamma mean spend.
    period: u32,
    renewals: u32,
    discount: f64,
    monetary: f64,
}

/// A finite positive number from the next 8 bytes (any bit pattern; NaN,
/// infinities and zero become 1, negatives their absolute value).
fn positive(u: &mut Unstructured<'_>) -> Result<f64> {
    let v = u.arbitrary::<f64>()?.abs();
    Ok(if v.is_finite() && v > 0.0 { v } else { 1.0 })
}

/// A finite non-negative number (NaN and infinities become 0).
fn non_negative(u: &mut Unstructured<'_>) -> Result<f64> {
    let v = u.arbitrary::<f64>()?.abs();
    Ok(if v.is_finite() { v } else { 0.0 })
}

fn case(u: &mut Unstructured<'_>) -> Result<Case> {
    let params = [positive(u)?, positive(u)?, positive(u)?, positive(u)?];
    let x = u.arbitrary()?;
    let (a, b) = (non_negative(u)?, non_negative(u)?);
    let horizon = non_negative(u)?;
    let n = u.arbitrary()?;
    let bb = [u.arbitrary()?, u.arbitrary()?, u.arbitrary()?];
    Ok(Case {
        params,
        x,
        recency: a.min(b),
        age: a.max(b),
        horizon,
        n,
        bb,
        period: u.arbitrary()?,
        renewals: u.arbitrary()?,
        discount: positive(u)?,
        monetary: non_negative(u)?,
    })
}

/// The predictions every repeat-purchase model has ([`RepeatModel`]).
fn repeat(name: &str, m: &impl RepeatModel, c: &Case) {
    let (x, tx, t, h) = (c.x, c.recency, c.age, c.horizon);
    if let Ok(p) = m.probability_alive(x, tx, t) {
        assert_probability("probability_alive", p, &(name, c));
    }
    if let Ok(e) = m.expected_purchases(x, tx, t, h) {
        assert_expectation("expected_purchases", e, &(name, c));
    }
    if let Ok(e) = m.expected_purchases_new(h) {
        assert_expectation("expected_purchases_new", e, &(name, c));
    }
    if let Ok(p) = m.predict_columns(&[x, 0], &[tx, 0.0], &[t, t], h) {
        for (&p, &e) in p.probability_alive.iter().zip(&p.expected_purchases) {
            assert_probability("predict_columns", p, &(name, c));
            assert_expectation("predict_columns", e, &(name, c));
        }
    }
    if let Ok(v) = m.discounted_purchases(&[x], &[tx], &[t], &ClvOptions::default()) {
        for e in v {
            assert_expectation("discounted_purchases", e, &(name, c));
        }
    }
}

fn bg_nbd(c: &Case) {
    let [r, alpha, a, b] = c.params;
    let Ok(m) = BgNbdParams::new(r, alpha, a, b) else {
        return;
    };
    repeat("BG/NBD", &m, c);
    if let Ok(p) = m.probability_of_purchases_new(c.horizon, c.n) {
        assert_probability("BG/NBD probability_of_purchases_new", p, c);
    }
    if let Ok(p) = m.probability_of_purchases(c.x, c.recency, c.age, c.horizon, c.n) {
        assert_probability("BG/NBD probability_of_purchases", p, c);
    }
}

fn mbg_nbd(c: &Case) {
    let [r, alpha, a, b] = c.params;
    let Ok(m) = MbgNbdParams::new(r, alpha, a, b) else {
        return;
    };
    repeat("MBG/NBD", &m, c);
    if let Ok(p) = m.probability_of_purchases_new(c.horizon, c.n) {
        assert_probability("MBG/NBD probability_of_purchases_new", p, c);
    }
    if let Ok(p) = m.probability_of_purchases(c.x, c.recency, c.age, c.horizon, c.n) {
        assert_probability("MBG/NBD probability_of_purchases", p, c);
    }
}

fn pareto_nbd(c: &Case) {
    let [r, alpha, s, beta] = c.params;
    let Ok(m) = ParetoNbdParams::new(r, alpha, s, beta) else {
        return;
    };
    repeat("Pareto/NBD", &m, c);
    if let Ok(p) = m.probability_of_purchases_new(c.horizon, c.n) {
        assert_probability("Pareto/NBD probability_of_purchases_new", p, c);
    }
    if let Ok(p) = m.probability_of_purchases(c.x, c.recency, c.age, c.horizon, c.n) {
        assert_probability("Pareto/NBD probability_of_purchases", p, c);
    }
}

fn bg_bb(c: &Case) {
    let [alpha, beta, gamma, delta] = c.params;
    let Ok(m) = BgBbParams::new(alpha, beta, gamma, delta) else {
        return;
    };
    let [recency, opportunities, future] = c.bb;
    let x = c.x;
    if let Ok(p) = m.probability_alive(x, recency, opportunities) {
        assert_probability("BG/BB probability_alive", p, c);
    }
    if let Ok(e) = m.expected_transactions(x, recency, opportunities, future) {
        assert_expectation("BG/BB expected_transactions", e, c);
    }
    if let Ok(e) = m.expected_transactions_new(future) {
        assert_expectation("BG/BB expected_transactions_new", e, c);
    }
    if let Ok(p) = m.probability_of_transactions_new(future, c.n) {
        assert_probability("BG/BB probability_of_transactions_new", p, c);
    }
    if let Ok(p) = m.probability_of_transactions(x, recency, opportunities, future, c.n) {
        assert_probability("BG/BB probability_of_transactions", p, c);
    }
}

fn sbg(c: &Case) {
    let [alpha, beta, ..] = c.params;
    let Ok(m) = SbgParams::new(alpha, beta) else {
        return;
    };
    assert_probability("sBG survival", m.survival(c.period), c);
    assert_probability("sBG churn_probability", m.churn_probability(c.period), c);
    assert_probability("sBG retention_rate", m.retention_rate(c.period), c);
    if let Ok(e) = m.derl(c.discount, c.renewals) {
        assert_expectation("sBG derl", e, c);
    }
}

fn gamma_gamma(c: &Case) {
    let [p, q, gamma, _] = c.params;
    let Ok(m) = GammaGammaParams::new(p, q, gamma) else {
        return;
    };
    if let Ok(e) = m.expected_mean_spend(c.x, c.monetary) {
        assert_expectation("Gamma-Gamma expected_mean_spend", e, c);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(c) = case(&mut Unstructured::new(data)) else {
        return;
    };
    bg_nbd(&c);
    mbg_nbd(&c);
    pareto_nbd(&c);
    bg_bb(&c);
    sbg(&c);
    gamma_gamma(&c);
});
