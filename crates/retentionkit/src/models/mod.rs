//! Probabilistic retention models fitted by maximum likelihood.
//!
//! - [`bg_nbd`]: the BG/NBD model of repeat buying (Fader, Hardie & Lee
//!   2005), fitted on [`RepeatData`] (x, t_x, T per customer, usually from
//!   [`crate::summary::Summary::compress`]): probability alive and expected
//!   purchases.
//! - [`pareto_nbd`]: the Pareto/NBD model of repeat buying (Schmittlein,
//!   Morrison & Colombo 1987) on the same [`RepeatData`]: probability alive
//!   and expected purchases.
//! - [`sbg`]: the shifted-beta-geometric model of contractual retention
//!   (Fader & Hardie 2007): survival, retention rate per period and
//!   discounted expected residual lifetime.
//!
//! Every fit returns a [`Fit`](crate::optim::Fit) whose `status` says
//! whether it converged; a fit never returns NaN. Parameters can also be
//! typed in (for example published values) through each model's `new`.

pub mod bg_nbd;
mod data;
pub mod pareto_nbd;
pub mod sbg;

pub use data::RepeatData;

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
