//! What every maximum-likelihood model class shares: `FitOptions` read from
//! JS and what a fit reports besides the parameters (`FitInfo`).

use retentionkit::error::Error;
use retentionkit::models::choice::InformationCriteria;
use retentionkit::optim::{Fit, FitOptions, FitStatus};
use wasm_bindgen::JsValue;

use crate::columns::Options;
use crate::error::{JsResult, OrThrow};

/// The core's `FitOptions` from a JS `FitOptions` object (`undefined`: the
/// defaults). Unknown keys and a tolerance that is not finite and positive
/// are `InvalidArgumentError`s.
pub(crate) fn options(options: Option<JsValue>) -> JsResult<FitOptions> {
    let opts = Options::new(&options.unwrap_or(JsValue::UNDEFINED), &KEYS).or_throw()?;
    from_options(&opts)
}

/// The keys of a JS `FitOptions` object.
pub(crate) const KEYS: [&str; 3] = ["maxIterations", "tolerance", "penalizer"];

/// The core's `FitOptions` from the `KEYS` of an options object whose keys
/// were checked (it may have keys of its own besides).
pub(crate) fn from_options(opts: &Options) -> JsResult<FitOptions> {
    let d = FitOptions::default();
    let o = FitOptions::default()
        .with_max_iterations(
            opts.whole("maxIterations", 1e6)
                .or_throw()?
                .map_or(d.max_iterations, |n| {
                    usize::try_from(n).unwrap_or(usize::MAX)
                }),
        )
        .with_tolerance(opts.number("tolerance").or_throw()?.unwrap_or(d.tolerance))
        .with_penalizer(opts.number("penalizer").or_throw()?.unwrap_or(d.penalizer));
    if !(o.tolerance.is_finite() && o.tolerance > 0.0) {
        return Err(Error::InvalidArgument {
            name: "tolerance",
            reason: format!("{} must be finite and positive", o.tolerance),
        })
        .or_throw();
    }
    Ok(o)
}

/// What a maximum-likelihood fit reports besides the parameters.
#[derive(Clone, Copy)]
pub(crate) struct FitInfo<P> {
    pub standard_errors: Option<P>,
    pub log_likelihood: f64,
    pub iterations: usize,
    pub status: FitStatus,
    /// LL, k, n, AIC and BIC (the core's `Fit::criteria`).
    pub criteria: InformationCriteria,
}

impl<P: Copy> FitInfo<P> {
    pub(crate) fn of(f: &Fit<P>) -> Self {
        FitInfo {
            standard_errors: f.standard_errors,
            log_likelihood: f.log_likelihood,
            iterations: f.iterations,
            status: f.status,
            criteria: f.criteria(),
        }
    }
}
