//! The NBD model (Poisson purchases at a gamma rate, no drop-out) of the
//! core's `models::nbd`: the restricted model of `likelihoodRatioTest` for
//! "do customers drop out at all?" (docs/metrics.md, "Choosing a model").

use retentionkit::models::nbd::{fit_nbd, NbdParams};
use retentionkit::models::RepeatData;
use retentionkit::summary::TimeUnit;
use wasm_bindgen::prelude::*;

use crate::error::{JsResult, OrThrow};
use crate::fit::{self, FitInfo};
use crate::log::Summary;
use crate::out::to_js;

/// The NBD model: Poisson purchases at a rate λ ~ gamma(r, alpha), and no
/// drop-out: the Pareto/NBD at μ = 0 and the BG/NBD at p = 0, with the same
/// likelihood constant, so a fitted `Nbd` is the `restricted` argument of
/// `likelihoodRatioTest(full, nbd, true)` against either.
#[wasm_bindgen]
pub struct Nbd {
    params: NbdParams,
    unit: TimeUnit,
    fit: Option<FitInfo<NbdParams>>,
}

#[wasm_bindgen]
impl Nbd {
    /// Typed-in parameters (`unit` as the other models take it, default days).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen passes strings by value
    pub fn new(
        r: f64,
        alpha: f64,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeUnit")] unit: Option<String>,
    ) -> JsResult<Nbd> {
        Ok(Nbd {
            params: NbdParams::new(r, alpha).or_throw()?,
            unit: unit
                .as_deref()
                .map(str::parse::<TimeUnit>)
                .transpose()
                .or_throw()?
                .unwrap_or_default(),
            fit: None,
        })
    }

    /// Maximum-likelihood fit on a summary (the core's `fit_nbd`), in the
    /// summary's unit. A fit that stops early is not an error: read `status`.
    pub fn fit(
        summary: &Summary,
        #[wasm_bindgen(unchecked_optional_param_type = "FitOptions")] options: Option<JsValue>,
    ) -> JsResult<Nbd> {
        let o = fit::options(options)?;
        let data = RepeatData::from_summary(&summary.inner().compress()).or_throw()?;
        let f = fit_nbd(&data, &o).or_throw()?;
        Ok(Nbd {
            params: f.params,
            unit: summary.inner().unit,
            fit: Some(FitInfo::of(&f)),
        })
    }

    /// The parameters as a plain object (`JSON.stringify` uses this).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ r: number; alpha: number }")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        to_js(&self.params)
    }

    /// Shape of the gamma distribution of purchase rates.
    #[wasm_bindgen(getter)]
    pub fn r(&self) -> f64 {
        self.params.r
    }

    /// Scale of the gamma distribution of purchase rates, in `unit`.
    #[wasm_bindgen(getter)]
    pub fn alpha(&self) -> f64 {
        self.params.alpha
    }

    /// Time unit of the parameters.
    #[wasm_bindgen(getter, unchecked_return_type = "TimeUnit")]
    pub fn unit(&self) -> String {
        self.unit.as_str().into()
    }

    /// Log-likelihood at the fitted parameters (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = logLikelihood)]
    pub fn log_likelihood(&self) -> Option<f64> {
        self.fit.map(|f| f.log_likelihood)
    }

    /// Free parameters k of the fit, 2 (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = nParameters)]
    pub fn n_parameters(&self) -> Option<usize> {
        self.fit.map(|f| f.criteria.parameters)
    }

    /// Customers n the fit saw (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = nObservations)]
    pub fn n_observations(&self) -> Option<f64> {
        self.fit.map(|f| f.criteria.observations)
    }

    /// Akaike's information criterion (`undefined` when typed in).
    #[wasm_bindgen(getter)]
    pub fn aic(&self) -> Option<f64> {
        self.fit.map(|f| f.criteria.aic)
    }

    /// Schwarz's Bayesian information criterion (`undefined` when typed in).
    #[wasm_bindgen(getter)]
    pub fn bic(&self) -> Option<f64> {
        self.fit.map(|f| f.criteria.bic)
    }

    /// How the fit ended (`undefined` when typed in).
    #[wasm_bindgen(getter, unchecked_return_type = "FitStatus | undefined")]
    pub fn status(&self) -> Option<String> {
        self.fit.map(|f| f.status.as_str().into())
    }

    /// Expected purchases in the next `horizon` of a customer with
    /// `frequency` repeat purchases, the last at `recency`, and age `age`:
    /// (r + x) t / (alpha + T).
    #[wasm_bindgen(js_name = expectedPurchases)]
    pub fn expected_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> JsResult<f64> {
        self.params
            .expected_purchases(frequency, recency, age, horizon)
            .or_throw()
    }

    /// Expected repeat purchases of a new customer in `horizon`: r t / alpha.
    #[wasm_bindgen(js_name = expectedPurchasesNew)]
    pub fn expected_purchases_new(&self, horizon: f64) -> JsResult<f64> {
        self.params.expected_purchases_new(horizon).or_throw()
    }
}
