//! The Schoenfeld-residual test of proportional hazards (Grambsch & Therneau
//! 1994) of a fitted [`super::CoxFit`].

use super::{not_identified, pass, prepare, CoxFit, PhTest, Prepared, RegressionData};
use crate::error::{invalid_arg, Error, Result};
use crate::special::chi2_sf;

/// The time scale of [`proportional_hazards_test`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TimeTransform {
    /// The rank of each event among the events: 1, 2, …, in the order of
    /// (stratum, duration, input row) (lifelines' default).
    #[default]
    Rank,
    /// The duration itself.
    Identity,
    /// Its logarithm (durations must be `> 0`).
    Log,
    /// $1 - \hat S(t)$, the weighted Kaplan–Meier estimate of all rows (R's
    /// `cox.zph` default).
    Km,
}

/// The Schoenfeld-residual test of proportional hazards, one per covariate.
///
/// # Formula
/// With $s_k$ the Schoenfeld residual of the $k$-th of the $m$ events,
/// $s_k^* = m\\,V s_k$ its scaled form, $g_k$ the transformed event time and
/// $\bar g$ their mean,
/// $$ T_j = \frac{\bigl(\sum_k (g_k - \bar g)\\,s^*_{kj}\bigr)^2}{m\\,\mathrm{se}_j^2 \sum_k (g_k - \bar g)^2} \sim \chi^2_1 $$
/// under proportional hazards: the score test of a slope of $\beta_j(t)$ in
/// $g$ (Grambsch & Therneau 1994, Biometrika 81(3), section 4, with $V_k$
/// approximated by $V / m$), as lifelines' `proportional_hazard_test`
/// (which takes se from the fit, robust when the fit is). Source:
/// docs/metrics.md, "Cox proportional hazards and the Weibull AFT model".
///
/// # Errors
/// As [`super::cox_ph`] for the data; [`Error::InvalidArgument`] when `data` does
/// not have the fit's number of covariates or rows, or naming `fit` when the fit's
/// covariance or standard errors do not match its coefficients; fewer than two
/// distinct transformed event times; [`Error::InvalidValue`] for a
/// duration 0 with [`TimeTransform::Log`].
pub fn proportional_hazards_test(
    fit: &CoxFit,
    data: &RegressionData<'_>,
    transform: TimeTransform,
) -> Result<Vec<PhTest>> {
    let prep = prepare(data)?;
    let p = prep.p;
    if fit.covariance.len() != p * p || fit.se().len() != p {
        return Err(invalid_arg(
            "fit",
            "its covariance or standard errors do not match its coefficients",
        ));
    }
    if p != fit.coefficients.len() || prep.time.len() != fit.rows {
        return Err(invalid_arg(
            "data",
            "not the data of the fit (a different number of rows or covariates)",
        ));
    }
    let eta = pass::linear_predictors(&prep, &fit.coefficients).ok_or_else(not_identified)?;
    let residuals = pass::schoenfeld(&prep, &eta, fit.options.ties);
    let g = transformed_times(&prep, transform)?;
    let m = g.len() as f64;
    let g_mean = g.iter().sum::<f64>() / m;
    let ss: f64 = g.iter().map(|x| (x - g_mean).powi(2)).sum();
    if ss <= 0.0 {
        return Err(invalid_arg(
            "data",
            "the event times do not vary, so there is no trend to test",
        ));
    }
    // Σ_k (g_k − ḡ) s_k, then scaled by m V.
    let mut sum = vec![0.0; p];
    for (s, gk) in residuals.chunks_exact(p).zip(&g) {
        for (acc, v) in sum.iter_mut().zip(s) {
            *acc += (gk - g_mean) * v;
        }
    }
    let se = fit.se();
    Ok((0..p)
        .map(|j| {
            let scaled: f64 = m
                * (0..p)
                    .map(|a| sum[a] * fit.covariance[a * p + j])
                    .sum::<f64>();
            let statistic = scaled * scaled / (m * se[j] * se[j] * ss);
            PhTest {
                statistic,
                p_value: chi2_sf(statistic, 1.0),
            }
        })
        .collect())
}

/// $g_k$ of each event, in the sorted order.
fn transformed_times(prep: &Prepared, transform: TimeTransform) -> Result<Vec<f64>> {
    let events = prep.time.iter().zip(&prep.event).filter(|(_, e)| **e);
    Ok(match transform {
        TimeTransform::Rank => (1..=prep.events).map(|k| k as f64).collect(),
        TimeTransform::Identity => events.map(|(t, _)| *t).collect(),
        TimeTransform::Log => {
            let times: Vec<f64> = events.map(|(t, _)| *t).collect();
            if let Some(row) = times.iter().position(|&t| t <= 0.0) {
                return Err(Error::InvalidValue {
                    column: "durations",
                    row,
                    reason: "an event at duration 0 has no logarithm".into(),
                });
            }
            times.iter().map(|t| t.ln()).collect()
        }
        TimeTransform::Km => {
            let km = weighted_km(prep);
            events
                .map(|(t, _)| {
                    let k = km.partition_point(|&(s, _)| s <= *t);
                    1.0 - k.checked_sub(1).map_or(1.0, |i| km[i].1)
                })
                .collect()
        }
    })
}

/// Weighted Kaplan–Meier of all rows (strata pooled): (time, S(time)).
fn weighted_km(prep: &Prepared) -> Vec<(f64, f64)> {
    let mut rows: Vec<(f64, bool, f64)> = prep
        .time
        .iter()
        .zip(&prep.event)
        .zip(&prep.weight)
        .map(|((&t, &e), &w)| (t, e, w))
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut at_risk: f64 = rows.iter().map(|r| r.2).sum();
    let mut s = 1.0;
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let t = rows[i].0;
        let (mut d, mut w) = (0.0, 0.0);
        while i < rows.len() && rows[i].0 == t {
            if rows[i].1 {
                d += rows[i].2;
            }
            w += rows[i].2;
            i += 1;
        }
        s *= 1.0 - d / at_risk;
        out.push((t, s));
        at_risk -= w;
    }
    out
}
