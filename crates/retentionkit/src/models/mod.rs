//! Probabilistic retention models fitted by maximum likelihood.
//!
//! - [`bg_nbd`]: the BG/NBD model of repeat buying (Fader, Hardie & Lee
//!   2005), fitted on [`RepeatData`] (x, t_x, T per customer, usually from
//!   [`crate::summary::Summary::compress`]): probability alive and expected
//!   purchases.
//! - [`bg_bb`]: the BG/BB model of repeat transactions at discrete
//!   opportunities (Fader, Hardie & Shang 2010), fitted on
//!   [`bg_bb::BgBbData`] (x, t_x, n per customer): probability alive at the
//!   next opportunity and expected transactions in the next ones.
//! - [`mbg_nbd`]: the MBG/NBD model (Batislam, Denizel & Filiztekin 2007),
//!   the BG/NBD with a drop-out chance at the first purchase too, on
//!   [`RepeatData`]: probability alive and expected purchases.
//! - [`cnbd`]: the regularity models BG/CNBD-k and MBG/CNBD-k (Platzer &
//!   Reutterer 2016; Reutterer, Platzer & Schröder 2021), the BG/NBD and
//!   MBG/NBD with Erlang-k inter-purchase times, fitted on
//!   [`cnbd::RegularityData`] ((x, t_x, T) and the log inter-purchase
//!   times) with k chosen by likelihood: probability alive and expected
//!   purchases.
//! - [`choice`]: choosing a model: AIC and BIC of every fit, the
//!   likelihood-ratio test of nested models, and the scorecard that fits
//!   several repeat models on one calibration/holdout split.
//! - [`counts`]: how the models' probabilities of exactly n purchases
//!   (`probability_of_purchases*`, `probability_of_transactions*`) are
//!   derived and evaluated.
//! - [`distribution`]: the table of P(exactly n purchases) per customer
//!   and DERT, the discounted expected residual transactions, of any
//!   [`repeat::RepeatModel`].
//! - [`check`]: calibration/holdout checks (MAE, RMSE, bias, the table by
//!   calibration frequency), discounted CLV and the at-risk list for any
//!   [`repeat::RepeatModel`].
//! - [`interval`]: intervals on the repeat models' parameters,
//!   per-customer predictions, totals and CLV: delta method, customer
//!   bootstrap (feature `simulate`), and prediction intervals of the total
//!   future purchases with the process noise (feature `simulate`).
//! - [`gamma_gamma`]: the Gamma-Gamma model of spend per transaction (Fader
//!   & Hardie 2013): expected mean spend, for CLV with a purchase model.
//! - [`repeat`]: one interface over BG/NBD, MBG/NBD and Pareto/NBD (the
//!   [`repeat::RepeatModel`] trait, and [`repeat::RepeatParams`], any of
//!   them chosen at run time by its [`repeat::RepeatKind`]).
//! - [`pareto_nbd`]: the Pareto/NBD model of repeat buying (Schmittlein,
//!   Morrison & Colombo 1987) on the same [`RepeatData`]: probability alive
//!   and expected purchases.
//! - [`sbg`]: the shifted-beta-geometric model of contractual retention
//!   (Fader & Hardie 2007): survival, retention rate per period and
//!   discounted expected residual lifetime.
//!
//! - `simulate` (feature `simulate`): seeded simulators of BG/NBD, MBG/NBD,
//!   Pareto/NBD, BG/CNBD-k, MBG/CNBD-k, BG/BB, sBG and Gamma-Gamma data,
//!   for checking the fits.
//!
//! Every fit returns a [`Fit`](crate::optim::Fit) whose `status` says
//! whether it converged; a fit never returns NaN. Parameters can also be
//! typed in (for example published values) through each model's `new`.

pub mod bg_bb;
pub mod bg_nbd;
pub mod check;
pub mod choice;
pub mod cnbd;
pub mod counts;
pub mod covariates;
mod data;
pub mod distribution;
pub mod gamma_gamma;
pub mod interval;
pub mod mbg_nbd;
pub mod nbd;
pub mod pareto_nbd;
pub mod repeat;
pub mod sbg;
#[cfg(feature = "simulate")]
#[cfg_attr(docsrs, doc(cfg(feature = "simulate")))]
pub mod simulate;

pub use data::{RepeatData, RepeatSummary};

use crate::error::{invalid_arg, Result};

/// `Ok` for a finite, strictly positive parameter, else
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming it.
pub(crate) fn check_positive(x: f64, name: &'static str) -> Result<()> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(invalid_arg(
            name,
            format!("{x} must be finite and positive"),
        ))
    }
}

/// Helpers of the models' unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    /// Assert that the analytic gradient `grad` of `ll` at `at` matches
    /// central finite differences with step `step × θⱼ`, to 1e-5 relative
    /// (absolute below 1). Steps wider than 1e-6 keep the ~1e-14 relative
    /// error of ln Γ at large arguments from being magnified.
    #[track_caller]
    pub fn assert_gradient(ll: impl Fn(&[f64]) -> f64, grad: &[f64], at: &[f64], step: f64) {
        for (j, g) in grad.iter().enumerate() {
            let h = step * at[j];
            let shifted = |e: f64| {
                let mut w = at.to_vec();
                w[j] += e;
                ll(&w)
            };
            let fd = (shifted(h) - shifted(-h)) / (2.0 * h);
            assert!(
                (fd - g).abs() <= 1e-5 * g.abs().max(1.0),
                "at {at:?}, component {j}: analytic {g}, finite difference {fd}"
            );
        }
    }
}
