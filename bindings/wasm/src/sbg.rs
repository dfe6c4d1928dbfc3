//! The shifted-beta-geometric (sBG) model of contractual retention (Fader &
//! Hardie 2007, "How to Project Customer Retention", Journal of Interactive
//! Marketing 21(1)) without covariates: the core's `models::sbg`, fitted on
//! one cohort's survivor counts (`fitSbgWithCovariates` fits several cohorts
//! with covariates).

use retentionkit::models::sbg::{fit_sbg, SbgData, SbgParams};
use wasm_bindgen::prelude::*;

use crate::error::{JsResult, OrThrow};
use crate::fit::{self, FitInfo};
use crate::out::to_js;

/// The sBG model: each customer renews every period with probability
/// 1 − θ until the first non-renewal, θ ~ beta(alpha, beta) across
/// customers (FH 2007).
#[wasm_bindgen]
pub struct Sbg {
    params: SbgParams,
    fit: Option<FitInfo<SbgParams>>,
}

#[wasm_bindgen]
impl Sbg {
    /// Typed-in parameters: both finite and positive.
    #[wasm_bindgen(constructor)]
    pub fn new(alpha: f64, beta: f64) -> JsResult<Sbg> {
        Ok(Sbg {
            params: SbgParams::new(alpha, beta).or_throw()?,
            fit: None,
        })
    }

    /// Maximum-likelihood fit (the core's `fit_sbg`) on one cohort's
    /// survivor counts: the customers at the start, then those still
    /// customers after each period (whole numbers, never rising). A fit
    /// that stops early is not an error: read `status`.
    pub fn fit(
        #[wasm_bindgen(unchecked_param_type = "ArrayLike<number>")] survivors: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FitOptions")] options: Option<JsValue>,
    ) -> JsResult<Sbg> {
        let o = fit::options(options)?;
        let counts =
            crate::columns::whole_numbers(survivors, "survivors", crate::columns::MAX_SAFE)
                .or_throw()?;
        let data = SbgData::from_survivors(&counts).or_throw()?;
        let f = fit_sbg(&data, &o).or_throw()?;
        Ok(Sbg {
            params: f.params,
            fit: Some(FitInfo::of(&f)),
        })
    }

    /// The parameters as a plain object (`JSON.stringify` uses this).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ alpha: number; beta: number }")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        to_js(&self.params)
    }

    /// First shape of the beta distribution of churn probabilities θ.
    #[wasm_bindgen(getter)]
    pub fn alpha(&self) -> f64 {
        self.params.alpha
    }

    /// Second shape of the beta distribution of churn probabilities θ.
    #[wasm_bindgen(getter)]
    pub fn beta(&self) -> f64 {
        self.params.beta
    }

    /// Standard errors from the observed information, `null` when that is
    /// not positive definite or the parameters were typed in.
    #[wasm_bindgen(getter, js_name = standardErrors, unchecked_return_type = "{ alpha: number; beta: number } | null")]
    pub fn standard_errors(&self) -> JsResult<JsValue> {
        match self.fit.as_ref().and_then(|f| f.standard_errors) {
            Some(p) => to_js(&p),
            None => Ok(JsValue::NULL),
        }
    }

    /// Log-likelihood at the fitted parameters (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = logLikelihood)]
    pub fn log_likelihood(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.log_likelihood)
    }

    /// Free parameters k of the fit, 2 (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = nParameters)]
    pub fn n_parameters(&self) -> Option<usize> {
        self.fit.as_ref().map(|f| f.criteria.parameters)
    }

    /// Customers n the fit saw, the cohort's size (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = nObservations)]
    pub fn n_observations(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.criteria.observations)
    }

    /// Akaike's information criterion (`undefined` when typed in).
    #[wasm_bindgen(getter)]
    pub fn aic(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.criteria.aic)
    }

    /// Schwarz's Bayesian information criterion (`undefined` when typed in).
    #[wasm_bindgen(getter)]
    pub fn bic(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.criteria.bic)
    }

    /// How the fit ended (`undefined` when typed in).
    #[wasm_bindgen(getter, unchecked_return_type = "FitStatus | undefined")]
    pub fn status(&self) -> Option<String> {
        self.fit.as_ref().map(|f| f.status.as_str().into())
    }

    /// S(t), the share of a cohort still customers after `t` periods
    /// (FH 2007, eq. 3).
    pub fn survival(&self, t: u32) -> f64 {
        self.params.survival(t)
    }

    /// P(T = t), the share of a cohort lost in period `t` (t ≥ 1; 0 for
    /// t = 0; FH 2007, eq. 2).
    #[wasm_bindgen(js_name = churnProbability)]
    pub fn churn_probability(&self, t: u32) -> f64 {
        self.params.churn_probability(t)
    }

    /// The retention rate of period `t` (t ≥ 1), S(t) / S(t − 1) (FH 2007,
    /// eq. 8): it rises with `t`.
    #[wasm_bindgen(js_name = retentionRate)]
    pub fn retention_rate(&self, t: u32) -> f64 {
        self.params.retention_rate(t)
    }

    /// Discounted expected residual lifetime, in periods, of a customer who
    /// has made `renewals` renewals, at `discount` per period (Fader &
    /// Hardie 2010, eq. 6; the core's `SbgParams::derl`). Multiply by the
    /// margin per period for the customer's residual value.
    pub fn derl(&self, discount: f64, renewals: u32) -> JsResult<f64> {
        self.params.derl(discount, renewals).or_throw()
    }
}
